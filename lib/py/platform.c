/* platform.c: what an interpreter runs on, for the platform compatibility tags: its machine
 * from its ELF header, and the C library (glibc or musl, PEP 600 / PEP 656) its PT_INTERP
 * names, with that library's version read from its files, never by running anything. */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "py/py.h"

#define LIBC_FILE_MAX	(64u << 20)	/* a C library bigger than this is not one */

/* The platform-tag spelling of an ELF machine, as sysconfig names it; "" when unknown. */
static const char *machine_name(unsigned m, int is64, int be)
{
	switch (m) {
	case 3:		return "i686";				/* EM_386 */
	case 62:	return is64 ? "x86_64" : "";		/* EM_X86_64 (not x32) */
	case 40:	return "armv7l";			/* EM_ARM */
	case 183:	return "aarch64";			/* EM_AARCH64 */
	case 21:	return be ? "ppc64" : "ppc64le";	/* EM_PPC64 */
	case 22:	return is64 ? "s390x" : "s390";		/* EM_S390 */
	case 243:	return is64 ? "riscv64" : "riscv32";	/* EM_RISCV */
	case 258:	return "loongarch64";			/* EM_LOONGARCH */
	}
	return "";
}

/* "D+.D+" at P (within END) into MAJ/MIN, at most 4 digits each; the end, or NULL. */
static const char *major_minor(const char *p, const char *end, int *maj, int *min)
{
	int i, *v[2] = { maj, min };

	for (i = 0; i < 2; i++) {
		const char *s = p;

		*v[i] = 0;
		while (p < end && *p >= '0' && *p <= '9' && p - s < 4)
			*v[i] = *v[i] * 10 + (*p++ - '0');
		if (p == s || (p < end && *p >= '0' && *p <= '9'))
			return NULL;
		if (i == 0 && (p >= end || *p++ != '.'))
			return NULL;
	}
	return p;
}

/* glibc prints "GNU C Library (...) stable release version 2.36." when libc.so.6 is run and
 * "ld.so (...) stable release version 2.36." for ld.so --version: literals built into the
 * file, carrying exactly the version gnu_get_libc_version() reports. */
static int glibc_banner(const char *b, size_t n, int *maj, int *min)
{
	static const char key[] = " release version ";
	const char *p = b, *end = b + n, *s;

	while ((p = memmem(p, (size_t)(end - p), key, sizeof key - 1))) {
		for (s = p; s > b && s[-1] && p - s < 256; s--)
			;
		p += sizeof key - 1;
		if ((!strncmp(s, "GNU C Library", 13) || !strncmp(s, "ld.so", 5)) &&
		    major_minor(p, end, maj, min) && *maj > 0)
			return 0;
	}
	return -1;
}

/* Read in windows that overlap by more than a banner, so memory stays small however big
 * the C library is. */
