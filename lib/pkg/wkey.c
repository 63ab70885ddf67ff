/* wkey.c: the cache of unpacked wheels' directory, and its keys: an archive is known by its
 * SHA-256, computed, or remembered by what a change to the file would change (by-stat/). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "pkg/pkg.h"

#define SUBDIR "wheels-1"	/* the layout's version: a new one starts afresh */

/* A directory of ours that no one else may write to, opened without following a link;
 * else -1, and WHY (may be NULL) says what it is instead. */
static int own_dir(int at, const char *name, struct err *why)
{
	struct stat st;
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct err ignore;

	if (!why)
		why = &ignore;
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
	if (fd >= 0)
		close(fd);
	return -1;
}

/* The cache's directory for this layout below PATH (absolute), made as needed, or -1 and
 * WHY (may be NULL) says why it is not used (making directories is not a fault point: no
 * cache is no failure). */
int wcache_dir(const char *path, int make, struct err *why)
{
	struct err ignore, what = { "" };
	int top, fd;

	if (!why)
		why = &ignore;
	if (!path || path[0] != '/' || strlen(path) >= PATH_MAX - 1)
		return err_set(why, "%s: not an absolute path that fits", path ? path : "?");
	if (make && file_mkdirs_quiet(AT_FDCWD, path, 0700) < 0 && errno != EEXIST)	/* else: said below */
		return err_sys(why, "%s: cannot be made", path);
	top = own_dir(AT_FDCWD, path, &what);
	if (top < 0)
		return err_set(why, "%s: %s", path, what.msg);
	if (make && mkdirat(top, SUBDIR, 0700) < 0 && errno != EEXIST) {
		err_sys(why, "%s/%s: cannot be made", path, SUBDIR);
		close(top);
		return -1;
	}
	fd = own_dir(top, SUBDIR, &what);
	close(top);
	if (fd < 0)
		err_set(why, "%s/%s: %s", path, SUBDIR, what.msg);
	return fd;
}


/* ---- the archive's SHA-256, remembered by what a change to the file would change ---- */
void wkey_digest(const struct zip *z, struct wkey *k)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[32];
	struct sha256 h;
	int i;

	sha256_init(&h);
	sha256_update(&h, z->map, z->size);
	sha256_final(&h, d);
	for (i = 0; i < 32; i++) {
		k->sha256[2 * i] = hex[d[i] >> 4];
		k->sha256[2 * i + 1] = hex[d[i] & 15];
	}
	k->sha256[64] = 0;
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
 * (as KEY.stat's rule). A remembered hash that were wrong could only pick the wrong entry,
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
	char name[176];

	snprintf(name, sizeof name, "by-stat/%s", memo);
	unlinkat(dir, name, 0);
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
