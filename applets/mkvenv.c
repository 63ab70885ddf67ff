/* mkvenv.c: the mkvenv applet: python3 -m venv without Python's venv module (SPEC §2). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "applets.h"
#include <sys/stat.h>
#include "pkg/pkg.h"

struct mkvenv {
	const char *argv0;
	struct venvopt o;
	struct seedopt seed;
	const char *python;
	int quiet, verbose, no_cache;
	const char *link_mode;	/* --link-mode's value, or NULL */
	struct planopt plan;	/* -r files, --require-hashes, --no-deps */
	char prompt_buf[PATH_MAX];
	sigset_t held;		/* the signal mask before an install held termination signals */
	int holding;		/* they are held: released once what happened is said */
	int lock_errno;		/* why lock_venv found no directory to open */
};

enum { O_SYSTEM = 256, O_SYMLINKS, O_COPIES, O_CLEAR, O_UPGRADE, O_WITHOUT_PIP, O_PROMPT,
       O_UPGRADE_DEPS, O_NO_SCM, O_FIND_LINKS, O_RELOCATABLE, O_RELAX, O_NO_CACHE, O_LINK_MODE, O_HELP,
       O_VERSION, O_REQUIRE_HASHES, O_NO_DEPS, O_NO_INDEX };

static const struct option longopts[] = {
	{ "python", required_argument, NULL, 'p' },
	{ "system-site-packages", no_argument, NULL, O_SYSTEM },
	{ "symlinks", no_argument, NULL, O_SYMLINKS },
	{ "copies", no_argument, NULL, O_COPIES },
	{ "clear", no_argument, NULL, O_CLEAR },
	{ "upgrade", no_argument, NULL, O_UPGRADE },
	{ "without-pip", no_argument, NULL, O_WITHOUT_PIP },
	{ "prompt", required_argument, NULL, O_PROMPT },
	{ "upgrade-deps", no_argument, NULL, O_UPGRADE_DEPS },
	{ "without-scm-ignore-files", no_argument, NULL, O_NO_SCM },
	{ "wheel", required_argument, NULL, 'w' },
	{ "find-links", required_argument, NULL, O_FIND_LINKS },
	{ "requirement", required_argument, NULL, 'r' },
	{ "require-hashes", no_argument, NULL, O_REQUIRE_HASHES },
	{ "no-deps", no_argument, NULL, O_NO_DEPS },
	{ "no-index", no_argument, NULL, O_NO_INDEX },
	{ "relocatable", no_argument, NULL, O_RELOCATABLE },
	{ "allow-missing-hashes", no_argument, NULL, O_RELAX },
	{ "no-cache", no_argument, NULL, O_NO_CACHE },
	{ "link-mode", required_argument, NULL, O_LINK_MODE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, O_HELP },
	{ "version", no_argument, NULL, O_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void add(char ***v, size_t *n, char *s)
{
	*v = xgrow(*v, *n, sizeof **v);
	(*v)[(*n)++] = s;
}

/* --link-mode, else $VENVBOX_LINK_MODE, else clone: into M->seed; -1, or a usage error */
static int link_mode(struct mkvenv *m)
{
	static const char *const names[] = { [LINK_CLONE] = "clone", [LINK_COPY] = "copy",
					      [LINK_HARDLINK] = "hardlink" };
	const char *v = m->link_mode ? m->link_mode : getenv("VENVBOX_LINK_MODE");
	int i;

	if (!v || !*v)
		return -1;
	for (i = 0; i < (int)(sizeof names / sizeof *names); i++)
		if (!strcmp(v, names[i])) {
			m->seed.link_mode = i;
			return -1;
		}
	return msg_usage("mkvenv", m->link_mode ? "--link-mode %s: not a link mode (clone, copy or hardlink)"
			 : "VENVBOX_LINK_MODE=%s: not a link mode (clone, copy or hardlink)", v);
}

static int parse(struct mkvenv *m, int argc, char **argv)
{
	int c, symlinks = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":p:w:r:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': m->python = optarg; break;
		case O_SYSTEM: m->o.system_site = 1; break;
		case O_SYMLINKS: symlinks = 1; break;
		case O_COPIES: m->o.copies = 1; break;
		case O_CLEAR: m->o.clear = 1; break;
		case O_UPGRADE: m->o.upgrade = 1; break;
		case O_WITHOUT_PIP: m->o.without_pip = 1; break;
		case O_PROMPT: m->o.prompt = optarg; break;
		case O_NO_SCM: m->o.scm_ignore = 0; break;
		case 'q': m->quiet = 1; m->verbose = 0; break;
		case 'v': m->verbose = 1; m->quiet = 0; break;
		case O_HELP: case 'h': return APPLET_HELP;
		case O_VERSION: return APPLET_VERSION;
		case 'w': add(&m->seed.wheels, &m->seed.nwheels, optarg); break;
		case O_FIND_LINKS: add(&m->seed.links, &m->seed.nlinks, optarg); break;
		case 'r': add(&m->plan.reqs, &m->plan.nreqs, optarg); break;
		case O_REQUIRE_HASHES: m->plan.require_hashes = 1; break;
		case O_NO_DEPS: m->plan.no_deps = 1; break;
		case O_NO_INDEX: break;	/* there is never an index */
		case O_UPGRADE_DEPS: m->o.upgrade_deps = 1; break;
		case O_RELAX: m->seed.relax_hash = 1; break;
		case O_NO_CACHE: m->no_cache = 1; break;
		case O_LINK_MODE: m->link_mode = optarg; break;
		case O_RELOCATABLE: m->o.relocatable = m->seed.relocatable = 1; break;
		case ':': return msg_usage("mkvenv", "%s: needs a value", argv[optind - 1 < argc ? optind - 1 : argc - 1]);
		default: return msg_usage("mkvenv", "%s: unknown option", argv[optind - 1]);
		}
	}
	if (symlinks && m->o.copies)
		return msg_usage("mkvenv", "%s", "--symlinks and --copies exclude each other");
	if (m->o.clear && m->o.upgrade)
		return msg_usage("mkvenv", "%s", "--clear and --upgrade exclude each other");
	return link_mode(m);
}

