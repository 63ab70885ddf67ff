/* install.c: checked wheels unpacked into a venv as pip does (the binary distribution
 * format; the recording installed projects spec): members verified against RECORD as they
 * are written, #!python rewritten, entry point launchers, INSTALLER, REQUESTED and a new
 * RECORD. Into an existing venv, several wheels are one transaction: each is staged inside
 * the venv, checked against the venv as the wheels before it leave it, and moved in, every
 * rename written to an undo journal on disk first, and files of the venv's own that go with
 * them (pyvenv.cfg) after them; the journal is removed when the last of them is in. A failure undoes them all; the next install undoes what a killed one did. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pkg/pkg.h"

/* -1 and E when O lets a termination signal stop the install, and one is waiting. */
static int interrupted(const struct installopt *o, struct err *e)
{
	return o->interruptible && signals_stopped(e);
}

static int write_all(struct inst *s, struct err *e)
{
	char dest[600];

	if (unpack_members(s, e) || launchers_write(s, e))
		return -1;
	snprintf(dest, sizeof dest, "%s/%s/INSTALLER", s->vp.site, s->w->distinfo);
	if (inst_put(s, dest, "venvbox\n", 8, 0644, e))
		return -1;
	snprintf(dest, sizeof dest, "%s/%s/REQUESTED", s->vp.site, s->w->distinfo);
	if (s->o->requested && inst_put(s, dest, "", 0, 0644, e))
		return -1;
	return inst_write_record(s, e);
}

/* S's wheel written below ROOTFD (the venv itself, or a stage in it), from the cache where
 * it can be; R says how. */
static int write_wheel(struct inst *s, struct wkey *key, int rootfd, int venvfd,
		       struct installresult *r, struct err *e)
{
	struct wkey none = { "" };
	size_t i;
	int rc;

	s->dc.root = rootfd;
	s->mask = file_umask();	/* (here: the unpacking threads are not started yet) */
	s->wc = wcache_begin(s->o->cache_dir, s->w, key ? key : &none, venvfd);
	s->cdc.root = wcache_root(s->wc);
	rc = write_all(s, e);
	dircache_close(&s->dc);
	wcache_end(s->wc, rc == 0, &r->cache);
	s->wc = NULL;
	for (i = 0; rc == 0 && i < s->w->nf; i++)
		r->files += inst_plain_member(s, &s->w->f[i]);
	return rc;
}

/* A directory of the stage; failing, it names the venv, not the stage. */
static int stage_dir(int venvfd, const char *name, const char *absdir, struct err *e)
{
	const char *base;
	int dfd, rc;

	if (fault_point(e) || (dfd = dircache_open(venvfd, name, 0, &base, e)) < 0)
		return -1;	/* reached through no link */
	rc = mkdirat(dfd, base, 0700) < 0 ? err_sys(e, "cannot write into %s", absdir) : 0;
	close(dfd);
	return rc;
}

/* DIR and DIR/new made in the stage: the directory below DIR/new (reached through no link)
 * to write into, or -1 and E. */
static int stage_new(int venvfd, const char *dir, const char *absdir, struct err *e)
{
	char newdir[72], newtop[80];
	const char *base;
	int fd;

	snprintf(newdir, sizeof newdir, "%s/new", dir);
	snprintf(newtop, sizeof newtop, "%s/", newdir);	/* that directory itself, through no link */
	if (stage_dir(venvfd, dir, absdir, e) || stage_dir(venvfd, newdir, absdir, e))
		return -1;
	if ((fd = dircache_open(venvfd, newtop, 0, &base, e)) < 0)
		err_sys(e, "cannot write into %s", absdir);
	return fd;
}

/* W staged in DIR/new and moved into the venv under J, what it replaces set aside in
 * DIR/old; X: what is installed, as the wheels before it left the venv (W added once in);
 * IN: what W replaces and what it must not, made from X. */
static int stage_wheel(struct wheel *w, struct wkey *key, const char *dir, struct journal *j,
		       const struct pyinfo *py, const struct installopt *o, struct siteindex *x,
		       struct installed *in, struct installresult *r, struct err *e)
{
	struct inst s = { .w = w, .z = &w->z, .py = py, .o = o, .dc.root = -1, .cdc.root = -1 };
	int venvfd = j->dirfd, rootfd = -1, rc = -1;

