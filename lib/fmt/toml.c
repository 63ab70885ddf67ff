/* toml.c: a strict TOML 1.0 reader (toml.io/en/v1.0.0) for the subset lock files use:
 * tables, arrays of tables, dotted keys, inline tables, arrays, the four kinds of string,
 * integers, floats and date-times (both kept as written, their shape checked), booleans.
 * Every error names the line; no size in the input is trusted, nesting is bounded, and a
 * key or table is defined once, as TOML says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fmt/fmt.h"

#define TOML_MAX_DEPTH 32	/* arrays and inline tables within each other */
#define TOML_MAX_PARTS 32	/* parts of one dotted key or header */
#define TOML_MAX_VALUES (1 << 21)	/* values and tables in one document (about 256 MB) */

enum {
	T_HEADER = 1,	/* defined by a [header] (or an element of [[header]]) */
	T_DOTTED = 2,	/* defined by dotted keys, in section SECTION */
	T_INLINE = 4,	/* an inline table, or a table inside one: never extended */
	T_AOT = 8,	/* an array made by [[header]]: the only kind more can be added to */
};

struct tp {
	const unsigned char *p, *end;
	int line;
	int depth;
	int section;	/* the current header's section */
	int ids;	/* each header and inline table has a section of its own */
	long nvals;	/* values made: past TOML_MAX_VALUES the document is refused */
	struct toml *doc;
	struct err *e;
};

struct tkey {
	char *s;
	size_t n;
	int line;
};

static int perr(struct tp *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct tp *t, const char *fmt, ...)
{
	char m[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	return err_set(t->e, "%s:%d: %s", t->doc->what, t->line, m);
}

const char *toml_type_name(enum tomltype type)
{
	static const char *const name[] = {
		"a table", "an array", "a string", "an integer", "a float", "a boolean",
		"an offset date-time", "a local date-time", "a local date", "a local time",
	};

	return (unsigned)type < sizeof name / sizeof *name ? name[type] : "?";
}

static struct tomlv *vnew(struct tp *t, enum tomltype type, int line)
{
	struct tomlv *v = xmalloc(sizeof *v);

	memset(v, 0, sizeof *v);
	t->nvals++;
	v->type = type;
	v->line = line;
	v->chain = t->doc->chain;
	t->doc->chain = v;
	return v;
}

void toml_free(struct toml *doc)
{
	struct tomlv *v, *next;
	size_t i;

	for (v = doc->chain; v; v = next) {
		next = v->chain;
		if (v->type == TOML_TABLE)
			for (i = 0; i < v->n; i++)
				free(v->key[i]);
		free(v->s);
		free(v->item);
		free(v->key);
		free(v->klen);
		free(v->index);
		free(v);
	}
	doc->chain = NULL;
	doc->root = NULL;
}

/* ---- tables: keys in document order, with a hash index once they are many ---- */
static uint32_t khash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	h ^= h >> 16;	/* FNV-1a, its bits mixed: keys alike ("k1", "k2"...) spread over the index */
	h *= 0x85ebca6bu;
	return h ^ h >> 13;
}

static void index_put(struct tomlv *tb, size_t i)
{
	size_t m = tb->icap - 1, j = khash(tb->key[i], tb->klen[i]) & m;

	while (tb->index[j])
		j = (j + 1) & m;
	tb->index[j] = (uint32_t)i + 1;
}

static long tfind(const struct tomlv *tb, const char *k, size_t n)
{
	size_t i, m, j;

	if (!tb->index) {
		for (i = 0; i < tb->n; i++)
			if (tb->klen[i] == n && !memcmp(tb->key[i], k, n))
				return (long)i;
		return -1;
	}
	m = tb->icap - 1;
	for (j = khash(k, n) & m; tb->index[j]; j = (j + 1) & m) {
		i = tb->index[j] - 1;
		if (tb->klen[i] == n && !memcmp(tb->key[i], k, n))
			return (long)i;
	}
	return -1;
}

