/* pkg.h: wheels (the binary distribution format) checked, cached and installed into a venv, and seeding. */
#ifndef VENVBOX_PKG_H
#define VENVBOX_PKG_H

#include "venv/venv.h"

/* ---- wheel.c: a wheel checked completely before anything is written ---- */
enum { W_SITE, W_SCRIPT, W_HEADER, W_DATA };
struct wfile {
	const struct zipent *ze;
	const char *member;	/* name in the archive */
	const char *dest;	/* path relative to the venv (in the wheel's pool) */
	int kind;		/* W_SITE ... */
	unsigned mode;		/* 0644 or 0755 before the umask */
	int listed, hashed;	/* in RECORD; with a hash to check */
	int pycache;		/* below a __pycache__ directory: checked, never written */
	int bits;		/* that hash: SHA-256, -384 or -512 */
	unsigned char want[64];
};
struct wheel {
	const char *path;
	struct zip z;
	char *fname_name, *fname_version;
	char tags[256];
	char *name, *version, *normname, *requires_python;
	char **requires_dist;	/* every Requires-Dist of METADATA, as written */
	size_t nrequires_dist;
	char *distinfo, *datadir;	/* "pip-23.0.1.dist-info", "pip-23.0.1.data" */
	int purelib, relax_hash;
	char wheel_version[16];	/* its Wheel-Version when newer than 1.0 (a warning), else "" */
	size_t pycache;		/* members in __pycache__ directories: checked, not installed */
	struct wfile *f;	/* members that are files, sorted by name */
	size_t nf;
	struct pool pool;	/* their destinations */
	struct entrypoint *ep;
	size_t nep;
};
#define WHEEL_RELAX 1	/* flags: accept members RECORD does not hash (--allow-missing-hashes) */
#define WHEEL_OPEN 2	/* the archive is open in W->z already (zip_open, same limits) */
/* wheel_start, then wheel_check; W is to be closed with wheel_close whatever the outcome. */
int wheel_open(struct wheel *w, const char *path, const struct pyinfo *py,
	       const struct platform *plat, const struct ziplimits *lim, int flags,
	       struct err *e);
/* The file name taken apart and the archive opened (W->z may be read from here on) ... */
int wheel_start(struct wheel *w, const char *path, const struct ziplimits *lim, int flags,
		struct err *e);
/* ... and everything else checked. */
int wheel_check(struct wheel *w, const struct pyinfo *py, const struct platform *plat,
		struct err *e);
void wheel_close(struct wheel *w);
/* The METADATA of the open archive Z (its top-level .dist-info's) into META, unchecked, to
 * look at a candidate before choosing it: 0, or -1 when there is none to be read. */
int wheel_peek_metadata(struct zip *z, struct buf *meta);
/* members.c, for wheel_check: W->f made (its members placed in the venv PY makes), or E */
int wheel_place(struct wheel *w, const struct pyinfo *py, struct err *e);
struct wfile *wheel_member(const struct wheel *w, const char *name);	/* or NULL */
/* 0 when the entry point NAME may be bin/NAME in the venv PY makes; else -1 and E */
int script_name_check(const struct wheel *w, const char *name, const struct pyinfo *py, struct err *e);

/* ---- wkey.c: the cache's directory, and the keys its entries are known by ---- */
struct wkey {
	char sha256[65];	/* the archive's SHA-256 in hex, or "": not known yet */
	int remembered;		/* taken from the cache's by-stat/, not computed */
};
void wkey_digest(const struct zip *z, struct wkey *k);	/* computed: Z's bytes hashed */
/* K for Z, unless known: remembered in the cache at CACHEDIR (may be NULL), else computed.
 * Reads only Z's map and stat: it may run on another thread while Z is checked. */
void wkey_find(const char *cachedir, const struct zip *z, struct wkey *k);
void wkey_memo_name(const struct stat *st, char *out, size_t n);
void wkey_forget(int dir, const char *memo);	/* the installer's side: */
void wkey_prune(int dir);
void wkey_remember(int dir, const struct zip *z, const struct wkey *k);
/* The cache at PATH, opened (made when MAKE), or -1: E says why it is not used ("": not there yet) */
int wcache_dir(const char *path, int make, struct err *e);

