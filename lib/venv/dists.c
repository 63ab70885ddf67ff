/* dists.c: the distributions installed in a site-packages directory, from their
 * *.dist-info (the recording installed projects spec, PEP 610 direct_url.json) and legacy
 * *.egg-info metadata. Only the metadata headers are read: the body (the long description)
 * can be large and is never needed. distlist.c shows them the way pip does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "venv/venv.h"

#define HEAD_MAX (1 << 20)	/* metadata headers larger than this are not believed */

/* The headers of the email-style file PATH: everything up to the first empty line. */
static int read_head(int dirfd, const char *path, struct buf *b, struct err *e)
{
	struct stat st;
	size_t from;
	ssize_t n;
	int fd;

	buf_reset(b);
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return err_sys(e, "%s", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, "%s: not a regular file", path);
	}
	for (;;) {
		if (b->cap < b->len + 4097) {
			b->cap = b->len + 8192;
			b->s = xrealloc(b->s, b->cap);
		}
		n = read(fd, b->s + b->len, 4096);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_sys(e, "%s", path);
			close(fd);
			return -1;
		}
		from = b->len > 2 ? b->len - 2 : 0;	/* a blank line may straddle two reads */
		b->len += n;
		b->s[b->len] = 0;
		if (n == 0 || b->s[0] == '\n' || (b->len > 1 && b->s[0] == '\r' && b->s[1] == '\n'))
			break;
		if (memmem(b->s + from, b->len - from, "\n\n", 2) || memmem(b->s + from, b->len - from, "\n\r\n", 3))
			break;
		if (b->len >= HEAD_MAX) {
			close(fd);
			return err_set(e, "%s: headers larger than %d bytes", path, HEAD_MAX);
		}
	}
	close(fd);
	return 0;
}


/* Undo percent-encoding (file: URLs of PEP 610). */
static char *unquote(const char *s)
{
	struct buf b;
	unsigned long v;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (; *s; s++) {
		if (*s == '%' && s[1] && s[2] && scan_hex(s + 1, 2, &v) == 0) {
			buf_addc(&b, (char)v);
			s += 2;
		} else {
			buf_addc(&b, *s);
		}
	}
	return b.s;
}

/* pip's url_to_path for file: URLs: file:///p and file://localhost/p are /p. */
static char *file_url_path(const char *url)
{
	const char *p;

	if (strncmp(url, "file:", 5))
		return NULL;
	p = url + 5;
	if (!strncmp(p, "//", 2)) {
		p += 2;
		if (!strncmp(p, "localhost/", 10))
			p += 9;
		else if (*p != '/')
			return NULL;	/* a remote host */
	}
	return unquote(p);
}

/* The URL without user:password@ (pip's redacted_url), keeping git's "git@" and ${VAR}s. */
static char *redact(const char *url, int git)
{
	const char *net = strstr(url, "://"), *end, *at;
	struct buf b;

	if (!net)
		return xstrdup(url);
	net += 3;
	end = net + strcspn(net, "/?#");
	at = memchr(net, '@', end - net);
	if (!at)
		return xstrdup(url);
	while (memchr(at + 1, '@', end - at - 1))
		at = memchr(at + 1, '@', end - at - 1);
	if ((git && at - net == 3 && !memcmp(net, "git", 3)) || (net[0] == '$' && net[1] == '{'))
		return xstrdup(url);
	buf_init(&b);
	buf_add(&b, url, net - url);
	buf_adds(&b, at + 1);
	return b.s;
}

/* PEP 610 direct_url.json: the editable location, or the direct reference pip freeze
 * writes ("url#hash", "git+url@commit"). Malformed files are ignored, as pip ignores them. */
static void direct_url(struct dist *d, const char *text, size_t len)
{
	char *url = json_get_str(text, len, "url"), *r, *vcs, *commit, *hash, *sub;
	struct jsonval v;
	struct buf b;
	int kinds;

	if (!url)
		return;
	kinds = (json_get(text, len, "archive_info", &v) == 0 && v.type == '{')
		+ (json_get(text, len, "dir_info", &v) == 0 && v.type == '{')
		+ (json_get(text, len, "vcs_info", &v) == 0 && v.type == '{');
	if (kinds != 1) {	/* pip takes such a file as invalid and ignores it */
		free(url);
		return;
	}
	vcs = json_get_str(text, len, "vcs_info.vcs");
	commit = json_get_str(text, len, "vcs_info.commit_id");
	hash = json_get_str(text, len, "archive_info.hash");
	sub = json_get_str(text, len, "subdirectory");
	if (json_get(text, len, "dir_info.editable", &v) == 0 && v.type == 't') {
		d->editable = file_url_path(url);
		if (d->editable && d->editable[0] == '/') {
			r = path_abs(d->editable);
			free(d->editable);
			d->editable = r;
		}
	} else if (json_get(text, len, "vcs_info", &v) == 0 && (!vcs || !commit)) {
		/* a VCS reference without its commit is invalid */
	} else {
		r = redact(url, vcs && !strcmp(vcs, "git"));
		buf_init(&b);
		if (vcs && commit)
			buf_printf(&b, "%s+%s@%s", vcs, r, commit);
		else
			buf_adds(&b, r);
		if (!vcs && hash)
			buf_printf(&b, "#%s", hash);
		if (sub)
			buf_printf(&b, "%ssubdirectory=%s", !vcs && hash ? "&" : "#", sub);
		d->direct = b.s;
		free(r);
	}
	free(url);
	free(vcs);
	free(commit);
	free(hash);
	free(sub);
}

