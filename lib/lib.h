/* lib.h: the shared library the applets call. Errors are returned, never exited on. */
#ifndef VENVBOX_LIB_H
#define VENVBOX_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#define VENVBOX_VERSION "0.1.0"

/* ---- err.c: an error message travels back to the applet, which prints it ---- */
struct err {
	char msg[8192];
};
int err_set(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));	/* always returns -1 */
int err_sys(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));	/* appends ": strerror(errno)", returns -1 */
void msg_error(const char *applet, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define msg_info msg_error	/* the same format; the name says the intent */

/* ---- cli.c: the command-line conventions every applet shares ---- */
int cli_common(const char *applet, const char *help, const char *arg);	/* 0 handled, -1 not */
int cli_usage(const char *applet, const char *fmt, const char *arg);	/* prints, returns 2 */

/* ---- buf.c: a growable byte string, always NUL-terminated ---- */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
char *xstrdup(const char *s);
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
void *xgrow(void *p, size_t n, size_t size);	/* room to append element N */

/* ---- pool.c: strings freed all at once ---- */
struct pool {
	struct poolblk *blk;	/* NULL: empty */
};
char *pool_strdup(struct pool *p, const char *s);
void pool_free(struct pool *p);

/* ---- fsx.c: filesystem helpers, relative to directory fds, never following links ---- */
int fsx_read_file(int dirfd, const char *path, size_t max, struct buf *out, struct err *e);
int fsx_write_all(int fd, const void *data, size_t len);	/* all of it, through EINTR */
int fsx_write_new(int dirfd, const char *name, const void *data, size_t len,
		  mode_t mode, struct err *e);	/* O_EXCL|O_NOFOLLOW */
int fsx_write_replace(int dirfd, const char *name, const void *data, size_t len,
		      mode_t mode, struct err *e);	/* temp + rename */
int fsx_copy_file(const char *src, int dirfd, const char *name, mode_t mode, struct err *e);
int64_t fsx_copy_fd(int in, int out, uint64_t n);	/* bytes copied, or -1 */
int fsx_mkdir(int dirfd, const char *name, mode_t mode, struct err *e);	/* EEXIST dir ok */
int fsx_mkdirs(int dirfd, const char *path, mode_t mode, struct err *e);
int fsx_rmtree_at(int dirfd, const char *name, struct err *e);	/* no link is followed */
void fsx_remove_orphans(int dirfd, const char *prefix);	/* PREFIX<pid>... of dead processes */
int fsx_dir_is_empty(const char *path);		/* 1 empty, 0 not, -1 error */
int fsx_is_dir(const char *path);		/* follows links */
int fsx_is_exec_file(const char *path);
char *fsx_abspath(const char *path);		/* lexical, from cwd; no link resolved */
char *fsx_realpath(const char *path);		/* NULL on error */
char *fsx_dirname(const char *path);
const char *fsx_basename(const char *path);
char *fsx_join(const char *a, const char *b);
char *fsx_search_path(const char *name, const char *pathvar, const char *skipdir);
const char *fsx_path_env(void);
char *fsx_self(const char *argv0);
void fsx_set_epoch(int dirfd, const char *name);	/* SOURCE_DATE_EPOCH mtimes */
long long fsx_source_date_epoch(void);	/* -1 when unset or invalid */

/* ---- fault.c: fault injection for the atomicity tests (VENVBOX_FAULT=N[:kill|:fail]) ---- */
int fault_point(struct err *e);	/* -1 with an error when the Nth point is reached in fail mode */

/* ---- quote.c: values quoted for the shell that will read them ---- */
enum shell { SHELL_SH, SHELL_FISH, SHELL_CSH, SHELL_PS1, SHELL_PY /* a Python str literal */ };
int quote_shell(struct buf *b, enum shell sh, const char *value, struct err *e);
int quote_check_value(const char *what, const char *value, struct err *e);

/* ---- template.c: the embedded templates and their rendering ---- */
struct template {
	const char *name;	/* file name as installed, e.g. "activate.fish" */
	enum shell shell;
	const char *text;
	size_t len;
	int min_minor;		/* first Python 3.X whose venv writes it in bin/; -1: not there */
};
struct tvar {
	const char *name;
	const char *value;
};
extern const size_t ntemplates;
const struct template *template_at(size_t i);
const struct template *template_find(const char *name);
int template_render(struct buf *out, const struct template *t,
		    const struct tvar *vars, size_t nvars, struct err *e);

/* ---- pyinfo: what we know of a base interpreter ---- */
struct pyinfo {
	char *invoked;		/* absolute path as the user named it (after shim resolution) */
	char *exe;		/* the executable venv links to (invoked, or resolved when needed) */
	char *home;		/* dirname(exe) */
	char *real;		/* realpath(exe) */
	char *prefix;		/* installation prefix (holds lib/pythonX.Y) */
	int major, minor;
	char version[32];	/* X.Y.Z[...] */
	char abiflags[8];	/* "", "t", "d", "m", "td" */
	int bits;		/* 32 or 64 from the ELF class */
	int ran;		/* 1 when the interpreter had to be executed */
	char how[256];		/* how the interpreter was found, for -v */
};
void pyinfo_free(struct pyinfo *py);
/* Find the interpreter named by REQ (path, command name or version; NULL = default). */
int pyfind(const char *req, struct pyinfo *py, int verbose, struct err *e);
/* Resolve a pyenv/asdf shim to the interpreter it would run: 1 resolved, 0 not a shim, -1 error. */
int pyshim_resolve(const char *path, char **out, struct err *e);
/* Read version, ABI flags, prefix, bitness of an installed interpreter without running it. */
int pyinspect(struct pyinfo *py, struct err *e);
int pyinspect_run(struct pyinfo *py, struct err *e);	/* last resort: run it once */
/* The prefix holding lib/pythonX.Y[t]/os.py at or above DIR, as CPython's getpath finds it. */
char *py_search_prefix(const char *dir, int major, int minor, const char *abiflags);

/* ---- zip.c: a strict zip reader (APPNOTE): every header cross-checked, every byte CRC-checked ---- */
struct zipent {
	char *name;		/* validated: non-empty, UTF-8, no NUL */
	uint64_t csize, usize;	/* compressed and uncompressed sizes */
	uint64_t lho, data;	/* offsets of the local header and of the data */
	uint32_t crc, ext_attr;
	uint16_t method, flags, made_by;
};
struct ziplimits {
	uint64_t max_archive, max_total, max_entry, max_ratio, min_ratio_size;
	size_t max_entries, max_name;
};
struct zip {
	const char *path;
	const unsigned char *map;
	uint64_t size;
	struct zipent *ent;	/* in central directory order */
	size_t n;
	char *names;		/* where the entries' names are kept */
	struct stat st;		/* the archive's, when it was opened */
	void *zs;		/* the inflate state, made on first use (a z_stream) */
};
void ziplimits_default(struct ziplimits *l);
/* ---- scan.c: number parsers ---- */
const char *scan_int(const char *s, int *v);
const char *scan_version(const char *s, int v[3]);
int scan_hex(const char *s, int n, unsigned long *v);

/* ---- utf8.c: well-formed UTF-8 ---- */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp);	/* 0: invalid */
int utf8_valid(const unsigned char *s, size_t n);
int zip_open(struct zip *z, const char *path, const struct ziplimits *lim, struct err *e);
void zip_close(struct zip *z);	/* also after a failed zip_open */
void zip_release(struct zip *z);	/* the inflate state only (a copy sharing the map) */
int zip_extract(struct zip *z, const struct zipent *ze,
		int (*sink)(void *ctx, const unsigned char *p, size_t n, struct err *e),
		void *ctx, struct err *e);
