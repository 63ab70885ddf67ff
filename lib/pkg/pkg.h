/* pkg.h: pkg: wheels (the binary distribution format) checked, cached and installed into a venv, and seeding. */
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
	struct ziplimits lim;	/* every wheel is opened within these */
	struct wheel *opened;	/* by seed_check: the user's wheels, checked and open */
	struct platform plat;	/* by seed_check: what the interpreter runs on */
	int have_plat;
	char missing[2048];	/* out: where pip was looked for, when it was not found */
	char warn[1024];	/* out: something to tell, not an error */
};
int seed_venv(int venvfd, const struct pyinfo *py, struct seedopt *so, struct err *e);
int seed_check(const struct pyinfo *py, struct seedopt *so, struct err *e);
void seed_done(struct seedopt *so);

#endif
