/* journal.c: renames inside a directory, recorded so that a transaction that fails half
 * way can be undone, newest first (the venv's --clear in place; a wheel moved into a venv).
 * Both sides of every rename are reached without following a link. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "venv/venv.h"

void journal_init(struct journal *j, int dirfd)
{
	memset(j, 0, sizeof *j);
	j->dirfd = dirfd;
}

/* FROM renamed to TO, each in its directory opened without following a link: 0; -1 a
 * directory on the way is missing or a link (E says so); 1 the rename failed (errno). */
static int rename_in(int dirfd, const char *from, const char *to, struct err *e)
{
	const char *bf, *bt;
	int pf = dircache_open(dirfd, from, 0, &bf, e), pt = -1, r = -1, saved;

	if (pf >= 0 && (pt = dircache_open(dirfd, to, 0, &bt, e)) >= 0)
		r = renameat(pf, bf, pt, bt) < 0 ? 1 : 0;
	saved = errno;
	if (pf >= 0)
		close(pf);
	if (pt >= 0)
		close(pt);
	errno = saved;
	return r;
}

int journal_move(struct journal *j, const char *from, const char *to, struct err *e)
{
	int r;

	if (fault_point(e))
		return -1;
	if ((r = rename_in(j->dirfd, from, to, e)))
		return r;
	j->from = xgrow(j->from, j->n, sizeof *j->from);
	j->to = xgrow(j->to, j->n, sizeof *j->to);
	j->from[j->n] = xstrdup(from);
	j->to[j->n] = xstrdup(to);
	j->n++;
	return 0;
}

int journal_set_aside(struct journal *j, const char *dir, const char *rel, struct err *e)
{
	char to[8400];
	struct dircache dc;
	const char *base;
	int r;

	dircache_init(&dc, j->dirfd, 0);
	snprintf(to, sizeof to, "%s/%s", dir, rel);
	r = dircache_parent(&dc, to, 1, &base, e);
	dircache_close(&dc);
	return r < 0 ? -1 : journal_move(j, rel, to, e);
}

void journal_undo(struct journal *j)
{
	while (j->n) {
		j->n--;
		rename_in(j->dirfd, j->to[j->n], j->from[j->n], NULL);
		free(j->from[j->n]);
		free(j->to[j->n]);
	}
}

void journal_free(struct journal *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		free(j->from[i]);
		free(j->to[i]);
	}
	free(j->from);
	free(j->to);
	journal_init(j, -1);
}
