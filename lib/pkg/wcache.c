/* wcache.c: a cache of unpacked wheels. A wheel installed once is, the next time, copied
 * from its unpacked files instead of inflated again, as virtualenv's app-data and uv's cache
 * do for their seeds.
 *
 * Trust: an entry is named by the SHA-256 of the whole archive, so it stands only for a
 * byte-identical wheel, which passed every check when the entry was made. A cached file is
 * hashed again as it is copied and must match the wheel's RECORD, or the member is inflated
 * from the archive after all and the entry is dropped, unless it is known unchanged since
 * it was last so verified: KEY.stat, beside the entry, keeps for each file its hash and
 * what any change to it would change (inode, size, modification and status-change times;
 * the last cannot be set by anyone but the kernel, and moves with every write, link or
 * rename of the file). A change in the same clock tick as a signature was taken might not
 * show (git's "racy clean" files), so a signature counts only for a file whose ctime is
 * older than the install that took it began (SINCE, in KEY.stat); a file changed after that
 * has a newer ctime. A trusted file is checked again after it is copied. An edited or
 * truncated cache can cost time, never correctness.
 *
 * Filling: a cold install keeps each member it has written and verified, as a hard link to
 * that file (a copy when the cache is on another filesystem), in a private directory that is
 * renamed into place once the install has succeeded. Nothing here can fail an install: any
 * trouble with the cache means no cache.
 *
 * Where: the directory the caller names (mkvenv: $VENVBOX_CACHE_DIR, else
 * $XDG_CACHE_HOME/venvbox, else ~/.cache/venvbox), only when it is the user's own and no
 * one else can write to it. */
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
	size_t nf;		/* the wheel's files, which the signatures are numbered by */
	struct wsig *known;	/* KEY.stat: each cached file as last verified, or NULL */
	struct timespec when;	/* only files changed before this are known by it */
	struct timespec begun;	/* when this install began: the new KEY.stat's SINCE */
	struct wsig *seen;	/* as this install verified them, for a new KEY.stat */
	size_t known_copies, hashed_copies;	/* files taken from the entry, either way (hashed:
						 * KEY.stat is written anew) */
	char memo[160];		/* by-stat/ name the key was taken from, or "" */
};

/* ---- KEY.stat: each cached file's signature, numbered as the wheel's files are ---- */
struct wsig {
	uint64_t ino, size;
	int64_t csec, msec;	/* status change and modification times */
	int32_t cnsec, mnsec;
	unsigned char sha[32];
	uint32_t set;
	uint32_t pad;
};
static const char stat_magic[8] = "vbstat2\n";	/* then NF, the record's size, and SINCE */

static void stat_name(const struct wcache *c, char *out, size_t n)
{
	snprintf(out, n, "%s.stat", c->key);
}

static void sign(struct wsig *g, const struct stat *st, const unsigned char sha[32])
{
	memset(g, 0, sizeof *g);
	g->ino = st->st_ino;
	g->size = st->st_size;
	g->csec = st->st_ctim.tv_sec;
	g->cnsec = st->st_ctim.tv_nsec;
	g->msec = st->st_mtim.tv_sec;
	g->mnsec = st->st_mtim.tv_nsec;
	memcpy(g->sha, sha, 32);
	g->set = 1;
}

static int same_sig(const struct wsig *a, const struct wsig *b)
{
	return a->set && b->set && a->ino == b->ino && a->size == b->size && a->csec == b->csec
	       && a->cnsec == b->cnsec && a->msec == b->msec && a->mnsec == b->mnsec
	       && !memcmp(a->sha, b->sha, 32);
}