/* `command =` in pyvenv.cfg: how to make this venv again, in venv's own argument format
 * (RELOCATABLE: --relocatable given, or kept across --upgrade). */
static char *command_line(const struct mkvenv *m, int relocatable, const char *argv0,
			  const char *absdir)
{
	char *self = path_self(argv0);
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_adds(&b, self ? self : "venvbox");
	if (!self || strcmp(path_base(self), "mkvenv"))
		buf_adds(&b, " mkvenv");
	free(self);
	if (m->python)
		buf_printf(&b, " --python %s", m->python);
	if (m->o.copies)
		buf_adds(&b, " --copies");
	if (m->o.without_pip)
		buf_adds(&b, " --without-pip");
	if (m->o.system_site)
		buf_adds(&b, " --system-site-packages");
	if (m->o.clear)
		buf_adds(&b, " --clear");
	if (m->o.upgrade)
		buf_adds(&b, " --upgrade");
	if (m->o.upgrade_deps)
		buf_adds(&b, " --upgrade-deps");
	if (m->o.prompt)
		buf_printf(&b, " --prompt=\"%s\"", m->o.prompt);
	if (!m->o.scm_ignore)
		buf_adds(&b, " --without-scm-ignore-files");
	if (relocatable)
		buf_adds(&b, " --relocatable");
	for (i = 0; i < m->seed.nlinks; i++)
		buf_printf(&b, " --find-links %s", m->seed.links[i]);
	for (i = 0; i < m->seed.nwheels; i++)
		buf_printf(&b, " --wheel %s", m->seed.wheels[i]);
	for (i = 0; i < m->plan.nreqs; i++)
		buf_printf(&b, " --requirement %s", m->plan.reqs[i]);
	if (m->plan.require_hashes)
		buf_adds(&b, " --require-hashes");
	if (m->plan.no_deps)
		buf_adds(&b, " --no-deps");
	buf_printf(&b, " %s", absdir);
	return b.s;
}

