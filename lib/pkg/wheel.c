/* wheel.c: opens a wheel and checks it completely against the binary distribution format
 * spec (PEP 427 and its successors) before anything is written: file name, the one
 * .dist-info, WHEEL, METADATA, RECORD covering every member, and (members.c) where each
 * member goes in a venv. It knows no cache and starts no thread: the caller may hash the
 * archive (wkey_find) on another while wheel_check runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkg/pkg.h"

#define META_MAX (16u << 20)	/* METADATA, RECORD, WHEEL, entry_points.txt */


static int same_version(const char *a, const char *b)
{
	struct pep440 x, y;

	if (!strcmp(a, b))
		return 1;
	return pep440_parse(a, &x) == 0 && pep440_parse(b, &y) == 0 && pep440_cmp(&x, &y) == 0
	       && !strcmp(x.local, y.local);
}

static int parse_filename(struct wheel *w, struct err *e)
{
	struct wheelname wn;

	int r = wheelname_parse(w->path, &wn);

	if (r == -2)
		return err_set(e, "%s: a variant wheel (PEP 825: NAME-VERSION[-BUILD]-PY-ABI-PLATFORM-VARIANT.whl, "
			       "variant label '%s'), which this installer does not support", w->path, wn.variant);
	if (r)
		return err_set(e, "%s: not a wheel file name (NAME-VERSION[-BUILD]-PY-ABI-PLATFORM.whl, "
			       "a build tag starting with a digit)", w->path);
	w->fname_name = xstrdup(wn.name);
	w->fname_version = xstrdup(wn.version);
	snprintf(w->tags, sizeof w->tags, "%s", wn.tags);
	return 0;
}

struct membuf {
	struct buf *b;
	size_t max;
};

static int to_buf(void *ctx, const unsigned char *p, size_t n, struct err *e)
{
	struct membuf *m = ctx;

	if (m->b->len + n > m->max)
		return err_set(e, "member too large");
	buf_add(m->b, p, n);
	return 0;
}

/* Reads a member whose name is DIR/FILE into B; 0 found, 1 absent, -1 error. */
static int read_member(struct wheel *w, const char *dir, const char *file, struct buf *b,
		       struct err *e)
{
	char name[512];
	struct membuf m = { b, META_MAX };
	size_t i;

	snprintf(name, sizeof name, "%s/%s", dir, file);
	buf_reset(b);
	for (i = 0; i < w->z.n; i++)
		if (!strcmp(w->z.ent[i].name, name)) {
			if (zip_extract(&w->z, &w->z.ent[i], to_buf, &m, e))
				return -1;
			if (!b->s)
				buf_add(b, "", 0);
			return 0;
		}
	return 1;
}

static int find_distinfo(struct wheel *w, struct err *e)
{
	size_t i, k;
	const char *n, *slash;
	char *top = NULL, *dn, *dv, *norm1, *norm2;

	for (i = 0; i < w->z.n; i++) {
		n = w->z.ent[i].name;
		slash = strchr(n, '/');
		if (!slash || slash - n < 11 || strncmp(slash - 10, ".dist-info", 10))
			continue;
		if (top && (strlen(top) != (size_t)(slash - n) || strncmp(top, n, slash - n))) {
			free(top);
			return err_set(e, "%s: more than one .dist-info directory", w->path);
		}
		if (!top) {
			top = xmalloc(slash - n + 1);
			memcpy(top, n, slash - n);
			top[slash - n] = 0;
		}
	}
	if (!top)
		return err_set(e, "%s: no .dist-info directory", w->path);
	w->distinfo = top;
	/* NAME-VERSION.dist-info must name the wheel's distribution */
	k = strlen(top) - 10;
	dn = xmalloc(k + 1);
	memcpy(dn, top, k);
	dn[k] = 0;
	dv = strrchr(dn, '-');
	if (!dv) {
		free(dn);
		return err_set(e, "%s: %s: not NAME-VERSION.dist-info", w->path, top);
	}
	*dv++ = 0;
	norm1 = name_normalize(dn);
	norm2 = name_normalize(w->fname_name);
	k = strcmp(norm1, norm2) == 0 && same_version(dv, w->fname_version);
	free(norm1);
	free(norm2);
	free(dn);
	if (!k)
		return err_set(e, "%s: %s does not match the file name", w->path, top);
	w->datadir = xstrdup(top);
	strcpy(w->datadir + strlen(top) - 10, ".data");
	return 0;
}

/* The email-header files of a wheel are text: a NUL would cut values short. */
static int read_text(struct wheel *w, const char *file, struct buf *b, struct err *e)
{
	int r = read_member(w, w->distinfo, file, b, e);

	if (r > 0)
		return e->msg[0] ? -1 : err_set(e, "%s: %s/%s is missing", w->path, w->distinfo, file);
	if (r == 0 && memchr(b->s, 0, b->len))
		return err_set(e, "%s: %s/%s contains a NUL byte", w->path, w->distinfo, file);
	return r;
}

