/* stage.c: a venv appears whole or not at all. A new one is built in a sibling directory
 * and renamed into place; --clear exchanges the two atomically (renameat2); a directory
 * that must stay where it is (empty, a mount point, a link) is filled in place with
 * pyvenv.cfg written last and every change undone on failure. Termination signals wait
 * until the transaction is over; what a SIGKILL leaves (a staging directory beside, an old
 * venv set aside beside or inside, with its journal) the next run removes or puts back. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "venv/venv.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static const char *const top_entries[] = {
	"bin", "include", "lib", "lib64", ".gitignore", "pyvenv.cfg",
};
#define NTOP (sizeof top_entries / sizeof top_entries[0])

static int rename2(const char *from, const char *to, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

/* Termination signals wait while a transaction is under way (SIGKILL cannot). */
static const int held[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NHELD (sizeof held / sizeof held[0])

void signals_hold(sigset_t *saved)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < NHELD; i++)
		sigaddset(&set, held[i]);
	sigprocmask(SIG_BLOCK, &set, saved);
}

void signals_release(const sigset_t *saved)
{
	sigprocmask(SIG_SETMASK, saved, NULL);
}

int signals_stopped(struct err *e)
{
	int sig = signals_pending();

	if (!sig)
		return 0;
	return err_set(e, "stopped by %s", sig == SIGINT ? "SIGINT" : sig == SIGHUP ? "SIGHUP"
		       : sig == SIGQUIT ? "SIGQUIT" : "SIGTERM");
}

int signals_pending(void)
{
	sigset_t set;
	size_t i;

	if (sigpending(&set) == 0)
		for (i = 0; i < NHELD; i++)
			if (sigismember(&set, held[i]))
				return held[i];
	return 0;
}

static void block_signals(struct stage *s)
{
	signals_hold(&s->sigsaved);
}

static void restore_signals(struct stage *s)
{
	signals_release(&s->sigsaved);
}

int stage_orphan(const char *name, const char *base)
{
	size_t n = strlen(base);
	long pid;
	char *end;

	if (name[0] != '.' || strncmp(name + 1, base, n) || strncmp(name + 1 + n, ".mkvenv-", 8))
		return 0;
	pid = strtol(name + n + 9, &end, 10);
	if ((*end && strcmp(end, ".old")) || pid <= 0 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
		return 0;	/* not a name of ours, or its process is alive */
	return *end ? 2 : 1;
}

/* NAME back as BASE, both in the directory DFD that was read (never a path looked up
 * again: a directory above could be swapped meanwhile), only where nothing is: 1 done. */
static int put_back(int dfd, const char *name, const char *base)
{
	struct stat st;

	if (syscall(SYS_renameat2, dfd, name, dfd, base, RENAME_NOREPLACE) == 0)
		return 1;
	if (errno != EINVAL && errno != ENOSYS)	/* else no NOREPLACE here: look, then rename */
		return 0;
	return fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT
	       && renameat(dfd, name, dfd, base) == 0;
}

/* What killed runs left beside the venv BASE in PARENT: a staging directory is
 * removed; an old venv set aside goes back in place when nothing is there (else the new one
 * is, and it is removed). */
static void recover_beside(const char *parent, const char *base)
{
	struct dirent *de;
	DIR *d = opendir(parent);
	int k;

	while (d && (de = readdir(d))) {
		if (!(k = stage_orphan(de->d_name, base)))
			continue;
		if (k == 2 && put_back(dirfd(d), de->d_name, base))
			continue;
		file_rmtree(dirfd(d), de->d_name, NULL);
	}
	if (d)
		closedir(d);
}

static int make_parents(struct stage *s, struct err *e)
{
	char *p = xstrdup(s->parent), *up;

	/* find the outermost missing ancestor, so abort can remove what we made */
	while (!path_is_dir(p) && strcmp(p, "/")) {
		free(s->made_parents);
		s->made_parents = xstrdup(p);
		up = path_dir(p);
		free(p);
		p = up;
	}
	free(p);
	if (!s->made_parents)
		return 0;
	if (file_mkdirs(AT_FDCWD, s->parent, 0777, e))
		return -1;
	return 0;
}

static int is_mountpoint(const char *dir, const char *parent)
{
	struct stat a, b;

	return stat(dir, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

static int open_dir(const char *path, struct err *e)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		err_sys(e, "%s", path);
	return fd;
}

/* --clear in place: every entry of the directory moves to ASIDE/old/, each rename journaled
 * in ASIDE/journal before it is done; ASIDE/cleared, made once all have gone, says that from
 * then on the top-level entries are the new venv's. ASIDE is CLEAR_ASIDE + our pid. */
static int set_aside(struct stage *s, struct err *e)
{
	char name[64], old[80], log[80], mark[80];
	struct dirent *de;
	const char *base;
	DIR *d;
	int fd, r;

	snprintf(name, sizeof name, "%s%ld", CLEAR_ASIDE, (long)getpid());
	snprintf(old, sizeof old, "%s/old", name);
	snprintf(log, sizeof log, "%s/journal", name);
	snprintf(mark, sizeof mark, "%s/cleared", name);
	if (file_mkdir(s->fd, name, 0700, e))
		return -1;
	s->tmp = xstrdup(name);	/* set only once made: abort removes only what it made */
	journal_init(&s->aside, s->fd);
	if (journal_log(&s->aside, log, e))
		return -1;
	if (!(d = file_entries(s->fd)))
		return err_sys(e, "%s", s->final);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, name))
			continue;
		r = journal_set_aside(&s->aside, old, de->d_name, e);
		if (r) {
			char why[sizeof e->msg];

			closedir(d);
			if (r > 0)
				return err_sys(e, "cannot clear %s/%s", s->final, de->d_name);
			snprintf(why, sizeof why, "%s", e->msg);
			return err_set(e, "cannot clear %s: %s", s->final, why);
		}
	}
	closedir(d);
	if ((fd = dircache_open(s->fd, mark, 0, &base, e)) < 0)
		return -1;
	r = file_mkdir(fd, base, 0700, e);
	close(fd);
	return r;
}

