/* seed.c: finds the wheels a new venv is seeded with (pip; setuptools before Python 3.12,
 * as ensurepip does) in local directories, offline: the newest version whose tags and
 * Requires-Python accept the interpreter (SPEC §2.3). */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* The directories searched, in order, in three tiers (END: where each ends in OUT):
 * --find-links and the wheel directory; the interpreter's ensurepip/_bundled; Debian's
 * /usr/share/python-wheels. A seed comes from the first tier that has one that fits, as
 * python -m venv of that interpreter takes its own bundle (Debian removes the bundle of its
 * own interpreters, whose ensurepip reads the system's wheels instead). */
size_t seed_dirs(const struct pyinfo *py, const struct seedopt *so, char **out, size_t max,
		 size_t end[3])
{
	struct pylayout vp;
	char p[4200];
	size_t n = 0, i;

	for (i = 0; i < so->nlinks && n < max; i++)
		out[n++] = xstrdup(so->links[i]);
	if (so->wheel_dir && *so->wheel_dir && n < max)
		out[n++] = xstrdup(so->wheel_dir);
	end[0] = n;
	if (py->prefix && n < max) {
		py_layout(py, &vp);
		snprintf(p, sizeof p, "%s/%s/ensurepip/_bundled", py->prefix, vp.lib);
		out[n++] = xstrdup(p);
	}
	end[1] = n;
	if (n < max)
		out[n++] = xstrdup("/usr/share/python-wheels");
	end[2] = n;
	return n;
}

/* Can the candidate seed run here? Its tags (from the file name) and Requires-Python (from
 * METADATA): 1 yes (the archive left open in *KEEP, when given), 0 no, -1 unreadable. The
 * full check comes when it is installed. */
static int candidate_ok(const char *path, const struct pyinfo *py, const struct platform *plat,
			const struct ziplimits *lim, struct zip *keep)
{
	struct wheelname wn;
	struct zip z;
	struct buf b;
	char why[256], *rp;
	int r = -1;

	if (wheelname_parse(path, &wn))
		return -1;
	if (tags_compatible(wn.tags, py, plat, why, sizeof why) != 1)
		return 0;
	if (zip_open(&z, path, lim, NULL)) {
		zip_close(&z);
		return -1;
	}
	buf_init(&b);
	if (wheel_peek_metadata(&z, &b) == 0) {
		rp = meta_get(b.s ? b.s : "", b.len, "Requires-Python");
		r = !rp || pep440_match(rp, py->version, NULL) == 1;
		free(rp);
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
	struct wheelname wn;
	struct dirent *de;
	size_t n = 0, i, k;
	char *found = NULL, *norm;
	DIR *d;

	for (k = 0; k < ndirs; k++) {
		if (!(d = opendir(dirs[k])))
			continue;
		while ((de = readdir(d))) {
			if (wheelname_parse(de->d_name, &wn))
				continue;
			norm = name_normalize(wn.name);
			i = !strcmp(norm, name);
			free(norm);
			if (!i)
				continue;
			c = xgrow(c, n, sizeof *c);
			if (pep440_parse(wn.version, &c[n].v) == 0) {
				c[n].path = path_join(dirs[k], de->d_name);
				n++;
			}
		}
		closedir(d);
	}
	if (n)	/* (C leaves qsort of NULL undefined, even of nothing) */
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
	struct dirent *de;
	char *v = NULL, *name, *dash;
	DIR *d;
	int fd = dircache_dir(venvfd, site, NULL);	/* no link on the way */

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while (!v && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 11 || strcmp(de->d_name + n - 10, ".dist-info"))
			continue;
		name = strndup(de->d_name, n - 10);
		dash = strrchr(name, '-');
		if (dash) {
			*dash = 0;
			char *norm = name_normalize(name);

			if (!strcmp(norm, normname))
				v = xstrdup(dash + 1);
			free(norm);
		}
		free(name);
	}
	closedir(d);
	return v;
}

/* Opening (checking) several wheels: two at a time, on both cores. */
struct opening {
	char **paths;
	struct wheel *w;
	struct wkey *key;
	struct err *errs;
	int *rcs;
	size_t n, next;
	const struct pyinfo *py;
	const struct platform *plat;
	const struct wantsum *sums;	/* per wheel, or NULL */
	const char *cache_dir;	/* the keys wanted: found in it, or computed */
	struct ziplimits lim;
	int flags;
	int keys_aside;		/* one wheel: its key found on another thread while it is checked */
};

struct keying {
	const char *cache_dir;
	const struct zip *z;
	struct wkey *key;
};

static void *find_key(void *arg)
{
	struct keying *k = arg;

	wkey_find(k->cache_dir, k->z, k->key);
	return NULL;
}

/* Do the bytes of the archive Z (opened from PATH) have the hashes S asks for? 0, else -1 and
 * E. Checked on the bytes mapped, which are the ones installed, whatever the file is now.
 * Their SHA-256, when one was made, goes to KEY: the cache's key need not be made again. */
static int sums_check(const struct zip *z, const char *path, const struct wantsum *s,
		      struct wkey *key, struct err *e)
{
	char hex[129] = "", alg[8] = "", last[8] = "";
	const char *want = "";
	size_t i, k, ok = 0;

	for (i = 0; i < s->n; i++) {
		k = strcspn(s->hash[i], ":");
		want = s->hash[i] + k + (s->hash[i][k] == ':');
		snprintf(alg, sizeof alg, "%.*s", (int)k, s->hash[i]);
		if (strcmp(alg, last)) {	/* each algorithm's digest made once */
			zip_digest(z, alg, hex);
			memcpy(last, alg, sizeof last);
			if (!strcmp(alg, "sha256"))
				memcpy(key->sha256, hex, sizeof key->sha256);
		}
		if (!strcasecmp(hex, want))
			ok++;
		else if (s->all)
			break;
	}
	if (ok && (!s->all || ok == s->n))
		return 0;
	key->sha256[0] = 0;	/* not the bytes wanted: no key of them either */
	if (s->all)
		return err_set(e, "%s: %s: its %s is %s, the lock says %s", s->where, path, alg, hex, want);
	return err_set(e, "%s: %s: its hash is not one of those given (its %s is %s)", s->where, path, last, hex);
}

static int open_one(struct opening *o, size_t i)
{
	struct wheel *w = &o->w[i];
	struct keying k = { o->cache_dir, &w->z, &o->key[i] };
	pthread_t th;
	int hashing = 0, rc;

	rc = wheel_start(w, o->paths[i], &o->lim, o->flags, &o->errs[i]);
	if (rc == 0 && o->sums && o->sums[i].n)
		rc = sums_check(&w->z, o->paths[i], &o->sums[i], &o->key[i], &o->errs[i]);
	if (rc == 0 && o->keys_aside)	/* on the other core, while the archive is checked here */
		hashing = pthread_create(&th, NULL, find_key, &k) == 0 ? 1 : (find_key(&k), 0);
	if (rc == 0)
		rc = wheel_check(w, o->py, o->plat, &o->errs[i]);
	if (hashing)
		pthread_join(th, NULL);
	if (rc == 0 && o->cache_dir && !o->keys_aside)	/* here, after opening: both cores are busy */
		find_key(&k);
	return rc;
}

static void *open_some(void *arg)
{
	struct opening *o = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&o->next, 1, __ATOMIC_RELAXED)) < o->n)
		o->rcs[i] = open_one(o, i);
	return NULL;
}

