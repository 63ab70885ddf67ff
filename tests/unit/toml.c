/* toml.c: unit tests of lib/fmt/toml.c's tree and typed getters (the documents themselves
 * are tests/toml/, compared with tomllib by t_toml). */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "fmt/fmt.h"

static const char doc_text[] =
	"name = \"x\"\n"
	"n = 42\n"
	"flag = true\n"
	"when = 2025-01-02T03:04:05Z\n"
	"nul = \"a\\u0000b\"\n"
	"[[pkg]]\n"
	"name = 'a'\n"
	"[[pkg]]\n"
	"name = 'b'\n"
	"size = 'big'\n";

void unit_toml(void)
{
	const struct tomlv *v, *pkg;
	struct toml doc;
	struct err e;
	const char *s;
	long long n;
	int b;

	UT_OK("toml/parse", toml_parse(&doc, doc_text, strlen(doc_text), "lock.toml", &e) == 0);
	UT_OK("toml/str", toml_get_str(&doc, doc.root, "name", &s, &e) == 1 && !strcmp(s, "x"));
	UT_OK("toml/int", toml_get_int(&doc, doc.root, "n", &n, &e) == 1 && n == 42);
	UT_OK("toml/bool", toml_get_bool(&doc, doc.root, "flag", &b, &e) == 1 && b == 1);
	UT_OK("toml/absent", toml_get_str(&doc, doc.root, "nothing", &s, &e) == 0 && !s);
	UT_OK("toml/mismatch", toml_get_str(&doc, doc.root, "n", &s, &e) == -1);
	UT_STREQ("toml/mismatch-msg", e.msg, "lock.toml:2: n is an integer, not a string");
	UT_OK("toml/nul", toml_get_str(&doc, doc.root, "nul", &s, &e) == -1);
	UT_STREQ("toml/nul-msg", e.msg, "lock.toml:5: nul holds a NUL character");
	UT_OK("toml/datetime", toml_want(&doc, doc.root, "when", TOML_DATETIME, &v, &e) == 1
	      && !strcmp(v->s, "2025-01-02T03:04:05Z"));
	UT_OK("toml/datetime-not-str", toml_get_str(&doc, doc.root, "when", &s, &e) == -1);
	UT_STREQ("toml/datetime-msg", e.msg, "lock.toml:4: when is an offset date-time, not a string");
	UT_OK("toml/aot", toml_want(&doc, doc.root, "pkg", TOML_ARRAY, &pkg, &e) == 1 && pkg->n == 2);
	if (pkg && pkg->n == 2) {
		UT_OK("toml/aot-line", pkg->item[1]->line == 8);
		UT_OK("toml/aot-item", toml_get_str(&doc, pkg->item[1], "name", &s, &e) == 1 && !strcmp(s, "b"));
		UT_OK("toml/aot-mismatch", toml_get_int(&doc, pkg->item[1], "size", &n, &e) == -1);
		UT_STREQ("toml/aot-mismatch-msg", e.msg, "lock.toml:10: size is a string, not an integer");
	}
	UT_OK("toml/order", doc.root->n == 6 && !strcmp(doc.root->key[0], "name") && !strcmp(doc.root->key[5], "pkg"));
	toml_free(&doc);
	UT_OK("toml/freed", !doc.root && !doc.chain);

	UT_OK("toml/refused", toml_parse(&doc, "a = 1\nb = \n", 11, "x.toml", &e) == -1 && !doc.root);
	UT_STREQ("toml/refused-msg", e.msg, "x.toml:2: a value expected before the end of the line");
	UT_OK("toml/refused-dup", toml_parse(&doc, "[t]\na = 1\n\n[t]\n", 15, "x.toml", &e) == -1);
	UT_STREQ("toml/refused-dup-msg", e.msg, "x.toml:4: table [t] is defined twice (first at line 1)");
	UT_OK("toml/refused-key", toml_parse(&doc, "x = 1\nkey\n= 1\n", 14, "x.toml", &e) == -1);
	UT_STREQ("toml/refused-key-msg", e.msg, "x.toml:2: '=' expected after the key key");
	/* no size trusted: the text ends where LEN says, NUL or not */
	UT_OK("toml/len", toml_parse(&doc, "a = \"xyz\"", 7, "x.toml", &e) == -1);
	UT_STREQ("toml/len-msg", e.msg, "x.toml:1: a string not closed");
}