/* The prompt: --prompt, '.' meaning the current directory's name, else the venv's name;
 * --upgrade keeps the one the existing venv OLD records. */
static const char *choose_prompt(struct mkvenv *m, const char *absdir, const struct venv *old,
				 struct err *e)
{
	char cwd[PATH_MAX];

	if (m->o.prompt && !strcmp(m->o.prompt, ".")) {
		if (!getcwd(cwd, sizeof cwd))
			return err_sys(e, "cannot read the current directory"), NULL;
		snprintf(m->prompt_buf, sizeof m->prompt_buf, "%s", path_base(cwd));
		return m->prompt_buf;
	}
	if (m->o.prompt)
		return m->o.prompt;
	if (!m->o.upgrade || !old || !old->prompt_recorded)
		return path_base(absdir);
	snprintf(m->prompt_buf, sizeof m->prompt_buf, "%s", old->prompt);
	return m->prompt_buf;
}

/* The unpacked-wheel cache: $VENVBOX_CACHE_DIR (a relative one from the current
 * directory), else $XDG_CACHE_HOME/venvbox (only an absolute one, as the XDG spec says), else
 * ~/.cache/venvbox; none with --no-cache or VENVBOX_NO_CACHE (other than 0). */
static char *cache_dir(int off)
{
	const char *env = getenv("VENVBOX_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME"), *no = getenv("VENVBOX_NO_CACHE");
	struct buf b;

	if (off || (no && *no && strcmp(no, "0")))
		return NULL;
	if (env && *env)
		return xstrdup(env);	/* walked from its first component, as given */
	buf_init(&b);
	if (xdg && xdg[0] == '/')
		buf_printf(&b, "%s/venvbox", xdg);
	else if (home && home[0] == '/')
		buf_printf(&b, "%s/.cache/venvbox", home);
	return b.s;
}

/* A directory another user owns, written into in place: that user could change it meanwhile
 * (nothing is written through a link they put there, but say whose it is). */
static void warn_owner(const char *dir, long uid, const char *what)
{
	struct passwd *pw = getpwuid((uid_t)uid);

	msg_info("mkvenv", "warning: %s belongs to %s%s(uid %ld), not to this user; %s it in place",
		 dir, pw ? pw->pw_name : "", pw ? " " : "", uid, what);
}

/* -v: how many of each wheel's files came from the cache and how many were unpacked. */
static void report_installs(const struct mkvenv *m, const struct seedresult *r)
{
	size_t i, from, n;
	char cached[160];

	for (i = 0; m->verbose && i < r->ndone; i++) {
		const struct seedinstall *d = &r->done[i];
		const struct wcachestats *c = &d->r.cache;

		n = d->r.files;
		from = c->copies;
		cached[0] = 0;
		if (from)
			snprintf(cached, sizeof cached, "%zu from the cache (%zu hashed again)%s",
				 from, c->hashed, from < n ? ", " : "");
		msg_info("mkvenv", "%s %s: %zu files: %s%s%s%s", d->name, d->version, n, cached,
			 from < n ? "unpacked from " : "", from < n ? d->path : "",
			 c->spoiled ? " (a cached file did not verify: the cache entry is dropped)"
			 : c->kept ? " (and kept in the cache)" : "");
	}
	if (m->verbose && r->ndone && m->seed.cache_dir && !m->seed.relax_hash) {
		struct err why = { "" };
		int fd = wcache_dir(m->seed.cache_dir, 1, &why);

		if (fd < 0)
			msg_info("mkvenv", "the cache of unpacked wheels is not used: %s", why.msg);
		else
			close(fd);
	}
}

