/* venvinfo.c: the venvinfo applet: a report on a virtual environment, its packages and
 * their integrity, read from its files without running Python (SPEC §6). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "applets.h"
#include "pkg/pkg.h"

enum mode { M_REPORT, M_LIST, M_FREEZE, M_GET, M_CHECK, M_VERIFY };

struct opts {
	enum mode mode;
	int json, all, nmodes;
	const char *key, *dir;
};

enum ftype { T_STR, T_BOOL, T_INT, T_PROBLEMS, T_HOOKS };
enum fid { F_LOCATION, F_HOME, F_EXECUTABLE, F_VERSION, F_IMPLEMENTATION, F_FREE_THREADED,
	   F_SYSTEM_SITE, F_PROMPT, F_CREATOR, F_CREATOR_VERSION, F_RELOCATABLE, F_SITE,
	   F_DISTS, F_HOOKS, F_BASE_VERSION, F_HEALTH, F_PROBLEMS, F_FIX, NFIELDS };

/* The report's fields: JSON keys (stable, documented in README.md) and text labels. */
static const struct field {
	const char *key, *label;
	enum ftype type;
} fields[NFIELDS] = {
	[F_LOCATION] = { "location", "location", T_STR },
	[F_HOME] = { "home", "home", T_STR },
	[F_EXECUTABLE] = { "executable", "executable", T_STR },
	[F_VERSION] = { "version", "version", T_STR },
	[F_IMPLEMENTATION] = { "implementation", "implementation", T_STR },
	[F_FREE_THREADED] = { "free_threaded", "free-threaded", T_BOOL },
	[F_SYSTEM_SITE] = { "system_site_packages", "system site-packages", T_BOOL },
	[F_PROMPT] = { "prompt", "prompt", T_STR },
	[F_CREATOR] = { "creator", "creator", T_STR },
	[F_CREATOR_VERSION] = { "creator_version", "creator version", T_STR },
	[F_RELOCATABLE] = { "relocatable", "relocatable", T_BOOL },
	[F_SITE] = { "site_packages", "site-packages", T_STR },
	[F_DISTS] = { "distributions", "distributions", T_INT },
	[F_HOOKS] = { "startup_hooks", "startup hooks", T_HOOKS },
	[F_BASE_VERSION] = { "base_version", "base version", T_STR },
	[F_HEALTH] = { "health", "health", T_STR },
	[F_PROBLEMS] = { "problems", "problems", T_PROBLEMS },
	[F_FIX] = { "fix", "fix", T_STR },
};

struct report {
	struct vinfo vi;
	struct dists ds;
	int have_ds;
	long ndists;		/* what pip list would show; -1 unknown */
	struct hooks hooks;	/* what runs at every start */
	int have_hooks;
};

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* The value of field I: a string (NULL for null), or "" and a number in *NUM. */
static const char *value(const struct report *r, int i, long *num)
{
	const struct vinfo *vi = &r->vi;

	*num = 0;
	switch (i) {
	case F_LOCATION: return vi->v.dir;
	case F_HOME: return vi->v.home;
	case F_EXECUTABLE: return vi->v.executable;
	case F_VERSION: return or_null(vi->v.version);
	case F_IMPLEMENTATION: return vi->v.implementation;
	case F_FREE_THREADED: *num = vi->v.free_threaded > 0; return "";
	case F_SYSTEM_SITE: *num = vi->v.system_site; return "";
	case F_PROMPT: return vi->v.prompt;
	case F_CREATOR: return vi->v.creator;
	case F_CREATOR_VERSION: return or_null(vi->v.creator_version);
	case F_RELOCATABLE: *num = vi->v.relocatable; return "";
	case F_SITE: return vi->v.site;
	case F_DISTS: *num = r->ndists; return r->ndists < 0 ? NULL : "";
	case F_HOOKS: *num = (long)r->hooks.n; return r->have_hooks ? "" : NULL;
	case F_BASE_VERSION: return or_null(vi->base_version);
	case F_HEALTH: return vi->nprob ? "broken" : "ok";
	case F_PROBLEMS: *num = (long)vi->nprob; return "";
	default: return vi->fix;
	}
}

static int find_key(const char *key)
{
	int i;

	for (i = 0; i < NFIELDS && strcmp(fields[i].key, key); i++)
		;
	return i;
}

