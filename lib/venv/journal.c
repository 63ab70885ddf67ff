/* journal.c: renames inside a directory, recorded so that a transaction that fails half
 * way can be undone, newest first (the venv's --clear in place; a wheel moved into a venv). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "venv/venv.h"

void journal_init(struct journal *j, int dirfd)
{
	memset(j, 0, sizeof *j);
	j->dirfd = dirfd;
}

int journal_move(struct journal *j, const char *from, const char *to, struct err *e)
{
	if (fault_point(e))
		return -1;
	if (renameat(j->dirfd, from, j->dirfd, to) < 0)
		return 1;
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
		renameat(j->dirfd, j->to[j->n], j->dirfd, j->from[j->n]);
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