/* KEY.stat as its last writer left it, if it is one for this wheel. */
static void stat_load(struct wcache *c)
{
	struct { char magic[sizeof stat_magic]; uint64_t head[4]; } h;
	char name[80];
	struct stat st;
	size_t body = c->nf * sizeof *c->known;
	int fd;

	stat_name(c, name, sizeof name);
	fd = openat(c->dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == sizeof h + body
	    && pread(fd, &h, sizeof h, 0) == (ssize_t)sizeof h && !memcmp(h.magic, stat_magic, sizeof stat_magic)
	    && h.head[0] == c->nf && h.head[1] == sizeof *c->known && h.head[3] < 1000000000) {
		c->known = xmalloc(body + 1);
		if (pread(fd, c->known, body, sizeof h) != (ssize_t)body) {
			free(c->known);
			c->known = NULL;
		}
		/* SINCE, by the clock, or the file's own time, by the filesystem's: the earlier */
		c->when.tv_sec = (time_t)h.head[2];
		c->when.tv_nsec = (long)h.head[3];
		if (st.st_mtim.tv_sec < c->when.tv_sec
		    || (st.st_mtim.tv_sec == c->when.tv_sec && st.st_mtim.tv_nsec < c->when.tv_nsec))
			c->when = st.st_mtim;
	}
	close(fd);
}

