/* seed.c: finds the wheels a new venv is seeded with (pip; setuptools before Python 3.12,
 * as ensurepip does) in local directories, offline: the newest version whose tags and
 * Requires-Python accept the interpreter (SPEC §2.3). */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkg/pkg.h"

static int seed_to_buf(void *ctx, const unsigned char *p, size_t n, struct err *e)
{
	buf_add(ctx, p, n);
	return 0;
}

struct cand {
	char *path;
	struct pep440 v;
};

static int newest_first(const void *a, const void *b)
{
	return pep440_cmp(&((const struct cand *)b)->v, &((const struct cand *)a)->v);
}

/* The directories searched, in order: --find-links, $MKVENV_WHEEL_DIR, the interpreter's
 * ensurepip/_bundled, Debian's /usr/share/python-wheels. */
size_t seed_dirs(const struct pyinfo *py, char **links, size_t nlinks, char **out, size_t max)
{
	const char *env = getenv("MKVENV_WHEEL_DIR");
	char p[4200];
	size_t n = 0, i;

	for (i = 0; i < nlinks && n < max; i++)
		out[n++] = xstrdup(links[i]);
	if (env && *env && n < max)
		out[n++] = xstrdup(env);
	if (py->prefix && n < max) {
		snprintf(p, sizeof p, "%s/lib/python%d.%d%s/ensurepip/_bundled", py->prefix, py->major,
			 py->minor, strchr(py->abiflags, 't') ? "t" : "");
		out[n++] = xstrdup(p);
	}
	if (n < max)
		out[n++] = xstrdup("/usr/share/python-wheels");
	return n;
}

/* Can the candidate seed run here? Its tags (from the file name) and Requires-Python (from
 * METADATA): 1 yes (the archive left open in *KEEP, when given), 0 no, -1 unreadable. The
 * full check comes when it is installed. */
static int candidate_ok(const char *path, const struct pyinfo *py, const struct platform *plat,
			const struct ziplimits *lim, struct zip *keep)
{
	const char *base = path_base(path), *end = base + strlen(base) - 4, *t = end;
	struct zip z;
	struct buf b;
	char why[256], tags[256], *rp;
	size_t i, n;
	int r = -1, parts = 0;

	while (t > base && !(t[-1] == '-' && ++parts == 3))	/* NAME-VER[-BUILD]-PY-ABI-PLAT */
		t--;
	if (parts < 3)
		return -1;
	snprintf(tags, sizeof tags, "%.*s", (int)(end - t), t);
	if (tags_compatible(tags, py, plat, why, sizeof why) != 1)
		return 0;
	if (zip_open(&z, path, lim, NULL)) {
		zip_close(&z);
		return -1;
	}
	buf_init(&b);
	for (i = 0; i < z.n; i++) {
		n = strlen(z.ent[i].name);
		if (n > 20 && !strcmp(z.ent[i].name + n - 19, ".dist-info/METADATA")
		    && strchr(z.ent[i].name, '/') == z.ent[i].name + n - 9) {
			if (z.ent[i].usize < (16u << 20) && zip_extract(&z, &z.ent[i], seed_to_buf, &b, NULL) == 0) {
				rp = meta_get(b.s ? b.s : "", b.len, "Requires-Python");
				r = !rp || pep440_match(rp, py->version, NULL) == 1;
				free(rp);
			}
			break;
		}
	}
	buf_free(&b);
	if (r == 1 && keep)
		*keep = z;
	else
		zip_close(&z);
	return r;
}

char *seed_find(const char *name, char **dirs, size_t ndirs, const struct pyinfo *py,
		const struct platform *plat, const struct ziplimits *lim, struct zip *z)
{
	struct cand *c = NULL;
	struct dirent *de;
	size_t n = 0, i, k, nl = strlen(name);
	char *found = NULL, *norm, *dash, *ver;
	DIR *d;

	for (k = 0; k < ndirs; k++) {
		if (!(d = opendir(dirs[k])))
			continue;
		while ((de = readdir(d))) {
			size_t len = strlen(de->d_name);

			if (len < 5 || strcmp(de->d_name + len - 4, ".whl") || !(dash = strchr(de->d_name, '-')))
				continue;
			ver = strndup(de->d_name, dash - de->d_name);
			norm = name_normalize(ver);
			free(ver);
			i = strlen(norm) == nl && !strcmp(norm, name);
			free(norm);
			if (!i)
				continue;
			ver = strndup(dash + 1, strcspn(dash + 1, "-"));
			c = xgrow(c, n, sizeof *c);
			if (pep440_parse(ver, &c[n].v) == 0) {
				c[n].path = path_join(dirs[k], de->d_name);
				n++;
			}
			free(ver);
		}
		closedir(d);
	}
	qsort(c, n, sizeof *c, newest_first);
	for (i = 0; i < n && !found; i++)	/* tags and Requires-Python, newest first */
		if (candidate_ok(c[i].path, py, plat, lim, z) == 1) {
			found = xstrdup(c[i].path);
			if (z)
				z->path = found;	/* c[i].path is freed below */
		}
	for (i = 0; i < n; i++)
		free(c[i].path);
	free(c);
	return found;
}

