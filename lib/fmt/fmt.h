/* fmt.h: the file formats venvbox reads and writes (zip, RFC 822, RECORD, JSON, TOML, pyvenv.cfg, shells); no policy. */
#ifndef VENVBOX_FMT_H
#define VENVBOX_FMT_H

/* ---- the templates embedded in the binary: the one list. X(SYMBOL, SOURCE, NAME, SHELL,
 * MIN_MINOR): NAME as installed, the SHELL it is quoted for, MIN_MINOR the first Python 3.X
 * whose venv writes it in bin/ (-1: not there). build/templates.sh reads it too (one X(...)
 * a line: it packs each SOURCE, in this order, into the stream the binary embeds). ---- */
#define TEMPLATES(X) \
	X(activate_sh, "templates/activate", "activate", SHELL_SH, 3) \
	X(activate_csh, "templates/activate.csh", "activate.csh", SHELL_CSH, 3) \
	X(activate_fish, "templates/activate.fish", "activate.fish", SHELL_FISH, 3) \
	/* venv writes it on POSIX since 3.8 */ \
	X(activate_ps1, "templates/Activate.ps1", "Activate.ps1", SHELL_PS1, 8) \
	/* written on its own */ \
	X(gitignore, "templates/gitignore", ".gitignore", SHELL_SH, -1) \
	/* entry point scripts, not venv files */ \
	X(launcher, "templates/launcher.py", "launcher.py", SHELL_PY, -1) \
	X(launcher_sh, "templates/launcher-sh.py", "launcher-sh.py", SHELL_SH, -1) \
	X(launcher_rel, "templates/launcher-rel.py", "launcher-rel.py", SHELL_SH, -1) \
	/* printed by the deactivate applet, not venv files */ \
	X(deactivate_sh, "templates/deactivate.sh", "deactivate.sh", SHELL_SH, -1) \
	X(deactivate_fish, "templates/deactivate.fish", "deactivate.fish", SHELL_FISH, -1) \
	X(deactivate_csh, "templates/deactivate.csh", "deactivate.csh", SHELL_CSH, -1) \
	X(deactivate_ps1, "templates/deactivate.ps1", "deactivate.ps1", SHELL_PS1, -1) \
	/* each applet's --help text (applets/applets.h) */ \
	X(help_activate, "templates/help-activate.txt", "help-activate", SHELL_SH, -1) \
	X(help_deactivate, "templates/help-deactivate.txt", "help-deactivate", SHELL_SH, -1) \
	X(help_mkvenv, "templates/help-mkvenv.txt", "help-mkvenv", SHELL_SH, -1) \
	X(help_venvinfo, "templates/help-venvinfo.txt", "help-venvinfo", SHELL_SH, -1)

#ifndef __ASSEMBLER__
#include "base/base.h"

/* ---- quote.c: values quoted for the shell that will read them ---- */
enum shell { SHELL_SH, SHELL_FISH, SHELL_CSH, SHELL_PS1, SHELL_PY /* a Python str literal */ };
int quote_shell(struct buf *b, enum shell sh, const char *value, struct err *e);
int quote_check_value(const char *what, const char *value, struct err *e);

/* ---- template.c: the embedded templates and their rendering ---- */
struct template {
	const char *name;	/* file name as installed, e.g. "activate.fish" */
	enum shell shell;
	const char *text, *end;	/* its bytes; *end is a NUL */
	int min_minor;		/* first Python 3.X whose venv writes it in bin/; -1: not there */
};
struct tvar {
	const char *name;
	const char *value;
};
const struct template *template_at(size_t i);	/* in the list's order; NULL past its end */
const struct template *template_find(const char *name);
int template_render(struct buf *out, const struct template *t,
		    const struct tvar *vars, size_t nvars, struct err *e);

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
int zip_open(struct zip *z, const char *path, const struct ziplimits *lim, struct err *e);
void zip_close(struct zip *z);	/* also after a failed zip_open */
void zip_release(struct zip *z);	/* the inflate state only (a copy sharing the map) */
int zip_extract(struct zip *z, const struct zipent *ze,
		int (*sink)(void *ctx, const unsigned char *p, size_t n, struct err *e),
		void *ctx, struct err *e);
