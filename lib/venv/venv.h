/* venv.h: a virtual environment (PEP 405): its tree, staging, activation, and what it holds. */
#ifndef VENVBOX_VENV_H
#define VENVBOX_VENV_H

#include "py/py.h"

/* ---- venv.c: struct venv: a venv found by one rule and read once from its files ---- */
enum venvcfg {
	CFG_READ,		/* pyvenv.cfg read */
	CFG_NOT_UTF8,		/* read, but site.py fails on it */
	CFG_BINARY,		/* not read: it holds NUL bytes */
	CFG_UNREADABLE,		/* not read: CFG_ERROR says why */
};
struct venv {
	char *dir;		/* absolute, links not resolved (as the scripts record it) */
	struct pycfg cfg;	/* pyvenv.cfg as site.py reads it */
	enum venvcfg cfg_state;
	int cfg_ok;		/* CFG_READ or CFG_NOT_UTF8: the keys below come from it */
	char *cfg_error;	/* CFG_UNREADABLE: why */
	const char *home;	/* in cfg, or NULL (none, or empty) */
	char *executable;	/* the base interpreter, or NULL */
	char version[32];	/* as recorded ("" unknown) */
	int version_bad;	/* recorded, but not a Python version */
	int major, minor;	/* -1 unknown */
	char implementation[32];
	int free_threaded, system_site, relocatable;	/* booleans read as site.py reads them */
	char *prompt;		/* decoded; the venv's name when none is recorded */
	int prompt_recorded;
	char creator[16], creator_version[64];
	char *site_rel, *site;	/* site-packages, relative to dir and absolute */
	int site_ok;		/* it exists, reached without following a link */
	char *site_link;	/* else a link (or a file) on the way to it: what says so, or NULL */
};
enum venvrule {
	VENV_DIR_OR_NEAREST,	/* activate: ENV_DIR, else the nearest .venv */
	VENV_ACTIVE_OR_NEAREST,	/* venvinfo: ENV_DIR, else $VIRTUAL_ENV, else the nearest .venv */
};
char *venv_nearest(void);
char *venv_locate(const char *dir, enum venvrule rule, const char *active, struct err *e);
int venv_open(struct venv *v, const char *dir, struct err *e);	/* -1: not a venv at all */
void venv_close(struct venv *v);
int venv_inside(const char *path, const char *dir);	/* PATH is DIR or below it */
int venv_site_open(const struct venv *v, struct err *e);	/* V's site-packages, reached through no link; or -1 */

/* ---- site.c: the one scanner of site-packages: *.dist-info (and *.egg-info) entries ---- */
struct sitedist {
	char *dir;		/* "pip-23.0.1.dist-info" */
	char *name;		/* as the entry's name gives it: "pip" */
	char *version;		/* "23.0.1", or NULL */
	int egg;		/* legacy .egg-info */
};
struct sitescan {
	struct sitedist *d;	/* sorted by DIR */
	size_t n;
};
/* The entries of the directory SITEFD (left open; WHAT names it in errors); EGGS: the
 * legacy .egg-info ones too. */
int site_scan(struct sitescan *s, int sitefd, const char *what, int eggs, struct err *e);
void site_scan_free(struct sitescan *s);

/* ---- installed.c: what a venv's site-packages already holds ---- */
/* Read once for a run of installs: every distribution's name, .dist-info and RECORD rows (as
 * venv paths), the rows also in path order; a wheel installed meanwhile added (replacing its
 * namesake) from the RECORD written for it. */
struct siteindex {
	struct idist { char *name, *distinfo; size_t first, n; int gone; } *d;
	size_t nd;
	struct irow { char *path, *hash; size_t dist; } *row;
	size_t nrow;
	size_t *bypath;		/* rows in path order: the first NSORTED of them */
	size_t nsorted;
	char *site, *absdir;
	struct pool pool;
};
/* What it means for the wheel NORMNAME: the files of the distribution it replaces, and every
 * other one's (looked up in X, which outlives IN). */
