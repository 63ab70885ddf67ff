/* tree.c: the PEP 405 tree exactly as `python -m venv` of each CPython version lays it out:
 * directories, interpreter links or copies, pyvenv.cfg and activation scripts. Everything
 * is written in the directory it goes in, opened without following a link: another user
 * who can write the venv's directory cannot send a write elsewhere. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "venv/venv.h"

/* Writes NAME: a new file in a fresh tree, an atomic replacement in an existing one. */
static int put_file(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
		    int exact, int fresh, struct err *e)
{
	return (fresh ? file_write_new : file_write_replace)(dirfd, name, data, len,
							     mode | (exact ? FILE_MODE_EXACT : 0), e);
}

/* A symbolic link made under a temporary name and renamed over NAME. */
static int put_link(int dirfd, const char *target, const char *name, int fresh, struct err *e)
{
	char tmp[256];

	if (fault_point(e))
		return -1;
	if (fresh)
		return symlinkat(target, dirfd, name) < 0 ? err_sys(e, "cannot create the link %s", name) : 0;
	snprintf(tmp, sizeof tmp, "%s.venvbox-%ld", name, (long)getpid());
	unlinkat(dirfd, tmp, 0);
	if (symlinkat(target, dirfd, tmp) < 0)
		return err_sys(e, "cannot create the link %s", name);
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		err_sys(e, "cannot create the link %s", name);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return 0;
}

static int exists_at(int dirfd, const char *name, const struct venvopt *o)
{
	struct stat st;

	return !o->fresh && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* bin/, opened without following a link (nor one on the way). */
static int open_bin(int dirfd, struct err *e)
{
	const char *base;

	return dircache_open(dirfd, "bin/", 0, &base, e);
}

/* venv's setup_python: bin/<name invoked> is the interpreter (a link to it or a copy);
 * python, python3, python3.X and PITHON (as py_layout says) refer to it. Existing names are kept unless
 * upgrading, which re-points them at the new interpreter. */
static int setup_python(int bin, const struct pyinfo *py, const struct venvopt *o, struct err *e)
{
	char names[6][32];
	const char *exename = path_base(py->exe);
	struct pylayout p;
	int n, i;

	py_layout(py, &p);
	for (n = 0; n < p.nalias; n++)
		strcpy(names[n], p.alias[n]);
	if (p.pithon && o->utf8_fs)
		strcpy(names[n++], PITHON);
	if (strlen(exename) > 64)
		return err_set(e, "%s: interpreter name too long", py->exe);
	if (o->upgrade || !exists_at(bin, exename, o)) {
		if (o->copies ? file_copy(py->exe, bin, exename, 0755, e)
			      : put_link(bin, py->exe, exename, o->fresh, e))
			return -1;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], exename))
			continue;
		if (exists_at(bin, names[i], o) && !o->upgrade)
			continue;
		if (o->copies ? file_copy(py->exe, bin, names[i], 0755, e)
			      : put_link(bin, exename, names[i], o->fresh, e))
			return -1;
	}
	return 0;
}

/* PyPy's venv, copying, also copies the library the interpreter is linked to when it sits
 * beside it (bin/libpypy3.X-c.so of a portable PyPy), and every entry of the installation's
 * ../lib but its standard library (a portable build's libffi, tcl and tk). Only that layout
 * is copied from: where the library is elsewhere (Debian keeps it in /usr/lib/TRIPLET) the
 * installation's ../lib is the system's /usr/lib, which PyPy's venv would copy whole; the
 * copied interpreter needs none of it, since pyvenv.cfg's home leads it to its standard
 * library. */
static int pypy_copies(int dirfd, int bin, const struct pyinfo *py, const struct venvopt *o,
		       struct err *e)
{
	char lib[64], own[64], *dir = path_dir(py->exe), *src, *libdir;
	struct dirent *de;
	struct stat st;
	mode_t mask = file_umask();
	DIR *d;
	int rc = 0, l = -1;

