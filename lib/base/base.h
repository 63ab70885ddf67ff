/* base.h: the ground floor, knowing nothing of Python: errors, buffers, strings, numbers, UTF-8, files and paths, hashes. */
#ifndef VENVBOX_BASE_H
#define VENVBOX_BASE_H

#include <dirent.h>
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
int msg_usage(const char *applet, const char *fmt, const char *arg);	/* prints, returns 2 */

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
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
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

/* ---- file.c: files and directories, relative to directory fds, never following links ---- */
int file_read(int dirfd, const char *path, size_t max, struct buf *out, struct err *e);
/* the same; O_NOFOLLOW in FLAGS: and the file is not a link and is this user's own (journals) */
int file_read_flags(int dirfd, const char *path, int flags, size_t max, struct buf *out,
		    struct err *e);
int file_write_all(int fd, const void *data, size_t len);	/* all of it, through EINTR */
int file_feed(int fd, uint64_t size, int (*sink)(void *ctx, const unsigned char *p, size_t n, struct err *e),
	      void *ctx, struct err *e);
#define FILE_MODE_EXACT 010000000	/* in MODE: set as given, past the umask (on the fd) */
int file_write_new(int dirfd, const char *name, const void *data, size_t len,
		  mode_t mode, struct err *e);	/* O_EXCL|O_NOFOLLOW */
int file_write_replace(int dirfd, const char *name, const void *data, size_t len,
		      mode_t mode, struct err *e);	/* temp + rename */
int file_copy(const char *src, int dirfd, const char *name, mode_t mode, struct err *e);
int64_t file_copy_fd(int in, int out, uint64_t n, int share);	/* bytes copied, or -1 (SHARE: a reflink will do) */
int file_copy_tree(const char *src, int dirfd, const char *name, struct err *e);	/* cp -r */
mode_t file_umask(void);	/* the umask, left as it was */
int file_mkdir(int dirfd, const char *name, mode_t mode, struct err *e);	/* EEXIST dir ok */
int file_mkdirs(int dirfd, const char *path, mode_t mode, struct err *e);
int file_rmtree(int dirfd, const char *name, struct err *e);	/* no link is followed */
DIR *file_entries(int dirfd);	/* DIRFD's entries from the first, DIRFD left open; NULL, errno */
/* For each entry of DIRFD but . and .. that MATCH(name, ARG) accepts: ACT(DIRFD, name), or
 * with no ACT the entry removed (file_rmtree). */
void file_each(int dirfd, int (*match)(const char *, const char *), const char *arg,
	       void (*act)(int, const char *));
void file_remove_orphans(int dirfd, const char *prefix);	/* PREFIX<pid>... of dead processes */
int file_orphan(const char *name, const char *prefix);	/* NAME is one of those */
void file_remove_tmps(int dirfd);	/* what a killed file_write_replace left (NAME.venvbox-PID) */
int file_dir_is_empty(const char *path);		/* 1 empty, 0 not, -1 error */
void file_set_epoch(int dirfd, const char *name);	/* SOURCE_DATE_EPOCH mtimes */
long long file_source_date_epoch(void);	/* -1 when unset or invalid */

/* ---- path.c: paths as strings (os.path's lexical rules), $PATH search, the running binary ---- */
int path_is_dir(const char *path);		/* follows links */
int path_is_exec(const char *path);
char *path_abs(const char *path);		/* lexical, from cwd; no link resolved */
char *path_real(const char *path);		/* NULL on error */
char *path_dir(const char *path);
const char *path_base(const char *path);
char *path_join(const char *a, const char *b);
char *path_search(const char *name, const char *pathvar, const char *skipdir);
const char *path_env(void);
char *path_self(const char *argv0);

