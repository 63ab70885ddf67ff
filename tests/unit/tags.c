/* tags.c: unit tests of lib/py/tags.c: wheel tag sets against an interpreter, and of what
 * lib/py/platform.c reads from ELF files (made here, hostile ones included, and the
 * machine's own interpreters when present). Expected tag answers are what `packaging` 24.1 accepts
 * (cpython_tags + compatible_tags for the same interpreter); the reasons are ours. */
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "py/py.h"
#include "unit.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

/* ---- tags_compatible ---- */

static struct pyinfo py_of(int minor, const char *flags)
{
	struct pyinfo py;

	memset(&py, 0, sizeof py);
	py.major = 3;
	py.minor = minor;
	snprintf(py.abiflags, sizeof py.abiflags, "%s", flags);
	return py;
}

static struct pyinfo pypy_of(int minor)
{
	struct pyinfo py = py_of(minor, "");

	py.pypy = 1;
	snprintf(py.abitag, sizeof py.abitag, "pypy3%d_pp73", minor);
	return py;
}

static struct platform plat_of(const char *arch, const char *libc, int maj, int min)
{
	struct platform p;

	memset(&p, 0, sizeof p);
	snprintf(p.arch, sizeof p.arch, "%s", arch);
	snprintf(p.libc, sizeof p.libc, "%s", libc);
	p.libc_major = maj;
	p.libc_minor = min;
	return p;
}

struct interp {
	struct pyinfo py;
	struct platform plat;
};