/* ---- wsig.c: a cached file known by its signature (inode, size, times) once hashed ---- */
struct wsig;
struct wsig *wsig_load(int dir, const char *key, size_t n);	/* KEY.sig's N rows, or none known */
void wsig_free(struct wsig *g);
int wsig_same(const struct stat *a, const struct stat *b, int linking);	/* unchanged (ctime too unless LINKING) */
/* Row I vouches for the file ST (as linking, or copying, trusts it), checked against WANT:
 * 1, and SHA its SHA-256; else 0 (hash it). */
int wsig_trusts(const struct wsig *g, size_t i, const struct stat *st, const unsigned char want[32],
		int linking, unsigned char sha[32]);
/* The file ST (looked at since G was loaded) hashed SHA and matched WANT: row I, when its
 * times are old enough to know it by. */
void wsig_vouch(struct wsig *g, size_t i, const struct stat *st, const unsigned char want[32],
		const unsigned char sha[32]);
void wsig_save(struct wsig *g, int dir, const char *key);	/* KEY.sig, when a row changed */
void wsig_drop(int dir, const char *key);

/* ---- wcache.c: unpacked wheels kept for the next install, known by hash or signature ---- */
struct wcache;
struct wcachestats {
	size_t copies;		/* files taken from the cache */
	size_t hashed;		/* of them, hashed again (not known by their signatures) */
	int spoiled;		/* a cached file did not verify: the entry is dropped */
	int kept;		/* the wheel's files are kept in the cache now */
};
/* The cache for installing W (KEY: its archive's, found when not known yet) into the venv
 * at VENVFD; one that does nothing when CACHEDIR is NULL or the cache cannot be had. */
struct wcache *wcache_begin(const char *cachedir, const struct wheel *w, struct wkey *key,
			    int venvfd);
void wcache_end(struct wcache *c, int installed, struct wcachestats *st);	/* frees C */
int wcache_root(const struct wcache *c);	/* the entry read or filled, or -1 */
int wcache_reading(const struct wcache *c);	/* an entry for this wheel is there */
int wcache_filling(const struct wcache *c);	/* one is being made */
int wcache_linking(const struct wcache *c);	/* with hard links */
/* Get: the wheel's file MEMBER (SIZE bytes) in the cache, open for reading (ST its stat), or
 * -1: none to be had. Whether what it holds matches the RECORD is for the caller to see, as
 * it reads it (and to say with wcache_verified or wcache_spoiled). */
int wcache_open(struct wcache *c, struct dircache *dc, const char *member, uint64_t size,
		struct stat *st);
/* ... or only its stat (0), unopened: -1, none to be had ... */
int wcache_stat(struct wcache *c, struct dircache *dc, const char *member, uint64_t size,
		struct stat *st);
/* ... or linked: that file (ST, known or verified) given the name NAME in DIRFD too, as a
 * hard link: 1 done, 0 not (another filesystem, or the file changed meanwhile). */
int wcache_link(struct wcache *c, struct dircache *dc, const char *member, const struct stat *st,
		int dirfd, const char *name);
/* The cached F (open, ST its stat) known by its signature, so not hashed: 1 and SHA */
int wcache_trusts(struct wcache *c, const struct wfile *f, const struct stat *st, int linking,
		  unsigned char sha[32]);
/* F taken from the cache: known by its signature (SHA NULL), or ST hashed SHA just now */
void wcache_verified(struct wcache *c, const struct wfile *f, const struct stat *st,
		     const unsigned char *sha);
void wcache_spoiled(struct wcache *c);	/* a cached file did not verify: drop the entry */
/* Put, while filling: the file MEMBER, written and verified, kept as a hard link to NAME in
 * DIRFD; or, across filesystems, as a copy written through wcache_create/wcache_copy/wcache_close. */
void wcache_keep_link(struct wcache *c, struct dircache *dc, const char *member, int dirfd,
		      const char *name);
