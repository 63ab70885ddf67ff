/* file.c: files and directories. Writes are relative to a directory fd, never follow a link,
 * and go through fault_point() so tests can interrupt them anywhere. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/base.h"

int file_read_flags(int dirfd, const char *path, int flags, size_t max, struct buf *out,
		    struct err *e)
{
	char tmp[65536];
	struct stat st;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO or a device put in a file's place never blocks the open */
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | flags);
	if (fd < 0)
		return err_sys(e, "%s", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || ((flags & O_NOFOLLOW) && st.st_uid != geteuid())) {
		close(fd);
		if (S_ISDIR(st.st_mode))
			return errno = EISDIR, err_sys(e, "%s", path);
		errno = EINVAL;
		return err_set(e, "%s: not a regular file%s", path, flags & O_NOFOLLOW ? " of this user's" : "");
	}
	buf_reset(out);
	while ((n = read(fd, tmp, sizeof tmp)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_sys(e, "%s", path);
			close(fd);
			return -1;
		}
		if (out->len + n > max) {
			close(fd);
			return err_set(e, "%s: larger than %zu bytes", path, max);
		}
		buf_add(out, tmp, n);
	}
	close(fd);
	if (!out->s)
		buf_add(out, "", 0);
	return 0;
}

int file_read(int dirfd, const char *path, size_t max, struct buf *out, struct err *e)
{
	return file_read_flags(dirfd, path, 0, max, out, e);
}

int file_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* SIZE bytes of FD fed to SINK as they are read: 1 all of them; 0 the file gave fewer
 * (SINK may have had part); -1 SINK failed (E says why). */
