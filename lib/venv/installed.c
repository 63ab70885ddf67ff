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

int installed_scan(struct installed *in, int venvfd, const char *site, const char *absdir,
		   const char *normname, const struct pyinfo *py, struct err *e)
{
	struct sitescan sc;
	struct record r;
	struct buf b;
	char p[600], *name, vp[2 * PATH_MAX];
	const char *owner, *dir;
	size_t i, k;
	int sitefd;

	memset(in, 0, sizeof *in);
	sitefd = dircache_dir(venvfd, site, e);	/* no link on the way */
	if (sitefd < 0)
		return errno == ENOENT ? 0 : -1;	/* nothing installed yet; or a link is in the way */
	if (site_scan(&sc, sitefd, site, 0, e)) {
		close(sitefd);
		return -1;
	}
	buf_init(&b);
	for (k = 0; k < sc.n; k++) {
		dir = sc.d[k].dir;
		name = dist_name(sitefd, &sc.d[k]);
		owner = pool_strdup(&in->pool, name);
		snprintf(p, sizeof p, "%s/RECORD", dir);
		memset(&r, 0, sizeof r);
		if (file_read(sitefd, p, 64 << 20, &b, NULL) == 0)
			record_parse(b.s, b.len, &r, p, NULL);
		for (i = 0; i < r.n; i++) {
			if (venv_path(site, absdir, r.row[i].path, vp, sizeof vp))
				continue;
			if (!strcmp(name, normname)) {
				if (py && layout_reserved(vp, py))	/* a RECORD cannot take the venv's own */
					continue;
				in->old = xgrow(in->old, in->nold, sizeof *in->old);
				in->old[in->nold++] = pool_strdup(&in->pool, vp);
			} else {
				add_owned(in, vp, owner, r.row[i].hash);
			}
		}
		if (!strcmp(name, normname) && !in->old_distinfo)
			in->old_distinfo = xstrdup(dir);
		record_free(&r);
		free(name);
	}
	site_scan_free(&sc);
	close(sitefd);
	buf_free(&b);
	if (in->nowned)
		qsort(in->owned, in->nowned, sizeof *in->owned, by_path);
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
