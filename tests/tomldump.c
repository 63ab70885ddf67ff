/* tomldump.c: documents as venvbox's TOML reader (lib/fmt/toml.c) reads them, for
 * tests/t_toml.sh, which compares them with tests/tomldump.py's (Python's tomllib). For each
 * FILE: "== FILE", then one line: the document as JSON, each value tagged
 * {"type": T, "value": V} (T: string, integer, float, bool, datetime, datetime-local,
 * date-local, time-local; V: the string, or the value as written), or "refused: REASON". */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include "fmt/fmt.h"

static void dump(struct buf *b, const struct tomlv *v)
{
	static const char *const tag[] = {
		"", "", "string", "integer", "float", "bool", "datetime", "datetime-local",
		"date-local", "time-local",
	};
	size_t i;

	if (v->type == TOML_TABLE) {
		buf_addc(b, '{');
		for (i = 0; i < v->n; i++) {
			if (i)
				buf_adds(b, ", ");
			json_strn(b, v->key[i], v->klen[i]);
			buf_adds(b, ": ");
			dump(b, v->item[i]);
		}
		buf_addc(b, '}');
		return;
	}
	if (v->type == TOML_ARRAY) {
		buf_addc(b, '[');
		for (i = 0; i < v->n; i++) {
			if (i)
				buf_adds(b, ", ");
			dump(b, v->item[i]);
		}
		buf_addc(b, ']');
		return;
	}
	buf_printf(b, "{\"type\": \"%s\", \"value\": ", tag[v->type]);
	if (v->type == TOML_INT && !v->s)
		buf_printf(b, "\"%lld\"", v->i);
	else if (v->type == TOML_BOOL)
		buf_adds(b, v->i ? "\"true\"" : "\"false\"");
	else
		json_strn(b, v->s, v->len);
	buf_addc(b, '}');
}

int main(int argc, char **argv)
{
	struct toml doc;
	struct buf text, out;
	struct err e;
	int i;

	for (i = 1; i < argc; i++) {
		printf("== %s\n", argv[i]);
		buf_init(&text);
		if (file_read(AT_FDCWD, argv[i], 1 << 24, &text, &e)) {
			printf("refused: %s\n", e.msg);
		} else if (toml_parse(&doc, text.s ? text.s : "", text.len, argv[i], &e)) {
			printf("refused: %s\n", e.msg);
		} else {
			buf_init(&out);
			dump(&out, doc.root);
			printf("%s\n", out.s);
			buf_free(&out);
			toml_free(&doc);
		}
		buf_free(&text);
	}
	return 0;
}