/* Archives bigger than ZIP_BIG are mapped lazily and read a window at a time, each given
 * back once read: the part of such an archive resident at once stays about a window. Smaller
 * ones are faulted in whole (a few syscalls fewer; they fit the memory target anyway). */
#define ZIP_BIG (8u << 20)
#define ZIP_WINDOW (1u << 20)
void zip_done(const struct zip *z, uint64_t off, uint64_t len);
/* The digest by ALG (as digest_init takes it) of the whole archive's bytes, as mapped. */
void zip_digest(const struct zip *z, const char *alg, char hex[129]);
int zip_is_symlink(const struct zipent *ze);
unsigned zip_unix_mode(const struct zipent *ze);
unsigned zip_unix_type(const struct zipent *ze);	/* S_IFMT bits, or 0 */

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
char *meta_get_nth(const char *text, size_t len, const char *key, size_t nth);	/* the NTH (from 0) */
struct entrypoint {
	char *name, *module, *attr;	/* attr may be "" */
	int gui;
};
/* [console_scripts] and [gui_scripts] of entry_points.txt; -1 (err set) when malformed. */
int entrypoints_parse(const char *text, size_t len, struct entrypoint **out, size_t *n,
		      const char *what, struct err *e);
void entrypoints_free(struct entrypoint *ep, size_t n);

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

/* ---- toml.c: a strict TOML 1.0 reader (the subset lock files use); every error names the
 * line ("pylock.toml:12: ..."). Floats and date-times are kept as written, their shape
 * checked. A table's keys and values are KEY[i], ITEM[i] (document order, N of them); an
 * array's items ITEM[i]. ---- */
enum tomltype {
	TOML_TABLE, TOML_ARRAY, TOML_STRING, TOML_INT, TOML_FLOAT, TOML_BOOL,
	TOML_DATETIME /* with an offset */, TOML_LOCAL_DATETIME, TOML_DATE, TOML_TIME,
};
struct tomlv {
	enum tomltype type;
	int line;		/* where it starts (a table: its header, or the key that made it) */
	char *s;		/* a string, decoded (LEN bytes, may hold NUL); a float, date or time as written */
	size_t len;
	long long i;		/* an integer; a boolean (0, 1) */
	struct tomlv **item;	/* an array's items, a table's values */
	char **key;		/* a table's keys (KLEN bytes each) */
	size_t *klen;
	size_t n, cap;
	/* the reader's own */
	unsigned flags;
	int section;
	uint32_t *index;
	size_t icap;
	struct tomlv *chain;
};
struct toml {
	const char *what;	/* the name errors begin with */
	struct tomlv *root;
	struct tomlv *chain;	/* every value, for toml_free */
};
int toml_parse(struct toml *doc, const char *text, size_t len, const char *what, struct err *e);
void toml_free(struct toml *doc);
const char *toml_type_name(enum tomltype type);	/* "an integer" */
const struct tomlv *toml_get(const struct tomlv *table, const char *key);	/* NULL: absent */
/* 0 when V is of TYPE; else -1, E: "WHAT:LINE: NAME is an integer, not a string" */
int toml_is(const struct toml *doc, const struct tomlv *v, enum tomltype type, const char *name,
	    struct err *e);
/* KEY of TABLE: 1 found and of TYPE (*OUT), 0 absent (*OUT NULL), -1 of another type (E) */
int toml_want(const struct toml *doc, const struct tomlv *table, const char *key,
	      enum tomltype type, const struct tomlv **out, struct err *e);
int toml_get_str(const struct toml *doc, const struct tomlv *table, const char *key,
		 const char **s, struct err *e);	/* also -1 for a string holding NUL */
int toml_get_int(const struct toml *doc, const struct tomlv *table, const char *key,
		 long long *i, struct err *e);
int toml_get_bool(const struct toml *doc, const struct tomlv *table, const char *key,
		  int *b, struct err *e);

#endif /* __ASSEMBLER__ */
#endif
