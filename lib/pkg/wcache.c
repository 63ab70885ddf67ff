/* wcache.c: a cache of unpacked wheels. A wheel installed once is, the next time, copied
 * from its unpacked files instead of inflated again, as virtualenv's app-data and uv's cache
 * do for their seeds.
 *
 * Trust: an entry is named by the SHA-256 of the whole archive, so it stands only for a
 * byte-identical wheel, which passed every check when the entry was made. A cached file is
 * taken as it is only while its signature is the one it had when it was last hashed against
 * the wheel's RECORD (wsig.c); any other is hashed as it is copied and must match, or the
 * member is inflated from the archive after all and the entry is dropped. So an edited,
 * truncated or replaced cache file costs time, never correctness.
 *
 * Filling: a cold install keeps each member it has written and verified, as a hard link to
 * that file (a copy when the cache is on another filesystem), in a private directory that is
 * renamed into place once the install has succeeded. Nothing here can fail an install: any
 * trouble with the cache means no cache. The first install from an entry hashes its files
 * and keeps their signatures (KEY.sig); those after it hash only what has changed.
 *
 * Where: the directory the caller names (mkvenv: $VENVBOX_CACHE_DIR, else
 * $XDG_CACHE_HOME/venvbox, else ~/.cache/venvbox), only when it is the user's own, no
 * one else can write to it, and no link is on the way to it (wkey.c). */
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




static void private_name(char *out, size_t n, const char *what)
{
	static unsigned seq;

	snprintf(out, n, ".%s-%ld-%u", what, (long)getpid(), seq++);
}

struct wcache {
	int dir;		/* the cache, or -1: none */
	int entry;		/* this archive's unpacked files, or -1 */
	int fill;		/* or the entry being made for it, or -1 */
	int link;		/* made with hard links: the venv is on the same filesystem */
	int spoiled, broken;	/* a cached file did not verify; making the entry failed */
	char key[65];		/* SHA-256 of the archive, in hex */
	char fillname[48];
	size_t copies, hashed;	/* files taken from the entry; those hashed again */
	char memo[160];		/* by-stat/ name the key was taken from, or "" */
	const struct wfile *f0;	/* the wheel's members, which the signatures' rows are */
	struct wsig *sig;	/* the entry's signatures, or NULL */
};

int wcache_trusts(struct wcache *c, const struct wfile *f, const struct stat *st, int linking,
		  unsigned char sha[32])
{
	return c->sig && wsig_trusts(c->sig, f - c->f0, st, f->want, linking, sha);
}

void wcache_verified(struct wcache *c, const struct wfile *f, const struct stat *st,
		     const unsigned char *sha)
{
	__atomic_fetch_add(&c->copies, 1, __ATOMIC_RELAXED);
	if (!sha)
		return;
	__atomic_fetch_add(&c->hashed, 1, __ATOMIC_RELAXED);
	if (c->sig)
		wsig_vouch(c->sig, f - c->f0, st, f->want, sha);
}

/* The cache for installing W (with KEY, found here when it is not known yet) into the venv at
 * VENVFD, or one that does nothing: CACHEDIR NULL, W taken without every hash, or no cache to
 * be had. */
struct wcache *wcache_begin(const char *cachedir, const struct wheel *w, struct wkey *key, int venvfd)
{
	struct wcache *c = xmalloc(sizeof *c);
	struct stat a, b;

