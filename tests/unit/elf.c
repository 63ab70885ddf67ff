/* elf.c: unit tests of lib/base/elf.c: what elf_open keeps of a file that is not ELF, and
 * how it and elf_interp refuse headers whose offsets or sizes lie outside the file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/base.h"
#include "unit.h"

static char dir[] = "/tmp/venvbox-unit-elf-XXXXXX";

static const char *put(const char *name, const void *data, size_t n)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, strrchr(name, '/') + 1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	UT_OK(name, fd >= 0 && write(fd, data, n) == (ssize_t)n && close(fd) == 0);
	return path;
}

static void le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A little-endian ELF64 executable for x86-64: the header, then one program header of TYPE
 * at 64 whose data is at OFF, SIZE bytes; then the path "/lib/ld.so" at 120. */
static size_t make(unsigned char *b, unsigned type, uint64_t off, uint64_t size)
{
	memset(b, 0, 160);
	memcpy(b, "\177ELF\2\1\1", 7);
	le(b + 16, 2, 2);		/* e_type: executable */
	le(b + 18, 62, 2);		/* e_machine: x86-64 */
	le(b + 32, 64, 8);		/* e_phoff */
	le(b + 54, 56, 2);		/* e_phentsize */
	le(b + 56, 1, 2);		/* e_phnum */
	le(b + 64, type, 4);
	le(b + 64 + 8, off, 8);
	le(b + 64 + 32, size, 8);
	memcpy(b + 120, "/lib/ld.so", 11);
	return 160;
}

static int interp_of(const char *path, char *out, size_t n, struct err *e)
{
	struct elf f;
	int r = elf_open(&f, path, e);

	if (r)
		return 100 + r;
	r = elf_interp(&f, path, out, n, e);
	elf_close(&f);
	return r;
}

void unit_elf(void)
{
	unsigned char b[160];
	char out[64];
	struct err e;
	struct elf f;
	const char *p;
	size_t n;

	if (!mkdtemp(dir)) {
		UT_OK("elf/mkdtemp", 0);
		return;
	}
	p = put("elf/setup-script", "#!/bin/sh\n", 10);
	UT_OK("elf/script-kept", elf_open(&f, p, &e) == ELF_NOT && f.nhead == 10 &&
	      !memcmp(f.head, "#!", 2) && f.fd < 0 && strstr(e.msg, "not an ELF file"));
	UT_OK("elf/missing", elf_open(&f, "/nonexistent/elf", &e) == -1 && f.fd < 0);
	UT_OK("elf/directory", elf_open(&f, dir, &e) == -1 && strstr(e.msg, "not a regular file"));

	n = make(b, 3, 120, 11);
	p = put("elf/setup-good", b, n);
	UT_OK("elf/header", elf_open(&f, p, &e) == 0 && f.bits == 64 && !f.big_endian &&
	      f.type == 2 && f.machine == 62 && f.phnum == 1);
	elf_close(&f);
	UT_OK("elf/interp", interp_of(p, out, sizeof out, &e) == 1 && !strcmp(out, "/lib/ld.so"));
	UT_OK("elf/interp-too-long", interp_of(p, out, 8, &e) == -1);
	make(b, 1, 120, 11);	/* PT_LOAD only: a static executable */
	UT_OK("elf/no-interp", interp_of(put("elf/setup-static", b, n), out, sizeof out, &e) == 0);

	make(b, 3, 120, 11);
	b[4] = 3;
	UT_OK("elf/bad-class", interp_of(put("elf/setup-class", b, n), out, sizeof out, &e) == 100 + ELF_NOT &&
	      strstr(e.msg, "class"));
	make(b, 3, 120, 11);
	UT_OK("elf/truncated-header", interp_of(put("elf/setup-short", b, 40), out, sizeof out, &e) == 100 + ELF_NOT &&
	      strstr(e.msg, "truncated"));
	make(b, 3, 120, 11);
	le(b + 32, (uint64_t)-8, 8);	/* e_phoff wrapping past the end */
	UT_OK("elf/phoff-outside", interp_of(put("elf/setup-phoff", b, n), out, sizeof out, &e) == -1 &&
	      strstr(e.msg, "out of bounds"));
	make(b, 3, 120, 11);
	le(b + 56, 60000, 2);	/* more program headers than the file holds */
	UT_OK("elf/phnum-outside", interp_of(put("elf/setup-phnum", b, n), out, sizeof out, &e) == -1);
	make(b, 3, (uint64_t)-4, 11);	/* the interpreter's path past the end */
	UT_OK("elf/interp-outside", interp_of(put("elf/setup-interp", b, n), out, sizeof out, &e) == -1);
	make(b, 3, 121, 10);	/* not NUL-terminated, not absolute */
	UT_OK("elf/interp-path", interp_of(put("elf/setup-path", b, n), out, sizeof out, &e) == -1);
	file_rmtree(AT_FDCWD, dir, NULL);
}