int file_feed(int fd, uint64_t size, int (*sink)(void *ctx, const unsigned char *p, size_t n, struct err *e),
	      void *ctx, struct err *e)
{
	unsigned char buf[65536];
	uint64_t done = 0;
	ssize_t n;

	while (done < size) {
		n = read(fd, buf, size - done < sizeof buf ? size - done : sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (sink(ctx, buf, n, e))
			return -1;
		done += n;
	}
	return 1;
}

static int digest_sink(void *ctx, const unsigned char *p, size_t n, struct err *e)
{
	(void)e;
	digest_update(ctx, p, n);
	return 0;
}

int file_digest(const char *path, const char *alg, char hex[129])
{
	struct digest d;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	digest_init(&d, alg);
	r = fstat(fd, &st) == 0 ? file_feed(fd, (uint64_t)st.st_size, digest_sink, &d, NULL) : 0;
	close(fd);
	if (r != 1)
		return -1;
	digest_hex(&d, hex);
	return 0;
}

int file_write_new(int dirfd, const char *name, const void *data, size_t len,
		  mode_t mode, struct err *e)
{
	int fd;

	if (fault_point(e))
		return -1;
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
	if (fd < 0)
		return err_sys(e, "cannot create %s", name);
	if (((mode & FILE_MODE_EXACT) && fchmod(fd, mode & 07777) < 0)	/* the file, never a name */
	    || file_write_all(fd, data, len) < 0) {
		err_sys(e, "cannot write %s", name);
		close(fd);
		unlinkat(dirfd, name, 0);
		return -1;
	}
	if (close(fd) < 0) {
		err_sys(e, "cannot write %s", name);
		unlinkat(dirfd, name, 0);
		return -1;
	}
	return 0;
}

/* The temporary name lives in the same directory as NAME so the rename is atomic. */
static void tmpname(char *out, size_t n, const char *name)
{
	const char *slash = strrchr(name, '/');
	int dlen = slash ? (int)(slash - name + 1) : 0;

	snprintf(out, n, "%.*s.%s.venvbox-%ld", dlen, name, name + dlen, (long)getpid());
}

int file_write_replace(int dirfd, const char *name, const void *data, size_t len,
		      mode_t mode, struct err *e)
{
	char tmp[PATH_MAX];

	tmpname(tmp, sizeof tmp, name);
	unlinkat(dirfd, tmp, 0);
	if (file_write_new(dirfd, tmp, data, len, mode, e))
		return -1;
	if (fault_point(e) || renameat(dirfd, tmp, dirfd, name) < 0) {
		if (!e->msg[0] || errno != EIO)
			err_sys(e, "cannot replace %s", name);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return 0;
}

/* Copies up to N bytes from IN to OUT, from their positions on: inside the kernel where it
 * can (no trip through our memory), with SHARE a reflink where the filesystem shares blocks
 * (copy_file_range; else sendfile, which copies them), else through a buffer. The bytes
 * copied (fewer at end of file), or -1. */
int64_t file_copy_fd(int in, int out, uint64_t n, int share)
{
	char blk[65536];
	uint64_t done = 0;
	int kernel = 1;
	ssize_t r;

	while (done < n) {
		size_t want = n - done < (1u << 30) ? n - done : (1u << 30);

		if (kernel) {
			r = share ? copy_file_range(in, NULL, out, NULL, want, 0) : sendfile(out, in, NULL, want);
			if (r < 0 && errno != EINTR) {	/* not here (ENOSYS, EXDEV, EINVAL...): by hand */
				if (done || (errno != ENOSYS && errno != EXDEV && errno != EINVAL
					     && errno != EOPNOTSUPP && errno != EPERM))
					return -1;
				kernel = 0;
				continue;
			}
		} else {
			r = read(in, blk, want < sizeof blk ? want : sizeof blk);
			if (r > 0 && file_write_all(out, blk, r) < 0)
				return -1;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		done += r;
	}
	return done;
}

int file_copy(const char *src, int dirfd, const char *name, mode_t mode, struct err *e)
{
	char tmp[PATH_MAX];
	int in, out;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err_sys(e, "cannot read %s", src);
	tmpname(tmp, sizeof tmp, name);
	unlinkat(dirfd, tmp, 0);
	if (fault_point(e)) {
		close(in);
		return -1;
	}
	out = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return err_sys(e, "cannot create %s", name);
	}
	if (fchmod(out, mode) < 0 || file_copy_fd(in, out, UINT64_MAX, 1) < 0) {	/* exact, by the fd */
		err_sys(e, "cannot copy %s to %s", src, name);
		goto fail;
	}
	if (close(out) < 0) {
		out = -1;
		err_sys(e, "cannot write %s", name);
		goto fail;
	}
	out = -1;
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		err_sys(e, "cannot create %s", name);
		goto fail;
	}
	close(in);
	return 0;
fail:
	if (out >= 0)
		close(out);
	close(in);
	unlinkat(dirfd, tmp, 0);
	return -1;
}

/* cp -r SRC DIRFD/NAME, links followed (shutil.copytree's default): directories and files
 * keep their permission bits; anything else is skipped. Depth-limited against loops. */
static int copy_tree(const char *src, int dirfd, const char *name, int depth, struct err *e)
{
	struct dirent *de;
	struct stat st;
	char *sub;
	DIR *d;
	int fd, rc = 0;

	if (stat(src, &st) < 0)
		return err_sys(e, "cannot read %s", src);
	if (S_ISREG(st.st_mode))
		return file_copy(src, dirfd, name, st.st_mode & 0777, e);
	if (!S_ISDIR(st.st_mode))
		return 0;
	if (depth > 32)
		return err_set(e, "%s: directories nested too deep to copy", src);
	if (file_mkdir(dirfd, name, st.st_mode & 0777, e))
		return -1;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_sys(e, "cannot open %s", name);
	if (!(d = opendir(src))) {
		close(fd);
		return err_sys(e, "cannot read %s", src);
	}
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = path_join(src, de->d_name);
		rc = copy_tree(sub, fd, de->d_name, depth + 1, e);
		free(sub);
	}
	closedir(d);
	close(fd);
	return rc;
}

int file_copy_tree(const char *src, int dirfd, const char *name, struct err *e)
{
	return copy_tree(src, dirfd, name, 0, e);
}

/* The process's umask, read without leaving it changed. */
mode_t file_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

