/* requirements.c: pip's requirements file format, the parts that make sense offline: one
 * PEP 508 requirement or local wheel a line with its --hash options; -r and -c (relative to
 * the including file), -f/--find-links, --no-index, --require-hashes, --only-binary,
 * --prefer-binary, --pre; comments, '\' continuations and ${VAR} expansion as pip does them.
 * Everything that would need a network or a build is refused, naming the file and line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include "pkg/pkg.h"

#define REQFILE_MAX (16u << 20)
#define REQ_DEPTH 32

struct rctx {
	struct reqset *rs;
	const struct markerenv *env;
	char *const *environ;	/* for ${VAR}, as NAME=VALUE strings; NULL: none */
	const char *file;	/* the file being read, as it was named */
	int line;
	int constraint;		/* a -c file (or one it includes): limits, installs nothing */
	int depth;
	struct err *e;
};

static int bad(struct rctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* E: "FILE:LINE: " and the reason. */
static int bad(struct rctx *c, const char *fmt, ...)
{
	struct buf why;
	va_list ap;

	buf_init(&why);
	va_start(ap, fmt);
	buf_vprintf(&why, fmt, ap);
	va_end(ap);
	err_set(c->e, "%s:%d: %s", c->file, c->line, why.s ? why.s : "");
	buf_free(&why);
	return -1;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* pip's ${NAME} (NAME of A-Z, 0-9 and _): the value from the environment given; a name that
 * is unset or empty there is left as it stands. */
static void expand(struct buf *out, const char *s, char *const *environ)
{
	const char *p = s, *end, *val;
	size_t n, i, k;

	for (; *p; p++) {
		if (p[0] != '$' || p[1] != '{') {
			buf_addc(out, *p);
			continue;
		}
		n = strspn(p + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		end = p + 2 + n;
		val = NULL;
		for (i = 0; n && *end == '}' && environ && environ[i] && !val; i++)
			if (!strncmp(environ[i], p + 2, n) && environ[i][n] == '=')
				val = environ[i] + n + 1;
		if (!val || !*val) {
			buf_addc(out, *p);
			continue;
		}
		k = strlen(val);
		buf_add(out, val, k);
		p = end;
	}
}

/* The line without its comment: '#' at its start or after white space, to the end. */
static void strip_comment(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p == '#' && (p == s || is_space((unsigned char)p[-1]))) {
			*p = 0;
			break;
		}
}

/* Split S into words as a shell would (quotes, no expansions) into ARGV (at most MAX). */
static int split_words(char *s, char **argv, int max)
{
	int n = 0;
	char *o, q;

	while (*s) {
		while (is_space((unsigned char)*s))
			s++;
		if (!*s)
			break;
		if (n == max)
			return -1;
		argv[n++] = o = s;
		while (*s && !is_space((unsigned char)*s)) {
			if (*s == '"' || *s == '\'') {
				for (q = *s++; *s && *s != q; )
					*o++ = *s++;
				if (!*s)
					return -1;
				s++;
			} else {
				*o++ = *s++;
			}
		}
		if (*s)
			s++;
		*o = 0;
	}
	return n;
}

/* PATH as pip takes a path from a requirements file: relative to the including file's
 * directory (-r, -c); with MAYBE, only when it exists there (-f, a wheel), else as given. */
static char *relative(const struct rctx *c, const char *path, int maybe)
{
	char *dir, *p;
	struct stat st;

	if (path[0] == '/')
		return xstrdup(path);
	dir = path_dir(c->file);
	p = path_join(dir, path);
	free(dir);
	if (maybe && stat(p, &st) != 0) {
		free(p);
		return xstrdup(path);
	}
	return p;
}

static int read_file(struct rctx *c, const char *path);

/* The option NAME (its long and short spellings in LONG and SHORT) at ARGV[*I], with its
 * value: "--opt=V", "--opt V", "-oV", "-o V". 1 and *VAL, 0 not this option, -1 no value. */
static int option(char **argv, int argc, int *i, const char *lng, const char *shrt, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if (!strncmp(a, lng, n) && (a[n] == '=' || !a[n])) {
		if (a[n] == '=') {
			*val = a + n + 1;
			return 1;
		}
	} else if (shrt && !strncmp(a, shrt, 2)) {
		if (a[2]) {
			*val = a + 2;
			return 1;
		}
	} else {
		return 0;
	}
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

static int flag(const char *a, const char *lng)
{
	return !strcmp(a, lng);
}

static const char *nobuild = "nothing is ever built here: give the wheel (--find-links DIR)";

/* A file-level option line, split into ARGV. */
static int option_line(struct rctx *c, char **argv, int argc)
{
	const char *v;
	char *p;
	int i, r;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if ((r = option(argv, argc, &i, "--requirement", "-r", &v)) ||
		    (r = option(argv, argc, &i, "--constraint", "-c", &v))) {
			int was = c->constraint, rc;

			if (r < 0)
				return bad(c, "%s needs a file name", a);
			if (strstr(v, "://"))
				return bad(c, "%s %s: a URL; only local files are read", a, v);
			p = relative(c, v, 0);
			c->constraint = was || a[1] == 'c' || !strncmp(a, "--c", 3);
			rc = read_file(c, p);
			c->constraint = was;
			free(p);
			if (rc)
				return -1;
		} else if ((r = option(argv, argc, &i, "--find-links", "-f", &v))) {
			if (r < 0)
				return bad(c, "%s needs a directory", a);
			if (strstr(v, "://"))
				return bad(c, "%s %s: a URL; wheels come only from local directories", a, v);
			c->rs->links = xgrow(c->rs->links, c->rs->nlinks, sizeof *c->rs->links);
			c->rs->links[c->rs->nlinks++] = relative(c, v, 1);
		} else if ((r = option(argv, argc, &i, "--only-binary", NULL, &v))) {
			if (r < 0)
				return bad(c, "%s needs a value", a);	/* only wheels, whatever it names */
		} else if ((r = option(argv, argc, &i, "--no-binary", NULL, &v))) {
			if (r < 0)
				return bad(c, "%s needs a value", a);
			if (strcmp(v, ":none:"))
				return bad(c, "--no-binary %s: %s", v, nobuild);
		} else if (flag(a, "--no-index")) {
			c->rs->no_index = 1;
		} else if (flag(a, "--require-hashes")) {
			c->rs->require_hashes = 1;
		} else if (flag(a, "--prefer-binary")) {
			c->rs->prefer_binary = 1;
		} else if (flag(a, "--pre")) {
			c->rs->pre = 1;
		} else if (flag(a, "-e") || !strncmp(a, "--editable", 10) || !strncmp(a, "-e", 2)) {
			return bad(c, "%s: an editable install; %s", a, nobuild);
		} else if (!strncmp(a, "--index-url", 11) || !strncmp(a, "-i", 2) ||
			   !strncmp(a, "--extra-index-url", 17)) {
			return bad(c, "%s: an index is never used (there is no network): give --find-links DIR", a);
		} else {
			return bad(c, "%s: an option mkvenv does not take in a requirements file", a);
		}
	}
	return 0;
}

/* --hash=ALG:HEX into W. */
static int add_hash(struct rctx *c, struct want *w, const char *v)
{
	const char *colon = strchr(v, ':');
	size_t n = colon ? (size_t)(colon - v) : 0, hex, want;

	if (!colon)
		return bad(c, "--hash=%s: ALGORITHM:HEX expected", v);
	if ((n == 3 && !strncmp(v, "md5", 3)) || (n == 4 && !strncmp(v, "sha1", 4)))
		return bad(c, "--hash=%s: %.*s is too weak; use sha256, sha384 or sha512", v, (int)n, v);
	want = n == 6 && !strncmp(v, "sha256", 6) ? 64 : n == 6 && !strncmp(v, "sha384", 6) ? 96 :
	       n == 6 && !strncmp(v, "sha512", 6) ? 128 : 0;
	if (!want)
		return bad(c, "--hash=%s: unknown algorithm '%.*s' (sha256, sha384 or sha512)", v, (int)n, v);
	hex = strspn(colon + 1, "0123456789abcdefABCDEF");
	if (hex != want || colon[1 + hex])
		return bad(c, "--hash=%s: not %zu hexadecimal digits", v, want);
	w->hash = xgrow(w->hash, w->nhash, sizeof *w->hash);
	w->hash[w->nhash++] = xstrdup(v);
	return 0;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n >= k && !strcasecmp(s + n - k, suf);
}

/* What a requirement names that is never installed here: the reason, or NULL. */
static const char *unusable(const char *s)
{
	static const char *vcs[] = { "git+", "hg+", "svn+", "bzr+" };
	static const char *sdist[] = { ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip" };
	size_t i;

	for (i = 0; i < sizeof vcs / sizeof vcs[0]; i++)
		if (!strncmp(s, vcs[i], strlen(vcs[i])))
			return "a version control (VCS) requirement; nothing is ever built or fetched here";
	if (strstr(s, "://") || !strncmp(s, "file:", 5))
		return "a URL requirement; wheels come only from local directories (--find-links) and paths";
	for (i = 0; i < sizeof sdist / sizeof sdist[0]; i++)
		if (has_suffix(s, sdist[i]))
			return "a source distribution; nothing is ever built here: give its wheel";
	return NULL;
}

static struct want *new_want(struct rctx *c)
{
	struct reqset *rs = c->rs;
	struct want *w;
	char where[4200];

	rs->w = xgrow(rs->w, rs->n, sizeof *rs->w);
	w = &rs->w[rs->n++];
	memset(w, 0, sizeof *w);
	snprintf(where, sizeof where, "%s:%d", c->file, c->line);
	w->where = xstrdup(where);
	w->constraint = c->constraint;
	return w;
}

static void want_free(struct want *w)
{
	size_t i;

	for (i = 0; i < w->nhash; i++)
		free(w->hash[i]);
	free(w->hash);
	free(w->name);
	free(w->path);
	free(w->where);
}

/* The requirement REQ of a line, and its options ARGV. */
static int want_line(struct rctx *c, char *req, char **argv, int argc)
{
	char *semi, *marker = NULL;
	size_t n = strcspn(req, " \t;");	/* the first word */
	struct want *w;
	struct err why;
	struct wheelname wn;
	const char *v, *no;
	int i, r;

	if ((no = unusable(req)))
		return bad(c, "%s: %s", req, no);
	w = new_want(c);
	if (strchr(req, '/') || req[0] == '.' || (n > 4 && !strncasecmp(req + n - 4, ".whl", 4))) {
		/* a path: to a wheel, with an optional "; marker" */
		if ((semi = strchr(req, ';'))) {
			*semi = 0;
			marker = semi + 1 + strspn(semi + 1, " \t");
		}
		req[strcspn(req, " \t")] = 0;
		w->path = relative(c, req, 1);
		if (path_is_dir(w->path))
			return bad(c, "%s: a directory; %s", req, nobuild);
		if (wheelname_parse(req, &wn) != 0)
			return bad(c, "%s: not a wheel's file name", req);
		w->name = name_normalize(wn.name);
		snprintf(w->req.name, sizeof w->req.name, "%s", wn.name);
		snprintf(w->req.marker, sizeof w->req.marker, "%s", marker ? marker : "");
	} else {
		if (pep508_parse(req, &w->req, &why))
			return bad(c, "'%s': %s", req, why.msg);
		if (w->req.url[0])
			return bad(c, "%s: %s", req, unusable(w->req.url) ? unusable(w->req.url) :
				   "a direct reference (name @ URL); wheels come only from local directories and paths");
		w->name = name_normalize(w->req.name);
	}
	if (w->req.marker[0]) {
		if ((r = marker_eval(w->req.marker, c->env, &why)) < 0)
			return bad(c, "%s", why.msg);
		w->skip = !r;	/* for another environment: pip ignores it too */
	}
	if (c->constraint && (w->path || w->req.nextras))
		return bad(c, "%s: a constraint names a project and versions only", req);
	for (i = 0; i < argc; i++) {
		if ((r = option(argv, argc, &i, "--hash", NULL, &v)) < 0)
			return bad(c, "--hash needs ALGORITHM:HEX");
		if (!r)
			return bad(c, "%s: an option mkvenv does not take on a requirement", argv[i]);
		if (add_hash(c, w, v))
			return -1;
	}
	if (w->nhash)
		c->rs->require_hashes = 1;	/* any hash turns on hash-checking mode, as in pip */
	return 0;
}

/* A requirement line: the requirement runs to the first word starting with '-' (as pip
 * splits it), its options follow. */
static int requirement_line(struct rctx *c, char *line)
{
	char *argv[256], *opts;
	size_t n;
	int argc;

	for (opts = line; *opts; opts++)
		if (*opts == '-' && opts > line && is_space((unsigned char)opts[-1]))
			break;
	argc = split_words(opts, argv, 256);	/* (its words stay where they are, or before) */
	if (argc < 0)
		return bad(c, "unbalanced quotes or too many options");
	if (*opts)
		opts[-1] = 0;
	n = strlen(line);
	while (n && is_space((unsigned char)line[n - 1]))
		line[--n] = 0;
	return want_line(c, line, argv, argc);
}

/* One logical line (continuations joined, comments gone, variables expanded). */
static int logical_line(struct rctx *c, char *s)
{
	char *argv[256];
	int argc;

	while (is_space((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	if (*s != '-')
		return requirement_line(c, s);
	argc = split_words(s, argv, 256);
	if (argc < 0)
		return bad(c, "unbalanced quotes or too many words");
	if (!strcmp(argv[0], "-e") || !strncmp(argv[0], "--editable", 10) || !strncmp(argv[0], "-e", 2))
		return bad(c, "%s: an editable install; %s", argv[0], nobuild);
	return option_line(c, argv, argc);
}

/* TEXT (LEN bytes), the contents of the requirements file PATH. */
static int parse_text(struct rctx *c, const char *text, size_t len)
{
	struct buf joined, x;
	const char *p = text, *end = text + len, *nl;
	int first = 0, rc = 0, at;
	size_t n, k;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	c->line = 1;
	if (memchr(p, 0, (size_t)(end - p)))
		return bad(c, "a NUL byte: not a requirements file");
	buf_init(&joined);
	buf_init(&x);
	for (c->line = 0; !rc && p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		c->line++;
		n = (size_t)(nl - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (!joined.len)
			first = c->line;
		/* a line ending in '\' goes on with the next, unless it is all comment */
		if (n && p[n - 1] == '\\' && p[strspn(p, " \t")] != '#') {
			for (k = n; k && p[k - 1] == '\\'; k--)
				;
			buf_add(&joined, p, k);
			if (nl < end)
				continue;
		} else {
			buf_add(&joined, p, n);
		}
		at = c->line;
		c->line = first;	/* a logical line is known by its first */
		strip_comment(joined.s ? joined.s : "");
		buf_reset(&x);
		expand(&x, joined.s ? joined.s : "", c->environ);
		if (x.s && !utf8_valid((const unsigned char *)x.s, x.len))
			rc = bad(c, "not UTF-8");
		else if (x.s)
			rc = logical_line(c, x.s);
		c->line = at;
		buf_reset(&joined);
	}
	buf_free(&x);
	buf_free(&joined);
	return rc;
}

/* TEXT read as the file PATH (from the line that named it, when one did). */
static int parse_as(struct rctx *c, const char *path, const char *text, size_t len)
{
	const char *was = c->file;
	int was_line = c->line, rc;

	if (c->depth >= REQ_DEPTH)
		return bad(c, "%s: requirements files include each other more than %d deep (a loop?)", path, REQ_DEPTH);
	c->depth++;
	c->file = path;
	rc = parse_text(c, text, len);
	c->depth--;
	c->file = was;
	c->line = was_line;
	return rc;
}

static int read_file(struct rctx *c, const char *path)
{
	struct buf b;
	int rc;

	buf_init(&b);
	if ((rc = file_read(AT_FDCWD, path, REQFILE_MAX, &b, c->e)) && c->file)
		snprintf(c->e->msg + strlen(c->e->msg), sizeof c->e->msg - strlen(c->e->msg),
			 " (named at %s:%d)", c->file, c->line);
	if (!rc)
		rc = parse_as(c, path, b.s ? b.s : "", b.len);
	buf_free(&b);
	return rc;
}

int reqtext_read(struct reqset *rs, const char *path, const char *text, size_t len,
		 const struct markerenv *env, char *const *environ, struct err *e)
{
	struct rctx c = { rs, env, environ, NULL, 0, 0, 0, e };

	return parse_as(&c, path, text, len);
}

int reqfile_read(struct reqset *rs, const char *path, const struct markerenv *env,
		 char *const *environ, struct err *e)
{
	struct rctx c = { rs, env, environ, NULL, 0, 0, 0, e };

	return read_file(&c, path);
}

void reqset_free(struct reqset *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		want_free(&rs->w[i]);
	free(rs->w);
	for (i = 0; i < rs->nlinks; i++)
		free(rs->links[i]);
	free(rs->links);
	memset(rs, 0, sizeof *rs);
}