static int missing(const struct vinfo *vi)
{
	size_t i;

	for (i = 0; i < vi->nprob; i++)
		if (vi->prob[i].kind == VP_INTERPRETER_MISSING || vi->prob[i].kind == VP_DANGLING_LINK)
			return 1;
	return 0;
}


/* One line a problem: LEAD (else its kind and ": "), then its message. */
static void problem_lines(struct buf *b, const struct vinfo *vi, const char *lead)
{
	size_t i;

	for (i = 0; i < vi->nprob; i++) {
		buf_printf(b, "%s%s", lead ? lead : vproblem_name(vi->prob[i].kind), lead ? "" : ": ");
		utf8_visible(b, vi->prob[i].msg);
		buf_addc(b, '\n');
	}
}

static int emit(struct buf *b)
{
	fwrite(b->s ? b->s : "", 1, b->len, stdout);
	buf_free(b);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
}

static void json_problems(struct buf *b, const struct vinfo *vi)
{
	size_t i;

	if (!vi->nprob) {
		buf_adds(b, "[]");
		return;
	}
	for (i = 0; i < vi->nprob; i++) {
		buf_adds(b, i ? ",\n    {\"kind\": " : "[\n    {\"kind\": ");
		json_str(b, vproblem_name(vi->prob[i].kind));
		buf_adds(b, ", \"message\": ");
		json_str(b, vi->prob[i].msg);
		buf_adds(b, "}");
	}
	buf_adds(b, "\n  ]");
}