static void tadd(struct tomlv *tb, const char *k, size_t n, struct tomlv *v)
{
	size_t i;

	if (tb->n == tb->cap) {
		tb->cap = tb->cap ? tb->cap * 2 : 4;
		tb->item = xrealloc(tb->item, tb->cap * sizeof *tb->item);
		tb->key = xrealloc(tb->key, tb->cap * sizeof *tb->key);
		tb->klen = xrealloc(tb->klen, tb->cap * sizeof *tb->klen);
	}
	tb->key[tb->n] = xmalloc(n + 1);
	memcpy(tb->key[tb->n], k, n);
	tb->key[tb->n][n] = 0;
	tb->klen[tb->n] = n;
	tb->item[tb->n++] = v;
	if (tb->n < 8)
		return;
	if (tb->index && tb->n * 2 < tb->icap) {
		index_put(tb, tb->n - 1);
		return;
	}
	free(tb->index);
	tb->icap = tb->icap ? tb->icap * 2 : 32;
	while (tb->n * 2 >= tb->icap)
		tb->icap *= 2;
	tb->index = xmalloc(tb->icap * sizeof *tb->index);
	memset(tb->index, 0, tb->icap * sizeof *tb->index);
	for (i = 0; i < tb->n; i++)
		index_put(tb, i);
}

static void apush(struct tomlv *a, struct tomlv *v)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 4;
		a->item = xrealloc(a->item, a->cap * sizeof *a->item);
	}
	a->item[a->n++] = v;
}

/* ---- characters ---- */
static int at_nl(const struct tp *t)
{
	return t->p < t->end && (*t->p == '\n' || (*t->p == '\r' && t->p + 1 < t->end && t->p[1] == '\n'));
}

static void eat_nl(struct tp *t)
{
	t->p += *t->p == '\r' ? 2 : 1;
	t->line++;
}

static void skip_ws(struct tp *t)
{
	while (t->p < t->end && (*t->p == ' ' || *t->p == '\t'))
		t->p++;
}

static int ctrl(unsigned c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* A document of more values than TOML_MAX_VALUES is refused where it passes that */
static int too_many(struct tp *t)
{
	if (t->nvals <= TOML_MAX_VALUES)
		return 0;
	return perr(t, "more than %d values: too large a document", TOML_MAX_VALUES);
}

static int bad_char(struct tp *t, const char *where)
{
	unsigned c = *t->p;

	if (c == '\r')
		return perr(t, "a carriage return not followed by a line feed %s", where);
	if (ctrl(c))
		return perr(t, "control character U+%04X %s", c, where);
	if (c >= 0x80) {	/* well-formed: check_utf8 saw to it */
		unsigned long cp = 0;

		utf8_decode(t->p, (size_t)(t->end - t->p), &cp);
		return perr(t, "unexpected character U+%04lX %s", cp, where);
	}
	return perr(t, "unexpected character '%c' %s", c, where);
}

/* From '#' to the end of the line (not eaten) */
static int comment(struct tp *t)
{
	for (t->p++; t->p < t->end && !at_nl(t); t->p++)
		if (ctrl(*t->p))
			return bad_char(t, "in a comment");
	return 0;
}

/* Spaces, a comment, then the end of the line or of the document */
static int eol(struct tp *t, const char *after)
{
	char where[64];

	skip_ws(t);
	if (t->p < t->end && *t->p == '#' && comment(t))
		return -1;
	if (t->p == t->end)
		return 0;
	if (!at_nl(t)) {
		snprintf(where, sizeof where, "after %s (a new line must follow)", after);
		if (*t->p == '\r' || ctrl(*t->p))
			return bad_char(t, where);
		return perr(t, "unexpected text %s", where);
	}
	eat_nl(t);
	return 0;
}

/* Spaces, newlines and comments (within arrays) */
static int skip_all(struct tp *t)
{
	for (;;) {
		skip_ws(t);
		if (t->p < t->end && *t->p == '#') {
			if (comment(t))
				return -1;
		} else if (at_nl(t)) {
			eat_nl(t);
		} else {
			return 0;
		}
	}
}

/* ---- strings ---- */
static int hexval(unsigned c)
{
	return c >= '0' && c <= '9' ? (int)(c - '0') : c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10)
		: c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10) : -1;
}

