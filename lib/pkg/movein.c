/* movein.c: a wheel staged beside the venv (STAGE/new) moved into it as one transaction:
 * the replaced distribution's files and anything in the way set aside under STAGE/old, the
 * new tree merged in, every rename journaled so that a failure undoes them all. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pkg/pkg.h"

/* Renamed, and journaled; a failure names the path in the venv. */
static int move(struct journal *j, const char *from, const char *to, struct err *e)
{
	int r = journal_move(j, from, to, e);

	return r > 0 ? err_sys(e, "cannot move %s", to) : r;
}

/* Sets REL (relative to the venv) aside under STAGE/old/, making its parents there. */
static int set_aside(struct journal *j, const char *stage, const char *rel, struct err *e)
{
	char old[80];
	int r;

	snprintf(old, sizeof old, "%s/old", stage);
	r = journal_set_aside(j, old, rel, e);
	return r > 0 ? err_sys(e, "cannot move %s", rel) : r;
}

/* lstat of REL, its directory reached without following a link. */
static int lstat_in(int venvfd, const char *rel, struct stat *st)
{
	const char *base;
	int pfd = dircache_open(venvfd, rel, 0, &base, NULL), r;

	if (pfd < 0)
		return -1;
	r = fstatat(pfd, base, st, AT_SYMLINK_NOFOLLOW);
	close(pfd);
	return r;
}

static int is_real_dir(int venvfd, const char *rel)
{
	struct stat st;

	return lstat_in(venvfd, rel, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Merge STAGE/new/REL into REL: what is new is moved whole, directories present on both
 * sides are merged, anything in the way is set aside first. */
static int merge(struct journal *j, const char *stage, const char *rel, int depth, struct err *e)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct dirent *de;
	struct stat st;
	const char *base;
	DIR *d;
	int fd, rc = 0, venvfd = j->dirfd;

	snprintf(from, sizeof from, "%s/new%s%s/", stage, *rel ? "/" : "", rel);
	fd = dircache_open(venvfd, from, 0, &base, e);
	if (fd < 0)
		return -1;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return err_sys(e, "%s", from);
	}
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(from, sizeof from, "%s/new%s%s/%s", stage, *rel ? "/" : "", rel, de->d_name);
		snprintf(to, sizeof to, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (lstat_in(venvfd, to, &st) < 0) {
			rc = move(j, from, to, e);
		} else if (S_ISDIR(st.st_mode) != is_real_dir(venvfd, from)) {
			rc = err_set(e, "%s: a %s is in the way of the %s the wheel installs", to,
				     S_ISDIR(st.st_mode) ? "directory" : "file",
				     S_ISDIR(st.st_mode) ? "file" : "directory");
		} else if (S_ISDIR(st.st_mode)) {
			rc = depth < 200 ? merge(j, stage, to, depth + 1, e)
					: err_set(e, "%s: directories nested too deeply", to);
		} else {	/* a file no distribution owns: replaced, as pip does */
			rc = set_aside(j, stage, to, e) || move(j, from, to, e) ? -1 : 0;
		}
	}
	closedir(d);
	return rc;
}

/* The replaced distribution's files leave first (only what is inside the venv, and never
 * through a link), then the new tree moves in. */
int movein_commit(struct journal *j, const char *stage, const struct installed *in,
		  const char *site, struct err *e)
{
	char rel[8400];
	struct stat st;
	size_t i;
	int venvfd = j->dirfd;

	if (in->old_distinfo) {	/* first, so its files are not moved one by one */
		snprintf(rel, sizeof rel, "%s/%s", site, in->old_distinfo);
		if (is_real_dir(venvfd, rel) && set_aside(j, stage, rel, e))
			return -1;
	}
	for (i = 0; i < in->nold; i++) {
		struct dircache dc;
		const char *base;
		int pfd;

		dircache_init(&dc, venvfd, 0);
		pfd = dircache_parent(&dc, in->old[i], 0, &base, NULL);

		if (pfd >= 0 && fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)
		    && set_aside(j, stage, in->old[i], e)) {
			dircache_close(&dc);
			return -1;
		}
		dircache_close(&dc);
	}
	return merge(j, stage, "", 0, e);
}

/* After replacements, directories the OLD files of the replaced distributions left empty go
 * too, but never the venv's own (bin, include, lib, site-packages and their parents). */
void movein_prune(int venvfd, const char **old, size_t nold, const struct pylayout *vp)
{
	const char *base;
	char *p, *slash;
	size_t i;
	int pfd, r;

	for (i = 0; i < nold; i++) {
		p = xstrdup(old[i]);
		while ((slash = strrchr(p, '/'))) {
			*slash = 0;
			if (!strchr(p, '/') || !strcmp(p, vp->lib) || !strcmp(p, vp->site)
			    || !strcmp(p, vp->include) || (pfd = dircache_open(venvfd, p, 0, &base, NULL)) < 0)
				break;
			r = unlinkat(pfd, base, AT_REMOVEDIR);
			close(pfd);
			if (r < 0)
				break;
		}
		free(p);
	}
}
