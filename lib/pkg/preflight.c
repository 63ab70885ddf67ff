/* preflight.c: what an install must not do, found before anything is written: replace a
 * file another distribution owns, or put a file where the venv has a directory, or need a
 * directory where it has a file. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include "pkg/pkg.h"

/* Before anything is staged: no member may need a directory where the venv has a file, or
 * land where the venv has a directory (the replaced distribution's files aside). */
static int check_targets(const struct inst *s, int venvfd, const struct installed *in, struct err *e)
{
	struct dircache dc;
	struct buf missing;
	const char *base;
	struct stat st;
	size_t i, k;
	int rc = 0, pfd;

	buf_init(&missing);
	dircache_init(&dc, venvfd, 0);
	for (i = 0; i < s->w->nf && !rc; i++) {
		const char *dest = s->w->f[i].dest;

		if (s->w->f[i].pycache)
			continue;	/* never written */
		if (missing.len && !strncmp(dest, missing.s, missing.len))
			continue;	/* below a directory already known to be missing */
		pfd = dircache_parent(&dc, dest, 0, &base, NULL);
		if (pfd < 0) {
			if (errno == ELOOP || errno == ENOTDIR)
				rc = err_set(e, "%s: entry %s: a file or link in the venv is in the way of %s",
					     s->w->path, s->w->f[i].member, dest);
			buf_reset(&missing);	/* missing directories are made */
			buf_add(&missing, dest, base - dest);
			continue;
		}
		if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
			continue;
		for (k = 0; k < in->nold; k++)	/* unless the replaced version leaves it */
			if (!strncmp(in->old[k], dest, strlen(dest)) && in->old[k][strlen(dest)] == '/')
				break;
		if (k == in->nold)
			rc = err_set(e, "%s: entry %s: a directory in the venv is in the way of %s",
				     s->w->path, s->w->f[i].member, dest);
	}
	dircache_close(&dc);
	buf_free(&missing);
	return rc;
}

/* DIRECT: the venv is being made, and nothing can be in the way. */
int preflight_check(struct inst *s, int venvfd, const struct installed *in, int direct,
		    struct err *e)
{
	const struct wheel *w = s->w;
	const char *owner;
	size_t i;

	for (i = 0; i < w->nf; i++)
		if (!w->f[i].pycache && (owner = installed_owner(in, w->f[i].dest,
					     w->f[i].hashed && w->f[i].bits == 256 ? w->f[i].want : NULL)))
			return err_set(e, "%s: entry %s would overwrite %s, which belongs to %s", w->path,
				       w->f[i].member, w->f[i].dest, owner);
	return direct ? 0 : check_targets(s, venvfd, in, e);
}
