/* pep440.c: versions and version specifiers, as the "Version specifiers" specification
 * (PEP 440, packaging.python.org) defines them: parsing with normalization, ordering, and
 * matching a specifier set the way installers check Requires-Python (pre-releases admitted). */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "py/py.h"

/* what a version in a given place may carry */
#define ALLOW_LOCAL	1
#define ALLOW_WILD	2

enum op { OP_COMPAT, OP_EQ, OP_NE, OP_LE, OP_GE, OP_LT, OP_GT, OP_ARB };

struct clause {
	enum op op;
	struct pep440 v;
	int wild;		/* "==X.Y.*" / "!=X.Y.*" */
	char arb[256];		/* the string of "===" */
};

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

/* ---- specifiers ---- */

static int is_pre(const struct pep440 *v)
{
	return v->pre_kind || v->dev >= 0;
}

/* Same epoch and release (zeros padded): the spec's "base version" equality. */
static int same_base(const struct pep440 *a, const struct pep440 *b)
{
	return a->epoch == b->epoch && !cmp_release(a, b);
}

/* The candidate without its local part, which most operators ignore. */
static struct pep440 public_of(const struct pep440 *v)
{
	struct pep440 p = *v;

	p.local[0] = 0;
	return p;
}

/* "==P.*": the candidate's release, padded with zeros, starts with P's. */
static int prefix_match(const struct pep440 *c, const struct pep440 *p, int nrel)
{
	int i;

	if (c->epoch != p->epoch)
		return 0;
	for (i = 0; i < nrel; i++)
		if ((i < c->nrel ? c->rel[i] : 0) != p->rel[i])
			return 0;
	return 1;
}

static int match_eq(const struct clause *k, const struct pep440 *c)
{
	struct pep440 pub = public_of(c);

	if (k->wild)
		return prefix_match(c, &k->v, k->v.nrel);
	return pep440_cmp(k->v.local[0] ? c : &pub, &k->v) == 0;
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

static int match_clause(const struct clause *k, const struct pep440 *c)
{
	struct pep440 pub = public_of(c);
	char s[256];

	switch (k->op) {
	case OP_EQ:
		return match_eq(k, c);
	case OP_NE:
		return !match_eq(k, c);
	case OP_COMPAT:	/* ~=X.Y.Z is >=X.Y.Z together with ==X.Y.* */
		return pep440_cmp(&pub, &k->v) >= 0 && prefix_match(c, &k->v, k->v.nrel - 1);
	case OP_LE:
		return pep440_cmp(&pub, &k->v) <= 0;
	case OP_GE:
		return pep440_cmp(&pub, &k->v) >= 0;
	case OP_LT:	/* <V never admits a pre-release of V itself, unless V is one */
		return pep440_cmp(c, &k->v) < 0 &&
		       !(!is_pre(&k->v) && is_pre(c) && same_base(c, &k->v));
	case OP_GT:	/* >V never admits V's post-releases (unless V is one) nor V+local */
		return pep440_cmp(c, &k->v) > 0 &&
		       !(k->v.post < 0 && c->post >= 0 && same_base(c, &k->v)) &&
		       !(c->local[0] && same_base(c, &k->v));
	case OP_ARB:
		pep440_str(c, s, sizeof s);
		return strcasecmp(s, k->arb) == 0;
	}
	return 0;
}

/* The operator at *PP; advances past it. */
static int parse_op(const char **pp, enum op *op)
{
	static const struct {
		const char *s;
		enum op op;
	} ops[] = {
		{ "===", OP_ARB }, { "~=", OP_COMPAT }, { "==", OP_EQ }, { "!=", OP_NE },
		{ "<=", OP_LE }, { ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT },
	};
	size_t i, n;

	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		n = strlen(ops[i].s);
		if (!strncmp(*pp, ops[i].s, n)) {
			*pp += n;
			*op = ops[i].op;
			return 0;
		}
	}
	return -1;
}

/* "===" takes anything but whitespace, ';' and ')' (those end a requirement). */
static int parse_arbitrary(const char *p, struct clause *k)
{
	size_t n = 0;

	while (p[n] && !is_ws((unsigned char)p[n]) && p[n] != ';' && p[n] != ')')
		n++;

	if (p[n] || n >= sizeof k->arb)
		return -1;
	memcpy(k->arb, p, n + 1);
	return 0;
}

/* One clause, NUL-terminated and already trimmed. */
static int parse_clause(const char *s, struct clause *k)
{
	const char *p = s;
	int allow = 0;

	memset(k, 0, sizeof *k);
	if (parse_op(&p, &k->op))
		return -1;
	while (is_ws(*p))
		p++;
	if (k->op == OP_ARB)
		return parse_arbitrary(p, k);
	if (k->op == OP_EQ || k->op == OP_NE)
		allow = ALLOW_LOCAL | ALLOW_WILD;
	if (parse_body(&p, &k->v, allow, &k->wild) || *p)
		return -1;
	if (k->op == OP_COMPAT && k->v.nrel < 2)
		return -1;
	return 0;
}

/* The clause in [S, S+N) without surrounding space into OUT; 0 ok, -1 too long. */
static int trim_copy(const char *s, size_t n, char *out, size_t outsz)
{
	while (n && is_ws(*s))
		s++, n--;
	while (n && is_ws(s[n - 1]))
		n--;
	if (n >= outsz)
		return -1;
	memcpy(out, s, n);
	out[n] = 0;
	return 0;
}

/* Each clause of SPECS in turn; with C, whether all match, else whether all are valid. */
static int walk(const char *specs, const struct pep440 *c, struct err *e)
{
	struct clause k;
	char text[300];
	const char *p = specs, *end;
	int ok = 1;

	for (; *p; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ",");
		if (trim_copy(p, (size_t)(end - p), text, sizeof text))
			return err_set(e, "version specifier clause '%.60s...' is too long", p);
		if (!*text)
			continue;
		if (parse_clause(text, &k))
			return err_set(e, "'%s' is not a valid version specifier (in '%.200s')",
				       text, specs);
		if (c && !match_clause(&k, c))
			ok = 0;
	}
	return ok;
}

/* Semantics: packaging's SpecifierSet(SPECS).contains(VERSION, prereleases=True), which is
 * how Requires-Python is checked: a pre-release interpreter is not refused for being one.
 * Empty clauses (",,") are skipped as there. The set is checked whole before VERSION, so
 * an invalid clause is reported even after a failing one; an invalid VERSION is an error. */
int pep440_match(const char *specs, const char *version, struct err *e)
{
	struct pep440 c;

	if (walk(specs, NULL, e) < 0)
		return -1;
	if (pep440_parse(version, &c))
		return err_set(e, "'%.100s' is not a valid version", version);
	return walk(specs, &c, e);
}
