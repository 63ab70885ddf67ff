/* venvinfo.c: what a virtual environment is and whether it still works, read from its
 * files alone (PEP 405 pyvenv.cfg as site.py reads it, plus the keys virtualenv and uv
 * add); the interpreter is inspected, never run. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "venv/venv.h"

static void problem(struct vinfo *vi, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct vinfo *vi, const char *kind, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, n + 1, fmt, ap);
	va_end(ap);
	vi->prob = xgrow(vi->prob, vi->nprob, sizeof *vi->prob);
	vi->prob[vi->nprob].kind = kind;
	vi->prob[vi->nprob].msg = msg;
	vi->nprob++;
}

/* Text for a terminal or a log: control characters shown as \xNN, never sent raw. */
void vinfo_visible(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_printf(b, "\\x%02x", (unsigned char)*s);
		else
			buf_addc(b, *s);
}

static int inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

/* ENV_DIR: the argument, else $VIRTUAL_ENV, else the nearest .venv upwards from the cwd. */
char *vinfo_locate(const char *arg, struct err *e)
{
	const char *env = getenv("VIRTUAL_ENV");
	char *dir;

	if (arg)
		return xstrdup(arg);
	if (env && *env)
		return xstrdup(env);
	dir = venv_nearest();
	if (dir)
		return dir;
	err_set(e, "no virtual environment: name ENV_DIR, activate one ($VIRTUAL_ENV), or create .venv here or above");
	return NULL;
}

/* virtualenv's version_info "3.11.2.final.0" as Python writes the version: "3.11.2". */
static void from_version_info(const char *s, char *out, size_t n)
{
	static const char *const lv[][2] = { { "alpha", "a" }, { "beta", "b" }, { "candidate", "rc" } };
	int v[3], serial;
	const char *p = scan_version(s, v), *q;
	size_t i, k;

	if (!p || v[2] < 0) {
		snprintf(out, n, "%s", s);
		return;
	}
	snprintf(out, n, "%d.%d.%d", v[0], v[1], v[2]);
	if (*p++ != '.')
		return;
	for (i = 0; i < 3; i++) {	/* ".candidate.1" */
		k = strlen(lv[i][0]);
		if (!strncmp(p, lv[i][0], k) && p[k] == '.' && (q = scan_int(p + k + 1, &serial)) && !*q)
			snprintf(out, n, "%d.%d.%d%s%d", v[0], v[1], v[2], lv[i][1], serial);
	}
}

static int site_exists(const struct vinfo *vi, const char *name)
{
	char *p = xmalloc(strlen(vi->dir) + strlen(name) + 20);
	int r;

	sprintf(p, "%s/lib/%s/site-packages", vi->dir, name);
	r = path_is_dir(p);
	free(p);
	return r;
}

/* site-packages under lib/: pythonX.Y, pythonX.Yt (free-threaded) or pypyX.Y for the
 * recorded version; with no version recorded, the one lib/python*\/site-packages there is. */
static void find_site(struct vinfo *vi)
{
	const char *impl = strcmp(vi->implementation, "PyPy") ? "python" : "pypy";
	char name[300] = "", *lib;
	struct dirent *de;
	int k, t, n = 0;
	DIR *d;

	for (k = 0; k < 2 && vi->minor >= 0 && !vi->site_ok; k++) {
		t = (k == 0) == (vi->free_threaded > 0);	/* what the venv says first */
		snprintf(name, sizeof name, "%s%d.%d%s", impl, vi->major, vi->minor, t ? "t" : "");
		vi->site_ok = site_exists(vi, name);
	}
	if (vi->minor < 0) {
		lib = path_join(vi->dir, "lib");
		if ((d = opendir(lib))) {
			while ((de = readdir(d)))
				if ((!strncmp(de->d_name, "python", 6) || !strncmp(de->d_name, "pypy", 4))
				    && strlen(de->d_name) < sizeof name && site_exists(vi, de->d_name) && !n++)
					snprintf(name, sizeof name, "%s", de->d_name);
			closedir(d);
		}
		free(lib);
		vi->site_ok = n == 1;
		if (n == 1)	/* the version the directory's name says */
		{
			int v[3];

			if (scan_version(name + strcspn(name, "0123456789"), v))
				vi->major = v[0], vi->minor = v[1];
		}
		else
			snprintf(name, sizeof name, "python3");
	} else if (!vi->site_ok) {
		snprintf(name, sizeof name, "%s%d.%d%s", impl, vi->major, vi->minor, vi->free_threaded > 0 ? "t" : "");
	}
	vi->site_rel = xmalloc(strlen(name) + 20);
	sprintf(vi->site_rel, "lib/%s/site-packages", name);
	vi->site = path_join(vi->dir, vi->site_rel);
	if (vi->site_ok)
		vi->free_threaded = name[strlen(name) - 1] == 't';
}

