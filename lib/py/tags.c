/* tags.c: wheel compatibility tags (the "Platform compatibility tags" specification, with
 * manylinux from PEP 600 and musllinux from PEP 656) checked against an interpreter and the
 * platform platform.c found it runs on. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "py/py.h"

#define TAGS_MAX	1024		/* the whole compressed tag set */
#define TAG_MAX		64		/* one tag */
#define TAGS_EACH	32		/* tags in one '.'-compressed part */

struct tagset {
	char buf[TAGS_MAX + 1];
	const char *tag[3][TAGS_EACH];	/* python, abi, platform */
	int n[3];
};

/* What the tags are checked against. */
struct target {
	const struct pyinfo *py;
	const struct platform *plat;
	char abi[24];		/* cp311, cp313t, cp37m */
	char abi_release[24];	/* a debug build since 3.8 also loads release extensions */
	char libc[40];		/* "glibc 2.36", for messages */
};

static void say(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (!why || !n)
		return;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

/* "py2.py3-none-any" into its three '.'-compressed parts, lowercased; -1 when malformed. */
static int tags_split(const char *tags, struct tagset *t)
{
	size_t len = strnlen(tags, TAGS_MAX + 1), i, start = 0;
	int part = 0;

	if (len > TAGS_MAX)
		return -1;
	memset(t->n, 0, sizeof t->n);
	for (i = 0; i <= len; i++) {
		char c = tags[i];

		if (c && c != '.' && c != '-') {
			if (c != '_' && !(c >= '0' && c <= '9') && !((c | 32) >= 'a' && (c | 32) <= 'z'))
				return -1;
			t->buf[i] = (char)(c >= 'A' && c <= 'Z' ? c | 32 : c);
			continue;
		}
		t->buf[i] = 0;
		if (i == start || i - start >= TAG_MAX || t->n[part] == TAGS_EACH)
			return -1;
		t->tag[part][t->n[part]++] = t->buf + start;
		start = i + 1;
		if (c == '-' && ++part > 2)
			return -1;
	}
	return part == 2 ? 0 : -1;
}

/* "cp311" -> "cp", 3, 11; "py3" -> "py", 3, -1. -1 when not letters then 1-4 digits. */
static int python_tag(const char *t, char impl[3], int *x, int *y)
{
	size_t nd = strspn(t + 2, "0123456789");

	if (strlen(t) < 3 || !((t[0] | 32) >= 'a' && (t[0] | 32) <= 'z') ||
	    !((t[1] | 32) >= 'a' && (t[1] | 32) <= 'z') || t[2 + nd] || nd > 4)
		return -1;
	memcpy(impl, t, 2);
	impl[2] = 0;
	*x = t[2] - '0';
	*y = nd > 1 ? atoi(t + 3) : -1;
	return 0;
}

/* A stable ABI tag: abi3, or abi3t, the free-threaded builds' own (PEP 803). */
static int stable_abi(const char *abi)
{
	return !strcmp(abi, "abi3") || !strcmp(abi, "abi3t");
}

/* Stage 1: the python tag, which for cp3Y older than this interpreter needs a stable ABI;
 * PyPy takes its own ppXY and the generic pyX[Y], never a CPython tag. */
static int check_python(const struct target *g, const char *pt, const char *abi,
			char *m, size_t n)
{
	const char *what, *own = g->py->pypy ? "pp" : "cp";
	char impl[3];
	int x, y, major = g->py->major, minor = g->py->minor;

	if (python_tag(pt, impl, &x, &y) || (strcmp(impl, own) && strcmp(impl, "py"))) {
		say(m, n, "python tag %s is not for %s", pt, g->py->pypy ? "PyPy" : "CPython");
		return -1;
	}
	what = !strcmp(impl, "py") ? "Python" : g->py->pypy ? "PyPy" : "CPython";
	if (strcmp(impl, "py") && y < 0) {
		say(m, n, "python tag %s names no %s minor version (%s%d%d)", pt, what, own, major, minor);
		return -1;
	}
	if (x == major && (y < 0 || y == minor || (y < minor && (!strcmp(impl, "py") ||
	    (stable_abi(abi) && y >= 2)))))
		return 0;
	if (y < 0)
		say(m, n, "needs Python %d (%s), this is %d.%d", x, pt, major, minor);
	else
		say(m, n, "needs %s %d.%d (%s), this is %d.%d", what, x, y, pt, major, minor);
	return -1;
}

/* Stage 2: the ABI tag, given a python tag that passed. */
static int check_abi(const struct target *g, const char *pt, const char *abi, char *m, size_t n)
{
	const char *own = g->py->pypy ? "pp" : "cp";
	int native = !strncmp(pt, own, 2);

	if (!strcmp(abi, "none"))
		return 0;
	if (stable_abi(abi)) {
		int ft = strchr(g->py->abiflags, 't') != NULL;

		if (g->py->pypy)
			say(m, n, "abi %s is CPython's stable ABI, which PyPy does not load (%s)", abi, g->abi);
		else if (!native)
			say(m, n, "abi %s goes with a CPython python tag (cp3Y), not %s", abi, pt);
		else if (ft && !abi[4])
			say(m, n, "abi abi3 is not available on a free-threaded build (%s), whose stable ABI is abi3t", g->abi);
		else if (!ft && abi[4])
			say(m, n, "abi abi3t is the stable ABI of free-threaded builds, this is %s", g->abi);
		else if (g->py->major != 3)
			say(m, n, "abi abi3 is for CPython 3, this is %s", g->abi);
		else
			return 0;
		return -1;
	}
	if (strcmp(abi, g->abi) && strcmp(abi, g->abi_release))
		say(m, n, "abi %s is not this interpreter's (%s)", abi, g->abi);
	else if (!native)
		say(m, n, "abi %s goes with python tag %s%d%d, not %s", abi, own, g->py->major,
		    g->py->minor, pt);
	else
		return 0;
	return -1;
}

/* Digits then '_' at *PP into *V (at most 6 of them); advances past the '_'. */
static int tag_number(const char **pp, int *v)
{
	const char *p = *pp;
	size_t nd = strspn(p, "0123456789");

	if (!nd || nd > 6 || p[nd] != '_')
		return -1;
	*v = atoi(p);
	*pp = p + nd + 1;
	return 0;
}

/* The legacy manylinux names (PEP 513, 571, 599) as glibc 2.Y: 1, or 2 when the name was
 * not defined for that architecture, 0 when not one of them. */
static int manylinux_legacy(const char *t, const char **arch, int *minor)
{
	static const struct {
		const char *name, *archs;
		int minor;
	} legacy[] = {
		{ "manylinux1_", " x86_64 i686 ", 5 },
		{ "manylinux2010_", " x86_64 i686 ", 12 },
		{ "manylinux2014_", " x86_64 i686 aarch64 armv7l ppc64 ppc64le s390x ", 17 },
	};
	char pad[TAG_MAX + 2];
	size_t i, n;

	for (i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
		n = strlen(legacy[i].name);
		if (strncmp(t, legacy[i].name, n))
			continue;
		*arch = t + n;
		*minor = legacy[i].minor;
		snprintf(pad, sizeof pad, " %s ", *arch);
		return strstr(legacy[i].archs, pad) ? 1 : 2;
	}
	return 0;
}

/* A linux platform tag's family ('l' linux, 'g' glibc, 'm' musl), version and arch; -1 when
 * not a linux tag we know. */
static int linux_tag(const char *t, int *family, int *x, int *y, const char **arch)
{
	const char *p;
	int r = manylinux_legacy(t, arch, y);

	*x = r == 1 ? 2 : 0;	/* 0: refused below as no manylinux tag */
	*family = 'g';
	if (r)
		return 0;
	if (!strncmp(t, "linux_", 6)) {
		*family = 'l';
		*arch = t + 6;
		return 0;
	}
	if (!strncmp(t, "manylinux_", 10))
		p = t + 10;
	else if (!strncmp(t, "musllinux_", 10)) {
		p = t + 10;
		*family = 'm';
	} else
		return -1;
	if (tag_number(&p, x) || tag_number(&p, y))
		return -1;
	*arch = p;
	return 0;
}

/* Stage 3 (the machine) and 4 (the C library): the platform tag, given the ABI. */
static int check_platform(const struct target *g, const char *abi, const char *pl,
			  char *m, size_t n, int *stage)
{
	const struct platform *pf = g->plat;
	const char *arch, *lib;
	int fam, x, y, min_y;

	*stage = 3;
	if (!strcmp(pl, "any")) {
		if (!strcmp(abi, "none"))
			return 0;
		say(m, n, "platform any goes with abi none, not %s", abi);
		return -1;
	}
	if (linux_tag(pl, &fam, &x, &y, &arch) || !pf->arch[0] || strcmp(arch, pf->arch)) {
		say(m, n, "platform %s is not linux %s", pl, pf->arch[0] ? pf->arch :
		    "(this interpreter's machine is unknown)");
		return -1;
	}
	*stage = 4;
	if (fam == 'l')
		return 0;
	lib = fam == 'g' ? "glibc" : "musl";
	min_y = fam == 'm' ? 0 : strcmp(arch, "x86_64") && strcmp(arch, "i686") ? 17 : 5;
	if (fam == 'g' && (x != 2 || y < min_y))
		say(m, n, "platform %s is not a valid manylinux tag", pl);
	else if (strcmp(pf->libc, lib))
		say(m, n, "platform %s needs %s, this interpreter uses %s", pl, lib, g->libc);
	else if (!pf->libc_major)
		say(m, n, "platform %s needs %s %d.%d, this %s's version is unknown", pl, lib,
		    x, y, lib);
	else if (x != pf->libc_major || y > pf->libc_minor)
		say(m, n, "platform %s needs %s %d.%d, this is %d.%d", pl, lib, x, y,
		    pf->libc_major, pf->libc_minor);
	else
		return 0;
	return -1;
}

/* 0 when the triple runs here; else the stage it failed at, with M saying why. */
static int check_triple(const struct target *g, const char *pt, const char *abi,
			const char *pl, char *m, size_t n)
{
	int stage;

	if (check_python(g, pt, abi, m, n))
		return 1;
	if (check_abi(g, pt, abi, m, n))
		return 2;
	return check_platform(g, abi, pl, m, n, &stage) ? stage : 0;
}

static void target_init(struct target *g, const struct pyinfo *py, const struct platform *plat)
{
	const char *f = py->abiflags;
	char rel[8];
	size_t i, k = 0;

	g->py = py;
	g->plat = plat;
	if (py->pypy) {
		snprintf(g->abi, sizeof g->abi, "%s", py->abitag[0] ? py->abitag : "pypy");
		snprintf(g->abi_release, sizeof g->abi_release, "%s", g->abi);
		goto libc;
	}
	snprintf(g->abi, sizeof g->abi, "cp%d%d%s", py->major, py->minor, f);
	for (i = 0; f[i] && k + 1 < sizeof rel; i++)
		if (f[i] != 'd' || py->major < 3 || (py->major == 3 && py->minor < 8))
			rel[k++] = f[i];
	rel[k] = 0;
	snprintf(g->abi_release, sizeof g->abi_release, "cp%d%d%s", py->major, py->minor, rel);
libc:
	if (!plat->libc[0])
		snprintf(g->libc, sizeof g->libc, "an unknown C library");
	else if (!plat->libc_major)
		snprintf(g->libc, sizeof g->libc, "%s of unknown version", plat->libc);
	else
		snprintf(g->libc, sizeof g->libc, "%s %d.%d", plat->libc, plat->libc_major,
			 plat->libc_minor);
}

/* The rules are the tag set pip accepts for CPython on linux: cpXY with its own ABI, the
 * stable ABI (abi3, abi3t on a free-threaded build) or none; cp3W (W below) only with it; pyX and pyXW (W up to ours) only with none; the
 * platform "any" only with abi none. When nothing runs, WHY is the reason given for the
 * triple that came closest (python tag, then ABI, then machine, then C library). */
int tags_compatible(const char *tags, const struct pyinfo *py, const struct platform *plat,
		    char *why, size_t whysz)
{
	struct tagset t;
	struct target g;
	char m[256];
	int i, j, k, stage, best = 0;

	say(why, whysz, "%s", "");
	if (tags_split(tags, &t)) {
		say(why, whysz, "malformed tag set '%.100s'", tags);
		return -1;
	}
	target_init(&g, py, plat);
	for (i = 0; i < t.n[0]; i++)
		for (j = 0; j < t.n[1]; j++)
			for (k = 0; k < t.n[2]; k++) {
				stage = check_triple(&g, t.tag[0][i], t.tag[1][j], t.tag[2][k],
						     m, sizeof m);
				if (!stage) {
					say(why, whysz, "%s", "");
					return 1;
				}
				if (stage > best) {
					best = stage;
					say(why, whysz, "%s", m);
				}
			}
	return 0;
}

/* Where packaging's list of a Linux interpreter's platforms puts PL (a platform that runs
 * here): the newest manylinux_2_Y first, each legacy alias right after the 2_Y it stands
 * for, then musllinux_1_Y newest first, then linux_ARCH last. */
static int platform_rank(const struct target *g, const char *pl)
{
	const char *arch;
	int fam, x, y, legacy = manylinux_legacy(pl, &arch, &y);

	if (legacy)
		return (g->plat->libc_minor - y) * 2 + 1;
	if (linux_tag(pl, &fam, &x, &y, &arch) || fam == 'l')
		return 9999;
	return fam == 'm' ? g->plat->libc_minor - y : (g->plat->libc_minor - y) * 2;
}

/* A compatible triple's place in packaging's sys_tags() order (lower: preferred), in
 * blocks of platforms: the interpreter's own tag with its ABI (the debug build's release
 * ABI next), the stable ABI, none; older cp3W with the stable ABI, newest first; then the
 * generic pyX[Y] tags with none (py3Y, py3, py3W newest first); then on "any": the
 * interpreter's own tag with none, then the generic ones in the same order. */
static long triple_rank(const struct target *g, const char *pt, const char *abi, const char *pl)
{
	char impl[3];
	int x, y, minor = g->py->minor;
	long block, generic;

	python_tag(pt, impl, &x, &y);
	generic = y < 0 ? 1 : y == minor ? 0 : 2 + (minor - 1 - y);
	if (!strcmp(pl, "any"))
		return (strcmp(impl, "py") ? 200 : 201 + generic) * 10000L;
	if (!strcmp(impl, "py"))
		block = 100 + generic;
	else if (y < minor)
		block = 4 + (minor - 1 - y);
	else if (!strcmp(abi, "none"))
		block = 3;
	else if (stable_abi(abi))
		block = 2;
	else
		block = strcmp(abi, g->abi) ? 1 : 0;
	return block * 10000L + platform_rank(g, pl);
}

long tags_rank(const char *tags, const struct pyinfo *py, const struct platform *plat)
{
	struct tagset t;
	struct target g;
	long best = -1, r;
	int i, j, k;

	if (tags_split(tags, &t))
		return -1;
	target_init(&g, py, plat);
	for (i = 0; i < t.n[0]; i++)
		for (j = 0; j < t.n[1]; j++)
			for (k = 0; k < t.n[2]; k++)
				if (!check_triple(&g, t.tag[0][i], t.tag[1][j], t.tag[2][k], NULL, 0)) {
					r = triple_rank(&g, t.tag[0][i], t.tag[1][j], t.tag[2][k]);
					if (best < 0 || r < best)
						best = r;
				}
	return best;
}