int zip_is_symlink(const struct zipent *ze);
unsigned zip_unix_mode(const struct zipent *ze);

/* ---- sha256.c: SHA-256 (FIPS 180-4), with the x86 SHA extensions when the CPU has them ---- */
struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char blk[64];
	size_t n;		/* bytes waiting in blk */
};
void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* ---- sha512.c: SHA-512 and SHA-384 (FIPS 180-4), for RECORDs that use them ---- */
struct sha512 {
	uint64_t h[8];
	uint64_t len;
	unsigned char blk[128];
	size_t n;
	int outlen;		/* 64 or 48 */
};
void sha512_init(struct sha512 *c, int bits);	/* 512 or 384 */
void sha512_update(struct sha512 *c, const void *p, size_t n);
void sha512_final(struct sha512 *c, unsigned char *out);
/* ---- base64.c: the urlsafe alphabet without padding, as wheel RECORD files use (PEP 376/427) ---- */
void b64url_encode(struct buf *b, const unsigned char *p, size_t n);
long b64url_decode(const char *s, size_t n, unsigned char *out, size_t cap);	/* -1 if invalid */

/* ---- pep440.c: versions and version specifiers (PEP 440), for Requires-Python and picking seeds ---- */
struct pep440 {
	unsigned long epoch;
	unsigned long rel[16];	/* release segments */
	int nrel;
	int pre_kind;		/* 0 none, 'a', 'b', 'c' (rc) */
	unsigned long pre;
	long post;		/* -1 none */
	long dev;		/* -1 none */
	char local[64];		/* after '+', normalized, "" none */
};
int pep440_parse(const char *s, struct pep440 *v);	/* 0 ok, -1 invalid */
int pep440_cmp(const struct pep440 *a, const struct pep440 *b);	/* <0, 0, >0 */
void pep440_str(const struct pep440 *v, char *out, size_t n);	/* the normalized form */
/* 1 when VERSION satisfies every clause of SPECS ("", ">=3.8", ">=3.7,!=3.8.*"), 0 when not,
 * -1 (err set) when SPECS is not a valid specifier set. */