/* FIELD's value "X.Y" in B: 0 and V, 1 absent, -1 not a version (*RAW: the value, to free) */
static int header_version(const struct buf *b, const char *field, int v[3], char **raw)
{
	const char *end;

	*raw = meta_get(b->s, b->len, field);
	if (!*raw)
		return 1;
	end = scan_version(*raw, v);
	return end && !*end ? 0 : -1;
}

/* The binary distribution format: a newer major Wheel-Version is refused, a newer minor one
 * installed with a warning (W->wheel_version says it). */
static int check_wheel_file(struct wheel *w, struct buf *b, struct err *e)
{
	char *v, *rip;
	int ver[3], r;

	if (read_text(w, "WHEEL", b, e))
		return -1;
	r = header_version(b, "Wheel-Version", ver, &v);
	if (r || ver[0] != 1) {
		if (r > 0)
			err_set(e, "%s: WHEEL: Wheel-Version is missing", w->path);
		else if (r < 0)
			err_set(e, "%s: WHEEL: Wheel-Version '%.20s' is not a version (X.Y)", w->path, v);
		else
			err_set(e, "%s: WHEEL: Wheel-Version %.20s: major version %d is not supported: this installer reads 1.x wheels",
				w->path, v, ver[0]);
		free(v);
		return -1;
	}
	if (ver[1] > 0 || ver[2] > 0)
		snprintf(w->wheel_version, sizeof w->wheel_version, "%.15s", v);
	free(v);
	rip = meta_get(b->s, b->len, "Root-Is-Purelib");
	if (!rip || (strcasecmp(rip, "true") && strcasecmp(rip, "false"))) {
		free(rip);
		return err_set(e, "%s: WHEEL: Root-Is-Purelib must be true or false", w->path);
	}
	w->purelib = !strcasecmp(rip, "true");
	free(rip);
	return 0;
}

/* The core metadata spec's name pattern: ASCII letters and digits, with . _ - inside. */
static int valid_name(const char *n)
{
	size_t i, len = strlen(n);

	if (!len || len > 200)
		return 0;
	for (i = 0; i < len; i++) {
		char c = n[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && ((c != '.' && c != '_' && c != '-') || i == 0 || i == len - 1))
			return 0;
	}
	return 1;
}

static int check_metadata(struct wheel *w, struct buf *b, struct err *e)
{
	char *n1, *n2, *mv;
	int ok, ver[3];

	if (read_text(w, "METADATA", b, e))
		return -1;
	/* the core metadata spec: fail on a newer major version; a newer minor one's fields are
	 * read as far as they are known (what is unknown is ignored) */
	if (header_version(b, "Metadata-Version", ver, &mv) == 0 && ver[0] > 2) {
		err_set(e, "%s: METADATA: Metadata-Version %.20s: major version %d is not supported: this installer reads 1.x and 2.x metadata",
			w->path, mv, ver[0]);
		free(mv);
		return -1;
	}
	free(mv);
	w->name = meta_get(b->s, b->len, "Name");
	w->version = meta_get(b->s, b->len, "Version");
	w->requires_python = meta_get(b->s, b->len, "Requires-Python");
	while ((n1 = meta_get_nth(b->s, b->len, "Requires-Dist", w->nrequires_dist))) {
		w->requires_dist = xgrow(w->requires_dist, w->nrequires_dist, sizeof *w->requires_dist);
		w->requires_dist[w->nrequires_dist++] = n1;
	}
	if (!w->name || !w->version || !*w->name || !*w->version)
		return err_set(e, "%s: METADATA lacks Name or Version", w->path);
	if (!valid_name(w->name))
		return err_set(e, "%s: METADATA Name '%.100s' is not a valid distribution name", w->path, w->name);
	n1 = name_normalize(w->name);
	n2 = name_normalize(w->fname_name);
	ok = !strcmp(n1, n2);
	free(n2);
	w->normname = n1;
	if (!ok || !same_version(w->version, w->fname_version))
		return err_set(e, "%s: METADATA says %s %s, the file name %s %s", w->path, w->name,
			       w->version, w->fname_name, w->fname_version);
	return 0;
}

