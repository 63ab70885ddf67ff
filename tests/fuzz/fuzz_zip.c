/* fuzz_zip.c: libFuzzer target for lib/zip.c (APPNOTE): zip_open, then zip_extract of every entry.
 * With FUZZ_KEEP=DIR, each input the reader accepts whole is written there once, named by its
 * SHA-256, for tests/t_zip_diff.sh (fuzz_zipmut, this with zipmut.c's mutator, makes many). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "pkg/pkg.h"

/* zip_open wants a path: the input lives in a memfd, named through /proc/self/fd. */
static int memfd = -1;
static char path[64];

struct count {
	uint64_t n;
};

static int discard(void *ctx, const unsigned char *p, size_t n, struct err *e)
{
	struct count *c = ctx;
	volatile unsigned char sink = 0;

	if (n)	/* touch the chunk, so ASan sees a bad pointer */
		sink ^= p[0] ^ p[n - 1];
	(void)sink;
	c->n += n;
	return 0;
}

static void put_input(const uint8_t *data, size_t size)
{
	if (memfd < 0) {
		memfd = memfd_create("fuzz-zip", MFD_CLOEXEC);
		if (memfd < 0) {
			perror("fuzz_zip: memfd_create");
			abort();
		}
		snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) < 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size)) {
		perror("fuzz_zip: writing the input");
		abort();
	}
}

static void keep(const uint8_t *data, size_t size)
{
	static const char *dir;
	static int looked;
	struct sha256 c;
	unsigned char md[32];
	char name[4096];
	int i, n, fd;

	if (!looked++)
		dir = getenv("FUZZ_KEEP");
	if (!dir)
		return;
	sha256_init(&c);
	sha256_update(&c, data, size);
	sha256_final(&c, md);
	n = snprintf(name, sizeof name - 65, "%s/", dir);
	for (i = 0; i < 32; i++)
		n += snprintf(name + n, 3, "%02x", md[i]);
	fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST)
		return;
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd) < 0) {
		perror(name);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int whole = 1;
	struct ziplimits lim;
	struct zip z;
	struct err e;
	size_t i;

	put_input(data, size);
	ziplimits_default(&lim);
	e.msg[0] = 0;
	if (zip_open(&z, path, &lim, &e)) {
		if (!e.msg[0])	/* every failure says why */
			abort();
		zip_close(&z);
		return 0;
	}
	for (i = 0; i < z.n; i++) {
		const struct zipent *ze = &z.ent[i];
		struct count c = { 0 };

		/* what zip_open promises of each entry */
		if (!ze->name[0] || ze->data > z.size || ze->csize > z.size - ze->data)
			abort();
		e.msg[0] = 0;
		if (zip_extract(&z, ze, discard, &c, &e)) {
			if (!e.msg[0])
				abort();
			whole = 0;
		} else if (c.n != ze->usize) {	/* success means exactly the recorded size */
			abort();
		}
	}
	zip_close(&z);
	if (whole)
		keep(data, size);
	return 0;
}