int pep440_match(const char *specs, const char *version, struct err *e);	/* -1 also for an invalid VERSION */

/* ---- tags.c: wheel compatibility tags (the platform compatibility tag spec) ---- */
struct platform {
	char arch[16];		/* x86_64, aarch64, i686, ... as in platform tags */
	char libc[8];		/* "glibc", "musl", or "" when unknown */
	int libc_major, libc_minor;	/* glibc 2.36 / musl 1.2 */
};
/* What the interpreter at PATH runs on: its ELF machine, and the C library its PT_INTERP
 * names (and that library's version, read from the file). */
int platform_detect(const char *path, struct platform *p, struct err *e);
/* Can a wheel tagged with the compressed tag set TAGS ("cp311-cp311-manylinux_2_17_x86_64",
 * "py2.py3-none-any") run on PY? 1 yes, 0 no (WHY says which part failed), -1 malformed. */
int tags_compatible(const char *tags, const struct pyinfo *py, const struct platform *plat,
		    char *why, size_t whysz);

/* ---- record.c: RECORD files (CSV rows path,hash,size) ---- */
struct recrow {
	char *path, *hash, *size;
};
struct record {
	struct recrow *row;
	size_t n;
	char *store;		/* the rows' strings */
};
int record_parse(const char *text, size_t len, struct record *r, const char *what, struct err *e);
void record_free(struct record *r);
void record_add_line(struct buf *b, const char *path, const char *hash, const char *size);
void record_hash(struct buf *b, const unsigned char digest[32]);
int record_parse_hash(const char *s, unsigned char digest[32]);	/* sha256 only */
int record_parse_digest(const char *s, unsigned char digest[64], int *bits);	/* sha256/384/512 */

/* ---- rfc822.c: the email-header files of a wheel (WHEEL, METADATA) and entry_points.txt ---- */
/* The value of the first header KEY (case-insensitive) before the body, trimmed; NULL if
 * absent. Continuation lines are joined. The result is allocated. */