static int check_record(struct wheel *w, struct buf *b, struct err *e)
{
	char what[600], rec[512];
	struct record r;
	struct wfile *f;
	size_t i;
	int rc = 0;

	snprintf(rec, sizeof rec, "%s/RECORD", w->distinfo);
	snprintf(what, sizeof what, "%s: %s", w->path, rec);
	if (read_member(w, w->distinfo, "RECORD", b, e) != 0)
		return e->msg[0] ? -1 : err_set(e, "%s: %s is missing", w->path, rec);
	if (record_parse(b->s, b->len, &r, what, e))
		return -1;
	for (i = 0; i < r.n && !rc; i++) {
		f = wheel_member(w, r.row[i].path);
		if (!f) {
			rc = err_set(e, "%s: RECORD lists %s, which the wheel does not contain", w->path, r.row[i].path);
		} else if (f->listed) {
			rc = err_set(e, "%s: RECORD lists %s twice", w->path, r.row[i].path);
		} else if (!strcmp(f->member, rec)) {
			f->listed = 1;	/* RECORD cannot hold its own hash */
		} else if (!*r.row[i].hash) {
			if (!w->relax_hash)
				rc = err_set(e, "%s: RECORD gives no hash for %s", w->path, f->member);
			f->listed = 1;
		} else if (record_parse_digest(r.row[i].hash, f->want, &f->bits) < 0) {
			rc = err_set(e, "%s: RECORD: %s: hash '%.40s' is not sha256, sha384 or sha512 (unknown or weak algorithm, or malformed)",
				     w->path, f->member, r.row[i].hash);
		} else if (strtoull(r.row[i].size, NULL, 10) != f->ze->usize || !*r.row[i].size
			   || strspn(r.row[i].size, "0123456789") != strlen(r.row[i].size)) {
			rc = err_set(e, "%s: RECORD: %s: size %s, but the member has %llu bytes", w->path,
				     f->member, *r.row[i].size ? r.row[i].size : "(none)",
				     (unsigned long long)f->ze->usize);
		} else {
			f->listed = f->hashed = 1;
		}
	}
	record_free(&r);
	for (i = 0; i < w->nf && !rc; i++) {
		const char *m = w->f[i].member;
		size_t dl = strlen(w->distinfo);
		/* RECORD's own signatures, directly in the .dist-info, cannot be listed in it */
		int sig = !strncmp(m, w->distinfo, dl) && m[dl] == '/'
			  && (!strcmp(m + dl + 1, "RECORD.jws") || !strcmp(m + dl + 1, "RECORD.p7s"));

		if (!w->f[i].listed && !w->relax_hash && !sig)
			rc = err_set(e, "%s: %s is not listed in RECORD", w->path, m);
	}
	return rc;
}

int wheel_start(struct wheel *w, const char *path, const struct ziplimits *lim, int flags,
		struct err *e)
{
	struct zip z = { 0 };

	if (flags & WHEEL_OPEN)	/* the caller opened it: ours now, named by our PATH */
		z = w->z;
	memset(w, 0, sizeof *w);
	if (flags & WHEEL_OPEN) {
		w->z = z;
		w->z.path = path;
	}
	w->path = path;
	w->relax_hash = flags & WHEEL_RELAX;
	if (parse_filename(w, e) || (!(flags & WHEEL_OPEN) && zip_open(&w->z, path, lim, e)))
		return -1;
	return 0;
}

int wheel_check(struct wheel *w, const struct pyinfo *py, const struct platform *plat,
		struct err *e)
{
	const char *path = w->path;
	char why[256];
	struct buf b;
	size_t i;
	int r, rc = -1;

	buf_init(&b);
	r = tags_compatible(w->tags, py, plat, why, sizeof why);
	if (r <= 0) {
		if (r < 0)
			err_set(e, "%s: malformed compatibility tags %s", path, w->tags);
		else
			err_set(e, "%s: cannot run on this interpreter: %s", path, why);
		goto out;
	}
	if (find_distinfo(w, e) || check_wheel_file(w, &b, e) || check_metadata(w, &b, e))
		goto out;
	if (wheel_place(w, py, e) || check_record(w, &b, e))
		goto out;
	r = read_member(w, w->distinfo, "entry_points.txt", &b, e);
	if (r < 0)
		goto out;
	if (r == 0) {
		snprintf(why, sizeof why, "%s: %s/entry_points.txt", path, w->distinfo);
		if (entrypoints_parse(b.s, b.len, &w->ep, &w->nep, why, e))
			goto out;
	}
	for (i = 0; i < w->nep; i++)	/* each a file in bin/, checked before anything is written */
		if (script_name_check(w, w->ep[i].name, py, e))
			goto out;
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

int wheel_open(struct wheel *w, const char *path, const struct pyinfo *py,
	       const struct platform *plat, const struct ziplimits *lim, int flags,
	       struct err *e)
{
	return wheel_start(w, path, lim, flags, e) || wheel_check(w, py, plat, e) ? -1 : 0;
}

void wheel_close(struct wheel *w)
{
	pool_free(&w->pool);
	free(w->f);
	entrypoints_free(w->ep, w->nep);
	zip_close(&w->z);
	free(w->fname_name);
	free(w->fname_version);
	free(w->name);
	free(w->version);
	free(w->normname);
	free(w->requires_python);
	while (w->nrequires_dist)
		free(w->requires_dist[--w->nrequires_dist]);
	free(w->requires_dist);
	free(w->distinfo);
	free(w->datadir);
	memset(w, 0, sizeof *w);
}

static int peek_to_buf(void *ctx, const unsigned char *p, size_t n, struct err *e)
{
	buf_add(ctx, p, n);
	return 0;
}

int wheel_peek_metadata(struct zip *z, struct buf *meta)
{
	size_t i, n;

	for (i = 0; i < z->n; i++) {
		n = strlen(z->ent[i].name);
		if (n > 20 && !strcmp(z->ent[i].name + n - 19, ".dist-info/METADATA")
		    && strchr(z->ent[i].name, '/') == z->ent[i].name + n - 9)
			return z->ent[i].usize < META_MAX && zip_extract(z, &z->ent[i], peek_to_buf, meta, NULL) == 0
			       ? 0 : -1;
	}
	return -1;
}
