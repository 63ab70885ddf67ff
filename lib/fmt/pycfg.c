/* pycfg.c: pyvenv.cfg (PEP 405) read the way CPython's site.py reads it, and Python's
 * repr() of a string, which venv uses to write the prompt key. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fmt/fmt.h"

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v')
		s++;
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\f\v", end[-1]))
		*--end = 0;
	return s;
}

/* site.py: every line with '=' is "key = value", split at the first '=', both trimmed,
 * the key lower-cased; anything else is ignored. A later key does not replace an earlier
 * one here: pycfg_get returns the last, as site.py's loop leaves it. */
int pycfg_read(int dirfd, const char *name, struct pycfg *c, struct err *e)
{
	struct buf b;
	char *line, *next, *eq, *k;

	memset(c, 0, sizeof *c);
	buf_init(&b);
	if (file_read(dirfd, name, 1 << 20, &b, e)) {
		buf_free(&b);
		return -1;
	}
	if (memchr(b.s, 0, b.len)) {
		buf_free(&b);
		return err_set(e, "%s: not a text file", name);
	}
	for (line = b.s; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = 0;
		k = trim(line);
		for (char *p = k; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p += 32;
		c->ent = xgrow(c->ent, c->n, sizeof *c->ent);
		c->ent[c->n].key = xstrdup(k);
		c->ent[c->n].value = xstrdup(trim(eq + 1));
		c->n++;
	}
	buf_free(&b);
	return 0;
}

const char *pycfg_get(const struct pycfg *c, const char *key)
{
	size_t i = c->n;

	while (i--)
		if (!strcmp(c->ent[i].key, key))
			return c->ent[i].value;
	return NULL;
}

void pycfg_free(struct pycfg *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->ent[i].key);
		free(c->ent[i].value);
	}
	free(c->ent);
	memset(c, 0, sizeof *c);
}

/* str.isprintable() for code points past ASCII: separators, format and private-use
 * characters and non-characters are not printable. Unassigned code points are taken as
 * printable: their set changes with each Unicode version. */
static int printable(long c)
{
	static const uint32_t no[][2] = {
		{ 0x80, 0xa0 }, { 0xad, 0xad }, { 0x600, 0x605 }, { 0x61c, 0x61c }, { 0x6dd, 0x6dd },
		{ 0x70f, 0x70f }, { 0x890, 0x891 }, { 0x8e2, 0x8e2 }, { 0x1680, 0x1680 },
		{ 0x180e, 0x180e }, { 0x2000, 0x200f }, { 0x2028, 0x202f }, { 0x205f, 0x2064 },
		{ 0x2066, 0x206f }, { 0x3000, 0x3000 }, { 0xd800, 0xf8ff }, { 0xfdd0, 0xfdef },
		{ 0xfeff, 0xfeff }, { 0xfff9, 0xfffb }, { 0xfffe, 0xffff }, { 0x110bd, 0x110bd },
		{ 0x110cd, 0x110cd }, { 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 },
		{ 0x1d173, 0x1d17a }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
		{ 0xf0000, 0x10ffff },
	};
	size_t i;

	if ((c & 0xfffe) == 0xfffe)
		return 0;
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		if (c >= (long)no[i][0] && c <= (long)no[i][1])
			return 0;
	return 1;
}

void py_repr_str(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *start;
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	unsigned long cp;
	size_t len;
	long c;

	buf_addc(b, q);
	while (*p) {
		start = p;
		len = utf8_decode(p, strlen((const char *)p), &cp);
		c = len ? (long)cp : -1;
		p += len;
		if (c < 0) {	/* Python's surrogateescape */
			buf_printf(b, "\\udc%02x", *p++);
		} else if (c == '\\' || c == q) {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c == '\t') {
			buf_adds(b, "\\t");
		} else if (c == '\n') {
			buf_adds(b, "\\n");
		} else if (c == '\r') {
			buf_adds(b, "\\r");
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\x%02x", (unsigned)c);
		} else if (c < 0x80 || printable(c)) {
			buf_add(b, start, p - start);
		} else if (c < 0x100) {
			buf_printf(b, "\\x%02lx", c);
		} else if (c < 0x10000) {
			buf_printf(b, "\\u%04lx", c);
		} else {
			buf_printf(b, "\\U%08lx", c);
		}
	}
	buf_addc(b, q);
}

/* The inverse: the text of a str literal as repr() writes it ('x', "it's", '\xe9',
 * '\udcff' for a raw byte); anything else is taken as it stands (virtualenv and uv write
 * the prompt unquoted). */
char *py_unrepr_str(const char *v)
{
	size_t n = strlen(v);
	struct buf b;
	unsigned long c;
	int k, w;
	char u[4];

	if (n < 2 || (v[0] != '\'' && v[0] != '"') || v[n - 1] != v[0])
		return xstrdup(v);
	buf_init(&b);
	buf_add(&b, "", 0);
	for (v++, n -= 2; n; v++, n--) {
		if (*v != '\\' || n < 2) {
			buf_addc(&b, *v);
			continue;
		}
		v++, n--;
		w = *v == 'x' ? 2 : *v == 'u' ? 4 : *v == 'U' ? 8 : 0;
		if (w && (size_t)w < n && scan_hex(v + 1, w, &c) == 0) {
			v += w, n -= w;
			if (c == 0 || c > 0x10ffff)
				c = 0xfffd;
			if (c >= 0xdc80 && c <= 0xdcff) {	/* surrogateescape: the raw byte */
				buf_addc(&b, (char)(c - 0xdc00));
			} else if (c < 0x80) {
				buf_addc(&b, (char)c);
			} else {
				k = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
				u[0] = (char)(k == 2 ? 0xc0 | c >> 6 : k == 3 ? 0xe0 | c >> 12 : 0xf0 | c >> 18);
				if (k == 4)
					u[1] = (char)(0x80 | (c >> 12 & 0x3f));
				if (k >= 3)
					u[k - 2] = (char)(0x80 | (c >> 6 & 0x3f));
				u[k - 1] = (char)(0x80 | (c & 0x3f));
				buf_add(&b, u, k);
			}
			continue;
		}
		switch (*v) {
		case 'n': buf_addc(&b, '\n'); break;
		case 't': buf_addc(&b, '\t'); break;
		case 'r': buf_addc(&b, '\r'); break;
		case '\\': case '\'': case '"': buf_addc(&b, *v); break;
		default: buf_addc(&b, '\\'); buf_addc(&b, *v);
		}
	}
	return b.s;
}
