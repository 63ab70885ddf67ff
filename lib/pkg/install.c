/* install.c: a checked wheel unpacked into a venv as pip does (the binary distribution
 * format; the recording installed projects spec): members verified against RECORD as they
 * are written, #!python rewritten, entry point launchers, INSTALLER, REQUESTED and a new
 * RECORD. Into an existing venv everything is staged first and then moved into place, the
 * replaced distribution set aside, so a failure at any point can be undone. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pkg/pkg.h"

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

/* The stage's new tree moved in; undone whole on failure. Not to be cut short by a signal. */
static int move_in(struct inst *s, int venvfd, const char *stage, const struct installed *in,
		   struct err *e)
{
	struct journal j;
	sigset_t saved;
	int rc = 0;

	journal_init(&j, venvfd);
	signals_hold(&saved);
	if (movein_commit(&j, stage, in, s->vp.site, e)) {
		char why[sizeof e->msg];

		journal_undo(&j);
		snprintf(why, sizeof why, "%s", e->msg);
		err_set(e, "%s: %s", s->w->path, why);
		rc = -1;
	} else {
		movein_prune(venvfd, in, &s->vp);
	}
	signals_release(&saved);
	journal_free(&j);
	return rc;
}

/* A directory beside the venv's entries to stage into: STAGE/new, opened, or -1. */
static int make_stage(int venvfd, const char *stage, struct err *e)
{
	char newdir[80];
	const char *base;

	snprintf(newdir, sizeof newdir, "%s/new/", stage);	/* made, and reached, through no link */
	file_rmtree(venvfd, stage, NULL);
	if (file_mkdir(venvfd, stage, 0700, e))
		return -1;
	return dircache_open(venvfd, newdir, 1, &base, e);
}

int wheel_install(struct wheel *w, struct wkey *key, int venvfd, const struct pyinfo *py,
		  const struct installopt *o, struct installresult *r, struct err *e)
{
	struct inst s = { .w = w, .z = &w->z, .py = py, .o = o, .dc.root = -1, .cdc.root = -1 };
	struct wkey none = { "" };
	struct installed in;
	struct stat root;
	char stage[64];
	int direct = 0, rc = -1, rootfd = -1;
	size_t i;

	memset(r, 0, sizeof *r);
	snprintf(stage, sizeof stage, ".venvbox-install-%ld", (long)getpid());
	fstat(venvfd, &root);
	py_layout(py, &s.vp);
	inst_init(&s);
	if (installed_scan(&in, venvfd, s.vp.site, o->absdir, w->normname, py, e))
		return -1;
	s.in = &in;
	direct = o->direct && !in.old_distinfo;
	if (preflight_check(&s, venvfd, &in, direct, e))
		goto out;
	file_remove_orphans(venvfd, ".venvbox-install-");	/* stages of killed installs */
	rootfd = direct ? venvfd : make_stage(venvfd, stage, e);
	if (rootfd < 0)
		goto out;
	s.dc.root = rootfd;
	s.wc = wcache_begin(o->cache_dir, w, key ? key : &none, venvfd);
	s.cdc.root = wcache_root(s.wc);
	if (write_all(&s, e))
		goto out;
	dircache_close(&s.dc);
	if (!direct && move_in(&s, venvfd, stage, &in, e))
		goto out;
	rc = 0;
	for (i = 0; i < w->nf; i++)
		r->files += inst_plain_member(&s, &w->f[i]);
out:
	if (s.wc)
		wcache_end(s.wc, rc == 0, &r->cache);
	if (rootfd >= 0 && rootfd != venvfd)
		close(rootfd);
	if (!direct) {
		file_rmtree(venvfd, stage, NULL);
		if (rc) {	/* a refused install leaves even the venv's mtime as it was */
			struct timespec ts[2] = { root.st_atim, root.st_mtim };

			futimens(venvfd, ts);
		}
	}
	installed_free(&in);
	inst_free(&s);
	return rc;
}
