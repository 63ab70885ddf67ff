/* install.c: unpacks a checked wheel into a venv as pip does (the binary distribution
 * format; the recording installed projects spec): members verified against RECORD as they
 * are written, #!python rewritten, entry point launchers, INSTALLER, REQUESTED and a new
 * RECORD. Into an existing venv everything is staged first and then moved into place, the
 * replaced distribution set aside, so a failure at any point can be undone. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pkg/pkg.h"

#define SHEBANG_MAX 127	/* what every Linux kernel reads of a #! line */

/* ---- writing members ---- */
struct sink {
	int fd;
	int cfd;		/* a copy for the cache being filled, or -1 */
	struct wcache *wc;
	int bits;		/* the RECORD's hash: 256, or SHA-384/-512 alongside */
	struct sha256 h;
	struct sha512 h5;
	unsigned char digest[32], d5[64];
	uint64_t n;
	struct buf *mem;	/* scripts are kept to rewrite their #! line */
};

static void sink_start(struct sink *k)
{
	sha256_init(&k->h);
	if (k->bits != 256)
		sha512_init(&k->h5, k->bits);
	k->n = 0;
	if (k->mem)
		buf_reset(k->mem);
}

static int sink_write(void *ctx, const unsigned char *p, size_t n, struct err *e)
{
	struct sink *k = ctx;

	sha256_update(&k->h, p, n);
	if (k->bits != 256)
		sha512_update(&k->h5, p, n);
	k->n += n;
	if (k->mem) {
		buf_add(k->mem, p, n);
		return 0;
	}
	if (file_write_all(k->fd, p, n) < 0)
		return err_sys(e, "write");
	wcache_copy(k->wc, k->cfd, p, n);
	return 0;
}

/* Done: the digests, and whether they are what RECORD says (F unhashed: yes). */
static int sink_matches(struct sink *k, const struct wfile *f)
{
	sha256_final(&k->h, k->digest);
	if (k->bits != 256)
		sha512_final(&k->h5, k->d5);
	return !f->hashed || !memcmp(k->bits != 256 ? k->d5 : k->digest, f->want, f->bits / 8);
}

struct inst {
	struct wheel *w;
	struct zip *z;		/* the archive, with the inflate state of this thread */
	const struct pyinfo *py;
	const struct installopt *o;
	struct pylayout vp;
	struct dircache dc;
	struct wcache *wc;	/* unpacked wheels kept: read from, or filled */
	struct dircache cdc;	/* directories of that cache entry */
	const struct installed *in;	/* what else is installed */
	struct buf rec;		/* the installed RECORD, a line per file written */
	size_t *rows, nrows;	/* where each line starts in it */
	struct buf rpath, rhash;	/* a line's fields, being made */
	struct buf tmp;
};

/* Buffers empty, no directories open: the roots are the venv's (or stage's) and the cache
 * entry's, as S has them. */
static void inst_init(struct inst *s)
{
	dircache_init(&s->dc, s->dc.root, 0);
	dircache_init(&s->cdc, s->cdc.root, 1);
	buf_init(&s->rec);
	buf_init(&s->rpath);
	buf_init(&s->rhash);
	buf_init(&s->tmp);
	s->rows = NULL;
	s->nrows = 0;
}

static void inst_free(struct inst *s)
{
	dircache_close(&s->dc);
	dircache_close(&s->cdc);
	buf_free(&s->rec);
	buf_free(&s->rpath);
	buf_free(&s->rhash);
	buf_free(&s->tmp);
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
}

/* PATH relative to site-packages, as RECORD names installed files. */
static void record_path(struct inst *s, struct buf *b, const char *dest)
{
	size_t n = strlen(s->vp.site);
	const char *p;

	buf_reset(b);
	if (!strncmp(dest, s->vp.site, n) && dest[n] == '/') {
		buf_adds(b, dest + n + 1);
		return;
	}
	buf_adds(b, "../");
	for (p = s->vp.site; *p; p++)
		if (*p == '/')
			buf_adds(b, "../");
	buf_adds(b, dest);
}