static void test_tags(void)
{
	struct interp A = { py_of(11, ""), plat_of("x86_64", "glibc", 2, 36) };
	struct interp B = { py_of(13, "t"), plat_of("x86_64", "glibc", 2, 36) };
	struct interp C = { py_of(12, ""), plat_of("aarch64", "musl", 1, 2) };
	struct interp D = { py_of(11, ""), plat_of("x86_64", "", 0, 0) };	/* static */
	struct interp E = { py_of(7, "m"), plat_of("x86_64", "glibc", 2, 28) };
	struct interp F = { py_of(11, "d"), plat_of("x86_64", "glibc", 2, 17) };
	struct interp G = { pypy_of(9), plat_of("x86_64", "glibc", 2, 36) };
	struct interp H = { pypy_of(11), plat_of("aarch64", "glibc", 2, 41) };
	const struct {
		const struct interp *in;
		const char *tags;
		int want;
		const char *why;	/* a part of the reason given */
	} cases[] = {
		/* real wheels of this machine first: pip-24.2-py3-none-any.whl,
		 * setuptools-40.6.2-py2.py3-none-any.whl, cryptography-48.0.0 (abi3),
		 * cffi-2.0.0, charset_normalizer-3.4.7, lazy_object_proxy-1.12.0, PyYAML-6.0 (local
		 * build), orjson-3.8.3 as their WHEEL files tag them */
		{ &A, "py3-none-any", 1, "" },
		{ &A, "py2.py3-none-any", 1, "" },
		{ &E, "py2.py3-none-any", 1, "" },
		{ &A, "cp311-abi3-manylinux_2_34_x86_64", 1, "" },
		{ &A, "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64", 1, "" },
		{ &A, "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.manylinux_2_28_x86_64", 1, "" },
		{ &A, "cp311-cp311-manylinux_2_5_x86_64.manylinux1_x86_64.manylinux_2_28_x86_64", 1, "" },
		{ &A, "cp311-cp311-linux_x86_64", 1, "" },
		{ &A, "cp311-cp311-manylinux_2_28_x86_64", 1, "" },
		{ &F, "cp311-abi3-manylinux_2_34_x86_64", 0, "needs glibc 2.34, this is 2.17" },
		{ &C, "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64", 0, "needs CPython 3.11 (cp311), this is 3.12" },
		{ &A, "py2-none-any", 0, "needs Python 2 (py2), this is 3.11" },
		{ &A, "cp312-cp312-manylinux_2_17_x86_64", 0, "needs CPython 3.12 (cp312), this is 3.11" },
		{ &A, "cp310-cp310-manylinux_2_17_x86_64", 0, "needs CPython 3.10 (cp310), this is 3.11" },
		{ &A, "cp310-none-any", 0, "needs CPython 3.10 (cp310)" },
		{ &A, "cp310-abi3-manylinux_2_17_x86_64", 1, "" },
		{ &A, "cp32-abi3-linux_x86_64", 1, "" },
		{ &A, "cp31-abi3-linux_x86_64", 0, "cp31" },
		{ &A, "cp312-abi3-manylinux_2_17_x86_64", 0, "needs CPython 3.12 (cp312), this is 3.11" },
		{ &A, "py311-none-any", 1, "" },
		{ &A, "py30-none-any", 1, "" },
		{ &A, "py312-none-any", 0, "needs Python 3.12 (py312), this is 3.11" },
		{ &A, "cp311-none-any", 1, "" },
		{ &A, "cp3-none-any", 0, "cp3" },
		{ &A, "pp39-pypy39_pp73-manylinux_2_17_x86_64", 0, "pp39 is not for CPython" },
		{ &A, "py3-none-linux_x86_64", 1, "" },
		{ &A, "py3-none-manylinux_2_17_x86_64", 1, "" },
		{ &A, "CP311-CP311-MANYLINUX_2_17_X86_64", 1, "" },
		{ &A, "cp311-cp311t-manylinux_2_17_x86_64", 0, "abi cp311t is not this interpreter's (cp311)" },
		{ &B, "cp313-cp313t-manylinux_2_17_x86_64", 1, "" },
		{ &B, "cp313-cp313-manylinux_2_17_x86_64", 0, "abi cp313 is not this interpreter's (cp313t)" },
		{ &B, "cp313-abi3-manylinux_2_17_x86_64", 0, "free-threaded" },
		{ &B, "cp312-abi3-manylinux_2_17_x86_64", 0, "free-threaded" },
		{ &B, "cp313-abi3t-manylinux_2_17_x86_64", 1, "" },
		{ &B, "cp32-abi3t-linux_x86_64", 1, "" },
		{ &B, "cp314-abi3t-manylinux_2_17_x86_64", 0, "needs CPython 3.14 (cp314), this is 3.13" },
		{ &B, "py3-abi3t-any", 0, "abi abi3t goes with a CPython python tag" },
		{ &A, "cp311-abi3t-manylinux_2_17_x86_64", 0, "abi abi3t is the stable ABI of free-threaded builds, this is cp311" },
		{ &A, "cp39-abi3t-manylinux_2_17_x86_64", 0, "abi abi3t is the stable ABI of free-threaded builds" },
		{ &G, "pp39-abi3t-manylinux_2_17_x86_64", 0, "abi3t is CPython's stable ABI" },
		{ &B, "cp313-none-any", 1, "" },
		{ &E, "cp37-cp37m-manylinux_2_17_x86_64", 1, "" },
		{ &E, "cp37-cp37-manylinux_2_17_x86_64", 0, "abi cp37 is not this interpreter's (cp37m)" },
		{ &E, "cp37-abi3-manylinux1_x86_64", 1, "" },
		{ &E, "cp36-abi3-manylinux2010_x86_64", 1, "" },
		{ &F, "cp311-cp311d-manylinux_2_17_x86_64", 1, "" },
		{ &F, "cp311-cp311-manylinux_2_17_x86_64", 1, "" },
		{ &A, "cp311-cp311d-manylinux_2_17_x86_64", 0, "abi cp311d is not this interpreter's (cp311)" },
		{ &A, "py3-abi3-any", 0, "abi abi3 goes with a CPython python tag" },
		{ &A, "py3-cp311-linux_x86_64", 0, "goes with python tag cp311" },
		{ &A, "cp311-abi3-any", 0, "platform any goes with abi none" },
		{ &A, "cp311-cp311-any", 0, "platform any goes with abi none" },
		{ &A, "cp311-cp311-manylinux_2_39_x86_64", 0, "platform manylinux_2_39_x86_64 needs glibc 2.39, this is 2.36" },
		{ &A, "cp311-cp311-manylinux_2_36_x86_64", 1, "" },
		{ &A, "cp311-cp311-musllinux_1_2_x86_64", 0, "platform musllinux_1_2_x86_64 needs musl, this interpreter uses glibc 2.36" },
		{ &A, "cp311-cp311-win_amd64", 0, "platform win_amd64 is not linux x86_64" },
		{ &A, "cp311-cp311-macosx_11_0_arm64.win_amd64.manylinux_2_39_x86_64", 0, "needs glibc 2.39" },
		{ &A, "cp311-cp311-manylinux_2_17_aarch64", 0, "platform manylinux_2_17_aarch64 is not linux x86_64" },
		{ &A, "cp311-cp311-manylinux_2_17_i686", 0, "is not linux x86_64" },
		{ &A, "cp311-cp311-manylinux_2_4_x86_64", 0, "is not a valid manylinux tag" },
		{ &A, "cp311-cp311-manylinux_3_0_x86_64", 0, "is not a valid manylinux tag" },
		{ &A, "cp311-cp311-manylinux2010_x86_64", 1, "" },
		{ &E, "cp37-cp37m-manylinux2014_x86_64", 1, "" },
		{ &C, "cp312-cp312-musllinux_1_2_aarch64", 1, "" },
		{ &C, "cp312-cp312-musllinux_1_1_aarch64.musllinux_1_2_aarch64", 1, "" },
		{ &C, "cp312-cp312-musllinux_1_3_aarch64", 0, "platform musllinux_1_3_aarch64 needs musl 1.3, this is 1.2" },
		{ &C, "cp312-cp312-musllinux_2_0_aarch64", 0, "needs musl 2.0, this is 1.2" },
		{ &C, "cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64", 0, "needs glibc, this interpreter uses musl 1.2" },
		{ &C, "cp312-cp312-manylinux_2_17_aarch64.musllinux_1_1_aarch64", 1, "" },
		{ &C, "cp312-cp312-manylinux1_aarch64", 0, "is not a valid manylinux tag" },
		{ &C, "cp312-cp312-manylinux2014_aarch64", 0, "musl" },
		{ &C, "cp312-cp312-linux_aarch64", 1, "" },
		{ &C, "cp312-cp312-musllinux_1_2_x86_64", 0, "is not linux aarch64" },
		{ &D, "cp311-cp311-manylinux_2_17_x86_64", 0, "needs glibc, this interpreter uses an unknown C library" },
		{ &D, "cp311-cp311-musllinux_1_1_x86_64", 0, "needs musl" },
		{ &D, "cp311-cp311-linux_x86_64", 1, "" },
		{ &D, "py3-none-any", 1, "" },
		/* PyPy: its own ppXY with its ABI tag or none, and the generic pyX[Y] */
		{ &G, "pp39-pypy39_pp73-manylinux_2_17_x86_64.manylinux2014_x86_64", 1, "" },
		{ &G, "pp39-pypy39_pp73-linux_x86_64", 1, "" },
		{ &G, "pp39-none-any", 1, "" },
		{ &G, "pp39-none-manylinux_2_17_x86_64", 1, "" },
		{ &G, "py3-none-any", 1, "" },
		{ &G, "py38-none-linux_x86_64", 1, "" },
		{ &G, "pp39-pypy39_pp73-manylinux_2_39_x86_64", 0, "needs glibc 2.39, this is 2.36" },
		{ &G, "cp39-cp39-manylinux_2_17_x86_64", 0, "python tag cp39 is not for PyPy" },
		{ &G, "cp39-abi3-manylinux_2_17_x86_64", 0, "python tag cp39 is not for PyPy" },
		{ &G, "pp39-abi3-manylinux_2_17_x86_64", 0, "abi3 is CPython's stable ABI" },
		{ &G, "pp3-none-any", 0, "names no PyPy minor version (pp39)" },
		{ &G, "pp38-pypy38_pp73-manylinux_2_17_x86_64", 0, "needs PyPy 3.8 (pp38), this is 3.9" },
		{ &G, "pp38-none-any", 0, "needs PyPy 3.8 (pp38), this is 3.9" },
		{ &G, "pp39-pypy39_pp74-manylinux_2_17_x86_64", 0, "abi pypy39_pp74 is not this interpreter's (pypy39_pp73)" },
		{ &G, "py3-pypy39_pp73-linux_x86_64", 0, "goes with python tag pp39" },
		{ &G, "pp39-pypy39_pp73-musllinux_1_2_x86_64", 0, "needs musl" },
		{ &H, "pp311-pypy311_pp73-manylinux_2_17_aarch64.manylinux2014_aarch64", 1, "" },
		{ &H, "pp311-pypy311_pp73-manylinux_2_17_x86_64", 0, "is not linux aarch64" },
		{ &H, "pp39-pypy39_pp73-manylinux_2_17_aarch64", 0, "needs PyPy 3.9 (pp39), this is 3.11" },
	};
	const char *bad[] = {
		"", "py3", "py3-none", "py3-none-any-x", "py3--any", "-none-any", "py3-none-",
		"py3.-none-any", ".py3-none-any", "py3..py2-none-any", "py3-none-any/", "py3-none-a y",
		"py3-none-any\n", "py3-n\xc3\xb6ne-any", "../py3-none-any",
		"py3-none-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"py3-none-a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a",
	};
	char why[256], name[200], big[2048];
	size_t i;
	int r;

	for (i = 0; i < N(cases); i++) {
		r = tags_compatible(cases[i].tags, &cases[i].in->py, &cases[i].in->plat, why,
				    sizeof why);
		snprintf(name, sizeof name, "tags/compat/%s-%d", cases[i].tags, cases[i].in->py.minor);
		UT_OK(name, r == cases[i].want && (r ? !why[0] : !!strstr(why, cases[i].why)));
		if (r != cases[i].want || (!r && !strstr(why, cases[i].why)))
			printf("  (got %d: %s)\n", r, why);
	}
	for (i = 0; i < N(bad); i++) {
		snprintf(name, sizeof name, "tags/malformed/%zu", i);
		UT_OK(name, tags_compatible(bad[i], &A.py, &A.plat, why, sizeof why) == -1 &&
		      strstr(why, "malformed"));
	}
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	memcpy(big, "py3-none-", 9);
	UT_OK("tags/malformed/too-long", tags_compatible(big, &A.py, &A.plat, why, sizeof why) == -1);
	UT_OK("tags/why-optional", tags_compatible("cp39-cp39-any", &A.py, &A.plat, NULL, 0) == 0);
	UT_OK("tags/why-truncated", tags_compatible("cp39-cp39-any", &A.py, &A.plat, why, 8) == 0 &&
	      strlen(why) == 7);
}

