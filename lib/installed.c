/* installed.c: the distributions already installed in a venv's site-packages (the
 * recording installed projects spec): which one a wheel replaces, and which files every
 * other one owns, from their RECORD files. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib.h"

void installed_free(struct installed *in)
{
	size_t i;

	for (i = 0; i < in->nowned; i++) {
		free(in->owned[i].path);
		free(in->owned[i].hash);
	}
	for (i = 0; i < in->nold; i++)
		free(in->old[i]);
	free(in->owned);
	free(in->old);
	free(in->old_distinfo);
	memset(in, 0, sizeof *in);
}

/* A RECORD path (relative to SITE, or absolute inside ABSDIR) as a path relative to the
 * venv, normalised; NULL when it lies outside the venv. */
char *installed_venv_path(const char *site, const char *absdir, const char *p)
{
	struct buf in, out;
	const char *s, *q;

	buf_init(&in);
	buf_init(&out);
	if (p[0] == '/') {
		size_t n = strlen(absdir);

		if (strncmp(p, absdir, n) || p[n] != '/')
			return NULL;
		buf_adds(&in, p + n + 1);
	} else {
		buf_adds(&in, site);
		buf_addc(&in, '/');
		buf_adds(&in, p);
	}
	for (s = in.s; *s; s = *q ? q + 1 : q) {
		q = strchr(s, '/');
		if (!q)
			q = s + strlen(s);
		if (q == s || (q - s == 1 && s[0] == '.'))
			continue;
		if (q - s == 2 && s[0] == '.' && s[1] == '.') {
			if (!out.len) {	/* above the venv */
				buf_free(&in);
				buf_free(&out);
				return NULL;
			}
			while (out.len && out.s[out.len - 1] != '/')
				out.len--;
			if (out.len)
				out.len--;
			out.s[out.len] = 0;
			continue;
		}
		if (out.len)
			buf_addc(&out, '/');
		buf_add(&out, s, q - s);
	}
	buf_free(&in);
	if (!out.len) {
		buf_free(&out);
		return NULL;
	}
	return out.s;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct owned *)a)->path, ((const struct owned *)b)->path);
}

/* The dist-info's name from its METADATA (falling back to the directory name). */
static char *dist_name(int sitefd, const char *dir)
{
	char p[600], *name = NULL, *dash;
	struct buf b;

	buf_init(&b);
	snprintf(p, sizeof p, "%s/METADATA", dir);
	if (fsx_read_file(sitefd, p, 16 << 20, &b, NULL) == 0)
		name = meta_get(b.s, b.len, "Name");
	buf_free(&b);
	if (!name) {
		name = xstrdup(dir);
		dash = strrchr(name, '-');
		if (dash)
			*dash = 0;
	}
	dash = wheel_normalize(name);
	free(name);
	return dash;
}

static void add_owned(struct installed *in, char *path, const char *owner, const char *hash)
{
	in->owned = xgrow(in->owned, in->nowned, sizeof *in->owned);
	in->owned[in->nowned].path = path;
	in->owned[in->nowned].hash = xstrdup(hash);
	snprintf(in->owned[in->nowned].owner, sizeof in->owned[0].owner, "%s", owner);
	in->nowned++;
}

int installed_scan(struct installed *in, int venvfd, const char *site, const char *absdir,
		   const char *normname, const struct pyinfo *py, struct err *e)
{
	struct dirent *de;
	struct record r;
	struct buf b;
	char p[600], *name, *vp;
	size_t i, n;
	DIR *d;
	int sitefd;

	memset(in, 0, sizeof *in);
	sitefd = openat(venvfd, site, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sitefd < 0)
		return 0;	/* nothing installed yet */
	d = fdopendir(sitefd);
	if (!d) {
		close(sitefd);
		return err_sys(e, "%s", site);
	}
	buf_init(&b);
	while ((de = readdir(d))) {
		n = strlen(de->d_name);
		if (n < 11 || strcmp(de->d_name + n - 10, ".dist-info"))
			continue;
		name = dist_name(sitefd, de->d_name);
		snprintf(p, sizeof p, "%s/RECORD", de->d_name);
		memset(&r, 0, sizeof r);
		if (fsx_read_file(sitefd, p, 64 << 20, &b, NULL) == 0)
			record_parse(b.s, b.len, &r, p, NULL);
		for (i = 0; i < r.n; i++) {
			vp = installed_venv_path(site, absdir, r.row[i].path);
			if (!vp)
				continue;
			if (!strcmp(name, normname)) {
				if (py && wheel_reserved(vp, py)) {	/* a RECORD cannot take the venv's own */
					free(vp);
					continue;
				}
				in->old = xgrow(in->old, in->nold, sizeof *in->old);
				in->old[in->nold++] = vp;
			} else {
				add_owned(in, vp, name, r.row[i].hash);
			}
		}
		if (!strcmp(name, normname) && !in->old_distinfo)
			in->old_distinfo = xstrdup(de->d_name);
		record_free(&r);
		free(name);
	}
	closedir(d);
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
	struct owned key = { (char *)venvpath, NULL, "" }, *hit;
	unsigned char have[32];

	hit = in->nowned ? bsearch(&key, in->owned, in->nowned, sizeof *in->owned, by_path) : NULL;
	if (hit && want && record_parse_hash(hit->hash, have) == 0 && !memcmp(have, want, 32))
		return NULL;
	return hit ? hit->owner : NULL;
}
