/* distlist.c: installed distributions rendered in pip's own formats: pip list's order and
 * table (and its --format=json text), pip freeze's order, lines and the tools it leaves out.
 * A format of its own (another tool's output, byte for byte), so it stays beside the data
 * and the applet only writes it out. The facts about pip's output are from its documented
 * behaviour and observed output. */
#include <stdlib.h>
#include <string.h>
#include "venv/venv.h"

/* Width in characters (UTF-8 code points), as Python's len() counts them for pip's table. */
static size_t width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void cell(struct buf *b, const char *s, size_t w, int last)
{
	size_t n = width(s);

	buf_adds(b, s);
	while (!last && n++ < w)
		buf_addc(b, ' ');
}

/* pip list's order (the normalized name), and pip freeze's (the name, lower-cased). */
static int by_norm(const void *a, const void *b)
{
	const struct dist *x = *(const struct dist *const *)a, *y = *(const struct dist *const *)b;

	return strcmp(x->norm, y->norm);
}

static int by_lower(const void *a, const void *b)
{
	const unsigned char *x = (const unsigned char *)(*(const struct dist *const *)a)->name;
	const unsigned char *y = (const unsigned char *)(*(const struct dist *const *)b)->name;
	int cx, cy;

	for (;; x++, y++) {
		cx = *x >= 'A' && *x <= 'Z' ? *x + 32 : *x;
		cy = *y >= 'A' && *y <= 'Z' ? *y + 32 : *y;
		if (cx != cy || !cx)
			return cx - cy;
	}
}

/* What pip list shows: not shadowed, not the names pip treats as part of the stdlib. */
static int listed(const struct dist *d)
{
	return !d->shadowed && strcmp(d->norm, "python") && strcmp(d->norm, "wsgiref")
	       && strcmp(d->norm, "argparse");
}

const struct dist **dists_ordered(const struct dists *ds, int freeze_order, size_t *n)
{
	const struct dist **v = xmalloc((ds->n + 1) * sizeof *v);
	size_t i;

	*n = 0;
	for (i = 0; i < ds->n; i++)
		if (listed(&ds->d[i]))
			v[(*n)++] = &ds->d[i];
	qsort(v, *n, sizeof *v, freeze_order ? by_lower : by_norm);
	return v;
}

/* The version of pip installed among DS, or NULL: what it shows depends on it. */
const char *dists_pip_version(const struct dists *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		if (!ds->d[i].shadowed && !strcmp(ds->d[i].norm, "pip"))
			return ds->d[i].version;
	return NULL;
}


/* pip freeze hides the tools it considers its own: pip always; setuptools, distribute,
 * wheel (and pkg-resources) before Python 3.12, and always with a pip older than 23.2. */
int dists_freeze_hidden(const struct dist *d, int py_minor, const char *pip_version)
{
	int old_pip = pip_version && !pep440_at_least(pip_version, "23.2");

	if (!strcmp(d->norm, "pip"))
		return 1;
	if (!strcmp(d->norm, "pkg-resources"))
		return old_pip;
	if (strcmp(d->norm, "setuptools") && strcmp(d->norm, "distribute") && strcmp(d->norm, "wheel"))
		return 0;
	return old_pip || py_minor < 12;
}

/* The lines pip freeze writes for D. */
void dists_freeze_line(struct buf *b, const struct dist *d)
{
	if (d->editable) {
		buf_printf(b, "# Editable install with no version control (%s%s%s)\n-e %s", d->name,
			   d->legacy_version ? "===" : "==", d->version, d->editable);
		return;
	}
	if (d->direct)
		buf_printf(b, "%s @ %s", d->name, d->direct);
	else
		buf_printf(b, "%s%s%s", d->name, d->legacy_version ? "===" : "==", d->version);
}