/* What seeding had to say about one directory, after what was done there. */
static void report_warnings(const struct pyinfo *py, const struct seedresult *r)
{
	size_t i;

	for (i = 0; i < r->nwarn; i++)
		msg_info("mkvenv", "warning: %s: %s", r->warn[i].path, r->warn[i].msg);
	if (r->missing[0])
		msg_info("mkvenv", "warning: no pip wheel for Python %s found in %s; the venv has no pip. "
			 "Supply one with --wheel pip-VERSION-py3-none-any.whl, --find-links DIR or "
			 "MKVENV_WHEEL_DIR (or say --without-pip)", py->version, r->missing);
	if (r->debundled[0])
		msg_info("mkvenv", "warning: %s is Debian's de-vendored pip: it loads its dependencies from "
			 "the wheels in /usr/share/python-wheels of the system it runs on (python3-pip-whl), "
			 "so this relocatable venv's pip runs only where those are installed; for a pip that "
			 "travels with the venv, give an upstream pip wheel (--find-links DIR or --wheel)",
			 r->debundled);
	if (r->stdlib_missing[0]) {
		struct pylayout vp;

		py_layout(py, &vp);
		msg_info("mkvenv", "warning: pip will not run: the standard library of Python %s (%s/%s) lacks %s; "
			 "install all of it (on Debian: apt-get install python3)", py->version, py->prefix,
			 vp.lib, r->stdlib_missing);
	}
}

/* What was done to DIR (the stage's MODE; OLD the venv that was there) and with which seeds,
 * in one line. */
static void report_done(const struct mkvenv *m, const struct pyinfo *py, const char *dir,
			int mode, const struct venv *old, const struct seedresult *r)
{
	const char *verb = mode == STAGE_NEW ? "created" : old && (mode == STAGE_SWAP || mode == STAGE_INPLACE_CLEAR)
			   ? "re-created" : !old ? "filled" : m->o.upgrade ? "upgraded" : "reused";
	struct buf q, seeds;
	size_t i;

	buf_init(&q);
	buf_init(&seeds);
	for (i = 0; i < r->nseeds; i++) {
		const struct seedstate *s = &r->seeds[i];

		buf_printf(&seeds, "%s %s %s", i ? "," : " and", s->name, s->version);
		if (!strcmp(s->was, s->version))
			buf_adds(&seeds, " (kept)");
		else if (s->was[0])
			buf_printf(&seeds, " (upgraded from %s)", s->was);
	}
	buf_printf(&q, "%s/bin/activate", dir);
	if (strpbrk(q.s, " \t'\"$`\\!*?[]{}()<>|&;#~")) {	/* a hint one can paste */
		struct buf qq;

		buf_init(&qq);
		quote_shell(&qq, SHELL_SH, q.s, NULL);
		buf_free(&q);
		q = qq;
	}
	msg_info("mkvenv", "%s %s with Python %s (%s)%s; activate with: . %s", verb, dir, py->version,
		 py->exe, seeds.s ? seeds.s : "", q.s);
	buf_free(&seeds);
	buf_free(&q);
}

/* plan_make, and what a lock file warned of said (unless -q). */
static int make_plan(const struct mkvenv *m, const struct pyinfo *py, struct seedopt *so,
		     struct plan *pl, struct err *e)
{
	int rc = plan_make(&m->plan, py, so, pl, e);
	char *s, *nl;

	for (s = pl->warn.s; !m->quiet && s && *s; s = nl + 1) {
		if (!(nl = strchr(s, '\n')))
			nl = s + strlen(s) - 1;
		msg_info("mkvenv", "warning: %.*s", (int)(nl - s + (*nl != '\n')), s);
	}
	return rc;
}

