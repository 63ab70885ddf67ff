/* verify.c: installed files checked against their distribution's RECORD (the recording
 * installed projects spec): size and sha256 of every listed file, files gone, and files
 * no RECORD lists inside the directories a distribution owns. Rows without a hash are
 * the ones pip writes for RECORD itself and for the bytecode it compiles: they are only
 * looked for, and bytecode may be absent. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "venv/venv.h"

#define WALK_DEPTH 64
#define WALK_MAX 2000000	/* entries looked at, in all, before giving up */

struct owned_path {
	char *path;		/* relative to the venv */
	size_t dist;
};

struct vstate {
	struct verify *v;
	int venvfd;
	const char *site;	/* site-packages relative to the venv */
	struct owned_path *listed, *dirs;
	size_t nlisted, ndirs, seen;
	struct dircache dc;	/* the directories of the venv's paths, none reached through a link */
	int sitefd;		/* site-packages, reached that way */
};

#define ON_THE_WAY "a symbolic link or a file on the way, not read through"

/* The directory to open VP (relative to the venv) from, and *BASE, the rest: below
 * site-packages, site-packages itself, and what is below it as pip reads it (virtualenv
 * links .dist-info directories in); elsewhere (bin/) the directory VP lies in, no link on the
 * way. -1: a link (ELOOP, ENOTDIR) or nothing (ENOENT) on the way. */
static int dir_of(struct vstate *s, const char *vp, const char **base)
{
	size_t sl = strlen(s->site);

	if (!strncmp(vp, s->site, sl) && vp[sl] == '/') {
		*base = vp + sl + 1;
		return s->sitefd;
	}
	return dircache_parent(&s->dc, vp, 0, base, NULL);
}

/* The kinds of findings by name: stable, documented in README.md. */
const char *vfinding_name(int kind)
{
	static const char *const names[] = {
		[VF_MODIFIED] = "modified", [VF_MISSING] = "missing", [VF_UNLISTED] = "unlisted",
		[VF_UNREADABLE] = "unreadable", [VF_RECORD] = "bad-record",
	};

	return names[kind];
}

static void finding(struct verify *v, size_t dist, int kind, const char *path, const char *why)
{
	v->f = xgrow(v->f, v->nf, sizeof *v->f);
	v->f[v->nf].dist = dist;
	v->f[v->nf].kind = kind;
	v->f[v->nf].path = xstrdup(path);
	v->f[v->nf].why = why ? xstrdup(why) : NULL;
	v->nf++;
}

static void add_owned(struct owned_path **a, size_t *n, char *path, size_t dist)
{
	*a = xgrow(*a, *n, sizeof **a);
	(*a)[*n].path = path;
	(*a)[*n].dist = dist;
	(*n)++;
}

/* Bytecode Python writes by itself: __pycache__/NAME.TAG.pyc (PEP 3147). */
static int is_cache(const char *path)
{
	const char *base = path_base(path);
	size_t n = strlen(base);

	return n > 4 && !strcmp(base + n - 4, ".pyc") && base - path >= 12
	       && !strncmp(base - 12, "__pycache__/", 12) && (base - path == 12 || base[-13] == '/');
}

/* What pip lists without a hash besides RECORD: bytecode it compiled (and virtualenv's
 * __pycache__ rows). */
static int bytecode(const char *path)
{
	size_t n = strlen(path);

	return strstr(path, "__pycache__") || (n > 4 && (!strcmp(path + n - 4, ".pyc") || !strcmp(path + n - 4, ".pyo")));
}

