/* fuzz_toml.c: libFuzzer target for the TOML reader (lib/fmt/toml.c) and the lock-file reader
 * (lib/pkg/pylock.c). A refusal names the document and a line; a document read is written
 * back as TOML (every table inline) and must read back to the same tree, and the typed
 * getters agree with the types; a lock file read keeps the spec's rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkg/pkg.h"

static void put_str(struct buf *b, const char *s, size_t n)
{
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\u%04X", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

static void put_val(struct buf *b, const struct tomlv *v)
{
	size_t i;

	switch (v->type) {
	case TOML_TABLE:
		buf_addc(b, '{');
		for (i = 0; i < v->n; i++) {
			buf_adds(b, i ? ", " : " ");
			put_str(b, v->key[i], v->klen[i]);
			buf_adds(b, " = ");
			put_val(b, v->item[i]);
		}
		buf_adds(b, " }");
		break;
	case TOML_ARRAY:
		buf_addc(b, '[');
		for (i = 0; i < v->n; i++) {
			put_val(b, v->item[i]);
			buf_adds(b, ",\n");	/* a trailing comma, newlines: both allowed in arrays */
		}
		buf_addc(b, ']');
		break;
	case TOML_STRING:
		put_str(b, v->s, v->len);
		break;
	case TOML_INT:
		buf_printf(b, "%lld", v->i);
		break;
	case TOML_BOOL:
		buf_adds(b, v->i ? "true" : "false");
		break;
	default:	/* floats and date-times, as written */
		buf_add(b, v->s, v->len);
	}
}

static int same(const struct tomlv *a, const struct tomlv *b)
{
	size_t i;

	if (a->type != b->type || a->n != b->n)
		return 0;
	if (a->type == TOML_INT || a->type == TOML_BOOL)
		return a->i == b->i;
	if (a->type != TOML_TABLE && a->type != TOML_ARRAY)
		return a->len == b->len && !memcmp(a->s, b->s, a->len);
	for (i = 0; i < a->n; i++) {
		if (a->type == TOML_TABLE && (a->klen[i] != b->klen[i] || memcmp(a->key[i], b->key[i], a->klen[i])))
			return 0;
		if (!same(a->item[i], b->item[i]))
			return 0;
	}
	return 1;
}

static void refused(const struct err *e)
{
	const char *p = e->msg;

	if (strncmp(p, "fuzz.toml:", 10))
		abort();
	for (p += 10; *p >= '0' && *p <= '9'; p++)
		;
	if (p == e->msg + 10 || strncmp(p, ": ", 2) || !p[2])
		abort();
}

static void getters(const struct toml *doc)
{
	const struct tomlv *r = doc->root, *v;
	struct err e;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const char *s;
		long long n;
		int b, got;

		if (memchr(r->key[i], 0, r->klen[i]))
			continue;	/* a key holding NUL cannot be asked for by name */
		v = toml_get(r, r->key[i]);
		if (v != r->item[i])
			abort();
		e.msg[0] = 0;
		got = toml_get_str(doc, r, r->key[i], &s, &e);
		if ((got == 1) != (v->type == TOML_STRING && !memchr(v->s, 0, v->len)) || (got < 0 && !e.msg[0]))
			abort();
		got = toml_get_int(doc, r, r->key[i], &n, &e);
		if ((got == 1) != (v->type == TOML_INT) || (got == 1 && n != v->i))
			abort();
		got = toml_get_bool(doc, r, r->key[i], &b, &e);
		if ((got == 1) != (v->type == TOML_BOOL))
			abort();
	}
	if (toml_get(r, "\x01no such key\x02"))
		abort();
}

static void lock(const char *text, size_t size)
{
	struct lock l;
	struct buf warn;
	struct err e;
	size_t i, k;

	buf_init(&warn);
	e.msg[0] = 0;
	if (lock_parse(&l, text, size, "fuzz.toml", &warn, &e)) {
		refused(&e);
		if (l.pkg || l.npkg || warn.len)
			abort();
		buf_free(&warn);
		return;
	}
	if (l.major != 1 || !l.created_by)
		abort();
	for (i = 0; i < l.npkg; i++) {
		const struct lockpkg *p = &l.pkg[i];
		char *n = name_normalize(p->name);

		if (strcmp(n, p->name) || p->line < 1 || (lock_pkg_has_wheels(&l, p, &e) == 0) != (p->nwheel > 0))
			abort();
		free(n);
		for (k = 0; k < p->nwheel; k++)
			if (!p->wheel[k].nhash || !p->wheel[k].wn.tags || (!p->wheel[k].path && !p->wheel[k].url)
			    || p->wheel[k].line < 1)
				abort();
	}
	buf_free(&warn);
	lock_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);	/* exactly SIZE bytes: ASan sees a read past them */
	struct toml doc, back;
	struct buf b;
	struct err e;
	size_t i;

	memcpy(text, data, size);
	e.msg[0] = 0;
	if (toml_parse(&doc, text, size, "fuzz.toml", &e)) {
		refused(&e);
		if (doc.root || doc.chain)
			abort();
		free(text);
		return 0;
	}
	getters(&doc);
	buf_init(&b);
	for (i = 0; i < doc.root->n; i++) {
		put_str(&b, doc.root->key[i], doc.root->klen[i]);
		buf_adds(&b, " = ");
		put_val(&b, doc.root->item[i]);
		buf_addc(&b, '\n');
	}
	if (toml_parse(&back, b.s ? b.s : "", b.len, "fuzz.toml", &e)) {
		/* all inline, the tables nest deeper than the reader's bound allows */
		if (!strstr(e.msg, "nested more than"))
			abort();
	} else {
		if (!same(doc.root, back.root))
			abort();
		toml_free(&back);
	}
	buf_free(&b);
	toml_free(&doc);
	lock(text, size);
	free(text);
	return 0;
}