/* ---- platform_detect on ELF files made here ---- */

struct fake {
	unsigned char b[512];
	size_t len;
	int is64, be;
};

static void put(struct fake *f, size_t off, int n, uint64_t v)
{
	int i;

	for (i = 0; i < n; i++)
		f->b[off + (f->be ? n - 1 - i : i)] = (unsigned char)(v >> (8 * i));
}

/* Where the fields the hostile cases change are. */
#define PHOFF(f)	((f)->is64 ? 32 : 28)
#define PHENTSIZE(f)	((f)->is64 ? 54 : 42)
#define PHNUM(f)	((f)->is64 ? 56 : 44)
#define PH1(f)		((f)->is64 ? 64 + 56 : 52 + 32)	/* the PT_INTERP entry */
#define P_OFFSET(f)	(PH1(f) + ((f)->is64 ? 8 : 4))
#define P_FILESZ(f)	(PH1(f) + ((f)->is64 ? 32 : 16))
#define W(f)		((f)->is64 ? 8 : 4)

/* An executable for MACHINE whose second program header is PT_INTERP naming INTERP (or
 * PT_LOAD when INTERP is NULL: a static one). */
static void fake_elf(struct fake *f, int is64, int be, unsigned machine, const char *interp)
{
	size_t eh = is64 ? 64 : 52, ph = is64 ? 56 : 32, at = eh + 2 * ph;
	size_t n = interp ? strlen(interp) + 1 : 0;

	memset(f, 0, sizeof *f);
	f->is64 = is64;
	f->be = be;
	memcpy(f->b, "\177ELF", 4);
	f->b[4] = is64 ? 2 : 1;
	f->b[5] = be ? 2 : 1;
	f->b[6] = 1;
	put(f, 16, 2, 3);		/* ET_DYN */
	put(f, 18, 2, machine);
	put(f, 20, 4, 1);
	put(f, PHOFF(f), W(f), eh);
	put(f, PHENTSIZE(f) - 2, 2, eh);	/* e_ehsize */
	put(f, PHENTSIZE(f), 2, ph);
	put(f, PHNUM(f), 2, 2);
	put(f, eh, 4, 6);		/* PT_PHDR */
	put(f, PH1(f), 4, interp ? 3 : 1);
	put(f, P_OFFSET(f), W(f), at);
	put(f, P_FILESZ(f), W(f), n);
	if (n && at + n <= sizeof f->b)
		memcpy(f->b + at, interp, n);
	f->len = at + n;
}