int wcache_create(struct wcache *c, struct dircache *dc, const char *member);
void wcache_copy(struct wcache *c, int fd, const void *p, size_t n);
void wcache_close(struct wcache *c, int fd);

/* ---- install.c: a checked wheel unpacked into a venv, as pip would install it ---- */
/* How a file the cache holds gets into the venv: a reflink (FICLONE), falling back to a copy
 * where the filesystem has none; a copy; or a hard link to the cache's own file (the venv and
 * the cache share it: an edit through the venv spoils the entry, which the next use sees).
 * Each way the file counts as installed only when its signature vouches for it (wsig.c) or
 * it has been read and hashed against the RECORD. */
enum { LINK_CLONE, LINK_COPY, LINK_HARDLINK };
struct installopt {
	const char *absdir;	/* the venv's final path (shebangs) */
	int requested;		/* write REQUESTED: the user named this wheel */
	int relocatable;	/* launchers find python beside themselves */
	int direct;		/* the venv itself is being staged: write straight into it */
	const char *cache_dir;	/* the unpacked-wheel cache, or NULL: neither used nor filled */
	int interruptible;	/* a termination signal held (signals_hold) stops and undoes it */
	int link_mode;		/* how files come from the cache: LINK_CLONE, ... */
	/* Into an existing venv: files of the venv's own, written by EXTRA into DIRFD (a new
	 * directory of the stage), moved to its top level in the same transaction; or NULL. */
	int (*extra)(void *ctx, int dirfd, struct err *e);
	void *extra_ctx;
	/* Told before each wheel of a set and when all are in (DONE == TOTAL), or NULL. */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};
struct installresult {
	size_t files;		/* the wheel's files written as they are */
	struct wcachestats cache;	/* how many of them came from the cache */
};
/* The N wheels W (KEYS: their archives' cache keys, or ones with "" to be found; NULL
 * without a cache) into the venv at VENVFD: into the venv being made (O->direct) one after
 * the other, straight into it, what is installed read once; else as wheels_install does. */
int wheels_install_each(struct wheel *const *w, struct wkey *const *keys, size_t n, int venvfd,
			const struct pyinfo *py, const struct installopt *o, struct installresult *r,
			struct err *e);
/* The N wheels W (KEYS: theirs, or NULL), in order, and O's extra files, into the existing
 * venv at VENVFD as one transaction: all installed, or none (E names the wheel that failed).
 * R: N results. The caller keeps other mkvenv runs out (journal_lock) and has undone what
 * killed ones left (install_recover) under that lock. */
int wheels_install(struct wheel *const *w, struct wkey *const *keys, size_t n, int venvfd,
		   const struct pyinfo *py, const struct installopt *o, struct installresult *r,
		   struct err *e);
/* What mkvenv runs that were killed left in the venv at VENVFD: the renames of installs
 * undone (as their journal has them), their stages removed, and the temporary files of
 * replacements (file_write_replace) removed. Under the venv's lock (journal_lock). */
void install_recover(int venvfd);