/* The link bin/python points at, made absolute (relative links count from bin/). */
static char *python_link(const struct vinfo *vi)
{
	char target[PATH_MAX], *link, *bin, *j, *r;
	ssize_t n;

	link = path_join(vi->dir, "bin/python");
	n = readlink(link, target, sizeof target - 1);
	free(link);
	if (n <= 0)
		return NULL;
	target[n] = 0;
	if (target[0] == '/')
		return path_abs(target);
	bin = path_join(vi->dir, "bin");
	j = path_join(bin, target);
	r = path_abs(j);
	free(bin);
	free(j);
	return r;
}

/* The base interpreter: pyvenv.cfg's executable (venv 3.11+) or base-executable
 * (virtualenv), else where bin/python leads, else the versioned name in home. */
static void find_executable(struct vinfo *vi)
{
	const char *v = pycfg_get(&vi->cfg, "executable");
	char name[64], *p, *first = NULL;
	int i;

	if (!v || !*v)
		v = pycfg_get(&vi->cfg, "base-executable");
	if (v && *v) {
		vi->executable = xstrdup(v);
		return;
	}
	p = python_link(vi);
	if (p && !inside(p, vi->dir)) {
		vi->executable = p;
		return;
	}
	free(p);
	for (i = vi->minor >= 0 ? 0 : 1; vi->home && i < 3; i++) {
		if (i == 0)
			snprintf(name, sizeof name, "%s%d.%d%s", strcmp(vi->implementation, "PyPy") ? "python" : "pypy",
				 vi->major, vi->minor, vi->free_threaded > 0 ? "t" : "");
		p = path_join(vi->home, i == 0 ? name : i == 1 ? "python3" : "python");
		if (access(p, F_OK) == 0) {
			free(first);
			vi->executable = p;
			return;
		}
		if (first)
			free(p);
		else
			first = p;	/* what should be there, since nothing is */
	}
	vi->executable = first;
}

static void find_creator(struct vinfo *vi)
{
	static const char *const keys[] = { "venvbox", "uv", "virtualenv" };
	const char *v;
	char *p;
	size_t i;

	for (i = 0; i < 3; i++)
		if ((v = pycfg_get(&vi->cfg, keys[i]))) {
			snprintf(vi->creator, sizeof vi->creator, "%s", keys[i]);
			snprintf(vi->creator_version, sizeof vi->creator_version, "%s", v);
			return;
		}
	/* keys gone: the files these tools leave */
	p = path_join(vi->dir, "CACHEDIR.TAG");
	i = access(p, F_OK) == 0;
	free(p);
	if (i) {
		snprintf(vi->creator, sizeof vi->creator, "uv");
		return;
	}
	p = path_join(vi->site, "_virtualenv.pth");
	i = access(p, F_OK) == 0;
	free(p);
	snprintf(vi->creator, sizeof vi->creator, "%s", i ? "virtualenv" : vi->cfg.n ? "venv" : "unknown");
}

