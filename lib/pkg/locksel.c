/* locksel.c: the wheels a PEP 751 lock file means for one interpreter, found on this machine.
 * The lock is the whole set: each package whose marker holds is installed, with the wheel of
 * its list whose tags the interpreter ranks highest; nothing is resolved and nothing fetched.
 * The file is the wheel's path (relative to the lock file) or its file: URL when that file is
 * there, else a file of that name in a --find-links directory (how a lock naming an index's
 * URLs is installed offline); its size must agree here, and every hash the lock gives for it
 * on the bytes the install opens (the pick's wantsum). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <limits.h>
#include <sys/stat.h>
#include "pkg/pkg.h"

/* The local path of a file: URL (file:///P, file://localhost/P, file:/P; the scheme in any
 * case), percent-decoded; NULL for any other URL. */
static char *file_url_path(const char *url)
{
	const char *p;

	if (strncasecmp(url, "file:", 5))
		return NULL;
	p = url + 5;
	if (!strncmp(p, "//localhost/", 12))
		p += 11;
	else if (!strncmp(p, "///", 3))
		p += 2;
	else if (p[0] != '/' || p[1] == '/')
		return NULL;	/* file://HOST/...: another machine's */
	return url_unquote(p, strcspn(p, "?#"));
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Where W of the lock in directory LOCKDIR is here, or NULL; TRIED lists where it looked. */
static char *locate(const struct lockwheel *w, const char *lockdir, char *const *dirs, size_t ndirs,
		    struct buf *tried)
{
	char *p = NULL;
	size_t i;

	if (w->path)
		p = w->path[0] == '/' ? xstrdup(w->path) : path_join(lockdir, w->path);
	else if (w->url && !(p = file_url_path(w->url)) && !strncasecmp(w->url, "file:", 5))
		buf_printf(tried, "%s%s (a file: URL not of this machine)", tried->len ? ", " : "", w->url);
	if (p && is_file(p))
		return p;
	if (p)
		buf_printf(tried, "%s%s", tried->len ? ", " : "", p);
	free(p);
	for (i = 0; i < ndirs; i++) {
		p = path_join(dirs[i], w->name);
		if (is_file(p))
			return p;
		free(p);
	}
	return NULL;
}

/* Is PATH of the size W says (when it says)? 0, else -1 and E. Its hashes are checked on the
 * bytes the install opens (struct wantsum), not here: the file could change in between. */
static int check_size(const struct lock *l, const struct lockwheel *w, const char *path, struct err *e)
{
	struct stat st;

	if (w->size < 0)
		return 0;
	if (stat(path, &st) != 0)
		return err_sys(e, "%s:%d: %s", l->what, w->line, path);
	if ((long long)st.st_size != w->size)
		return err_set(e, "%s:%d: %s: %lld bytes, the lock says %lld", l->what, w->line, path,
			       (long long)st.st_size, w->size);
	return 0;
}

/* The pick of W (of the lock L) at PATH, its hashes to be checked when it is opened. */
static void pick_of(struct pick *k, const struct lock *l, const struct lockwheel *w, char *path)
{
	char where[PATH_MAX + 16];
	size_t i;

	memset(k, 0, sizeof *k);
	k->path = path;
	k->name = xstrdup(w->wn.name);
	k->version = xstrdup(w->wn.version);
	k->sum.hash = xmalloc((w->nhash + 1) * sizeof *k->sum.hash);
	for (i = 0; i < w->nhash; i++) {
		k->sum.hash[i] = xmalloc(strlen(w->hash[i].alg) + strlen(w->hash[i].hex) + 2);
		sprintf(k->sum.hash[i], "%s:%s", w->hash[i].alg, w->hash[i].hex);
	}
	k->sum.n = w->nhash;
	k->sum.all = 1;
	snprintf(where, sizeof where, "%s:%d", l->what, w->nhash ? w->hash[0].line : w->line);
	k->sum.where = xstrdup(where);
}

/* The wheel of P to install (its index into P's wheels), or -1 and E saying why none runs. */
static long best_wheel(const struct lock *l, const struct lockpkg *p, const struct pyinfo *py,
		       const struct platform *plat, struct err *e)
{
	struct buf why;
	char t[256];
	long at = -1, best = -1, r;
	size_t i;

	for (i = 0; i < p->nwheel; i++)
		if ((r = tags_rank(p->wheel[i].wn.tags, py, plat)) >= 0 && (best < 0 || r < best)) {
			best = r;
			at = (long)i;
		}
	if (at >= 0)
		return at;
	buf_init(&why);
	for (i = 0; i < p->nwheel; i++) {
		tags_compatible(p->wheel[i].wn.tags, py, plat, t, sizeof t);
		buf_printf(&why, "%s %s (%s)", i ? ";" : "", p->wheel[i].name, t);
	}
	err_set(e, "%s:%d: package %s%s%s has no wheel for Python %s%s on %s: its wheels are%s", l->what, p->line,
		p->name, p->version ? " " : "", p->version ? p->version : "", py->version, py->pypy ? " (PyPy)" : "",
		plat->arch, why.s ? why.s : " none");
	buf_free(&why);
	return -1;
}

/* Do the lock's requires-python and environments admit this interpreter? 0, else -1 and E. */
static int lock_admits(const struct lock *l, const struct pyinfo *py, const struct markerenv *env,
		       struct err *e)
{
	char why[sizeof e->msg];
	struct buf all;
	size_t i;
	int r, holds = 0;

	if (l->requires_python && pep440_match(l->requires_python, py->version, NULL) != 1)
		return err_set(e, "%s:%d: requires-python %s excludes Python %s", l->what, l->rp_line,
			       l->requires_python, py->version);
	if (!l->nenv)
		return 0;
	buf_init(&all);
	for (i = 0; i < l->nenv; i++) {	/* every one read, as uv reads them, before one counts */
		if ((r = marker_eval(l->env[i].s, env, e)) < 0) {
			snprintf(why, sizeof why, "%s", e->msg);
			buf_free(&all);
			return err_set(e, "%s:%d: environments: %s", l->what, l->env[i].line, why);
		}
		holds |= r;
		buf_printf(&all, "%s%s", i ? "; " : "", l->env[i].s);
	}
	if (!holds)
		err_set(e, "%s:%d: none of its environments holds for this interpreter (Python %s on %s): %s",
			l->what, l->env[0].line, py->version, env->v[MK_PLATFORM_MACHINE], all.s);
	buf_free(&all);
	return holds ? 0 : -1;
}

int lock_select(const struct lock *l, const char *lockpath, char *const *dirs, size_t ndirs,
		const struct pyinfo *py, const struct platform *plat, const struct markerenv *env0,
		struct selection *out, struct err *e)
{
	struct markerenv env = *env0;
	struct buf bad, tried;
	char **groups = xmalloc((l->ndefault + 1) * sizeof *groups), *dir = path_dir(lockpath), *path;
	const struct lockpkg **taken = xmalloc((l->npkg + 1) * sizeof *taken);
	size_t i, k, ntaken = 0;
	long at;
	int r, rc = -1;

	buf_init(&bad);
	for (i = 0; i < l->ndefault; i++)	/* no extras asked for: the default groups (PEP 751) */
		groups[i] = l->default_groups[i].s;
	env.extras = NULL;
	env.nextras = 0;
	env.groups = groups;
	env.ngroups = l->ndefault;
	if (lock_admits(l, py, &env, e))
		goto out;
	for (i = 0; i < l->npkg; i++) {
		const struct lockpkg *p = &l->pkg[i];

		if (p->marker && (r = marker_eval(p->marker, &env, e)) != 1) {
			if (r < 0)
				buf_printf(&bad, "%s%s:%d: %s", bad.len ? "; " : "", l->what, p->marker_line, e->msg);
			continue;
		}
		for (k = 0; k < ntaken && strcmp(taken[k]->name, p->name); k++)
			;
		if (k < ntaken) {
			buf_printf(&bad, "%s%s:%d: package %s is also at line %d, and the markers of both hold here",
				   bad.len ? "; " : "", l->what, p->line, p->name, taken[k]->line);
			continue;
		}
		taken[ntaken++] = p;
		if (p->requires_python && pep440_match(p->requires_python, py->version, NULL) != 1) {
			buf_printf(&bad, "%s%s:%d: package %s: requires-python %s excludes Python %s", bad.len ? "; " : "",
				   l->what, p->rp_line, p->name, p->requires_python, py->version);
			continue;
		}
		if (lock_pkg_has_wheels(l, p, e) || (at = best_wheel(l, p, py, plat, e)) < 0) {
			buf_printf(&bad, "%s%s", bad.len ? "; " : "", e->msg);
			continue;
		}
		buf_init(&tried);
		if (!(path = locate(&p->wheel[at], dir, dirs, ndirs, &tried))) {
			buf_printf(&bad, "%s%s:%d: %s: not found (looked at ", bad.len ? "; " : "", l->what,
				   p->wheel[at].line, p->wheel[at].name);
			if (tried.len)
				buf_printf(&bad, "%s, then ", tried.s);
			for (k = 0; k < ndirs; k++)
				buf_printf(&bad, "%s%s", k ? ", " : "", dirs[k]);
			buf_adds(&bad, ndirs ? "): nothing is downloaded, ever" : "no --find-links DIR): nothing is downloaded, ever");
			buf_free(&tried);
			continue;
		}
		buf_free(&tried);
		if (check_size(l, &p->wheel[at], path, e)) {
			buf_printf(&bad, "%s%s", bad.len ? "; " : "", e->msg);
			free(path);
			continue;
		}
		out->p = xgrow(out->p, out->n, sizeof *out->p);
		pick_of(&out->p[out->n++], l, &p->wheel[at], path);
	}
	rc = bad.len ? err_set(e, "%s", bad.s) : 0;
out:
	buf_free(&bad);
	free(groups);
	free(taken);
	free(dir);
	return rc;
}
