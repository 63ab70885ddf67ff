/* pyfind.c: turns -p/--python (a path, a command name, a version like 3, 3.12, 3.13t or 3.14d),
 * $MKVENV_PYTHON or the default into an inspected base interpreter (SPEC §2.1). */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "py/py.h"

/* "3", "3.12", "3.12.1", "3.13t", "3.14d", "3.14td": a version request, its ABI flags
 * (t free-threaded, d debug) at the end. */
static int is_version_request(const char *s)
{
	size_t n = strspn(s, "0123456789.");

	if (!n || s[0] < '0' || s[0] > '9' || s[n - 1] == '.' || strstr(s, ".."))
		return 0;
	return !s[n] || !strcmp(s + n, "t") || !strcmp(s + n, "d") || !strcmp(s + n, "td");
}

static const char *req_flags(const char *req)
{
	return req + strspn(req, "0123456789.");
}

/* The command name a version request stands for: 3 -> python3, 3.12.1 -> python3.12. */
static void version_command(const char *req, char *cmd, size_t n)
{
	int dots = 0;
	size_t i, len = (size_t)(req_flags(req) - req);

	for (i = 0; i < len; i++)
		if (req[i] == '.' && ++dots == 2)
			break;
	snprintf(cmd, n, "python%.*s%s", (int)i, req, req_flags(req));
}

static int version_matches(const struct pyinfo *py, const char *req)
{
	char have[48];
	const char *fl = req_flags(req);
	size_t n = (size_t)(fl - req);

	if (strchr(req, '.') && ((strchr(fl, 't') != NULL) != (strchr(py->abiflags, 't') != NULL)
				 || (strchr(fl, 'd') != NULL) != (strchr(py->abiflags, 'd') != NULL)))
		return 0;
	snprintf(have, sizeof have, "%s", py->version[0] ? py->version : "");
	if (!have[0])
		snprintf(have, sizeof have, "%d.%d", py->major, py->minor);
	return !strncmp(have, req, n) && (have[n] == 0 || have[n] == '.');
}

/* `home` is the directory the interpreter was invoked from, as venv writes it, unless no
 * installation is found above it (a lone link such as ~/.local/bin/python3.12): then the
 * link is resolved, or the venv could not find its standard library. */
static void choose_home(struct pyinfo *py)
{
	char *home = path_dir(py->invoked), *realdir = path_dir(py->real), *prefix;

	if (!strcmp(home, realdir))	/* pyinspect searched from there already */
		prefix = xstrdup(py->prefix);
	else
		prefix = py_search_prefix(home, py->major, py->minor, py->abiflags, py->pypy);
	free(realdir);
	free(py->exe);
	free(py->home);
	if (prefix) {
		py->exe = xstrdup(py->invoked);
		py->home = home;
	} else {
		free(home);
		py->exe = xstrdup(py->real);
		py->home = path_dir(py->real);
	}
	free(prefix);
}

/* Where the venv's links from PATH (in BIN) lead out of BIN: bin/python -> pypy3 ->
 * /usr/bin/pypy3 gives /usr/bin/pypy3, the interpreter the venv was made from. NULL when
 * PATH is no link (a copy) or they stay inside. */
static char *link_out(const char *path, const char *bin)
{
	char cur[4096], target[4096];
	ssize_t n;
	int hops;

	snprintf(cur, sizeof cur, "%s", path);
	for (hops = 0; hops < 8; hops++) {
		n = readlink(cur, target, sizeof target - 1);
		if (n < 0)
			return NULL;
		target[n] = 0;
		if (target[0] == '/')
			return xstrdup(target);
		if (strchr(target, '/'))
			return NULL;	/* ../: not what a venv makes */
		if ((size_t)snprintf(cur, sizeof cur, "%.2000s/%.2000s", bin, target) >= sizeof cur)
			return NULL;
	}
	return NULL;
}

/* An interpreter inside a venv (bin/python beside ../pyvenv.cfg) is replaced by the one
 * it runs on, as sys._base_executable: where its links lead, else pyvenv.cfg's home with
 * the same name (or python3, pypy3: the names a venv's copies may have that home lacks).
 * 1 when replaced. */