static void add_record(struct inst *s, const char *dest, const unsigned char digest[32], uint64_t size)
{
	char sz[32];

	record_path(s, &s->rpath, dest);
	buf_reset(&s->rhash);
	record_hash(&s->rhash, digest);
	snprintf(sz, sizeof sz, "%llu", (unsigned long long)size);
	s->rows = xgrow(s->rows, s->nrows, sizeof *s->rows);
	s->rows[s->nrows++] = s->rec.len;
	record_add_line(&s->rec, s->rpath.s, s->rhash.s, sz);
}

/* S's RECORD lines and its buffers, as a worker leaves them, added to TO's. */
static void inst_merge(struct inst *to, struct inst *s)
{
	size_t i;

	for (i = 0; i < s->nrows; i++) {
		to->rows = xgrow(to->rows, to->nrows, sizeof *to->rows);
		to->rows[to->nrows++] = to->rec.len + s->rows[i];
	}
	buf_add(&to->rec, s->rec.s ? s->rec.s : "", s->rec.len);
	inst_free(s);
}

/* Creates DEST below the root with DATA, and records it. */
static int put(struct inst *s, const char *dest, const void *data, size_t len, mode_t mode,
	       struct err *e)
{
	unsigned char digest[32];
	struct sha256 h;
	const char *base;
	int dfd, fd;
	ssize_t w;

	dfd = dircache_parent(&s->dc, dest, 1, &base, e);
	if (dfd < 0 || fault_point(e))
		return -1;
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return err_sys(e, "cannot create %s", dest);
	w = write(fd, data, len);
	if (close(fd) < 0 || w != (ssize_t)len)
		return err_sys(e, "cannot write %s", dest);
	sha256_init(&h);
	sha256_update(&h, data, len);
	sha256_final(&h, digest);
	add_record(s, dest, digest, len);
	return 0;
}

/* The #! line for scripts in the venv: direct when the kernel can read it, else a /bin/sh
 * line that hands the file to the venv's python (a sh/Python polyglot). */
static int shebang(struct inst *s, struct buf *b, struct err *e)
{
	const struct template *t;
	struct buf py;
	int rc = 0;

	buf_init(&py);
	buf_printf(&py, "%s/bin/python", s->o->absdir);
	buf_reset(b);
	if (s->o->relocatable) {	/* python found beside the launcher, wherever it is */
		t = template_find("launcher-rel.py");
		rc = t ? template_render(b, t, NULL, 0, e) : err_set(e, "no relocatable launcher in this build");
	} else if (py.len + 2 <= SHEBANG_MAX && !strpbrk(py.s, " \t")) {
		buf_printf(b, "#!%s\n", py.s);
	} else if (strchr(py.s, '\\')) {
		rc = err_set(e, "%s: a venv path with a backslash cannot have launchers", s->o->absdir);
	} else {
		struct tvar v[] = { { "PYTHON", py.s } };

		t = template_find("launcher-sh.py");
		rc = template_render(b, t, v, 1, e);
	}
	buf_free(&py);
	return rc;
}

/* F's content into K: from the cache when it has F and that copy verifies, else inflated
 * from the archive and checked against RECORD. */
static int pull(struct inst *s, struct wfile *f, struct sink *k, struct err *e)
{
	size_t i = f - s->w->f;
	const unsigned char *want = f->hashed && f->bits == 256 ? f->want : NULL;
	struct stat st;
	int r = 0;

	if (s->wc->entry >= 0 && f->hashed) {	/* what RECORD does not hash, the cache cannot vouch for */
		r = wcache_feed(s->wc, &s->cdc, i, f->member, f->ze->usize, want, k->mem ? -1 : k->fd,
				sink_write, k, &st, e);
		if (r < 0)
			return -1;
		if (r == 2) {	/* known unchanged since it was verified: its hash is RECORD's */
			__atomic_fetch_add(&s->wc->known_copies, 1, __ATOMIC_RELAXED);
			memcpy(k->digest, want, 32);
			k->n = f->ze->usize;
			return 0;
		}
		if (r == 1 && sink_matches(k, f)) {
			__atomic_fetch_add(&s->wc->hashed_copies, 1, __ATOMIC_RELAXED);
			wcache_seen(s->wc, i, &st, k->digest);
			return 0;
		}
		wcache_spoiled(s->wc);	/* edited, truncated, replaced or gone: the entry is dropped */
		/* start again: what the cache gave is not to be trusted */
		if (!k->mem && (ftruncate(k->fd, 0) < 0 || lseek(k->fd, 0, SEEK_SET) < 0))
			return err_sys(e, "cannot rewrite %s", f->dest);
	}
	sink_start(k);
	if (zip_extract(s->z, f->ze, sink_write, k, e))
		return -1;
	if (!sink_matches(k, f))
		return err_set(e, "%s: entry %s: content does not match its RECORD hash", s->w->path, f->member);
	return 0;
}

