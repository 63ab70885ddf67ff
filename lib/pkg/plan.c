/* plan.c: what the -r files ask for (requirements files, or a PEP 751 lock file), as the
 * wheels of one install: selected for one interpreter from local directories, added to the
 * -w wheels, and, unless --no-deps, every Requires-Dist of the set met. */
#include <stdlib.h>
#include <string.h>
#include "pkg/pkg.h"

extern char **environ;

/* The lock file PATH, read and its wheels selected for PY (the directories DIRS searched
 * for those it names by URL) into PL. */
static int plan_lock(const char *path, char *const *dirs, size_t ndirs, const struct pyinfo *py,
		     const struct platform *plat, struct plan *pl, struct err *e)
{
	struct lock l;
	int r;

	if (lock_read(&l, path, &pl->warn, e))
		return -1;
	r = lock_select(&l, path, dirs, ndirs, py, plat, &pl->env, &pl->sel, e);
	lock_free(&l);
	return r;
}

/* The requirements files read for PY (markers evaluated for it, ${VAR} from the
 * environment) and a wheel selected for each from the --find-links directories and the
 * files' own, or the lock file's wheels: added to SO's wheels after the -w ones (a project
 * -w names is taken from -w). */
int plan_make(const struct planopt *m, const struct pyinfo *py, struct seedopt *so,
	      struct plan *pl, struct err *e)
{
	struct platform plat;
	struct wheelname wn;
	char **dirs, *norm;
	const char *lock = NULL;
	size_t nd = 0, i, k, n = so->nwheels;
	int r;

	memset(pl, 0, sizeof *pl);
	buf_init(&pl->warn);
	if (!m->nreqs)
		return 0;
	markerenv_init(&pl->env, py);
	for (i = 0; i < m->nreqs && !lock; i++)
		if (lock_file_name(m->reqs[i]))
			lock = m->reqs[i];
	if (lock && m->nreqs > 1)
		return err_set(e, "%s: a lock file is the whole set: give it as the only -r (here with %s)", lock,
			       m->reqs[m->reqs[0] == lock]);
	pl->lock = lock != NULL;
	for (i = 0; i < m->nreqs && !lock; i++)
		if (reqfile_read(&pl->rs, m->reqs[i], &pl->env, environ, e))
			return -1;
	if (platform_detect(py->real, &plat, e))
		return -1;
	dirs = xmalloc((so->nlinks + pl->rs.nlinks + 1) * sizeof *dirs);
	for (i = 0; i < so->nlinks; i++)
		dirs[nd++] = so->links[i];
	for (i = 0; i < pl->rs.nlinks; i++)
		dirs[nd++] = pl->rs.links[i];
	r = lock ? plan_lock(lock, dirs, nd, py, &plat, pl, e)
		 : select_wheels(pl->rs.w, pl->rs.n, dirs, nd, py, &plat, m->require_hashes || pl->rs.require_hashes,
				 pl->rs.pre, &so->lim, &pl->sel, e);
	free(dirs);
	if (r)
		return -1;
	pl->wheels = xmalloc((n + pl->sel.n + 1) * sizeof *pl->wheels);
	pl->extras = xmalloc((n + pl->sel.n + 1) * sizeof *pl->extras);
	pl->nextras = xmalloc((n + pl->sel.n + 1) * sizeof *pl->nextras);
	pl->sums = xmalloc((n + pl->sel.n + 1) * sizeof *pl->sums);
	memset(pl->sums, 0, (n + pl->sel.n + 1) * sizeof *pl->sums);
	for (i = 0; i < n; i++) {
		pl->wheels[i] = so->wheels[i];
		pl->extras[i] = NULL;
		pl->nextras[i] = 0;
	}
	for (i = 0; i < pl->sel.n; i++) {
		norm = name_normalize(pl->sel.p[i].name);
		for (k = 0; k < so->nwheels; k++) {
			char *wn_norm = wheelname_parse(so->wheels[k], &wn) ? NULL : name_normalize(wn.name);
			int same = wn_norm && !strcmp(wn_norm, norm);

			free(wn_norm);
			if (same)
				break;
		}
		free(norm);
		if (k < so->nwheels && pl->lock)	/* a lock's pins are its hashes: none is replaced */
			return err_set(e, "%s: %s is pinned by the lock file (%s): give the lock or the wheel",
				       so->wheels[k], pl->sel.p[i].name, pl->sel.p[i].sum.where);
		if (k < so->nwheels)
			continue;
		pl->wheels[n] = pl->sel.p[i].path;
		pl->extras[n] = pl->sel.p[i].extras;
		pl->sums[n] = pl->sel.p[i].sum;
		pl->nextras[n++] = pl->sel.p[i].nextras;
	}
	so->wheels = pl->wheels;
	so->nwheels = n;
	so->sums = pl->sums;
	return 0;
}

/* Unless --no-deps: the Requires-Dist of every wheel of the install (SW, checked) met by
 * them and what the venv will have besides: KEEP's distributions (the venv that stays, or
 * NULL) and, when SEEDING, the seeds that will be installed. */
int plan_closure(const struct planopt *m, const struct plan *pl, const struct pyinfo *py,
		 const struct seedopt *so, const struct seedwheels *sw, const struct venv *keep,
		 int seeding, struct err *e)
{
	struct wheel **w;
	struct have *have = NULL;
	struct dists ds = { 0 };
	struct err ignored;
	char *found[2] = { NULL, NULL }, *dirs[16];
	struct wheelname wn[2];
	size_t i, nh = 0, nd, end[3];
	int rc;

	if (!m->nreqs || m->no_deps)
		return 0;
	if (keep && dists_scan(&ds, keep, &ignored) == 0)
		for (i = 0; i < ds.n; i++) {
			have = xgrow(have, nh, sizeof *have);
			have[nh++] = (struct have){ ds.d[i].norm, ds.d[i].version };
		}
	if (seeding && sw->have_plat) {	/* the seeds, as seeding will find them */
		nd = seed_dirs(py, so, dirs, 16, end);
		found[0] = seed_pick("pip", dirs, end, py, &sw->plat, so, NULL);
		if (py->minor < 12)
			found[1] = seed_pick("setuptools", dirs, end, py, &sw->plat, so, NULL);
		for (i = 0; i < 2; i++)
			if (found[i] && wheelname_parse(found[i], &wn[i]) == 0) {
				have = xgrow(have, nh, sizeof *have);
				have[nh++] = (struct have){ i ? "setuptools" : "pip", wn[i].version };
			}
		for (i = 0; i < nd; i++)
			free(dirs[i]);
	}
	w = xmalloc((sw->n + 1) * sizeof *w);
	for (i = 0; i < sw->n; i++)
		w[i] = &sw->w[i];
	rc = closure_check(w, sw->n, pl->extras, pl->nextras, have, nh, &pl->env, e);
	free(w);
	free(have);
	free(found[0]);
	free(found[1]);
	dists_free(&ds);
	return rc;
}

void plan_free(struct plan *pl)
{
	selection_free(&pl->sel);
	reqset_free(&pl->rs);
	free(pl->wheels);
	free(pl->extras);
	free(pl->nextras);
	free(pl->sums);
	buf_free(&pl->warn);
}