static void find_implementation(struct vinfo *vi)
{
	const char *v = pycfg_get(&vi->cfg, "implementation"), *base;
	char *link = python_link(vi);

	if (v && *v) {
		snprintf(vi->implementation, sizeof vi->implementation, "%s", v);
	} else {
		base = link ? path_base(link) : "";
		snprintf(vi->implementation, sizeof vi->implementation, "%s",
			 !strncmp(base, "pypy", 4) ? "PyPy" : !strncmp(base, "graalpy", 7) ? "GraalPy" : "CPython");
	}
	free(link);
}

/* pyvenv.cfg read, and its defects noted: unreadable, not text, not UTF-8, no home. */
static void read_cfg(struct vinfo *vi, const char *path)
{
	struct err e = { "" };
	struct buf b;

	buf_init(&b);
	if (file_read(AT_FDCWD, path, 1 << 20, &b, &e)) {
		problem(vi, "cfg-unreadable", "cannot read %s", e.msg);
		buf_free(&b);
		return;
	}
	if (memchr(b.s, 0, b.len)) {
		problem(vi, "cfg-malformed", "%s: not a text file (it holds NUL bytes)", path);
		buf_free(&b);
		return;
	}
	if (!json_utf8_valid(b.s, b.len))	/* site.py fails on it; its keys are still shown */
		problem(vi, "cfg-malformed", "%s: not a text file (it is not valid UTF-8)", path);
	buf_free(&b);
	if (pycfg_read(AT_FDCWD, path, &vi->cfg, &e)) {
		problem(vi, "cfg-unreadable", "cannot read %s", e.msg);
		return;
	}
	vi->cfg_ok = 1;
	vi->home = pycfg_get(&vi->cfg, "home");
	if (!vi->home || !*vi->home) {
		problem(vi, "cfg-malformed", "%s: no home key (the directory of the base interpreter)", path);
		vi->home = NULL;
	}
}

int vinfo_open(struct vinfo *vi, const char *dir, struct err *e)
{
	const char *v;
	char *cfg, *p;
	struct stat st;
	int i;

	memset(vi, 0, sizeof *vi);
	vi->major = vi->minor = -1;
	vi->free_threaded = -1;
	vi->dir = path_abs(dir);
	if (!vi->dir)
		return err_sys(e, "cannot read the current directory");
	if (stat(vi->dir, &st) < 0)
		return err_sys(e, "%s", dir);
	if (!S_ISDIR(st.st_mode))
		return err_set(e, "%s: not a directory", dir);
	cfg = path_join(vi->dir, "pyvenv.cfg");
	if (lstat(cfg, &st) < 0 && errno == ENOENT) {
		free(cfg);
		p = path_join(vi->dir, "lib");
		i = access(p, F_OK) == 0;
		free(p);
		return err_set(e, "%s: not a virtual environment (no pyvenv.cfg)%s", dir,
			       i ? "; a virtualenv older than 20 is not supported: recreate it" : "");
	}
	read_cfg(vi, cfg);
	free(cfg);
	v = pycfg_get(&vi->cfg, "version");
	if (v && *v)
		snprintf(vi->version, sizeof vi->version, "%s", v);
	else if ((v = pycfg_get(&vi->cfg, "version_info")) && *v)
		from_version_info(v, vi->version, sizeof vi->version);
	if (vi->version[0]) {
		int xyz[3];

		if (scan_version(vi->version, xyz) && xyz[0] >= 2) {
			vi->major = xyz[0];
			vi->minor = xyz[1];
		} else {
			problem(vi, "cfg-malformed", "pyvenv.cfg: version = %s is not a Python version", vi->version);
			vi->major = vi->minor = -1;
		}
	}
	find_implementation(vi);
	v = pycfg_get(&vi->cfg, "executable");
	if (v && strlen(v) > 1 && v[strlen(v) - 1] == 't' && strstr(path_base(v), "python"))
		vi->free_threaded = 1;
	find_site(vi);
	find_executable(vi);
	find_creator(vi);
	v = pycfg_get(&vi->cfg, "include-system-site-packages");
	vi->system_site = v && !strcasecmp(v, "true");
	v = pycfg_get(&vi->cfg, "relocatable");
	vi->relocatable = v && !strcasecmp(v, "true");
	v = pycfg_get(&vi->cfg, "prompt");
	if (v)
		vi->prompt = !strcmp(vi->creator, "venv") || !strcmp(vi->creator, "venvbox") ? py_unrepr_str(v) : xstrdup(v);
	else
		vi->prompt = xstrdup(path_base(vi->dir));
	if (vi->free_threaded < 0)
		vi->free_threaded = 0;
	return 0;
}

