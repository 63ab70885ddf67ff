/* file.c: unit tests of lib/base/path.c (os.path.abspath's rules, dirname, basename), of
 * lib/base/file.c's rmtree and of lib/base/dircache.c's walk that follows no link. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/base.h"
#include "unit.h"

static void abs_is(const char *name, const char *in, const char *want)
{
	char *got = path_abs(in);

	UT_STREQ(name, got, want);
	free(got);
}

static void paths(void)
{
	char cwd[4096], want[4200];
	char *d;

	abs_is("abspath/root", "/", "/");
	abs_is("abspath/dots", "/a/./b//c/..", "/a/b");
	abs_is("abspath/above-root", "/../x", "/x");
	abs_is("abspath/trailing", "/a/b/", "/a/b");
	UT_OK("abspath/cwd", getcwd(cwd, sizeof cwd) != NULL);
	snprintf(want, sizeof want, "%s/.venv", cwd);
	abs_is("abspath/relative", ".venv", want);
	abs_is("abspath/relative-dots", "x/../.venv", want);
	d = path_dir("/a/b");
	UT_STREQ("dirname/plain", d, "/a");
	free(d);
	d = path_dir("/a");
	UT_STREQ("dirname/root", d, "/");
	free(d);
	UT_STREQ("basename", path_base("/a/b.c"), "b.c");
}

/* TMP/keep/file, and TMP/gone/sub/link pointing at TMP/keep: 0 made, -1 not (said). */
static int rmtree_setup(const char *tmp)
{
	char p[4200], target[4200];
	int fd, ok = 1;

	snprintf(p, sizeof p, "%s/keep", tmp);
	ok &= mkdir(p, 0755) == 0;
	snprintf(p, sizeof p, "%s/keep/file", tmp);
	fd = open(p, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	ok &= fd >= 0 && close(fd) == 0;
	snprintf(p, sizeof p, "%s/gone/sub", tmp);
	ok &= file_mkdirs(AT_FDCWD, p, 0755, NULL) == 0;
	snprintf(p, sizeof p, "%s/gone/sub/link", tmp);
	snprintf(target, sizeof target, "%s/keep", tmp);
	ok &= symlink(target, p) == 0;
	UT_OK("rmtree/setup", ok);
	return ok ? 0 : -1;
}

/* rmtree removes links, never what they point to */
static void rmtree(void)
{
	char tmp[] = "/tmp/venvbox-unit-XXXXXX", p[4200];
	struct stat st;
	int made = mkdtemp(tmp) != NULL;

	UT_OK("rmtree/mkdtemp", made);
	if (!made || rmtree_setup(tmp)) {	/* already failed: not tested is not passed */
		if (made)
			file_rmtree(AT_FDCWD, tmp, NULL);
		return;
	}
	snprintf(p, sizeof p, "%s/gone", tmp);
	UT_OK("rmtree/ok", file_rmtree(AT_FDCWD, p, NULL) == 0);
	UT_OK("rmtree/gone", lstat(p, &st) != 0);
	snprintf(p, sizeof p, "%s/keep/file", tmp);
	UT_OK("rmtree/link-target-kept", lstat(p, &st) == 0 && S_ISREG(st.st_mode));
	UT_OK("rmtree/all", file_rmtree(AT_FDCWD, tmp, NULL) == 0 && lstat(tmp, &st) != 0);
}

/* dircache_open: TMP/a/b is reached, TMP/l (a link to TMP/a) is refused anywhere on the way,
 * "PATH/" opens PATH itself, missing directories are made only when asked. */
static void beneath(void)
{
	char tmp[] = "/tmp/venvbox-unit-XXXXXX", p[4200];
	struct stat a, b;
	const char *base;
	int root, fd, made = mkdtemp(tmp) != NULL;

	UT_OK("beneath/mkdtemp", made);
	if (!made)
		return;
	snprintf(p, sizeof p, "%s/a/b", tmp);
	made = file_mkdirs(AT_FDCWD, p, 0755, NULL) == 0;
	snprintf(p, sizeof p, "%s/l", tmp);
	made &= symlink("a", p) == 0;
	root = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	UT_OK("beneath/setup", made && root >= 0);
	if (!made || root < 0) {
		file_rmtree(AT_FDCWD, tmp, NULL);
		return;
	}
	fd = dircache_open(root, "a/b/f", 0, &base, NULL);
	UT_OK("beneath/plain", fd >= 0 && !strcmp(base, "f") && fstat(fd, &a) == 0
		&& fstatat(root, "a/b", &b, 0) == 0 && a.st_ino == b.st_ino);
	if (fd >= 0)
		close(fd);
	fd = dircache_open(root, "a/b/", 0, &base, NULL);
	UT_OK("beneath/itself", fd >= 0 && !*base && fstat(fd, &a) == 0 && a.st_ino == b.st_ino);
	if (fd >= 0)
		close(fd);
	fd = dircache_open(root, "f", 0, &base, NULL);
	UT_OK("beneath/one-component-new-fd", fd >= 0 && fd != root && fstat(fd, &a) == 0
		&& fstat(root, &b) == 0 && a.st_ino == b.st_ino);
	if (fd >= 0)
		close(fd);
	fd = dircache_open(root, "l/b/f", 1, &base, NULL);
	UT_OK("beneath/link-first", fd < 0 && (errno == ELOOP || errno == ENOTDIR));
	fd = dircache_open(root, "l/", 0, &base, NULL);
	UT_OK("beneath/link-last", fd < 0 && (errno == ELOOP || errno == ENOTDIR));
	fd = dircache_open(root, "a/../l/f", 0, &base, NULL);
	UT_OK("beneath/dots-refused", fd < 0 && errno == EXDEV);
	fd = dircache_open(root, "a/b/../../..", 0, &base, NULL);
	UT_OK("beneath/dots-last-refused", fd < 0 && errno == EXDEV);
	fd = dircache_open(root, "a/..b/f", 0, &base, NULL);
	UT_OK("beneath/dots-in-a-name-kept", fd < 0 && errno == ENOENT);
	fd = dircache_open(root, "a/x/y/f", 0, &base, NULL);
	UT_OK("beneath/missing", fd < 0 && errno == ENOENT && fstatat(root, "a/x", &a, 0) < 0);
	fd = dircache_open(root, "a/x/y/f", 1, &base, NULL);
	UT_OK("beneath/made", fd >= 0 && fstatat(root, "a/x/y", &a, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(a.st_mode));
	if (fd >= 0)
		close(fd);
	close(root);
	UT_OK("beneath/cleanup", file_rmtree(AT_FDCWD, tmp, NULL) == 0);
}

void unit_file(void)
{
	paths();
	rmtree();
	beneath();
}