static int write_member(struct inst *s, struct wfile *f, struct err *e)
{
	struct sink k = { -1, -1, s->wc, f->hashed && f->bits ? f->bits : 256 };
	struct buf mem;
	const char *base = NULL;
	size_t i = f - s->w->f;
	int dfd = -1, rc, filling = wcache_filling(s->wc);

	buf_init(&mem);
	if (f->kind == W_SCRIPT) {
		k.mem = &mem;
	} else {
		dfd = dircache_parent(&s->dc, f->dest, 1, &base, e);
		if (dfd < 0 || fault_point(e))
			return -1;
		k.fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f->mode);
		if (k.fd < 0)
			return err_sys(e, "cannot create %s", f->dest);
		if (filling && !s->wc->link)
			k.cfd = wcache_create(s->wc, &s->cdc, f->member);
	}
	sink_start(&k);
	rc = pull(s, f, &k, e);
	if (k.fd >= 0 && close(k.fd) < 0 && !rc)
		rc = err_sys(e, "cannot write %s", f->dest);
	wcache_close(s->wc, i, k.cfd, rc ? NULL : k.digest);
	if (rc == 0 && filling) {	/* kept for the next install: the member as the wheel has it */
		if (f->kind == W_SCRIPT) {
			int cfd = wcache_create(s->wc, &s->cdc, f->member);

			wcache_copy(s->wc, cfd, mem.s ? mem.s : "", mem.len);
			wcache_close(s->wc, i, cfd, k.digest);
		} else if (s->wc->link) {
			wcache_keep_link(s->wc, &s->cdc, i, f->member, dfd, base, k.digest);
		}
	}
	if (rc == 0 && f->kind == W_SCRIPT) {
		const char *body = mem.s ? mem.s : "";
		size_t len = mem.len;

		if (len >= 8 && !memcmp(body, "#!python", 8)) {	/* #!python and #!pythonw */
			const char *nl = memchr(body, '\n', len);

			rc = shebang(s, &s->tmp, e);
			if (nl) {
				buf_add(&s->tmp, nl + 1, len - (nl + 1 - body));
			}
			body = s->tmp.s;
			len = s->tmp.len;
		}
		if (rc == 0)
			rc = put(s, f->dest, body, len, 0755, e);
	} else if (rc == 0) {
		add_record(s, f->dest, k.digest, k.n);
	}
	buf_free(&mem);
	return rc;
}

/* Entry point names become files in bin/: one plain name, not one of the venv's own. */
static int launcher_name_ok(const struct inst *s, const char *name, char *dest, size_t n)
{
	const unsigned char *p;

	if (!*name || !strcmp(name, ".") || !strcmp(name, "..") || strlen(name) > 255 || strchr(name, '/'))
		return 0;
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	snprintf(dest, n, "bin/%s", name);
	return !layout_reserved(dest, s->py);
}

/* The scripts to write: the entry points, except that pip's installer writes two projects'
 * versioned names for the interpreter at hand: pip as pip, pipX and pipX.Y (other pipN
 * names dropped), setuptools' easy_install also as easy_install-X.Y. */
struct script {
	char name[64];
	const struct entrypoint *ep;
};

static int versioned(const char *name, const char *stem, const char *sep)
{
	size_t n = strlen(stem), k = strlen(sep);

	return !strncmp(name, stem, n) && !strncmp(name + n, sep, k) && name[n + k]
	       && strspn(name + n + k, "0123456789.") == strlen(name + n + k)
	       && name[n + k] >= '0' && name[n + k] <= '9';
}