char *meta_get(const char *text, size_t len, const char *key);
struct entrypoint {
	char *name, *module, *attr;	/* attr may be "" */
	int gui;
};
/* [console_scripts] and [gui_scripts] of entry_points.txt; -1 (err set) when malformed. */
int entrypoints_parse(const char *text, size_t len, struct entrypoint **out, size_t *n,
		      const char *what, struct err *e);
void entrypoints_free(struct entrypoint *ep, size_t n);

/* ---- wheel.c: a wheel checked completely before anything is written ---- */
enum { W_SITE, W_SCRIPT, W_HEADER, W_DATA };
struct wfile {
	const struct zipent *ze;
	const char *member;	/* name in the archive */
	const char *dest;	/* path relative to the venv (in the wheel's pool) */
	int kind;		/* W_SITE ... */
	unsigned mode;		/* 0644 or 0755 before the umask */
	int listed, hashed;	/* in RECORD; with a hash to check */
	int bits;		/* that hash: SHA-256, -384 or -512 */
	unsigned char want[64];
};
struct wheel {
	const char *path;
	struct zip z;
	char *fname_name, *fname_version;
	char tags[256];
	char *name, *version, *normname, *requires_python;
	char *distinfo, *datadir;	/* "pip-23.0.1.dist-info", "pip-23.0.1.data" */
	int purelib, relax_hash;
	struct wfile *f;	/* members that are files, sorted by name */
	size_t nf;
	struct pool pool;	/* their destinations */
	struct entrypoint *ep;
	size_t nep;
	char sha256[65];	/* the archive's, in hex, with WHEEL_DIGEST; else "" */
	int sha256_remembered;	/* taken from the cache's by-stat/, not computed */
};
#define WHEEL_RELAX 1	/* flags: accept members RECORD does not hash (--allow-missing-hashes) */
#define WHEEL_DIGEST 2	/* and find its cache key (wcache_key) on another thread */
#define WHEEL_OPEN 4	/* the archive is open in W->z already (zip_open, same limits) */
int wheel_open(struct wheel *w, const char *path, const struct pyinfo *py,
	       const struct platform *plat, const struct ziplimits *lim, int flags,
	       struct err *e);
void wheel_close(struct wheel *w);
void wheel_digest(struct wheel *w);	/* fills in sha256 */
char *wheel_normalize(const char *name);
int wheel_reserved(const char *dest, const struct pyinfo *py);

/* ---- installed.c: what a venv's site-packages already holds ---- */
struct owned {
	const char *path;	/* relative to the venv */
	const char *hash;	/* as its RECORD gives it */
	const char *owner;	/* normalized distribution name */
};
struct installed {
	struct owned *owned;	/* files of other distributions, sorted */
	size_t nowned;
	const char **old;	/* files of the distribution being replaced */
	size_t nold;
	char *old_distinfo;	/* its .dist-info directory name, or NULL */
	struct pool pool;	/* the strings above */
};
int installed_scan(struct installed *in, int venvfd, const char *site, const char *absdir,
		   const char *normname, const struct pyinfo *py, struct err *e);
const char *installed_owner(const struct installed *in, const char *venvpath,
			    const unsigned char *want);
char *installed_venv_path(const char *site, const char *absdir, const char *recpath);
void installed_free(struct installed *in);

/* ---- dircache.c: directories below a root, opened and made without following links ---- */
#define DIRCACHE_KEEP 32
struct dircache {
	int root;
	int quiet;		/* making directories is not a fault point (the cache) */
	size_t n;		/* directories open: fd[i] is path up to end[i] */
	int fd[DIRCACHE_KEEP];
	size_t end[DIRCACHE_KEEP];
	struct buf path;	/* the last path's directories, relative to the root */
};
void dircache_init(struct dircache *c, int root, int quiet);
/* The directory PATH lies in, made when CREATE; *BASE is PATH's last component. */
int dircache_parent(struct dircache *c, const char *path, int create, const char **base,
		    struct err *e);
void dircache_close(struct dircache *c);

