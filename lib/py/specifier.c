/* specifier.c: version specifier sets (the "Version specifiers" specification, PEP 440),
 * matched the way installers check Requires-Python: pre-releases admitted. */
#include <string.h>
#include <strings.h>
#include "py/py.h"

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

static int is_pre(const struct pep440 *v)
{
	return v->pre_kind || v->dev >= 0;
}

/* Release segment I of V, zero past its end (as releases compare). */
static unsigned long segment(const struct pep440 *v, int i)
{
	return i < v->nrel ? v->rel[i] : 0;
}

/* Same epoch and release (zeros padded): the spec's "base version" equality. */
static int same_base(const struct pep440 *a, const struct pep440 *b)
{
	int i, n = a->nrel > b->nrel ? a->nrel : b->nrel;

	if (a->epoch != b->epoch)
		return 0;
	for (i = 0; i < n; i++)
		if (segment(a, i) != segment(b, i))
			return 0;
	return 1;
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
		if (segment(c, i) != p->rel[i])
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

	memset(k, 0, sizeof *k);
	if (parse_op(&p, &k->op))
		return -1;
	while (is_ws(*p))
		p++;
	if (k->op == OP_ARB)
		return parse_arbitrary(p, k);
	if (pep440_parse_spec(p, &k->v, k->op == OP_EQ || k->op == OP_NE ? &k->wild : NULL))
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