/* A new KEY.stat from what this install saw and, where it saw nothing, what was known. */
static void stat_save(struct wcache *c)
{
	char tmp[48], name[80];
	uint64_t head[4] = { c->nf, sizeof *c->seen, (uint64_t)c->begun.tv_sec, (uint64_t)c->begun.tv_nsec };
	size_t i;
	int fd, ok;

	for (i = 0; c->known && i < c->nf; i++)
		if (!c->seen[i].set)
			c->seen[i] = c->known[i];
	private_name(tmp, sizeof tmp, "stat");
	fd = openat(c->dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	ok = file_write_all(fd, stat_magic, sizeof stat_magic) == 0 && file_write_all(fd, head, sizeof head) == 0
	     && file_write_all(fd, c->seen, c->nf * sizeof *c->seen) == 0;
	stat_name(c, name, sizeof name);
	if (close(fd) < 0 || !ok || renameat(c->dir, tmp, c->dir, name) < 0)
		unlinkat(c->dir, tmp, 0);
}

/* File I, as *ST shows it now, is as it was when last verified, and its hash is WANT. */
static int known_unchanged(const struct wcache *c, size_t i, const struct stat *st,
			   const unsigned char *want)
{
	struct wsig now;

	if (!c->known || !want || i >= c->nf)
		return 0;
	sign(&now, st, want);
	if (!same_sig(&c->known[i], &now))
		return 0;
	/* changed in the tick the record was written, it might still look the same */
	return now.csec < c->when.tv_sec || (now.csec == c->when.tv_sec && now.cnsec < c->when.tv_nsec);
}

static void seen(struct wcache *c, size_t i, const struct stat *st, const unsigned char sha[32])
{
	if (!c->seen || i >= c->nf)
		return;
	sign(&c->seen[i], st, sha);	/* hashed: a new record, by whose time it may count */
}

void wcache_verified(struct wcache *c, size_t i, const struct stat *st, const unsigned char sha[32])
{
	__atomic_fetch_add(&c->hashed_copies, 1, __ATOMIC_RELAXED);
	seen(c, i, st, sha);
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
	c->nf = w->nf;
	c->seen = calloc(c->nf + 1, sizeof *c->seen);	/* none: no new KEY.stat, nothing lost */
	clock_gettime(CLOCK_REALTIME_COARSE, &c->begun);	/* the clock file times are taken from */
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
		wkey_prune(c->dir);
	}
	if (!key->remembered)
		wkey_remember(c->dir, &w->z, key);
	if (c->entry >= 0) {
		stat_load(c);
		return c;
	}
	private_name(c->fillname, sizeof c->fillname, "fill");
	if (mkdirat(c->dir, c->fillname, 0700) == 0)
		c->fill = openat(c->dir, c->fillname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	c->link = c->fill >= 0 && fstat(c->fill, &a) == 0 && fstat(venvfd, &b) == 0 && a.st_dev == b.st_dev;
	return c;
}

void wcache_end(struct wcache *c, int installed, struct wcachestats *st)
{
	char drop[48], name[80];

	st->known_copies = c->known_copies;
	st->hashed_copies = c->hashed_copies;
	st->spoiled = c->spoiled;
	st->kept = c->fill >= 0 && !c->broken;

	if (c->fill >= 0) {
		close(c->fill);
		if (!installed || c->broken || renameat(c->dir, c->fillname, c->dir, c->key) < 0)
			file_rmtree(c->dir, c->fillname, NULL);	/* lost a race, or no good */
		else if (c->seen)
			stat_save(c);
	}
	if (c->entry >= 0) {
		close(c->entry);
		private_name(drop, sizeof drop, "drop");
		if (c->spoiled) {
			stat_name(c, name, sizeof name);
			unlinkat(c->dir, name, 0);
			if (c->memo[0])	/* the key itself may be what was wrong */
				wkey_forget(c->dir, c->memo);
			if (renameat(c->dir, c->key, c->dir, drop) == 0)
				file_rmtree(c->dir, drop, NULL);	/* the next cold install makes it again */
		} else if (installed && c->hashed_copies && c->seen) {
			stat_save(c);	/* what was verified by hashing need not be next time */
		}
	}
	if (c->dir >= 0)
		close(c->dir);
	free(c->known);
	free(c->seen);
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

int wcache_feed(struct wcache *c, struct dircache *dc, size_t i, const char *member, uint64_t size,
		const unsigned char *want, int out,
		int (*sink)(void *ctx, const unsigned char *p, size_t n, struct err *e),
		void *ctx, struct stat *st, struct err *e)
{
	unsigned char buf[65536];
	const char *base;
	uint64_t done = 0;
	ssize_t n;
	int dfd, fd;

	if (c->entry < 0 || (dfd = dircache_parent(dc, member, 0, &base, NULL)) < 0)
		return 0;
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode) || (uint64_t)st->st_size != size) {
		close(fd);
		return 0;
	}
	if (out >= 0 && known_unchanged(c, i, st, want)) {
		int64_t r = file_copy_fd(fd, out, size);
		struct stat after;
		int same;

		if (r < 0 && (errno == ENOSPC || errno == EDQUOT || errno == EFBIG)) {
			close(fd);	/* the venv's side: not the cache's fault */
			return err_sys(e, "write");
		}
		/* and still unchanged when copied: a write meanwhile would have moved its ctime */
		same = r == (int64_t)size && fstat(fd, &after) == 0 && after.st_ino == st->st_ino
		       && after.st_size == st->st_size && !memcmp(&after.st_ctim, &st->st_ctim, sizeof after.st_ctim)
		       && !memcmp(&after.st_mtim, &st->st_mtim, sizeof after.st_mtim);
		close(fd);
		if (same)
			__atomic_fetch_add(&c->known_copies, 1, __ATOMIC_RELAXED);
		return same ? 2 : 0;
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

void wcache_keep_link(struct wcache *c, struct dircache *dc, size_t i, const char *member,
		      int dirfd, const char *name, const unsigned char sha[32])
{
	const char *base;
	struct stat st;
	int pfd;

	if (!wcache_filling(c))
		return;
	pfd = dircache_parent(dc, member, 1, &base, NULL);
	if (pfd < 0 || linkat(dirfd, name, pfd, base, 0) < 0)
		broken(c);
	else if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0)	/* linking changed its ctime */
		seen(c, i, &st, sha);
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

void wcache_close(struct wcache *c, size_t i, int fd, const unsigned char sha[32])
{
	struct stat st;

	if (fd < 0)
		return;
	if (sha && fstat(fd, &st) == 0)
		seen(c, i, &st, sha);
	if (close(fd) < 0)
		broken(c);
}