static int glibc_file(const char *path, struct platform *p)
{
	enum { WIN = 65536, KEEP = 512 };
	char *b;
	size_t have = 0, total = 0;
	ssize_t r;
	struct stat st;
	int rc = -1, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	b = xmalloc(WIN + KEEP + 1);
	while (rc && total < LIBC_FILE_MAX) {
		r = read(fd, b + have, WIN + KEEP - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		total += (size_t)r;
		b[have] = 0;
		rc = glibc_banner(b, have, &p->libc_major, &p->libc_minor);
		if (have > KEEP) {	/* keep the tail: a banner may straddle two windows */
			memmove(b, b + have - KEEP, KEEP);
			have = KEEP;
		}
	}
	free(b);
	close(fd);
	return rc;
}

/* libc.so.6 beside the loader (as resolved, then as named), else the loader itself: glibc's
 * loader and libc come from one build, so either tells the version. */
static void glibc_version(const char *interp, struct platform *p)
{
	char *real = realpath(interp, NULL), *dir, *lib;
	const char *tries[2] = { real, interp };
	int i, done = 0;

	for (i = 0; i < 2 && !done; i++) {
		if (!tries[i])
			continue;
		dir = path_dir(tries[i]);
		lib = path_join(dir, "libc.so.6");
		done = !glibc_file(lib, p);
		free(lib);
		free(dir);
	}
	if (!done && glibc_file(interp, p))
		p->libc_major = p->libc_minor = 0;
	free(real);
}

/* A NUL-delimited string that is a musl 1.x release: "1.2.3", maybe with a "-suffix"
 * (a git build); "127.0.0.1" and the like are not. */
static int musl_string(const char *s, const char *end, int *maj, int *min)
{
	const char *p = major_minor(s, end, maj, min), *q;

	if (!p || *maj != 1 || p >= end || *p != '.')
		return -1;
	for (q = ++p; q < end && *q >= '0' && *q <= '9' && q - p < 4; q++)
		;
	if (q == p || q >= end)
		return -1;
	if (*q && strchr("-_+~", *q))
		while (q < end && *q && q - s < 64 && (strchr("-_+~.", *q) ||
		       (*q >= '0' && *q <= '9') || ((*q | 32) >= 'a' && (*q | 32) <= 'z')))
			q++;
	return q < end && !*q ? 0 : -1;
}

/* musl's loader is its libc.so; it holds its version as a string of its own (what
 * "ld-musl-ARCH.so.1" prints after "Version"). Taken when every such string agrees. */
static void musl_version(const char *interp, struct platform *p)
{
	struct stat st;
	struct buf f;
	const char *b, *s, *end;
	size_t n;
	int maj, min, found = 0;

	p->libc_major = p->libc_minor = 0;
	buf_init(&f);
	if (stat(interp, &st) || !S_ISREG(st.st_mode) ||
	    file_read(AT_FDCWD, interp, LIBC_FILE_MAX, &f, NULL) || !memmem(f.s, f.len, "musl libc", 9)) {
		buf_free(&f);
		return;
	}
	b = f.s;
	n = f.len;
	end = b + n;
	/* each string starts after a NUL; b[n] is one, so memchr always finds one */
	for (s = b; s < end; s = (const char *)memchr(s, 0, (size_t)(end - s) + 1) + 1) {
		if (musl_string(s, end, &maj, &min))
			continue;
		if (found && (maj != p->libc_major || min != p->libc_minor)) {
			p->libc_major = p->libc_minor = 0;
			break;
		}
		found = 1;
		p->libc_major = maj;
		p->libc_minor = min;
	}
	buf_free(&f);
}

/* The C library from the loader's name; its version 0.0 when it cannot be read. */
static void libc_detect(const char *interp, struct platform *p)
{
	const char *base = strrchr(interp, '/') + 1;

	if (!strncmp(base, "ld-musl-", 8)) {
		strcpy(p->libc, "musl");
		musl_version(interp, p);
	} else if (!strncmp(base, "ld-linux", 8) || !strncmp(base, "ld64.so.", 8) ||
		   !strncmp(base, "ld.so.", 6)) {
		strcpy(p->libc, "glibc");
		glibc_version(interp, p);
	}
}

int platform_detect(const char *path, struct platform *p, struct err *e)
{
	char interp[4096];
	struct elf f;
	int r;

	memset(p, 0, sizeof *p);
	if (elf_open(&f, path, e))
		return -1;
	if (f.type != 2 && f.type != 3) {	/* ET_EXEC, ET_DYN */
		elf_close(&f);
		return err_set(e, "%s: not an ELF executable", path);
	}
	snprintf(p->arch, sizeof p->arch, "%s", machine_name(f.machine, f.bits == 64, f.big_endian));
	r = elf_interp(&f, path, interp, sizeof interp, e);
	elf_close(&f);
	if (r > 0)
		libc_detect(interp, p);
	return r < 0 ? -1 : 0;
}
