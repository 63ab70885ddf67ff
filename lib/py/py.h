/* py.h: Python interpreters and the packaging rules about them: PEP 440, PEP 503 names, tags, finding and inspecting. */
#ifndef VENVBOX_PY_H
#define VENVBOX_PY_H

#include "fmt/fmt.h"

/* ---- pyinfo: what we know of a base interpreter ---- */
struct pyinfo {
	char *invoked;		/* absolute path as the user named it (after shim resolution) */
	char *exe;		/* the executable venv links to (invoked, or resolved when needed) */
	char *home;		/* dirname(exe) */
	char *real;		/* realpath(exe) */
	char *prefix;		/* installation prefix (holds lib/pythonX.Y) */
	int major, minor;
	char version[32];	/* X.Y.Z[...] */
	char abiflags[8];	/* "", "t", "d", "m", "td" */
	int pypy;		/* PyPy (lib/pypyX.Y, pp tags), not CPython */
	char abitag[24];	/* PyPy's ABI tag from its extension suffix: "pypy39_pp73" */
	int bits;		/* 32 or 64 from the ELF class */
	int ran;		/* 1 when the interpreter had to be executed */
	char how[256];		/* how the interpreter was found, for -v */
	char vfrom[4096];	/* the file its version was read from, for -v */
	char impl_version[32];	/* PyPy's own version (sys.implementation.version), "" unknown */
};
void pyinfo_free(struct pyinfo *py);
/* Find the interpreter named by REQ (path, command name or version; NULL: python3, else
 * python, on PATH). NAMED_BY, when not NULL, says where REQ came from ("MKVENV_PYTHON"), for
 * the error. NOTES, when not NULL, gets a line for each interpreter that had to be run. */
int pyfind(const char *req, const char *named_by, struct pyinfo *py, struct buf *notes,
	   struct err *e);
/* Resolve a pyenv/asdf shim to the interpreter it would run: 1 resolved, 0 not a shim, -1 error. */
int pyshim_resolve(const char *path, char **out, struct err *e);
/* Read version, ABI flags, prefix, bitness of an installed interpreter without running it. */
int pyinspect(struct pyinfo *py, struct err *e);
int pyinspect_run(struct pyinfo *py, struct err *e);	/* last resort: run it once */
/* PEP 739: the build-details.json in PY's standard library that describes this build (its
 * implementation, version and ABI flags): 1 and PY->version set (FOUND: its path), else 0. */
int py_build_details(struct pyinfo *py, char *found, size_t fsz);
/* Does PY's standard library (its files, or a zipped one) have the pure-Python MODULE? */
int py_stdlib_has(const struct pyinfo *py, const char *module);
/* The prefix holding lib/pythonX.Y[t]/os.py at or above DIR, as CPython's getpath finds it. */
char *py_search_prefix(const char *dir, int major, int minor, const char *abiflags, int pypy);

/* ---- pep440.c: versions (PEP 440), for Requires-Python and picking seeds ---- */
struct pep440 {
	unsigned long epoch;
	unsigned long rel[16];	/* release segments */
	int nrel;
	int pre_kind;		/* 0 none, 'a', 'b', 'c' (rc) */
	unsigned long pre;
	long post;		/* -1 none */
	long dev;		/* -1 none */
	char local[64];		/* after '+', normalized, "" none */
};
int pep440_parse(const char *s, struct pep440 *v);	/* 0 ok, -1 invalid */
/* S, the version of a specifier clause (no space around it): with WILD, a trailing ".*" (then
 * *WILD is 1) and a local part are allowed, as after "==" and "!=". 0 ok, -1 invalid. */
int pep440_parse_spec(const char *s, struct pep440 *v, int *wild);
int pep440_cmp(const struct pep440 *a, const struct pep440 *b);	/* <0, 0, >0 */
void pep440_str(const struct pep440 *v, char *out, size_t n);	/* the normalized form */
char *pep440_normalize(const char *s);	/* str(packaging Version(S)), allocated; NULL when not PEP 440 */
int pep440_cmp_str(const char *a, const char *b, int *cmp);	/* -1 when either is NULL or invalid */
int pep440_at_least(const char *a, const char *b);	/* 1 when A >= B; 0 also when either is invalid */

/* ---- specifier.c: version specifier sets (PEP 440) ---- */
/* 1 when VERSION satisfies every clause of SPECS ("", ">=3.8", ">=3.7,!=3.8.*"), 0 when not,
 * -1 (err set) when SPECS is not a valid specifier set. */
int pep440_match(const char *specs, const char *version, struct err *e);	/* -1 also for an invalid VERSION */