/* [{"file": ..., "kind": "pth" or "start", "code": [lines]}] */
static void json_hooks(struct buf *b, const struct hooks *hs)
{
	size_t i, k;

	if (!hs->n) {
		buf_adds(b, "[]");
		return;
	}
	for (i = 0; i < hs->n; i++) {
		buf_adds(b, i ? ",\n    {\"file\": " : "[\n    {\"file\": ");
		json_str(b, hs->h[i].file);
		buf_printf(b, ", \"kind\": \"%s\", \"code\": [", hs->h[i].start ? "start" : "pth");
		for (k = 0; k < hs->h[i].ncode; k++) {
			buf_adds(b, k ? ", " : "");
			json_str(b, hs->h[i].code[k]);
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "\n  ]");
}

/* One line a hook's line of code: LEAD, its file, ": ", the line (a .start file without any:
 * its name alone). */
static void hook_lines(struct buf *b, const struct hooks *hs, const char *lead)
{
	size_t i, k;

	for (i = 0; i < hs->n; i++)
		for (k = 0; k < hs->h[i].ncode || (!k && !hs->h[i].ncode); k++) {
			buf_adds(b, lead);
			utf8_visible(b, hs->h[i].file);
			if (hs->h[i].ncode) {
				buf_adds(b, ": ");
				utf8_visible(b, hs->h[i].code[k]);
			}
			buf_addc(b, '\n');
		}
}

static void json_field(struct buf *b, const struct report *r, int i)
{
	const char *s;
	long n;

	s = value(r, i, &n);
	buf_printf(b, "  \"%s\": ", fields[i].key);
	if (fields[i].type == T_PROBLEMS)
		json_problems(b, &r->vi);
	else if (!s)
		buf_adds(b, "null");
	else if (fields[i].type == T_HOOKS)
		json_hooks(b, &r->hooks);
	else if (!s)
		buf_adds(b, "null");
	else if (fields[i].type == T_BOOL)
		buf_adds(b, n ? "true" : "false");
	else if (fields[i].type == T_INT)
		buf_printf(b, "%ld", n);
	else
		json_str(b, s);
}

static int print_json(const struct report *r, int check_only)
{
	struct buf b;
	int i, first = 1;

	buf_init(&b);
	buf_adds(&b, "{\n");
	for (i = 0; i < NFIELDS; i++) {
		if (check_only && i != F_LOCATION && i != F_HEALTH && i != F_PROBLEMS && i != F_FIX)
			continue;
		buf_adds(&b, first ? "" : ",\n");
		json_field(&b, r, i);
		first = 0;
	}
	buf_adds(&b, "\n}\n");
	return emit(&b);
}

static int print_report(const struct report *r)
{
	const struct vinfo *vi = &r->vi;
	struct buf b;
	const char *s;
	long n;
	int i;

	buf_init(&b);
	for (i = 0; i < NFIELDS; i++) {
		if (i == F_CREATOR_VERSION || i == F_PROBLEMS || i == F_FIX)
			continue;	/* shown with the creator and the health */
		s = value(r, i, &n);
		buf_printf(&b, "%-22s ", fields[i].label);
		if (i == F_HEALTH && vi->nprob) {
			buf_printf(&b, "%zu problem%s\n", vi->nprob, vi->nprob == 1 ? "" : "s");
			problem_lines(&b, vi, "  - ");
			buf_printf(&b, "%-22s ", fields[F_FIX].label);
			utf8_visible(&b, vi->fix);
		} else if (i == F_HEALTH) {
			buf_adds(&b, "OK");
		} else if (i == F_HOOKS && s && n) {
			buf_printf(&b, "%ld file%s run code at every start\n", n, n == 1 ? "" : "s");
			hook_lines(&b, &r->hooks, "  - ");
			b.len--;	/* the line's own newline follows */
		} else if (i == F_HOOKS && s) {
			buf_adds(&b, "none");
		} else if (i == F_CREATOR && vi->v.creator_version[0]) {
			utf8_visible(&b, s);
			buf_addc(&b, ' ');
			utf8_visible(&b, vi->v.creator_version);
		} else if (i == F_SITE && !vi->v.site_ok) {
			utf8_visible(&b, s);
			buf_adds(&b, " (missing)");
		} else if (i == F_BASE_VERSION && !s) {
			buf_adds(&b, missing(vi) ? "missing" : "unknown");
		} else if (!s) {
			buf_adds(&b, "-");
		} else if (fields[i].type == T_BOOL) {
			buf_adds(&b, n ? "yes" : "no");
		} else if (fields[i].type == T_INT) {
			buf_printf(&b, "%ld", n);
		} else {
			utf8_visible(&b, s);
		}
		buf_addc(&b, '\n');
	}
	return emit(&b);
}

static int print_get(const struct report *r, const char *key)
{
	int i = find_key(key);
	struct buf b;
	const char *s;
	size_t k;
	long n;

	buf_init(&b);
	s = value(r, i, &n);
	if (i == F_PROBLEMS) {
		for (k = 0; k < r->vi.nprob; k++)
			buf_printf(&b, "%s: %s\n", vproblem_name(r->vi.prob[k].kind), r->vi.prob[k].msg);
	} else if (i == F_HOOKS && s) {
		hook_lines(&b, &r->hooks, "");
	} else if (!s) {
		buf_addc(&b, '\n');
	} else if (fields[i].type == T_BOOL) {
		buf_adds(&b, n ? "true\n" : "false\n");
	} else if (fields[i].type == T_INT) {
		buf_printf(&b, "%ld\n", n);
	} else {
		buf_printf(&b, "%s\n", s);
	}
	return emit(&b);
}

static int print_check(const struct report *r, int json)
{
	const struct vinfo *vi = &r->vi;
	struct buf b;

	if (json)
		return print_json(r, 1);
	buf_init(&b);
	problem_lines(&b, vi, NULL);
	if (vi->fix) {
		buf_adds(&b, "fix: ");
		utf8_visible(&b, vi->fix);
		buf_addc(&b, '\n');
	}
	return emit(&b);
}

/* --list and --freeze: pip's own formats, rendered by lib (distlist.c). */
static int print_dists(const struct report *r, const struct opts *o)
{
	struct buf b;

	buf_init(&b);
	if (o->mode == M_LIST)
		dists_list(&b, &r->ds, o->json);
	else
		dists_freeze(&b, &r->ds, o->json, o->all, r->vi.v.major == 3 ? r->vi.v.minor : 99);
	return emit(&b);
}

static int print_verify(const struct report *r, const struct verify *v, int json)
{
	const struct dist *d;
	struct buf b;
	size_t i, ndist = 0;

	buf_init(&b);
	for (i = 0; i < v->nf; i++)
		ndist += !i || v->f[i].dist != v->f[i - 1].dist;
	if (json) {
		buf_adds(&b, "{\n  \"location\": ");
		json_str(&b, r->vi.v.dir);
		buf_printf(&b, ",\n  \"ok\": %s,\n  \"distributions\": %zu,\n  \"files\": %zu,\n"
			   "  \"hashed\": %zu,\n  \"size_only\": %zu,\n  \"outside\": %zu,\n"
			   "  \"unverifiable\": %zu,\n  \"problems\": [", v->nf ? "false" : "true", r->ds.n,
			   v->files, v->hashed, v->unchecked, v->outside, v->unverifiable);
		for (i = 0; i < v->nf; i++) {
			d = &r->ds.d[v->f[i].dist];
			buf_adds(&b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
			json_str(&b, d->name);
			buf_adds(&b, ", \"version\": ");
			json_str(&b, d->version);
			buf_adds(&b, ", \"dist_info\": ");
			json_str(&b, d->dir);
			buf_printf(&b, ", \"kind\": \"%s\", \"path\": ", vfinding_name(v->f[i].kind));
			json_str(&b, v->f[i].path);
			buf_adds(&b, ", \"detail\": ");
			json_str(&b, v->f[i].why);
			buf_addc(&b, '}');
		}
		buf_adds(&b, v->nf ? "\n  ]\n}\n" : "]\n}\n");
		return emit(&b);
	}
	for (i = 0; i < v->nf; i++) {
		d = &r->ds.d[v->f[i].dist];
		if (!i || v->f[i].dist != v->f[i - 1].dist) {
			utf8_visible(&b, d->name);
			buf_addc(&b, ' ');
			utf8_visible(&b, d->version);
			buf_adds(&b, " (");
			utf8_visible(&b, d->dir);
			buf_adds(&b, "):\n");
		}
		buf_printf(&b, "  %-10s ", vfinding_name(v->f[i].kind));
		utf8_visible(&b, v->f[i].path);
		if (v->f[i].why) {
			buf_adds(&b, " (");
			utf8_visible(&b, v->f[i].why);
			buf_addc(&b, ')');
		}
		buf_addc(&b, '\n');
	}
	if (v->nf)
		buf_printf(&b, "%zu problem%s in %zu of %zu distributions (%zu files checked)\n", v->nf,
			   v->nf == 1 ? "" : "s", ndist, r->ds.n, v->files);
	else
		buf_printf(&b, "OK: %zu distributions, %zu files checked\n", r->ds.n, v->files);
	if (v->unverifiable)
		buf_printf(&b, "note: %zu legacy .egg-info distribution%s without RECORD, not verified\n",
			   v->unverifiable, v->unverifiable == 1 ? "" : "s");
	if (v->unchecked)
		buf_printf(&b, "note: %zu file%s hashed with another algorithm than sha256: size checked only\n",
			   v->unchecked, v->unchecked == 1 ? "" : "s");
	if (v->outside)
		buf_printf(&b, "note: %zu RECORD row%s outside the venv, not checked\n", v->outside,
			   v->outside == 1 ? "" : "s");
	if (v->walk_errors)
		buf_printf(&b, "note: %zu director%s could not be searched for unlisted files\n",
			   v->walk_errors, v->walk_errors == 1 ? "y" : "ies");
	return emit(&b);
}

enum { O_JSON = 256, O_FREEZE, O_ALL, O_GET, O_CHECK, O_VERIFY, O_HELP, O_VERSION };

static const struct option longopts[] = {
	{ "json", no_argument, NULL, O_JSON },
	{ "list", no_argument, NULL, 'l' },
	{ "freeze", no_argument, NULL, O_FREEZE },
	{ "all", no_argument, NULL, O_ALL },
	{ "get", required_argument, NULL, O_GET },
	{ "check", no_argument, NULL, O_CHECK },
	{ "verify", no_argument, NULL, O_VERIFY },
	{ "help", no_argument, NULL, O_HELP },
	{ "version", no_argument, NULL, O_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void set_mode(struct opts *o, enum mode m)
{
	if (o->mode != m)
		o->nmodes++;
	o->mode = m;
}

static int bad_key(const char *key)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; i < NFIELDS; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", fields[i].key);
	fprintf(stderr, "venvinfo: --get %s: unknown key; the keys are: %s\n", key, b.s);
	fputs("Try 'venvinfo --help' for more information.\n", stderr);
	buf_free(&b);
	return 2;
}

/* -1 to go on, else the exit status. */
static int parse(struct opts *o, int argc, char **argv)
{
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":lh", longopts, NULL)) != -1) {
		switch (c) {
		case O_JSON: o->json = 1; break;
		case 'l': set_mode(o, M_LIST); break;
		case O_FREEZE: set_mode(o, M_FREEZE); break;
		case O_ALL: o->all = 1; break;
		case O_GET: set_mode(o, M_GET); o->key = optarg; break;
		case O_CHECK: set_mode(o, M_CHECK); break;
		case O_VERIFY: set_mode(o, M_VERIFY); break;
		case 'h': case O_HELP: return APPLET_HELP;
		case O_VERSION: return APPLET_VERSION;
		case ':': return msg_usage("venvinfo", "%s: needs a value", argv[optind - 1]);
		default: return msg_usage("venvinfo", "%s: unknown option", argv[optind - 1]);
		}
	}
	if (o->nmodes > 1)
		return msg_usage("venvinfo", "%s", "--list, --freeze, --get, --check and --verify exclude each other");
	if (o->mode == M_GET && o->json)
		return msg_usage("venvinfo", "%s", "--get prints one value; it does not combine with --json");
	if (o->all && o->mode != M_FREEZE)
		return msg_usage("venvinfo", "%s", "--all goes with --freeze");
	if (o->mode == M_GET && find_key(o->key) == NFIELDS)
		return bad_key(o->key);
	if (argc - optind > 1)
		return msg_usage("venvinfo", "%s: only one ENV_DIR", argv[optind + 1]);
	o->dir = optind < argc ? argv[optind] : NULL;
	return -1;
}