/* On a terminal, unless -q: one line on stderr saying how far an install of more than a
 * few wheels is, rewritten as it goes and erased at the end. */
static void progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	if (total <= 3)
		return;
	if (done < total)
		fprintf(stderr, "\rinstalling %zu/%zu wheels\u2026", done + 1, total);
	else
		fprintf(stderr, "\r\033[K");
}

static void want_progress(const struct mkvenv *m, struct seedopt *so)
{
	if (!m->quiet && isatty(2))
		so->progress = progress;
}

/* pyvenv.cfg as create writes it, for an install's stage. */
struct cfgfile {
	const struct pyinfo *py;
	const struct venvopt *o;
	const char *prompt;
};

/* The cfg CTX says written into DIRFD, a new directory, to go into the venv with its wheels. */
static int write_cfg(void *ctx, int dirfd, struct err *e)
{
	const struct cfgfile *c = ctx;
	struct venvopt o = *c->o;

	o.fresh = 1;
	return venv_write_cfg(dirfd, c->py, &o, c->prompt, e);
}

/* DIR made (or re-made: OLD is the venv there, or NULL). In a directory that was there, the
 * wheels and pyvenv.cfg go in last, as one transaction. */
static int create(struct mkvenv *m, const struct pyinfo *py, const char *dir,
		  const struct venv *old, struct seedresult *res, struct err *e)
{
	struct venvopt o = m->o;
	struct seedopt so;
	struct seedwheels sw;
	struct plan plan;
	struct stage st;
	struct cfgfile cfg;
	const char *prompt;
	char *absdir, *cmd = NULL;
	int rc = -1;

	if (!*dir)
		return err_set(e, "an empty ENV_DIR names no directory");
	absdir = path_abs(dir);
	if (!absdir)
		return err_sys(e, "cannot read the current directory");
	if (strchr(absdir, ':')) {
		err_set(e, "%s: a venv path cannot contain ':' (the PATH separator)", absdir);
		goto out;
	}
	if (quote_check_value("venv path", absdir, e))
		goto out;
	prompt = choose_prompt(m, absdir, old, e);
	if (!prompt || quote_check_value("prompt", prompt, e))
		goto out;
	if (o.prompt && !strcmp(o.prompt, "."))
		o.prompt = prompt;	/* venv records the resolved name */
	else if (!o.prompt && prompt != path_base(absdir))
		o.prompt = prompt;	/* kept across --upgrade */
	o.relocatable = m->o.relocatable || (o.upgrade && old && old->relocatable);	/* kept across --upgrade */
	cmd = command_line(m, o.relocatable, m->argv0, absdir);
	o.command = cmd;
	so = m->seed;
	so.relocatable = o.relocatable;
	want_progress(m, &so);
	if (make_plan(m, py, &so, &plan, e)) {
		plan_free(&plan);
		goto out;
	}
	if (seed_check(py, &so, &sw, e)	/* a bad wheel changes nothing */
	    || plan_closure(&m->plan, &plan, py, &so, &sw, o.clear ? NULL : old, !o.without_pip, e)) {
		seed_done(&sw);
		plan_free(&plan);
		goto out;
	}
	if (stage_begin(&st, absdir, o.clear, e) == 0) {
		if (st.owner >= 0 && !m->quiet)
			warn_owner(absdir, st.owner, o.upgrade ? "upgrading" : o.clear ? "clearing and filling" : "filling");
		o.fresh = st.mode == STAGE_NEW || st.mode == STAGE_SWAP;
		so.direct = o.fresh;
		so.absdir = absdir;
		so.without_pip = o.without_pip;
		so.upgrade_deps = o.upgrade_deps;
		cfg = (struct cfgfile){ py, &o, prompt };
		so.extra = o.fresh ? NULL : write_cfg;
		so.extra_ctx = &cfg;
		if (venv_populate(st.fd, absdir, py, &o, prompt, e) == 0
		    && seed_venv(st.fd, py, &so, &sw, res, e) == 0
		    && (!o.fresh || venv_write_cfg(st.fd, py, &o, prompt, e) == 0)
		    && stage_commit(&st, e) == 0)
			rc = 0;
	}
	seed_done(&sw);
	plan_free(&plan);
	report_installs(m, res);
	if (rc)
		stage_abort(&st);
	if (rc == 0 && !m->quiet)
		report_done(m, py, dir, st.mode, old, res);
	stage_free(&st);
out:
	free(cmd);
	free(absdir);
	return rc;
}

