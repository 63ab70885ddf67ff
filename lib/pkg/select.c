/* select.c: the wheel for each wanted requirement, from local directories only, chosen as
 * pip chooses among the files of --find-links: the newest version the requirements and
 * constraints allow (pre-releases only when asked for, or when nothing else fits), of that
 * version the wheel whose tags the interpreter ranks highest (then the highest build tag),
 * that Requires-Python admits and, in hash-checking mode, whose hash was given. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pkg/pkg.h"

struct cand {
	char *path;
	const char *dir;	/* where it was found, or NULL: a path wanted */
	struct wheelname *wn;	/* (its own: its pointers are into itself) */
	char *norm;
	struct pep440 v;
	int vok;		/* a PEP 440 version */
	long rank;		/* tags_rank, -1: does not run here */
	long build;		/* the build tag's number, -1 none */
};

static void cand_free(struct cand *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].path);
		free(c[i].norm);
		free(c[i].wn);
	}
	free(c);
}

static void cand_add(struct cand **c, size_t *n, const char *dir, const char *path,
		     const struct pyinfo *py, const struct platform *plat)
{
	struct cand *k;

	*c = xgrow(*c, *n, sizeof **c);
	k = &(*c)[(*n)++];
	memset(k, 0, sizeof *k);
	k->path = dir ? path_join(dir, path) : xstrdup(path);
	k->dir = dir;
	k->wn = xmalloc(sizeof *k->wn);
	if (wheelname_parse(k->path, k->wn) != 0) {
		k->norm = xstrdup("");
		k->rank = -1;
		return;
	}
	k->norm = name_normalize(k->wn->name);
	k->vok = pep440_parse(k->wn->version, &k->v) == 0;
	k->rank = tags_rank(k->wn->tags, py, plat);
	k->build = *k->wn->build ? strtol(k->wn->build, NULL, 10) : -1;
}

/* Every wheel file of DIRS (their names only: nothing is opened yet). */
static void list_dirs(char *const *dirs, size_t ndirs, const struct pyinfo *py,
		      const struct platform *plat, struct cand **c, size_t *n)
{
	struct dirent *de;
	struct wheelname wn;
	size_t k;
	DIR *d;

	for (k = 0; k < ndirs; k++) {
		if (!(d = opendir(dirs[k])))
			continue;
		while ((de = readdir(d)))
			if (wheelname_parse(de->d_name, &wn) == 0)
				cand_add(c, n, dirs[k], de->d_name, py, plat);
		closedir(d);
	}
}

/* Newest version first; of one version, the best tag, then the highest build tag. */
static int best_first(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	int c = a->vok && b->vok ? pep440_cmp(&b->v, &a->v) : b->vok - a->vok;

	if (c)
		return c;
	if (a->rank != b->rank)
		return a->rank < 0 ? 1 : b->rank < 0 ? -1 : a->rank < b->rank ? -1 : 1;
	return a->build == b->build ? strcmp(a->path, b->path) : a->build > b->build ? -1 : 1;
}

static int is_pre(const struct pep440 *v)
{
	return v->pre_kind || v->dev >= 0;
}

/* Does a clause of SPECS name a pre-release (any operator but != names one, as packaging says)? */
static int names_pre(const char *specs)
{
	char clause[300], *p;
	struct pep440 v;
	size_t n;
	const char *s = specs;

	for (; *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		snprintf(clause, sizeof clause, "%.*s", (int)n, s);
		if (!strncmp(clause, "!=", 2) || strstr(clause, ".*"))
			continue;
		p = clause + strspn(clause, "=<>~! ");
		if (pep440_parse(p, &v) == 0 && is_pre(&v))
			return 1;
	}
	return 0;
}

/* Is SPECS one == (or ===) clause without a wildcard: pinned, as hash-checking mode needs? */
static int pinned(const char *specs)
{
	return (!strncmp(specs, "==", 2)) && !strchr(specs, ',') && !strstr(specs, ".*");
}

/* Is one of the N hashes HASH ("ALG:HEX") PATH's? 1 yes, 0 no, -1 unreadable. */
static int hash_ok(const char *path, char *const *hash, size_t n)
{
	char hex[129], alg[8];
	size_t i, k;

	for (i = 0; i < n; i++) {
		k = strcspn(hash[i], ":");
		snprintf(alg, sizeof alg, "%.*s", (int)k, hash[i]);
		if (file_digest(path, alg, hex))
			return -1;
		if (!strcasecmp(hex, hash[i] + k + 1))
			return 1;
	}
	return 0;
}

/* Requires-Python of the wheel at PATH admits PY (an invalid one is ignored, as pip does):
 * 1, 0 (WHY says), -1 unreadable. */