static int venv_base(struct pyinfo *py)
{
	static const char *const names[] = { "", "python3", "pypy3" };
	char *bin = path_dir(py->invoked), *top = path_dir(bin), *cfgp, *cand = NULL;
	const char *home;
	struct pycfg cfg;
	size_t i;
	int r = 0;

	cfgp = path_join(top, "pyvenv.cfg");
	if (pycfg_read(AT_FDCWD, cfgp, &cfg, NULL) == 0) {
		home = pycfg_get(&cfg, "home");
		cand = link_out(py->invoked, bin);
		for (i = 0; !cand && home && *home && i < sizeof names / sizeof *names; i++) {
			cand = path_join(home, i ? names[i] : path_base(py->invoked));
			if (!path_is_exec(cand)) {
				free(cand);
				cand = NULL;
			}
		}
		if (cand && path_is_exec(cand)) {
			free(py->invoked);
			py->invoked = cand;
			cand = NULL;
			r = 1;
		}
		pycfg_free(&cfg);
	}
	free(cand);
	free(cfgp);
	free(top);
	free(bin);
	return r;
}

/* Resolve shims, then inspect; run the interpreter only when its files say too little. */
static int examine(const char *path, struct pyinfo *py, struct buf *notes, struct err *e)
{
	char *resolved = NULL;
	int r;

	r = pyshim_resolve(path, &resolved, e);
	if (r < 0)
		return -1;
	free(py->invoked);
	py->invoked = r ? resolved : path_abs(path);
	if (r)
		snprintf(py->how, sizeof py->how, "%s is a shim for %s", path, resolved);
	if (venv_base(py))	/* a venv's python stands for its base, as sys._base_executable */
		snprintf(py->how, sizeof py->how, "%s is in a venv; its base is %s", path, py->invoked);
	r = pyinspect(py, e);
	if (r == 0)
		choose_home(py);
	if (r <= 0)
		return r;
	if (notes)
		buf_printf(notes, "%s: version not readable from its files; running it once\n", py->invoked);
	if (pyinspect_run(py, e))
		return -1;
	if (!py->prefix || !path_is_dir(py->prefix))
		return err_set(e, "%s: broken installation: prefix %s", py->invoked, py->prefix ? py->prefix : "?");
	choose_home(py);
	return 0;
}

/* A candidate that answers the request but is too old to use (Python 2, or 3 before 3.3):
 * kept in OLD (the first one) to be named when nothing else answers. */
static void note_too_old(const struct pyinfo *cand, const char *exe, char *old, size_t n)
{
	if (!*old && cand->major > 0 && (cand->major < 3 || (cand->major == 3 && cand->minor < 3)))
		snprintf(old, n, "%s (Python %d.%d)", exe, cand->major, cand->minor);
}

/* Candidates for a version request outside PATH: pyenv's and uv's installed interpreters;
 * OLD: a too old one found on PATH, or "". */
static int search_installed(const char *req, const char *cmd, struct pyinfo *py, struct buf *notes,
			    char *old, size_t oldsz, struct err *e)
{
	const char *home = getenv("HOME"), *root = getenv("PYENV_ROOT");
	char *dirs[3] = { 0 }, *best = NULL, bestver[32] = "";
	struct dirent *de;
	struct pyinfo cand;
	struct err ignore;
	DIR *d;
	int i;

	dirs[0] = root && *root ? path_join(root, "versions") : home ? path_join(home, ".pyenv/versions") : NULL;
	dirs[1] = home ? path_join(home, ".local/share/uv/python") : NULL;
	for (i = 0; i < 2; i++) {
		if (!dirs[i] || !(d = opendir(dirs[i])))
			continue;
		while ((de = readdir(d))) {
			char *v, *b, *exe;

			if (de->d_name[0] == '.')
				continue;
			v = path_join(dirs[i], de->d_name);
			b = path_join(v, "bin");
			exe = path_join(b, cmd);
			free(v);
			free(b);
			memset(&cand, 0, sizeof cand);
			if (!path_is_exec(exe))
				;
			else if (examine(exe, &cand, NULL, &ignore))
				note_too_old(&cand, exe, old, oldsz);
			else if (version_matches(&cand, req)
				 && (!best || strverscmp(cand.version, bestver) > 0)) {
				free(best);
				best = exe;
				snprintf(bestver, sizeof bestver, "%s", cand.version);
				exe = NULL;
			}
			pyinfo_free(&cand);
			free(exe);
		}
		closedir(d);
	}
	free(dirs[0]);
	free(dirs[1]);
	if (!best && *old)
		return err_set(e, "-p %s: found only %s, which venvbox does not support (it needs Python 3.3 or later)",
			       req, old);
	if (!best)
		return err_set(e, "no Python %s found (looked for %s on PATH, in pyenv's and uv's versions)", req, cmd);
	i = examine(best, py, notes, e);
	snprintf(py->how, sizeof py->how, "Python %s is %s", req, best);
	free(best);
	return i;
}

