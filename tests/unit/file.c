/* fsx.c: unit tests of lib/fsx.c path handling (os.path.abspath's rules) and rmtree. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pkg/pkg.h"
#include "unit.h"

static void abs_is(const char *name, const char *in, const char *want)
{
	char *got = path_abs(in);

	UT_STREQ(name, got, want);
	free(got);
}

void unit_fsx(void)
{
	char cwd[4096], want[4200], tmp[] = "/tmp/venvbox-unit-XXXXXX", p[4200];
	char *d;

	abs_is("abspath/root", "/", "/");
	abs_is("abspath/dots", "/a/./b//c/..", "/a/b");
	abs_is("abspath/above-root", "/../x", "/x");
	abs_is("abspath/trailing", "/a/b/", "/a/b");
	if (getcwd(cwd, sizeof cwd)) {
		snprintf(want, sizeof want, "%s/.venv", cwd);
		abs_is("abspath/relative", ".venv", want);
		abs_is("abspath/relative-dots", "x/../.venv", want);
	}
	d = path_dir("/a/b");
	UT_STREQ("dirname/plain", d, "/a");
	free(d);
	d = path_dir("/a");
	UT_STREQ("dirname/root", d, "/");
	free(d);
	UT_STREQ("basename", path_base("/a/b.c"), "b.c");

	/* rmtree removes links, never what they point to */
	if (!mkdtemp(tmp))
		return;
	snprintf(p, sizeof p, "%s/keep", tmp);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/keep/file", tmp);
	close(open(p, O_CREAT | O_WRONLY, 0644));
	snprintf(p, sizeof p, "%s/gone/sub", tmp);
	file_mkdirs(AT_FDCWD, p, 0755, NULL);
	snprintf(p, sizeof p, "%s/gone/sub/link", tmp);
	snprintf(want, sizeof want, "%s/keep", tmp);
	(void)!symlink(want, p);
	snprintf(p, sizeof p, "%s/gone", tmp);
	UT_OK("rmtree/ok", file_rmtree(AT_FDCWD, p, NULL) == 0);
	UT_OK("rmtree/gone", access(p, F_OK) != 0);
	snprintf(p, sizeof p, "%s/keep/file", tmp);
	UT_OK("rmtree/link-target-kept", access(p, F_OK) == 0);
	file_rmtree(AT_FDCWD, tmp, NULL);
}