/* D's metadata; where it says nothing, what the entry's name SD says. */
static void load(struct dist *d, const struct sitedist *sd, int sitefd, struct buf *b)
{
	size_t n = strlen(d->dir);
	char path[4200], *name = NULL, *ver = NULL, *req;
	struct err e;

	if (d->egg) {
		struct stat st;

		if (fstatat(sitefd, d->dir, &st, 0) == 0 && S_ISDIR(st.st_mode))
			snprintf(path, sizeof path, "%s/PKG-INFO", d->dir);
		else
			snprintf(path, sizeof path, "%s", d->dir);
	} else {
		snprintf(path, sizeof path, "%s/METADATA", d->dir);
	}
	if (read_head(sitefd, path, b, &e) == 0) {
		name = meta_get(b->s, b->len, "Name");
		ver = meta_get(b->s, b->len, "Version");
		while (!d->egg && (req = meta_get_nth(b->s, b->len, "Requires-Dist", d->nrequires))) {
			d->requires = xgrow(d->requires, d->nrequires, sizeof *d->requires);
			d->requires[d->nrequires++] = req;
		}
		if (!name || !*name || !ver)
			d->problem = xstrdup(!name || !*name ? "its metadata has no Name" : "its metadata has no Version");
	} else {
		d->problem = xstrdup(e.msg + (strncmp(e.msg, d->dir, n) ? 0 : n + 1));
	}
	if (!name || !*name) {
		free(name);
		name = xstrdup(sd->name);
	}
	if (!ver)
		ver = xstrdup(sd->version ? sd->version : "");
	d->name = name;
	d->norm = name_normalize(name);
	d->version = pep440_normalize(ver);
	d->legacy_version = !d->version;
	if (!d->version)
		d->version = xstrdup(ver);
	d->raw_version = ver;
	if (d->egg)
		return;
	snprintf(path, sizeof path, "%s/direct_url.json", d->dir);
	if (file_read(sitefd, path, 1 << 20, b, NULL) == 0)
		direct_url(d, b->s, b->len);
}

/* ... the first found wins, as in pip (here: by index) */
static void shadows(struct dists *ds)
{
	size_t i, j;

	for (i = 0; i < ds->n; i++)
		for (ds->d[i].shadowed = 0, j = 0; j < i && !ds->d[i].shadowed; j++)
			if (!ds->d[j].shadowed && !strcmp(ds->d[i].norm, ds->d[j].norm))
				ds->d[i].shadowed = j + 1;
}

void dists_scan_base(struct dists *ds, const struct venv *v)
{
	char lib[64], *real, *dir, *prefix, *path;
	struct sitescan sc;
	struct dist *all;
	struct buf b;
	size_t i;
	int fd;

	if (strcmp(v->implementation, "PyPy") || !v->executable || v->minor < 0
	    || !(real = path_real(v->executable)))
		return;
	dir = path_dir(real);
	prefix = py_search_prefix(dir, v->major, v->minor, "", 1);
	free(real);
	free(dir);
	if (!prefix)
		return;
	layout_lib(lib, sizeof lib, 1, v->major, v->minor, 0);
	path = path_join(prefix, lib);
	free(prefix);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || site_scan(&sc, fd, path, 1, NULL)) {
		if (fd >= 0)
			close(fd);
		free(path);
		return;
	}
	all = xmalloc((sc.n + ds->n + 1) * sizeof *all);
	memset(all, 0, (sc.n + 1) * sizeof *all);
	buf_init(&b);
	for (i = 0; i < sc.n; i++) {
		all[i].dir = xstrdup(sc.d[i].dir);
		all[i].egg = sc.d[i].egg;
		all[i].base = 1;
		load(&all[i], &sc.d[i], fd, &b);
	}
	buf_free(&b);
	if (ds->n)
		memcpy(all + sc.n, ds->d, ds->n * sizeof *all);
	free(ds->d);
	ds->d = all;
	ds->n += sc.n;
	site_scan_free(&sc);
	close(fd);
	free(path);
	shadows(ds);
}

int dists_scan(struct dists *ds, const struct venv *v, struct err *e)
{
	const char *site = v->site;
	struct sitescan sc;
	struct buf b;
	size_t i;
	int fd;

	memset(ds, 0, sizeof *ds);
	if ((fd = venv_site_open(v, e)) < 0)
		return -1;
	if (site_scan(&sc, fd, site, 1, e)) {
		close(fd);
		return -1;
	}
	ds->d = xmalloc((sc.n + 1) * sizeof *ds->d);
	memset(ds->d, 0, (sc.n + 1) * sizeof *ds->d);
	ds->n = sc.n;
	buf_init(&b);
	for (i = 0; i < ds->n; i++) {
		ds->d[i].dir = xstrdup(sc.d[i].dir);
		ds->d[i].egg = sc.d[i].egg;
		load(&ds->d[i], &sc.d[i], fd, &b);
	}
	buf_free(&b);
	site_scan_free(&sc);
	close(fd);
	shadows(ds);	/* one name, two directories */
	return 0;
}

void dists_free(struct dists *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++) {
		free(ds->d[i].dir);
		free(ds->d[i].name);
		free(ds->d[i].norm);
		free(ds->d[i].version);
		free(ds->d[i].raw_version);
		free(ds->d[i].editable);
		free(ds->d[i].direct);
		free(ds->d[i].problem);
		while (ds->d[i].nrequires)
			free(ds->d[i].requires[--ds->d[i].nrequires]);
		free(ds->d[i].requires);
	}
	free(ds->d);
	memset(ds, 0, sizeof *ds);
}