static void write_bytes(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return;
	if (write(fd, p, n) != (ssize_t)n)
		perror(path);
	close(fd);
}

/* PATH made from F; platform_detect's answer on it, "ERR" when it failed. */
static const char *detect_fake(const char *path, const struct fake *f, struct platform *p)
{
	static char got[128];
	struct err e;

	write_bytes(path, f->b, f->len);
	if (platform_detect(path, p, &e))
		return "ERR";
	snprintf(got, sizeof got, "%s %s %d.%d", p->arch, p->libc, p->libc_major, p->libc_minor);
	return got;
}

static char tmpdir[] = "/tmp/venvbox-unit-XXXXXX";

static const char *at(const char *name)
{
	static char path[8][256];
	static int k;

	k = (k + 1) % 8;
	snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
	return path[k];
}

/* Loader and libc files with the strings platform_detect reads (sizeof - 1: NULs inside). */
static void make_libcs(void)
{
	static const char musl[] = "\177ELF\0junk\0musl libc (x86_64)\0Version %s\0"
		"127.0.0.1\0" "0.0.0.0\0" "1.2\0" "x1.2.5\0" "1.2.4\0" "%s:%d\0";
	static const char musl_git[] = "musl libc\0" "1.3.0-git-12-gabcdef\0";
	static const char musl_two[] = "musl libc\0" "1.2.4\0" "1.1.24\0";
	static const char musl_none[] = "no marker here\0" "1.2.4\0";
	static const char libc6[] = "\0foo release version 9.9\0"
		"GNU C Library (Debian GLIBC 2.39-1) stable release version 2.39.\n\0";
	static const char ldso[] = "\0ld.so (GNU libc) stable release version 2.31.\n\0";

	if (mkdir(at("m1"), 0755) || mkdir(at("m2"), 0755) || mkdir(at("m3"), 0755) ||
	    mkdir(at("m4"), 0755) || mkdir(at("g1"), 0755) || mkdir(at("g2"), 0755) ||
	    mkdir(at("g3"), 0755))
		perror(tmpdir);
	write_bytes(at("m1/ld-musl-x86_64.so.1"), musl, sizeof musl - 1);
	write_bytes(at("m2/ld-musl-aarch64.so.1"), musl_git, sizeof musl_git - 1);
	write_bytes(at("m3/ld-musl-x86_64.so.1"), musl_two, sizeof musl_two - 1);
	write_bytes(at("m4/ld-musl-x86_64.so.1"), musl_none, sizeof musl_none - 1);
	write_bytes(at("g1/ld-linux-aarch64.so.1"), "junk", 4);
	write_bytes(at("g1/libc.so.6"), libc6, sizeof libc6 - 1);
	write_bytes(at("g2/ld-linux-x86-64.so.2"), ldso, sizeof ldso - 1);
	if (symlink("../g1/ld-linux-aarch64.so.1", at("g3/ld-linux-riscv64-lp64d.so.1")))
		perror("symlink");
}

