/* wcache.c: a cache of unpacked wheels. A wheel installed once is, the next time, copied
 * from its unpacked files instead of inflated again, as virtualenv's app-data and uv's cache
 * do for their seeds.
 *
 * Trust: an entry is named by the SHA-256 of the whole archive, so it stands only for a
 * byte-identical wheel, which passed every check when the entry was made; and every file
 * read from it is hashed again as it is copied and must match the wheel's RECORD, or the
 * member is inflated from the archive after all and the entry is dropped. An edited or
 * truncated cache can cost time, never correctness.
 *
 * Filling: a cold install keeps each member it has written and verified, as a hard link to
 * that file (a copy when the cache is on another filesystem), in a private directory that is
 * renamed into place once the install has succeeded. Nothing here can fail an install: any
 * trouble with the cache means no cache.
 *
 * Where: $VENVBOX_CACHE_DIR, else $XDG_CACHE_HOME/venvbox, else ~/.cache/venvbox; only a
 * directory of the user's own that no one else can write to. VENVBOX_NO_CACHE=1 or
 * mkvenv --no-cache turns it off. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib.h"

#define SUBDIR "wheels-1"	/* the layout's version: a new one starts afresh */

/* mkdir -p of an absolute PATH, new directories private (not a fault point: no cache is
 * no failure). 0 when PATH is a directory. */
static int mkdirs(char *path)
{
	struct stat st;
	char *p;

	for (p = path + 1;; p++) {
		if (*p && *p != '/')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = 0;
			if (mkdir(path, 0700) < 0 && errno != EEXIST)
				return -1;
			*p = c;
		}
		if (!*p)
			break;
	}
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* A directory of ours that no one else may write to, opened without following a link. */
static int own_dir(int at, const char *name)
{
	struct stat st;
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The cache directory, made as needed, or -1. */
static int cache_dir(void)
{
	const char *env = getenv("VENVBOX_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char path[PATH_MAX];
	int top, fd;

	if (env && *env) {	/* a relative one is taken from the current directory */
		char *abs = fsx_abspath(env);

		snprintf(path, sizeof path, "%s", abs ? abs : "");
		free(abs);
	}
	else if (xdg && xdg[0] == '/')	/* the XDG spec: a relative one is to be ignored */
		snprintf(path, sizeof path, "%s/venvbox", xdg);
	else if (home && home[0] == '/')
		snprintf(path, sizeof path, "%s/.cache/venvbox", home);
	else
		return -1;
	if (path[0] != '/' || strlen(path) >= sizeof path - 1 || mkdirs(path) < 0)
		return -1;
	top = own_dir(AT_FDCWD, path);
	if (top < 0)
		return -1;
	if (mkdirat(top, SUBDIR, 0700) < 0 && errno != EEXIST) {
		close(top);
		return -1;
	}
	fd = own_dir(top, SUBDIR);
	close(top);
	return fd;
}


static void private_name(char *out, size_t n, const char *what)
{
	static unsigned seq;

	snprintf(out, n, ".%s-%ld-%u", what, (long)getpid(), seq++);
}

int wcache_wanted(int off)
{
	const char *v = getenv("VENVBOX_NO_CACHE");

	return !off && !(v && *v && strcmp(v, "0"));
}

void wcache_begin(struct wcache *c, struct wheel *w, int venvfd, int off)
{
	struct stat a, b;

	memset(c, 0, sizeof *c);
	c->dir = c->entry = c->fill = -1;
	if (!wcache_wanted(off) || w->relax_hash || !w->z.map || (c->dir = cache_dir()) < 0)
		return;
	if (!w->sha256[0])
		wheel_digest(w);
	snprintf(c->key, sizeof c->key, "%s", w->sha256);
	c->entry = openat(c->dir, c->key, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c->entry >= 0)
		return;
	fsx_remove_orphans(c->dir, ".fill-");
	fsx_remove_orphans(c->dir, ".drop-");
	private_name(c->fillname, sizeof c->fillname, "fill");
	if (mkdirat(c->dir, c->fillname, 0700) == 0)
		c->fill = openat(c->dir, c->fillname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	c->link = c->fill >= 0 && fstat(c->fill, &a) == 0 && fstat(venvfd, &b) == 0 && a.st_dev == b.st_dev;
}

void wcache_end(struct wcache *c, int installed)
{
	char drop[48];

	if (c->fill >= 0) {
		close(c->fill);
		if (!installed || c->broken || renameat(c->dir, c->fillname, c->dir, c->key) < 0)
			fsx_rmtree_at(c->dir, c->fillname, NULL);	/* lost a race, or no good */
	}
	if (c->entry >= 0) {
		close(c->entry);
		private_name(drop, sizeof drop, "drop");
		if (c->spoiled && renameat(c->dir, c->key, c->dir, drop) == 0)
			fsx_rmtree_at(c->dir, drop, NULL);	/* the next cold install makes it again */
	}
	if (c->dir >= 0)
		close(c->dir);
	c->dir = c->entry = c->fill = -1;
}

void wcache_spoiled(struct wcache *c)
{
	__atomic_store_n(&c->spoiled, 1, __ATOMIC_RELAXED);
}

static void broken(struct wcache *c)
{
	__atomic_store_n(&c->broken, 1, __ATOMIC_RELAXED);
}

int wcache_feed(struct wcache *c, struct dircache *dc, const char *member, uint64_t size,
		int (*sink)(void *ctx, const unsigned char *p, size_t n, struct err *e),
		void *ctx, struct err *e)
{
	unsigned char buf[65536];
	const char *base;
	uint64_t done = 0;
	struct stat st;
	ssize_t n;
	int dfd, fd;

	if (c->entry < 0 || (dfd = dircache_parent(dc, member, 0, &base, NULL)) < 0)
		return 0;
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != size) {
		close(fd);
		return 0;
	}
	while (done < size) {
		n = read(fd, buf, size - done < sizeof buf ? size - done : sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (sink(ctx, buf, n, e)) {
			close(fd);
			return -1;
		}
		done += n;
	}
	close(fd);
	return done == size;
}

int wcache_filling(const struct wcache *c)
{
	return c->fill >= 0 && !__atomic_load_n(&c->broken, __ATOMIC_RELAXED);
}

void wcache_keep_link(struct wcache *c, struct dircache *dc, const char *member, int dirfd,
		      const char *name)
{
	const char *base;
	int pfd;

	if (!wcache_filling(c))
		return;
	pfd = dircache_parent(dc, member, 1, &base, NULL);
	if (pfd < 0 || linkat(dirfd, name, pfd, base, 0) < 0)
		broken(c);
}

int wcache_create(struct wcache *c, struct dircache *dc, const char *member)
{
	const char *base;
	int pfd, fd = -1;

	if (!wcache_filling(c))
		return -1;
	pfd = dircache_parent(dc, member, 1, &base, NULL);
	if (pfd >= 0)
		fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		broken(c);
	return fd;
}

void wcache_copy(struct wcache *c, int fd, const void *p, size_t n)
{
	if (fd >= 0 && fsx_write_all(fd, p, n) < 0)
		broken(c);
}

void wcache_close(struct wcache *c, int fd)
{
	if (fd >= 0 && close(fd) < 0)
		broken(c);
}