/* ---- wcache.c: unpacked wheels kept for the next install, checked again on every use ---- */
struct wsig;
struct wcache {
	int dir;		/* the cache, or -1: none */
	int entry;		/* this archive's unpacked files, or -1 */
	int fill;		/* or the entry being made for it, or -1 */
	int link;		/* made with hard links: the venv is on the same filesystem */
	int spoiled, broken;	/* a cached file did not verify; making the entry failed */
	char key[65];		/* SHA-256 of the archive, in hex */
	char fillname[48];
	size_t nf;		/* the wheel's files, which the signatures are numbered by */
	struct wsig *known;	/* KEY.stat: each cached file as last verified, or NULL */
	struct timespec when;	/* only files changed before this are known by it */
	struct timespec begun;	/* when this install began: the new KEY.stat's SINCE */
	struct wsig *seen;	/* as this install verified them, for a new KEY.stat */
	size_t known_copies, hashed_copies;	/* files taken from the entry, either way (hashed:
						 * KEY.stat is written anew) */
	char memo[160];		/* by-stat/ name the key was taken from, or "" */
};
void wcache_begin(struct wcache *c, struct wheel *w, int venvfd, int off);
void wcache_end(struct wcache *c, int installed);
int wcache_wanted(int off);	/* not turned off by OFF (--no-cache) or VENVBOX_NO_CACHE */
void wcache_key(struct wheel *w);	/* W's sha256, remembered or computed */
/* The wheel's file I (MEMBER, SIZE bytes, whose RECORD hash is the SHA-256 WANT, or NULL
 * for another or none) from the cache. 2: unchanged since it was last verified (same inode,
 * size, times) with WANT as its hash, and copied to OUT as it is; else fed to SINK (OUT
 * -1, or not known unchanged): 1 all of it, whether it matches the RECORD is for the caller
 * to see (and wcache_seen to record); 0 none to be had (SINK may have had part); -1 SINK
 * failed. *ST is the cached file's. */
int wcache_feed(struct wcache *c, struct dircache *dc, size_t i, const char *member, uint64_t size,
		const unsigned char *want, int out,
		int (*sink)(void *ctx, const unsigned char *p, size_t n, struct err *e),
		void *ctx, struct stat *st, struct err *e);
void wcache_seen(struct wcache *c, size_t i, const struct stat *st, const unsigned char sha[32]);
void wcache_spoiled(struct wcache *c);	/* a cached file did not verify: drop the entry */
int wcache_filling(const struct wcache *c);
/* Filling: file I (MEMBER, whose content hashes to SHA), written and verified, kept as a
 * hard link to NAME in DIRFD; or, across filesystems, as a copy written through
 * wcache_create/wcache_copy/wcache_close. */
void wcache_keep_link(struct wcache *c, struct dircache *dc, size_t i, const char *member,
		      int dirfd, const char *name, const unsigned char sha[32]);
int wcache_create(struct wcache *c, struct dircache *dc, const char *member);
void wcache_copy(struct wcache *c, int fd, const void *p, size_t n);
void wcache_close(struct wcache *c, size_t i, int fd, const unsigned char sha[32]);

/* ---- install.c: a checked wheel unpacked into a venv, as pip would install it ---- */
struct installopt {
	const char *absdir;	/* the venv's final path (shebangs) */
	int requested;		/* write REQUESTED: the user named this wheel */
	int relocatable;	/* launchers find python beside themselves */
	int direct;		/* the venv itself is being staged: write straight into it */
	int no_cache;		/* neither use nor fill the unpacked-wheel cache */
	int verbose;		/* say where the files came from */
};
int wheel_install(struct wheel *w, int venvfd, const struct pyinfo *py,
		  const struct installopt *o, struct err *e);

/* ---- seed.c: the local wheels a venv is seeded from ---- */
size_t seed_dirs(const struct pyinfo *py, char **links, size_t nlinks, char **out, size_t max);
/* The newest wheel of NAME in DIRS that can run on PY: its path, its archive left open in *Z
 * (to be closed with zip_close, or given to wheel_open with WHEEL_OPEN); or NULL. */
