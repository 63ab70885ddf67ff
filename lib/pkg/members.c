/* members.c: where each member of a wheel goes in a venv (the binary distribution format's
 * .data categories), and what may not be: unsafe names, links, the venv's own files, two
 * members for one path (or paths differing only in case), a file where a directory must be. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "pkg/pkg.h"

/* Member names: relative, '/'-separated, no empty, '.' or '..' parts, no backslash or
 * control character, not too long. */
static const char *bad_name(const char *s)
{
	const char *p, *c;

	if (strlen(s) >= 4000)
		return "name too long";
	if (s[0] == '/')
		return "absolute path";
	if (strchr(s, '\\'))
		return "backslash in name";
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "control character in name";
	for (p = s; *p; p = *c ? c + 1 : c) {
		c = strchr(p, '/');
		if (!c)
			c = p + strlen(p);
		if (c == p && *c)
			return "empty path component ('//')";
		if ((c - p == 1 && p[0] == '.') || (c - p == 2 && p[0] == '.' && p[1] == '.'))
			return "'.' or '..' in path";
		if (c - p > 255)
			return "path component too long";
	}
	return NULL;
}

/* NAME is below DATADIR/scripts/ */
static int in_scripts(const struct wheel *w, const char *name)
{
	size_t dl = strlen(w->datadir);

	return !strncmp(name, w->datadir, dl) && !strncmp(name + dl, "/scripts/", 9);
}

/* A member below a __pycache__ directory: bytecode, which pypa's installer leaves out (an
 * interpreter trusts what it finds there), and so do we. */
static int in_pycache(const char *name)
{
	const char *p = name, *slash;

	for (; (slash = strchr(p, '/')); p = slash + 1)
		if (slash - p == 11 && !memcmp(p, "__pycache__", 11))
			return 1;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct wfile *)a)->member, ((const struct wfile *)b)->member);
}

struct wfile *wheel_member(const struct wheel *w, const char *name)
{
	struct wfile key = { .member = name };

	return bsearch(&key, w->f, w->nf, sizeof *w->f, by_name);
}

/* Where a member goes, relative to the venv; NULL with E set when it may not go anywhere. */
static const char *destination(struct wheel *w, const char *member, const struct pylayout *vp,
			 int *kind, struct err *e)
{
	size_t dl = strlen(w->datadir);
	const char *rest, *slash;
	char key[16], buf[4400];

	*kind = W_SITE;
	if (strncmp(member, w->datadir, dl) || member[dl] != '/') {	/* most: site/MEMBER */
		size_t sl = strlen(vp->site), ml = strlen(member);

		if (sl + 1 + ml >= sizeof buf)
			ml = sizeof buf - sl - 2;	/* too long to install: wheel_open says so */
		memcpy(buf, vp->site, sl);
		buf[sl] = '/';
		memcpy(buf + sl + 1, member, ml);
		buf[sl + 1 + ml] = 0;
		return pool_strdup(&w->pool, buf);
	}
	rest = member + dl + 1;
	slash = strchr(rest, '/');
	if (!slash || slash - rest >= (long)sizeof key || !slash[1])
		return err_set(e, "%s: entry %s: not inside a .data category", w->path, member), NULL;
	memcpy(key, rest, slash - rest);
	key[slash - rest] = 0;
	rest = slash + 1;
	if (!strcmp(key, "purelib") || !strcmp(key, "platlib")) {
		snprintf(buf, sizeof buf, "%s/%s", vp->site, rest);
	} else if (!strcmp(key, "scripts")) {
		if (strchr(rest, '/'))
			return err_set(e, "%s: entry %s: scripts may not be in subdirectories", w->path, member), NULL;
		*kind = W_SCRIPT;
		snprintf(buf, sizeof buf, "bin/%s", rest);
	} else if (!strcmp(key, "headers")) {	/* pip's in a venv: include/site/pythonX.Y, for
						 * every build (no t, no pypy) */
		const char *xy = vp->lib + strcspn(vp->lib, "0123456789");

		*kind = W_HEADER;
		snprintf(buf, sizeof buf, "include/site/python%.*s/%s/%s", (int)strspn(xy, "0123456789."),
			 xy, w->name, rest);
	} else if (!strcmp(key, "data")) {
		*kind = W_DATA;
		snprintf(buf, sizeof buf, "%s", rest);
	} else {
		return err_set(e, "%s: entry %s: unknown .data category '%s'", w->path, member, key), NULL;
	}
	return pool_strdup(&w->pool, buf);
}


/* strcasecmp (ASCII letters folded, as in the C locale), without a call per character */
static int fold_cmp(const char *a, const char *b)
{
	unsigned char x, y;

	for (;; a++, b++) {
		x = *a;
		y = *b;
		if (x != y) {
			x += (unsigned char)(x - 'A') < 26 ? 32 : 0;
			y += (unsigned char)(y - 'A') < 26 ? 32 : 0;
			if (x != y)
				return x - y;
		}
		if (!x)
			return 0;
	}
}

static int by_dest_fold(const void *a, const void *b)
{
	return fold_cmp(((const struct wfile *const *)a)[0]->dest, ((const struct wfile *const *)b)[0]->dest);
}

/* Two members for one path (also differing only in case), or a file where another member
 * needs a directory. */