/* The listing of pip list (its table, or --format=json's text, byte for byte). */
void dists_list(struct buf *b, const struct dists *ds, int json)
{
	const char *pipv = dists_pip_version(ds);
	const struct dist **v;
	struct buf *col;
	size_t n, i, c, w[3] = { 7, 7, 25 }, ncol = 2;
	int raw = !pipv || pep440_at_least(pipv, "24.1");	/* its table shows METADATA's version since */

	v = dists_ordered(ds, 0, &n);
	if (json) {
		buf_addc(b, '[');
		for (i = 0; i < n; i++) {
			buf_adds(b, i ? ", {\"name\": " : "{\"name\": ");
			json_str(b, v[i]->name);
			buf_adds(b, ", \"version\": ");
			json_str(b, v[i]->version);
			if (v[i]->editable) {
				buf_adds(b, ", \"editable_project_location\": ");
				json_str(b, v[i]->editable);
			}
			buf_addc(b, '}');
		}
		buf_adds(b, "]\n");
		free((void *)v);
		return;
	}
	col = xmalloc((3 * n + 1) * sizeof *col);
	for (i = 0; i < n; i++) {
		for (c = 0; c < 3; c++)
			buf_init(&col[3 * i + c]);
		utf8_visible(&col[3 * i], v[i]->name);
		utf8_visible(&col[3 * i + 1], raw ? v[i]->raw_version : v[i]->version);
		utf8_visible(&col[3 * i + 2], v[i]->editable ? v[i]->editable : "");
		for (c = 0; c < 3; c++)
			buf_add(&col[3 * i + c], "", 0);
		ncol = v[i]->editable ? 3 : ncol;
	}
	for (i = 0; i < n; i++)
		for (c = 0; c < ncol; c++)
			if (width(col[3 * i + c].s) > w[c])
				w[c] = width(col[3 * i + c].s);
	if (n) {	/* pip's table: header, dashes, rows; cells padded, lines right-trimmed */
		cell(b, "Package", w[0], 0);
		buf_addc(b, ' ');
		cell(b, "Version", w[1], ncol == 2);
		if (ncol == 3)
			buf_adds(b, " Editable project location");
		buf_addc(b, '\n');
		for (c = 0; c < ncol; c++) {
			buf_adds(b, c ? " " : "");
			for (i = 0; i < w[c]; i++)
				buf_addc(b, '-');
		}
		buf_addc(b, '\n');
	}
	for (i = 0; i < n; i++) {
		cell(b, col[3 * i].s, w[0], 0);
		buf_addc(b, ' ');
		cell(b, col[3 * i + 1].s, w[1], ncol == 2 || !*col[3 * i + 2].s);
		if (ncol == 3 && *col[3 * i + 2].s) {
			buf_addc(b, ' ');
			buf_adds(b, col[3 * i + 2].s);
		}
		while (b->len && b->s[b->len - 1] == ' ')
			b->s[--b->len] = 0;
		buf_addc(b, '\n');
		for (c = 0; c < 3; c++)
			buf_free(&col[3 * i + c]);
	}
	free(col);
	free((void *)v);
}

/* pip freeze's lines, or with JSON a list of {"name", "version", "requirement"}. */
void dists_freeze(struct buf *b, const struct dists *ds, int json, int all, int py_minor)
{
	const char *pipv = dists_pip_version(ds);
	const struct dist **v;
	struct buf line;
	char *s, *nl;
	size_t n, i, k = 0;

	v = dists_ordered(ds, 1, &n);
	buf_init(&line);
	if (json)
		buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (!all && dists_freeze_hidden(v[i], py_minor, pipv))
			continue;
		buf_reset(&line);
		dists_freeze_line(&line, v[i]);
		if (json) {
			buf_adds(b, k++ ? ", {\"name\": " : "{\"name\": ");
			json_str(b, v[i]->name);
			buf_adds(b, ", \"version\": ");
			json_str(b, v[i]->version);
			buf_adds(b, ", \"requirement\": ");
			json_str(b, v[i]->editable ? strrchr(line.s, '\n') + 1 : line.s);
			buf_addc(b, '}');
			continue;
		}
		for (s = line.s; (nl = strchr(s, '\n')); s = nl + 1) {	/* an editable's comment */
			*nl = 0;
			utf8_visible(b, s);
			buf_addc(b, '\n');
		}
		utf8_visible(b, s);
		buf_addc(b, '\n');
	}
	if (json)
		buf_adds(b, "]\n");
	buf_free(&line);
	free((void *)v);
}
