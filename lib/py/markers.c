/* markers.c: PEP 508 environment markers, parsed and evaluated for a target interpreter
 * that is never run: its values come from struct pyinfo and uname(2), as Python's
 * platform module reports them; comparisons as the packaging library makes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "py/py.h"

/* The names a marker may use, with the older dotted spellings packaging still reads. */
static const struct {
	const char *name;
	int key;
} names[] = {
	{ "python_version", MK_PYTHON_VERSION }, { "python_full_version", MK_PYTHON_FULL_VERSION },
	{ "implementation_name", MK_IMPLEMENTATION_NAME },
	{ "implementation_version", MK_IMPLEMENTATION_VERSION },
	{ "platform_python_implementation", MK_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "platform.python_implementation", MK_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "python_implementation", MK_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "sys_platform", MK_SYS_PLATFORM }, { "sys.platform", MK_SYS_PLATFORM },
	{ "os_name", MK_OS_NAME }, { "os.name", MK_OS_NAME },
	{ "platform_system", MK_PLATFORM_SYSTEM }, { "platform_machine", MK_PLATFORM_MACHINE },
	{ "platform.machine", MK_PLATFORM_MACHINE }, { "platform_release", MK_PLATFORM_RELEASE },
	{ "platform_version", MK_PLATFORM_VERSION }, { "platform.version", MK_PLATFORM_VERSION },
	{ "extra", MK_EXTRA }, { "extras", MK_EXTRAS }, { "dependency_groups", MK_GROUPS },
};

void markerenv_init(struct markerenv *m, const struct pyinfo *py)
{
	struct utsname u;
	size_t n;

	memset(m, 0, sizeof *m);
	snprintf(m->v[MK_PYTHON_VERSION], sizeof m->v[0], "%d.%d", py->major, py->minor);
	snprintf(m->v[MK_PYTHON_FULL_VERSION], sizeof m->v[0], "%s", py->version);
	n = strcspn(m->v[MK_PYTHON_FULL_VERSION], "+");	/* a build's local suffix is not part */
	m->v[MK_PYTHON_FULL_VERSION][n] = 0;
	snprintf(m->v[MK_IMPLEMENTATION_NAME], sizeof m->v[0], "%s", py->pypy ? "pypy" : "cpython");
	snprintf(m->v[MK_IMPLEMENTATION_VERSION], sizeof m->v[0], "%s",
		 py->pypy ? py->impl_version : m->v[MK_PYTHON_FULL_VERSION]);
	snprintf(m->v[MK_PLATFORM_PYTHON_IMPLEMENTATION], sizeof m->v[0], "%s", py->pypy ? "PyPy" : "CPython");
	strcpy(m->v[MK_SYS_PLATFORM], "linux");
	strcpy(m->v[MK_OS_NAME], "posix");
	if (uname(&u) == 0) {
		snprintf(m->v[MK_PLATFORM_SYSTEM], sizeof m->v[0], "%s", u.sysname);
		snprintf(m->v[MK_PLATFORM_MACHINE], sizeof m->v[0], "%s", u.machine);
		snprintf(m->v[MK_PLATFORM_RELEASE], sizeof m->v[0], "%s", u.release);
		snprintf(m->v[MK_PLATFORM_VERSION], sizeof m->v[0], "%s", u.version);
	}
}

struct mparse {
	const char *s, *p;	/* the marker, and where parsing is */
	const struct markerenv *env;
	struct err *e;
};

static int is_space(int c)
{
	return c == ' ' || c == '\t';
}

static void skip(struct mparse *m)
{
	while (is_space((unsigned char)*m->p))
		m->p++;
}

static int fail(struct mparse *m, const char *what)
{
	return err_set(m->e, "invalid marker '%.300s': %s at column %d", m->s, what, (int)(m->p - m->s) + 1);
}

/* A word of letters, digits, '_' and '.' at P: its length. */
static size_t word(const char *p)
{
	size_t n = 0;

	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9')
	       || p[n] == '_' || p[n] == '.')
		n++;
	return n;
}

/* Is the word at P the keyword KW? */
static int keyword(const char *p, const char *kw)
{
	size_t n = strlen(kw);

	return !strncmp(p, kw, n) && word(p) == n;
}

/* One side: a quoted string (into OUT, *KEY -1) or a variable (*KEY its number). */
static int operand(struct mparse *m, char *out, size_t outsz, int *key)
{
	size_t n, i;
	char q = *m->p;

	skip(m);
	q = *m->p;
	if (q == '"' || q == '\'') {
		const char *end = strchr(m->p + 1, q);

		if (!end)
			return fail(m, "a string is not closed");
		n = (size_t)(end - m->p - 1);
		if (n >= outsz)
			return fail(m, "a string is too long");
		memcpy(out, m->p + 1, n);
		out[n] = 0;
		m->p = end + 1;
		*key = -1;
		return 0;
	}
	n = word(m->p);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && !strncmp(m->p, names[i].name, n)) {
			*key = names[i].key;
			m->p += n;
			return 0;
		}
	return fail(m, n ? "an unknown variable" : "a variable or a quoted string expected");
}

static int marker_op(struct mparse *m, char op[4])
{
	static const char *ops[] = { "===", "==", "!=", "<=", ">=", "~=", "<", ">" };
	size_t i;

	skip(m);
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (!strncmp(m->p, ops[i], strlen(ops[i]))) {
			strcpy(op, ops[i]);
			m->p += strlen(ops[i]);
			return 0;
		}
	if (keyword(m->p, "in")) {
		strcpy(op, "in");
		m->p += 2;
		return 0;
	}
	if (keyword(m->p, "not")) {
		m->p += 3;
		skip(m);
		if (keyword(m->p, "in")) {
			strcpy(op, "!in");
			m->p += 2;
			return 0;
		}
	}
	return fail(m, "a comparison operator expected");
}