	memset(r, 0, sizeof *r);
	py_layout(py, &s.vp);
	inst_init(&s);
	s.in = in;
	installed_pick(in, x, w->normname, py);
	if (preflight_check(&s, venvfd, in, 0, e) || (rootfd = stage_new(venvfd, dir, o->absdir, e)) < 0)
		goto out;
	if (write_wheel(&s, key, rootfd, venvfd, r, e) == 0 && interrupted(o, e) == 0
	    && movein_commit(j, dir, in, s.vp.site, e) == 0) {
		installed_index_add(x, w->normname, w->distinfo, s.rec.s ? s.rec.s : "", s.rec.len);
		rc = 0;
	}
	close(rootfd);
out:
	inst_free(&s);
	return rc;
}

/* O's extra files, written in DIR/new by its hook and moved in as one more wheel would be
 * (what they replace set aside). */
static int stage_extra(const char *dir, struct journal *j, const struct installopt *o,
		       struct err *e)
{
	struct installed none;
	int fd = stage_new(j->dirfd, dir, o->absdir, e), rc;

	if (fd < 0)
		return -1;
	memset(&none, 0, sizeof none);
	rc = o->extra(o->extra_ctx, fd, e) || movein_commit(j, dir, &none, "", e) ? -1 : 0;
	close(fd);
	return rc;
}

/* E, about wheel PATH, says so (an interruption is about none). */
static void name_wheel(struct err *e, const char *path, const struct installopt *o)
{
	char why[sizeof e->msg];

	if ((o->interruptible && signals_pending()) || !strncmp(e->msg, path, strlen(path)))
		return;
	snprintf(why, sizeof why, "%s", e->msg);
	err_set(e, "%s: %s", path, why);
}

/* NAME is the stage of an install whose process is gone, or OWN (this process's name, not
 * made yet: one of that name is a dead namesake's). */
static int dead_stage(const char *name, const char *own)
{
	return file_orphan(name, INSTALL_STAGE) || !strcmp(name, own);
}

/* The stage NAME's renames undone as its journal has them (none: it was committed, or had
 * not begun), and the stage removed. */
static void undo_stage(int venvfd, const char *name)
{
	char log[300];

	snprintf(log, sizeof log, "%s/journal", name);
	journal_recover(venvfd, log);
	file_rmtree(venvfd, name, NULL);
}

void install_recover(int venvfd)
{
	char own[64];
	const char *base;
	int fd = dircache_open(venvfd, "bin/", 0, &base, NULL);

	if (fd >= 0) {	/* where the venv's own files are replaced (activate, python links) */
		file_remove_tmps(fd);
		close(fd);
	}
	file_remove_tmps(venvfd);
	stage_recover(venvfd);	/* a killed --clear's entries back first: its own stages go */
	snprintf(own, sizeof own, "%s%ld", INSTALL_STAGE, (long)getpid());
	file_each(venvfd, dead_stage, own, undo_stage);
}

int wheels_install(struct wheel *const *w, struct wkey *const *keys, size_t n, int venvfd,
		   const struct pyinfo *py, const struct installopt *o, struct installresult *r,
		   struct err *e)
{
	struct installed in;
	struct siteindex x;
	struct journal j;
	struct pylayout vp;
	struct pool pool = { 0 };
	const char **old = NULL;	/* the replaced distributions' files, pruned at the end */
	char stage[40], log[56], dir[64];
	struct stat root;
	sigset_t saved;
	size_t i, m, nold = 0;
	int rc = -1, bad;