	snprintf(lib, sizeof lib, "libpypy%d.%d-c.so", py->major, py->minor);
	snprintf(own, sizeof own, "pypy%d.%d", py->major, py->minor);
	src = path_join(dir, lib);
	if (stat(src, &st) || !S_ISREG(st.st_mode)) {
		free(src);
		free(dir);
		return 0;
	}
	if (o->upgrade || !exists_at(bin, lib, o))
		rc = file_copy(src, bin, lib, 0755, e);
	free(src);
	src = path_join(dir, "../lib");
	libdir = path_real(src);
	free(src);
	free(dir);
	if (rc || !libdir || !(d = opendir(libdir))) {
		free(libdir);
		return rc;
	}
	if ((l = openat(dirfd, "lib", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		rc = err_sys(e, "cannot open lib");
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, own)
		    || fstatat(l, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;	/* kept when there: upgrading does not copy directories again */
		src = path_join(libdir, de->d_name);
		if (stat(src, &st) == 0 && S_ISREG(st.st_mode))	/* shutil.copyfile: a new file's mode */
			rc = file_copy(src, l, de->d_name, 0666 & ~mask, e);
		else	/* shutil.copytree: the modes kept */
			rc = file_copy_tree(src, l, de->d_name, e);
		free(src);
	}
	if (l >= 0)
		close(l);
	closedir(d);
	free(libdir);
	return rc;
}

/* Each directory made in the one before it, none reached through a link. */
static int ensure_directories(int dirfd, const struct pyinfo *py, const struct venvopt *o,
			      struct err *e)
{
	struct pylayout p;
	const char *dirs[] = { "bin", "include", p.include, "lib", p.lib, p.site }, *base;
	struct dircache dc;
	size_t i;
	int pfd, rc = 0;

	py_layout(py, &p);
	dircache_init(&dc, dirfd, 0);
	for (i = 0; i < sizeof dirs / sizeof dirs[0] && !rc; i++)
		if (dirs[i][0] && ((pfd = dircache_parent(&dc, dirs[i], 0, &base, e)) < 0
				   || file_mkdir(pfd, base, 0777, e)))
			rc = -1;
	dircache_close(&dc);
	if (rc)
		return -1;
	if (p.lib64 && !exists_at(dirfd, "lib64", o)) {
		if (fault_point(e))
			return -1;
		if (symlinkat("lib", dirfd, "lib64") < 0)
			return err_sys(e, "cannot create the link lib64");
	}
	return 0;
}

int venv_write_cfg(int dirfd, const struct pyinfo *py, const struct venvopt *o,
		   const char *prompt, struct err *e)
{
	struct buf b;
	int rc;

	buf_init(&b);
	buf_printf(&b, "home = %s\n", py->home);
	buf_printf(&b, "include-system-site-packages = %s\n", o->system_site ? "true" : "false");
	buf_printf(&b, "version = %s\n", py->version);
	if (o->prompt && py->minor >= 8) {
		buf_adds(&b, "prompt = ");
		py_repr_str(&b, prompt);
		buf_addc(&b, '\n');
	}
	if (py->minor >= 11) {
		buf_printf(&b, "executable = %s\n", py->real);
		buf_printf(&b, "command = %s\n", o->command);
	}
	buf_printf(&b, "venvbox = %s\n", VENVBOX_VERSION);
	if (o->relocatable)
		buf_adds(&b, "relocatable = true\n");
	rc = put_file(dirfd, "pyvenv.cfg", b.s, b.len, 0666, 0, o->fresh, e);
	buf_free(&b);
	return rc;
}

int venv_write_scripts(int dirfd, const char *absdir, const struct pyinfo *py,
		       const struct venvopt *o, const char *prompt, struct err *e)
{
	const struct tvar vars[] = {
		{ "VIRTUAL_ENV", absdir },
		{ "VIRTUAL_ENV_PROMPT", prompt },
		{ "BIN_NAME", "bin" },
		{ "RELOCATABLE", o->relocatable ? "1" : "" },
	};
	const struct template *t;
	struct buf b;
	size_t i;
	int bin = open_bin(dirfd, e), rc = bin < 0 ? -1 : 0;

	buf_init(&b);
	for (i = 0; !rc && (t = template_at(i)); i++) {
		if (t->min_minor < 0 || py->minor < t->min_minor)
			continue;
		if (template_render(&b, t, vars, sizeof vars / sizeof vars[0], e)
		    || put_file(bin, t->name, b.s, b.len, 0644, 1, o->fresh, e))
			rc = -1;
	}
	buf_free(&b);
	if (bin >= 0)
		close(bin);
	return rc;
}

static int populate(int dirfd, const char *absdir, const struct pyinfo *py,
		    const struct venvopt *o, const char *prompt, struct err *e)
{
	const struct template *gi = template_find(".gitignore");
	int bin, rc;

	if (ensure_directories(dirfd, py, o, e))
		return -1;
	if (o->scm_ignore && !exists_at(dirfd, ".gitignore", o)
	    && put_file(dirfd, ".gitignore", gi->text, (size_t)(gi->end - gi->text), 0666, 0, o->fresh, e))
		return -1;
	if ((bin = open_bin(dirfd, e)) < 0)
		return -1;
	rc = setup_python(bin, py, o, e);
	if (!rc && py->pypy && o->copies)
		rc = pypy_copies(dirfd, bin, py, o, e);
	close(bin);
	if (rc)
		return -1;
	if (!o->upgrade && venv_write_scripts(dirfd, absdir, py, o, prompt, e))
		return -1;
	return 0;
}

/* Everything but pyvenv.cfg, which the caller writes last: it is what makes a venv. A
 * failure names the venv: its paths inside it are relative. */
int venv_populate(int dirfd, const char *absdir, const struct pyinfo *py,
		  const struct venvopt *o, const char *prompt, struct err *e)
{
	char why[sizeof e->msg];

	if (populate(dirfd, absdir, py, o, prompt, e) == 0)
		return 0;
	if (strncmp(e->msg, absdir, strlen(absdir))) {
		snprintf(why, sizeof why, "%s", e->msg);
		err_set(e, "%s: %s", absdir, why);
	}
	return -1;
}
