/* venvinfo.c: whether a virtual environment (struct venv, PEP 405) still works, read from
 * its files alone: problems as data (kinds, messages, a suggested fix); the interpreter is
 * inspected, never run. */
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

/* The problem kinds by name: stable, documented in README.md. */
static const char *const names[NVPROBLEM_KINDS] = {
	[VP_CFG_UNREADABLE] = "cfg-unreadable",
	[VP_CFG_MALFORMED] = "cfg-malformed",
	[VP_INTERPRETER_MISSING] = "interpreter-missing",
	[VP_INTERPRETER_NOT_EXECUTABLE] = "interpreter-not-executable",
	[VP_INTERPRETER_BROKEN] = "interpreter-broken",
	[VP_VERSION_CHANGED] = "version-changed",
	[VP_DANGLING_LINK] = "dangling-link",
	[VP_VENV_INCOMPLETE] = "venv-incomplete",
	[VP_SITE_MISSING] = "site-packages-missing",
	[VP_SITE_UNREADABLE] = "site-packages-unreadable",
	[VP_DIST_METADATA] = "distribution-metadata",
	[VP_DIST_DUPLICATE] = "distribution-duplicate",
	[VP_STALE_STAGING] = "stale-staging",
	[VP_DEPENDENCY_MISSING] = "dependency-missing",
	[VP_DEPENDENCY_VERSION] = "dependency-version",
};

const char *vproblem_name(enum vproblem_kind k)
{
	return names[k];
}

static void problem(struct vinfo *vi, enum vproblem_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct vinfo *vi, enum vproblem_kind kind, const char *fmt, ...)
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

/* What kept pyvenv.cfg from being read, or makes it malformed for site.py. */
static void cfg_problems(struct vinfo *vi)
{
	const struct venv *v = &vi->v;
	char *path = path_join(v->dir, "pyvenv.cfg");

	if (v->cfg_state == CFG_UNREADABLE)
		problem(vi, VP_CFG_UNREADABLE, "cannot read %s", v->cfg_error);
	else if (v->cfg_state == CFG_BINARY)
		problem(vi, VP_CFG_MALFORMED, "%s: not a text file (it holds NUL bytes)", path);
	else if (v->cfg_state == CFG_NOT_UTF8)
		problem(vi, VP_CFG_MALFORMED, "%s: not a text file (it is not valid UTF-8)", path);
	if (v->cfg_ok && !v->home)
		problem(vi, VP_CFG_MALFORMED, "%s: no home key (the directory of the base interpreter)", path);
	if (v->version_bad)
		problem(vi, VP_CFG_MALFORMED, "pyvenv.cfg: version = %s is not a Python version", v->version);
	free(path);
}

int vinfo_open(struct vinfo *vi, const char *dir, struct err *e)
{
	memset(vi, 0, sizeof *vi);
	if (venv_open(&vi->v, dir, e))
		return -1;
	cfg_problems(vi);
	return 0;
}

/* Links in bin/ that lead nowhere (or round in a loop). */
static void check_links(struct vinfo *vi)
{
	char *bin = path_join(vi->v.dir, "bin"), target[PATH_MAX];
	struct err e = { "" };
	struct dirent *de;
	struct stat st;
	ssize_t n;
	DIR *d = NULL;
	int fd = -1, vfd = open(vi->v.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), why;

	if (vfd >= 0) {
		fd = dircache_dir(vfd, "bin", &e);	/* bin/ itself no link */
		close(vfd);
	}
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (errno == ELOOP || errno == ENOTDIR)
			problem(vi, VP_VENV_INCOMPLETE, "%s (venvbox reads nothing through a link in the venv)", e.msg);
		else
			problem(vi, VP_VENV_INCOMPLETE, "%s: %s", bin, strerror(errno));
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
		problem(vi, VP_DANGLING_LINK, "bin/%s -> %s: %s", de->d_name, target,
			why == ELOOP ? "a loop of symbolic links" : strerror(why));
	}
	if (fstatat(fd, "python", &st, AT_SYMLINK_NOFOLLOW) < 0)
		problem(vi, VP_VENV_INCOMPLETE, "bin/python: %s", strerror(errno));
	closedir(d);
	free(bin);
}

