/* dircache.c: the directory that a path below a root lies in, opened (and made, as
 * needed) one component at a time, never through a symbolic link. The directories of the
 * last path stay open, so the next one opens only the components where it differs:
 * members come in name order and mostly share their directories. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/base.h"

void dircache_init(struct dircache *c, int root, int quiet)
{
	c->root = root;
	c->quiet = quiet;
	c->n = 0;
	buf_init(&c->path);
}

/* Closes the directories past the first K. */
static void drop(struct dircache *c, size_t k)
{
	while (c->n > k)
		close(c->fd[--c->n]);
	c->path.len = c->n ? c->end[c->n - 1] : 0;
	if (c->path.s)
		c->path.s[c->path.len] = 0;
}

void dircache_close(struct dircache *c)
{
	drop(c, 0);
	buf_free(&c->path);
}

int dircache_parent(struct dircache *c, const char *path, int create, const char **base,
		    struct err *e)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0, k = 0, at, stop;
	int fd, nfd, saved;

	*base = slash ? slash + 1 : path;
	while (k < c->n && c->end[k] <= dl && !memcmp(c->path.s, path, c->end[k])
	       && (c->end[k] == dl || path[c->end[k]] == '/'))
		k++;
	drop(c, k);
	at = c->path.len;
	for (;;) {
		fd = c->n ? c->fd[c->n - 1] : c->root;
		while (at < dl && path[at] == '/')
			at++;
		if (at >= dl)
			return fd;
		for (stop = at; stop < dl && path[stop] != '/'; stop++)
			;
		buf_add(&c->path, path + c->path.len, stop - c->path.len);	/* the component at its end */
		nfd = openat(fd, c->path.s + at, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT && create) {
			if (!c->quiet && fault_point(e))
				break;
			if (mkdirat(fd, c->path.s + at, 0777) < 0 && errno != EEXIST) {
				err_sys(e, "cannot create directory %s in %.*s", c->path.s + at, (int)dl, path);
				break;
			}
			nfd = openat(fd, c->path.s + at, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (nfd < 0) {
			if (errno == ELOOP || errno == ENOTDIR)
				err_set(e, "%.*s: a symbolic link or a file is in the way at %s", (int)dl, path,
					c->path.s + at);
			else
				err_sys(e, "%.*s", (int)dl, path);
			break;
		}
		if (c->n == DIRCACHE_KEEP)	/* deeper than that: the last one open is replaced */
			close(c->fd[--c->n]);
		c->fd[c->n] = nfd;
		c->end[c->n++] = stop;
		at = stop;
	}
	saved = errno;
	drop(c, c->n);	/* the path back to the directories still open */
	errno = saved;
	return -1;
}