static void test_detect_fakes(void)
{
	static const struct {
		const char *name;
		int is64, be;
		unsigned machine;
		const char *interp;	/* in tmpdir when relative */
		const char *want;
	} cases[] = {
		{ "musl", 1, 0, 62, "m1/ld-musl-x86_64.so.1", "x86_64 musl 1.2" },
		{ "musl-git", 1, 0, 183, "m2/ld-musl-aarch64.so.1", "aarch64 musl 1.3" },
		{ "musl-two-versions", 1, 0, 62, "m3/ld-musl-x86_64.so.1", "x86_64 musl 0.0" },
		{ "musl-not-musl", 1, 0, 62, "m4/ld-musl-x86_64.so.1", "x86_64 musl 0.0" },
		{ "musl-missing", 1, 0, 62, "/nonexistent-venvbox/ld-musl-x86_64.so.1",
		  "x86_64 musl 0.0" },
		{ "glibc-libc.so.6", 1, 0, 183, "g1/ld-linux-aarch64.so.1", "aarch64 glibc 2.39" },
		{ "glibc-ld.so", 1, 0, 62, "g2/ld-linux-x86-64.so.2", "x86_64 glibc 2.31" },
		{ "glibc-resolved", 1, 0, 243, "g3/ld-linux-riscv64-lp64d.so.1", "riscv64 glibc 2.39" },
		{ "glibc-missing", 1, 1, 21, "/nonexistent-venvbox/ld64.so.2", "ppc64 glibc 0.0" },
		{ "ppc64le", 1, 0, 21, "/nonexistent-venvbox/ld64.so.2", "ppc64le glibc 0.0" },
		{ "s390x", 1, 1, 22, "/nonexistent-venvbox/ld64.so.1", "s390x glibc 0.0" },
		{ "armv7l", 0, 0, 40, "/nonexistent-venvbox/ld-linux-armhf.so.3", "armv7l glibc 0.0" },
		{ "i686-static", 0, 0, 3, NULL, "i686  0.0" },
		{ "x86_64-static", 1, 0, 62, NULL, "x86_64  0.0" },
		{ "x32", 0, 0, 62, NULL, "  0.0" },
		{ "unknown-machine", 1, 0, 0x4242, NULL, "  0.0" },
		{ "unknown-loader", 1, 0, 183, "/system/bin/linker64", "aarch64  0.0" },
	};
	struct platform p;
	struct fake f;
	char name[100], interp[300];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		const char *ip = cases[i].interp;

		if (ip && ip[0] != '/')
			ip = strcpy(interp, at(ip));
		fake_elf(&f, cases[i].is64, cases[i].be, cases[i].machine, ip);
		snprintf(name, sizeof name, "tags/detect/%s", cases[i].name);
		UT_STREQ(name, detect_fake(at("exe"), &f, &p), cases[i].want);
	}
}

