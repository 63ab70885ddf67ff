/* json.c: JSON text (RFC 8259): strings written ASCII-only the way Python's json.dumps
 * writes them, so any bytes give valid JSON, and a small reader for the few documents
 * venvbox reads (direct_url.json, PEP 610). The reader never trusts its input. */
#include <stdlib.h>
#include <string.h>
#include "fmt/fmt.h"

#define JSON_MAX_DEPTH 64

/* Its code point and length (LEN), or -1 when not well-formed UTF-8. */
static long utf8_cp(const unsigned char *p, size_t n, int *len)
{
	unsigned long cp;
	size_t l = utf8_decode(p, n, &cp);

	*len = (int)l;
	return l ? (long)cp : -1;
}

int json_utf8_valid(const char *s, size_t n)
{
	return utf8_valid((const unsigned char *)s, n);
}

static void put_u(struct buf *b, long c)
{
	buf_printf(b, "\\u%04lx", c);
}

void json_strn(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	long c;
	int len;

	buf_addc(b, '"');
	while (p < end) {
		c = utf8_cp(p, end - p, &len);
		if (c < 0) {	/* not UTF-8: the replacement character keeps the text valid */
			put_u(b, 0xfffd);
			p++;
			continue;
		}
		p += len;
		switch (c) {
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		case '\b': buf_adds(b, "\\b"); break;
		case '\f': buf_adds(b, "\\f"); break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				buf_addc(b, (char)c);
			} else if (c < 0x10000) {
				put_u(b, c);
			} else {
				c -= 0x10000;
				put_u(b, 0xd800 | (c >> 10));
				put_u(b, 0xdc00 | (c & 0x3ff));
			}
		}
	}
	buf_addc(b, '"');
}

void json_str(struct buf *b, const char *s)
{
	if (s)
		json_strn(b, s, strlen(s));
	else
		buf_adds(b, "null");
}

/* ---- reading ---- */

struct jp {
	const char *p, *end;
};

static void ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int hex4(const char *p, const char *end, long *out)
{
	long v = 0;
	int i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(struct buf *b, long c)
{
	char u[4];

	if (c < 0x80) {
		u[0] = (char)c;
		buf_add(b, u, 1);
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 4);
	}
}

/* A string at j->p (on its opening quote); decoded into OUT when OUT is not NULL. Lone
 * surrogates become U+FFFD; a NUL (\u0000) too, since C strings cannot hold it. */
static int string(struct jp *j, struct buf *out)
{
	const char *p = j->p + 1;
	long c, lo;

	if (out)
		buf_add(out, "", 0);
	while (p < j->end && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return -1;
		if (*p != '\\') {
			if (out)
				buf_addc(out, *p);
			p++;
			continue;
		}
		if (++p >= j->end)
			return -1;
		switch (*p++) {
		case '"': c = '"'; break;
		case '\\': c = '\\'; break;
		case '/': c = '/'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (hex4(p, j->end, &c))
				return -1;
			p += 4;
			if (c >= 0xd800 && c <= 0xdbff && j->end - p >= 6 && p[0] == '\\' && p[1] == 'u'
			    && hex4(p + 2, j->end, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if ((c >= 0xd800 && c <= 0xdfff) || c == 0) {
				c = 0xfffd;
			}
			break;
		default:
			return -1;
		}
		if (out)
			put_utf8(out, c);
	}
	if (p >= j->end)
		return -1;
	j->p = p + 1;
	return 0;
}

static int number(struct jp *j)
{
	const char *p = j->p;

	if (p < j->end && *p == '-')
		p++;
	if (p >= j->end || *p < '0' || *p > '9')
		return -1;
	if (*p == '0')
		p++;
	else
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	if (p < j->end && *p == '.') {
		if (++p >= j->end || *p < '0' || *p > '9')
			return -1;
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < j->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < j->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= j->end || *p < '0' || *p > '9')
			return -1;
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	j->p = p;
	return 0;
}

static int literal(struct jp *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return -1;
	j->p += n;
	return 0;
}

static int value(struct jp *j, int depth);

/* The members of an object or the elements of an array, after its opening bracket. */
static int members(struct jp *j, int depth, char close)
{
	ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		ws(j);
		if (close == '}') {
			if (j->p >= j->end || *j->p != '"' || string(j, NULL))
				return -1;
			ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return -1;
		}
		if (value(j, depth + 1))
			return -1;
		ws(j);
		if (j->p >= j->end)
			return -1;
		if (*j->p == close) {
			j->p++;
			return 0;
		}
		if (*j->p++ != ',')
			return -1;
	}
}

static int value(struct jp *j, int depth)
{
	ws(j);
	if (j->p >= j->end || depth > JSON_MAX_DEPTH)
		return -1;
	switch (*j->p) {
	case '{': j->p++; return members(j, depth, '}');
	case '[': j->p++; return members(j, depth, ']');
	case '"': return string(j, NULL);
	case 't': return literal(j, "true");
	case 'f': return literal(j, "false");
	case 'n': return literal(j, "null");
	default: return number(j);
	}
}

int json_valid(const char *text, size_t len)
{
	struct jp j = { text, text + len };

	if (!json_utf8_valid(text, len) || value(&j, 0))
		return 0;
	ws(&j);
	return j.p == j.end;
}

/* In the object at j->p, the value of member KEY (KLEN bytes): j->p is left on it. */
static int member(struct jp *j, const char *key, size_t klen)
{
	struct buf k;
	int found;

	ws(j);
	if (j->p >= j->end || *j->p != '{')
		return -1;
	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == '}')
		return -1;
	buf_init(&k);
	for (;;) {
		ws(j);
		buf_reset(&k);
		if (j->p >= j->end || *j->p != '"' || string(j, &k))
			break;
		ws(j);
		if (j->p >= j->end || *j->p++ != ':')
			break;
		ws(j);
		found = k.len == klen && !memcmp(k.s, key, klen);
		if (found) {
			buf_free(&k);
			return 0;
		}
		if (value(j, 1))
			break;
		ws(j);
		if (j->p >= j->end || *j->p++ != ',')
			break;
	}
	buf_free(&k);
	return -1;
}

/* The value at PATH ("archive_info.hash": members of nested objects) in a JSON document,
 * which must be valid as a whole. */
int json_get(const char *text, size_t len, const char *path, struct jsonval *v)
{
	struct jp j = { text, text + len };
	const char *seg = path, *dot;

	if (!json_valid(text, len))
		return -1;
	for (;;) {
		dot = strchr(seg, '.');
		if (member(&j, seg, dot ? (size_t)(dot - seg) : strlen(seg)))
			return -1;
		if (!dot)
			break;
		seg = dot + 1;
	}
	ws(&j);
	v->p = j.p;
	v->type = *j.p == 'n' ? 'z' : *j.p == '-' || (*j.p >= '0' && *j.p <= '9') ? 'n' : *j.p;
	if (value(&j, 1))
		return -1;
	v->n = j.p - v->p;
	return 0;
}

char *json_get_str(const char *text, size_t len, const char *path)
{
	struct jsonval v;
	struct jp j;
	struct buf b;

	if (json_get(text, len, path, &v) || v.type != '"')
		return NULL;
	j.p = v.p;
	j.end = v.p + v.n;
	buf_init(&b);
	if (string(&j, &b)) {
		buf_free(&b);
		return NULL;
	}
	return b.s;
}
