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
	free(in->owned);
	free(in->old);
	free(in->old_distinfo);
	pool_free(&in->pool);
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

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct owned *)a)->path, ((const struct owned *)b)->path);
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

static void add_owned(struct installed *in, const char *path, const char *owner, const char *hash)
{
	in->owned = xgrow(in->owned, in->nowned, sizeof *in->owned);
	in->owned[in->nowned].path = pool_strdup(&in->pool, path);
	in->owned[in->nowned].hash = pool_strdup(&in->pool, hash);
	in->owned[in->nowned].owner = owner;
	in->nowned++;
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
	free(x->d);
	free(x->row);
	free(x->site);
	free(x->absdir);
	pool_free(&x->pool);
	memset(x, 0, sizeof *x);
}

int installed_pick(struct installed *in, const struct siteindex *x, const char *normname,
		   const struct pyinfo *py)
{
	const struct idist *d;
	const char *vp;
	size_t i, k;

	memset(in, 0, sizeof *in);
	for (k = 0; k < x->nd; k++) {
		d = &x->d[k];
		if (d->gone)
			continue;
		for (i = d->first; i < d->first + d->n; i++) {
			vp = x->row[i].path;
			if (!strcmp(d->name, normname)) {
				if (py && layout_reserved(vp, py))	/* a RECORD cannot take the venv's own */
					continue;
				in->old = xgrow(in->old, in->nold, sizeof *in->old);
				in->old[in->nold++] = vp;
			} else {
				add_owned(in, vp, d->name, x->row[i].hash);
			}
		}
		if (!strcmp(d->name, normname) && !in->old_distinfo)
			in->old_distinfo = xstrdup(d->distinfo);
	}
	if (in->nowned)
		qsort(in->owned, in->nowned, sizeof *in->owned, by_path);
	return 0;
}

int installed_scan(struct installed *in, int venvfd, const char *site, const char *absdir,
		   const char *normname, const struct pyinfo *py, struct err *e)
{
	struct siteindex x;
	size_t i;

	if (installed_index(&x, venvfd, site, absdir, e)) {
		installed_index_free(&x);
		return -1;
	}
	installed_pick(in, &x, normname, py);
	for (i = 0; i < in->nold; i++)	/* its strings are X's, which goes */
		in->old[i] = pool_strdup(&in->pool, in->old[i]);
	for (i = 0; i < in->nowned; i++)
		in->owned[i].owner = pool_strdup(&in->pool, in->owned[i].owner);
	installed_index_free(&x);
	return 0;
}

/* Which other distribution owns VENVPATH; NULL when none, or when WANT (a sha256, or
 * NULL) is the very content it recorded: namespace packages ship identical files. */
const char *installed_owner(const struct installed *in, const char *venvpath,
			    const unsigned char *want)
{
	struct owned key = { venvpath, NULL, NULL }, *hit;
	unsigned char have[32];

	hit = in->nowned ? bsearch(&key, in->owned, in->nowned, sizeof *in->owned, by_path) : NULL;
	if (hit && want && record_parse_hash(hit->hash, have) == 0 && !memcmp(have, want, 32))
		return NULL;
	return hit ? hit->owner : NULL;
}
