/* dircache.c: the directory that a path below a root lies in, opened (and made, as
 * needed) without ever following a symbolic link: in one openat2(2) call with
 * RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS where the kernel has it (Linux 5.6), else, and to make
 * what is missing, one component at a time with O_NOFOLLOW. The directories of the last
 * path stay open, so the next one opens only the components where it differs: members come
 * in name order and mostly share their directories. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "base/base.h"

void dircache_init(struct dircache *c, int root, int quiet)
{
	c->root = root;
	c->quiet = quiet;
	c->mode = 0777;
	c->n = 0;
	buf_init(&c->path);
}

/* openat2's struct open_how (Linux uapi; musl has no wrapper) */
struct beneath_how {
	uint64_t flags, mode, resolve;
};
#define BENEATH_NO_SYMLINKS 0x04	/* RESOLVE_NO_SYMLINKS */
#define BENEATH_BENEATH 0x08		/* RESOLVE_BENEATH */

/* DIR below AT, in one call, or -1 (any failure: the walk finds out what is wrong). */
static int open_beneath(int at, const char *dir)
{
#ifdef SYS_openat2
	static int missing;	/* ENOSYS, or a seccomp filter's EPERM: the walk from now on */
	struct beneath_how how = { O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0,
				   BENEATH_NO_SYMLINKS | BENEATH_BENEATH };
	long fd;

	if (__atomic_load_n(&missing, __ATOMIC_RELAXED))
		return -1;
	fd = syscall(SYS_openat2, at, dir, &how, sizeof how);
	if (fd < 0 && (errno == ENOSYS || errno == EPERM || errno == E2BIG))
		__atomic_store_n(&missing, 1, __ATOMIC_RELAXED);
	return fd < 0 ? -1 : (int)fd;
#else
	(void)at, (void)dir;
	return -1;
#endif
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

/* PATH has a component "..". */
static int has_dotdot(const char *p)
{
	for (;;) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2]))
			return 1;
		if (!(p = strchr(p, '/')))
			return 0;
		p++;
	}
}

int dircache_parent(struct dircache *c, const char *path, int create, const char **base,
		    struct err *e)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0, k = 0, at, stop;
	int fd, nfd, saved;

	*base = slash ? slash + 1 : path;
	if (has_dotdot(path)) {	/* the walk below would climb out: never below the root */
		errno = EXDEV;
		return err_set(e, "%s: a '..' component leads out of the directory", path);
	}
	while (k < c->n && c->end[k] <= dl && !memcmp(c->path.s, path, c->end[k])
	       && (c->end[k] == dl || path[c->end[k]] == '/'))
		k++;
	drop(c, k);
	at = c->path.len;
	while (at < dl && path[at] == '/')
		at++;
	if (at < dl && c->n < DIRCACHE_KEEP) {	/* the rest at once, kept as one entry */
		buf_add(&c->path, path + c->path.len, dl - c->path.len);
		nfd = open_beneath(c->n ? c->fd[c->n - 1] : c->root, c->path.s + at);
		if (nfd >= 0) {
			c->fd[c->n] = nfd;
			c->end[c->n++] = dl;
			return nfd;
		}
		drop(c, c->n);	/* the path back to the directories still open */
		at = c->path.len;
	}
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
			if (mkdirat(fd, c->path.s + at, c->mode) < 0 && errno != EEXIST) {
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

int dircache_open(int root, const char *path, int create, const char **base, struct err *e)
{
	struct dircache c;
	int fd;

	dircache_init(&c, root, 0);
	fd = dircache_parent(&c, path, create, base, e);
	if (fd == root) {	/* PATH has one component: ROOT itself (AT_FDCWD too), as a new fd */
		fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			err_sys(e, "%s", path);
	} else if (fd >= 0) {
		c.n--;	/* the deepest one is the caller's now */
	}
	dircache_close(&c);
	return fd;
}

int dircache_dir(int root, const char *path, struct err *e)
{
	struct buf p;
	const char *base;
	int fd, saved;

	buf_init(&p);
	buf_printf(&p, "%s/", path);
	fd = dircache_open(root, p.s, 0, &base, e);
	saved = errno;
	buf_free(&p);
	errno = saved;
	return fd;
}