static int python_ok(const char *path, const struct pyinfo *py, const struct ziplimits *lim,
		     char *why, size_t whysz)
{
	struct zip z;
	struct buf b;
	char *rp = NULL;
	int r = -1;

	if (zip_open(&z, path, lim, NULL) == 0) {
		buf_init(&b);
		if (wheel_peek_metadata(&z, &b) == 0) {
			rp = meta_get(b.s ? b.s : "", b.len, "Requires-Python");
			r = !rp || pep440_match(rp, py->version, NULL) != 0;
			if (!r)
				snprintf(why, whysz, "Requires-Python %s excludes Python %s", rp, py->version);
			free(rp);
		}
		buf_free(&b);
	}
	zip_close(&z);
	if (r < 0)
		snprintf(why, whysz, "its METADATA cannot be read");
	return r;
}

/* One project: the wants W[0..N) of NAME (constraints among them). */
struct project {
	const char *name;
	const struct want **w;
	size_t n;
	struct buf spec;	/* every clause of every requirement and constraint */
	char **hash;		/* every hash given for it */
	size_t nhash;
	int paths;		/* some want names a wheel file */
};

/* The best candidate of C (sorted) for P: its index, or -1 with WHY (what each was not). */
static long choose(const struct project *p, struct cand *c, size_t n, int allow_pre,
		   int require_hashes, const struct pyinfo *py, const struct platform *plat,
		   const struct ziplimits *lim, struct buf *why)
{
	char m[512];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		const struct cand *k = &c[i];

		if (strcmp(k->norm, p->name) || (p->paths && k->dir))
			continue;
		m[0] = 0;
		if (!k->vok)
			snprintf(m, sizeof m, "version %s is not a PEP 440 version", k->wn->version);
		else if (p->spec.len && pep440_match(p->spec.s, k->wn->version, NULL) != 1)
			snprintf(m, sizeof m, "version %s is not %s", k->wn->version, p->spec.s);
		else if (!allow_pre && is_pre(&k->v))
			snprintf(m, sizeof m, "version %s is a pre-release, and none was asked for", k->wn->version);
		else if (k->rank < 0) {
			char t[256];

			tags_compatible(k->wn->tags, py, plat, t, sizeof t);
			snprintf(m, sizeof m, "tags %s: %s", k->wn->tags, t);
		} else if (require_hashes && (r = hash_ok(k->path, p->hash, p->nhash)) != 1)
			snprintf(m, sizeof m, r < 0 ? "cannot be read" : "its hash is not one of those given");
		else if (python_ok(k->path, py, lim, m, sizeof m) != 1)
			;
		else
			return (long)i;
		if (why)
			buf_printf(why, "%s %s: %s", why->len ? ";" : "", path_base(k->path), m);
	}
	return -1;
}

static void project_free(struct project *p)
{
	free(p->w);
	free(p->hash);
	buf_free(&p->spec);
}

/* The wants gathered by project, in the order first named. */
static size_t projects(const struct want *w, size_t n, struct project **out)
{
	struct project *p = NULL;
	size_t np = 0, i, k, h;

	for (i = 0; i < n; i++) {
		if (w[i].skip)
			continue;
		for (k = 0; k < np && strcmp(p[k].name, w[i].name); k++)
			;
		if (k == np) {
			p = xgrow(p, np, sizeof *p);
			memset(&p[np], 0, sizeof *p);
			p[np].name = w[i].name;
			buf_init(&p[np].spec);
			np++;
		}
		p[k].w = xgrow(p[k].w, p[k].n, sizeof *p[k].w);
		p[k].w[p[k].n++] = &w[i];
		if (w[i].req.spec[0])
			buf_printf(&p[k].spec, "%s%s", p[k].spec.len ? "," : "", w[i].req.spec);
		for (h = 0; h < w[i].nhash; h++) {
			p[k].hash = xgrow(p[k].hash, p[k].nhash, sizeof *p[k].hash);
			p[k].hash[p[k].nhash++] = w[i].hash[h];
		}
		if (w[i].path && !w[i].constraint)
			p[k].paths = 1;
	}
	*out = p;
	return np;
}

/* Hash-checking mode: every requirement pinned (or a file) and hashed. */
static int hashes_complete(const struct project *p, struct err *e)
{
	size_t i, has = 0;

	for (i = 0; i < p->n; i++)
		if (!p->w[i]->constraint && !p->w[i]->path && !pinned(p->w[i]->req.spec))
			return err_set(e, "%s: %s%s: hash-checking mode (--require-hashes, or a --hash anywhere) needs every requirement pinned with ==",
				       p->w[i]->where, p->w[i]->req.name, p->w[i]->req.spec);
	for (i = 0; i < p->n; i++)
		has += p->w[i]->nhash;
	if (!has)
		return err_set(e, "%s: %s: hash-checking mode (--require-hashes, or a --hash anywhere) needs a --hash for every requirement",
			       p->w[0]->where, p->w[0]->req.name);
	return 0;
}

/* The pick for project P: its wheel C, every extra asked of it and, in hash-checking mode
 * (HASHES), the hashes its bytes must have when it is opened. */