/* ASIDE (CLEAR_ASIDE...) without its journal still holds old entries, and no mark that the
 * --clear had finished: the next run leaves it alone. */
static int aside_stuck(const char *dir, const char *aside)
{
	char *p = xmalloc(strlen(dir) + strlen(aside) + 20);
	struct stat st;
	int r;

	sprintf(p, "%s/%s/cleared", dir, aside);
	r = lstat(p, &st) < 0;
	sprintf(p, "%s/%s/old", dir, aside);
	r = r && file_dir_is_empty(p) == 0;
	free(p);
	return r;
}

/* What a run whose process is gone left inside the venv: an install's stage, or the old
 * entries of a --clear in place (CLEAR_ASIDE). */
static void check_stages(struct vinfo *vi)
{
	struct dirent *de;
	struct stat st;
	char log[300];
	DIR *d = opendir(vi->v.dir);
	int logged;

	while (d && (de = readdir(d))) {
		snprintf(log, sizeof log, "%s/journal", de->d_name);
		logged = fstatat(dirfd(d), log, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (file_orphan(de->d_name, INSTALL_STAGE))
			problem(vi, VP_STALE_STAGING, "%s: the stage of an install whose process is gone, %s by the "
				"next mkvenv -w or mkvenv --upgrade of this venv", de->d_name,
				logged ? "stopped half way: what it changed is undone" : "with nothing to undo: removed");
		else if (file_orphan(de->d_name, CLEAR_ASIDE))
			problem(vi, VP_STALE_STAGING, "%s: the old entries of a mkvenv --clear whose process is gone, %s",
				de->d_name, logged ? "stopped half way: put back by the next mkvenv of this venv"
				: aside_stuck(vi->v.dir, de->d_name) ? "that could not be put back: move them back from its old/ by hand"
				: "finished or with nothing moved: removed by the next mkvenv of this venv");
	}
	if (d)
		closedir(d);
}

/* What a mkvenv whose process is gone left beside the venv: ".NAME.mkvenv-PID", its staging
 * directory, or ".NAME.mkvenv-PID.old", the old venv of a --clear killed between renames. */
static void check_beside(struct vinfo *vi)
{
	char *parent = path_dir(vi->v.dir);
	struct dirent *de;
	DIR *d = opendir(parent);
	int k;

	while (d && (de = readdir(d)))
		if ((k = stage_orphan(de->d_name, path_base(vi->v.dir))))
			problem(vi, VP_STALE_STAGING, "%s/%s: %s whose process is gone, removed by the next mkvenv "
				"of this venv", strcmp(parent, "/") ? parent : "", de->d_name, k == 2
				? "the old venv set aside by a mkvenv --clear" : "the staging directory of a mkvenv");
	if (d)
		closedir(d);
	free(parent);
}

/* The interpreter the venv runs now (bin/python's link chain, else the base executable),
 * inspected without running it, against the version pyvenv.cfg records. */
static void check_version(struct vinfo *vi)
{
	struct pyinfo py = { 0 };
	struct err e = { "" };
	struct stat st;
	char *link = path_join(vi->v.dir, "bin/python");
	int r, ft, pypy, via_link = lstat(link, &st) == 0 && S_ISLNK(st.st_mode) && stat(link, &st) == 0;

	if (via_link) {
		py.invoked = link;
	} else {
		free(link);
		if (!vi->v.executable || stat(vi->v.executable, &st) < 0 || !S_ISREG(st.st_mode))
			return;	/* reported missing already */
		py.invoked = xstrdup(vi->v.executable);
	}
	r = pyinspect(&py, &e);
	if (r < 0) {
		problem(vi, VP_INTERPRETER_BROKEN, "%s", e.msg);
	} else if (py.major > 0) {
		ft = strchr(py.abiflags, 't') != NULL;
		if (r == 0)
			snprintf(vi->base_version, sizeof vi->base_version, "%s%s", py.version, ft ? "t" : "");
		else
			snprintf(vi->base_version, sizeof vi->base_version, "%d.%d%s", py.major, py.minor, ft ? "t" : "");
		pypy = !strcmp(vi->v.implementation, "PyPy");
		if (vi->v.minor >= 0 && (py.major != vi->v.major || py.minor != vi->v.minor
		    || ft != (vi->v.free_threaded > 0) || py.pypy != pypy))
			problem(vi, VP_VERSION_CHANGED, "the venv was made for %s %d.%d%s, but %s now runs %s %s (%s)",
				pypy ? "PyPy" : "Python", vi->v.major, vi->v.minor, vi->v.free_threaded > 0 ? "t" : "",
				via_link ? "bin/python" : vi->v.executable, py.pypy ? "PyPy" : "Python",
				vi->base_version, py.real);
	}
	pyinfo_free(&py);
}

static void check_interpreter(struct vinfo *vi)
{
	struct stat st;
	char *dir;

	/* home is reported on its own only when the executable is not in it */
	if (vi->v.home && !path_is_dir(vi->v.home) && (!vi->v.executable || !venv_inside(vi->v.executable, vi->v.home)))
		problem(vi, VP_INTERPRETER_MISSING, "home = %s: %s", vi->v.home,
			stat(vi->v.home, &st) < 0 ? strerror(errno) : "not a directory");
	if (!vi->v.executable)
		return;
	if (stat(vi->v.executable, &st) < 0) {
		dir = path_dir(vi->v.executable);
		problem(vi, VP_INTERPRETER_MISSING, "base interpreter %s: %s%s", vi->v.executable,
			errno == ELOOP ? "a loop of symbolic links" : strerror(errno),
			path_is_dir(dir) ? "" : " (its whole directory is gone)");
		free(dir);
	} else if (!S_ISREG(st.st_mode) || access(vi->v.executable, X_OK) < 0) {
		problem(vi, VP_INTERPRETER_NOT_EXECUTABLE, "base interpreter %s: not an executable file", vi->v.executable);
	}
}

static void suggest(struct vinfo *vi, const struct dists *ds)
{
	struct buf b, dir;
	char ver[32] = "";
	enum vproblem_kind k;
	size_t i;
	int interp = 0, meta = 0, dup = 0, changed = 0, perm = 0, stale = 0, others = 0, deps = 0;

	for (i = 0; i < vi->nprob; i++) {
		k = vi->prob[i].kind;
		changed |= k == VP_VERSION_CHANGED;
		meta |= k == VP_DIST_METADATA;
		dup |= k == VP_DIST_DUPLICATE;
		perm |= k == VP_SITE_UNREADABLE;
		stale |= k == VP_STALE_STAGING;
		others |= k == VP_STALE_STAGING && strncmp(vi->prob[i].msg, INSTALL_STAGE, strlen(INSTALL_STAGE));
		deps |= k == VP_DEPENDENCY_MISSING || k == VP_DEPENDENCY_VERSION;
		interp |= k != VP_DIST_METADATA && k != VP_DIST_DUPLICATE && k != VP_SITE_UNREADABLE
			  && k != VP_STALE_STAGING && k != VP_DEPENDENCY_MISSING && k != VP_DEPENDENCY_VERSION;
	}
	if (!vi->nprob)
		return;
	buf_init(&b);
	buf_init(&dir);
	if (strspn(vi->v.dir, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-,:@%=") == strlen(vi->v.dir))
		buf_adds(&dir, vi->v.dir);
	else
		quote_shell(&dir, SHELL_SH, vi->v.dir, NULL);
	if (vi->v.minor >= 0)
		snprintf(ver, sizeof ver, " -p %d.%d%s", vi->v.major, vi->v.minor, vi->v.free_threaded > 0 ? "t" : "");
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
	if (perm && vi->v.site_link)
		buf_printf(&b, "%sput the directories themselves in place of the link on the way to %s",
			   b.len ? "; " : "", vi->v.site_rel);
	else if (perm)
		buf_printf(&b, "%smake %s readable (or run as its owner)", b.len ? "; " : "", vi->v.site_rel);
	if (stale && !interp)	/* --upgrade undoes and removes them too */
		buf_printf(&b, "%smkvenv --upgrade%s %s (%s)", b.len ? "; " : "", ver, dir.s, others
			   ? "undoes what interrupted runs left, removes their stages"
			   : "undoes the interrupted install, removes its stage");
	if (deps)
		buf_printf(&b, "%sinstall the missing or other versions (mkvenv -w WHEEL %s)", b.len ? "; " : "", dir.s);
	vi->fix = b.s;
	buf_free(&dir);
}

/* The installed distributions whose Name is NORM: the first (the one Python imports), or NULL. */
static const struct dist *dist_named(const struct dists *ds, const char *norm)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		if (!ds->d[i].shadowed && !strcmp(ds->d[i].norm, norm))
			return &ds->d[i];
	return NULL;
}

/* As pip check: every Requires-Dist of every installed distribution whose marker holds for
 * the venv's interpreter (extra ""; one that cannot be evaluated without running it is left
 * out) met by what is installed, in pip check's sentences. */
static void check_dependencies(struct vinfo *vi, const struct dists *ds)
{
	struct pyinfo py = { 0 };
	struct markerenv env;
	struct pep508 r;
	struct err e;
	const struct dist *t;
	size_t i, k;
	char *norm;

	if (vi->v.major < 0 || !vi->v.version[0])
		return;	/* the markers cannot be evaluated */
	py.major = vi->v.major;
	py.minor = vi->v.minor;
	snprintf(py.version, sizeof py.version, "%s", vi->v.version);
	py.pypy = !strcmp(vi->v.implementation, "PyPy");
	markerenv_init(&env, &py);
	for (i = 0; i < ds->n; i++) {
		const struct dist *d = &ds->d[i];

		for (k = 0; !d->shadowed && k < d->nrequires; k++) {
			if (pep508_parse(d->requires[k], &r, &e) || (r.marker[0] && marker_eval(r.marker, &env, &e) != 1))
				continue;
			norm = name_normalize(r.name);
			t = dist_named(ds, norm);
			free(norm);
			if (!t)
				problem(vi, VP_DEPENDENCY_MISSING, "%s %s requires %s, which is not installed.",
					d->name, d->version, r.name);
			else if (r.spec[0] && pep440_match(r.spec, t->version, NULL) != 1)
				problem(vi, VP_DEPENDENCY_VERSION, "%s %s has requirement %s%s, but you have %s %s.",
					d->name, d->version, r.name, r.spec, t->name, t->version);
		}
	}
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
	check_stages(vi);
	check_beside(vi);
	if (!strcmp(vi->v.implementation, "CPython") || !strcmp(vi->v.implementation, "PyPy"))
		check_version(vi);
	if (!vi->v.site_ok && vi->v.site_link)
		problem(vi, VP_SITE_UNREADABLE, "%s (venvbox reads nothing through a link in the venv)",
			vi->v.site_link);
	else if (!vi->v.site_ok)
		problem(vi, VP_SITE_MISSING, "%s: %s", vi->v.site_rel,
			stat(vi->v.site, &st) < 0 ? strerror(errno) : "not a directory");
	else if (!ds)
		problem(vi, VP_SITE_UNREADABLE, "%s", ds_err ? ds_err : vi->v.site);
	for (i = 0; ds && i < ds->n; i++) {
		const struct dist *d = &ds->d[i];

		if (d->problem)
			problem(vi, VP_DIST_METADATA, "%s/%s: %s", vi->v.site_rel, d->dir, d->problem);
		if (d->shadowed)
			problem(vi, VP_DIST_DUPLICATE, "%s is installed twice: %s and %s", d->name,
				ds->d[d->shadowed - 1].dir, d->dir);
	}
	if (ds)
		check_dependencies(vi, ds);
	suggest(vi, ds);
}

void vinfo_free(struct vinfo *vi)
{
	size_t i;

	for (i = 0; i < vi->nprob; i++)
		free(vi->prob[i].msg);
	free(vi->prob);
	venv_close(&vi->v);
	free(vi->fix);
	memset(vi, 0, sizeof *vi);
}
