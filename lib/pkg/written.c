/* written.c: the files an install writes, hashed as they are written, and the RECORD that
 * lists them (the recording installed projects spec: paths relative to site-packages,
 * sha256, size, sorted as pip sorts them, RECORD itself without a hash). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pkg/pkg.h"

void sink_start(struct hashsink *k)
{
	sha256_init(&k->h);
	if (k->bits != 256)
		sha512_init(&k->h5, k->bits);
	k->n = 0;
	if (k->mem)
		buf_reset(k->mem);
}

int sink_write(void *ctx, const unsigned char *p, size_t n, struct err *e)
{
	struct hashsink *k = ctx;

	sha256_update(&k->h, p, n);
	if (k->bits != 256)
		sha512_update(&k->h5, p, n);
	k->n += n;
	if (k->mem) {
		buf_add(k->mem, p, n);
		return 0;
	}
	if (k->nowrite)
		return 0;
	if (file_write_all(k->fd, p, n) < 0)
		return err_sys(e, "cannot write %s", k->dest);
	wcache_copy(k->wc, k->cfd, p, n);
	return 0;
}

int sink_matches(struct hashsink *k, const struct wfile *f)
{
	sha256_final(&k->h, k->digest);
	if (k->bits != 256)
		sha512_final(&k->h5, k->d5);
	return !f->hashed || !memcmp(k->bits != 256 ? k->d5 : k->digest, f->want, f->bits / 8);
}

/* Buffers empty, no directories open: the roots are the venv's (or stage's) and the cache
 * entry's, as S has them. */
void inst_init(struct inst *s)
{
	dircache_init(&s->dc, s->dc.root, 0);
	dircache_init(&s->cdc, s->cdc.root, 1);
	buf_init(&s->rec);
	buf_init(&s->rpath);
	buf_init(&s->rhash);
	buf_init(&s->tmp);
	s->rows = NULL;
	s->nrows = 0;
}

void inst_free(struct inst *s)
{
	dircache_close(&s->dc);
	dircache_close(&s->cdc);
	buf_free(&s->rec);
	buf_free(&s->rpath);
	buf_free(&s->rhash);
	buf_free(&s->tmp);
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
}

/* PATH relative to site-packages, as RECORD names installed files. */
static void record_path(struct inst *s, struct buf *b, const char *dest)
{
	size_t n = strlen(s->vp.site);
	const char *p;

	buf_reset(b);
	if (!strncmp(dest, s->vp.site, n) && dest[n] == '/') {
		buf_adds(b, dest + n + 1);
		return;
	}
	buf_adds(b, "../");
	for (p = s->vp.site; *p; p++)
		if (*p == '/')
			buf_adds(b, "../");
	buf_adds(b, dest);
}

static void add_row(struct inst *s, const char *path, const char *hash, const char *size)
{
	s->rows = xgrow(s->rows, s->nrows, sizeof *s->rows);
	s->rows[s->nrows++] = s->rec.len;
	record_add_line(&s->rec, path, hash, size);
}

void inst_record(struct inst *s, const char *dest, const unsigned char digest[32], uint64_t size)
{
	char sz[32];

	record_path(s, &s->rpath, dest);
	buf_reset(&s->rhash);
	record_hash(&s->rhash, digest);
	snprintf(sz, sizeof sz, "%llu", (unsigned long long)size);
	add_row(s, s->rpath.s, s->rhash.s, sz);
}

void inst_merge(struct inst *to, struct inst *s)
{
	size_t i;

	for (i = 0; i < s->nrows; i++) {
		to->rows = xgrow(to->rows, to->nrows, sizeof *to->rows);
		to->rows[to->nrows++] = to->rec.len + s->rows[i];
	}
	buf_add(&to->rec, s->rec.s ? s->rec.s : "", s->rec.len);
	inst_free(s);
}

int inst_put(struct inst *s, const char *dest, const void *data, size_t len, mode_t mode,
	     struct err *e)
{
	unsigned char digest[32];
	struct sha256 h;
	const char *base;
	int dfd, fd;
	ssize_t w;

	dfd = dircache_parent(&s->dc, dest, 1, &base, e);
	if (dfd < 0 || fault_point(e))
		return -1;
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return err_sys(e, "cannot create %s", dest);
	w = write(fd, data, len);
	if (close(fd) < 0 || w != (ssize_t)len)
		return err_sys(e, "cannot write %s", dest);
	sha256_init(&h);
	sha256_update(&h, data, len);
	sha256_final(&h, digest);
	inst_record(s, dest, digest, len);
	return 0;
}

static int by_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* RECORD lists every file written, sorted as pip sorts it, and itself without a hash. */
int inst_write_record(struct inst *s, struct err *e)
{
	char dest[600], **line;
	struct buf b;
	const char *base;
	size_t i;
	int dfd, rc;

	snprintf(dest, sizeof dest, "%s/RECORD", s->w->distinfo);
	add_row(s, dest, "", "");
	line = xmalloc(s->nrows * sizeof *line);
	for (i = 0; i < s->nrows; i++) {	/* the lines tile rec in order; each ends in \n */
		line[i] = s->rec.s + s->rows[i];
		s->rec.s[(i + 1 < s->nrows ? s->rows[i + 1] : s->rec.len) - 1] = 0;
	}
	qsort(line, s->nrows, sizeof *line, by_line);
	buf_init(&b);
	for (i = 0; i < s->nrows; i++) {
		buf_adds(&b, line[i]);
		buf_addc(&b, '\n');
	}
	free(line);
	snprintf(dest, sizeof dest, "%s/%s/RECORD", s->vp.site, s->w->distinfo);
	dfd = dircache_parent(&s->dc, dest, 1, &base, e);
	rc = dfd < 0 ? -1 : file_write_new(dfd, base, b.s, b.len, 0644, e);
	buf_free(&b);
	return rc;
}

/* Members the installer writes as they are (the dist-info files it makes itself, and
 * bytecode in __pycache__, aside). */
int inst_plain_member(const struct inst *s, const struct wfile *f)
{
	size_t dl = strlen(s->w->distinfo);
	const char *base = f->member + dl + 1;

	if (f->pycache)
		return 0;
	if (!strncmp(f->member, s->w->distinfo, dl) && f->member[dl] == '/'
	    && (!strcmp(base, "RECORD") || !strcmp(base, "INSTALLER") || !strcmp(base, "REQUESTED")))
		return 0;
	return 1;
}