struct installed {
	struct siteindex *x;
	const char *self;	/* NORMNAME */
	const char **old;	/* files of the distribution being replaced (X's strings) */
	size_t nold;
	char *old_distinfo;	/* its .dist-info directory name, or NULL */
};
int installed_index(struct siteindex *x, int venvfd, const char *site, const char *absdir,
		    struct err *e);
int installed_pick(struct installed *in, struct siteindex *x, const char *normname,
		   const struct pyinfo *py);
void installed_index_add(struct siteindex *x, const char *normname, const char *distinfo,
			 const char *record, size_t len);
void installed_index_free(struct siteindex *x);
const char *installed_owner(const struct installed *in, const char *venvpath,
			    const unsigned char *want);
char *installed_venv_path(const char *site, const char *absdir, const char *recpath);
void installed_free(struct installed *in);

/* ---- activation.c: a venv's environment for commands, and code for eval ---- */
char *path_without(const char *path, const char *dir);
char **env_activate(const char *venv, const char *prompt, int subshell);
char **env_deactivate(void);
int exec_command(char **argv, char **envp, struct err *e);	/* returns 126/127 */
int activate_subshell(const char *venv, const char *prompt, struct err *e);
const char *activation_shell(const char *shell, enum shell *kind);
int shell_code(struct buf *out, const char *shell, const char *what, const struct tvar *vars,
	       size_t nvars, struct err *e);

/* ---- tree.c: the PEP 405 tree, as python -m venv of each version makes it ---- */
struct venvopt {
	const char *dir;	/* ENV_DIR as given */
	const char *prompt;	/* --prompt, or NULL */
	int system_site, copies, clear, upgrade, without_pip, upgrade_deps;
	int scm_ignore;		/* write .gitignore */
	int relocatable;
	int utf8_fs;		/* the interpreter's file system encoding would be UTF-8 */
	int fresh;		/* the directory is new and empty: no existing entry to mind */
	const char *command;	/* the `command =` value */
};
int venv_populate(int dirfd, const char *absdir, const struct pyinfo *py,
		  const struct venvopt *o, const char *prompt, struct err *e);
int venv_write_cfg(int dirfd, const struct pyinfo *py, const struct venvopt *o,
		   const char *prompt, struct err *e);
int venv_write_scripts(int dirfd, const char *absdir, const struct pyinfo *py,
		       const struct venvopt *o, const char *prompt, struct err *e);

/* ---- journal.c: renames in a directory, undone newest first when a transaction fails ---- */
struct journal {
	int dirfd;		/* the paths are relative to it */
	int log;		/* each rename written there before it is done, or -1 */
	char **from, **to;	/* each rename done */
	size_t n;
};
void journal_init(struct journal *j, int dirfd);
/* FROM renamed to TO, neither reached through a link: 0; -1 at a fault point or a link (or
 * a missing directory) on the way (E set); 1 the rename failed (errno says why, E is for the
 * caller to say what). */
int journal_move(struct journal *j, const char *from, const char *to, struct err *e);
/* REL renamed to DIR/REL, its parents there made as needed: as journal_move. */
int journal_set_aside(struct journal *j, const char *dir, const char *rel, struct err *e);
void journal_undo(struct journal *j);	/* every rename reversed, newest first */
void journal_free(struct journal *j);	/* what was done stays done */
/* On disk: every rename from now on is first written to the file NAME (in the directory), so
 * that journal_recover can undo them should the process be killed; journal_commit removes
 * it: from then on the renames stand. */
int journal_log(struct journal *j, const char *name, struct err *e);
int journal_commit(struct journal *j, const char *name, struct err *e);
void journal_recover(int dirfd, const char *name);	/* a dead process's NAME undone, removed */
/* An exclusive lock on the directory at FD for installs: 0 taken, 1 another process has it
 * (WAIT 0), -1 error (errno). */
int journal_lock(int fd, int wait);
#define INSTALL_STAGE ".venvbox-install-"	/* + pid: an install's stage inside the venv */

