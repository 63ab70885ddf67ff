/* pep440.c: versions, as the "Version specifiers" specification (PEP 440,
 * packaging.python.org) defines them: parsing with normalization, ordering, and the
 * normalized form; specifier.c matches specifier sets against them. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "py/py.h"

/* what a version in a given place may carry */
#define ALLOW_LOCAL	1
#define ALLOW_WILD	2

static int is_ws(int c)
{
	/* Python's str.isspace() in ASCII, as packaging's regular expressions see space */
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int is_sep(int c)
{
	return c == '.' || c == '-' || c == '_';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Digits at *PP into *OUT: 1 read, 0 none there, -1 past MAX. */
static int number(const char **pp, unsigned long max, unsigned long *out)
{
	const char *p = *pp;
	unsigned long n = 0;

	if (!is_digit(*p))
		return 0;
	for (; is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (n > (max - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*pp = p;
	*out = n;
	return 1;
}

/* Advance past W when it starts *PP, ignoring case. */
static int word(const char **pp, const char *w)
{
	size_t n = strlen(w), i;

	for (i = 0; i < n; i++)
		if (tolower((unsigned char)(*pp)[i]) != w[i])
			return 0;
	*pp += n;
	return 1;
}

/* The first of WORDS (longest spellings listed first) at *PP; its index, or -1. */
static int keyword(const char **pp, const char *const *words, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (word(pp, words[i]))
			return i;
	return -1;
}

/* After a pre/post/dev keyword: an optional separator and an optional number (default 0). */
static int kw_number(const char **pp, unsigned long max, unsigned long *out)
{
	const char *p = *pp;
	int r;

	if (is_sep(*p))
		p++;
	*out = 0;
	r = number(&p, max, out);
	if (r < 0)
		return -1;
	*pp = p;
	return 0;
}

static int parse_release(const char **pp, struct pep440 *v)
{
	const char *p = *pp;

	for (;;) {
		if (v->nrel == 16 || number(&p, ULONG_MAX, &v->rel[v->nrel]) != 1)
			return -1;
		v->nrel++;
		if (p[0] != '.' || !is_digit(p[1]))
			break;
		p++;
	}
	*pp = p;
	return 0;
}

static int parse_pre(const char **pp, struct pep440 *v)
{
	static const char *const words[] = {
		"alpha", "a", "beta", "b", "preview", "pre", "c", "rc"
	};
	static const char kinds[] = "aabbcccc";
	const char *p = *pp;
	int k;

	if (is_sep(*p))
		p++;
	k = keyword(&p, words, 8);
	if (k < 0)
		return 0;
	v->pre_kind = kinds[k];
	if (kw_number(&p, ULONG_MAX, &v->pre))
		return -1;
	*pp = p;
	return 0;
}

static int parse_post(const char **pp, struct pep440 *v)
{
	static const char *const words[] = { "post", "rev", "r" };
	const char *p = *pp;
	unsigned long n = 0;

	if (p[0] == '-' && is_digit(p[1])) {	/* "1.0-1" is 1.0.post1 */
		p++;
		if (number(&p, LONG_MAX, &n) < 0)
			return -1;
	} else {
		if (is_sep(*p))
			p++;
		if (keyword(&p, words, 3) < 0)
			return 0;
		if (kw_number(&p, LONG_MAX, &n))
			return -1;
	}
	v->post = (long)n;
	*pp = p;
	return 0;
}

static int parse_dev(const char **pp, struct pep440 *v)
{
	static const char *const words[] = { "dev" };
	const char *p = *pp;
	unsigned long n = 0;

	if (is_sep(*p))
		p++;
	if (keyword(&p, words, 1) < 0)
		return 0;
	if (kw_number(&p, LONG_MAX, &n))
		return -1;
	v->dev = (long)n;
	*pp = p;
	return 0;
}

/* One local segment, lowercased, numbers without their leading zeros (as they compare). */
static int local_segment(const char **pp, char *out, size_t *len)
{
	const char *p = *pp, *s = p;
	int numeric = 1;

	while (isalnum((unsigned char)*p)) {
		numeric &= is_digit(*p);
		p++;
	}
	if (p == s)
		return -1;
	if (numeric)
		while (s + 1 < p && *s == '0')
			s++;
	for (; s < p; s++) {
		if (*len + 1 >= sizeof ((struct pep440 *)0)->local)
			return -1;
		out[(*len)++] = (char)tolower((unsigned char)*s);
	}
	*pp = p;
	return 0;
}

/* "+abc.1-x_y": segments joined by '.', or -1 when empty, malformed or too long. */
static int parse_local(const char **pp, struct pep440 *v)
{
	const char *p = *pp + 1;
	size_t len = 0;

	for (;;) {
		if (local_segment(&p, v->local, &len))
			return -1;
		if (!is_sep(*p))
			break;
		if (len + 1 >= sizeof v->local)
			return -1;
		v->local[len++] = '.';
		p++;
	}
	v->local[len] = 0;
	*pp = p;
	return 0;
}

/* A version without surrounding space, from *PP; leaves *PP after it. *WILD is set when
 * ALLOW_WILD and the release ends in ".*". */
static int parse_body(const char **pp, struct pep440 *v, int allow, int *wild)
{
	const char *p = *pp, *q;

	memset(v, 0, sizeof *v);
	v->post = v->dev = -1;
	if (wild)
		*wild = 0;
	if (*p == 'v' || *p == 'V')
		p++;
	q = p;
	if (number(&q, ULONG_MAX, &v->epoch) == 1 && *q == '!')
		p = q + 1;
	else
		v->epoch = 0;
	if (parse_release(&p, v))
		return -1;
	if ((allow & ALLOW_WILD) && p[0] == '.' && p[1] == '*') {
		*wild = 1;
		*pp = p + 2;
		return 0;
	}
	if (parse_pre(&p, v) || parse_post(&p, v) || parse_dev(&p, v))
		return -1;
	if ((allow & ALLOW_LOCAL) && *p == '+' && parse_local(&p, v))
		return -1;
	*pp = p;
	return 0;
}

int pep440_parse(const char *s, struct pep440 *v)
{
	const char *p = s;

	while (is_ws(*p))
		p++;
	if (parse_body(&p, v, ALLOW_LOCAL, NULL))
		return -1;
	while (is_ws(*p))
		p++;
	return *p ? -1 : 0;
}

int pep440_parse_spec(const char *s, struct pep440 *v, int *wild)
{
	const char *p = s;

	if (parse_body(&p, v, wild ? ALLOW_LOCAL | ALLOW_WILD : 0, wild))
		return -1;
	return *p ? -1 : 0;
}

static int cmp_ul(unsigned long a, unsigned long b)
{
	return (a > b) - (a < b);
}

static int cmp_release(const struct pep440 *a, const struct pep440 *b)
{
	int i, n = a->nrel > b->nrel ? a->nrel : b->nrel, c;

	for (i = 0; i < n; i++) {
		c = cmp_ul(i < a->nrel ? a->rel[i] : 0, i < b->nrel ? b->rel[i] : 0);
		if (c)
			return c;
	}
	return 0;
}

/* Where the pre-release part puts a version: a dev release of a final (1.0.dev1) before
 * every pre-release, pre-releases by kind and number, everything else after. */
static int cmp_pre(const struct pep440 *a, const struct pep440 *b)
{
	int ra = a->pre_kind ? 1 : (a->post < 0 && a->dev >= 0) ? 0 : 2;
	int rb = b->pre_kind ? 1 : (b->post < 0 && b->dev >= 0) ? 0 : 2;

	if (ra != rb)
		return ra - rb;
	if (ra != 1)
		return 0;
	if (a->pre_kind != b->pre_kind)
		return a->pre_kind - b->pre_kind;
	return cmp_ul(a->pre, b->pre);
}

/* Numeric local segments (already without leading zeros) compare by length, then digits. */
static int cmp_local_seg(const char *a, size_t na, const char *b, size_t nb)
{
	int da = strspn(a, "0123456789") >= na, db = strspn(b, "0123456789") >= nb, c;
	size_t n = na < nb ? na : nb;

	if (da != db)
		return da - db;	/* a number sorts after letters */
	if (da && na != nb)
		return na < nb ? -1 : 1;
	c = memcmp(a, b, n);
	if (c)
		return c;
	return (na > nb) - (na < nb);
}

static int cmp_local(const char *a, const char *b)
{
	size_t na, nb;
	int c;

	if (!*a || !*b)
		return (*a != 0) - (*b != 0);	/* no local version sorts first */
	for (;;) {
		na = strcspn(a, ".");
		nb = strcspn(b, ".");
		c = cmp_local_seg(a, na, b, nb);
		if (c)
			return c;
		a += na;
		b += nb;
		if (!*a || !*b)
			return (*a != 0) - (*b != 0);
		a++;
		b++;
	}
}

int pep440_cmp(const struct pep440 *a, const struct pep440 *b)
{
	int c;

	if ((c = cmp_ul(a->epoch, b->epoch)) || (c = cmp_release(a, b)) || (c = cmp_pre(a, b)))
		return c;
	if (a->post != b->post)
		return a->post < b->post ? -1 : 1;	/* none (-1) first */
	if (a->dev != b->dev) {
		if (a->dev < 0 || b->dev < 0)
			return a->dev < 0 ? 1 : -1;	/* none last */
		return a->dev < b->dev ? -1 : 1;
	}
	return cmp_local(a->local, b->local);
}

/* The normalized form of V appended to B: str(packaging.version.Version), and what "==="
 * compares. */
static void format(struct buf *b, const struct pep440 *v)
{
	static const char *const pre[] = { "a", "b", "rc" };
	int i;

	if (v->epoch)
		buf_printf(b, "%lu!", v->epoch);
	for (i = 0; i < v->nrel; i++)
		buf_printf(b, "%s%lu", i ? "." : "", v->rel[i]);
	if (v->pre_kind)
		buf_printf(b, "%s%lu", pre[v->pre_kind - 'a'], v->pre);
	if (v->post >= 0)
		buf_printf(b, ".post%ld", v->post);
	if (v->dev >= 0)
		buf_printf(b, ".dev%ld", v->dev);
	if (v->local[0])
		buf_printf(b, "+%s", v->local);
}

void pep440_str(const struct pep440 *v, char *out, size_t n)
{
	struct buf b;

	buf_init(&b);
	format(&b, v);
	snprintf(out, n, "%s", b.s ? b.s : "");
	buf_free(&b);
}

char *pep440_normalize(const char *s)
{
	struct pep440 v;
	struct buf b;

	if (pep440_parse(s, &v))
		return NULL;
	buf_init(&b);
	format(&b, &v);
	return b.s;	/* never NULL: a version has a release */
}

int pep440_cmp_str(const char *a, const char *b, int *cmp)
{
	struct pep440 x, y;

	if (!a || !b || pep440_parse(a, &x) || pep440_parse(b, &y))
		return -1;
	*cmp = pep440_cmp(&x, &y);
	return 0;
}

int pep440_at_least(const char *a, const char *b)
{
	int c;

	return pep440_cmp_str(a, b, &c) == 0 && c >= 0;
}
