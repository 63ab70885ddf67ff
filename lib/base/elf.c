/* elf.c: the one ELF reader (System V gABI): the file header and PT_INTERP, read with pread
 * at offsets checked against the file's size first, so a hostile file is only refused. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/base.h"

#define PHNUM_MAX	1024
#define PT_INTERP	3

/* An N-byte integer at P in the file's byte order. */
static uint64_t get(const unsigned char *p, int n, int big_endian)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[big_endian ? n - 1 - i : i] << (8 * i);
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

/* The header's fields, once its identification said how wide they are. */
static int read_header(struct elf *f, const char *path, struct err *e)
{
	unsigned char h[64];
	int w = f->bits == 64, be = f->big_endian;

	if (read_at(f, 0, h, w ? 64 : 52))
		return err_set(e, "%s: truncated ELF header", path);
	f->type = (unsigned)get(h + 16, 2, be);
	f->machine = (unsigned)get(h + 18, 2, be);
	f->phoff = get(h + (w ? 32 : 28), w ? 8 : 4, be);
	f->phentsize = (unsigned)get(h + (w ? 54 : 42), 2, be);
	f->phnum = (unsigned)get(h + (w ? 56 : 44), 2, be);
	return 0;
}

/* Closed, as a file that is there but not an ELF file we read (the error already set). */
static int refuse(struct elf *f)
{
	elf_close(f);
	return ELF_NOT;
}

int elf_open(struct elf *f, const char *path, struct err *e)
{
	const char *why = NULL;
	struct stat st;
	ssize_t n;

	memset(f, 0, sizeof *f);
	f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (f->fd < 0)
		return err_sys(e, "%s", path);
	if (fstat(f->fd, &st) || !S_ISREG(st.st_mode)) {
		elf_close(f);
		return err_set(e, "%s: not a regular file", path);
	}
	f->size = (uint64_t)st.st_size;
	do
		n = pread(f->fd, f->head, sizeof f->head, 0);
	while (n < 0 && errno == EINTR);
	f->nhead = n > 0 ? (size_t)n : 0;
	if (f->nhead < 16 || memcmp(f->head, "\177ELF", 4))
		why = "not an ELF file";
	else if ((f->head[4] != 1 && f->head[4] != 2) || (f->head[5] != 1 && f->head[5] != 2) ||
		 f->head[6] != 1)
		why = "unknown ELF class or byte order";
	if (why) {
		err_set(e, "%s: %s", path, why);
		return refuse(f);
	}
	f->bits = f->head[4] == 2 ? 64 : 32;
	f->big_endian = f->head[5] == 2;
	if (read_header(f, path, e))
		return refuse(f);
	return 0;
}

void elf_close(struct elf *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

int elf_interp(const struct elf *f, const char *path, char *out, size_t outsz, struct err *e)
{
	unsigned char ph[56];
	int w = f->bits == 64, be = f->big_endian;
	uint64_t off, sz;
	unsigned i;

	if (f->phentsize < (w ? 56u : 32u) || f->phnum > PHNUM_MAX || f->phoff > f->size ||
	    (uint64_t)f->phentsize * f->phnum > f->size - f->phoff)
		return err_set(e, "%s: ELF program headers out of bounds", path);
	for (i = 0; i < f->phnum; i++) {
		if (read_at(f, f->phoff + (uint64_t)i * f->phentsize, ph, w ? 56 : 32))
			return err_set(e, "%s: truncated ELF program header", path);
		if (get(ph, 4, be) != PT_INTERP)
			continue;
		off = get(ph + (w ? 8 : 4), w ? 8 : 4, be);
		sz = get(ph + (w ? 32 : 16), w ? 8 : 4, be);
		if (sz < 2 || sz > outsz || read_at(f, off, out, (size_t)sz))
			return err_set(e, "%s: bad ELF interpreter entry", path);
		if (!memchr(out, 0, (size_t)sz) || out[0] != '/')
			return err_set(e, "%s: bad ELF interpreter path", path);
		return 1;
	}
	return 0;
}