/* For -p 3 where PATH has no python3: the newest python3.X (with the request's flags) on
 * PATH, the first of its minor version; NULL if none. */
static char *newest_minor(const char *req)
{
	const char *path = path_env(), *fl = req_flags(req), *p;
	char *copy = xstrdup(path ? path : ""), *dir, *save = NULL, *best = NULL, *cand, pre[24];
	struct dirent *de;
	long mi, bestmi = -1;
	char *end;
	DIR *d;

	snprintf(pre, sizeof pre, "python%.*s.", (int)(fl - req), req);
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		if (!(d = opendir(dir)))
			continue;
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, pre, strlen(pre)))
				continue;
			p = de->d_name + strlen(pre);
			if (*p < '0' || *p > '9' || (mi = strtol(p, &end, 10)) <= bestmi || strcmp(end, fl))
				continue;
			cand = path_join(dir, de->d_name);
			if (path_is_exec(cand)) {
				free(best);
				best = cand;
				bestmi = mi;
			} else {
				free(cand);
			}
		}
		closedir(d);
	}
	free(copy);
	return best;
}

static int find_version(const char *req, struct pyinfo *py, struct buf *notes, struct err *e)
{
	const char *path = path_env();
	char cmd[32], *copy, *dir, *save = NULL, *cand, old[PATH_MAX + 32] = "";
	struct err ignore;
	int r;

	version_command(req, cmd, sizeof cmd);
	copy = xstrdup(path ? path : "");
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		cand = path_join(dir, cmd);
		r = path_is_exec(cand) ? examine(cand, py, notes, &ignore) : -2;
		if (r == 0 && version_matches(py, req)) {
			free(cand);
			free(copy);
			return 0;
		}
		if (r == -1)
			note_too_old(py, cand, old, sizeof old);
		free(cand);
	}
	free(copy);
	pyinfo_free(py);
	if (!strchr(req, '.') && (cand = newest_minor(req))) {
		r = examine(cand, py, notes, &ignore);
		if (r == 0 && version_matches(py, req)) {
			snprintf(py->how, sizeof py->how, "Python %s is %s, the newest on PATH", req, cand);
			free(cand);
			return 0;
		}
		free(cand);
		pyinfo_free(py);
	}
	return search_installed(req, cmd, py, notes, old, sizeof old, e);
}

int pyfind(const char *req, const char *named_by, struct pyinfo *py, struct buf *notes, struct err *e)
{
	char *path;
	int r;

	memset(py, 0, sizeof *py);
	if (!req) {
		path = path_search("python3", path_env(), NULL);
		if (!path)
			path = path_search("python", path_env(), NULL);
		if (!path)
			return err_set(e, "no python3 or python on PATH; name one with -p PYTHON");
	} else if (strchr(req, '/')) {
		if (access(req, F_OK) < 0)
			return err_sys(e, "%s", req);
		path = xstrdup(req);
	} else if (is_version_request(req)) {
		return find_version(req, py, notes, e);
	} else {
		path = path_search(req, path_env(), NULL);
		if (!path)
			return err_set(e, "%s: not found on PATH%s%s%s", req, named_by ? " (named by " : "",
				       named_by ? named_by : "", named_by ? ")" : "");
	}
	r = examine(path, py, notes, e);
	free(path);
	return r;
}