/* Each case breaks one thing of a good file; every one must be refused, not trusted. */
static void test_detect_hostile(void)
{
	struct platform p;
	struct fake f;
	struct err e;
	int i;

	for (i = 0; i < 2; i++) {
		char name[100];
		int is64 = i;

#define HOSTILE(what, change) do { \
		fake_elf(&f, is64, 0, 62, "/lib/ld-linux.so.2"); \
		change; \
		snprintf(name, sizeof name, "tags/detect-hostile/%d/%s", is64 ? 64 : 32, what); \
		UT_STREQ(name, detect_fake(at("bad"), &f, &p), "ERR"); \
	} while (0)
		HOSTILE("truncated-header", f.len = 40);
		HOSTILE("only-ident", f.len = 16);
		HOSTILE("bad-magic", f.b[1] = 'X');
		HOSTILE("bad-class", f.b[4] = 3);
		HOSTILE("bad-byte-order", f.b[5] = 0);
		HOSTILE("relocatable", put(&f, 16, 2, 1));
		HOSTILE("phoff-past-end", put(&f, PHOFF(&f), W(&f), 100000));
		HOSTILE("phoff-huge", put(&f, PHOFF(&f), W(&f), is64 ? UINT64_MAX - 8 : UINT32_MAX - 8));
		HOSTILE("phdrs-cut", put(&f, PHOFF(&f), W(&f), f.len - 10));
		HOSTILE("phnum-xnum", put(&f, PHNUM(&f), 2, 0xffff));
		HOSTILE("phnum-past-end", put(&f, PHNUM(&f), 2, 200));
		HOSTILE("phentsize-small", put(&f, PHENTSIZE(&f), 2, 8));
		HOSTILE("phentsize-huge", put(&f, PHENTSIZE(&f), 2, 0xffff));
		HOSTILE("interp-size-huge", put(&f, P_FILESZ(&f), W(&f), 1u << 30));
		HOSTILE("interp-size-past-end", put(&f, P_FILESZ(&f), W(&f), 300));
		HOSTILE("interp-size-zero", put(&f, P_FILESZ(&f), W(&f), 0));
		HOSTILE("interp-offset-past-end", put(&f, P_OFFSET(&f), W(&f), 4096));
		HOSTILE("interp-offset-wraps", put(&f, P_OFFSET(&f), W(&f), is64 ? UINT64_MAX : UINT32_MAX));
		HOSTILE("interp-no-nul", put(&f, P_FILESZ(&f), W(&f), strlen("/lib/ld-linux.so.2")));
		HOSTILE("interp-relative", f.b[f.len - strlen("/lib/ld-linux.so.2") - 1] = 'x');
#undef HOSTILE
	}
	write_bytes(at("empty"), "", 0);
	UT_OK("tags/detect-hostile/empty", platform_detect(at("empty"), &p, &e) == -1);
	write_bytes(at("text"), "#!/bin/sh\necho hi\n", 18);
	UT_OK("tags/detect-hostile/script", platform_detect(at("text"), &p, &e) == -1 &&
	      strstr(e.msg, "not an ELF"));
	UT_OK("tags/detect-hostile/missing", platform_detect(at("nothing"), &p, &e) == -1 &&
	      strstr(e.msg, "nothing"));
	UT_OK("tags/detect-hostile/directory", platform_detect(tmpdir, &p, &e) == -1);
	if (mkfifo(at("fifo"), 0600) == 0)	/* must not block */
		UT_OK("tags/detect-hostile/fifo", platform_detect(at("fifo"), &p, &e) == -1);
}

