/* tags.c: wheel compatibility tags (the "Platform compatibility tags" specification, with
 * manylinux from PEP 600 and musllinux from PEP 656) checked against an interpreter whose
 * machine and C library are read from its ELF file (System V gABI), never by running it. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "py/py.h"

#define LIBC_FILE_MAX	(64u << 20)	/* a C library bigger than this is not one */
#define PHNUM_MAX	1024
#define TAGS_MAX	1024		/* the whole compressed tag set */
#define TAG_MAX		64		/* one tag */
#define TAGS_EACH	32		/* tags in one '.'-compressed part */

/* ---- the ELF file ---- */

struct elf {
	int fd;
	uint64_t size;
	int is64, be;
};

static uint64_t get(const unsigned char *p, int n, int be)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	return v;
}

/* N bytes at OFF, which must lie inside the file: 0 read, -1 not. */
static int read_at(const struct elf *f, uint64_t off, void *buf, size_t n)
{
	ssize_t r;

	if (off > f->size || n > f->size - off)
		return -1;
	do
		r = pread(f->fd, buf, n, (off_t)off);
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)n ? 0 : -1;
}

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

static int elf_header(struct elf *f, const char *path, struct platform *p, uint64_t *phoff,
		      unsigned *phent, unsigned *phnum, struct err *e)
{
	unsigned char h[64];
	unsigned type;

	if (read_at(f, 0, h, 16) || memcmp(h, "\177ELF", 4))
		return err_set(e, "%s: not an ELF file", path);
	if ((h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2) || h[6] != 1)
		return err_set(e, "%s: unknown ELF class or byte order", path);
	f->is64 = h[4] == 2;
	f->be = h[5] == 2;
	if (read_at(f, 0, h, f->is64 ? 64 : 52))
		return err_set(e, "%s: truncated ELF header", path);
	type = (unsigned)get(h + 16, 2, f->be);
	if (type != 2 && type != 3)
		return err_set(e, "%s: not an ELF executable", path);
	snprintf(p->arch, sizeof p->arch, "%s",
		 machine_name((unsigned)get(h + 18, 2, f->be), f->is64, f->be));
	*phoff = get(h + (f->is64 ? 32 : 28), f->is64 ? 8 : 4, f->be);
	*phent = (unsigned)get(h + (f->is64 ? 54 : 42), 2, f->be);
	*phnum = (unsigned)get(h + (f->is64 ? 56 : 44), 2, f->be);
	if (*phent < (f->is64 ? 56u : 32u) || *phnum > PHNUM_MAX ||
	    *phoff > f->size || (uint64_t)*phent * *phnum > f->size - *phoff)
		return err_set(e, "%s: ELF program headers out of bounds", path);
	return 0;
}

/* PT_INTERP's path into OUT: 1 found, 0 none (static), -1 malformed. */
static int elf_interp(struct elf *f, const char *path, uint64_t phoff, unsigned phent,
		      unsigned phnum, char *out, size_t outsz, struct err *e)
{
	unsigned char ph[56];
	uint64_t off, sz;
	unsigned i;

	for (i = 0; i < phnum; i++) {
		if (read_at(f, phoff + (uint64_t)i * phent, ph, f->is64 ? 56 : 32))
			return err_set(e, "%s: truncated ELF program header", path);
		if (get(ph, 4, f->be) != 3)	/* PT_INTERP */
			continue;
		off = get(ph + (f->is64 ? 8 : 4), f->is64 ? 8 : 4, f->be);
		sz = get(ph + (f->is64 ? 32 : 16), f->is64 ? 8 : 4, f->be);
		if (sz < 2 || sz > outsz || read_at(f, off, out, (size_t)sz))
			return err_set(e, "%s: bad ELF interpreter entry", path);
		if (!memchr(out, 0, (size_t)sz) || out[0] != '/')
			return err_set(e, "%s: bad ELF interpreter path", path);
		return 1;
	}
	return 0;
}

/* ---- the C library's version, read from its files ---- */