/* Opens the N wheels at PATHS into W (each to be closed with wheel_close, whatever the
 * outcome), their cache keys into KEY; the first failure, in their order, is the one told. */
static int open_wheels(char **paths, struct wheel *w, struct wkey *key, size_t n,
		       const struct pyinfo *py, const struct platform *plat, const struct seedopt *so,
		       int flags, struct err *e)
{
	struct opening o = { paths, w, key, xmalloc((n + 1) * sizeof *o.errs),
			     xmalloc((n + 1) * sizeof *o.rcs), n, 0, py, plat };
	pthread_t th;
	int threaded, rc = 0;
	size_t i;

	o.lim = so->lim;
	o.sums = paths == so->wheels ? so->sums : NULL;
	o.flags = flags | (so->relax_hash ? WHEEL_RELAX : 0);
	o.cache_dir = so->relax_hash ? NULL : so->cache_dir;	/* no cache for those: no key */
	o.keys_aside = o.cache_dir && n == 1;
	memset(o.errs, 0, n * sizeof *o.errs);
	memset(key, 0, n * sizeof *key);
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

static void warn(struct seedresult *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn(struct seedresult *r, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->warn = xgrow(r->warn, r->nwarn, sizeof *r->warn);
	r->warn[r->nwarn].path = xstrdup(path);
	r->warn[r->nwarn++].msg = xstrdup(msg);
}

/* The N open wheels W (from PATHS) installed as SO says: into a new venv one after the
 * other, into an existing one as one transaction with SO's extra files. */
static int install_all(int venvfd, char **paths, struct wheel **w, struct wkey **key, size_t n,
		       const struct pyinfo *py, const struct seedopt *so, struct seedresult *r,
		       struct err *e)
{
	struct installopt io = { so->absdir, 1, so->relocatable, so->direct, so->cache_dir,
				 so->interruptible, so->link_mode, so->extra, so->extra_ctx, so->progress,
				 so->progress_ctx };
	struct installresult *ir = xmalloc((n + 1) * sizeof *ir);
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		int m = w[i]->requires_python ? pep440_match(w[i]->requires_python, py->version, NULL) : 1;

		if (m == 0)
			rc = err_set(e, "%s: requires Python %s; this is %s", paths[i], w[i]->requires_python, py->version);
		if (m < 0)	/* as pip does: said, and not held against the wheel */
			warn(r, paths[i], "ignoring its invalid Requires-Python '%.200s'", w[i]->requires_python);
		if (w[i]->wheel_version[0])	/* the spec: warn, and install */
			warn(r, paths[i], "Wheel-Version %s is newer than 1.0, which this installer implements; installing it as 1.0",
			     w[i]->wheel_version);
		if (w[i]->pycache)	/* as pypa's installer does */
			warn(r, paths[i], "%zu member%s in __pycache__ directories not installed (bytecode is the interpreter's to write)",
			     w[i]->pycache, w[i]->pycache == 1 ? "" : "s");
	}
	if (!rc)
		rc = wheels_install_each(w, key, n, venvfd, py, &io, ir, e);
	for (i = 0; i < n && !rc; i++) {
		r->done = xgrow(r->done, r->ndone, sizeof *r->done);
		r->done[r->ndone].name = xstrdup(w[i]->name);
		r->done[r->ndone].version = xstrdup(w[i]->version);
		r->done[r->ndone].path = xstrdup(paths[i]);
		r->done[r->ndone++].r = ir[i];
	}
	free(ir);
	return rc;
}

void seedresult_free(struct seedresult *r)
{
	size_t i;

	for (i = 0; i < r->nwarn; i++) {
		free(r->warn[i].path);
		free(r->warn[i].msg);
	}
	for (i = 0; i < r->ndone; i++) {
		free(r->done[i].name);
		free(r->done[i].version);
		free(r->done[i].path);
	}
	free(r->warn);
	free(r->done);
	memset(r, 0, sizeof *r);
}

int seed_check(const struct pyinfo *py, const struct seedopt *so, struct seedwheels *sw,
	       struct err *e)
{
	size_t i;
	int rc;

	memset(sw, 0, sizeof *sw);
	if (!so->nwheels)
		return 0;
	if (platform_detect(py->real, &sw->plat, e))
		return -1;
	sw->have_plat = 1;
	sw->n = so->nwheels;
	sw->w = xmalloc(sw->n * sizeof *sw->w);
	sw->key = xmalloc(sw->n * sizeof *sw->key);
	memset(sw->w, 0, sw->n * sizeof *sw->w);
	rc = open_wheels(so->wheels, sw->w, sw->key, sw->n, py, &sw->plat, so, 0, e);
	for (i = 0; i < sw->n && !rc; i++) {
		struct wheel *w = &sw->w[i];

		if (w->requires_python && pep440_match(w->requires_python, py->version, NULL) == 0)
			rc = err_set(e, "%s: requires Python %s; this is %s", so->wheels[i],
				     w->requires_python, py->version);
	}
	return rc;
}

void seed_done(struct seedwheels *sw)
{
	size_t i;

	for (i = 0; sw->w && i < sw->n; i++)
		wheel_close(&sw->w[i]);
	free(sw->w);
	free(sw->key);
	memset(sw, 0, sizeof *sw);
}

/* Does one of the user's wheels provide NORMNAME? */
static int named_by_user(const struct seedopt *so, const char *normname)
{
	size_t i;
	int found = 0;

	for (i = 0; i < so->nwheels && !found; i++) {
		struct wheelname wn;
		char *norm;

		if (wheelname_parse(so->wheels[i], &wn))
			continue;
		norm = name_normalize(wn.name);
		found = !strcmp(norm, normname);
		free(norm);
	}
	return found;
}

/* The newest wheel of NAME that fits, from the first tier of DIRS (ending at END) that has
 * one; with --upgrade-deps the newest of all. */
char *seed_pick(const char *name, char **dirs, const size_t end[3], const struct pyinfo *py,
		const struct platform *plat, const struct seedopt *so, struct zip *z)
{
	size_t t, from = 0;
	char *f = NULL;

	if (so->upgrade_deps)
		return seed_find(name, dirs, end[2], py, plat, &so->lim, z);
	for (t = 0; t < 3 && !f; from = end[t++])
		f = seed_find(name, dirs + from, end[t] - from, py, plat, &so->lim, z);
	return f;
}

/* The pip (and setuptools) wheels to seed with, opened into W, their paths into FOUND: how
 * many. R->seeds says what each seed was before, R->missing where pip was looked for when
 * there is none. */
static size_t find_seeds(int venvfd, const struct pyinfo *py, const struct platform *plat,
			 const struct seedopt *so, struct wheel w[SEEDS_MAX], char *found[SEEDS_MAX],
			 struct seedresult *r)
{
	char seeds[SEEDS_MAX][32], deb[SEEDS_MAX][32];
	struct pylayout vp;
	struct wheelname wn;
	struct zip z;
	char *dirs[16], *have, *f;
	size_t nd, nf = 0, i, k, ns = 1, nseeds, end[3];
	int cmp;

	strcpy(seeds[0], "pip");	/* pip first, for the report */
	nseeds = debwheels_projects(py, deb, SEEDS_MAX);
	for (i = 0; i < nseeds; i++) {	/* as the wheels' names are compared: normalized */
		char *norm = name_normalize(deb[i]);

		if (strcmp(norm, "pip"))
			snprintf(seeds[ns++], sizeof seeds[0], "%s", norm);
		free(norm);
	}
	if (!nseeds && py->minor < 12)
		strcpy(seeds[ns++], "setuptools");
	py_layout(py, &vp);
	nd = seed_dirs(py, so, dirs, 16, end);
	for (k = 0; k < ns; k++) {
		struct seedstate *s = &r->seeds[r->nseeds];

		if (named_by_user(so, seeds[k]))
			continue;
		have = installed_version(venvfd, vp.site, seeds[k]);
		memset(&z, 0, sizeof z);
		f = have && !so->upgrade_deps ? NULL : seed_pick(seeds[k], dirs, end, py, plat, so, &z);
		if (f && have && wheelname_parse(f, &wn) == 0	/* --upgrade-deps: only a newer one replaces it */
		    && pep440_cmp_str(wn.version, have, &cmp) == 0 && cmp <= 0) {
			free(f);
			f = NULL;
			zip_close(&z);
		}
		if (f || have) {
			snprintf(s->name, sizeof s->name, "%s", seeds[k]);
			snprintf(s->was, sizeof s->was, "%s", have ? have : "");
			snprintf(s->version, sizeof s->version, "%s", f ? "" : have);	/* else: once installed */
			r->nseeds++;
		}
		if (f) {	/* its archive, opened to look inside, stays open for wheel_open */
			memset(&w[nf], 0, sizeof w[nf]);
			w[nf].z = z;
			found[nf++] = f;
		} else if (!have && k == 0) {
			for (i = 0; i < nd; i++)
				snprintf(r->missing + strlen(r->missing), sizeof r->missing - strlen(r->missing),
					 "%s%s", i ? ", " : "", dirs[i]);
		}
		free(have);
	}
	for (i = 0; i < nd; i++)
		free(dirs[i]);
	return nf;
}

/* Debian's de-vendored pip (Debian 11's python3-pip-whl): its pip/_vendor/__init__.py sets
 * DEBUNDLED = True and then imports its dependencies from the wheels in
 * BASE_PREFIX/share/python-wheels, the system's, not the venv's. */
static int pip_debundled(struct zip *z)
{
	struct buf b;
	size_t i;
	int r = 0;

	for (i = 0; i < z->n; i++)
		if (!strcmp(z->ent[i].name, "pip/_vendor/__init__.py")) {
			buf_init(&b);
			if (z->ent[i].usize < (1u << 20) && zip_extract(z, &z->ent[i], seed_to_buf, &b, NULL) == 0)
				r = b.s && strstr(b.s, "\nDEBUNDLED = True") != NULL;
			buf_free(&b);
			break;
		}
	return r;
}

/* The modules of the standard library every pip imports as it starts: the ones Debian's
 * python3-minimal leaves out. */
static void check_stdlib(const struct pyinfo *py, struct seedresult *r)
{
	static const char *const need[] = { "shutil", "json", "pprint", "http", "shlex", "getpass" };
	size_t i, n;

	for (i = 0; i < sizeof need / sizeof *need; i++)
		if (!py_stdlib_has(py, need[i])) {
			n = strlen(r->stdlib_missing);
			snprintf(r->stdlib_missing + n, sizeof r->stdlib_missing - n, "%s%s", n ? ", " : "", need[i]);
		}
}

int seed_venv(int venvfd, const struct pyinfo *py, const struct seedopt *so,
	      const struct seedwheels *sw, struct seedresult *r, struct err *e)
{
	struct platform plat;
	struct wheel w[SEEDS_MAX], **all;
	struct wkey key[SEEDS_MAX], **keys;
	char deb[1][32];
	char **paths;
	size_t nf = 0, i, k;
	int rc = 0;

	memset(r, 0, sizeof *r);
	if (so->nwheels && sw->n != so->nwheels)
		return err_set(e, "internal error: wheels not checked before seeding");
	if (so->without_pip && !so->nwheels && (so->direct || !so->extra))
		return 0;	/* nothing to install: not even the platform is needed */
	if (sw->have_plat)
		plat = sw->plat;
	else if (!so->without_pip && platform_detect(py->real, &plat, e))
		return -1;
	if (!so->without_pip && debwheels_projects(py, deb, 1) && debwheels_copy(venvfd, e))
		return -1;
	all = xmalloc((SEEDS_MAX + sw->n) * sizeof *all);
	keys = xmalloc((SEEDS_MAX + sw->n) * sizeof *keys);
	paths = xmalloc((SEEDS_MAX + sw->n) * sizeof *paths);
	if (!so->without_pip) {
		nf = find_seeds(venvfd, py, &plat, so, w, paths, r);
		rc = open_wheels(paths, w, key, nf, py, &plat, so, WHEEL_OPEN, e);
	}
	for (k = 0; k < nf; k++) {
		all[k] = &w[k];
		keys[k] = &key[k];
	}
	for (i = 0; i < sw->n; i++) {	/* after the seeds, as pip would install them */
		all[nf + i] = &sw->w[i];
		keys[nf + i] = &sw->key[i];
		paths[nf + i] = so->wheels[i];
	}
	if (!rc)
		rc = install_all(venvfd, paths, all, keys, nf + sw->n, py, so, r, e);
	for (k = 0; k < nf; k++) {
		for (i = 0; !rc && i < r->nseeds; i++)	/* the seed this wheel was found for */
			if (!r->seeds[i].version[0] && !strcmp(r->seeds[i].name, w[k].normname))
				snprintf(r->seeds[i].version, sizeof r->seeds[i].version, "%s", w[k].version);
		if (!rc && so->relocatable && !strcmp(w[k].normname, "pip") && pip_debundled(&w[k].z))
			snprintf(r->debundled, sizeof r->debundled, "%s", paths[k]);
		wheel_close(&w[k]);
		free(paths[k]);
	}
	for (i = 0; i < r->ndone && !rc; i++)	/* pip put where it cannot run: say so */
		if (!strcasecmp(r->done[i].name, "pip") && !r->stdlib_missing[0])
			check_stdlib(py, r);
	free(all);
	free(keys);
	free(paths);
	return rc;
}