/* ---- the installer's parts, each working on one thread's struct inst ---- */
struct inst {
	struct wheel *w;
	struct zip *z;		/* the archive, with the inflate state of this thread */
	const struct pyinfo *py;
	const struct installopt *o;
	struct pylayout vp;
	struct dircache dc;	/* below the root written to: the venv's, or the stage's */
	struct wcache *wc;	/* unpacked wheels kept: read from, or filled */
	struct dircache cdc;	/* directories of that cache entry */
	const struct installed *in;	/* what else is installed */
	struct buf rec;		/* the installed RECORD, a line per file written */
	size_t *rows, nrows;	/* where each line starts in it */
	struct buf rpath, rhash;	/* a line's fields, being made */
	struct buf tmp;
	mode_t mask;		/* the umask, read before any thread starts */
	int noclone;		/* the venv's filesystem refused a reflink: copy from now on */
};
/* written.c: files written, hashed, and listed in the new RECORD */
struct hashsink {
	int fd;
	int cfd;		/* a copy for the cache being filled, or -1 */
	struct wcache *wc;
	int bits;		/* the RECORD's hash: 256, or SHA-384/-512 alongside */
	struct sha256 h;
	struct sha512 h5;
	unsigned char digest[32], d5[64];
	uint64_t n;
	struct buf *mem;	/* scripts are kept to rewrite their #! line */
	const char *dest;	/* where it goes in the venv, for messages */
	int nowrite;		/* the bytes are in place already (a reflink): only hashed */
};
void sink_start(struct hashsink *k);
int sink_write(void *ctx, const unsigned char *p, size_t n, struct err *e);
int sink_matches(struct hashsink *k, const struct wfile *f);	/* as RECORD says (F unhashed: yes) */
void inst_init(struct inst *s);	/* the dircache roots are kept */
void inst_free(struct inst *s);
void inst_merge(struct inst *to, struct inst *s);	/* S's rows added to TO's; S freed */
void inst_record(struct inst *s, const char *dest, const unsigned char digest[32], uint64_t size);
int inst_put(struct inst *s, const char *dest, const void *data, size_t len, mode_t mode,
	     struct err *e);	/* DEST made with DATA, and recorded */
int inst_write_record(struct inst *s, struct err *e);
int inst_plain_member(const struct inst *s, const struct wfile *f);	/* not one we write ourselves */
/* unpack.c: the members, verified as they are written, by two threads for a large wheel */
int unpack_members(struct inst *s, struct err *e);
/* launchers.c: #! lines and entry point launchers */
int launcher_shebang(const struct inst *s, struct buf *b, struct err *e);
int launchers_write(struct inst *s, struct err *e);
/* preflight.c: no file of another distribution replaced, nothing in the way */
int preflight_check(struct inst *s, int venvfd, const struct installed *in, int direct,
		    struct err *e);
/* movein.c: the staged tree moved into the venv, the replaced distribution set aside */
int movein_commit(struct journal *j, const char *stage, const struct installed *in,
		  const char *site, struct err *e);
void movein_prune(int venvfd, const char **old, size_t nold, const struct pylayout *vp);

/* ---- debwheels.c: Debian's ensurepip that copies the system's wheels into the venv ---- */
/* The projects that interpreter's `python -m venv` seeds (its ensurepip's _PROJECTS) when
 * its ensurepip is Debian's that copies /usr/share/python-wheels into VENV/share/python-wheels;
 * 0 when it is not. */
size_t debwheels_projects(const struct pyinfo *py, char names[][32], size_t max);
/* That copy: the newest wheel of each project there, into VENVFD's share/python-wheels. */
int debwheels_copy(int venvfd, struct err *e);