/* The sha256 of an open regular file, compared with WANT; 1 equal, 0 not, -1 read error. */
static int same_hash(int fd, const unsigned char want[32])
{
	unsigned char blk[65536], got[32];
	struct sha256 c;
	ssize_t n;

	sha256_init(&c);
	while ((n = read(fd, blk, sizeof blk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		sha256_update(&c, blk, n);
	}
	sha256_final(&c, got);
	return !memcmp(got, want, 32);
}

static int parse_size(const char *s, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return *end || errno ? -1 : 0;
}

/* One RECORD row of distribution DIST, at VP (relative to the venv). */
static void check_row(struct vstate *s, size_t dist, const struct recrow *row, const char *vp)
{
	struct verify *v = s->v;
	unsigned long long size = 0;
	unsigned char want[32];
	char why[160];
	struct stat st;
	int fd, pfd, r, hashed = row->hash[0] != 0, sized = row->size[0] != 0;
	const char *base;

	if (sized && parse_size(row->size, &size)) {
		snprintf(why, sizeof why, "RECORD gives it the size \"%.60s\"", row->size);
		finding(v, dist, VF_RECORD, vp, why);
		return;
	}
	if (hashed && strncmp(row->hash, "sha256=", 7) && strchr(row->hash, '=')) {
		v->unchecked++;	/* another algorithm: the size is all we can check */
		hashed = 0;
	} else if (hashed && record_parse_hash(row->hash, want)) {
		snprintf(why, sizeof why, "RECORD gives it the hash \"%.60s\"", row->hash);
		finding(v, dist, VF_RECORD, vp, why);
		return;
	}
	v->files++;
	fd = (pfd = dir_of(s, vp, &base)) < 0 ? -1 : openat(pfd, base, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && pfd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
		finding(v, dist, VF_UNREADABLE, vp, ON_THE_WAY);
		return;
	}
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		if (!hashed && bytecode(vp))
			return;	/* compiled by pip, since cleaned away: Python makes it again */
		finding(v, dist, VF_MISSING, vp, NULL);
		return;
	}
	if (fd < 0) {
		finding(v, dist, VF_UNREADABLE, vp, strerror(errno));
		return;
	}
	if (fstat(fd, &st) < 0) {
		finding(v, dist, VF_UNREADABLE, vp, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		if (hashed || sized || !S_ISDIR(st.st_mode))
			finding(v, dist, VF_MODIFIED, vp, S_ISDIR(st.st_mode) ? "a directory now" : "not a regular file");
	} else if (sized && (unsigned long long)st.st_size != size) {
		snprintf(why, sizeof why, "%lld bytes, RECORD says %llu", (long long)st.st_size, size);
		finding(v, dist, VF_MODIFIED, vp, why);
	} else if (hashed) {
		v->hashed++;
		r = same_hash(fd, want);
		if (r < 0)
			finding(v, dist, VF_UNREADABLE, vp, strerror(errno));
		else if (!r)
			finding(v, dist, VF_MODIFIED, vp, "sha256 differs");
	}
	close(fd);
}

static void check_dist(struct vstate *s, size_t i, const struct dist *d, struct buf *b)
{
	struct verify *v = s->v;
	char rec[4200], *vp, *slash;
	const char *base;
	struct record r;
	struct err e;
	size_t k, sl = strlen(s->site);
	int pfd;

	if (d->egg) {
		v->unverifiable++;	/* legacy metadata records no hashes */
		return;
	}
	snprintf(rec, sizeof rec, "%s/%s/RECORD", s->site, d->dir);
	errno = 0;
	if ((pfd = dir_of(s, rec, &base)) < 0 || file_read(pfd, base, 64 << 20, b, &e)) {
		if (pfd < 0)	/* "...: why", as file_read says it */
			snprintf(e.msg, sizeof e.msg, ": %s", errno == ELOOP || errno == ENOTDIR ? ON_THE_WAY : strerror(errno));
		if (errno == ENOENT)
			finding(v, i, VF_MISSING, rec, "the list of installed files itself");
		else
			finding(v, i, VF_UNREADABLE, rec, strstr(e.msg, ": ") ? strstr(e.msg, ": ") + 2 : e.msg);
		return;
	}
	if (record_parse(b->s, b->len, &r, "RECORD", &e)) {
		finding(v, i, VF_RECORD, rec, e.msg + 8);
		return;
	}
	for (k = 0; k < r.n; k++) {
		vp = installed_venv_path(s->site, v->absdir, r.row[k].path);
		if (!vp) {
			v->outside++;
			continue;
		}
		check_row(s, i, &r.row[k], vp);
		/* the directories under site-packages that hold its files are its own */
		if (!strncmp(vp, s->site, sl) && vp[sl] == '/') {
			for (slash = strchr(vp + sl + 1, '/'); slash; slash = strchr(slash + 1, '/'))
				add_owned(&s->dirs, &s->ndirs, strndup(vp, slash - vp), i);
		}
		add_owned(&s->listed, &s->nlisted, vp, i);
	}
	record_free(&r);
}

static int by_path(const void *a, const void *b)
{
	const struct owned_path *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->dist > y->dist) - (x->dist < y->dist);
}

static struct owned_path *find(struct owned_path *a, size_t n, const char *path)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {	/* the first entry for PATH: the owner listed first */
		mid = (lo + hi) / 2;
		c = strcmp(a[mid].path, path);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(a[lo].path, path) ? &a[lo] : NULL;
}

/* A file nobody lists, under an owned directory: reported against the distribution that
 * owns its nearest directory, unless it is bytecode of a source file beside it. */
static void unlisted(struct vstate *s, const char *path)
{
	char *cache, *dir, *src, *p;
	struct owned_path *o = NULL;
	const char *base;
	struct stat st;
	int ok, pfd;

	if (is_cache(path)) {	/* DIR/__pycache__/NAME.TAG.pyc of DIR/NAME.py */
		cache = path_dir(path);
		dir = strchr(cache, '/') ? path_dir(cache) : xstrdup("");
		p = xstrdup(path_base(path));
		*strchr(p, '.') = 0;
		src = xmalloc(strlen(dir) + strlen(p) + 5);
		sprintf(src, "%s%s%s.py", dir, *dir ? "/" : "", p);
		ok = find(s->listed, s->nlisted, src)
		     || ((pfd = dir_of(s, src, &base)) >= 0 && fstatat(pfd, base, &st, 0) == 0);
		free(cache);
		free(dir);
		free(p);
		free(src);
		if (ok)
			return;
	}
	p = xstrdup(path);
	while (!o && (dir = strrchr(p, '/'))) {
		*dir = 0;
		o = find(s->dirs, s->ndirs, p);
	}
	if (o)
		finding(s->v, o->dist, VF_UNLISTED, path, NULL);
	free(p);
}

static void walk(struct vstate *s, int dirfd, const char *rel, int depth)
{
	struct dirent *de;
	struct stat st;
	char *child;
	DIR *d;
	int fd;

	const char *base;
	int pfd = dir_of(s, rel, &base);

	fd = pfd < 0 ? -1 : openat(pfd, base, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (depth ? O_NOFOLLOW : 0));
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
			s->v->walk_errors++;
		return;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) && s->seen++ < WALK_MAX) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		child = path_join(rel, de->d_name);
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
			if (depth < WALK_DEPTH)
				walk(s, s->venvfd, child, depth + 1);
		} else if (!find(s->listed, s->nlisted, child)) {
			unlisted(s, child);
		}
		free(child);
	}
	closedir(d);
}

