/* journal.c: renames inside a directory, recorded so that a transaction that fails half
 * way can be undone, newest first (the venv's --clear in place; wheels moved into a venv).
 * Kept in memory, and for installs also on disk, each rename written before it is done
 * (FROM NUL TO NUL), so that what a killed process did can be undone by the next one; and
 * the lock that keeps two installs out of one venv at once (flock on the directory).
 * Both sides of every rename are reached without following a link. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "venv/venv.h"

void journal_init(struct journal *j, int dirfd)
{
	memset(j, 0, sizeof *j);
	j->dirfd = dirfd;
	j->log = -1;
}

int journal_log(struct journal *j, const char *name, struct err *e)
{
	const char *base;
	int dfd;

	if (fault_point(e) || (dfd = dircache_open(j->dirfd, name, 0, &base, e)) < 0)
		return -1;
	j->log = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	close(dfd);
	return j->log < 0 ? err_sys(e, "cannot create an undo journal") : 0;
}

/* NAME, the journal of a transaction, removed: 0, or -1 with errno */
static int unlink_log(int dirfd, const char *name)
{
	const char *base;
	int dfd = dircache_open(dirfd, name, 0, &base, NULL), r;

	if (dfd < 0)
		return -1;
	r = unlinkat(dfd, base, 0);
	close(dfd);
	return r;
}

/* FROM and TO, as one record at the end of the log: all of it there, or no rename done. */
static int log_move(struct journal *j, const char *from, const char *to, struct err *e)
{
	size_t a = strlen(from) + 1, b = strlen(to) + 1;
	char *rec = xmalloc(a + b);
	int r;

	memcpy(rec, from, a);
	memcpy(rec + a, to, b);
	r = file_write_all(j->log, rec, a + b);
	free(rec);
	return r < 0 ? err_sys(e, "cannot write the undo journal before moving %s", to) : 0;
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
	if (j->log >= 0 && log_move(j, from, to, e))
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

/* TO back to FROM, if that rename was done and not undone yet: a journal on disk may hold a
 * last rename that was written and never done, or be undone a second time. */
static void move_back(int dirfd, const char *from, const char *to)
{
	const char *bf, *bt;
	struct stat st;
	int pf = dircache_open(dirfd, from, 0, &bf, NULL), pt = -1;

	if (pf >= 0 && (pt = dircache_open(dirfd, to, 0, &bt, NULL)) >= 0
	    && fstatat(pf, bf, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT
	    && fstatat(pt, bt, &st, AT_SYMLINK_NOFOLLOW) == 0)
		renameat(pt, bt, pf, bf);
	if (pf >= 0)
		close(pf);
	if (pt >= 0)
		close(pt);
}

void journal_undo(struct journal *j)
{
	while (j->n) {
		j->n--;
		move_back(j->dirfd, j->from[j->n], j->to[j->n]);
		free(j->from[j->n]);
		free(j->to[j->n]);
	}
}

int journal_commit(struct journal *j, const char *name, struct err *e)
{
	if (fault_point(e))
		return -1;
	if (j->log >= 0)
		close(j->log);
	j->log = -1;
	return unlink_log(j->dirfd, name) < 0 ? err_sys(e, "cannot remove the undo journal") : 0;
}

void journal_recover(int dirfd, const char *name)
{
	struct buf b;
	char **rec = NULL, *p, *end;
	size_t n = 0;

	const char *base;
	int dfd = dircache_open(dirfd, name, 0, &base, NULL);

	buf_init(&b);
	if (dfd >= 0 && file_read_flags(dfd, base, O_NOFOLLOW, (size_t)1 << 30, &b, NULL) == 0) {
		for (p = b.s, end = b.s + b.len; p < end; p += strlen(p) + 1) {
			char *nul = memchr(p, 0, end - p);

			if (!nul || !memchr(nul + 1, 0, end - nul - 1))
				break;	/* a record cut short: its rename was never done */
			rec = xgrow(rec, n, sizeof *rec);
			rec[n++] = p;
			p = nul + 1;
		}
		while (n--)
			move_back(dirfd, rec[n], rec[n] + strlen(rec[n]) + 1);
		unlinkat(dfd, base, 0);
	}
	if (dfd >= 0)
		close(dfd);
	free(rec);
	buf_free(&b);
}

int journal_lock(int fd, int wait)
{
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0)
		if (errno != EINTR)
			return !wait && errno == EWOULDBLOCK ? 1 : -1;
	return 0;
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
	if (j->log >= 0)
		close(j->log);
	journal_init(j, -1);
}
