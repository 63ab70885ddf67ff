/* pylock.c: PEP 751 lock files (the pylock.toml specification) read and checked as the
 * format says, into struct lock: the packages, each with its wheels, every item with its
 * line. Nothing is chosen here: markers stay strings, and which package and wheel suit an
 * interpreter is the caller's. Unknown keys are warnings, as the spec asks of a reader of
 * a newer minor version. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkg/pkg.h"

#define LOCK_MAX_SIZE (16u << 20)	/* a lock file larger than this is refused */

struct lp {
	struct lock *l;
	struct toml doc;
	struct buf *warn;
	struct err *e;
};

static int lerr(struct lp *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int lerr(struct lp *p, int line, const char *fmt, ...)
{
	char m[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	return err_set(p->e, "%s:%d: %s", p->l->what, line, m);
}

static void lwarn(struct lp *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void lwarn(struct lp *p, int line, const char *fmt, ...)
{
	char m[2048];
	va_list ap;

	if (!p->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	buf_printf(p->warn, "%s:%d: %s\n", p->l->what, line, m);
}

static int hexdig(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* E's message, from the TOML reader's getters ("FILE:LINE: size is a string, ..."), with
 * WHAT put before what it says ("FILE:LINE: wheel W of package P: size is ...") */
static int ctx(struct lp *p, const char *what)
{
	char m[sizeof p->e->msg], *q = strchr(p->e->msg + strlen(p->l->what) + 1, ':');

	if (!q || q[1] != ' ')
		return -1;
	q += 2;
	snprintf(m, sizeof m, "%.*s%s: %s", (int)(q - p->e->msg), p->e->msg, what, q);
	memcpy(p->e->msg, m, sizeof m);
	return -1;
}

/* The spec's file names: pylock.toml, pylock.NAME.toml (NAME without a dot) */
int lock_file_name(const char *path)
{
	const char *b = path_base(path);
	size_t n = strlen(b);

	if (!strcmp(b, "pylock.toml"))
		return 1;
	return n > 12 && !strncmp(b, "pylock.", 7) && !strcmp(b + n - 5, ".toml")
	       && !memchr(b + 7, '.', n - 12);
}

/* The keys each table may hold; any other is warned about */
static void unknown_keys(struct lp *p, const struct tomlv *t, const char *const *known, const char *where)
{
	size_t i, k;

	for (i = 0; i < t->n; i++) {
		for (k = 0; known[k] && strcmp(known[k], t->key[i]); k++)
			;
		if (!known[k])
			lwarn(p, t->item[i]->line, "%s: unknown key '%s' (ignored)", where, t->key[i]);
	}
}

/* A string KEY of T copied into the lock's pool: 1, 0 when absent (*OUT NULL), -1 */
static int str(struct lp *p, const struct tomlv *t, const char *key, char **out, int *line)
{
	const struct tomlv *v = toml_get(t, key);
	const char *s;
	int r = toml_get_str(&p->doc, t, key, &s, p->e);

	*out = r > 0 ? pool_strdup(&p->l->pool, s) : NULL;
	if (line)
		*line = v ? v->line : t->line;
	return r;
}

/* An array of strings KEY of T into *OUT (N of them) */
static int strings(struct lp *p, const struct tomlv *t, const char *key, struct lockstr **out, size_t *n)
{
	const struct tomlv *a;
	size_t i;
	int r = toml_want(&p->doc, t, key, TOML_ARRAY, &a, p->e);

	*out = NULL;
	*n = 0;
	if (r <= 0)
		return r;
	*out = xmalloc((a->n ? a->n : 1) * sizeof **out);
	for (i = 0; i < a->n; i++) {
		const struct tomlv *v = a->item[i];
		char what[64];

		snprintf(what, sizeof what, "item %zu of %s", i + 1, key);
		if (toml_is(&p->doc, v, TOML_STRING, what, p->e))
			return -1;
		if (memchr(v->s, 0, v->len))
			return lerr(p, v->line, "%s holds a NUL character", key);
		(*out)[i].s = pool_strdup(&p->l->pool, v->s);
		(*out)[i].line = v->line;
		*n = i + 1;
	}
	return 1;
}

/* Version specifiers that parse (Requires-Python) */
static int specs_ok(struct lp *p, const char *s, int line, const char *what)
{
	struct err e;

	if (pep440_match(s, "0", &e) < 0)
		return lerr(p, line, "%s '%s' is not a valid version specifier set: %s", what, s, e.msg);
	return 0;
}

/* A normalized distribution name: a-z, 0-9 and single dashes inside */
static int normalized(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')
		      || (s[i] == '-' && s[i + 1] != '-')))
			return 0;
	return 1;
}

char *url_unquote(const char *s, size_t n)
{
	char *r = xmalloc(n + 1);
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		/* (a %00 is left as written: decoded, it would end the string early) */
		if (s[i] == '%' && i + 2 < n && (hi = hexdig(s[i + 1])) >= 0 && (lo = hexdig(s[i + 2])) >= 0
		    && (hi | lo)) {
			r[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			r[o++] = s[i];
		}
	}
	r[o] = 0;
	return r;
}

/* The last component of a path, or of a URL's path (its %XX decoded) */
static char *last_component(struct lp *p, const char *s, int url)
{
	size_t n = strcspn(s, url ? "?#" : ""), i;
	const char *b = s;
	char *r;

	for (i = 0; i < n; i++)
		if (s[i] == '/')
			b = s + i + 1;
	n -= (size_t)(b - s);
	r = url ? url_unquote(b, n) : NULL;	/* a path's is the rest of it */
	b = pool_strdup(&p->l->pool, r ? r : b);
	free(r);
	return (char *)b;
}

static const char *const hash_known[] = { "sha256", "sha384", "sha512", NULL };

static int hashes(struct lp *p, const struct tomlv *w, struct lockwheel *lw, const char *what)
{
	const struct tomlv *h;
	size_t i, k, j;
	int r = toml_want(&p->doc, w, "hashes", TOML_TABLE, &h, p->e);

	if (r < 0)
		return ctx(p, what);
	if (!r)
		return lerr(p, w->line, "%s has no hashes (the spec requires at least one)", what);
	if (!h->n)
		return lerr(p, h->line, "%s: its hashes table is empty (the spec requires at least one)", what);
	lw->hash = xmalloc(h->n * sizeof *lw->hash);
	for (i = 0; i < h->n; i++) {
		const struct tomlv *v = h->item[i];
		char alg[16], *hex;

		if (toml_is(&p->doc, v, TOML_STRING, h->key[i], p->e))
			return ctx(p, what);
		for (k = 0; h->key[i][k] && k < sizeof alg - 1; k++)
			alg[k] = h->key[i][k] >= 'A' && h->key[i][k] <= 'Z' ? h->key[i][k] + 32 : h->key[i][k];
		alg[k] = 0;
		for (k = 0; hash_known[k] && strcmp(hash_known[k], alg); k++)
			;
		if (!hash_known[k] || h->klen[i] != strlen(alg))
			return lerr(p, v->line, "%s: hash algorithm '%s' cannot be checked (venvbox checks sha256, sha384 and sha512)%s",
				    what, h->key[i], !strcmp(alg, "md5") || !strcmp(alg, "sha1") ? ", and it is not secure" : "");
		if (v->len != (size_t)(64 + 32 * k))
			return lerr(p, v->line, "%s: its %s is not %d hexadecimal digits", what, alg, 64 + 32 * (int)k);
		hex = pool_strdup(&p->l->pool, v->s);
		for (j = 0; hex[j]; j++) {
			if (hexdig(hex[j]) < 0)
				return lerr(p, v->line, "%s: its %s is not %d hexadecimal digits", what, alg, 64 + 32 * (int)k);
			if (hex[j] >= 'A' && hex[j] <= 'F')
				hex[j] += 32;
		}
		for (j = 0; j < lw->nhash; j++)
			if (!strcmp(lw->hash[j].alg, hash_known[k]))
				return lerr(p, v->line, "%s: two %s hashes", what, alg);
		lw->hash[lw->nhash].alg = (char *)hash_known[k];
		lw->hash[lw->nhash].hex = hex;
		lw->hash[lw->nhash++].line = v->line;
	}
	return 0;
}

static const char *const wheel_keys[] = { "name", "upload-time", "url", "path", "size", "hashes", NULL };

static int wheel(struct lp *p, struct lockpkg *pk, const struct tomlv *w, size_t idx)
{
	struct lockwheel *lw = &pk->wheel[pk->nwheel];
	const struct tomlv *v;
	char what[320];
	long long size;
	size_t i;
	int r;

	memset(lw, 0, sizeof *lw);
	pk->nwheel++;	/* counted at once, so that lock_free frees what a failure leaves */
	lw->size = -1;
	lw->line = w->line;
	snprintf(what, sizeof what, "wheel %zu of package %s", idx + 1, pk->name);
	if (toml_is(&p->doc, w, TOML_TABLE, what, p->e))
		return -1;
	if (str(p, w, "name", &lw->name, NULL) < 0 || str(p, w, "path", &lw->path, NULL) < 0
	    || str(p, w, "url", &lw->url, NULL) < 0)
		return ctx(p, what);
	if (!lw->path && !lw->url)
		return lerr(p, w->line, "%s has neither a path nor a url", what);
	if (!lw->name)
		lw->name = last_component(p, lw->path ? lw->path : lw->url, !lw->path);
	snprintf(what, sizeof what, "wheel %.200s of package %s", lw->name, pk->name);
	if ((r = wheelname_parse(lw->name, &lw->wn)) || strchr(lw->name, '/'))
		return lerr(p, w->line, "%s: not a wheel's file name%s", what,
			    r == -2 ? " (a variant wheel, which venvbox does not install)" : "");
	{
		char *n = name_normalize(lw->wn.name);
		int same = !strcmp(n, pk->name);

		free(n);
		if (!same)
			return lerr(p, w->line, "%s is a wheel of %s, not of %s", what, lw->wn.name, pk->name);
	}
	if (pk->version) {
		int cmp;

		if (pep440_cmp_str(lw->wn.version, pk->version, &cmp) || cmp)
			return lerr(p, w->line, "%s is of version %s, not the package's %s", what, lw->wn.version, pk->version);
	}
	if ((r = toml_get_int(&p->doc, w, "size", &size, p->e)) < 0)
		return ctx(p, what);
	if (r && size < 0)
		return lerr(p, toml_get(w, "size")->line, "%s: a negative size", what);
	if (r)
		lw->size = size;
	if ((r = toml_want(&p->doc, w, "upload-time", TOML_DATETIME, &v, p->e)) < 0)
		return ctx(p, what);
	if (r)
		lw->upload_time = pool_strdup(&p->l->pool, v->s);
	if (hashes(p, w, lw, what))
		return -1;
	for (i = 0; i + 1 < pk->nwheel; i++)
		if (!strcmp(pk->wheel[i].name, lw->name))
			return lerr(p, w->line, "%s is listed twice (first at line %d)", what, pk->wheel[i].line);
	unknown_keys(p, w, wheel_keys, what);
	return 0;
}

static const char *const pkg_keys[] = {
	"name", "version", "marker", "requires-python", "dependencies", "vcs", "directory",
	"archive", "index", "sdist", "wheels", "attestation-identities", "tool", NULL,
};
static const char *const src_name[] = { "vcs", "directory", "archive", "sdist", "wheels" };

static int package(struct lp *p, const struct tomlv *t, size_t idx)
{
	struct lockpkg *pk = &p->l->pkg[p->l->npkg];
	const struct tomlv *src[5], *w;
	char what[300];
	size_t i;
	struct pep440 ver;
	int r, k, vline, first = -1;

	memset(pk, 0, sizeof *pk);
	p->l->npkg++;	/* counted at once, so that lock_free frees what a failure leaves */
	pk->line = t->line;
	snprintf(what, sizeof what, "package %zu", idx + 1);
	if (toml_is(&p->doc, t, TOML_TABLE, what, p->e))
		return -1;
	if ((r = str(p, t, "name", &pk->name, NULL)) < 0)
		return ctx(p, what);
	if (!r)
		return lerr(p, t->line, "%s has no name", what);
	if (!normalized(pk->name)) {
		char *n = name_normalize(pk->name);

		r = lerr(p, toml_get(t, "name")->line, "package name '%s' is not %s", pk->name,
			 normalized(n) ? "normalized as the spec requires" : "a valid distribution name");
		if (normalized(n))
			snprintf(p->e->msg + strlen(p->e->msg), sizeof p->e->msg - strlen(p->e->msg), " ('%s')", n);
		free(n);
		return r;
	}
	snprintf(what, sizeof what, "package %s", pk->name);
	if (str(p, t, "version", &pk->version, &vline) < 0 || str(p, t, "marker", &pk->marker, &pk->marker_line) < 0
	    || str(p, t, "requires-python", &pk->requires_python, &pk->rp_line) < 0
	    || str(p, t, "index", &pk->index, NULL) < 0)
		return ctx(p, what);
	if (pk->version && pep440_parse(pk->version, &ver))
		return lerr(p, vline, "%s: version '%s' is not a valid version (PEP 440)", what, pk->version);
	if (pk->requires_python && specs_ok(p, pk->requires_python, pk->rp_line, "requires-python"))
		return -1;
	for (k = 0; k < 5; k++) {
		src[k] = toml_get(t, src_name[k]);
		if (!src[k])
			continue;
		if (toml_is(&p->doc, src[k], k == 4 ? TOML_ARRAY : TOML_TABLE, src_name[k], p->e))
			return ctx(p, what);
		pk->sources |= 1u << k;
		if (first >= 0 && (first < 3 || k < 3))
			return lerr(p, src[k]->line, "%s has both %s (line %d) and %s: the spec allows only one kind of source",
				    what, src_name[first], src[first]->line, src_name[k]);
		if (first < 0)
			first = k;
		if (k < 4 && !pk->src_line)
			pk->src_line = src[k]->line;
	}
	if ((w = src[4])) {
		pk->wheel = xmalloc((w->n ? w->n : 1) * sizeof *pk->wheel);
		for (i = 0; i < w->n; i++)
			if (wheel(p, pk, w->item[i], i))
				return -1;
	}
	unknown_keys(p, t, pkg_keys, what);
	return 0;
}

static const char *const top_keys[] = {
	"lock-version", "environments", "requires-python", "extras", "dependency-groups",
	"default-groups", "created-by", "packages", "tool", NULL,
};

static int parse(struct lp *p)
{
	struct lock *l = p->l;
	const struct tomlv *root = p->doc.root, *pk;
	const char *v;
	int r, line;
	size_t i;

	if ((r = str(p, root, "lock-version", &l->version, &line)) < 0)
		return -1;
	if (!r)
		return lerr(p, 1, "no lock-version: not a lock file of the pylock.toml specification");
	v = scan_int(l->version, &l->major);
	if (!v || *v != '.' || !(v = scan_int(v + 1, &l->minor)) || *v)
		return lerr(p, line, "lock-version '%s' is not MAJOR.MINOR", l->version);
	if (l->major != 1)
		return lerr(p, line, "lock-version %s: venvbox reads lock files of version 1.x only", l->version);
	if (l->minor > 0)
		lwarn(p, line, "lock-version %s is newer than 1.0, which venvbox knows: keys it does not know are ignored", l->version);
	if ((r = str(p, root, "created-by", &l->created_by, NULL)) < 0)
		return -1;
	if (!r)
		return lerr(p, 1, "no created-by (the spec requires it)");
	if (str(p, root, "requires-python", &l->requires_python, &l->rp_line) < 0)
		return -1;
	if (l->requires_python && specs_ok(p, l->requires_python, l->rp_line, "requires-python"))
		return -1;
	if (strings(p, root, "environments", &l->env, &l->nenv) < 0 || strings(p, root, "extras", &l->extras, &l->nextras) < 0
	    || strings(p, root, "dependency-groups", &l->groups, &l->ngroups) < 0
	    || strings(p, root, "default-groups", &l->default_groups, &l->ndefault) < 0)
		return -1;
	if ((r = toml_want(&p->doc, root, "packages", TOML_ARRAY, &pk, p->e)) < 0)
		return -1;
	if (!r)
		return lerr(p, 1, "no [[packages]] (the spec requires the array, even empty)");
	l->pkg = xmalloc((pk->n ? pk->n : 1) * sizeof *l->pkg);
	for (i = 0; i < pk->n; i++)
		if (package(p, pk->item[i], i))
			return -1;
	unknown_keys(p, root, top_keys, "the lock file");
	return 0;
}

int lock_parse(struct lock *l, const char *text, size_t len, const char *what, struct buf *warn,
	       struct err *e)
{
	struct lp p;
	size_t w0 = warn ? warn->len : 0;
	int r;

	memset(l, 0, sizeof *l);
	l->what = pool_strdup(&l->pool, what);
	memset(&p, 0, sizeof p);
	p.l = l;
	p.warn = warn;
	p.e = e;
	if (toml_parse(&p.doc, text, len, l->what, e)) {
		lock_free(l);
		return -1;
	}
	r = parse(&p);
	toml_free(&p.doc);
	if (r) {
		lock_free(l);
		if (warn) {	/* the error says what matters; the warnings up to it are dropped */
			warn->len = w0;
			if (warn->s)
				warn->s[w0] = 0;
		}
	}
	return r;
}

int lock_read(struct lock *l, const char *path, struct buf *warn, struct err *e)
{
	struct buf text;
	int r;

	memset(l, 0, sizeof *l);
	buf_init(&text);
	if (file_read(AT_FDCWD, path, LOCK_MAX_SIZE, &text, e)) {
		buf_free(&text);
		return -1;
	}
	r = lock_parse(l, text.s ? text.s : "", text.len, path, warn, e);
	buf_free(&text);
	return r;
}

void lock_free(struct lock *l)
{
	size_t i;

	for (i = 0; i < l->npkg; i++) {
		size_t k;

		for (k = 0; k < l->pkg[i].nwheel; k++)
			free(l->pkg[i].wheel[k].hash);
		free(l->pkg[i].wheel);
	}
	free(l->pkg);
	free(l->env);
	free(l->extras);
	free(l->groups);
	free(l->default_groups);
	pool_free(&l->pool);
	memset(l, 0, sizeof *l);
}

/* 0 when P has a wheel; else -1 and E naming the package, the line and the source it has */
int lock_pkg_has_wheels(const struct lock *l, const struct lockpkg *p, struct err *e)
{
	static const char *const kind[] = {
		"a VCS source (vcs)", "a local directory (directory)", "an archive (archive)", "an sdist",
	};
	int k;

	if (p->nwheel)
		return 0;
	for (k = 0; k < 4 && !(p->sources & (1u << k)); k++)
		;
	if (k == 4)
		return err_set(e, "%s:%d: package %s%s%s has no wheel%s", l->what, p->line, p->name,
			       p->version ? " " : "", p->version ? p->version : "",
			       p->sources & LOCK_WHEELS ? " (its wheels array is empty)" : " and no other source");
	return err_set(e, "%s:%d: package %s%s%s has no wheel, only %s (line %d): venvbox installs wheels and builds nothing",
		       l->what, p->line, p->name, p->version ? " " : "", p->version ? p->version : "", kind[k],
		       p->src_line);
}
