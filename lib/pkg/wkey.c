/* wkey.c: the cache of unpacked wheels' directory, and its keys: an archive is known by its
 * SHA-256, computed, or remembered by what a change to the file would change (by-stat/). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "pkg/pkg.h"

#define SUBDIR "wheels-1"	/* the layout's version: a new one starts afresh */

/* A directory of ours that no one else may write to, opened without following a link;
 * else -1, WHY saying what it is instead (errno kept). */
static int own_dir(int at, const char *name, struct err *why)
{
	struct stat st;
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), saved = errno;

	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))	/* a link is ENOTDIR too (O_DIRECTORY) */
		err_set(why, "%s", fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)
			? "a symbolic link" : "not a directory");
	else if (fd < 0 || fstat(fd, &st) < 0)
		err_set(why, "%s", strerror(errno));
	else if (st.st_uid != geteuid())
		err_set(why, "owned by uid %u, not by this user (uid %u)", (unsigned)st.st_uid,
			(unsigned)geteuid());
	else if (st.st_mode & 022)
		err_set(why, "writable by others (mode %03o)", (unsigned)(st.st_mode & 0777));
	else
		return fd;
	if (fd >= 0) {
		close(fd);
		saved = EACCES;	/* there, but not ours */
	}
	errno = saved;
	return -1;
}

/* The cache directory found for a path, kept for the other wheels of the run: each would
 * walk the same path from / again (about 40 system calls a wheel). */
static char memo_path[PATH_MAX];
static int memo_fd = -1;
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;	/* two threads open wheels */

/* The cache's directory for this layout below PATH (absolute, or from the current
 * directory), made as needed (MAKE), or -1: E (may be NULL) says why the cache is not used,
 * or is "" when it is only not there yet (not MAKE). Every component of PATH is reached
 * without following a link, from the first one given: a cache reached through a link is not
 * used. Making directories is not a fault point: no cache is no failure. */