/* ---- markers.c: PEP 508 environment markers, for an interpreter that is not run ---- */
enum { MK_PYTHON_VERSION, MK_PYTHON_FULL_VERSION, MK_IMPLEMENTATION_NAME, MK_IMPLEMENTATION_VERSION,
       MK_PLATFORM_PYTHON_IMPLEMENTATION, MK_SYS_PLATFORM, MK_OS_NAME, MK_PLATFORM_SYSTEM,
       MK_PLATFORM_MACHINE, MK_PLATFORM_RELEASE, MK_PLATFORM_VERSION, MK_NVALUES,
       MK_EXTRA = MK_NVALUES, MK_EXTRAS, MK_GROUPS };
struct markerenv {
	char v[MK_NVALUES][256];	/* the string values, by MK_* */
	char *const *extras;	/* extra (and PEP 751's extras): the extras asked for */
	size_t nextras;
	char *const *groups;	/* PEP 751's dependency_groups */
	size_t ngroups;
};
/* M's values for PY, the rest from uname(2), as Python's platform module reports them
 * (implementation_version "" for a PyPy whose own version is not known). */
void markerenv_init(struct markerenv *m, const struct pyinfo *py);
/* 1 when MARKER holds in ENV (NULL: the syntax only, then 1), 0 when not, -1 and E when it
 * is not a valid marker or cannot be evaluated (an undefined comparison). */
int marker_eval(const char *marker, const struct markerenv *env, struct err *e);

/* ---- pep508.c: dependency specifiers: requirement lines and Requires-Dist ---- */
#define PEP508_EXTRAS 16
struct pep508 {
	char name[128];		/* as written */
	char extra[PEP508_EXTRAS][64];	/* as written */
	int nextras;
	char spec[1024];	/* the version specifier set, parentheses and spaces left out; "" */
	char url[1024];		/* after '@': a direct reference, never installed here; "" */
	char marker[2048];	/* after ';', trimmed; "" */
};
/* S as PEP 508 says (the specifier set checked as specifier.c reads it, the marker's
 * syntax as markers.c reads it): 0, else -1 and E (without S: the caller names it). */
int pep508_parse(const char *s, struct pep508 *r, struct err *e);

/* ---- platform.c: the machine and C library an interpreter runs on, from its ELF file ---- */
struct platform {
	char arch[16];		/* x86_64, aarch64, i686, ... as in platform tags */
	char libc[8];		/* "glibc", "musl", or "" when unknown */
	int libc_major, libc_minor;	/* glibc 2.36 / musl 1.2 */
};
/* What the interpreter at PATH runs on: its ELF machine, and the C library its PT_INTERP
 * names (and that library's version, read from the file). */
int platform_detect(const char *path, struct platform *p, struct err *e);

/* ---- tags.c: wheel compatibility tags (the platform compatibility tag spec) ---- */
/* Can a wheel tagged with the compressed tag set TAGS ("cp311-cp311-manylinux_2_17_x86_64",
 * "py2.py3-none-any") run on PY? 1 yes, 0 no (WHY says which part failed), -1 malformed. */
int tags_compatible(const char *tags, const struct pyinfo *py, const struct platform *plat,
		    char *why, size_t whysz);
/* How PY ranks the best tag of TAGS that runs there, as pip orders them (packaging's
 * sys_tags(): the most specific interpreter, ABI and platform first): lower is preferred;
 * -1 when none runs. */
long tags_rank(const char *tags, const struct pyinfo *py, const struct platform *plat);

/* ---- names.c: PEP 503 names, and the one wheel file name parser ---- */
char *name_normalize(const char *name);
struct wheelname {
	const char *name, *version;	/* as the file name spells them */
	const char *build;	/* the build tag, or "" */
	const char *tags;	/* the compressed tag set: "py3-none-any" */
	const char *variant;	/* -2: the PEP 825 variant label ("x86_64_v3") */
	char buf[256];		/* where they are */
};
int wheelname_parse(const char *file, struct wheelname *wn);	/* 0; -1: not a wheel's name; -2: a variant wheel's */

/* ---- layout.c: the directories of a venv of PY, and the paths it keeps for itself ---- */
struct pylayout {
	char lib[64];		/* lib/pythonX.Y[t] */
	char site[96];		/* lib/pythonX.Y[t]/site-packages */
	char include[64];	/* include/pythonX.Y[flags], or "" (3.7-3.10, 3.14+) */
	int lib64;		/* lib64 -> lib */
	char alias[5][24];	/* the names in bin/ beside the interpreter's own, in venv's order */
	int nalias;
	int pithon;		/* and bin/PITHON, where the file system encoding is UTF-8 */
};
#define PITHON "\xf0\x9d\x9c\x8bthon"	/* 3.14's alias: U+1D70B, then "thon" */
void py_layout(const struct pyinfo *py, struct pylayout *p);
void layout_lib(char *out, size_t n, int pypy, int major, int minor, int free_threaded);
int layout_reserved(const char *dest, const struct pyinfo *py);

#endif