/* The version of the installed distribution NORMNAME, or NULL. */
static char *installed_version(int venvfd, const char *site, const char *normname)
{
	struct sitescan sc;
	char *v = NULL, *norm;
	size_t i;
	int fd = openat(venvfd, site, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || site_scan(&sc, fd, site, 0, NULL)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (i = 0; !v && i < sc.n; i++) {
		norm = name_normalize(sc.d[i].name);
		if (sc.d[i].version && !strcmp(norm, normname))
			v = xstrdup(sc.d[i].version);
		free(norm);
	}
	site_scan_free(&sc);
	close(fd);
	return v;
}

/* Opening (checking) several wheels: two at a time, on both cores. */
struct opening {
	char **paths;
	struct wheel *w;
	struct err *errs;
	int *rcs;
	size_t n, next;
	const struct pyinfo *py;
	const struct platform *plat;
	struct ziplimits lim;
	int flags, digest;	/* digest: here, after opening, as both cores are busy */
};

static void *open_some(void *arg)
{
	struct opening *o = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&o->next, 1, __ATOMIC_RELAXED)) < o->n) {
		o->rcs[i] = wheel_open(&o->w[i], o->paths[i], o->py, o->plat, &o->lim, o->flags, &o->errs[i]);
		if (o->rcs[i] == 0 && o->digest)
			wcache_key(&o->w[i]);
	}
	return NULL;
}

/* Opens the N wheels at PATHS into W (each to be closed with wheel_close, whatever the
 * outcome); the first failure, in their order, is the one told. */
static int open_wheels(char **paths, struct wheel *w, size_t n, const struct pyinfo *py,
		       const struct platform *plat, const struct seedopt *so, int flags, struct err *e)
{
	struct opening o = { paths, w, xmalloc((n + 1) * sizeof *o.errs), xmalloc((n + 1) * sizeof *o.rcs),
			     n, 0, py, plat };
	pthread_t th;
	int threaded, rc = 0;
	size_t i;

	o.lim = so->lim;
	o.flags = flags | (so->relax_hash ? WHEEL_RELAX : 0);
	if (wcache_wanted(so->no_cache) && !so->relax_hash) {	/* the cache's key: one wheel hashes on a thread of its own */
		o.digest = n > 1;
		o.flags |= n > 1 ? 0 : WHEEL_DIGEST;
	}
	memset(o.errs, 0, n * sizeof *o.errs);
	threaded = n > 1 && pthread_create(&th, NULL, open_some, &o) == 0;
	open_some(&o);
	if (threaded)
		pthread_join(th, NULL);
	for (i = 0; i < n && !rc; i++)
		if (o.rcs[i]) {
			*e = o.errs[i];
			rc = -1;
		}
	free(o.errs);
	free(o.rcs);
	return rc;
}

/* Installs the open wheel W (from PATH). */
static int install_one(int venvfd, const char *path, struct wheel *w, const struct pyinfo *py,
		       struct seedopt *so, struct err *e)
{
	struct installopt io = { so->absdir, 1, so->relocatable, so->direct, so->no_cache, so->verbose };

	if (w->requires_python) {
		int m = pep440_match(w->requires_python, py->version, NULL);

		if (m == 0)
			return err_set(e, "%s: requires Python %s; this is %s", path, w->requires_python, py->version);
		if (m < 0)	/* as pip does: said, and not held against the wheel */
			snprintf(so->warn, sizeof so->warn, "%s: ignoring its invalid Requires-Python '%.200s'",
				 path, w->requires_python);
	}
	return wheel_install(w, venvfd, py, &io, e);
}

/* The user's wheels, each checked completely before the venv is touched at all, and kept
 * open for seed_venv (seed_done closes them). */
