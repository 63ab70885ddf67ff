/* site.c: the one scanner of a site-packages directory: the *.dist-info entries of its
 * installed distributions (the recording installed projects spec) and, when asked, legacy
 * *.egg-info ones, sorted by name, with the name and version the entry's name gives. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "venv/venv.h"

#define SITE_MAX 100000		/* more distributions than this are not believed */

/* "pip-23.0.1.dist-info" -> "pip", "23.0.1"; "foo.egg-info" -> "foo", NULL. The name has
 * no '-' (the spec escapes it), so the first one ends it. */
static void split_name(struct sitedist *d, size_t suffix)
{
	size_t n = strlen(d->dir) - suffix;
	const char *dash = memchr(d->dir, '-', n), *end;

	d->name = strndup(d->dir, dash ? (size_t)(dash - d->dir) : n);
	if (!d->name)
		abort();
	if (!dash)
		return;
	end = memchr(dash + 1, '-', d->dir + n - dash - 1);
	d->version = strndup(dash + 1, (end ? end : d->dir + n) - dash - 1);
	if (!d->version)
		abort();
}

static int by_dir(const void *a, const void *b)
{
	return strcmp(((const struct sitedist *)a)->dir, ((const struct sitedist *)b)->dir);
}

static void add(struct sitescan *s, const char *dir, int egg)
{
	struct sitedist *d;

	s->d = xgrow(s->d, s->n, sizeof *s->d);
	d = &s->d[s->n++];
	memset(d, 0, sizeof *d);
	d->dir = xstrdup(dir);
	d->egg = egg;
	split_name(d, egg ? 9 : 10);
}

int site_scan(struct sitescan *s, int sitefd, const char *what, int eggs, struct err *e)
{
	struct dirent *de;
	size_t n;
	int fd, egg;
	DIR *d;

	memset(s, 0, sizeof *s);
	fd = openat(sitefd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);	/* its own position */
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		err_sys(e, "%s", what);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((errno = 0, de = readdir(d))) {
		n = strlen(de->d_name);
		egg = eggs && n > 9 && !strcmp(de->d_name + n - 9, ".egg-info");
		if (!egg && !(n > 10 && !strcmp(de->d_name + n - 10, ".dist-info")))
			continue;
		if (s->n >= SITE_MAX) {
			err_set(e, "%s: more than %d distributions", what, SITE_MAX);
			break;
		}
		add(s, de->d_name, egg);
	}
	if (de || errno) {
		if (!de)
			err_sys(e, "%s", what);
		closedir(d);
		site_scan_free(s);
		return -1;
	}
	closedir(d);
	if (s->n)
		qsort(s->d, s->n, sizeof *s->d, by_dir);
	return 0;
}

void site_scan_free(struct sitescan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->d[i].dir);
		free(s->d[i].name);
		free(s->d[i].version);
	}
	free(s->d);
	memset(s, 0, sizeof *s);
}
