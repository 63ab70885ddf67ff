/* zipls.c: lists archives as venvbox's zip reader (lib/fmt/zip.c) reads them, for
 * tests/t_zip_diff.sh, which compares the listing with tests/zipls.py's (Python's zipfile).
 * For each FILE: "== FILE", then one "NAME SIZE SHA256" line per entry in central-directory
 * order (NAME's bytes outside '!'..'~' and the backslash as \xNN; SIZE and SHA256 of the
 * inflated bytes), or one "refused: REASON" line. */
#include <stdio.h>
#include <stdlib.h>
#include "fmt/fmt.h"

static int hash(void *ctx, const unsigned char *p, size_t n, struct err *e)
{
	sha256_update(ctx, p, n);
	return 0;
}

static void list(const char *path)
{
	struct ziplimits lim;
	struct zip z;
	struct err e;
	unsigned char *md;
	size_t i, k;

	printf("== %s\n", path);
	ziplimits_default(&lim);
	if (zip_open(&z, path, &lim, &e)) {
		printf("refused: %s\n", e.msg);
		zip_close(&z);
		return;
	}
	/* all or nothing, as zipfile's listing: an entry that does not inflate refuses the archive */
	md = xmalloc((z.n ? z.n : 1) * 32);
	for (i = 0; i < z.n; i++) {
		struct sha256 c;

		sha256_init(&c);
		if (zip_extract(&z, &z.ent[i], hash, &c, &e)) {
			printf("refused: %s\n", e.msg);
			free(md);
			zip_close(&z);
			return;
		}
		sha256_final(&c, md + 32 * i);
	}
	for (i = 0; i < z.n; i++) {
		const unsigned char *s = (const unsigned char *)z.ent[i].name;

		for (; *s; s++)
			printf(*s > ' ' && *s < 0x7f && *s != '\\' ? "%c" : "\\x%02x", *s);
		printf(" %llu ", (unsigned long long)z.ent[i].usize);
		for (k = 0; k < 32; k++)
			printf("%02x", md[32 * i + k]);
		putchar('\n');
	}
	free(md);
	zip_close(&z);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		list(argv[i]);
	return fflush(stdout) ? 1 : 0;
}