/* mkdir at a fault point, EEXIST fine for a directory (FOLLOW: or a link to one). */
static int mkdir_one(int dirfd, const char *name, mode_t mode, int follow, struct err *e)
{
	struct stat st;

	if (fault_point(e))
		return -1;
	if (mkdirat(dirfd, name, mode) == 0)
		return 0;
	if (errno == EEXIST && fstatat(dirfd, name, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0
	    && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EEXIST)
		return err_set(e, "cannot create directory %s: a file or link is in the way", name);
	return err_sys(e, "cannot create directory %s", name);
}

int file_mkdir(int dirfd, const char *name, mode_t mode, struct err *e)
{
	return mkdir_one(dirfd, name, mode, 0, e);
}

/* mkdir -p; an existing directory on the way may be a link to one, as mkdir -p takes it
 * (the user's own path to a venv: below it, dircache) */
int file_mkdirs(int dirfd, const char *path, mode_t mode, struct err *e)
{
	char p[PATH_MAX];
	char *s;

	if (strlen(path) >= sizeof p)
		return err_set(e, "%s: path too long", path);
	strcpy(p, path);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir_one(dirfd, p, mode, 1, e))
			return -1;
		*s = '/';
	}
	return mkdir_one(dirfd, p, mode, 0, e);
}

static int rmtree_fd(int dirfd, const char *name, int depth, struct err *e)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : err_sys(e, "cannot remove %s", name);
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			return err_sys(e, "cannot remove %s", name);
		return 0;
	}
	if (depth > 256)
		return err_set(e, "cannot remove %s: too deeply nested", name);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_sys(e, "cannot remove %s", name);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return err_sys(e, "cannot remove %s", name);
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (rmtree_fd(fd, de->d_name, depth + 1, e)) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return err_sys(e, "cannot remove %s", name);
	return 0;
}

int file_rmtree(int dirfd, const char *name, struct err *e)
{
	return rmtree_fd(dirfd, name, 0, e);
}

int file_dir_is_empty(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	int empty = 1;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

long long file_source_date_epoch(void)
{
	const char *v = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (!v || !*v)
		return -1;
	t = strtoll(v, &end, 10);
	if (*end || t < 0)
		return -1;
	return t;
}

static void epoch_tree(int dirfd, const char *name, struct timespec *ts, int depth)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (S_ISDIR(st.st_mode) && depth < 64) {
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && (d = fdopendir(fd))) {
			while ((de = readdir(d)))
				if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
					epoch_tree(fd, de->d_name, ts, depth + 1);
			closedir(d);
		} else if (fd >= 0) {
			close(fd);
		}
	}
	utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW);
}

/* With SOURCE_DATE_EPOCH set, every entry below NAME gets that mtime (reproducible trees). */
void file_set_epoch(int dirfd, const char *name)
{
	long long t = file_source_date_epoch();
	struct timespec ts[2];

	if (t < 0)
		return;
	ts[0].tv_sec = ts[1].tv_sec = t;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	epoch_tree(dirfd, name, ts, 0);
}

/* Is NAME PREFIX<pid> or PREFIX<pid>-... of a process that is gone (or malformed), and
 * not this process's own? */
int file_orphan(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long pid;

	if (strncmp(name, prefix, n))
		return 0;
	pid = strtol(name + n, &end, 10);
	if (pid == getpid() && (*end == 0 || *end == '-'))
		return 0;
	return (*end && *end != '-') || pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH);
}

/* A temporary name of file_write_replace (or a link made the same way) of a process gone:
 * a last ".venvbox-" followed by nothing but its PID. */
static int tmp_orphan(const char *name, const char *unused)
{
	const char *p = NULL, *q;

	for (q = name; (q = strstr(q, ".venvbox-")); q++)
		p = q;
	if (!p || !p[9] || strspn(p + 9, "0123456789") != strlen(p + 9))
		return 0;
	return file_orphan(p, ".venvbox-");
}

DIR *file_entries(int dirfd)
{
	DIR *d;
	int fd = dup(dirfd);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	rewinddir(d);
	return d;
}

void file_each(int dirfd, int (*match)(const char *, const char *), const char *arg,
	       void (*act)(int, const char *))
{
	struct dirent *de;
	DIR *d = file_entries(dirfd);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !match(de->d_name, arg))
			continue;
		if (act)
			act(dirfd, de->d_name);
		else
			file_rmtree(dirfd, de->d_name, NULL);
	}
	closedir(d);
}

void file_remove_orphans(int dirfd, const char *prefix)
{
	file_each(dirfd, file_orphan, prefix, NULL);
}

void file_remove_tmps(int dirfd)
{
	file_each(dirfd, tmp_orphan, NULL, NULL);
}