/* A regular file, whole, at most LIBC_FILE_MAX bytes; NULL when not. */
static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *b = NULL;
	size_t cap = 0, n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		goto fail;
	for (;;) {
		if (n == cap) {
			if (cap >= LIBC_FILE_MAX)
				goto fail;
			cap = cap ? cap * 2 : 1 << 20;
			b = xrealloc(b, cap + 1);
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = 0;
	*len = n;
	return b;
fail:
	close(fd);
	free(b);
	return NULL;
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
	size_t n;
	char *b = slurp(interp, &n);
	const char *s, *end;
	int maj, min, found = 0;

	p->libc_major = p->libc_minor = 0;
	if (!b || !memmem(b, n, "musl libc", 9)) {
		free(b);
		return;
	}
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
	free(b);
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
	struct elf f = { -1, 0, 0, 0 };
	struct stat st;
	uint64_t phoff = 0;
	unsigned phent = 0, phnum = 0;
	int r;

	memset(p, 0, sizeof *p);
	f.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (f.fd < 0)
		return err_sys(e, "%s", path);
	if (fstat(f.fd, &st) || !S_ISREG(st.st_mode)) {
		close(f.fd);
		return err_set(e, "%s: not a regular file", path);
	}
	f.size = (uint64_t)st.st_size;
	r = elf_header(&f, path, p, &phoff, &phent, &phnum, e);
	if (!r)
		r = elf_interp(&f, path, phoff, phent, phnum, interp, sizeof interp, e);
	close(f.fd);
	if (r > 0)
		libc_detect(interp, p);
	return r < 0 ? -1 : 0;
}

/* ---- the tags ---- */

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

/* Stage 1: the python tag, which for cp3Y older than this interpreter needs abi3. */
static int check_python(const struct target *g, const char *pt, const char *abi,
			char *m, size_t n)
{
	const char *what;
	char impl[3];
	int x, y, major = g->py->major, minor = g->py->minor;

	if (python_tag(pt, impl, &x, &y) || (strcmp(impl, "cp") && strcmp(impl, "py"))) {
		say(m, n, "python tag %s is not for CPython", pt);
		return -1;
	}
	what = strcmp(impl, "cp") ? "Python" : "CPython";
	if (!strcmp(impl, "cp") && y < 0) {
		say(m, n, "python tag %s names no CPython minor version (cp%d%d)", pt, major, minor);
		return -1;
	}
	if (x == major && (y < 0 || y == minor || (y < minor && (!strcmp(impl, "py") ||
	    (!strcmp(abi, "abi3") && y >= 2)))))
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
	int cp = !strncmp(pt, "cp", 2);

	if (!strcmp(abi, "none"))
		return 0;
	if (!strcmp(abi, "abi3")) {
		if (!cp)
			say(m, n, "abi abi3 goes with a CPython python tag (cp3Y), not %s", pt);
		else if (strchr(g->py->abiflags, 't'))
			say(m, n, "abi abi3 is not available on a free-threaded build (%s)", g->abi);
		else if (g->py->major != 3)
			say(m, n, "abi abi3 is for CPython 3, this is %s", g->abi);
		else
			return 0;
		return -1;
	}
	if (strcmp(abi, g->abi) && strcmp(abi, g->abi_release))
		say(m, n, "abi %s is not this interpreter's (%s)", abi, g->abi);
	else if (!cp)
		say(m, n, "abi %s goes with python tag cp%d%d, not %s", abi, g->py->major,
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
	snprintf(g->abi, sizeof g->abi, "cp%d%d%s", py->major, py->minor, f);
	for (i = 0; f[i] && k + 1 < sizeof rel; i++)
		if (f[i] != 'd' || py->major < 3 || (py->major == 3 && py->minor < 8))
			rel[k++] = f[i];
	rel[k] = 0;
	snprintf(g->abi_release, sizeof g->abi_release, "cp%d%d%s", py->major, py->minor, rel);
	if (!plat->libc[0])
		snprintf(g->libc, sizeof g->libc, "an unknown C library");
	else if (!plat->libc_major)
		snprintf(g->libc, sizeof g->libc, "%s of unknown version", plat->libc);
	else
		snprintf(g->libc, sizeof g->libc, "%s %d.%d", plat->libc, plat->libc_major,
			 plat->libc_minor);
}

/* The rules are the tag set pip accepts for CPython on linux: cpXY with its own ABI, abi3
 * or none; cp3W (W below) only with abi3; pyX and pyXW (W up to ours) only with none; the
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