static size_t scripts_for(const struct inst *s, struct script **out)
{
	const struct wheel *w = s->w;
	struct script *v = xmalloc((w->nep * 3 + 1) * sizeof *v);
	int pip = !strcmp(w->normname, "pip"), st = !strcmp(w->normname, "setuptools");
	size_t i, n = 0;

	for (i = 0; i < w->nep; i++) {
		const struct entrypoint *ep = &w->ep[i];

		if ((pip && !ep->gui && versioned(ep->name, "pip", ""))
		    || (st && !ep->gui && versioned(ep->name, "easy_install", "-")))
			continue;
		snprintf(v[n].name, sizeof v[n].name, "%s", ep->name);
		v[n++].ep = ep;
		if (pip && !ep->gui && !strcmp(ep->name, "pip")) {
			snprintf(v[n].name, sizeof v[n].name, "pip%d", s->py->major);
			v[n++].ep = ep;
			snprintf(v[n].name, sizeof v[n].name, "pip%d.%d", s->py->major, s->py->minor);
			v[n++].ep = ep;
		}
		if (st && !ep->gui && !strcmp(ep->name, "easy_install")) {
			snprintf(v[n].name, sizeof v[n].name, "easy_install-%d.%d", s->py->major, s->py->minor);
			v[n++].ep = ep;
		}
	}
	*out = v;
	return n;
}

static int write_launchers(struct inst *s, struct err *e)
{
	const struct template *t = template_find("launcher.py");
	struct script *sc;
	char dest[300];
	struct buf body;
	size_t i, j, n = scripts_for(s, &sc);
	int rc = 0;

	buf_init(&body);
	for (i = 0; i < n && !rc; i++) {
		const struct entrypoint *ep = sc[i].ep;
		struct tvar v[] = {
			{ "NAME", sc[i].name }, { "DIST", s->w->name },
			{ "MODULE", ep->module }, { "ATTRIBUTE", ep->attr },
		};

		if (!launcher_name_ok(s, sc[i].name, dest, sizeof dest)) {
			rc = err_set(e, "%s: entry point name '%s' is not a plain file name in bin/ (or names one of the venv's own)",
				     s->w->path, sc[i].name);
			break;
		}
		if (!*ep->attr) {
			rc = err_set(e, "%s: entry point %s names a module but no function", s->w->path, sc[i].name);
			break;
		}
		if (installed_owner(s->in, dest, NULL)) {
			rc = err_set(e, "%s: entry point %s would overwrite %s, which belongs to %s",
				     s->w->path, sc[i].name, dest, installed_owner(s->in, dest, NULL));
			break;
		}
		for (j = 0; j < s->w->nf && !rc; j++)
			if (!strcmp(s->w->f[j].dest, dest))
				rc = err_set(e, "%s: entry point %s collides with the member %s", s->w->path,
					     sc[i].name, s->w->f[j].member);
		for (j = 0; j < i && !rc; j++)
			if (!strcmp(sc[j].name, sc[i].name))
				rc = err_set(e, "%s: entry point %s is defined twice", s->w->path, sc[i].name);
		if (rc || (rc = shebang(s, &body, e)))
			break;
		buf_reset(&s->tmp);
		rc = template_render(&s->tmp, t, v, sizeof v / sizeof v[0], e);
		if (!rc) {
			buf_add(&body, s->tmp.s, s->tmp.len);
			rc = put(s, dest, body.s, body.len, 0755, e);
		}
	}
	free(sc);
	buf_free(&body);
	return rc ? -1 : 0;
}

