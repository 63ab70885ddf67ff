/* closure.c: every Requires-Dist of a set of wheels (its marker evaluated for the target
 * interpreter with the extras asked of that wheel) met by the set itself plus what the venv
 * keeps; nothing is resolved: what is missing is said, in pip check's words. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkg/pkg.h"

struct extras {
	char **x;		/* normalized */
	size_t n;
};

static int extras_add(struct extras *s, const char *name)
{
	char *norm = name_normalize(name);
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->x[i], norm)) {
			free(norm);
			return 0;
		}
	s->x = xgrow(s->x, s->n, sizeof *s->x);
	s->x[s->n++] = norm;
	return 1;
}

static void say(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One unmet requirement more in B, after "; " when there are others. */
static void say(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	buf_adds(b, b->len ? "; " : " ");
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Wheel I's requirement R holds for the interpreter, with its extras: 1, 0, -1 (E). */
static int applies(const struct pep508 *r, const struct extras *x, const struct markerenv *env,
		   struct err *e)
{
	struct markerenv m = *env;

	if (!r->marker[0])
		return 1;
	m.extras = x->x;
	m.nextras = x->n;
	return marker_eval(r->marker, &m, e);
}

/* The index of the wheel named NAME (normalized), or -1. */
static long wheel_index(struct wheel *const *w, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(w[i]->normname, name))
			return (long)i;
	return -1;
}

int closure_check(struct wheel *const *w, size_t n, char **const *extras, const size_t *nextras,
		  const struct have *have, size_t nhave, const struct markerenv *env, struct err *e)
{
	struct extras *x = xmalloc((n ? n : 1) * sizeof *x);
	struct pep508 r;
	struct err why;
	struct buf bad;
	size_t i, k, j, pass;
	long at;
	int changed = 1, ok;

	memset(x, 0, (n ? n : 1) * sizeof *x);
	for (i = 0; i < n; i++)
		for (k = 0; extras && k < nextras[i]; k++)
			extras_add(&x[i], extras[i][k]);
	/* the extras one wheel asks of another, until no more are asked */
	for (pass = 0; changed && pass < 32; pass++) {
		changed = 0;
		for (i = 0; i < n; i++)
			for (k = 0; k < w[i]->nrequires_dist; k++) {
				if (pep508_parse(w[i]->requires_dist[k], &r, &why) || !r.nextras
				    || applies(&r, &x[i], env, &why) != 1)
					continue;
				char *norm = name_normalize(r.name);

				at = wheel_index(w, n, norm);
				free(norm);
				for (j = 0; at >= 0 && j < (size_t)r.nextras; j++)
					changed |= extras_add(&x[at], r.extra[j]);
			}
	}
	buf_init(&bad);
	for (i = 0; i < n; i++)
		for (k = 0; k < w[i]->nrequires_dist; k++) {
			const char *rd = w[i]->requires_dist[k], *ver = NULL, *tname = NULL;
			char *norm;

			if (pep508_parse(rd, &r, &why)) {
				say(&bad, "%s %s has an invalid Requires-Dist '%s': %s", w[i]->name,
				    w[i]->version, rd, why.msg);
				continue;
			}
			ok = applies(&r, &x[i], env, &why);
			if (ok < 0)
				say(&bad, "%s %s: Requires-Dist '%s': %s", w[i]->name, w[i]->version,
				    rd, why.msg);
			if (ok != 1)
				continue;
			norm = name_normalize(r.name);
			if ((at = wheel_index(w, n, norm)) >= 0) {
				ver = w[at]->version;
				tname = w[at]->name;
			}
			for (j = 0; !ver && j < nhave; j++)
				if (!strcmp(have[j].name, norm)) {
					ver = have[j].version;
					tname = have[j].name;
				}
			free(norm);
			if (!ver)
				say(&bad, "%s %s requires %s%s, which is not in the set", w[i]->name,
				    w[i]->version, r.name, r.spec);
			else if (r.spec[0] && pep440_match(r.spec, ver, NULL) != 1)
				say(&bad, "%s %s has requirement %s%s, but the set has %s %s",
				    w[i]->name, w[i]->version, r.name, r.spec, tname, ver);
		}
	for (i = 0; i < n; i++) {
		for (k = 0; k < x[i].n; k++)
			free(x[i].x[k]);
		free(x[i].x);
	}
	free(x);
	if (!bad.len)
		return 0;
	err_set(e, "unmet dependencies (venvbox installs what it is given and resolves nothing; "
		"add them, or say --no-deps):%s", bad.s);

	buf_free(&bad);
	return -1;
}
