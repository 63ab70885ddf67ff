/* venv.c: struct venv: the venv an applet means, found by one rule and read once from its
 * files: pyvenv.cfg (PEP 405) as CPython's site.py reads it, with the keys virtualenv and
 * uv add, and the tree beside it. Nothing is run. */
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

/* The nearest directory .venv in the current directory or its parents; NULL if none. */
char *venv_nearest(void)
{
	char *dir = path_abs("."), *cand, *up;

	while (dir) {
		cand = path_join(dir, ".venv");
		if (path_is_dir(cand)) {
			free(dir);
			return cand;
		}
		free(cand);
		if (!strcmp(dir, "/"))
			break;
		up = path_dir(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	return NULL;
}

/* The venv an applet means: DIR as given; else, by RULE, ACTIVE (the caller's
 * $VIRTUAL_ENV, when set); else the nearest .venv. activate does not take the active venv
 * (activating means entering another one); venvinfo does (it reports on the one in use). */
char *venv_locate(const char *dir, enum venvrule rule, const char *active, struct err *e)
{
	char *found;

	if (dir && !*dir) {	/* "$UNSET_VAR": not the current directory */
		err_set(e, "an empty ENV_DIR names no directory");
		return NULL;
	}
	if (dir)
		return xstrdup(dir);
	if (rule == VENV_ACTIVE_OR_NEAREST && active && *active)
		return xstrdup(active);
	found = venv_nearest();
	if (found)
		return found;
	if (rule == VENV_ACTIVE_OR_NEAREST)
		err_set(e, "no virtual environment: name ENV_DIR, activate one ($VIRTUAL_ENV), or create .venv here or above");
	else
		err_set(e, "no .venv in the current directory or its parents; name the venv");
	return NULL;
}

int venv_inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

/* virtualenv's version_info "3.11.2.final.0" as Python writes the version: "3.11.2". */
int venv_site_open(const struct venv *v, struct err *e)
{
	int vfd, fd;

	if ((vfd = open(v->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_sys(e, "%s", v->dir);
	fd = dircache_dir(vfd, v->site_rel, e);	/* no link on the way */
	close(vfd);
	return fd;
}

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

/* V's directory LIB (a path below the venv), or (PARENT) the one it lies in, reached without
 * following a link: a descriptor, or -1; a link or a file on the way is remembered in
 * V->site_link. */
static int lib_open(struct venv *v, const char *lib, int parent, const char **base)
{
	struct err e = { "" };
	int vfd = open(v->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd = -1;

	if (vfd >= 0) {
		fd = parent ? dircache_open(vfd, lib, 0, base, &e) : dircache_dir(vfd, lib, &e);
		if (fd < 0 && (errno == ELOOP || errno == ENOTDIR) && !v->site_link)
			v->site_link = xstrdup(e.msg);
		close(vfd);
	}
	return fd;
}

/* LIB/site-packages is a directory (readable or not), no link on the way or in its place. */
static int site_exists(struct venv *v, const char *lib)
{
	char *p = xmalloc(strlen(lib) + 20);
	const char *base;
	struct stat st;
	int fd, r = 0;

	sprintf(p, "%s/site-packages", lib);
	if ((fd = lib_open(v, p, 1, &base)) >= 0) {
		r = fstatat(fd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 ? S_ISDIR(st.st_mode) ? 1 : -1 : 0;
		if (r < 0 && S_ISLNK(st.st_mode) && !v->site_link) {
			v->site_link = xmalloc(strlen(p) + 40);
			sprintf(v->site_link, "%s: a symbolic link", p);
		}
		close(fd);
	}
	free(p);
	return r > 0;
}

/* With no version recorded: the one lib/python*\/site-packages (or lib/pypy*) there is,
 * into LIB; the version its name says. 0 when there is not exactly one. */
static int only_site(struct venv *v, char *lib, size_t size)
{
	char name[300];
	struct dirent *de;
	int n = 0, xyz[3], fd = lib_open(v, "lib", 0, NULL);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (fd >= 0 && !d)
		close(fd);
	if (d) {
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, "python", 6) && strncmp(de->d_name, "pypy", 4))
				continue;
			snprintf(name, sizeof name, "lib/%s", de->d_name);
			if (strlen(de->d_name) < 280 && site_exists(v, name) && !n++)
				snprintf(lib, size, "%s", name);
		}
		closedir(d);
	}
	if (n != 1)
		return 0;
	if (scan_version(lib + strcspn(lib, "0123456789"), xyz))
		v->major = xyz[0], v->minor = xyz[1];
	return 1;
}

/* site-packages under lib/: pythonX.Y, pythonX.Yt (free-threaded) or pypyX.Y for the
 * recorded version; with no version recorded, the one there is. */
static void find_site(struct venv *v)
{
	int pypy = !strcmp(v->implementation, "PyPy"), k, t;
	char lib[300] = "";

	for (k = 0; k < 2 && v->minor >= 0 && !v->site_ok; k++) {
		t = (k == 0) == (v->free_threaded > 0);	/* what the venv says first */
		layout_lib(lib, sizeof lib, pypy, v->major, v->minor, t);
		v->site_ok = site_exists(v, lib);
	}
	if (v->minor < 0) {
		v->site_ok = only_site(v, lib, sizeof lib);
		if (!v->site_ok)
			snprintf(lib, sizeof lib, "lib/python3");
	} else if (!v->site_ok) {
		layout_lib(lib, sizeof lib, pypy, v->major, v->minor, v->free_threaded > 0);
	}
	v->site_rel = xmalloc(strlen(lib) + 20);
	sprintf(v->site_rel, "%s/site-packages", lib);
	v->site = path_join(v->dir, v->site_rel);
	if (v->site_ok)
		v->free_threaded = lib[strlen(lib) - 1] == 't';
	if (v->site_ok) {	/* another candidate's link is none of its business */
		free(v->site_link);
		v->site_link = NULL;
	}
}

/* The link bin/python points at, made absolute (relative links count from bin/). */
static char *python_link(const struct venv *v)
{
	char target[PATH_MAX], *link, *bin, *j, *r;
	ssize_t n;

	link = path_join(v->dir, "bin/python");
	n = readlink(link, target, sizeof target - 1);
	free(link);
	if (n <= 0)
		return NULL;
	target[n] = 0;
	if (target[0] == '/')
		return path_abs(target);
	bin = path_join(v->dir, "bin");
	j = path_join(bin, target);
	r = path_abs(j);
	free(bin);
	free(j);
	return r;
}

/* The base interpreter: pyvenv.cfg's executable (venv 3.11+) or base-executable
 * (virtualenv), else where bin/python leads, else the versioned name in home. */
static void find_executable(struct venv *v)
{
	const char *x = pycfg_get(&v->cfg, "executable");
	char name[64], *p, *first = NULL;
	int i;

	if (!x || !*x)
		x = pycfg_get(&v->cfg, "base-executable");
	if (x && *x) {
		v->executable = xstrdup(x);
		return;
	}
	p = python_link(v);
	if (p && !venv_inside(p, v->dir)) {
		v->executable = p;
		return;
	}
	free(p);
	for (i = v->minor >= 0 ? 0 : 1; v->home && i < 3; i++) {
		if (i == 0)
			snprintf(name, sizeof name, "%s%d.%d%s", strcmp(v->implementation, "PyPy") ? "python" : "pypy",
				 v->major, v->minor, v->free_threaded > 0 ? "t" : "");
		p = path_join(v->home, i == 0 ? name : i == 1 ? "python3" : "python");
		if (access(p, F_OK) == 0) {
			free(first);
			v->executable = p;
			return;
		}
		if (first)
			free(p);
		else
			first = p;	/* what should be there, since nothing is */
	}
	v->executable = first;
}

static int exists_in(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	int r = access(p, F_OK) == 0;

	free(p);
	return r;
}

static void find_creator(struct venv *v)
{
	static const char *const keys[] = { "venvbox", "uv", "virtualenv" };
	const char *x;
	size_t i;

	for (i = 0; i < 3; i++)
		if ((x = pycfg_get(&v->cfg, keys[i]))) {
			snprintf(v->creator, sizeof v->creator, "%s", keys[i]);
			snprintf(v->creator_version, sizeof v->creator_version, "%s", x);
			return;
		}
	/* keys gone: the files these tools leave */
	snprintf(v->creator, sizeof v->creator, "%s", exists_in(v->dir, "CACHEDIR.TAG") ? "uv"
		 : exists_in(v->site, "_virtualenv.pth") ? "virtualenv" : v->cfg.n ? "venv" : "unknown");
}

static void find_implementation(struct venv *v)
{
	const char *x = pycfg_get(&v->cfg, "implementation"), *base;
	char *link = python_link(v);

	if (x && *x) {
		snprintf(v->implementation, sizeof v->implementation, "%s", x);
	} else if (!link && exists_in(v->dir, "bin/pypy3")) {	/* copies: PyPy's venv has that name */
		snprintf(v->implementation, sizeof v->implementation, "PyPy");
	} else {
		base = link ? path_base(link) : "";
		snprintf(v->implementation, sizeof v->implementation, "%s",
			 !strncmp(base, "pypy", 4) ? "PyPy" : !strncmp(base, "graalpy", 7) ? "GraalPy" : "CPython");
	}
	free(link);
}

/* pyvenv.cfg read, and what keeps site.py from reading it noted: unreadable, not text. */
static void read_cfg(struct venv *v, const char *path)
{
	struct err e = { "" };
	struct buf b;

	buf_init(&b);
	if (file_read(AT_FDCWD, path, 1 << 20, &b, &e)) {
		v->cfg_state = CFG_UNREADABLE;
	} else if (memchr(b.s, 0, b.len)) {
		v->cfg_state = CFG_BINARY;
	} else {
		if (!json_utf8_valid(b.s, b.len))	/* site.py fails on it; its keys are still shown */
			v->cfg_state = CFG_NOT_UTF8;
		if (pycfg_read(AT_FDCWD, path, &v->cfg, &e))
			v->cfg_state = CFG_UNREADABLE;
	}
	buf_free(&b);
	if (v->cfg_state == CFG_UNREADABLE)
		v->cfg_error = xstrdup(e.msg);
	v->cfg_ok = v->cfg_state == CFG_READ || v->cfg_state == CFG_NOT_UTF8;
	v->home = v->cfg_ok ? pycfg_get(&v->cfg, "home") : NULL;
	if (v->home && !*v->home)
		v->home = NULL;
}

static void read_version(struct venv *v)
{
	const char *x = pycfg_get(&v->cfg, "version");
	int xyz[3];

	if (x && *x)
		snprintf(v->version, sizeof v->version, "%s", x);
	else if ((x = pycfg_get(&v->cfg, "version_info")) && *x)
		from_version_info(x, v->version, sizeof v->version);
	if (!v->version[0])
		return;
	if (scan_version(v->version, xyz) && xyz[0] >= 2) {
		v->major = xyz[0];
		v->minor = xyz[1];
	} else {
		v->version_bad = 1;
	}
}

/* site.py's booleans: the word true, in any case. */
static int cfg_true(const struct venv *v, const char *key)
{
	const char *x = pycfg_get(&v->cfg, key);

	return x && !strcasecmp(x, "true");
}

/* The prompt: venv writes repr() (venvbox as venv), virtualenv and uv the text bare; none
 * recorded, the venv's name, as venv's activation uses it. */
static void read_prompt(struct venv *v)
{
	const char *x = pycfg_get(&v->cfg, "prompt");

	v->prompt_recorded = x && *x;
	if (!v->prompt_recorded)
		v->prompt = xstrdup(path_base(v->dir));
	else if (!strcmp(v->creator, "venv") || !strcmp(v->creator, "venvbox"))
		v->prompt = py_unrepr_str(x);
	else
		v->prompt = xstrdup(x);
}

int venv_open(struct venv *v, const char *dir, struct err *e)
{
	const char *x;
	struct stat st;
	char *cfg;

	memset(v, 0, sizeof *v);
	v->major = v->minor = -1;
	v->free_threaded = -1;
	v->dir = path_abs(dir);
	if (!v->dir)
		return err_sys(e, "cannot read the current directory");
	if (stat(v->dir, &st) < 0)
		return err_sys(e, "%s", dir);
	if (!S_ISDIR(st.st_mode))
		return err_set(e, "%s: not a directory", dir);
	cfg = path_join(v->dir, "pyvenv.cfg");
	if (lstat(cfg, &st) < 0 && errno == ENOENT) {
		free(cfg);
		return err_set(e, "%s: not a virtual environment (no pyvenv.cfg)%s", dir,
			       exists_in(v->dir, "lib") ? "; a virtualenv older than 20 is not supported: recreate it" : "");
	}
	read_cfg(v, cfg);
	free(cfg);
	read_version(v);
	find_implementation(v);
	x = pycfg_get(&v->cfg, "executable");
	if (x && strlen(x) > 1 && x[strlen(x) - 1] == 't' && strstr(path_base(x), "python"))
		v->free_threaded = 1;
	find_site(v);
	find_executable(v);
	find_creator(v);
	v->system_site = cfg_true(v, "include-system-site-packages");
	v->relocatable = cfg_true(v, "relocatable");
	read_prompt(v);
	if (v->free_threaded < 0)
		v->free_threaded = 0;
	return 0;
}

void venv_close(struct venv *v)
{
	pycfg_free(&v->cfg);
	free(v->cfg_error);
	free(v->dir);
	free(v->executable);
	free(v->prompt);
	free(v->site_rel);
	free(v->site);
	free(v->site_link);
	memset(v, 0, sizeof *v);
}