static int by_finding(const void *a, const void *b)
{
	const struct vfinding *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (x->dist != y->dist)
		return x->dist < y->dist ? -1 : 1;
	return c ? c : x->kind - y->kind;
}

int verify_dists(struct verify *v, const char *absdir, const char *site, const struct dists *ds,
		 struct err *e)
{
	struct vstate s = { v, -1, site, NULL, NULL, 0, 0, 0 };
	struct buf b;
	size_t i, j, sl = strlen(site);

	memset(v, 0, sizeof *v);
	v->absdir = absdir;
	s.venvfd = open(absdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.venvfd < 0)
		return err_sys(e, "%s", absdir);
	if ((s.sitefd = dircache_dir(s.venvfd, site, e)) < 0) {
		close(s.venvfd);
		return -1;
	}
	dircache_init(&s.dc, s.venvfd, 1);
	buf_init(&b);
	for (i = 0; i < ds->n; i++)
		check_dist(&s, i, &ds->d[i], &b);
	buf_free(&b);
	if (s.nlisted)
		qsort(s.listed, s.nlisted, sizeof *s.listed, by_path);
	if (s.ndirs)
		qsort(s.dirs, s.ndirs, sizeof *s.dirs, by_path);
	/* walk each top-level directory of site-packages that some distribution owns */
	for (i = 0; i < s.ndirs; i++) {
		if (strchr(s.dirs[i].path + sl + 1, '/') || (i && !strcmp(s.dirs[i].path, s.dirs[i - 1].path)))
			continue;
		walk(&s, s.venvfd, s.dirs[i].path, 0);
	}
	if (s.seen >= WALK_MAX)
		v->walk_errors++;
	for (j = 0; j < s.nlisted; j++)
		free(s.listed[j].path);
	for (j = 0; j < s.ndirs; j++)
		free(s.dirs[j].path);
	free(s.listed);
	free(s.dirs);
	dircache_close(&s.dc);
	close(s.sitefd);
	close(s.venvfd);
	if (v->nf)
		qsort(v->f, v->nf, sizeof *v->f, by_finding);
	return 0;
}

void verify_free(struct verify *v)
{
	size_t i;

	for (i = 0; i < v->nf; i++) {
		free(v->f[i].path);
		free(v->f[i].why);
	}
	free(v->f);
	memset(v, 0, sizeof *v);
}
