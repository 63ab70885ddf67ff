/* dircache.c: the directory that a path below a root lies in, opened (and made, as
 * needed) one component at a time, never through a symbolic link. The last one opened is
 * kept, since members come in name order and mostly share their directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib.h"

void dircache_close(struct dircache *c)
{
	if (c->fd >= 0 && c->fd != c->root)
		close(c->fd);
	free(c->path);
	c->path = NULL;
	c->fd = -1;
}

int dircache_parent(struct dircache *c, const char *path, int create, const char **base,
		     struct err *e)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0;
	char *dir, *comp, *save = NULL;
	int fd, nfd;

	*base = slash ? slash + 1 : path;
	if (c->path && strlen(c->path) == dl && !strncmp(c->path, path, dl))
		return c->fd;
	dircache_close(c);
	dir = strndup(path, dl);
	fd = c->root;
	for (comp = strtok_r(dir, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT && create) {
			if (!c->quiet && fault_point(e))
				goto fail;
			if (mkdirat(fd, comp, 0777) < 0 && errno != EEXIST) {
				err_sys(e, "cannot create directory %s in %.*s", comp, (int)dl, path);
				goto fail;
			}
			nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (nfd < 0) {
			if (errno == ELOOP || errno == ENOTDIR)
				err_set(e, "%.*s: a symbolic link or a file is in the way at %s", (int)dl, path, comp);
			else
				err_sys(e, "%.*s", (int)dl, path);
			goto fail;
		}
		if (fd != c->root)
			close(fd);
		fd = nfd;
	}
	free(dir);
	c->path = strndup(path, dl);
	c->fd = fd;
	return fd;
fail:
	if (fd != c->root)
		close(fd);
	free(dir);
	return -1;
}