static void pick_make(struct pick *k, const struct project *p, const struct cand *c, int hashes)
{
	size_t i, j, x;

	memset(k, 0, sizeof *k);
	for (i = 0; i < p->n && p->w[i]->constraint; i++)
		;
	k->w = p->w[i < p->n ? i : 0];
	if (hashes && p->nhash) {
		k->sum.hash = xmalloc(p->nhash * sizeof *k->sum.hash);
		for (k->sum.n = 0; k->sum.n < p->nhash; k->sum.n++)
			k->sum.hash[k->sum.n] = xstrdup(p->hash[k->sum.n]);
		k->sum.where = xstrdup(k->w->where);
	}
	k->path = xstrdup(c->path);
	k->name = xstrdup(c->wn->name);
	k->version = xstrdup(c->wn->version);
	for (i = 0; i < p->n; i++)
		for (j = 0; j < (size_t)p->w[i]->req.nextras; j++) {
			char *norm = name_normalize(p->w[i]->req.extra[j]);

			for (x = 0; x < k->nextras && strcmp(k->extras[x], norm); x++)
				;
			if (x < k->nextras) {
				free(norm);
				continue;
			}
			k->extras = xgrow(k->extras, k->nextras, sizeof *k->extras);
			k->extras[k->nextras++] = norm;
		}
}

int select_wheels(const struct want *w, size_t n, char *const *dirs, size_t ndirs,
		  const struct pyinfo *py, const struct platform *plat, int require_hashes,
		  int pre, const struct ziplimits *lim, struct selection *out, struct err *e)
{
	struct project *p;
	struct cand *c = NULL;
	struct buf why, bad;
	size_t np = projects(w, n, &p), nc = 0, i, k;
	long at;
	int allow;

	memset(out, 0, sizeof *out);
	buf_init(&bad);
	list_dirs(dirs, ndirs, py, plat, &c, &nc);
	for (i = 0; i < n; i++)
		if (!w[i].skip && w[i].path && !w[i].constraint)
			cand_add(&c, &nc, NULL, w[i].path, py, plat);
	if (nc)
		qsort(c, nc, sizeof *c, best_first);
	for (i = 0; i < np; i++) {
		struct project *q = &p[i];
		int only_constraints = 1;

		for (k = 0; k < q->n; k++)
			only_constraints &= q->w[k]->constraint;
		if (only_constraints)
			continue;
		if (require_hashes && hashes_complete(q, e)) {
			buf_printf(&bad, "%s%s", bad.len ? "; " : "", e->msg);
			continue;
		}
		for (k = 0; k < q->n; k++)	/* a wheel file named must be there */
			if (q->w[k]->path && access(q->w[k]->path, R_OK) != 0)
				break;
		if (k < q->n) {
			buf_printf(&bad, "%s%s: %s: no such wheel file", bad.len ? "; " : "", q->w[k]->where,
				   q->w[k]->path);
			continue;
		}
		allow = pre || names_pre(q->spec.s ? q->spec.s : "");
		at = choose(q, c, nc, allow, require_hashes, py, plat, lim, NULL);
		if (at < 0 && !allow)	/* pre-releases after all, when nothing else fits */
			at = choose(q, c, nc, 1, require_hashes, py, plat, lim, NULL);
		if (at >= 0) {
			out->p = xgrow(out->p, out->n, sizeof *out->p);
			pick_make(&out->p[out->n++], q, &c[at], require_hashes);
			continue;
		}
		buf_init(&why);
		choose(q, c, nc, allow, require_hashes, py, plat, lim, &why);
		buf_printf(&bad, "%s%s: no wheel of %s%s for Python %s%s; ", bad.len ? "; " : "",
			   q->w[0]->where, q->w[0]->req.name, q->spec.s ? q->spec.s : "", py->version,
			   py->pypy ? " (PyPy)" : "");
		if (q->paths)
			buf_adds(&bad, "the files named");
		else {
			buf_adds(&bad, "searched ");
			for (k = 0; k < ndirs; k++)
				buf_printf(&bad, "%s%s", k ? ", " : "", dirs[k]);
			if (!ndirs)
				buf_adds(&bad, "no directory (give --find-links DIR)");
		}
		buf_adds(&bad, why.len ? "; seen:" : "; none there");
		buf_adds(&bad, why.s ? why.s : "");
		buf_free(&why);
	}
	cand_free(c, nc);
	for (i = 0; i < np; i++)
		project_free(&p[i]);
	free(p);
	if (bad.len) {
		err_set(e, "%s", bad.s);
		buf_free(&bad);
		selection_free(out);
		return -1;
	}
	return 0;
}

void selection_free(struct selection *s)
{
	size_t i, k;

	for (i = 0; i < s->n; i++) {
		free(s->p[i].path);
		free(s->p[i].name);
		free(s->p[i].version);
		for (k = 0; k < s->p[i].nextras; k++)
			free(s->p[i].extras[k]);
		free(s->p[i].extras);
		for (k = 0; k < s->p[i].sum.n; k++)
			free(s->p[i].sum.hash[k]);
		free(s->p[i].sum.hash);
		free((char *)s->p[i].sum.where);
	}
	free(s->p);
	memset(s, 0, sizeof *s);
}