static int by_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* RECORD lists every file written, sorted as pip sorts it, and itself without a hash. */
static int write_record(struct inst *s, struct err *e)
{
	char dest[600], **line;
	struct buf b;
	const char *base;
	size_t i;
	int dfd, rc;

	snprintf(dest, sizeof dest, "%s/RECORD", s->w->distinfo);
	s->rows = xgrow(s->rows, s->nrows, sizeof *s->rows);
	s->rows[s->nrows++] = s->rec.len;
	record_add_line(&s->rec, dest, "", "");
	line = xmalloc(s->nrows * sizeof *line);
	for (i = 0; i < s->nrows; i++) {	/* the lines tile rec in order; each ends in \n */
		line[i] = s->rec.s + s->rows[i];
		s->rec.s[(i + 1 < s->nrows ? s->rows[i + 1] : s->rec.len) - 1] = 0;
	}
	qsort(line, s->nrows, sizeof *line, by_line);
	buf_init(&b);
	for (i = 0; i < s->nrows; i++) {
		buf_adds(&b, line[i]);
		buf_addc(&b, '\n');
	}
	free(line);
	snprintf(dest, sizeof dest, "%s/%s/RECORD", s->vp.site, s->w->distinfo);
	dfd = dircache_parent(&s->dc, dest, 1, &base, e);
	rc = dfd < 0 ? -1 : file_write_new(dfd, base, b.s, b.len, 0644, e);
	buf_free(&b);
	return rc;
}

/* Members the installer writes as they are (the dist-info files it makes itself aside). */
static int plain_member(const struct inst *s, const struct wfile *f)
{
	size_t dl = strlen(s->w->distinfo);
	const char *base = f->member + dl + 1;

	if (!strncmp(f->member, s->w->distinfo, dl) && f->member[dl] == '/'
	    && (!strcmp(base, "RECORD") || !strcmp(base, "INSTALLER") || !strcmp(base, "REQUESTED")))
		return 0;
	return 1;
}

/* Wheels of a megabyte and more are unpacked by two threads (inflating is most of the work and a venv host
 * has two cores or more); each has its own inflate state, directory cache and RECORD rows.
 * Fault injection counts steps, so it keeps to one thread. */
#define PARALLEL_MIN (1u << 20)

struct queue {
	struct wfile **v;	/* the members, in name order */
	size_t n, next;		/* next: the first not yet taken */
	int stop;
};
#define CHUNK 8	/* members taken at a time: neighbours share directories */

struct worker {
	struct inst s;
	struct zip z;
	struct queue *q;
	struct err e;
	int rc;
};

/* Takes chunks of members off the queue until it is empty (or a member failed), so two
 * workers finish together however the work is spread over the archive. */
static void *work(void *arg)
{
	struct worker *k = arg;
	struct queue *q = k->q;
	size_t i, end;

	while (!__atomic_load_n(&q->stop, __ATOMIC_RELAXED)) {
		i = __atomic_fetch_add(&q->next, CHUNK, __ATOMIC_RELAXED);
		if (i >= q->n)
			break;
		for (end = i + CHUNK < q->n ? i + CHUNK : q->n; i < end; i++)
			if (write_member(&k->s, q->v[i], &k->e)) {
				k->rc = -1;
				__atomic_store_n(&q->stop, 1, __ATOMIC_RELAXED);
				break;
			}
	}
	return NULL;
}

static int write_members(struct inst *s, struct err *e)
{
	struct worker k[2];
	struct queue q = { xmalloc((s->w->nf + 1) * sizeof *q.v), 0, 0, 0 };
	uint64_t total = 0;
	size_t i, t;
	pthread_t th;
	int rc = 0, threaded;

	for (i = 0; i < s->w->nf; i++)
		if (plain_member(s, &s->w->f[i]) && s->w->f[i].kind != W_SCRIPT) {
			q.v[q.n++] = &s->w->f[i];
			total += s->w->f[i].ze->usize;
		}
	threaded = total >= PARALLEL_MIN && !getenv("VENVBOX_FAULT");
	memset(k, 0, sizeof k);
	for (t = 0; t < 2; t++) {
		k[t].s = *s;
		dircache_init(&k[t].s.dc, s->dc.root, 0);
		dircache_init(&k[t].s.cdc, s->cdc.root, 1);
		inst_init(&k[t].s);
		k[t].z = s->w->z;
		k[t].z.zs = NULL;	/* its own inflate state; the map is shared, read-only */
		k[t].s.z = &k[t].z;
		k[t].q = &q;
	}
	if (threaded && pthread_create(&th, NULL, work, &k[1]) != 0)
		threaded = 0;	/* no thread to be had: all of it here */
	work(&k[0]);
	if (threaded)
		pthread_join(th, NULL);
	for (t = 0; t < 2; t++) {
		if (k[t].rc && !rc) {
			rc = -1;
			*e = k[t].e;
		}
		inst_merge(s, &k[t].s);
		zip_release(&k[t].z);
	}
	free(q.v);
	for (i = 0; i < s->w->nf && !rc; i++)	/* scripts: their #! lines are rewritten */
		if (s->w->f[i].kind == W_SCRIPT && plain_member(s, &s->w->f[i]))
			rc = write_member(s, &s->w->f[i], e);
	return rc;
}