char *seed_find(const char *name, char **dirs, size_t ndirs, const struct pyinfo *py,
		const struct platform *plat, const struct ziplimits *lim, struct zip *z);
struct seedopt {
	char **wheels, **links;	/* --wheel files, --find-links directories */
	size_t nwheels, nlinks;
	int without_pip, upgrade_deps, relocatable, relax_hash;
	int direct;		/* the venv is new and staged */
	int no_cache;		/* --no-cache: unpack every wheel afresh */
	int verbose;		/* -v: say where each wheel's files came from */
	const char *absdir;
	struct wheel *opened;	/* by seed_check: the user's wheels, checked and open */
	struct platform plat;	/* by seed_check: what the interpreter runs on */
	int have_plat;
	char missing[2048];	/* out: where pip was looked for, when it was not found */
	char warn[1024];	/* out: something to tell, not an error */
};
int seed_venv(int venvfd, const struct pyinfo *py, struct seedopt *so, struct err *e);
int seed_check(const struct pyinfo *py, struct seedopt *so, struct err *e);
void seed_done(struct seedopt *so);

/* ---- activation.c: a venv's environment for commands, and code for eval ---- */
int activation_args(const char *applet, const char *help, int argc, char **argv,
		    const char **shell, const char **dir, int allow_dir);
char *venv_nearest(void);
char *venv_locate(const char *dir, struct err *e);
char *venv_prompt(const char *venv);
char *path_without(const char *path, const char *dir);
char **env_activate(const char *venv, const char *prompt, int subshell);
char **env_deactivate(void);
int exec_command(char **argv, char **envp, struct err *e);	/* returns 126/127 */
int activate_subshell(const char *venv, const char *prompt, struct err *e);
const char *activation_shell(const char *shell, enum shell *kind);
int shell_code(struct buf *out, const char *shell, const char *what, const struct tvar *vars,
	       size_t nvars, struct err *e);

/* ---- pycfg.c: pyvenv.cfg, read like site.py, written like venv ---- */
struct cfgent {
	char *key, *value;
};
struct pycfg {
	struct cfgent *ent;
	size_t n;
};
int pycfg_read(int dirfd, const char *name, struct pycfg *c, struct err *e);
const char *pycfg_get(const struct pycfg *c, const char *key);
void pycfg_free(struct pycfg *c);
void py_repr_str(struct buf *b, const char *s);	/* Python's repr() of a str */
char *py_unrepr_str(const char *v);	/* and back; other text as it stands */

/* ---- venv.c: the PEP 405 tree, as python -m venv of each version makes it ---- */
struct venvopt {
	const char *dir;	/* ENV_DIR as given */
	const char *prompt;	/* --prompt, or NULL */
	int system_site, copies, clear, upgrade, without_pip, upgrade_deps;
	int scm_ignore;		/* write .gitignore */
	int relocatable;
	int fresh;		/* the directory is new and empty: no existing entry to mind */
	const char *command;	/* the `command =` value */
};
struct venvpaths {
	char lib[64];		/* lib/pythonX.Y[t] */
	char site[96];		/* lib/pythonX.Y[t]/site-packages */
	char include[64];	/* include/pythonX.Y[flags] ("" before 3.11) */
};
void venv_paths(const struct pyinfo *py, struct venvpaths *p);
int venv_populate(int dirfd, const char *absdir, const struct pyinfo *py,
		  const struct venvopt *o, const char *prompt, struct err *e);
int venv_write_cfg(int dirfd, const struct pyinfo *py, const struct venvopt *o,
		   const char *prompt, struct err *e);