/* ---- stage.c: atomic creation of a venv directory (SPEC §2.5) ---- */
enum stagemode {
	STAGE_NEW,		/* built beside ENV_DIR, renamed into place */
	STAGE_SWAP,		/* --clear: built beside, exchanged with the old one, old removed */
	STAGE_INPLACE,		/* an existing directory (empty, a venv, a mount point, a link) */
	STAGE_INPLACE_CLEAR,	/* --clear where the directory itself must stay: old entries set aside */
};
struct stage {
	enum stagemode mode;
	char *final;		/* absolute ENV_DIR */
	char *parent;		/* its directory */
	char *tmp;		/* staging directory (NEW, SWAP), or the set-aside dir (INPLACE_CLEAR) */
	char *made_parents;	/* the outermost parent directory we created, removed on abort */
	int fd;			/* directory to populate */
	int existed;		/* bit i: top-level entry i existed before (INPLACE) */
	long owner;		/* in place in another user's directory: that user's uid; else -1 */
	struct journal aside;	/* INPLACE_CLEAR: the old entries moved into tmp */
	sigset_t sigsaved;	/* the signal mask to restore */
};
/* On failure of any call, stage_abort() undoes what was done; stage_free() always. */
int stage_begin(struct stage *s, const char *absdir, int clear, struct err *e);
int stage_commit(struct stage *s, struct err *e);
void stage_abort(struct stage *s);
void stage_free(struct stage *s);
/* What --clear in place runs that were killed left in the venv at FD (CLEAR_ASIDE + pid):
 * their old entries put back, their half-made new ones removed; stage_begin does it first. */
void stage_recover(int fd);
/* NAME, beside a venv of base name BASE, left by a mkvenv whose process is gone: 1 its
 * staging directory (".BASE.mkvenv-PID"), 2 the old venv of a --clear killed between two
 * renames (".BASE.mkvenv-PID.old"); else 0. */
int stage_orphan(const char *name, const char *base);
#define CLEAR_ASIDE ".venvbox-old-"	/* + pid: --clear in place: old/, journal, cleared */
void stage_epoch(int fd);	/* SOURCE_DATE_EPOCH on a venv's own top-level entries */
void signals_hold(sigset_t *saved);	/* termination signals wait ... */
void signals_release(const sigset_t *saved);
int signals_pending(void);	/* ... one of them waiting: its number, else 0 */
int signals_stopped(struct err *e);	/* one waiting: -1, E "stopped by SIGTERM" */

/* ---- dists.c: installed distributions (*.dist-info, legacy *.egg-info), read from their
 * metadata headers; distlist.c: shown the way pip list and pip freeze show them ---- */
struct dist {
	char *dir;		/* "pip-23.0.1.dist-info" */
	char *name;		/* METADATA's Name (else from DIR) */
	char *norm;		/* PEP 503 normalized */
	char *version;		/* PEP 440-normalized, as pip shows it (raw when not PEP 440) */
	char *raw_version;	/* as METADATA gives it (pip 24.1+ shows it in its table) */
	char *editable;		/* PEP 610 editable project location, or NULL */
	char *direct;		/* PEP 610 direct reference for pip freeze ("url#sha256=..."), or NULL */
	char *problem;		/* why the metadata could not be used, or NULL */
	int egg;		/* legacy .egg-info */
	int legacy_version;	/* Version is not PEP 440 */
	char **requires;	/* its Requires-Dist values, as written (not for .egg-info) */
	size_t nrequires;
	size_t shadowed;	/* 1 + index of the earlier entry with the same name, or 0 */
	int base;		/* in the base interpreter's own library (PyPy's lib/pypy3.X) */
};
struct dists {
	struct dist *d;		/* sorted by DIR */
	size_t n;
};
int dists_scan(struct dists *ds, const struct venv *v, struct err *e);	/* V's site-packages */
/* And before them, as they come before on sys.path, the distributions in the base
 * interpreter's own library directory: PyPy keeps some there (cffi, greenlet), which pip
 * list and pip freeze show. Nothing when there is none. */
