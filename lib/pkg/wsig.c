/* wsig.c: what a cached file is known by once it has been hashed: its signature (SPEC 2.4),
 * the device, inode, size, mtime and ctime the kernel gave it, kept beside the entry as
 * KEY.sig with the hash it had. A file whose signature is unchanged is the file that was
 * hashed: every write(2) to it moves its mtime and ctime, and only the kernel sets a ctime.
 * Not so a store through a shared mapping: tmpfs never stamps one, and ext4 only on the first
 * store after the page was last written back (git's index has the same blind spot). Such a
 * writer must be able to open the cached file for writing: the user, in the cache or in a
 * venv that shares its inodes (a hard-linked one, or the one whose cold install filled the
 * entry). Closing it is the next step (issue 16's note): no trust on filesystems that do not
 * stamp mapped stores, and times older than the writeback interval on those that do.
 *
 * git's "racy clean" rule: a signature is kept only when the file's times are older, by more
 * than a tick of the clock they come from, than the moment before it was looked at, so that
 * no change after the look can leave them as they were.
 *
 * A hard link made or removed moves the ctime too (the venvs of --link-mode hardlink share
 * the cache's inodes): linking trusts device, inode, size and mtime, which only a write or
 * an explicit utimensat() moves. Copying and cloning trust the ctime as well.
 *
 * The table binds each row to the member's RECORD hash, so a row can only vouch for the
 * content the wheel's own RECORD asks for. What it cannot withstand is a forger running as
 * the user who rewrites a cached file and KEY.sig together; the cache is not used unless it
 * is the user's own and no one else can write it (wkey.c), and VENVBOX_NO_CACHE (--no-cache)
 * leaves it aside for those who share it with code they do not trust. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "pkg/pkg.h"

#define MAGIC "vbsig1\n"	/* 8 bytes with its NUL */

struct sigrow {
	uint64_t dev, ino, size;
	int64_t mtime, ctime;	/* nanoseconds since the epoch */
	uint32_t flags;		/* SIG_*: 0, no signature */
	uint32_t pad;
	unsigned char want[32];	/* the RECORD hash (its first 32 bytes) it was checked against */
	unsigned char sha[32];	/* its SHA-256 */
};
static int64_t ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

#define SIG_KEPT 1	/* mtime settled: linking may trust it */
#define SIG_CTIME 2	/* ctime settled too: copying may */

struct wsig {
	size_t n;
	int changed;
	int64_t since, grain;	/* the time before any file was looked at; a clock tick */
	uid_t uid;
	struct sigrow *row;
};

/* The moment before anything is looked at, by both clocks: ours, and the one the cache's
 * filesystem stamps files with (a file server's may lag behind). Once a run: a moment earlier
 * than needed only keeps fewer signatures. */
static int64_t started, tick;

/* ... and a tick of the coarse clock file times come from, taken four times for margin */
static int64_t start(int dir, int64_t *grain)
{
	struct timespec t;
	struct stat st;
	int64_t now, fs;
	int fd;

	if ((now = __atomic_load_n(&started, __ATOMIC_RELAXED))) {
		*grain = __atomic_load_n(&tick, __ATOMIC_RELAXED);
		return now;
	}
	*grain = clock_getres(CLOCK_REALTIME_COARSE, &t) == 0 ? 4 * ns(&t) : 0;
	if (*grain < 20000000)
		*grain = 20000000;
	__atomic_store_n(&tick, *grain, __ATOMIC_RELAXED);
	clock_gettime(CLOCK_REALTIME, &t);
	now = ns(&t);
	fd = openat(dir, ".clock", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && futimens(fd, NULL) == 0 && fstat(fd, &st) == 0 && (fs = ns(&st.st_mtim)) < now)
		now = fs;
	else if (fd < 0)
		now = 1;	/* no second clock to be had: nothing is settled */
	if (fd >= 0)
		close(fd);
	__atomic_store_n(&started, now, __ATOMIC_RELAXED);
	return now;
}

/* Only a file of the user's own that no one else can write is known by its signature (and
 * only such a KEY.sig is read). */
static int ours(const struct wsig *g, const struct stat *st)
{
	return st->st_uid == g->uid && !(st->st_mode & 022);
}

struct wsig *wsig_load(int dir, const char *key, size_t n)
{
	struct wsig *g = xmalloc(sizeof *g);
	struct stat st;
	char name[80], head[24];
	size_t want = sizeof head + n * sizeof *g->row;
	int fd;

