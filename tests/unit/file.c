/* file.c: unit tests of lib/base/path.c (os.path.abspath's rules, dirname, basename) and of
 * lib/base/file.c's rmtree. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

void unit_file(void)
{
	paths();
	rmtree();
}