/* DIR, when it is a directory already, opened and locked against other mkvenv runs changing
 * it (flock; with -v, one that has it is said to be waited for); -1 when there is none. The
 * lock held is on the directory DIR names then (--clear may have put a new one there while
 * this run waited). A filesystem without locks is said, and the run goes on. */
static int lock_venv(struct mkvenv *m, const char *dir)
{
	struct stat a, b;
	int fd, r, said = 0;

	while ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		r = journal_lock(fd, 0);
		if (r == 1 && !m->quiet && !said++)	/* said: whoever can read DIR can hold it */
			msg_info("mkvenv", "%s: another mkvenv run is changing it; waiting for it to finish", dir);
		if (r == 1)
			r = journal_lock(fd, 1);
		if (r < 0) {
			msg_info("mkvenv", "warning: %s: cannot lock it (%s); a mkvenv run at the same time "
				 "could interleave with this one", dir, strerror(errno));
			return fd;
		}
		if (fstat(fd, &a) == 0 && stat(dir, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
	m->lock_errno = errno;
	return -1;
}

/* -w into an existing venv (its directory open, and locked, at FD): only the wheels, as one
 * transaction (all of them, or none and the venv as it was); the venv itself is not touched.
 * From the install on, termination signals are held (M->held): one stops and undoes it, and
 * takes effect once the caller has said what happened. */
static int add_wheels(struct mkvenv *m, const struct pyinfo *py, const char *dir,
		      const struct venv *v, int fd, struct seedresult *res, struct err *e)
{
	struct seedopt so = m->seed;
	struct seedwheels sw;
	struct plan plan;
	struct stat st;
	int rc;

	if (fd < 0) {
		errno = m->lock_errno;
		return err_sys(e, "%s", dir);
	}
	if (fstat(fd, &st) == 0 && st.st_uid != geteuid() && !m->quiet)
		warn_owner(v->dir, (long)st.st_uid, "installing into");
	so.absdir = v->dir;
	so.direct = 0;
	so.without_pip = 1;
	so.relocatable = v->relocatable;
	so.interruptible = 1;
	want_progress(m, &so);
	rc = make_plan(m, py, &so, &plan, e);
	if (rc == 0)
		rc = seed_check(py, &so, &sw, e);
	else
		memset(&sw, 0, sizeof sw);
	if (rc == 0)
		rc = plan_closure(&m->plan, &plan, py, &so, &sw, v, 0, e);
	if (rc == 0 && !so.nwheels) {
		seed_done(&sw);
		plan_free(&plan);
		if (!m->quiet)
			msg_info("mkvenv", "nothing to install into %s: the requirements ask for nothing here", dir);
		return 0;
	}
	if (rc == 0) {
		signals_hold(&m->held);
		m->holding = 1;
		rc = seed_venv(fd, py, &so, &sw, res, e);
		if (rc)	/* E names the wheel, or the signal */
			snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg),
				 "; nothing was installed: %s is as it was", dir);
	}
	seed_done(&sw);
	report_installs(m, res);
	plan_free(&plan);
	if (rc == 0 && file_source_date_epoch() >= 0) {	/* the venv's own mtime too, as when it was made */
		struct timespec ts[2] = { { file_source_date_epoch(), 0 }, { file_source_date_epoch(), 0 } };

		stage_epoch(fd);
		futimens(fd, ts);
	}
	if (rc == 0 && !m->quiet)
		msg_info("mkvenv", "installed %zu wheel%s into %s", so.nwheels, so.nwheels == 1 ? "" : "s", dir);
	return rc;
}