static int run(struct report *r, const struct opts *o)
{
	struct verify v;
	struct err e = { "" };
	int rc;

	if (r->vi.v.site_ok) {
		if (dists_scan(&r->ds, &r->vi.v, &e)) {
			if (o->mode == M_LIST || o->mode == M_FREEZE || o->mode == M_VERIFY) {
				msg_error("venvinfo", "%s", e.msg);
				return 1;
			}
			r->ndists = -1;
		} else {
			size_t n;

			free((void *)dists_ordered(&r->ds, 0, &n));
			r->ndists = (long)n;
			r->have_ds = 1;
			if (o->mode == M_LIST || o->mode == M_FREEZE)	/* all that pip shows */
				dists_scan_base(&r->ds, &r->vi.v);
		}
	} else if (o->mode == M_LIST || o->mode == M_FREEZE || o->mode == M_VERIFY) {
		msg_error("venvinfo", "%s: no site-packages (%s is missing)", r->vi.v.dir, r->vi.v.site_rel);
		return 1;
	} else {
		r->ndists = -1;
	}
	switch (o->mode) {
	case M_LIST: case M_FREEZE: return print_dists(r, o) ? 1 : 0;
	case M_VERIFY:
		if (verify_dists(&v, r->vi.v.dir, r->vi.v.site_rel, &r->ds, &e)) {
			msg_error("venvinfo", "%s", e.msg);
			return 1;
		}
		rc = print_verify(r, &v, o->json) ? 1 : v.nf ? 1 : 0;
		verify_free(&v);
		return rc;
	default:
		break;
	}
	vinfo_check(&r->vi, r->have_ds ? &r->ds : NULL, e.msg);
	if (o->mode != M_CHECK && r->vi.v.site_ok) {	/* unreadable: null, as distributions is */
		struct err he = { "" };

		r->have_hooks = hooks_scan(&r->hooks, &r->vi.v, &he) == 0;
	}
	if (o->mode == M_CHECK)
		return print_check(r, o->json) ? 1 : r->vi.nprob ? 1 : 0;
	if (o->mode == M_GET)
		return print_get(r, o->key) ? 1 : 0;
	return (o->json ? print_json(r, 0) : print_report(r)) ? 1 : 0;
}

int venvinfo_main(int argc, char **argv)
{
	struct opts o = { M_REPORT, 0, 0, 0, NULL, NULL };
	struct report r;
	struct err e = { "" };
	char *dir;
	int rc;

	rc = parse(&o, argc, argv);
	if (rc >= 0)
		return rc;
	dir = venv_locate(o.dir, VENV_ACTIVE_OR_NEAREST, getenv("VIRTUAL_ENV"), &e);
	if (!dir) {
		msg_error("venvinfo", "%s", e.msg);
		return 1;
	}
	memset(&r, 0, sizeof r);
	if (vinfo_open(&r.vi, dir, &e)) {
		msg_error("venvinfo", "%s", e.msg);
		vinfo_free(&r.vi);
		free(dir);
		return 1;
	}
	rc = run(&r, &o);
	if (rc == 1 && ferror(stdout))
		msg_error("venvinfo", "cannot write the output");
	dists_free(&r.ds);
	hooks_free(&r.hooks);
	vinfo_free(&r.vi);
	free(dir);
	return rc;
}