void dists_scan_base(struct dists *ds, const struct venv *v);
void dists_free(struct dists *ds);
/* The distributions pip list shows, in pip list's order (or pip freeze's); to be freed. */
const struct dist **dists_ordered(const struct dists *ds, int freeze_order, size_t *n);
const char *dists_pip_version(const struct dists *ds);	/* pip's own, or NULL */
int dists_freeze_hidden(const struct dist *d, int py_minor, const char *pip_version);
void dists_freeze_line(struct buf *b, const struct dist *d);
void dists_list(struct buf *b, const struct dists *ds, int json);	/* pip list's output */
void dists_freeze(struct buf *b, const struct dists *ds, int json, int all, int py_minor);

/* ---- verify.c: installed files against their RECORD: size, sha256, missing, unlisted ---- */
enum { VF_MODIFIED, VF_MISSING, VF_UNLISTED, VF_UNREADABLE, VF_RECORD };
struct vfinding {
	size_t dist;		/* index in the struct dists */
	int kind;		/* VF_* */
	char *path;		/* relative to the venv */
	char *why;		/* detail, or NULL */
};
struct verify {
	const char *absdir;
	struct vfinding *f;	/* by distribution, then path */
	size_t nf;
	size_t files, hashed;	/* RECORD rows checked; files hashed */
	size_t unchecked;	/* hashed with another algorithm than sha256: size only */
	size_t outside;		/* rows naming files outside the venv: not checked */
	size_t unverifiable;	/* .egg-info distributions: no RECORD */
	size_t walk_errors;	/* directories that could not be searched for unlisted files */
};
int verify_dists(struct verify *v, const char *absdir, const char *site, const struct dists *ds,
		 struct err *e);
void verify_free(struct verify *v);
const char *vfinding_name(int kind);	/* "modified", ... (stable, in README) */

/* ---- hooks.c: what site.py runs at every start: .pth import lines, PEP 829 .start files ---- */
struct hook {
	char *file;		/* its name in site-packages: "x.pth", "x.start" */
	int start;		/* a .start file */
	char **code;		/* the import lines (.pth), the entry points (.start) */
	size_t ncode;
};
struct hooks {
	struct hook *h;		/* by file name, as site.py reads them */
	size_t n;
};
int hooks_scan(struct hooks *hs, const struct venv *v, struct err *e);	/* V's site-packages */
void hooks_free(struct hooks *hs);

/* ---- venvinfo.c: a venv's health from its files (PEP 405), never running Python ---- */
enum vproblem_kind {
	VP_CFG_UNREADABLE, VP_CFG_MALFORMED, VP_INTERPRETER_MISSING, VP_INTERPRETER_NOT_EXECUTABLE,
	VP_INTERPRETER_BROKEN, VP_VERSION_CHANGED, VP_DANGLING_LINK, VP_VENV_INCOMPLETE,
	VP_SITE_MISSING, VP_SITE_UNREADABLE, VP_DIST_METADATA, VP_DIST_DUPLICATE, VP_STALE_STAGING,
	VP_DEPENDENCY_MISSING, VP_DEPENDENCY_VERSION, NVPROBLEM_KINDS
};
struct vproblem {
	enum vproblem_kind kind;
	char *msg;
};
struct vinfo {
	struct venv v;
	char base_version[40];	/* what the venv's interpreter is now ("" unknown) */
	struct vproblem *prob;
	size_t nprob;
	char *fix;		/* the suggested repair, or NULL */
	int checked;
};
int vinfo_open(struct vinfo *vi, const char *dir, struct err *e);	/* -1: not a venv at all */
/* The health checks; DS is NULL when site-packages could not be read (DS_ERR says why). */
void vinfo_check(struct vinfo *vi, const struct dists *ds, const char *ds_err);
void vinfo_free(struct vinfo *vi);
const char *vproblem_name(enum vproblem_kind k);	/* "cfg-unreadable", ... (stable, in README) */

#endif