/* ---- seed.c: the local wheels a venv is seeded from ---- */
#define SEEDS_MAX 4		/* pip, setuptools; Debian's scheme may add pkg_resources */
struct wantsum {		/* what a wheel's archive must hash to, or N == 0: nothing asked */
	char **hash;		/* "ALG:HEX" (sha256, sha384, sha512) */
	size_t n;
	int all;		/* every one (a lock file's); else one of them (--hash) */
	const char *where;	/* the FILE:LINE that gave them, for messages */
};
struct seedopt {
	char **wheels, **links;	/* --wheel files, --find-links directories */
	const struct wantsum *sums;	/* one per wheel (WHEELS[i]), checked on the bytes opened; or NULL */
	size_t nwheels, nlinks;
	const char *wheel_dir;	/* searched after the links ($MKVENV_WHEEL_DIR), or NULL */
	const char *cache_dir;	/* the unpacked-wheel cache, or NULL: every wheel unpacked afresh */
	int without_pip, upgrade_deps, relocatable, relax_hash;
	int direct;		/* the venv is new and staged */
	int interruptible;	/* as in struct installopt */
	int link_mode;		/* as in struct installopt */
	int (*extra)(void *ctx, int dirfd, struct err *e);	/* not direct: as in installopt */
	void *extra_ctx;
	void (*progress)(void *ctx, size_t done, size_t total);	/* as in installopt */
	void *progress_ctx;
	const char *absdir;
	struct ziplimits lim;	/* every wheel is opened within these */
};
struct seedwheels {		/* the user's wheels, checked by seed_check, for seed_venv */
	struct wheel *w;	/* open, until seed_done */
	struct wkey *key;	/* their cache keys, when found already */
	size_t n;
	struct platform plat;	/* what the interpreter runs on */
	int have_plat;
};
struct seedinstall {		/* one wheel installed */
	char *name, *version, *path;
	struct installresult r;
};
struct seedwarning {		/* what a wheel installed anyway had to be said about (an invalid
				 * Requires-Python ignored as pip does, a newer Wheel-Version, ...) */
	char *path, *msg;
};
struct seedstate {		/* a seed (pip, setuptools) as the venv has it now */
	char name[16], version[64];
	char was[64];		/* the version there before ("" none): kept when the same */
};
struct seedresult {
	char missing[2048];	/* where pip was looked for, when it was not found; else "" */
	char stdlib_missing[256];	/* pip installed, and the modules it needs that the
				 * interpreter's standard library lacks ("shutil, json"); else "" */
	struct seedstate seeds[SEEDS_MAX];
	size_t nseeds;
	char debundled[4096];	/* relocatable: the pip wheel seeded when it is Debian's
				 * de-vendored one, which needs the system's wheels; else "" */
	struct seedwarning *warn;
	size_t nwarn;
	struct seedinstall *done;	/* in the order they were installed */
	size_t ndone;
};
size_t seed_dirs(const struct pyinfo *py, const struct seedopt *so, char **out, size_t max,
		 size_t end[3]);
/* The newest wheel of NAME in DIRS that can run on PY: its path, its archive left open in *Z
 * (to be closed with zip_close, or given to wheel_open with WHEEL_OPEN); or NULL. */
char *seed_find(const char *name, char **dirs, size_t ndirs, const struct pyinfo *py,
		const struct platform *plat, const struct ziplimits *lim, struct zip *z);
/* The newest wheel of NAME that fits, from the first tier of DIRS (seed_dirs; END: where its
 * tiers end) that has one; with --upgrade-deps the newest of all. Z as for seed_find. */
char *seed_pick(const char *name, char **dirs, const size_t end[3], const struct pyinfo *py,
		const struct platform *plat, const struct seedopt *so, struct zip *z);
/* The user's wheels, each checked completely before the venv is touched at all; SW is to be
 * given to seed_done whatever the outcome. */
int seed_check(const struct pyinfo *py, const struct seedopt *so, struct seedwheels *sw,
	       struct err *e);
/* Seeds pip (and setuptools before 3.12) unless present or named by the user, then the
 * user's wheels: into a new venv (SO->direct) one after the other, into an existing one as
 * one transaction with SO's extra files (wheels_install). R (to be freed with
 * seedresult_free) is filled in either way. */
int seed_venv(int venvfd, const struct pyinfo *py, const struct seedopt *so,
	      const struct seedwheels *sw, struct seedresult *r, struct err *e);
void seed_done(struct seedwheels *sw);
void seedresult_free(struct seedresult *r);

/* ---- pylock.c: PEP 751 lock files (pylock.toml) read and checked as the spec says; nothing
 * chosen (markers stay strings). Every item carries its line in the file. ---- */