static void put_utf8(struct buf *b, unsigned long c)
{
	char o[4];
	int n;

	if (c < 0x80)
		o[0] = (char)c, n = 1;
	else if (c < 0x800)
		o[0] = (char)(0xc0 | c >> 6), o[1] = (char)(0x80 | (c & 0x3f)), n = 2;
	else if (c < 0x10000)
		o[0] = (char)(0xe0 | c >> 12), o[1] = (char)(0x80 | (c >> 6 & 0x3f)),
		o[2] = (char)(0x80 | (c & 0x3f)), n = 3;
	else
		o[0] = (char)(0xf0 | c >> 18), o[1] = (char)(0x80 | (c >> 12 & 0x3f)),
		o[2] = (char)(0x80 | (c >> 6 & 0x3f)), o[3] = (char)(0x80 | (c & 0x3f)), n = 4;
	buf_add(b, o, n);
}

/* After a backslash: one escape into B */
static int escape(struct tp *t, struct buf *b)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	unsigned long c = 0;
	const char *k;
	int i, n, h;

	if (t->p == t->end)
		return perr(t, "a backslash at the end of the document");
	if (*t->p && (k = strchr(from, *t->p))) {
		buf_addc(b, to[k - from]);
		t->p++;
		return 0;
	}
	if (*t->p != 'u' && *t->p != 'U') {
		if (*t->p >= 0x21 && *t->p < 0x7f)
			return perr(t, "invalid escape \\%c in a string", *t->p);
		return perr(t, "invalid escape in a string (a backslash before byte 0x%02X)", *t->p);
	}
	n = *t->p++ == 'u' ? 4 : 8;
	for (i = 0; i < n; i++) {
		if (t->p == t->end || (h = hexval(*t->p)) < 0)
			return perr(t, "\\%c needs %d hexadecimal digits", n == 4 ? 'u' : 'U', n);
		c = c << 4 | (unsigned long)h;
		t->p++;
	}
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return perr(t, "\\%c%0*lX is not a Unicode scalar value", n == 4 ? 'u' : 'U', n, c);
	put_utf8(b, c);
	return 0;
}

/* How many quotes Q stand at P (up to 6) */
static int quotes(const struct tp *t, char q)
{
	int n = 0;

	while (n < 6 && t->p + n < t->end && t->p[n] == (unsigned char)q)
		n++;
	return n;
}

/* A string of any of the four kinds at P (its opening quote), decoded into B */
static int string(struct tp *t, struct buf *b, int multi_ok)
{
	char q = (char)*t->p;
	int lit = q == '\'', multi = quotes(t, q) >= 3, start = t->line, n;

	if (multi && !multi_ok)
		return perr(t, "a multi-line string cannot be a key");
	t->p += multi ? 3 : 1;
	if (multi && at_nl(t))
		eat_nl(t);	/* a newline right after the quotes is not part of it */
	for (;;) {
		if (t->p == t->end) {
			t->line = start;
			return perr(t, "a string not closed");
		}
		if (*t->p == (unsigned char)q) {
			if (!multi) {
				t->p++;
				return 0;
			}
			n = quotes(t, q);
			if (n >= 3) {	/* one or two quotes may stand right before the closing three */
				n = n - 3 > 2 ? 2 : n - 3;
				buf_add(b, t->p, n);
				t->p += n + 3;
				return 0;
			}
			buf_add(b, t->p, n);
			t->p += n;
		} else if (at_nl(t)) {
			if (!multi)
				return perr(t, "a newline in a single-line string");
			buf_addc(b, '\n');
			eat_nl(t);
		} else if (*t->p == '\\' && !lit) {
			const unsigned char *s = ++t->p;

			if (multi) {	/* a backslash ending the line trims the whitespace after it */
				while (s < t->end && (*s == ' ' || *s == '\t'))
					s++;
				if (s < t->end && (*s == '\n' || (*s == '\r' && s + 1 < t->end && s[1] == '\n'))) {
					t->p = s;
					while (t->p < t->end && (*t->p == ' ' || *t->p == '\t' || at_nl(t)))
						if (at_nl(t))
							eat_nl(t);
						else
							t->p++;
					continue;
				}
			}
			if (escape(t, b))
				return -1;
		} else if (ctrl(*t->p)) {
			return bad_char(t, "in a string");
		} else {
			buf_addc(b, (char)*t->p++);
		}
	}
}

