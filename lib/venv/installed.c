/* installed.c: the distributions already installed in a venv's site-packages (the
 * recording installed projects spec): which one a wheel replaces, and which files every
 * other one owns, from their RECORD files. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "venv/venv.h"

void installed_free(struct installed *in)
{
	free(in->old);
	free(in->old_distinfo);
	memset(in, 0, sizeof *in);
}

/* A RECORD path P (relative to SITE, or absolute inside ABSDIR) as a path relative to the
 * venv, normalised, into OUT (N bytes); -1 when it lies outside the venv (or is longer than
 * any path can be). */
static int venv_path(const char *site, const char *absdir, const char *p, char *out, size_t n)
{
	const char *s, *q, *part[2];
	size_t len = 0, k, abs = strlen(absdir);
	int i;

	if (p[0] == '/') {
		if (strncmp(p, absdir, abs) || p[abs] != '/')
			return -1;
		part[0] = p + abs + 1;
		part[1] = "";
	} else {
		part[0] = site;
		part[1] = p;
	}
	for (i = 0; i < 2; i++)
		for (s = part[i]; *s; s = *q ? q + 1 : q) {
			q = strchrnul(s, '/');
			k = q - s;
			if (k == 0 || (k == 1 && s[0] == '.'))
				continue;
			if (k == 2 && s[0] == '.' && s[1] == '.') {
				if (!len)	/* above the venv */
					return -1;
				while (len && out[len - 1] != '/')
					len--;
				if (len)
					len--;
				continue;
			}
			if (len + 1 + k >= n)
				return -1;
			if (len)
				out[len++] = '/';
			memcpy(out + len, s, k);
			len += k;
		}
	out[len] = 0;
	return len ? 0 : -1;
}

char *installed_venv_path(const char *site, const char *absdir, const char *p)
{
	char out[2 * PATH_MAX];

	return venv_path(site, absdir, p, out, sizeof out) ? NULL : xstrdup(out);
}

/* The normalized name of the distribution SD from its METADATA (else from the entry's name). */
static char *dist_name(int sitefd, const struct sitedist *sd)
{
	char p[600], *name = NULL, *norm;
	struct buf b;

	buf_init(&b);
	snprintf(p, sizeof p, "%s/METADATA", sd->dir);
	if (file_read(sitefd, p, 16 << 20, &b, NULL) == 0)
		name = meta_get(b.s, b.len, "Name");
	buf_free(&b);
	norm = name_normalize(name ? name : sd->name);
	free(name);
	return norm;
}

/* DIST's rows (RECORD's TEXT, LEN bytes) added to X as venv paths with their hashes. */
static void index_rows(struct siteindex *x, struct idist *d, const char *site, const char *absdir,
		       const char *text, size_t len)
{
	char vp[2 * PATH_MAX];
	struct record r;
	size_t i;

	d->first = x->nrow;
	memset(&r, 0, sizeof r);
	if (record_parse(text, len, &r, "RECORD", NULL) == 0)
		for (i = 0; i < r.n; i++) {
			if (venv_path(site, absdir, r.row[i].path, vp, sizeof vp))
				continue;
			x->row = xgrow(x->row, x->nrow, sizeof *x->row);
			x->row[x->nrow].path = pool_strdup(&x->pool, vp);
			x->row[x->nrow].hash = pool_strdup(&x->pool, r.row[i].hash);
			x->row[x->nrow].dist = d - x->d;
			x->nrow++;
		}
	d->n = x->nrow - d->first;
	record_free(&r);
}

static struct idist *index_dist(struct siteindex *x, const char *name, const char *distinfo)
{
	x->d = xgrow(x->d, x->nd, sizeof *x->d);
	memset(&x->d[x->nd], 0, sizeof *x->d);
	x->d[x->nd].name = pool_strdup(&x->pool, name);
	x->d[x->nd].distinfo = pool_strdup(&x->pool, distinfo);
	return &x->d[x->nd++];
}

int installed_index(struct siteindex *x, int venvfd, const char *site, const char *absdir,
		    struct err *e)
{
	struct sitescan sc;
	struct buf b;
	char p[600], *name;
	size_t k;
	int sitefd;

