/* hooks.c: a venv's startup hooks: what site.py runs at every start of its interpreter, read
 * from site-packages without running it: the import lines of *.pth files (a line that
 * starts with "import" and a space or tab is executed) and PEP 829's *.start files (each
 * line an entry point called at start-up). Names starting with '.' are skipped, as site.py
 * skips them; files are listed in name order, the order site.py reads them in. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "venv/venv.h"

#define HOOKS_MAX 10000		/* more files than this are not read */
#define HOOK_FILE_MAX (64u << 20)	/* nor more of one file than this */

static int by_file(const void *a, const void *b)
{
	return strcmp(((const struct hook *)a)->file, ((const struct hook *)b)->file);
}

/* The lines of TEXT that run code: START's every line but blanks and comments, a .pth
 * file's import lines. */
static void code_lines(struct hook *h, const struct buf *text)
{
	const char *p = text->s ? text->s : "", *end = p + text->len, *nl;
	size_t n;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		n = nl - p;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (h->start ? n && p[strspn(p, " \t")] != '#' && strspn(p, " \t") < n
			     : n > 7 && !memcmp(p, "import", 6) && (p[6] == ' ' || p[6] == '\t')) {
			h->code = xgrow(h->code, h->ncode, sizeof *h->code);
			h->code[h->ncode++] = strndup(p, n);
			if (!h->code[h->ncode - 1])
				abort();
		}
	}
}

int hooks_scan(struct hooks *hs, const struct venv *v, struct err *e)
{
	struct dirent *de;
	struct buf text;
	struct hook h;
	int fd;
	size_t n;
	DIR *d;

	memset(hs, 0, sizeof *hs);
	if ((fd = venv_site_open(v, e)) < 0)
		return -1;
	if (!(d = file_entries(fd))) {
		err_sys(e, "%s", v->site);
		close(fd);
		return -1;
	}
	buf_init(&text);
	while ((errno = 0, de = readdir(d)) && hs->n < HOOKS_MAX) {
		n = strlen(de->d_name);
		memset(&h, 0, sizeof h);
		h.start = n > 6 && !strcmp(de->d_name + n - 6, ".start");
		if (de->d_name[0] == '.' || (!h.start && !(n > 4 && !strcmp(de->d_name + n - 4, ".pth"))))
			continue;
		if (file_read(fd, de->d_name, HOOK_FILE_MAX, &text, NULL) < 0)
			continue;	/* unreadable, or not a regular file: site.py skips it too */
		code_lines(&h, &text);
		if (!h.ncode)
			continue;	/* a .pth file of paths only, a .start file of comments */
		h.file = xstrdup(de->d_name);
		hs->h = xgrow(hs->h, hs->n, sizeof *hs->h);
		hs->h[hs->n++] = h;
	}
	buf_free(&text);
	closedir(d);
	close(fd);
	if (hs->n)
		qsort(hs->h, hs->n, sizeof *hs->h, by_file);
	return 0;
}

void hooks_free(struct hooks *hs)
{
	size_t i, k;

	for (i = 0; i < hs->n; i++) {
		for (k = 0; k < hs->h[i].ncode; k++)
			free(hs->h[i].code[k]);
		free(hs->h[i].code);
		free(hs->h[i].file);
	}
	free(hs->h);
	memset(hs, 0, sizeof *hs);
}
