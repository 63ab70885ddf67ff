/* tomldump.c: documents as venvbox's TOML reader (lib/fmt/toml.c) reads them, for
 * tests/t_toml.sh, which compares them with Python's tomllib (tests/tomlcmp.py). For each
 * FILE: "== FILE", then one line: the document as JSON, each value tagged
 * {"type": T, "value": V} (T: string, integer, float, bool, datetime, datetime-local,
 * date-local, time-local; V: the string, or the value as written), or "refused: REASON".
 * With --lock, each FILE is read as a lock file (lib/pkg/pylock.c) and its struct lock
 * printed as JSON instead, for tests/t_pylock.sh. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkg/pkg.h"

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

static void strs(struct buf *b, const char *key, const struct lockstr *s, size_t n)
{
	size_t i;

	buf_printf(b, ", \"%s\": [", key);
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(b, ", ");
		json_str(b, s[i].s);
	}
	buf_addc(b, ']');
}

static void lock(const char *path)
{
	struct lock l;
	struct buf b, warn;
	struct err e;
	size_t i, k, h;

	buf_init(&warn);
	if (lock_read(&l, path, &warn, &e)) {
		printf("refused: %s\n", e.msg);
		buf_free(&warn);
		return;
	}
	buf_init(&b);
	buf_adds(&b, "{\"lock-version\": ");
	json_str(&b, l.version);
	buf_adds(&b, ", \"created-by\": ");
	json_str(&b, l.created_by);
	buf_adds(&b, ", \"requires-python\": ");
	json_str(&b, l.requires_python);
	strs(&b, "environments", l.env, l.nenv);
	strs(&b, "extras", l.extras, l.nextras);
	strs(&b, "dependency-groups", l.groups, l.ngroups);
	strs(&b, "default-groups", l.default_groups, l.ndefault);
	buf_adds(&b, ", \"warnings\": ");
	json_str(&b, warn.s ? warn.s : "");
	buf_adds(&b, ", \"packages\": [");
	for (i = 0; i < l.npkg; i++) {
		const struct lockpkg *p = &l.pkg[i];

		buf_printf(&b, "%s{\"line\": %d, \"name\": ", i ? ", " : "", p->line);
		json_str(&b, p->name);
		buf_adds(&b, ", \"version\": ");
		json_str(&b, p->version);
		buf_adds(&b, ", \"marker\": ");
		json_str(&b, p->marker);
		buf_adds(&b, ", \"requires-python\": ");
		json_str(&b, p->requires_python);
		buf_adds(&b, ", \"no-wheel\": ");
		json_str(&b, lock_pkg_has_wheels(&l, p, &e) ? e.msg : NULL);
		buf_adds(&b, ", \"wheels\": [");
		for (k = 0; k < p->nwheel; k++) {
			const struct lockwheel *w = &p->wheel[k];

			buf_printf(&b, "%s{\"line\": %d, \"name\": ", k ? ", " : "", w->line);
			json_str(&b, w->name);
			buf_adds(&b, ", \"path\": ");
			json_str(&b, w->path);
			buf_adds(&b, ", \"url\": ");
			json_str(&b, w->url);
			buf_printf(&b, ", \"size\": %lld, \"upload-time\": ", w->size);
			json_str(&b, w->upload_time);
			buf_adds(&b, ", \"tags\": ");
			json_str(&b, w->wn.tags);
			buf_adds(&b, ", \"hashes\": {");
			for (h = 0; h < w->nhash; h++) {
				buf_adds(&b, h ? ", " : "");
				json_str(&b, w->hash[h].alg);
				buf_adds(&b, ": ");
				json_str(&b, w->hash[h].hex);
			}
			buf_adds(&b, "}}");
		}
		buf_adds(&b, "]}");
	}
	buf_adds(&b, "]}");
	printf("%s\n", b.s);
	buf_free(&b);
	buf_free(&warn);
	lock_free(&l);
}

int main(int argc, char **argv)
{
	struct toml doc;
	struct buf text, out;
	struct err e;
	int i, locks = argc > 1 && !strcmp(argv[1], "--lock");

	for (i = 1 + locks; i < argc; i++) {
		if (locks) {
			printf("== %s\n", argv[i]);
			lock(argv[i]);
			continue;
		}
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
