/* path.c: paths as strings: lexical joins and splits (os.path), $PATH search, the running binary.
 * Only stat(2) and realpath(3) touch the filesystem; nothing is written. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/base.h"


int path_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int path_is_exec(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* os.path.abspath: join with the cwd and normalise lexically, ".." included. */
char *path_abs(const char *path)
{
	struct buf in, out;
	char cwd[PATH_MAX];
	const char *p, *q;

	buf_init(&in);
	buf_init(&out);
	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof cwd))
			return NULL;
		buf_adds(&in, cwd);
		buf_addc(&in, '/');
	}
	buf_adds(&in, path);
	for (p = in.s; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (q = p; *q && *q != '/'; q++)
			;
		if (q - p == 1 && p[0] == '.') {
		} else if (q - p == 2 && p[0] == '.' && p[1] == '.') {
			while (out.len && out.s[out.len - 1] != '/')
				out.len--;
			if (out.len)
				out.len--;
			if (out.s)
				out.s[out.len] = 0;
		} else {
			buf_addc(&out, '/');
			buf_add(&out, p, q - p);
		}
		p = q;
	}
	if (!out.len)
		buf_addc(&out, '/');
	buf_free(&in);
	return out.s;
}

char *path_real(const char *path)
{
	return realpath(path, NULL);
}

char *path_dir(const char *path)
{
	const char *s = strrchr(path, '/');
	size_t n;
	char *r;

	if (!s)
		return xstrdup(".");
	while (s > path && s[-1] == '/')
		s--;
	n = s == path ? 1 : (size_t)(s - path);
	r = xmalloc(n + 1);
	memcpy(r, path, n);
	r[n] = 0;
	return r;
}

const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

char *path_join(const char *a, const char *b)
{
	struct buf r;

	buf_init(&r);
	buf_adds(&r, a);
	if (r.len && r.s[r.len - 1] != '/')
		buf_addc(&r, '/');
	buf_adds(&r, b);
	return r.s;
}

/* Like which(1): the first executable NAME in PATHVAR, skipping the directory SKIPDIR. */
char *path_search(const char *name, const char *pathvar, const char *skipdir)
{
	const char *p = pathvar, *q;
	char dir[PATH_MAX], *cand, *abs;

	if (!p)
		return NULL;
	for (;;) {
		q = strchr(p, ':');
		if (!q)
			q = p + strlen(p);
		if ((size_t)(q - p) < sizeof dir) {
			memcpy(dir, p, q - p);
			dir[q - p] = 0;
			if (!dir[0])
				strcpy(dir, ".");
			if (!skipdir || strcmp(dir, skipdir)) {
				cand = path_join(dir, name);
				if (path_is_exec(cand)) {
					abs = path_abs(cand);
					free(cand);
					return abs;
				}
				free(cand);
			}
		}
		if (!*q)
			return NULL;
		p = q + 1;
	}
}

/* The running binary: /proc/self/exe, else ARGV0 as a path or found on PATH (a chroot
 * without /proc). NULL when neither says. */
char *path_self(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n > 0) {
		buf[n] = 0;
		return xstrdup(buf);
	}
	if (!argv0 || !*argv0)
		return NULL;
	if (strchr(argv0, '/'))
		return path_abs(argv0);
	return path_search(argv0, path_env(), NULL);
}

/* $PATH, or the default execvp(3) uses when it is unset (an `env -i` environment). */
const char *path_env(void)
{
	const char *p = getenv("PATH");

	return p ? p : "/usr/local/bin:/bin:/usr/bin";
}