int venv_write_scripts(int dirfd, const char *absdir, const struct pyinfo *py,
		       const struct venvopt *o, const char *prompt, struct err *e);

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
	sigset_t sigsaved;	/* the signal mask to restore */
};
/* On failure of any call, stage_abort() undoes what was done; stage_free() always. */
int stage_begin(struct stage *s, const char *absdir, int clear, struct err *e);
int stage_commit(struct stage *s, struct err *e);
void stage_abort(struct stage *s);
void stage_free(struct stage *s);
void stage_epoch(int fd);
void signals_hold(sigset_t *saved);
void signals_release(const sigset_t *saved);	/* SOURCE_DATE_EPOCH on a venv's own top-level entries */

/* ---- json.c: JSON strings written ASCII-only as Python's json.dumps does (valid for any
 * bytes: invalid UTF-8 becomes U+FFFD), and a small reader (RFC 8259) ---- */
void json_str(struct buf *b, const char *s);	/* "..."; NULL gives null */
void json_strn(struct buf *b, const char *s, size_t n);
int json_utf8_valid(const char *s, size_t n);
int json_valid(const char *text, size_t len);	/* 1 when TEXT is one valid JSON value */
struct jsonval {
	int type;		/* '"', '{', '[', 'n' number, 't', 'f', 'z' null */
	const char *p;		/* its text */
	size_t n;
};
int json_get(const char *text, size_t len, const char *path, struct jsonval *v);	/* "a.b" */
char *json_get_str(const char *text, size_t len, const char *path);	/* decoded, or NULL */

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
	size_t shadowed;	/* 1 + index of the earlier entry with the same name, or 0 */
};
struct dists {
	struct dist *d;		/* sorted by DIR */
	size_t n;
};
int dists_scan(struct dists *ds, const char *site, struct err *e);
void dists_free(struct dists *ds);
/* The distributions pip list shows, in pip list's order (or pip freeze's); to be freed. */
const struct dist **dists_ordered(const struct dists *ds, int freeze_order, size_t *n);
const char *dists_pip_version(const struct dists *ds);	/* pip's own, or NULL */
int dists_freeze_hidden(const struct dist *d, int py_minor, const char *pip_version);
void dists_freeze_line(struct buf *b, const struct dist *d);
void dists_list(struct buf *b, const struct dists *ds, int json);	/* pip list's output */
void dists_freeze(struct buf *b, const struct dists *ds, int json, int all, int py_minor);
char *version_normalize(const char *s);	/* str(packaging Version), NULL when not PEP 440 */
int version_at_least(const char *a, const char *b);	/* PEP 440 A >= B; 0 when either is invalid */

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

/* ---- venvinfo.c: a venv's facts and health from its files (PEP 405), never running Python ---- */
struct vproblem {
	const char *kind;	/* stable: "cfg-unreadable", "interpreter-missing", ... (README) */
	char *msg;
};
struct vinfo {
	char *dir;		/* absolute, links not resolved */
	struct pycfg cfg;
	int cfg_ok;
	const char *home;	/* in cfg, or NULL */
	char *executable;	/* the base interpreter, or NULL */
	char version[32];	/* as recorded ("" unknown) */
	int major, minor;	/* -1 unknown */
	char implementation[32];
	int free_threaded, system_site, relocatable;
	char *prompt;
	char creator[16], creator_version[64];
	char *site_rel, *site;	/* site-packages, relative to dir and absolute */
	int site_ok;		/* it exists */
	char base_version[40];	/* what the venv's interpreter is now ("" unknown) */
	struct vproblem *prob;
	size_t nprob;
	char *fix;		/* the suggested repair, or NULL */
	int checked;
};
char *vinfo_locate(const char *arg, struct err *e);	/* ENV_DIR, $VIRTUAL_ENV, nearest .venv */
int vinfo_open(struct vinfo *vi, const char *dir, struct err *e);	/* -1: not a venv at all */
/* The health checks; DS is NULL when site-packages could not be read (DS_ERR says why). */
void vinfo_check(struct vinfo *vi, const struct dists *ds, const char *ds_err);
void vinfo_free(struct vinfo *vi);
void vinfo_visible(struct buf *b, const char *s);	/* control characters as \xNN */

#endif