/* NAME is not one of PREFIX... */
static int unprefixed(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) != 0;
}

/* The entries of the directory at FD but those of --clear runs (CLEAR_ASIDE...), removed. */
static void remove_new(int fd)
{
	file_each(fd, unprefixed, CLEAR_ASIDE, NULL);
}

/* A --clear in place undone, this process's or a killed one's (ASIDE in the venv at FD): once
 * all was set aside, every other entry is the new venv's (its seeding's stage too, whose
 * journal must not be replayed on the old venv) and goes; then the journal puts the old
 * entries back. ASIDE without a journal was committed, or had moved nothing: removed. */
static void clear_undo(int fd, const char *aside)
{
	char path[96];
	const char *base;
	struct stat st;
	int afd, logged, cleared, keep;

	snprintf(path, sizeof path, "%s/", aside);
	if ((afd = dircache_open(fd, path, 0, &base, NULL)) < 0)
		return;
	logged = fstatat(afd, "journal", &st, AT_SYMLINK_NOFOLLOW) == 0;
	cleared = fstatat(afd, "cleared", &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (logged && cleared) {
		remove_new(fd);
		cleared = unlinkat(afd, "cleared", AT_REMOVEDIR) < 0;
	}
	if (logged) {
		snprintf(path, sizeof path, "%s/journal", aside);
		journal_recover(fd, path);
	}
	/* old entries that could not go back (neither journal nor mark): left for the user */
	keep = !cleared && unlinkat(afd, "old", AT_REMOVEDIR) < 0 && errno != ENOENT;
	close(afd);
	if (!keep)
		file_rmtree(fd, aside, NULL);
}

/* The new venv stands: the journal goes first (from then on nothing is undone), then the old
 * entries, then the rest (a kill on the way leaves a mark that says to remove it all). */
static int clear_commit(struct stage *s, struct err *e)
{
	char log[80];
	const char *base;
	int afd;

	snprintf(log, sizeof log, "%s/journal", s->tmp);
	if (journal_commit(&s->aside, log, e))
		return -1;
	if ((afd = dircache_open(s->fd, log, 0, &base, NULL)) >= 0) {
		file_rmtree(afd, "old", NULL);
		close(afd);
	}
	file_rmtree(s->fd, s->tmp, NULL);
	return 0;
}

void stage_recover(int fd)
{
	file_each(fd, file_orphan, CLEAR_ASIDE, clear_undo);
}

/* SOURCE_DATE_EPOCH in a directory that is not all ours: only the venv's own entries. */
void stage_epoch(int fd)
{
	size_t i;

	for (i = 0; i < NTOP; i++)
		file_set_epoch(fd, top_entries[i]);
}

/* Is the current directory ABSDIR or below it? */
static int cwd_inside(const char *absdir)
{
	char cwd[PATH_MAX], *real = path_real(absdir);
	size_t n;
	int r = 0;

	if (real && getcwd(cwd, sizeof cwd)) {
		n = strlen(real);
		r = !strncmp(cwd, real, n) && (cwd[n] == '/' || !cwd[n]);
	}
	free(real);
	return r;
}

static int begin_inplace(struct stage *s, struct err *e)
{
	struct stat st;
	size_t i;

	s->fd = open_dir(s->final, e);
	if (s->fd < 0)
		return -1;
	if (fstat(s->fd, &st) == 0 && st.st_uid != geteuid())
		s->owner = st.st_uid;	/* who could change what is written meanwhile */
	for (i = 0; i < NTOP; i++)
		if (fstatat(s->fd, top_entries[i], &st, AT_SYMLINK_NOFOLLOW) == 0)
			s->existed |= 1 << i;
	return s->mode == STAGE_INPLACE_CLEAR ? set_aside(s, e) : 0;
}

/* Before anything: what killed runs on this venv left, undone (beside it, then in it). */
static void recover(struct stage *s)
{
	int fd;

	recover_beside(s->parent, path_base(s->final));
	if ((fd = open(s->final, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		stage_recover(fd);
		close(fd);
	}
}

int stage_begin(struct stage *s, const char *absdir, int clear, struct err *e)
{
	struct stat st;
	struct buf name;
	char *cfg;
	int empty;

	memset(s, 0, sizeof *s);
	s->fd = -1;
	s->owner = -1;
	s->final = xstrdup(absdir);
	s->parent = path_dir(absdir);
	journal_init(&s->aside, -1);
	block_signals(s);
	recover(s);
	if (lstat(absdir, &st) < 0) {
		if (errno != ENOENT)
			return err_sys(e, "%s", absdir);
		s->mode = STAGE_NEW;
	} else if (!path_is_dir(absdir)) {
		return err_set(e, "%s: exists and is not a directory", absdir);
	} else {
		empty = file_dir_is_empty(absdir);
		cfg = path_join(absdir, "pyvenv.cfg");
		if (clear && empty == 0 && access(cfg, F_OK) < 0) {
			free(cfg);
			return err_set(e, "%s: not a virtual environment (no pyvenv.cfg); refusing to clear it", absdir);
		}
		free(cfg);
		if (empty < 0)
			return err_sys(e, "%s", absdir);
		if (!clear || empty)
			s->mode = STAGE_INPLACE;
		else if (S_ISLNK(st.st_mode) || is_mountpoint(absdir, s->parent))
			s->mode = STAGE_INPLACE_CLEAR;
		else
			s->mode = STAGE_SWAP;
	}
	if (s->mode == STAGE_SWAP && cwd_inside(absdir))
		s->mode = STAGE_INPLACE_CLEAR;	/* a shell in the venv keeps a directory */
	if (s->mode == STAGE_INPLACE || s->mode == STAGE_INPLACE_CLEAR)
		return begin_inplace(s, e);
	if (make_parents(s, e))
		return -1;
	buf_init(&name);
	buf_printf(&name, "%s/.%s.mkvenv-%ld", s->parent, path_base(absdir), (long)getpid());
	if (fault_point(e)) {
		buf_free(&name);
		return -1;
	}
	if (mkdir(name.s, 0777) < 0) {
		int saved = errno;

		buf_free(&name);
		errno = saved;
		if (s->mode == STAGE_SWAP && (errno == EACCES || errno == EPERM || errno == EROFS)) {
			s->mode = STAGE_INPLACE_CLEAR;	/* the parent is not ours to write: clear in place */
			return begin_inplace(s, e);
		}
		return err_sys(e, "cannot create %s (its staging directory beside it)", absdir);
	}
	s->tmp = name.s;	/* set only once made: abort removes only what it made */
	s->fd = open(s->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);	/* not a link put there since */
	return s->fd < 0 ? err_sys(e, "cannot create %s (its staging directory %s)", absdir, s->tmp) : 0;
}

int stage_commit(struct stage *s, struct err *e)
{
	struct stat st;
	int r;

	switch (s->mode) {
	case STAGE_NEW:
		file_set_epoch(AT_FDCWD, s->tmp);
		if (fault_point(e))
			return -1;
		r = rename2(s->tmp, s->final, RENAME_NOREPLACE);
		if (r < 0 && errno == EINVAL && access(s->final, F_OK) < 0)
			r = rename(s->tmp, s->final);
		if (r < 0)
			return err_sys(e, "cannot move the new venv into place at %s", s->final);
		break;
	case STAGE_SWAP:
		if (stat(s->final, &st) == 0) {	/* the directory keeps its owner and mode */
			if (fchown(s->fd, st.st_uid, st.st_gid) < 0 && errno != EPERM)
				return err_sys(e, "%s", s->final);
			fchmod(s->fd, st.st_mode & 07777);
		}
		file_set_epoch(AT_FDCWD, s->tmp);
		if (fault_point(e))
			return -1;
		if (rename2(s->tmp, s->final, RENAME_EXCHANGE) < 0) {
			char old[4200];

			if (errno != EINVAL)
				return err_sys(e, "cannot replace %s", s->final);
			/* no atomic exchange on this filesystem: two renames */
			snprintf(old, sizeof old, "%s.old", s->tmp);
			if (rename(s->final, old) < 0)
				return err_sys(e, "cannot replace %s", s->final);
			if (rename(s->tmp, s->final) < 0) {
				err_sys(e, "cannot replace %s", s->final);
				rename(old, s->final);
				return -1;
			}
			rename(old, s->tmp);
		}
		file_rmtree(AT_FDCWD, s->tmp, NULL);	/* the old venv, now out of the way */
		break;
	case STAGE_INPLACE_CLEAR:
		if (clear_commit(s, e))
			return -1;
		/* fall through */
	case STAGE_INPLACE:
		stage_epoch(s->fd);
		break;
	}
	close(s->fd);
	s->fd = -1;
	free(s->tmp);
	s->tmp = NULL;
	restore_signals(s);
	return 0;
}

void stage_abort(struct stage *s)
{
	size_t i;

	switch (s->mode) {
	case STAGE_NEW:
	case STAGE_SWAP:
		if (s->tmp)
			file_rmtree(AT_FDCWD, s->tmp, NULL);
		if (s->made_parents) {	/* empty directories we made on the way */
			char *p = xstrdup(s->parent), *up;

			for (;;) {	/* rmdir removes only what stayed empty */
				rmdir(p);
				if (!strcmp(p, s->made_parents) || !strcmp(p, "/"))
					break;
				up = path_dir(p);
				free(p);
				p = up;
			}
			free(p);
		}
		break;
	case STAGE_INPLACE:
	case STAGE_INPLACE_CLEAR:
		if (s->fd < 0)
			break;
		if (s->mode == STAGE_INPLACE_CLEAR) {
			journal_free(&s->aside);	/* its log closed: read back from the disk */
			if (s->tmp)
				clear_undo(s->fd, s->tmp);
			break;
		}
		for (i = 0; i < NTOP; i++)
			if (!(s->existed & (1 << i)))
				file_rmtree(s->fd, top_entries[i], NULL);
		break;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->tmp);
	s->tmp = NULL;
	restore_signals(s);
}

void stage_free(struct stage *s)
{
	free(s->final);
	free(s->parent);
	free(s->made_parents);
	journal_free(&s->aside);
	memset(s, 0, sizeof *s);
	s->fd = -1;
	s->owner = -1;
}