struct lockstr {
	char *s;
	int line;
};
struct lockhash {
	char *alg;		/* "sha256", "sha384" or "sha512" */
	char *hex;		/* its digest in lower-case hex */
	int line;
};
struct lockwheel {
	char *name;		/* its file name: NAME, else the last component of PATH or URL */
	char *path, *url;	/* as written (PATH relative to the lock file), or NULL */
	long long size;		/* -1: not given */
	char *upload_time;	/* an offset date-time as written, or NULL */
	struct lockhash *hash;	/* at least one */
	size_t nhash;
	struct wheelname wn;	/* NAME taken apart: of the package's name and version */
	int line;
};
enum { LOCK_VCS = 1, LOCK_DIRECTORY = 2, LOCK_ARCHIVE = 4, LOCK_SDIST = 8, LOCK_WHEELS = 16 };
struct lockpkg {
	char *name;		/* normalized (the spec requires it) */
	char *version;		/* valid PEP 440, or NULL */
	char *marker;		/* or NULL; MARKER_LINE */
	char *requires_python;	/* valid specifiers, or NULL; RP_LINE */
	char *index;		/* or NULL */
	int marker_line, rp_line;
	unsigned sources;	/* LOCK_* keys the entry has (vcs, directory, archive: alone) */
	int src_line;		/* where the first source other than wheels is */
	struct lockwheel *wheel;
	size_t nwheel;
	int line;
};
struct lock {
	char *what;		/* the file, as named in messages */
	char *version;		/* lock-version as written: MAJOR 1, any MINOR */
	int major, minor;
	char *created_by;
	char *requires_python;	/* or NULL; RP_LINE */
	int rp_line;
	struct lockstr *env, *extras, *groups, *default_groups;	/* environments (markers), ... */
	size_t nenv, nextras, ngroups, ndefault;
	struct lockpkg *pkg;
	size_t npkg;
	struct pool pool;	/* the strings */
};
int lock_file_name(const char *path);	/* 1: pylock.toml or pylock.NAME.toml */
/* The N bytes of S with each %XX decoded (a %00 left as written), allocated */
char *url_unquote(const char *s, size_t n);
/* The lock file PATH (lock_parse: TEXT named WHAT) into L, to be freed with lock_free; -1
 * with E ("pylock.toml:12: ..."), L then empty. Warnings (a newer minor lock-version,
 * unknown keys) are appended to WARN, one "FILE:LINE: ..." line each (WARN may be NULL;
 * a refused file adds none). */
int lock_read(struct lock *l, const char *path, struct buf *warn, struct err *e);
int lock_parse(struct lock *l, const char *text, size_t len, const char *what, struct buf *warn,
	       struct err *e);
void lock_free(struct lock *l);
/* 0 when P has a wheel; else -1, E naming P, its line and what it has instead (an sdist, a
 * VCS source, a directory, an archive): nothing is ever built */
int lock_pkg_has_wheels(const struct lock *l, const struct lockpkg *p, struct err *e);
/* ---- requirements.c: pip's requirements files, the parts that make sense offline ---- */
struct want {			/* one requirement: to install, or a constraint on versions */
	char *name;		/* PEP 503 normalized */
	struct pep508 req;	/* as written (extras, specifiers, marker) */
	char *path;		/* a local wheel named instead of a project, or NULL */
	char **hash;		/* "sha256:HEX" (sha384, sha512), as given */
	size_t nhash;
	char *where;		/* "FILE:LINE", for messages */
	int constraint;		/* from a -c file: limits versions, installs nothing */
	int skip;		/* its marker does not hold for the interpreter: ignored */
};
struct reqset {
	struct want *w;
	size_t n;
	char **links;		/* -f/--find-links of the files, resolved as pip does */
	size_t nlinks;
	int require_hashes;	/* --require-hashes, or any --hash: hash-checking mode */
	int no_index, prefer_binary, pre;
};
/* The requirements file PATH (and the files it names) added to RS; markers evaluated in
 * ENV; ${VAR} from ENVIRON (NAME=VALUE strings, or NULL). E: "FILE:LINE: reason". */
int reqfile_read(struct reqset *rs, const char *path, const struct markerenv *env,
		 char *const *environ, struct err *e);
/* The same, of TEXT (LEN bytes) read as the file PATH (the files it names are read). */
int reqtext_read(struct reqset *rs, const char *path, const char *text, size_t len,
		 const struct markerenv *env, char *const *environ, struct err *e);
void reqset_free(struct reqset *rs);