	memset(c, 0, sizeof *c);
	c->dir = c->entry = c->fill = -1;
	if (!cachedir || w->relax_hash || !w->z.map || (c->dir = wcache_dir(cachedir, 1, NULL)) < 0)
		return c;
	wkey_find(cachedir, &w->z, key);
	snprintf(c->key, sizeof c->key, "%s", key->sha256);
	c->entry = openat(c->dir, c->key, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (key->remembered)
		wkey_memo_name(&w->z.st, c->memo, sizeof c->memo);
	if (c->entry < 0 && key->remembered) {	/* no entry to check it against: hash after all */
		wkey_forget(c->dir, c->memo);
		c->memo[0] = 0;
		wkey_digest(&w->z, key);
		snprintf(c->key, sizeof c->key, "%s", key->sha256);
		c->entry = openat(c->dir, c->key, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (c->entry < 0) {	/* a cold install: what others left behind goes first */
		file_remove_orphans(c->dir, ".fill-");
		file_remove_orphans(c->dir, ".drop-");
		file_remove_orphans(c->dir, ".stat-");
		file_remove_orphans(c->dir, ".sig-");
		wkey_prune(c->dir);
	}
	if (!key->remembered)
		wkey_remember(c->dir, &w->z, key);
	if (c->entry >= 0) {
		c->f0 = w->f;
		c->sig = wsig_load(c->dir, c->key, w->nf);
		return c;
	}
	wsig_drop(c->dir, c->key);	/* an entry dropped before: nothing is known of a new one */
	private_name(c->fillname, sizeof c->fillname, "fill");
	if (mkdirat(c->dir, c->fillname, 0700) == 0)
		c->fill = openat(c->dir, c->fillname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	c->link = c->fill >= 0 && fstat(c->fill, &a) == 0 && fstat(venvfd, &b) == 0 && a.st_dev == b.st_dev;
	return c;
}

void wcache_end(struct wcache *c, int installed, struct wcachestats *st)
{
	char drop[48], name[80];

	st->copies = c->copies;
	st->hashed = c->hashed;
	st->spoiled = c->spoiled;
	st->kept = c->fill >= 0 && !c->broken;

	if (c->fill >= 0) {
		close(c->fill);
		if (!installed || c->broken || renameat(c->dir, c->fillname, c->dir, c->key) < 0)
			file_rmtree(c->dir, c->fillname, NULL);	/* lost a race, or no good */
	}
	if (c->entry >= 0) {
		close(c->entry);
		private_name(drop, sizeof drop, "drop");
		if (c->spoiled) {
			snprintf(name, sizeof name, "%s.stat", c->key);	/* left by older versions */
			unlinkat(c->dir, name, 0);
			if (c->memo[0])	/* the key itself may be what was wrong */
				wkey_forget(c->dir, c->memo);
			wsig_drop(c->dir, c->key);
			if (renameat(c->dir, c->key, c->dir, drop) == 0)
				file_rmtree(c->dir, drop, NULL);	/* the next cold install makes it again */
		} else if (installed) {
			wsig_save(c->sig, c->dir, c->key);
		}
		wsig_free(c->sig);
	}
	if (c->dir >= 0)
		close(c->dir);
	free(c);
}

int wcache_root(const struct wcache *c)
{
	return c->entry >= 0 ? c->entry : c->fill;
}

int wcache_reading(const struct wcache *c)
{
	return c->entry >= 0;
}

int wcache_linking(const struct wcache *c)
{
	return c->link;
}

void wcache_spoiled(struct wcache *c)
{
	__atomic_store_n(&c->spoiled, 1, __ATOMIC_RELAXED);
}

static void broken(struct wcache *c)
{
	__atomic_store_n(&c->broken, 1, __ATOMIC_RELAXED);
}

int wcache_open(struct wcache *c, struct dircache *dc, const char *member, uint64_t size,
		struct stat *st)
{
	const char *base;
	int dfd, fd;

	if (c->entry < 0 || (dfd = dircache_parent(dc, member, 0, &base, NULL)) < 0)
		return -1;
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, st) < 0 || !S_ISREG(st->st_mode) || (uint64_t)st->st_size != size)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int wcache_stat(struct wcache *c, struct dircache *dc, const char *member, uint64_t size,
		struct stat *st)
{
	const char *base;
	int dfd;

	if (c->entry < 0 || (dfd = dircache_parent(dc, member, 0, &base, NULL)) < 0 ||
	    fstatat(dfd, base, st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	return S_ISREG(st->st_mode) && (uint64_t)st->st_size == size ? 0 : -1;
}

int wcache_link(struct wcache *c, struct dircache *dc, const char *member, const struct stat *st,
		int dirfd, const char *name)
{
	struct stat now;
	const char *base;
	int pfd;

	if (c->entry < 0 || (pfd = dircache_parent(dc, member, 0, &base, NULL)) < 0 ||
	    linkat(pfd, base, dirfd, name, 0) < 0)
		return 0;
	/* the name may have been pointed at another file since ST was taken, or the file written
	 * meanwhile: that one is not it */
	if (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) < 0 || !wsig_same(st, &now, 1)) {
		unlinkat(dirfd, name, 0);
		return 0;
	}
	return 1;
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
	if (fd >= 0 && file_write_all(fd, p, n) < 0)
		broken(c);
}

void wcache_close(struct wcache *c, int fd)
{
	if (fd < 0)
		return;
	if (close(fd) < 0)
		broken(c);
}