	g->n = n;
	g->changed = 0;
	g->row = xmalloc((n ? n : 1) * sizeof *g->row);
	memset(g->row, 0, (n ? n : 1) * sizeof *g->row);
	g->since = start(dir, &g->grain);
	g->uid = geteuid();
	snprintf(name, sizeof name, "%s.sig", key);
	fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return g;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !ours(g, &st) ||
	    (uint64_t)st.st_size != want || read(fd, head, sizeof head) != sizeof head ||
	    memcmp(head, MAGIC, 8) || memcmp(head + 8, &(uint64_t){ n }, 8) ||
	    read(fd, g->row, n * sizeof *g->row) != (ssize_t)(n * sizeof *g->row))
		memset(g->row, 0, n * sizeof *g->row);	/* not ours, or torn: nothing is known */
	close(fd);
	return g;
}

void wsig_free(struct wsig *g)
{
	if (g) {
		free(g->row);
		free(g);
	}
}

/* A and B the same file, unchanged: the ctime too unless LINKING. */
int wsig_same(const struct stat *a, const struct stat *b, int linking)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mode == b->st_mode &&
	       ns(&a->st_mtim) == ns(&b->st_mtim) && (linking || ns(&a->st_ctim) == ns(&b->st_ctim));
}

int wsig_trusts(const struct wsig *g, size_t i, const struct stat *st, const unsigned char want[32],
		int linking, unsigned char sha[32])
{
	const struct sigrow *r = i < g->n ? &g->row[i] : NULL;

	if (!r || !(r->flags & (linking ? SIG_KEPT : SIG_CTIME)) || !ours(g, st) || memcmp(r->want, want, 32) ||
	    r->dev != (uint64_t)st->st_dev || r->ino != (uint64_t)st->st_ino ||
	    r->size != (uint64_t)st->st_size || r->mtime != ns(&st->st_mtim) ||
	    (!linking && r->ctime != ns(&st->st_ctim)))
		return 0;
	memcpy(sha, r->sha, 32);
	return 1;
}

void wsig_vouch(struct wsig *g, size_t i, const struct stat *st, const unsigned char want[32],
		const unsigned char sha[32])
{
	struct sigrow r = { 0 };
	/* a filesystem that keeps whole seconds (or two, rounded down: FAT) has ticks of its own */
	int64_t grain = st->st_mtim.tv_nsec || st->st_ctim.tv_nsec ? g->grain : 3000000000;

	if (i >= g->n || !ours(g, st) || ns(&st->st_mtim) + grain > g->since)
		return;	/* too fresh to be known by its times: hashed again next time */
	r.dev = st->st_dev;
	r.ino = st->st_ino;
	r.size = st->st_size;
	r.mtime = ns(&st->st_mtim);
	r.ctime = ns(&st->st_ctim);
	r.flags = SIG_KEPT | (r.ctime + grain <= g->since ? SIG_CTIME : 0);
	memcpy(r.want, want, 32);
	memcpy(r.sha, sha, 32);
	if (memcmp(&g->row[i], &r, sizeof r)) {
		g->row[i] = r;	/* rows are the members': two threads never write the same one */
		__atomic_store_n(&g->changed, 1, __ATOMIC_RELAXED);
	}
}

void wsig_save(struct wsig *g, int dir, const char *key)
{
	static unsigned seq;
	char tmp[48], name[80], head[24] = MAGIC;
	uint64_t n = g->n;
	int fd, ok;

	if (!g->changed)
		return;
	syncfs(dir);	/* the files it vouches for on disk before it: a crash leaves no stale row */
	memcpy(head + 8, &n, 8);
	memset(head + 16, 0, 8);
	snprintf(tmp, sizeof tmp, ".sig-%ld-%u", (long)getpid(), __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
	snprintf(name, sizeof name, "%s.sig", key);
	fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	ok = file_write_all(fd, head, sizeof head) == 0 &&
	     file_write_all(fd, g->row, g->n * sizeof *g->row) == 0;
	if (close(fd) < 0 || !ok || renameat(dir, tmp, dir, name) < 0)
		unlinkat(dir, tmp, 0);
}

void wsig_drop(int dir, const char *key)
{
	char name[80];

	snprintf(name, sizeof name, "%s.sig", key);
	unlinkat(dir, name, 0);
}