/* ---- keys ---- */
static int bare(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void keys_free(struct tkey *k, int n)
{
	while (n-- > 0)
		free(k[n].s);
}

/* A dotted key (its parts into K, their number returned), or -1 */
static int key(struct tp *t, struct tkey *k)
{
	struct buf b;
	int n = 0;

	for (;;) {
		skip_ws(t);
		if (n == TOML_MAX_PARTS) {
			keys_free(k, n);
			return perr(t, "a key of more than %d parts", TOML_MAX_PARTS);
		}
		buf_init(&b);
		k[n].line = t->line;
		if (t->p < t->end && (*t->p == '"' || *t->p == '\'')) {
			if (string(t, &b, 0)) {
				buf_free(&b);
				keys_free(k, n);
				return -1;
			}
		} else {
			while (t->p < t->end && bare(*t->p))
				buf_addc(&b, (char)*t->p++);
			if (!b.len) {
				buf_free(&b);
				keys_free(k, n);
				if (t->p == t->end || at_nl(t))
					return perr(t, "a key expected before the end of the line");
				return bad_char(t, "where a key was expected");
			}
		}
		if (!b.s) {	/* the empty quoted key */
			b.s = xmalloc(1);
			b.s[0] = 0;
		}
		k[n].s = b.s;
		k[n++].n = b.len;
		skip_ws(t);
		if (t->p == t->end || *t->p != '.')
			return n;
		t->p++;
	}
}

/* K[0..n) as written, for messages */
static const char *kname(char *out, size_t sz, const struct tkey *k, int n)
{
	size_t o = 0;
	int i;

	out[0] = 0;
	for (i = 0; i < n && o + 1 < sz; i++)
		o += snprintf(out + o, sz - o, "%s%.*s", i ? "." : "", (int)(k[i].n > 80 ? 80 : k[i].n), k[i].s);
	return out;
}

/* ---- values ---- */
static int value(struct tp *t, struct tomlv **out);
static int keyval(struct tp *t, struct tomlv *tb, int section);

static int digits(const unsigned char *p, const unsigned char *end, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (p + i >= end || p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static int num2(const unsigned char *p)
{
	return (p[0] - '0') * 10 + p[1] - '0';
}

/* HH:MM:SS[.fraction] at P: its end, or NULL */
static const unsigned char *time_at(const unsigned char *p, const unsigned char *end)
{
	if (!digits(p, end, 2) || p + 2 >= end || p[2] != ':' || !digits(p + 3, end, 2)
	    || p + 5 >= end || p[5] != ':' || !digits(p + 6, end, 2))
		return NULL;
	if (num2(p) > 23 || num2(p + 3) > 59 || num2(p + 6) > 59)
		return NULL;
	p += 8;
	if (p < end && *p == '.') {
		if (!digits(p + 1, end, 1))
			return NULL;
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
			;
	}
	return p;
}

/* A date, date-time or time at P (which starts with 4 digits and '-', or 2 and ':') */
static int datetime(struct tp *t, struct tomlv **out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const unsigned char *p = t->p, *end = t->end, *q;
	enum tomltype type = TOML_TIME;
	int y, m, d;

	if (p[2] == ':') {
		if (!(q = time_at(p, end)))
			return perr(t, "an invalid local time (HH:MM:SS[.fraction])");
		goto done;
	}
	if (!digits(p, end, 4) || p + 4 >= end || p[4] != '-' || !digits(p + 5, end, 2)
	    || p + 7 >= end || p[7] != '-' || !digits(p + 8, end, 2))
		return perr(t, "an invalid date (YYYY-MM-DD)");
	y = num2(p) * 100 + num2(p + 2), m = num2(p + 5), d = num2(p + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]
	    || (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return perr(t, "an invalid date: %.10s is no day of the calendar", (const char *)p);
	q = p + 10;
	type = TOML_DATE;
	if (q < end && (*q == 'T' || *q == 't' || (*q == ' ' && time_at(q + 1, end)))) {
		if (!(q = time_at(q + 1, end)))
			return perr(t, "an invalid time in a date-time (HH:MM:SS[.fraction])");
		type = TOML_LOCAL_DATETIME;
		if (q < end && (*q == 'Z' || *q == 'z')) {
			q++;
			type = TOML_DATETIME;
		} else if (q < end && (*q == '+' || *q == '-')) {
			if (!digits(q + 1, end, 2) || q + 3 >= end || q[3] != ':' || !digits(q + 4, end, 2)
			    || num2(q + 1) > 23 || num2(q + 4) > 59)
				return perr(t, "an invalid offset in a date-time (+HH:MM or -HH:MM)");
			q += 6;
			type = TOML_DATETIME;
		}
	}
done:
	*out = vnew(t, type, t->line);
	(*out)->len = (size_t)(q - p);
	(*out)->s = xmalloc((*out)->len + 1);
	memcpy((*out)->s, p, (*out)->len);
	(*out)->s[(*out)->len] = 0;
	t->p = q;
	return 0;
}

/* Digits of BASE with single underscores between them, from P: its end, or NULL */
static const unsigned char *run(const unsigned char *p, const unsigned char *end, int base)
{
	int any = 0;

	for (; p < end; p++) {
		int h = hexval(*p);

		if (*p == '_') {
			if (!any || p + 1 >= end || hexval(p[1]) < 0 || hexval(p[1]) >= base)
				return NULL;
			continue;
		}
		if (h < 0 || h >= base)
			break;
		any = 1;
	}
	return any ? p : NULL;
}

static int number(struct tp *t, struct tomlv **out)
{
	const unsigned char *p = t->p, *end = t->end, *s, *q;
	int neg = 0, base = 10, isfloat = 0;
	unsigned long long v = 0, lim;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (end - p >= 3 && (!memcmp(p, "inf", 3) || !memcmp(p, "nan", 3))) {
		q = p + 3;
		isfloat = 1;
		goto kept;
	}
	if (p + 1 < end && *p == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b')) {
		if (p != t->p)
			return perr(t, "a sign before a hexadecimal, octal or binary integer");
		base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2;
		p += 2;
	}
	if (!(q = run(p, end, base)))
		return perr(t, "an invalid number");
	if (base == 10 && *p == '0' && q - p > 1)
		return perr(t, "a decimal integer with a leading zero");
	if (base == 10 && q < end && (*q == '.' || *q == 'e' || *q == 'E')) {
		isfloat = 1;
		if (*q == '.' && !(q = run(q + 1, end, 10)))
			return perr(t, "an invalid float (digits must follow the point)");
		if (q < end && (*q == 'e' || *q == 'E')) {
			q++;
			if (q < end && (*q == '+' || *q == '-'))
				q++;
			if (!(q = run(q, end, 10)))
				return perr(t, "an invalid float exponent");
		}
		goto kept;
	}
	lim = neg ? 9223372036854775808ull : 9223372036854775807ull;
	for (s = p; s < q; s++) {
		unsigned h;

		if (*s == '_')
			continue;
		h = (unsigned)hexval(*s);
		if (v > (lim - h) / (unsigned)base)
			return perr(t, "an integer out of the 64-bit range");
		v = v * (unsigned)base + h;
	}
	*out = vnew(t, TOML_INT, t->line);
	(*out)->i = neg ? (long long)(0 - v) : (long long)v;
	t->p = q;
	return 0;
kept:
	*out = vnew(t, isfloat ? TOML_FLOAT : TOML_INT, t->line);
	(*out)->len = (size_t)(q - t->p);
	(*out)->s = xmalloc((*out)->len + 1);
	memcpy((*out)->s, t->p, (*out)->len);
	(*out)->s[(*out)->len] = 0;
	t->p = q;
	return 0;
}

static int array(struct tp *t, struct tomlv **out)
{
	struct tomlv *a = vnew(t, TOML_ARRAY, t->line), *v;

	*out = a;
	t->p++;
	for (;;) {
		if (skip_all(t))
			return -1;
		if (t->p < t->end && *t->p == ']')
			break;
		if (value(t, &v) || too_many(t))
			return -1;
		apush(a, v);
		if (skip_all(t))
			return -1;
		if (t->p < t->end && *t->p == ',') {
			t->p++;
			continue;
		}
		if (t->p < t->end && *t->p == ']')
			break;
		if (t->p == t->end)
			return perr(t, "an array not closed (']' expected)");
		return bad_char(t, "in an array (',' or ']' expected)");
	}
	t->p++;
	return 0;
}

static int inline_table(struct tp *t, struct tomlv **out)
{
	struct tomlv *tb = vnew(t, TOML_TABLE, t->line);
	int section = ++t->ids;

	tb->flags = T_INLINE;
	*out = tb;
	t->p++;
	skip_ws(t);
	if (t->p < t->end && *t->p == '}') {
		t->p++;
		return 0;
	}
	for (;;) {
		if (keyval(t, tb, section) || too_many(t))
			return -1;
		skip_ws(t);
		if (t->p < t->end && *t->p == ',') {
			t->p++;
			skip_ws(t);
			if (t->p < t->end && *t->p == '}')
				return perr(t, "a comma before the '}' of an inline table");
			continue;
		}
		if (t->p < t->end && *t->p == '}')
			break;
		if (t->p == t->end || at_nl(t))
			return perr(t, "an inline table not closed on its line ('}' expected)");
		return bad_char(t, "in an inline table (',' or '}' expected)");
	}
	t->p++;
	return 0;
}

static int word(const struct tp *t, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(t->end - t->p) >= n && !memcmp(t->p, w, n);
}

static int value(struct tp *t, struct tomlv **out)
{
	const unsigned char *p = t->p;
	int r;

	*out = NULL;
	if (p == t->end || at_nl(t))
		return perr(t, "a value expected before the end of the line");
	if (*p == '"' || *p == '\'') {
		struct buf b;

		buf_init(&b);
		*out = vnew(t, TOML_STRING, t->line);
		if (string(t, &b, 1)) {
			buf_free(&b);
			return -1;
		}
		(*out)->len = b.len;
		(*out)->s = b.s ? b.s : xstrdup("");
		return 0;
	}
	if (*p == '[' || *p == '{') {
		if (t->depth == TOML_MAX_DEPTH)
			return perr(t, "arrays and inline tables nested more than %d deep", TOML_MAX_DEPTH);
		t->depth++;
		r = *p == '[' ? array(t, out) : inline_table(t, out);
		t->depth--;
		return r;
	}
	if (word(t, "true") || word(t, "false")) {
		*out = vnew(t, TOML_BOOL, t->line);
		(*out)->i = *p == 't';
		t->p += *p == 't' ? 4 : 5;
		return 0;
	}
	if (digits(p, t->end, 4) && p + 4 < t->end && p[4] == '-')
		return datetime(t, out);
	if (digits(p, t->end, 2) && p + 2 < t->end && p[2] == ':')
		return datetime(t, out);
	if ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || word(t, "inf") || word(t, "nan"))
		return number(t, out);
	return bad_char(t, "where a value was expected");
}

/* KEY = VALUE, into TB (the current header's table, or an inline table) */
static int keyval(struct tp *t, struct tomlv *tb, int section)
{
	struct tkey k[TOML_MAX_PARTS];
	struct tomlv *v, *x;
	char name[256];
	int n, i, line = t->line;
	long at;

	if ((n = key(t, k)) < 0)
		return -1;
	if (t->p == t->end || *t->p != '=') {
		kname(name, sizeof name, k, n);
		keys_free(k, n);
		if (t->p == t->end || at_nl(t))
			return perr(t, "'=' expected after the key %s", name);
		return bad_char(t, "after a key ('=' expected)");
	}
	t->p++;
	skip_ws(t);
	if (value(t, &v)) {
		keys_free(k, n);
		return -1;
	}
	for (i = 0; i < n - 1; i++) {
		at = tfind(tb, k[i].s, k[i].n);
		if (at < 0) {
			x = vnew(t, TOML_TABLE, line);
			x->flags = T_DOTTED | (tb->flags & T_INLINE);
			x->section = section;
			tadd(tb, k[i].s, k[i].n, x);
			tb = x;
			continue;
		}
		x = tb->item[at];
		kname(name, sizeof name, k, i + 1);
		/* made by dotted keys of this section (or inline table), or only named on
		 * the way to a header's table: dotted keys may add to it */
		if (x->type == TOML_TABLE && (((x->flags & T_DOTTED) && x->section == section)
					      || !(x->flags & (T_HEADER | T_DOTTED | T_INLINE)))) {
			x->flags |= T_DOTTED;
			x->section = section;
			tb = x;
			continue;
		}
		keys_free(k, n);
		t->line = line;	/* the key's line, not the end of a multi-line value */
		if (x->type != TOML_TABLE)
			return perr(t, "%s is %s (line %d), not a table a dotted key can add to", name,
				    x->type == TOML_ARRAY && (x->flags & T_AOT) ? "an array of tables"
				    : toml_type_name(x->type), x->line);
		if (x->flags & T_INLINE)
			return perr(t, "%s is an inline table (line %d): it cannot be added to", name, x->line);
		return perr(t, "table %s is already defined (line %d): a dotted key cannot add to it", name, x->line);
	}
	at = tfind(tb, k[n - 1].s, k[n - 1].n);
	if (at >= 0) {
		kname(name, sizeof name, k, n);
		keys_free(k, n);
		t->line = line;
		return perr(t, "%s is defined twice (first at line %d)", name, tb->item[at]->line);
	}
	tadd(tb, k[n - 1].s, k[n - 1].n, v);
	keys_free(k, n);
	return 0;
}

/* [KEY] or [[KEY]]: the table that follows keys go into */
static int header(struct tp *t, struct tomlv **cur)
{
	struct tkey k[TOML_MAX_PARTS];
	struct tomlv *tb = t->doc->root, *x;
	int aot, n, i;
	char name[256];
	long at;

	aot = t->p + 1 < t->end && t->p[1] == '[';
	t->p += aot ? 2 : 1;
	if ((n = key(t, k)) < 0)
		return -1;
	kname(name, sizeof name, k, n);
	if (t->p == t->end || *t->p != ']' || (aot && (t->p + 1 == t->end || t->p[1] != ']'))) {
		keys_free(k, n);
		return perr(t, "'%s' expected to close the header [%s", aot ? "]]" : "]", name);
	}
	t->p += aot ? 2 : 1;
	for (i = 0; i < n; i++) {
		at = tfind(tb, k[i].s, k[i].n);
		if (at < 0) {
			x = vnew(t, TOML_TABLE, t->line);
			tadd(tb, k[i].s, k[i].n, x);
			if (i < n - 1) {
				tb = x;
				continue;
			}
			if (aot) {
				x->type = TOML_ARRAY;
				x->flags = T_AOT;
				apush(x, tb = vnew(t, TOML_TABLE, t->line));
				x = tb;
			}
			x->flags |= T_HEADER;
			tb = x;
			break;
		}
		x = tb->item[at];
		kname(name, sizeof name, k, i + 1);
		if (x->type == TOML_ARRAY && (x->flags & T_AOT)) {
			if (i == n - 1 && !aot) {
				keys_free(k, n);
				return perr(t, "[%s]: %s is an array of tables (line %d), not a table", name, name, x->line);
			}
			if (i == n - 1) {
				apush(x, tb = vnew(t, TOML_TABLE, t->line));
				tb->flags = T_HEADER;
				break;
			}
			tb = x->item[x->n - 1];
			continue;
		}
		if (x->type != TOML_TABLE) {
			keys_free(k, n);
			return perr(t, "%s is %s (line %d), not a table", name, toml_type_name(x->type), x->line);
		}
		if (x->flags & T_INLINE) {
			keys_free(k, n);
			return perr(t, "%s is an inline table (line %d): it cannot be added to", name, x->line);
		}
		if (i == n - 1) {
			if (aot || (x->flags & (T_HEADER | T_DOTTED))) {
				keys_free(k, n);
				if (aot)
					return perr(t, "[[%s]]: %s is a table (line %d), not an array of tables", name, name, x->line);
				if (!(x->flags & T_HEADER))
					return perr(t, "table [%s] is already defined by dotted keys (line %d)", name, x->line);
				return perr(t, "table [%s] is defined twice (first at line %d)", name, x->line);
			}
			x->flags |= T_HEADER;
			x->line = t->line;
		}
		tb = x;
	}
	keys_free(k, n);
	*cur = tb;
	t->section = ++t->ids;
	return 0;
}

/* Where the first byte that is not well-formed UTF-8 is: -1 with the error, or 0 */
static int check_utf8(struct tp *t)
{
	const unsigned char *p = t->p;
	unsigned long cp;
	size_t l;
	int line = 1;

	while (p < t->end) {
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (!(l = utf8_decode(p, (size_t)(t->end - p), &cp))) {
			t->line = line;
			return perr(t, "invalid UTF-8 (byte 0x%02X)", *p);
		}
		if (cp == 0xfeff && p == t->p) {
			t->line = line;
			return perr(t, "a byte order mark at the start");
		}
		p += l;
	}
	return 0;
}

int toml_parse(struct toml *doc, const char *text, size_t len, const char *what, struct err *e)
{
	struct tp t;
	struct tomlv *cur;

	memset(doc, 0, sizeof *doc);
	doc->what = what;
	memset(&t, 0, sizeof t);
	t.p = (const unsigned char *)text;
	t.end = t.p + len;
	t.line = 1;
	t.doc = doc;
	t.e = e;
	doc->root = cur = vnew(&t, TOML_TABLE, 1);
	doc->root->flags = T_HEADER;
	if (check_utf8(&t))
		goto fail;
	while (t.p < t.end) {
		if (too_many(&t))
			goto fail;
		skip_ws(&t);
		if (t.p == t.end)
			break;
		if (at_nl(&t)) {
			eat_nl(&t);
			continue;
		}
		if (*t.p == '#') {
			if (comment(&t) || eol(&t, "a comment"))
				goto fail;
		} else if (*t.p == '[') {
			if (header(&t, &cur) || eol(&t, "a table header"))
				goto fail;
		} else {
			if (keyval(&t, cur, t.section) || eol(&t, "a value"))
				goto fail;
		}
	}
	return 0;
fail:
	toml_free(doc);
	doc->what = what;
	return -1;
}

/* ---- the tree ---- */
const struct tomlv *toml_get(const struct tomlv *tb, const char *k)
{
	long at;

	if (!tb || tb->type != TOML_TABLE)
		return NULL;
	at = tfind(tb, k, strlen(k));
	return at < 0 ? NULL : tb->item[at];
}

int toml_is(const struct toml *doc, const struct tomlv *v, enum tomltype type, const char *name,
	    struct err *e)
{
	if (v->type == type)
		return 0;
	return err_set(e, "%s:%d: %s is %s, not %s", doc->what, v->line, name,
		       toml_type_name(v->type), toml_type_name(type));
}

int toml_want(const struct toml *doc, const struct tomlv *tb, const char *k, enum tomltype type,
	      const struct tomlv **out, struct err *e)
{
	const struct tomlv *v = toml_get(tb, k);

	*out = NULL;
	if (!v)
		return 0;
	if (toml_is(doc, v, type, k, e))
		return -1;
	*out = v;
	return 1;
}

int toml_get_str(const struct toml *doc, const struct tomlv *tb, const char *k, const char **s,
		 struct err *e)
{
	const struct tomlv *v;
	int r = toml_want(doc, tb, k, TOML_STRING, &v, e);

	*s = NULL;
	if (r <= 0)
		return r;
	if (memchr(v->s, 0, v->len))
		return err_set(e, "%s:%d: %s holds a NUL character", doc->what, v->line, k);
	*s = v->s;
	return 1;
}

int toml_get_int(const struct toml *doc, const struct tomlv *tb, const char *k, long long *i,
		 struct err *e)
{
	const struct tomlv *v;
	int r = toml_want(doc, tb, k, TOML_INT, &v, e);

	if (r > 0)
		*i = v->i;
	return r;
}

int toml_get_bool(const struct toml *doc, const struct tomlv *tb, const char *k, int *b,
		  struct err *e)
{
	const struct tomlv *v;
	int r = toml_want(doc, tb, k, TOML_BOOL, &v, e);

	if (r > 0)
		*b = (int)v->i;
	return r;
}