/* Links in bin/ that lead nowhere (or round in a loop). */
static void check_links(struct vinfo *vi)
{
	char *bin = path_join(vi->dir, "bin"), target[PATH_MAX];
	struct dirent *de;
	struct stat st;
	ssize_t n;
	DIR *d;
	int fd, why;

	fd = open(bin, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		problem(vi, "venv-incomplete", "%s: %s", bin, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(bin);
		return;
	}
	while ((de = readdir(d))) {
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
			continue;
		if (fstatat(fd, de->d_name, &st, 0) == 0)
			continue;
		why = errno;
		n = readlinkat(fd, de->d_name, target, sizeof target - 1);
		target[n > 0 ? n : 0] = 0;
		problem(vi, "dangling-link", "bin/%s -> %s: %s", de->d_name, target,
			why == ELOOP ? "a loop of symbolic links" : strerror(why));
	}
	if (fstatat(fd, "python", &st, AT_SYMLINK_NOFOLLOW) < 0)
		problem(vi, "venv-incomplete", "bin/python: %s", strerror(errno));
	closedir(d);
	free(bin);
}

/* The interpreter the venv runs now (bin/python's link chain, else the base executable),
 * inspected without running it, against the version pyvenv.cfg records. */
static void check_version(struct vinfo *vi)
{
	struct pyinfo py = { 0 };
	struct err e = { "" };
	struct stat st;
	char *link = path_join(vi->dir, "bin/python");
	int r, ft, via_link = lstat(link, &st) == 0 && S_ISLNK(st.st_mode) && stat(link, &st) == 0;

	if (via_link) {
		py.invoked = link;
	} else {
		free(link);
		if (!vi->executable || stat(vi->executable, &st) < 0 || !S_ISREG(st.st_mode))
			return;	/* reported missing already */
		py.invoked = xstrdup(vi->executable);
	}
	r = pyinspect(&py, &e);
	if (r < 0) {
		problem(vi, "interpreter-broken", "%s", e.msg);
	} else if (py.major > 0) {
		ft = strchr(py.abiflags, 't') != NULL;
		if (r == 0)
			snprintf(vi->base_version, sizeof vi->base_version, "%s%s", py.version, ft ? "t" : "");
		else
			snprintf(vi->base_version, sizeof vi->base_version, "%d.%d%s", py.major, py.minor, ft ? "t" : "");
		if (vi->minor >= 0 && (py.major != vi->major || py.minor != vi->minor || ft != (vi->free_threaded > 0)))
			problem(vi, "version-changed", "the venv was made for Python %d.%d%s, but %s now runs Python %s (%s)",
				vi->major, vi->minor, vi->free_threaded > 0 ? "t" : "",
				via_link ? "bin/python" : vi->executable, vi->base_version, py.real);
	}
	pyinfo_free(&py);
}

static void check_interpreter(struct vinfo *vi)
{
	struct stat st;
	char *dir;

	/* home is reported on its own only when the executable is not in it */
	if (vi->home && !path_is_dir(vi->home) && (!vi->executable || !inside(vi->executable, vi->home)))
		problem(vi, "interpreter-missing", "home = %s: %s", vi->home,
			stat(vi->home, &st) < 0 ? strerror(errno) : "not a directory");
	if (!vi->executable)
		return;
	if (stat(vi->executable, &st) < 0) {
		dir = path_dir(vi->executable);
		problem(vi, "interpreter-missing", "base interpreter %s: %s%s", vi->executable,
			errno == ELOOP ? "a loop of symbolic links" : strerror(errno),
			path_is_dir(dir) ? "" : " (its whole directory is gone)");
		free(dir);
	} else if (!S_ISREG(st.st_mode) || access(vi->executable, X_OK) < 0) {
		problem(vi, "interpreter-not-executable", "base interpreter %s: not an executable file", vi->executable);
	}
}

static void suggest(struct vinfo *vi, const struct dists *ds)
{
	struct buf b, dir;
	char ver[32] = "";
	size_t i;
	int interp = 0, meta = 0, dup = 0, changed = 0, perm = 0;

	for (i = 0; i < vi->nprob; i++) {
		changed |= !strcmp(vi->prob[i].kind, "version-changed");
		meta |= !strcmp(vi->prob[i].kind, "distribution-metadata");
		dup |= !strcmp(vi->prob[i].kind, "distribution-duplicate");
		perm |= !strcmp(vi->prob[i].kind, "site-packages-unreadable");
		interp |= strncmp(vi->prob[i].kind, "distribution-", 13) && strcmp(vi->prob[i].kind, "site-packages-unreadable");
	}
	if (!vi->nprob)
		return;
	buf_init(&b);
	buf_init(&dir);
	if (strspn(vi->dir, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-,:@%=") == strlen(vi->dir))
		buf_adds(&dir, vi->dir);
	else
		quote_shell(&dir, SHELL_SH, vi->dir, NULL);
	if (vi->minor >= 0)
		snprintf(ver, sizeof ver, " -p %d.%d%s", vi->major, vi->minor, vi->free_threaded > 0 ? "t" : "");
	if (interp)
		buf_printf(&b, "mkvenv --upgrade%s %s", ver, dir.s);
	if (changed && ver[0])
		buf_printf(&b, " (if Python%s is gone: venvinfo --freeze %s >requirements.txt, mkvenv --clear %s, "
			   "then install the requirements again)", ver + 3, dir.s, dir.s);
	if (meta) {
		buf_printf(&b, "%sreinstall", b.len ? "; " : "");
		for (i = 0; ds && i < ds->n; i++)
			if (ds->d[i].problem)
				buf_printf(&b, " %s", ds->d[i].name);
	}
	if (dup)
		buf_printf(&b, "%sremove the stale one of each duplicate .dist-info directory", b.len ? "; " : "");
	if (perm)
		buf_printf(&b, "%smake %s readable (or run as its owner)", b.len ? "; " : "", vi->site_rel);
	vi->fix = b.s;
	buf_free(&dir);
}

void vinfo_check(struct vinfo *vi, const struct dists *ds, const char *ds_err)
{
	struct stat st;
	size_t i;

	if (vi->checked)
		return;
	vi->checked = 1;
	check_interpreter(vi);
	check_links(vi);
	if (!strcmp(vi->implementation, "CPython"))
		check_version(vi);
	if (!vi->site_ok)
		problem(vi, "site-packages-missing", "%s: %s", vi->site_rel,
			stat(vi->site, &st) < 0 ? strerror(errno) : "not a directory");
	else if (!ds)
		problem(vi, "site-packages-unreadable", "%s", ds_err ? ds_err : vi->site);
	for (i = 0; ds && i < ds->n; i++) {
		const struct dist *d = &ds->d[i];

		if (d->problem)
			problem(vi, "distribution-metadata", "%s/%s: %s", vi->site_rel, d->dir, d->problem);
		if (d->shadowed)
			problem(vi, "distribution-duplicate", "%s is installed twice: %s and %s", d->name,
				ds->d[d->shadowed - 1].dir, d->dir);
	}
	suggest(vi, ds);
}

void vinfo_free(struct vinfo *vi)
{
	size_t i;

	for (i = 0; i < vi->nprob; i++)
		free(vi->prob[i].msg);
	free(vi->prob);
	pycfg_free(&vi->cfg);
	free(vi->dir);
	free(vi->executable);
	free(vi->prompt);
	free(vi->site_rel);
	free(vi->site);
	free(vi->fix);
	memset(vi, 0, sizeof *vi);
}