static int version_key(int key)
{
	return key == MK_PYTHON_VERSION || key == MK_PYTHON_FULL_VERSION ||
	       key == MK_IMPLEMENTATION_VERSION || key == MK_PLATFORM_RELEASE;
}

/* Is NAME (normalized as PEP 685 says) among the N names LIST? An empty list is one "". */
static int in_set(const char *name, char *const *list, size_t n)
{
	char *a = name_normalize(name), *b;
	size_t i;
	int r = !n && !*a;

	for (i = 0; i < n && !r; i++) {
		b = name_normalize(list[i]);
		r = !strcmp(a, b);
		free(b);
	}
	free(a);
	return r;
}

/* LHS OP RHS for the variable KEY, as packaging compares: the version variables as a
 * version specifier OP RHS containing LHS (pre-releases admitted; a version that is not
 * one is contained in none) when OP RHS is one; else as strings, where <= and >= are ==,
 * < and > are false, and ~= and === are undefined. */
static int compare(struct mparse *m, const char *lhs, const char *op, const char *rhs, int key)
{
	char spec[600];
	struct err ignored;
	int r;

	if (!strcmp(op, "in"))
		return strstr(rhs, lhs) != NULL;
	if (!strcmp(op, "!in"))
		return strstr(rhs, lhs) == NULL;
	if (version_key(key) && !strchr(rhs, ',')) {
		snprintf(spec, sizeof spec, "%s%s", op, rhs);
		if (pep440_match(spec, "0", &ignored) >= 0) {	/* a valid specifier */
			r = pep440_match(spec, lhs, &ignored);
			return r < 0 ? 0 : r;
		}
	}
	if (!strcmp(op, "==") || !strcmp(op, "<=") || !strcmp(op, ">="))
		return !strcmp(lhs, rhs);
	if (!strcmp(op, "!="))
		return strcmp(lhs, rhs) != 0;
	if (!strcmp(op, "<") || !strcmp(op, ">"))
		return 0;
	return err_set(m->e, "invalid marker '%.300s': '%s' is not defined between '%.100s' and '%.100s'",
		       m->s, op, lhs, rhs);
}

/* One comparison. Both sides are parsed before anything is evaluated. */
static int comparison(struct mparse *m)
{
	char a[512], b[512], op[4];
	const struct markerenv *env = m->env;
	int ka, kb, key;
	const char *lhs, *rhs;

	if (operand(m, a, sizeof a, &ka) || marker_op(m, op) || operand(m, b, sizeof b, &kb))
		return -1;
	if ((ka < 0) == (kb < 0))
		return fail(m, ka < 0 ? "two strings compared (one side must be a variable)" :
			    "two variables compared (one side must be a quoted string)");
	key = ka >= 0 ? ka : kb;
	if (key == MK_EXTRAS || key == MK_GROUPS) {	/* sets: "name" in extras */
		if (kb != key || (strcmp(op, "in") && strcmp(op, "!in")))
			return fail(m, "extras and dependency_groups are sets: only '\"name\" in' them");
		if (!env)
			return 1;
		return in_set(a, key == MK_EXTRAS ? env->extras : env->groups,
			      key == MK_EXTRAS ? env->nextras : env->ngroups) == !strcmp(op, "in");
	}
	if (!env)
		return 1;
	if (key == MK_EXTRA) {	/* the extras a distribution is installed with, as a set */
		if (strcmp(op, "==") && strcmp(op, "!="))
			return err_set(m->e, "invalid marker '%.300s': extra can only be compared with == and !=", m->s);
		return in_set(ka < 0 ? a : b, env->extras, env->nextras) == !strcmp(op, "==");
	}
	if (key == MK_IMPLEMENTATION_VERSION && !env->v[key][0])
		return err_set(m->e, "marker '%.300s': implementation_version of this interpreter is not known without running it",
			       m->s);
	lhs = ka >= 0 ? env->v[ka] : a;
	rhs = kb >= 0 ? env->v[kb] : b;
	return compare(m, lhs, op, rhs, key);
}

static int or_expr(struct mparse *m, int depth);

static int atom(struct mparse *m, int depth)
{
	int r;

	skip(m);
	if (*m->p != '(')
		return comparison(m);
	if (depth > 64)
		return fail(m, "parentheses nested too deep");
	m->p++;
	r = or_expr(m, depth + 1);
	skip(m);
	if (r >= 0 && *m->p != ')')
		return fail(m, "')' expected");
	m->p++;
	return r;
}

/* LEVEL 1: atoms joined by 'and'; LEVEL 0: those joined by 'or'. */
static int chain(struct mparse *m, int depth, int level)
{
	const char *kw = level ? "and" : "or";
	int r = level ? atom(m, depth) : chain(m, depth, 1), s;

	while (r >= 0) {
		skip(m);
		if (!keyword(m->p, kw))
			break;
		m->p += strlen(kw);
		s = level ? atom(m, depth) : chain(m, depth, 1);
		r = s < 0 ? -1 : level ? r && s : r || s;
	}
	return r;
}

static int or_expr(struct mparse *m, int depth)
{
	return chain(m, depth, 0);
}

/* 1 when MARKER holds in ENV (NULL: only its syntax checked, then 1), 0 when not; -1 with E
 * when it is not a valid marker or cannot be evaluated. */
int marker_eval(const char *marker, const struct markerenv *env, struct err *e)
{
	struct mparse m = { marker, marker, env, e };
	int r = or_expr(&m, 0);

	if (r < 0)
		return -1;
	skip(&m);
	if (*m.p)
		return fail(&m, "'and', 'or' or the end expected");
	return r;
}