int wcache_dir(const char *path, int make, struct err *e)
{
	char p[PATH_MAX];
	const char *base;
	struct dircache dc;
	struct err what = { "" };
	size_t n = path ? strlen(path) : 0;
	int root = AT_FDCWD, at, top, fd = -1;

	if (e)
		e->msg[0] = 0;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (!n || n >= sizeof p)
		return err_set(e, "%s: not a directory the cache can be in", path ? path : "");
	memcpy(p, path, n);
	p[n] = 0;
	pthread_mutex_lock(&memo_lock);
	if (memo_fd >= 0 && !strcmp(memo_path, p))	/* the directory the walk below found before */
		fd = fcntl(memo_fd, F_DUPFD_CLOEXEC, 0);
	pthread_mutex_unlock(&memo_lock);
	if (fd >= 0)
		return fd;
	if (p[0] == '/' && (root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_sys(e, "/");
	dircache_init(&dc, root, 1);
	dc.mode = 0700;
	at = dircache_parent(&dc, p, make, &base, e);
	if (at != -1 && make && mkdirat(at, base, 0700) < 0 && errno != EEXIST)
		err_sys(e, "%s: cannot be made", p);
	else if (at != -1 && (top = own_dir(at, base, &what)) < 0)
		err_set(e, "%s: %s", p, what.msg);
	else if (at != -1) {
		if (make && mkdirat(top, SUBDIR, 0700) < 0 && errno != EEXIST)
			err_sys(e, "%s/" SUBDIR ": cannot be made", p);
		else if ((fd = own_dir(top, SUBDIR, &what)) < 0)
			err_set(e, "%s/" SUBDIR ": %s", p, what.msg);
		close(top);
	}
	if (fd < 0 && errno == ENOENT && !make && e)
		e->msg[0] = 0;	/* not there yet: made when an install fills it */
	dircache_close(&dc);
	if (root >= 0)
		close(root);
	if (fd >= 0) {
		pthread_mutex_lock(&memo_lock);
		if (memo_fd >= 0)
			close(memo_fd);
		memo_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		memcpy(memo_path, p, n + 1);
		pthread_mutex_unlock(&memo_lock);
	}
	return fd;
}

/* ---- the archive's SHA-256, remembered by what a change to the file would change ---- */
void wkey_digest(const struct zip *z, struct wkey *k)
{
	char hex[129];

	zip_digest(z, "sha256", hex);
	memcpy(k->sha256, hex, 65);
	k->remembered = 0;
}

#define SETTLED 2	/* seconds: an archive changed this recently might change again unseen */

void wkey_memo_name(const struct stat *st, char *out, size_t n)
{
	snprintf(out, n, "%llx-%llx-%llx-%lld.%09ld-%lld.%09ld", (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino, (unsigned long long)st->st_size,
		 (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec,
		 (long long)st->st_ctim.tv_sec, (long)st->st_ctim.tv_nsec);
}

/* by-stat/DEV-INO-SIZE-MTIME-CTIME is a symbolic link (never followed, only read) to the
 * SHA-256 the archive had when it was hashed. Only an archive left alone for SETTLED seconds
 * is remembered, so that a change in the same clock tick as its times cannot go unseen
 * (git's "racy clean" rule). A remembered hash that were wrong could only pick the wrong entry,
 * whose files would then fail the RECORD checks: slow, never wrong. Looking makes nothing:
 * a wheel may yet be refused, and leaves no trace then. */
void wkey_find(const char *cachedir, const struct zip *z, struct wkey *k)
{
	char name[160], got[80] = "";
	int dir, memo;

	if (k->sha256[0])
		return;
	wkey_memo_name(&z->st, name, sizeof name);
	dir = wcache_dir(cachedir, 0, NULL);
	memo = dir < 0 ? -1 : own_dir(dir, "by-stat", NULL);
	if (memo >= 0 && readlinkat(memo, name, got, sizeof got - 1) == 64) {
		got[64] = 0;
	}
	if (memo >= 0 && got[0] && strspn(got, "0123456789abcdef") == 64) {
		memcpy(k->sha256, got, 64);
		k->sha256[64] = 0;
		k->remembered = 1;
	} else {
		wkey_digest(z, k);
	}
	if (memo >= 0)
		close(memo);
	if (dir >= 0)
		close(dir);
}

/* The key remembered under by-stat/MEMO is not to be trusted: it goes. */
void wkey_forget(int dir, const char *memo)
{
	int fd = own_dir(dir, "by-stat", NULL);

	if (fd >= 0) {
		unlinkat(fd, memo, 0);
		close(fd);
	}
}

/* Keys of archives whose entry is gone go too (on a cold install, when entries are made):
 * by-stat/ does not grow without end. */
void wkey_prune(int dir)
{
	char target[80];
	struct dirent *de;
	struct stat st;
	int memo = own_dir(dir, "by-stat", NULL);
	DIR *d = memo >= 0 ? fdopendir(memo) : NULL;
	ssize_t n;

	if (!d) {
		if (memo >= 0)
			close(memo);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(memo, de->d_name, target, sizeof target - 1);
		if (n != 64 || (target[64] = 0, fstatat(dir, target, &st, AT_SYMLINK_NOFOLLOW) < 0))
			unlinkat(memo, de->d_name, 0);
	}
	closedir(d);
}

/* Installing W: its key remembered, when it was not and W has settled. */
void wkey_remember(int dir, const struct zip *z, const struct wkey *k)
{
	const struct stat *st = &z->st;
	char name[160], got[80];
	struct timespec now;
	int memo;

	clock_gettime(CLOCK_REALTIME, &now);
	if (st->st_ctim.tv_sec + SETTLED >= now.tv_sec || st->st_mtim.tv_sec + SETTLED >= now.tv_sec)
		return;
	wkey_memo_name(st, name, sizeof name);
	if (mkdirat(dir, "by-stat", 0700) < 0 && errno != EEXIST)
		return;
	memo = own_dir(dir, "by-stat", NULL);
	if (memo >= 0 && readlinkat(memo, name, got, sizeof got) < 0)
		symlinkat(k->sha256, memo, name);
	if (memo >= 0)
		close(memo);
}