/* ---- this machine's interpreters, when it has them ---- */

static void detect_real(const char *name, const char *path)
{
	struct platform p;
	struct err e;

	if (access(path, R_OK))
		return;
	UT_OK(name, platform_detect(path, &p, &e) == 0 && p.arch[0] && (!strcmp(p.libc, "glibc") ?
	      p.libc_major == 2 && p.libc_minor >= 5 : !strcmp(p.libc, "musl") ? p.libc_major == 1 : 1));
}

static void test_detect_real(void)
{
	struct platform p;
	struct fake f;
	glob_t g;
	size_t i;
	char pat[4096];

	/* Debian's interpreter by its versioned name, whichever version the release has */
	if (!glob("/usr/bin/python3.*[0-9]", 0, NULL, &g)) {
		detect_real("tags/detect-real/usr-bin-python3.X", g.gl_pathv[0]);
		globfree(&g);
	}
	detect_real("tags/detect-real/usr-bin-python3", "/usr/bin/python3");
	/* pyenv's, where the tests find it (tests/run exports PYENV_VERSIONS) */
	if (getenv("PYENV_VERSIONS") && snprintf(pat, sizeof pat, "%s/3.*/bin/python3.*[0-9]",
	                                         getenv("PYENV_VERSIONS")) < (int)sizeof pat &&
	    !glob(pat, 0, NULL, &g)) {
		detect_real("tags/detect-real/pyenv", g.gl_pathv[0]);
		globfree(&g);
	}
	/* the real musl loader, named by an executable of ours */
	if (!glob("/lib/ld-musl-*.so.1", 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc && i < 1; i++) {
			fake_elf(&f, 1, 0, 62, g.gl_pathv[i]);
			write_bytes(at("musl-exe"), f.b, f.len);
			UT_OK("tags/detect-real/musl-loader",
			      platform_detect(at("musl-exe"), &p, NULL) == 0 &&
			      !strcmp(p.libc, "musl") && p.libc_major == 1);
		}
		globfree(&g);
	}
}

static void cleanup(void)
{
	static const char *const files[] = {
		"m1/ld-musl-x86_64.so.1", "m2/ld-musl-aarch64.so.1", "m3/ld-musl-x86_64.so.1",
		"m4/ld-musl-x86_64.so.1", "g1/ld-linux-aarch64.so.1", "g1/libc.so.6",
		"g2/ld-linux-x86-64.so.2", "g3/ld-linux-riscv64-lp64d.so.1", "exe", "bad", "empty",
		"text", "fifo", "musl-exe", "m1", "m2", "m3", "m4", "g1", "g2", "g3",
	};
	size_t i;

	for (i = 0; i < N(files); i++)
		if (unlink(at(files[i])))
			rmdir(at(files[i]));
	rmdir(tmpdir);
}

void unit_tags(void)
{
	test_tags();
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		unit_failed++;
		return;
	}
	make_libcs();
	test_detect_fakes();
	test_detect_hostile();
	test_detect_real();
	cleanup();
}