static int write_all(struct inst *s, struct err *e)
{
	char dest[600];

	if (write_members(s, e) || write_launchers(s, e))
		return -1;
	snprintf(dest, sizeof dest, "%s/%s/INSTALLER", s->vp.site, s->w->distinfo);
	if (put(s, dest, "venvbox\n", 8, 0644, e))
		return -1;
	snprintf(dest, sizeof dest, "%s/%s/REQUESTED", s->vp.site, s->w->distinfo);
	if (s->o->requested && put(s, dest, "", 0, 0644, e))
		return -1;
	return write_record(s, e);
}

/* Before anything is staged: no member may need a directory where the venv has a file, or
 * land where the venv has a directory (the replaced distribution's files aside). */
static int check_targets(struct inst *s, int venvfd, const struct installed *in, struct err *e)
{
	struct dircache dc;
	struct buf missing;
	const char *base;
	struct stat st;
	size_t i, k;
	int rc = 0, pfd;

	buf_init(&missing);
	dircache_init(&dc, venvfd, 0);
	for (i = 0; i < s->w->nf && !rc; i++) {
		const char *dest = s->w->f[i].dest;

		if (missing.len && !strncmp(dest, missing.s, missing.len))
			continue;	/* below a directory already known to be missing */
		pfd = dircache_parent(&dc, dest, 0, &base, NULL);
		if (pfd < 0) {
			if (errno == ELOOP || errno == ENOTDIR)
				rc = err_set(e, "%s: entry %s: a file or link in the venv is in the way of %s",
					     s->w->path, s->w->f[i].member, dest);
			buf_reset(&missing);	/* missing directories are made */
			buf_add(&missing, dest, base - dest);
			continue;
		}
		if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
			continue;
		for (k = 0; k < in->nold; k++)	/* unless the replaced version leaves it */
			if (!strncmp(in->old[k], dest, strlen(dest)) && in->old[k][strlen(dest)] == '/')
				break;
		if (k == in->nold)
			rc = err_set(e, "%s: entry %s: a directory in the venv is in the way of %s",
				     s->w->path, s->w->f[i].member, dest);
	}
	dircache_close(&dc);
	buf_free(&missing);
	return rc;
}

/* ---- moving a staged tree into the venv, undoably ---- */
struct journal {
	char **from, **to;
	size_t n;
};

static int jmove(int venvfd, struct journal *j, const char *from, const char *to, struct err *e)
{
	if (fault_point(e))
		return -1;
	if (renameat(venvfd, from, venvfd, to) < 0)
		return err_sys(e, "cannot move %s", strncmp(to, ".venvbox-install-", 17) ? to : from);
	j->from = xgrow(j->from, j->n, sizeof *j->from);
	j->to = xgrow(j->to, j->n, sizeof *j->to);
	j->from[j->n] = xstrdup(from);
	j->to[j->n] = xstrdup(to);
	j->n++;
	return 0;
}

static void journal_undo(int venvfd, struct journal *j)
{
	while (j->n--) {
		renameat(venvfd, j->to[j->n], venvfd, j->from[j->n]);
		free(j->from[j->n]);
		free(j->to[j->n]);
	}
	j->n = 0;
}

static void journal_free(struct journal *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		free(j->from[i]);
		free(j->to[i]);
	}
	free(j->from);
	free(j->to);
	memset(j, 0, sizeof *j);
}