int seed_check(const struct pyinfo *py, struct seedopt *so, struct err *e)
{
	size_t i;
	int rc;

	so->opened = NULL;
	so->have_plat = 0;
	if (!so->nwheels)
		return 0;
	if (platform_detect(py->real, &so->plat, e))
		return -1;
	so->have_plat = 1;
	so->opened = xmalloc(so->nwheels * sizeof *so->opened);
	memset(so->opened, 0, so->nwheels * sizeof *so->opened);
	rc = open_wheels(so->wheels, so->opened, so->nwheels, py, &so->plat, so, 0, e);
	for (i = 0; i < so->nwheels && !rc; i++) {
		struct wheel *w = &so->opened[i];

		if (w->requires_python && pep440_match(w->requires_python, py->version, NULL) == 0)
			rc = err_set(e, "%s: requires Python %s; this is %s", so->wheels[i],
				     w->requires_python, py->version);
	}
	if (rc)
		seed_done(so);
	return rc;
}

void seed_done(struct seedopt *so)
{
	size_t i;

	for (i = 0; so->opened && i < so->nwheels; i++)
		wheel_close(&so->opened[i]);
	free(so->opened);
	so->opened = NULL;
}

/* Does one of the user's wheels provide NORMNAME? */
static int named_by_user(const struct seedopt *so, const char *normname)
{
	size_t i;
	int found = 0;

	for (i = 0; i < so->nwheels && !found; i++) {
		const char *b = path_base(so->wheels[i]);
		char *n = strndup(b, strcspn(b, "-")), *norm = name_normalize(n);

		found = !strcmp(norm, normname);
		free(n);
		free(norm);
	}
	return found;
}

/* Seeds pip (and setuptools before 3.12) unless present or named by the user, then the
 * user's wheels. A missing pip wheel is not an error: SO->missing says so. */
int seed_venv(int venvfd, const struct pyinfo *py, struct seedopt *so, struct err *e)
{
	static const char *const seeds[] = { "pip", "setuptools" };
	struct pylayout vp;
	struct platform plat;
	struct ziplimits lim;
	struct pep440 a, b;
	struct wheel w[2];
	struct zip z;
	char *dirs[16], *found[2], *have;
	size_t nd = 0, nf = 0, i, k;
	int rc = 0;

	so->warn[0] = 0;
	if (so->without_pip && !so->nwheels)
		return 0;	/* nothing to install: not even the platform is needed */
	if (so->have_plat)
		plat = so->plat;
	else if (platform_detect(py->real, &plat, e))
		return -1;
	py_layout(py, &vp);
	lim = so->lim;
	so->missing[0] = 0;
	if (!so->without_pip) {
		nd = seed_dirs(py, so->links, so->nlinks, dirs, 16);
		for (k = 0; k < (py->minor < 12 ? 2u : 1u); k++) {
			char *f;

			if (named_by_user(so, seeds[k]))
				continue;
			have = installed_version(venvfd, vp.site, seeds[k]);
			memset(&z, 0, sizeof z);
			f = have && !so->upgrade_deps ? NULL : seed_find(seeds[k], dirs, nd, py, &plat, &lim, &z);
			if (f && have) {	/* --upgrade-deps: only a newer one replaces it */
				char *v = strndup(strchr(path_base(f), '-') + 1,
						  strcspn(strchr(path_base(f), '-') + 1, "-"));

				if (pep440_parse(have, &a) == 0 && pep440_parse(v, &b) == 0 && pep440_cmp(&b, &a) <= 0) {
					free(f);
					f = NULL;
					zip_close(&z);
				}
				free(v);
			}
			if (f) {	/* its archive, opened to look inside, stays open for wheel_open */
				memset(&w[nf], 0, sizeof w[nf]);
				w[nf].z = z;
				found[nf++] = f;
			}
			else if (!have && k == 0)
				for (i = 0; i < nd; i++)
					snprintf(so->missing + strlen(so->missing), sizeof so->missing - strlen(so->missing),
						 "%s%s", i ? ", " : "", dirs[i]);
			free(have);
		}
		for (i = 0; i < nd; i++)
			free(dirs[i]);
		rc = open_wheels(found, w, nf, py, &plat, so, WHEEL_OPEN, e);
		for (k = 0; k < nf; k++) {
			if (!rc)
				rc = install_one(venvfd, found[k], &w[k], py, so, e);
			wheel_close(&w[k]);
			free(found[k]);
		}
	}
	if (so->nwheels && !so->opened)
		return err_set(e, "internal error: wheels not checked before seeding");
	for (i = 0; i < so->nwheels && !rc; i++)
		rc = install_one(venvfd, so->wheels[i], &so->opened[i], py, so, e);
	return rc;
}
