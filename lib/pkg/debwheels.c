/* debwheels.c: Debian's patched ensurepip that, while it builds a venv, copies every wheel
 * of /usr/share/python-wheels into VENV/share/python-wheels (where Debian's de-vendored pip
 * finds its dependencies) and installs its projects from those copies. Debian 11's CPython
 * and Debian 12's PyPy have it. Told from the interpreter's own ensurepip/__init__.py, as
 * text: the scheme is the line that makes that directory, the projects its _PROJECTS list. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pkg/pkg.h"

#define DEB_WHEELS "/usr/share/python-wheels"

/* The first quoted string at or after P and before END, into OUT. */
static const char *quoted(const char *p, const char *end, char *out, size_t n)
{
	const char *q;

	while (p < end && *p != '"' && *p != '\'')
		p++;
	if (p >= end || !(q = memchr(p + 1, *p, end - p - 1)) || (size_t)(q - p - 1) >= n)
		return NULL;
	memcpy(out, p + 1, q - p - 1);
	out[q - p - 1] = 0;
	return q + 1;
}

size_t debwheels_projects(const struct pyinfo *py, char names[][32], size_t max)
{
	struct pylayout vp;
	char path[4200];
	struct buf b;
	const char *p, *end, *item;
	size_t n = 0;
	int depth;

	if (!py->prefix)
		return 0;
	py_layout(py, &vp);
	snprintf(path, sizeof path, "%s/%s/ensurepip/__init__.py", py->prefix, vp.lib);
	buf_init(&b);
	if (file_read(AT_FDCWD, path, 1 << 20, &b, NULL) || !b.s
	    || !strstr(b.s, "'share', 'python-wheels'") || !(p = strstr(b.s, "\n_PROJECTS = [")))
		goto out;
	p += 14;
	if (!(end = strstr(p, "\n]")))
		goto out;
	/* each item: "name", or a tuple whose first string is the name */
	for (depth = 0, item = p; p < end && n < max; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if ((*p == '"' || *p == '\'') && depth <= 1) {
			if (!(item = quoted(p, end, names[n], sizeof names[n])))
				break;
			n++;
			p = item - 1;
			if (depth == 1) {	/* the rest of this tuple */
				while (p < end && *p != ')')
					p++;
				depth = 0;
			}
		}
	}
out:
	buf_free(&b);
	return n;
}

struct debwheel {
	char *file, *project;
	struct pep440 v;
};

/* The project of a wheel's file name as that ensurepip takes it: up to the first '-'. */
static int project_cmp(const void *a, const void *b)
{
	const struct debwheel *x = a, *y = b;
	int c = strcmp(x->project, y->project);

	return c ? c : pep440_cmp(&y->v, &x->v);	/* newest first */
}

/* `{project}-*[.-]py3-*.whl`, the wheels it takes for a project */
static int for_py3(const char *file)
{
	const char *p;

	for (p = strstr(file, "py3-"); p; p = strstr(p + 1, "py3-"))
		if (p > file && (p[-1] == '.' || p[-1] == '-'))
			return 1;
	return 0;
}

int debwheels_copy(int venvfd, struct err *e)
{
	struct debwheel *w = NULL;
	struct wheelname wn;
	struct dirent *de;
	const char *base;
	char *src;
	size_t n = 0, i, k;
	mode_t mask = file_umask();
	int rc = 0, fd = -1;
	DIR *d;

	if (!(d = opendir(DEB_WHEELS)))
		return 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".whl") || wheelname_parse(de->d_name, &wn)
		    || !for_py3(de->d_name))
			continue;
		w = xgrow(w, n, sizeof *w);
		if (pep440_parse(wn.version, &w[n].v))
			pep440_parse("0", &w[n].v);
		w[n].file = xstrdup(de->d_name);
		k = strcspn(de->d_name, "-");
		w[n].project = xmalloc(k + 1);
		memcpy(w[n].project, de->d_name, k);
		w[n].project[k] = 0;
		n++;
	}
	closedir(d);
	if (n)
		qsort(w, n, sizeof *w, project_cmp);
	if (n && (fd = dircache_open(venvfd, "share/python-wheels/", 1, &base, e)) < 0)
		rc = -1;
	for (i = 0; i < n && !rc; i++)	/* the first of each project: its newest */
		if (i == 0 || strcmp(w[i].project, w[i - 1].project)) {
			src = path_join(DEB_WHEELS, w[i].file);
			rc = file_copy(src, fd, w[i].file, 0666 & ~mask, e);
			free(src);
		}
	for (i = 0; i < n; i++) {
		free(w[i].file);
		free(w[i].project);
	}
	if (fd >= 0)
		close(fd);
	free(w);
	return rc;
}