/* Sets REL (relative to the venv) aside under STAGE/old/, making its parents there. */
static int set_aside(int venvfd, const char *stage, const char *rel, struct journal *j, struct err *e)
{
	char to[8400];
	struct dircache dc;
	const char *base;
	int r;

	dircache_init(&dc, venvfd, 0);
	snprintf(to, sizeof to, "%s/old/%s", stage, rel);
	r = dircache_parent(&dc, to, 1, &base, e);
	dircache_close(&dc);
	return r < 0 ? -1 : jmove(venvfd, j, rel, to, e);
}

static int is_real_dir(int venvfd, const char *rel)
{
	struct stat st;

	return fstatat(venvfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Merge STAGE/new/REL into REL: what is new is moved whole, directories present on both
 * sides are merged, anything in the way is set aside first. */
static int merge(int venvfd, const char *stage, const char *rel, struct journal *j, int depth,
		 struct err *e)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd, rc = 0;

	snprintf(from, sizeof from, "%s/new%s%s", stage, *rel ? "/" : "", rel);
	fd = openat(venvfd, from, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return err_sys(e, "%s", from);
	}
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(from, sizeof from, "%s/new%s%s/%s", stage, *rel ? "/" : "", rel, de->d_name);
		snprintf(to, sizeof to, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (fstatat(venvfd, to, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = jmove(venvfd, j, from, to, e);
		} else if (S_ISDIR(st.st_mode) != is_real_dir(venvfd, from)) {
			rc = err_set(e, "%s: a %s is in the way of the %s the wheel installs", to,
				     S_ISDIR(st.st_mode) ? "directory" : "file",
				     S_ISDIR(st.st_mode) ? "file" : "directory");
		} else if (S_ISDIR(st.st_mode)) {
			rc = depth < 200 ? merge(venvfd, stage, to, j, depth + 1, e)
					: err_set(e, "%s: directories nested too deeply", to);
		} else {	/* a file no distribution owns: replaced, as pip does */
			rc = set_aside(venvfd, stage, to, j, e) || jmove(venvfd, j, from, to, e) ? -1 : 0;
		}
	}
	closedir(d);
	return rc;
}

/* The replaced distribution's files leave first (only what is inside the venv, and never
 * through a link), then the new tree moves in. */
static int commit(int venvfd, const char *stage, const struct installed *in, const char *site,
		  struct journal *j, struct err *e)
{
	char rel[8400];
	struct stat st;
	size_t i;

	if (in->old_distinfo) {	/* first, so its files are not moved one by one */
		snprintf(rel, sizeof rel, "%s/%s", site, in->old_distinfo);
		if (is_real_dir(venvfd, rel) && set_aside(venvfd, stage, rel, j, e))
			return -1;
	}
	for (i = 0; i < in->nold; i++) {
		struct dircache dc;
		const char *base;
		int pfd;

		dircache_init(&dc, venvfd, 0);
		pfd = dircache_parent(&dc, in->old[i], 0, &base, NULL);

		if (pfd >= 0 && fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)
		    && set_aside(venvfd, stage, in->old[i], j, e)) {
			dircache_close(&dc);
			return -1;
		}
		dircache_close(&dc);
	}
	return merge(venvfd, stage, "", j, 0, e);
}

/* -v: how many of W's files came from the cache and how many were unpacked. */
static void report(const struct inst *s, const struct wcache *c)
{
	const struct wheel *w = s->w;
	size_t from = c->known_copies + c->hashed_copies, n = 0, i;
	char cached[160] = "";

	for (i = 0; i < w->nf; i++)
		n += plain_member(s, &w->f[i]);
	if (from)
		snprintf(cached, sizeof cached, "%zu from the cache (%zu known unchanged, %zu hashed again)%s",
			 from, c->known_copies, c->hashed_copies, from < n ? ", " : "");
	msg_info("mkvenv", "%s %s: %zu files: %s%s%s%s", w->name, w->version, n, cached,
		 from < n ? "unpacked from " : "", from < n ? w->path : "",
		 c->spoiled ? " (a cached file did not verify: the cache entry is dropped)"
		 : c->fill >= 0 && !c->broken ? " (and kept in the cache)" : "");
}

/* After a replacement, directories the old distribution left empty go too, but never the
 * venv's own (bin, include, lib, site-packages and their parents). */
static void prune_empty(int venvfd, const struct installed *in, const struct pylayout *vp)
{
	char *p, *slash;
	size_t i;

	for (i = 0; i < in->nold; i++) {
		p = xstrdup(in->old[i]);
		while ((slash = strrchr(p, '/'))) {
			*slash = 0;
			if (!strchr(p, '/') || !strcmp(p, vp->lib) || !strcmp(p, vp->site)
			    || !strcmp(p, vp->include) || unlinkat(venvfd, p, AT_REMOVEDIR) < 0)
				break;
		}
		free(p);
	}
}

int wheel_install(struct wheel *w, int venvfd, const struct pyinfo *py,
		  const struct installopt *o, struct err *e)
{
	struct inst s = { .w = w, .z = &w->z, .py = py, .o = o, .dc.root = -1, .cdc.root = -1 };
	struct wcache wc = { -1, -1, -1 };
	struct installed in;
	struct journal j = { 0 };
	struct stat root;
	char stage[64], newdir[80];
	const char *owner;
	int direct = 0, rc = -1, rootfd = -1;
	size_t i;

	snprintf(stage, sizeof stage, ".venvbox-install-%ld", (long)getpid());
	snprintf(newdir, sizeof newdir, "%s/new", stage);
	fstat(venvfd, &root);
	py_layout(py, &s.vp);
	inst_init(&s);
	if (installed_scan(&in, venvfd, s.vp.site, o->absdir, w->normname, py, e))
		return -1;
	s.in = &in;
	for (i = 0; i < w->nf; i++)
		if ((owner = installed_owner(&in, w->f[i].dest,
					     w->f[i].hashed && w->f[i].bits == 256 ? w->f[i].want : NULL))) {
			err_set(e, "%s: entry %s would overwrite %s, which belongs to %s", w->path,
				w->f[i].member, w->f[i].dest, owner);
			goto out;
		}
	direct = o->direct && !in.old_distinfo;
	if (!direct && check_targets(&s, venvfd, &in, e))
		goto out;
	file_remove_orphans(venvfd, ".venvbox-install-");	/* stages of killed installs */
	if (direct) {
		rootfd = venvfd;
	} else {
		file_rmtree(venvfd, stage, NULL);
		if (file_mkdir(venvfd, stage, 0700, e) || file_mkdir(venvfd, newdir, 0777, e))
			goto out;
		rootfd = openat(venvfd, newdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (rootfd < 0) {
			err_sys(e, "%s", newdir);
			goto out;
		}
	}
	s.dc.root = rootfd;
	s.wc = &wc;
	wcache_begin(&wc, w, venvfd, o->no_cache);
	s.cdc.root = wc.entry >= 0 ? wc.entry : wc.fill;
	if (write_all(&s, e))
		goto out;
	dircache_close(&s.dc);
	if (!direct) {	/* moving in, or undoing it, is not to be cut short by a signal */
		sigset_t saved;

		signals_hold(&saved);
		if (commit(venvfd, stage, &in, s.vp.site, &j, e)) {
			char why[sizeof e->msg];

			journal_undo(venvfd, &j);
			signals_release(&saved);
			snprintf(why, sizeof why, "%s", e->msg);
			err_set(e, "%s: %s", w->path, why);
			goto out;
		}
		prune_empty(venvfd, &in, &s.vp);
		signals_release(&saved);
	}
	rc = 0;
	if (o->verbose)
		report(&s, &wc);
out:
	wcache_end(&wc, rc == 0);
	if (rootfd >= 0 && rootfd != venvfd)
		close(rootfd);
	if (!direct) {
		file_rmtree(venvfd, stage, NULL);
		if (rc) {	/* a refused install leaves even the venv's mtime as it was */
			struct timespec ts[2] = { root.st_atim, root.st_mtim };

			futimens(venvfd, ts);
		}
	}
	journal_free(&j);
	installed_free(&in);
	inst_free(&s);
	return rc;
}