static int check_collisions(struct wheel *w, struct err *e)
{
	struct wfile **v = xmalloc((w->nf ? w->nf : 1) * sizeof *v);
	char d[4096], done[4096] = "", *slash;	/* destinations are shorter (wheel_open) */
	size_t i;
	int rc = 0;

	for (i = 0; i < w->nf; i++)
		v[i] = &w->f[i];
	qsort(v, w->nf, sizeof *v, by_dest_fold);
	for (i = 1; i < w->nf && !rc; i++)
		if (!fold_cmp(v[i - 1]->dest, v[i]->dest))
			rc = err_set(e, "%s: entries %s and %s collide (same path, or differing only in case)",
				     w->path, v[i - 1]->member, v[i]->member);
	for (i = 0; i < w->nf && !rc; i++) {
		snprintf(d, sizeof d, "%s", v[i]->dest);
		while (!rc && (slash = strrchr(d, '/'))) {	/* a parent that is also a file */
			struct wfile key = { .dest = d }, *kp = &key, **hit;

			*slash = 0;
			if (!fold_cmp(d, done))
				break;	/* this parent and those above it were checked already */
			hit = bsearch(&kp, v, w->nf, sizeof *v, by_dest_fold);
			if (hit)
				rc = err_set(e, "%s: entry %s is a file where %s needs a directory",
					     w->path, (*hit)->member, v[i]->member);
		}
		snprintf(done, sizeof done, "%s", v[i]->dest);	/* its directory, as the next one's */
		if ((slash = strrchr(done, '/')))
			*slash = 0;
		else
			done[0] = 0;
	}
	free(v);
	return rc;
}

/* An entry point's NAME becomes bin/NAME: one plain file name (not '.', '..', nothing with
 * a '/' or '\\' that would leave bin/, no control character), not one of the venv's own. */
int script_name_check(const struct wheel *w, const char *name, const struct pyinfo *py, struct err *e)
{
	const unsigned char *p;
	char dest[300];

	if (!*name || !strcmp(name, ".") || !strcmp(name, "..") || strlen(name) > 255 || strchr(name, '/'))
		return err_set(e, "%s: entry point name '%s' is not a plain file name in bin/", w->path, name);
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return err_set(e, "%s: entry point name '%s' is not a plain file name in bin/", w->path, name);
	snprintf(dest, sizeof dest, "bin/%s", name);
	if (layout_reserved(dest, py))
		return err_set(e, "%s: entry point %s would replace the venv's own %s", w->path, name, dest);
	return 0;
}

/* Every member placed: a file of W->f, sorted by name, with its destination and mode. */
int wheel_place(struct wheel *w, const struct pyinfo *py, struct err *e)
{
	const char *path = w->path;
	struct pylayout vp;
	size_t i;

	py_layout(py, &vp);
	w->f = xmalloc((w->z.n ? w->z.n : 1) * sizeof *w->f);
	for (i = 0; i < w->z.n; i++) {
		struct zipent *ze = &w->z.ent[i];
		const char *why2 = bad_name(ze->name);
		struct wfile *f;
		size_t n = strlen(ze->name);

		if (n && ze->name[n - 1] == '/') {	/* a directory entry */
			char *d = xstrdup(ze->name);

			d[n - 1] = 0;
			why2 = bad_name(d);
			free(d);
			if (why2)
				return err_set(e, "%s: entry %s: %s", path, ze->name, why2);
			if (in_scripts(w, ze->name) && ze->name[strlen(w->datadir) + 9])	/* not scripts/ itself */
				return err_set(e, "%s: entry %s: scripts may not be in subdirectories", path, ze->name);
			continue;
		}
		if (why2)
			return err_set(e, "%s: entry %s: %s", path, ze->name, why2);
		if (zip_is_symlink(ze))
			return err_set(e, "%s: entry %s: symbolic links are not allowed in wheels", path, ze->name);
		if (zip_unix_type(ze) && zip_unix_type(ze) != S_IFREG)	/* a directory, FIFO, device... */
			return err_set(e, "%s: entry %s: not a regular file (Unix mode %06o)", path, ze->name,
				       (ze->ext_attr >> 16) & 0177777);
		f = &w->f[w->nf];
		memset(f, 0, sizeof *f);
		f->ze = ze;
		f->member = ze->name;
		f->dest = destination(w, ze->name, &vp, &f->kind, e);
		if (!f->dest)
			return -1;
		w->nf++;
		if (strlen(f->dest) >= 4000)
			return err_set(e, "%s: entry %s: installed path too long", path, ze->name);
		if (layout_reserved(f->dest, py))
			return err_set(e, "%s: entry %s would replace the venv's own %s", path, ze->name, f->dest);
		/* the wheel's executable bit, as pip and pypa's installer keep it; a script in an
		 * archive made where there are no Unix modes gets one (the spec allows it) */
		f->mode = (zip_unix_mode(ze) & 0111) || (f->kind == W_SCRIPT && (ze->made_by >> 8) != 3) ? 0755 : 0644;
		if ((f->pycache = in_pycache(ze->name)))
			w->pycache++;
	}
	qsort(w->f, w->nf, sizeof *w->f, by_name);
	for (i = 1; i < w->nf; i++)
		if (!strcmp(w->f[i - 1].member, w->f[i].member))
			return err_set(e, "%s: entry %s appears twice", path, w->f[i].member);
	return check_collisions(w, e);
}