/* ---- select.c: the wheel for each wanted requirement, from local directories ---- */
struct pick {
	const struct want *w;	/* the (first) requirement it was picked for */
	char *path;		/* the wheel chosen */
	char *name, *version;	/* from its file name */
	char **extras;		/* every extra asked of it */
	size_t nextras;
	struct wantsum sum;	/* the hashes its bytes must have when it is opened (owned) */
};
struct selection {
	struct pick *p;		/* one a project, in the order first wanted */
	size_t n;
};
/* For each of the N wants (constraints among them; skipped ones ignored), the wheel: the
 * newest version every requirement and constraint of its name allows (pre-releases only
 * when one names a pre-release, PRE is set, or nothing else fits), of that version the one
 * whose tags PY ranks highest, that Requires-Python admits and, with REQUIRE_HASHES (all
 * must then be pinned with == and hashed), whose hash is given. Wheels are looked for in
 * the NDIRS DIRS, or are the paths wanted. E, when one has none: the directories searched
 * and every version seen with why it was not taken. */
int select_wheels(const struct want *w, size_t n, char *const *dirs, size_t ndirs,
		  const struct pyinfo *py, const struct platform *plat, int require_hashes,
		  int pre, const struct ziplimits *lim, struct selection *out, struct err *e);
void selection_free(struct selection *s);

/* ---- locksel.c: the wheels a PEP 751 lock file means for one interpreter, found here ---- */
/* Of the lock L (read from LOCKPATH), every package whose marker holds in ENV (no extras; the
 * default groups) with the wheel PY ranks highest, at its path or file: URL, else by its
 * name in one of the NDIRS DIRS; its size checked, its hashes in the pick's SUM (checked
 * when it is opened). Added to OUT (whose picks then have no want); -1 with E listing each
 * package that cannot be installed. */
int lock_select(const struct lock *l, const char *lockpath, char *const *dirs, size_t ndirs,
		const struct pyinfo *py, const struct platform *plat, const struct markerenv *env,
		struct selection *out, struct err *e);

/* ---- closure.c: every Requires-Dist of a set of wheels met by the set and the venv ---- */
struct have {			/* a distribution the final venv has (installed, or to be) */
	const char *name;	/* normalized */
	const char *version;
};
/* The N wheels W (checked, open) with the extras asked of each (EXTRAS[i], NEXTRAS[i]; may
 * be NULL) against the set plus the NHAVE distributions HAVE (what is installed and not
 * replaced): 0 when every Requires-Dist whose marker holds in ENV is met, else -1 and E
 * listing each one that is not, one a line. */
int closure_check(struct wheel *const *w, size_t n, char **const *extras, const size_t *nextras,
		  const struct have *have, size_t nhave, const struct markerenv *env, struct err *e);


/* ---- plan.c: what the -r files ask for, as the wheels of one install ---- */
struct planopt {
	char **reqs;		/* the -r files: requirements files, or one lock file */
	size_t nreqs;
	int require_hashes, no_deps;
};
struct plan {
	struct reqset rs;
	struct selection sel;
	char **wheels;		/* the install's wheels: -w's, then those selected */
	char ***extras;		/* the extras asked of each (NULL for -w's) */
	size_t *nextras;
	struct wantsum *sums;	/* the hashes of each (none for -w's) */
	struct markerenv env;
	int lock;		/* the set is a lock file's */
	struct buf warn;	/* what reading a lock file warned of, one "FILE:LINE: ..." a line */
};
/* M's files read for PY and their wheels selected (PL, freed with plan_free, even on
 * failure): SO's wheels become the -w ones, then those selected (a project -w names is
 * taken from -w). */
int plan_make(const struct planopt *m, const struct pyinfo *py, struct seedopt *so,
	      struct plan *pl, struct err *e);
/* Unless --no-deps: the Requires-Dist of every wheel of the install (SW, checked) met by
 * them and what the venv will have besides: KEEP's distributions (the venv that stays, or
 * NULL) and, when SEEDING, the seeds that will be installed. */
int plan_closure(const struct planopt *m, const struct plan *pl, const struct pyinfo *py,
		 const struct seedopt *so, const struct seedwheels *sw, const struct venv *keep,
		 int seeding, struct err *e);
void plan_free(struct plan *pl);
#endif