	py_layout(py, &vp);
	snprintf(stage, sizeof stage, "%s%ld", INSTALL_STAGE, (long)getpid());
	snprintf(log, sizeof log, "%s/journal", stage);
	fstat(venvfd, &root);
	signals_hold(&saved);	/* not cut short, unless O says to stop and undo */
	journal_init(&j, venvfd);
	memset(&in, 0, sizeof in);
	memset(&x, 0, sizeof x);
	if (stage_dir(venvfd, stage, o->absdir, e) || journal_log(&j, log, e)
	    || installed_index(&x, venvfd, vp.site, o->absdir, e))
		goto out;
	for (i = 0; i < n; i++) {
		snprintf(dir, sizeof dir, "%s/%zu", stage, i);
		if (o->progress)
			o->progress(o->progress_ctx, i, n);
		bad = interrupted(o, e)
		      || stage_wheel(w[i], keys ? keys[i] : NULL, dir, &j, py, o, &x, &in, &r[i], e);
		for (m = 0; !bad && m < in.nold; m++) {	/* kept, to be pruned when all is in */
			old = xgrow(old, nold, sizeof *old);
			old[nold++] = pool_strdup(&pool, in.old[m]);
		}
		installed_free(&in);
		if (bad) {
			name_wheel(e, w[i]->path, o);
			goto out;
		}
	}
	if (o->progress)
		o->progress(o->progress_ctx, n, n);
	snprintf(dir, sizeof dir, "%s/%zu", stage, n);
	if (interrupted(o, e) || (o->extra && stage_extra(dir, &j, o, e))
	    || journal_commit(&j, log, e))
		goto out;
	rc = 0;
	movein_prune(venvfd, old, nold, &vp);
out:
	if (rc)
		journal_undo(&j);
	journal_free(&j);
	file_rmtree(venvfd, stage, NULL);
	if (rc) {	/* a refused install leaves even the venv's mtime as it was */
		struct timespec ts[2] = { root.st_atim, root.st_mtim };

		futimens(venvfd, ts);
	}
	signals_release(&saved);
	installed_index_free(&x);
	free(old);
	pool_free(&pool);
	return rc;
}

/* W written straight into the venv being made at VENVFD, X what is in it (W added once in);
 * one of a name installed before it (a -w pip over the seeded one) is replaced, staged, and
 * X read again. */
static int direct_install(struct wheel *w, struct wkey *key, int venvfd, const struct pyinfo *py,
			  const struct installopt *o, struct siteindex *x, struct installresult *r,
			  struct err *e)
{
	struct inst s = { .w = w, .z = &w->z, .py = py, .o = o, .dc.root = -1, .cdc.root = -1 };
	struct installed in;
	int rc;

	memset(r, 0, sizeof *r);
	py_layout(py, &s.vp);
	installed_pick(&in, x, w->normname, py);
	if (in.old_distinfo) {	/* a wheel of the same name before it: replaced, staged */
		installed_free(&in);
		rc = wheels_install(&w, &key, 1, venvfd, py, o, r, e);
		installed_index_free(x);
		return installed_index(x, venvfd, s.vp.site, o->absdir, e) || rc ? -1 : 0;
	}
	inst_init(&s);
	s.in = &in;
	rc = preflight_check(&s, venvfd, &in, 1, e) || write_wheel(&s, key, venvfd, venvfd, r, e) ? -1 : 0;
	if (rc == 0)
		installed_index_add(x, w->normname, w->distinfo, s.rec.s ? s.rec.s : "", s.rec.len);
	installed_free(&in);
	inst_free(&s);
	return rc;
}

int wheels_install_each(struct wheel *const *w, struct wkey *const *keys, size_t n, int venvfd,
			const struct pyinfo *py, const struct installopt *o, struct installresult *r,
			struct err *e)
{
	struct siteindex x;
	struct pylayout vp;
	size_t i;
	int rc;

	if (!o->direct)
		return wheels_install(w, keys, n, venvfd, py, o, r, e);
	py_layout(py, &vp);
	rc = installed_index(&x, venvfd, vp.site, o->absdir, e);
	for (i = 0; i < n && !rc; i++) {
		if (o->progress)
			o->progress(o->progress_ctx, i, n);
		rc = direct_install(w[i], keys ? keys[i] : NULL, venvfd, py, o, &x, &r[i], e);
	}
	if (!rc && o->progress)
		o->progress(o->progress_ctx, n, n);
	installed_index_free(&x);
	return rc;
}