/* ---- elf.c: the header and PT_INTERP of an ELF file (System V gABI), every offset checked ---- */
#define ELF_NOT (-2)
struct elf {
	int fd;
	uint64_t size;
	unsigned char head[16];	/* the file's first bytes, kept when it is not ELF */
	size_t nhead;
	int bits;		/* 32 or 64 (EI_CLASS) */
	int big_endian;		/* EI_DATA */
	unsigned type, machine;	/* e_type (2 executable, 3 shared), e_machine (EM_*) */
	uint64_t phoff;
	unsigned phentsize, phnum;
};
/* 0 open; -1 PATH cannot be opened or is not a regular file; ELF_NOT when it is not an ELF
 * file we read (E says why; F->head then holds what it starts with, F is closed). */
int elf_open(struct elf *f, const char *path, struct err *e);
/* PT_INTERP's path into OUT: 1 found, 0 none (static), -1 malformed. */
int elf_interp(const struct elf *f, const char *path, char *out, size_t outsz, struct err *e);
void elf_close(struct elf *f);

/* ---- fault.c: fault injection for the atomicity tests (VENVBOX_FAULT=N[:fail|:term|:stop]) ---- */
int fault_point(struct err *e);	/* -1 with an error when the Nth point is reached in fail mode */
int fault_armed(void);		/* VENVBOX_FAULT is set: keep to one thread */

/* ---- scan.c: number parsers ---- */
const char *scan_int(const char *s, int *v);
const char *scan_version(const char *s, int v[3]);
int scan_hex(const char *s, int n, unsigned long *v);

/* ---- utf8.c: well-formed UTF-8 ---- */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp);	/* 0: invalid */
int utf8_valid(const unsigned char *s, size_t n);
int utf8_control(unsigned long cp);	/* C0, DEL, C1 */
void utf8_visible(struct buf *b, const char *s);	/* not UTF-8, or controls: as \xNN */
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
/* ---- digest.c: digests by the name a hash is given with (sha256, sha384, sha512) ---- */
struct digest {
	int bits;		/* 256, 384 or 512 */
	struct sha256 h;
	struct sha512 h5;
};
void digest_init(struct digest *d, const char *alg);	/* "sha256", "sha384", else sha512 */
void digest_update(struct digest *d, const void *p, size_t n);
void digest_hex(struct digest *d, char hex[129]);	/* lower-case, NUL-terminated */
/* PATH's digest by ALG (as digest_init takes it) into HEX; -1 when it cannot be read (file.c). */
int file_digest(const char *path, const char *alg, char hex[129]);
/* ---- base64.c: the urlsafe alphabet without padding, as wheel RECORD files use (PEP 376/427) ---- */
void b64url_encode(struct buf *b, const unsigned char *p, size_t n);
long b64url_decode(const char *s, size_t n, unsigned char *out, size_t cap);	/* -1 if invalid */

/* ---- dircache.c: directories below a root, opened and made without following links ---- */
#define DIRCACHE_KEEP 32
struct dircache {
	int root;
	int quiet;		/* making directories is not a fault point (the cache) */
	mode_t mode;		/* they are made with (0777, the umask applies) */
	size_t n;		/* directories open: fd[i] is path up to end[i] */
	int fd[DIRCACHE_KEEP];
	size_t end[DIRCACHE_KEEP];
	struct buf path;	/* the last path's directories, relative to the root */
};
void dircache_init(struct dircache *c, int root, int quiet);
/* The directory PATH lies in, made when CREATE; *BASE is PATH's last component ("" when
 * PATH ends in '/': the directory PATH itself). No component is a link: ELOOP or ENOTDIR,
 * E naming the path. The descriptor stays C's (the root when PATH has one component). */
int dircache_parent(struct dircache *c, const char *path, int create, const char **base,
		    struct err *e);
void dircache_close(struct dircache *c);
/* The same for one path below ROOT (a directory fd, or AT_FDCWD), with no cache: a
 * descriptor of the caller's, or -1 with E. Every write below a venv or the cache finds
 * its directory through here or a dircache, never by handing the kernel a longer path. */
int dircache_open(int root, const char *path, int create, const char **base, struct err *e);
/* The directory PATH below ROOT itself, reached the same way: a descriptor, or -1 with E
 * and errno (ENOENT missing, ELOOP or ENOTDIR a link or a file on the way). */
int dircache_dir(int root, const char *path, struct err *e);

#endif