	memset(x, 0, sizeof *x);
	x->site = xstrdup(site);
	x->absdir = xstrdup(absdir);
	sitefd = dircache_dir(venvfd, site, e);	/* no link on the way */
	if (sitefd < 0)
		return errno == ENOENT ? 0 : -1;	/* nothing installed yet; or a link is in the way */
	if (site_scan(&sc, sitefd, site, 0, e)) {
		close(sitefd);
		return -1;
	}
	buf_init(&b);
	for (k = 0; k < sc.n; k++) {
		name = dist_name(sitefd, &sc.d[k]);
		snprintf(p, sizeof p, "%s/RECORD", sc.d[k].dir);
		buf_reset(&b);
		if (file_read(sitefd, p, 64 << 20, &b, NULL) != 0)
			buf_reset(&b);
		index_rows(x, index_dist(x, name, sc.d[k].dir), site, absdir, b.s ? b.s : "", b.len);
		free(name);
	}
	site_scan_free(&sc);
	close(sitefd);
	buf_free(&b);
	return 0;
}

void installed_index_add(struct siteindex *x, const char *normname, const char *distinfo,
			 const char *record, size_t len)
{
	size_t k;

	for (k = 0; k < x->nd; k++)	/* the one it replaced is gone */
		if (!strcmp(x->d[k].name, normname))
			x->d[k].gone = 1;
	index_rows(x, index_dist(x, normname, distinfo), x->site, x->absdir, record, len);
}

void installed_index_free(struct siteindex *x)
{
	free(x->bypath);
	free(x->d);
	free(x->row);
	free(x->site);
	free(x->absdir);
	pool_free(&x->pool);
	memset(x, 0, sizeof *x);
}

/* Rows in path order, those of one path in the order they were added. */
static int row_order(const void *a, const void *b, void *arg)
{
	const struct siteindex *x = arg;
	size_t i = *(const size_t *)a, k = *(const size_t *)b;
	int c = strcmp(x->row[i].path, x->row[k].path);

	return c ? c : (i > k) - (i < k);
}

/* X's rows added since it was last in order merged into BYPATH: the new ones sorted, then
 * merged in from the end (a run of installs adds a wheel's rows at a time to thousands). */
static void index_order(struct siteindex *x)
{
	size_t n = x->nsorted, k = x->nrow - n, a = n, b = k, o = x->nrow, *add;

	if (!k)
		return;
	add = xmalloc(k * sizeof *add);
	for (b = 0; b < k; b++)
		add[b] = n + b;
	qsort_r(add, k, sizeof *add, row_order, x);
	x->bypath = xrealloc(x->bypath, x->nrow * sizeof *x->bypath);
	while (b)	/* the later of the two runs' last rows goes last */
		x->bypath[--o] = a && row_order(&x->bypath[a - 1], &add[b - 1], x) > 0 ? x->bypath[--a] : add[--b];
	free(add);
	x->nsorted = x->nrow;
}

int installed_pick(struct installed *in, struct siteindex *x, const char *normname,
		   const struct pyinfo *py)
{
	const struct idist *d;
	const char *vp;
	size_t i, k;

	memset(in, 0, sizeof *in);
	index_order(x);
	in->x = x;
	in->self = normname;
	for (k = 0; k < x->nd; k++) {
		d = &x->d[k];
		if (d->gone || strcmp(d->name, normname))
			continue;
		for (i = d->first; i < d->first + d->n; i++) {
			vp = x->row[i].path;
			if (py && layout_reserved(vp, py))	/* a RECORD cannot take the venv's own */
				continue;
			in->old = xgrow(in->old, in->nold, sizeof *in->old);
			in->old[in->nold++] = vp;
		}
		if (!in->old_distinfo)
			in->old_distinfo = xstrdup(d->distinfo);
	}
	return 0;
}

/* Which other distribution owns VENVPATH; NULL when none, or when WANT (a sha256, or
 * NULL) is the very content it recorded: namespace packages ship identical files. */
const char *installed_owner(const struct installed *in, const char *venvpath,
			    const unsigned char *want)
{
	const struct siteindex *x = in->x;
	const struct irow *r;
	const struct idist *d;
	unsigned char have[32];
	size_t end = x ? x->nsorted : 0, lo = 0, hi = end, mid;

	while (lo < hi) {	/* the first row of VENVPATH */
		mid = lo + (hi - lo) / 2;
		if (strcmp(x->row[x->bypath[mid]].path, venvpath) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < end && !strcmp((r = &x->row[x->bypath[lo]])->path, venvpath); lo++) {
		d = &x->d[r->dist];
		if (d->gone || !strcmp(d->name, in->self))
			continue;
		if (!want || record_parse_hash(r->hash, have) || memcmp(have, want, 32))
			return d->name;
	}
	return NULL;
}