/* An existing venv (V, or NULL) given only wheels to install, not to be re-made. */
static int wheels_only(const struct mkvenv *m, const struct venv *v)
{
	return v && (m->seed.nwheels || m->plan.nreqs) && !m->o.clear && !m->o.upgrade && !m->o.upgrade_deps && !m->o.prompt;
}

/* The zip reader's limits, as MKVENV_MAX_UNPACKED (bytes: the whole archive's and each
 * file's unpacked size) and MKVENV_MAX_RATIO (the compression ratio) change them. */
/* Whether the interpreter would start with a UTF-8 file system encoding (3.14's venv makes
 * bin/PITHON only then), told from the environment as CPython's start-up decides it on
 * POSIX: PYTHONUTF8=1 says yes; else the LC_CTYPE locale (the first of LC_ALL, LC_CTYPE,
 * LANG that is set) does: C, POSIX or none is coerced to C.UTF-8 (PEP 538) unless it came
 * from LC_ALL or PYTHONCOERCECLOCALE=0, and else turns on UTF-8 mode (PEP 540) unless
 * PYTHONUTF8=0; a name whose codeset is UTF-8 says yes; any other no. */
static int fs_utf8(void)
{
	const char *u = getenv("PYTHONUTF8"), *c = getenv("PYTHONCOERCECLOCALE"), *v = NULL;
	const char *names[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	size_t i, n;

	if (u && !strcmp(u, "1"))
		return 1;
	for (i = 0; i < 3 && !(v && *v); i++)
		v = getenv(names[i]);
	if (!v || !*v || !strcmp(v, "C") || !strcmp(v, "POSIX"))
		return (i > 1 && !(c && !strcmp(c, "0")))	/* coerced (i == 1: it is LC_ALL) */
		       || !(u && !strcmp(u, "0"));	/* UTF-8 mode */
	if (!(v = strchr(v, '.')))
		return 0;
	n = strcspn(++v, "@");
	return (n == 5 && !strncasecmp(v, "utf-8", 5)) || (n == 4 && !strncasecmp(v, "utf8", 4));
}

static void zip_limits(struct ziplimits *l)
{
	const char *v;

	ziplimits_default(l);
	if ((v = getenv("MKVENV_MAX_UNPACKED")) && *v)
		l->max_total = l->max_entry = strtoull(v, NULL, 10);
	if ((v = getenv("MKVENV_MAX_RATIO")) && *v)
		l->max_ratio = strtoull(v, NULL, 10);
}

/* pyfind, with MKVENV_PYTHON as the default request; with -v, its notes (the interpreters
 * that had to be run to learn their version) told. */
static int find_python(const char *req, int verbose, struct pyinfo *py, struct err *e)
{
	const char *env = getenv("MKVENV_PYTHON"), *named_by = NULL, *p, *nl;
	struct buf notes;
	int r;

	if (!req && env && *env) {
		req = env;
		named_by = "MKVENV_PYTHON";
	}
	buf_init(&notes);
	r = pyfind(req, named_by, py, verbose ? &notes : NULL, e);
	for (p = notes.s; p && (nl = strchr(p, '\n')); p = nl + 1)
		msg_info("mkvenv", "%.*s", (int)(nl - p), p);
	buf_free(&notes);
	return r;
}

static void report_python(const struct pyinfo *py)
{
	msg_info("mkvenv", "%sPython %s%s%s at %s (home %s, prefix %s)%s%s%s%s%s", py->pypy ? "PyPy, " : "", py->version,
		 py->abiflags[0] ? ", ABI flags " : "", py->abiflags, py->exe, py->home, py->prefix,
		 py->how[0] ? "; " : "", py->how,
		 py->ran ? "; version read by running it" : "",
		 !py->ran && py->vfrom[0] ? "; version from " : "", py->ran ? "" : py->vfrom);
}

int mkvenv_main(int argc, char **argv)
{
	struct mkvenv m = { .o = { .scm_ignore = 1 } };
	struct pyinfo py = { 0 }, own, req = { 0 };
	struct err e = { "" };
	struct seedresult res;
	char *dflt[] = { ".venv" }, *bin, *cache;
	char **dirs;
	int ndirs, r, i, rc = 0, found = 0;
	m.argv0 = argv[0];
	zip_limits(&m.seed.lim);
	r = parse(&m, argc, argv);
	if (r >= 0)
		return r;
	for (i = 0; i < (int)m.seed.nlinks; i++)	/* pip warns of these too, and goes on */
		if (!path_is_dir(m.seed.links[i]))
			msg_info("mkvenv", "warning: --find-links %s: not a directory; ignored", m.seed.links[i]);
	m.seed.wheel_dir = getenv("MKVENV_WHEEL_DIR");
	m.o.utf8_fs = fs_utf8();
	m.seed.cache_dir = cache = cache_dir(m.no_cache);
	dirs = argv + optind;
	ndirs = argc - optind;
	if (!ndirs) {
		dirs = dflt;
		ndirs = 1;
	}
	for (i = 0; i < ndirs; i++) {
		struct venv v;
		const struct venv *old;
		int lock = lock_venv(&m, dirs[i]);	/* one run at a time changes a venv */

		if (lock >= 0)	/* what killed runs left, undone before the venv is read */
			install_recover(lock);
		old = venv_open(&v, dirs[i], &e) == 0 ? &v : NULL;	/* not a venv (yet): no matter */
		e.msg[0] = 0;
		memset(&res, 0, sizeof res);
		if (wheels_only(&m, old)) {
			/* the venv's own interpreter decides what fits, and where it goes */
			bin = path_join(dirs[i], "bin/python");
			r = find_python(bin, m.verbose, &own, &e);
			free(bin);
			if (r == 0 && m.verbose)
				report_python(&own);
			if (r == 0 && m.python && find_python(m.python, 0, &req, &e) == 0
			    && (req.minor != own.minor || strcmp(req.abiflags, own.abiflags)))
				r = err_set(&e, "%s is a Python %d.%d%s venv; -p %s is %d.%d%s (mkvenv --upgrade -p %s %s re-makes it)",
					    dirs[i], own.major, own.minor, own.abiflags, m.python, req.major,
					    req.minor, req.abiflags, m.python, dirs[i]);
			pyinfo_free(&req);
			r = r ? -1 : add_wheels(&m, &own, dirs[i], old, lock, &res, &e);	/* signals may be held */
			if (r == 0)
				report_warnings(&own, &res);
			pyinfo_free(&own);
		} else {
			if (!found && find_python(m.python, m.verbose, &py, &e)) {
				msg_error("mkvenv", "%s", e.msg);
				pyinfo_free(&py);
				venv_close(&v);
				if (lock >= 0)
					close(lock);
				rc = 1;
				break;
			}
			if (!found && m.verbose)
				report_python(&py);
			found = 1;
			r = create(&m, &py, dirs[i], old, &res, &e);
			if (r == 0)
				report_warnings(&py, &res);
		}
		venv_close(&v);
		if (r) {
			msg_error("mkvenv", "%s", e.msg);
			rc = 1;
		}
		if (m.holding) {	/* said: a signal that came meanwhile takes effect now */
			signals_release(&m.held);
			m.holding = 0;
		}
		if (lock >= 0)
			close(lock);
		seedresult_free(&res);
	}
	free(cache);
	pyinfo_free(&py);
	free(m.seed.wheels);
	free(m.seed.links);
	free(m.plan.reqs);
	return rc;
}
