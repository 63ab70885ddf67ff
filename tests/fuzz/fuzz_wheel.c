/* fuzz_wheel.c: libFuzzer target for lib/wheel.c: wheel_open on the input as a wheel file (PEP 427). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pkg/pkg.h"

/* The checks start from the file name, so the input is written under a fixed wheel name. */
#define WHEEL_NAME "fuzz-1.0-py3-none-any.whl"

static char dir[256], path[320];
static struct pyinfo py;
static struct platform plat;

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

/* CPython 3.11 on x86_64 with glibc 2.36, as pyfind and platform_detect would fill them. */
static void setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/fuzz-wheel.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz_wheel: mkdtemp");
		abort();
	}
	snprintf(path, sizeof path, "%s/%s", dir, WHEEL_NAME);
	atexit(cleanup);
	py.invoked = py.exe = "/fuzz-python/bin/python3.11";	/* an imagined interpreter: never read */
	py.home = "/fuzz-python/bin";
	py.real = "/fuzz-python/bin/python3.11";
	py.prefix = "/fuzz-python";
	py.major = 3;
	py.minor = 11;
	snprintf(py.version, sizeof py.version, "3.11.2");
	py.bits = 64;
	snprintf(plat.arch, sizeof plat.arch, "x86_64");
	snprintf(plat.libc, sizeof plat.libc, "glibc");
	plat.libc_major = 2;
	plat.libc_minor = 36;
}

static void put_input(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) < 0) {
		perror("fuzz_wheel: writing the input");
		abort();
	}
}

/* A destination is a relative path without empty, '.' or '..' components. */
static int bad_dest(const char *d)
{
	const char *p, *c;

	if (!*d || *d == '/')
		return 1;
	for (p = d;; p = c + 1) {
		c = strchr(p, '/');
		if (!c)
			c = p + strlen(p);
		if (c == p || (c - p == 1 && p[0] == '.') || (c - p == 2 && p[0] == '.' && p[1] == '.'))
			return 1;
		if (!*c)
			return 0;
	}
}

/* Only RECORD itself and its signatures, directly in the .dist-info, go unhashed. */
static int unhashed_ok(const struct wheel *w, const char *member)
{
	size_t n = strlen(w->distinfo);

	return !strncmp(member, w->distinfo, n) && (!strcmp(member + n, "/RECORD")
		|| !strcmp(member + n, "/RECORD.jws") || !strcmp(member + n, "/RECORD.p7s"));
}

/* What a successful wheel_open promises. */
static void check(const struct wheel *w, int relax)
{
	size_t i;

	if (!w->distinfo || !w->datadir || !w->name || !w->version || !w->normname || w->nf > w->z.n)
		abort();
	for (i = 0; i < w->nf; i++) {
		if (bad_dest(w->f[i].dest) || layout_reserved(w->f[i].dest, &py))
			abort();
		if (!relax && !w->f[i].hashed && !unhashed_ok(w, w->f[i].member))
			abort();
		if (i && strcmp(w->f[i - 1].member, w->f[i].member) >= 0)
			abort();
	}
	for (i = 0; i < w->nep; i++)
		if (!w->ep[i].name[0] || !w->ep[i].module[0])
			abort();
}

static int open_once(int relax)
{
	struct ziplimits lim;
	struct wheel w;
	struct err e;
	int rc;

	ziplimits_default(&lim);
	e.msg[0] = 0;
	rc = wheel_open(&w, path, &py, &plat, &lim, relax, &e);
	if (rc && !e.msg[0])	/* every refusal says why */
		abort();
	if (getenv("FUZZ_VERBOSE"))	/* to see how far seeds get: FUZZ_VERBOSE=1 fuzz_wheel FILE... */
		fprintf(stderr, "fuzz_wheel: relax %d: %s\n", relax, rc ? e.msg : "ok");
	if (!rc)
		check(&w, relax);
	wheel_close(&w);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int strict, relaxed;

	if (!path[0])
		setup();
	put_input(data, size);
	strict = open_once(0);
	relaxed = open_once(1);
	if (!strict && relaxed)	/* relaxing hash checks never refuses what strict accepts */
		abort();
	return 0;
}
