/* pyinspect.c: reads what a CPython installation is (version, ABI flags, prefix, word size)
 * from its files, without running it. Running it is pyinspect_run(), the last resort. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "py/py.h"

void pyinfo_free(struct pyinfo *py)
{
	free(py->invoked);
	free(py->exe);
	free(py->home);
	free(py->real);
	free(py->prefix);
	memset(py, 0, sizeof *py);
}

/* "python3.12t" -> minor 12, flags "t"; Debian's python3.14-pie is 3.14 with no flags;
 * "pypy3.11" -> PyPy, minor 11. Returns 1 when NAME is a versioned CPython or PyPy name. */
static int parse_name(const char *name, int *major, int *minor, char *flags, size_t fsz, int *pypy)
{
	const char *p;
	char *end;
	long ma, mi;
	size_t n;
	int pp = !strncmp(name, "pypy", 4);

	if (!pp && strncmp(name, "python", 6))
		return 0;
	p = name + (pp ? 4 : 6);
	if (*p < '0' || *p > '9')
		return 0;
	ma = strtol(p, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return 0;
	mi = strtol(end + 1, &end, 10);
	n = pp ? 0 : strspn(end, "dmtu");
	if (n >= fsz || (end[n] && (pp || strcmp(end + n, "-pie"))))
		return 0;
	*major = ma;
	*minor = mi;
	*pypy = pp;
	memcpy(flags, end, n);
	flags[n] = 0;
	return 1;
}

/* Follow the chain of links from PATH, looking for a versioned name (python3 -> python3.11). */
static int version_from_links(const char *path, struct pyinfo *py)
{
	char cur[PATH_MAX], target[PATH_MAX], *dir, *next;
	ssize_t n;
	int hops;

	if (strlen(path) >= sizeof cur)
		return 0;
	strcpy(cur, path);
	for (hops = 0; hops < 40; hops++) {
		if (parse_name(path_base(cur), &py->major, &py->minor, py->abiflags, sizeof py->abiflags, &py->pypy))
			return 1;
		n = readlink(cur, target, sizeof target - 1);
		if (n < 0)
			return 0;
		target[n] = 0;
		if (target[0] == '/') {
			next = xstrdup(target);
		} else {
			dir = path_dir(cur);
			next = path_join(dir, target);
			free(dir);
		}
		if (strlen(next) >= sizeof cur) {
			free(next);
			return 0;
		}
		strcpy(cur, next);
		free(next);
	}
	return 0;
}

static int file_exists_at(const char *dir, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, rel) >= sizeof p)
		return 0;
	return stat(p, &st) == 0;
}

/* The standard library landmark CPython's getpath (and PyPy's) looks for, under a candidate
 * prefix: lib/pythonX.Y[t]/os.py, lib/pypyX.Y/os.py. */
static int has_landmark(const char *prefix, int major, int minor, const char *flags, int pypy)
{
	static const char *const libs[] = { "lib", "lib64" };
	char rel[64];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(rel, sizeof rel, "%s/%s%d.%d%s/os.py", libs[i], pypy ? "pypy" : "python",
			 major, minor, strchr(flags, 't') ? "t" : "");
		if (file_exists_at(prefix, rel))
			return 1;
	}
	return 0;
}

/* Walk up from DIR to / looking for the landmark; returns the prefix or NULL. */
char *py_search_prefix(const char *dir, int major, int minor, const char *flags, int pypy)
{
	char *d = xstrdup(dir), *up;

	for (;;) {
		if (has_landmark(d, major, minor, flags, pypy))
			return d;
		if (!strcmp(d, "/")) {
			free(d);
			return NULL;
		}
		up = path_dir(d);
		free(d);
		d = up;
	}
}

/* Without a versioned name: the one lib/pythonX.Y with an os.py above the binary. */
static int version_from_prefix(const char *dir, struct pyinfo *py)
{
	char *d = xstrdup(dir), *up, lib[PATH_MAX], found[256] = "";
	struct dirent *de;
	DIR *dd;
	int n = 0, ma, mi, pp;
	char fl[8];

	for (;;) {
		snprintf(lib, sizeof lib, "%s/lib", d);
		if ((dd = opendir(lib))) {
			while ((de = readdir(dd)))
				if (parse_name(de->d_name, &ma, &mi, fl, sizeof fl, &pp)
				    && has_landmark(d, ma, mi, fl, pp) && strcmp(found, de->d_name)) {
					snprintf(found, sizeof found, "%s", de->d_name);
					n++;
				}
			closedir(dd);
		}
		if (n || !strcmp(d, "/"))
			break;
		up = path_dir(d);
		free(d);
		d = up;
	}
	free(d);
	if (n != 1)
		return 0;
	return parse_name(found, &py->major, &py->minor, py->abiflags, sizeof py->abiflags, &py->pypy);
}

/* "3.11.7" from text like `#define PY_VERSION "3.11.7"` or "3.11.2-6+deb12u6". */
static int take_version(const char *s, struct pyinfo *py)
{
	int v[3];

	if (!scan_version(s, v) || v[2] < 0 || v[0] != py->major || v[1] != py->minor)
		return 0;
	snprintf(py->version, sizeof py->version, "%d.%d.%d", v[0], v[1], v[2]);
	return 1;
}

static int version_from_patchlevel(struct pyinfo *py)
{
	const char *flags[] = { py->abiflags, "", "m", "t", "d", "dm", "td" };
	char rel[PATH_MAX];
	struct buf b;
	const char *p;
	size_t i;
	int ok = 0;

	buf_init(&b);
	for (i = 0; i < sizeof flags / sizeof *flags && !ok && !(py->pypy && i); i++) {
		snprintf(rel, sizeof rel, "%s/include/%s%d.%d%s/patchlevel.h", py->prefix,
			 py->pypy ? "pypy" : "python", py->major, py->minor, flags[i]);
		if (file_read(AT_FDCWD, rel, 1 << 20, &b, NULL) == 0
		    && (p = strstr(b.s, "#define PY_VERSION")) && (p = strchr(p, '"')))
			ok = take_version(p + 1, py);
	}
	if (ok)
		snprintf(py->vfrom, sizeof py->vfrom, "%s", rel);
	buf_free(&b);
	return ok;
}

/* Debian and derivatives: the version of the package that installed the binary
 * (pythonX.Y-minimal, or pythonX.Y-nopie for pythonX.Y-pie). */
static int version_from_dpkg(struct pyinfo *py)
{
	static const char *const kinds[] = { "minimal", "nopie" };
	char pkg[64], listpath[128], needle[PATH_MAX + 2];
	struct buf b;
	const char *p, *end, *v;
	size_t i;
	int ok = 0;

	if (py->pypy)
		return 0;	/* Debian's pypy3 package has PyPy's version, not Python's */
	snprintf(needle, sizeof needle, "\n%s\n", py->real);
	buf_init(&b);
	for (i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		snprintf(pkg, sizeof pkg, "python%d.%d-%s", py->major, py->minor, kinds[i]);
		snprintf(listpath, sizeof listpath, "/var/lib/dpkg/info/%s.list", pkg);
		if (file_read(AT_FDCWD, listpath, 16 << 20, &b, NULL) == 0
		    && memmem(b.s, b.len, needle, strlen(needle)))
			break;
	}
	if (i == sizeof kinds / sizeof *kinds)
		goto out;
	if (file_read(AT_FDCWD, "/var/lib/dpkg/status", 256 << 20, &b, NULL))
		goto out;
	snprintf(needle, sizeof needle, "\nPackage: %s\n", pkg);
	p = memmem(b.s, b.len, needle, strlen(needle));
	if (!p)
		goto out;
	end = strstr(p + 1, "\n\n");
	if (!end)
		end = b.s + b.len;
	v = memmem(p, end - p, "\nVersion: ", 10);
	if (!v || !memmem(p, end - p, "\nStatus: install ok installed", 29))
		goto out;
	v += 10;
	if ((p = memchr(v, ':', end - v)) && p < (const char *)memchr(v, '\n', end - v))
		v = p + 1;	/* an epoch */
	ok = take_version(v, py);
	if (ok)
		snprintf(py->vfrom, sizeof py->vfrom, "/var/lib/dpkg/status (%s)", pkg);
out:
	buf_free(&b);
	return ok;
}

/* Any build: PY_VERSION is a string in the binary or libpython, possibly the tail of a
 * longer string the linker merged it into. Accept the value only if it is unambiguous. */
static int scan_binary(const char *path, struct pyinfo *py, char *best, size_t bsz)
{
	char pat[16];
	struct buf b;
	const char *p, *q, *end;
	int n = 0, plen;

	buf_init(&b);
	if (file_read(AT_FDCWD, path, 512 << 20, &b, NULL)) {
		buf_free(&b);
		return -1;
	}
	plen = snprintf(pat, sizeof pat, "%d.%d.", py->major, py->minor);
	end = b.s + b.len;
	for (p = b.s; (p = memmem(p, end - p, pat, plen)); p++) {
		if (p > b.s && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.'))
			continue;
		q = p + plen;
		if (q >= end || *q < '0' || *q > '9')
			continue;
		while (q < end && ((*q >= '0' && *q <= '9') || *q == 'a' || *q == 'b' || *q == 'r'
				   || *q == 'c' || *q == '+'))
			q++;
		/* PyPy has no PY_VERSION string of its own: sys.version's "3.9.16 (7.3.11..." */
		if (q >= end || (py->pypy ? end - q < 2 || q[0] != ' ' || q[1] != '(' : *q != 0))
			continue;
		if (n && (strncmp(best, p, q - p) || best[q - p])) {
			n = -2;	/* two different candidates */
			break;
		}
		snprintf(best, bsz, "%.*s", (int)(q - p), p);
		n = 1;
		if (py->pypy) {	/* and PyPy's own version in the parentheses: "(7.3.11+dfsg..." */
			const char *v = q + 2;
			size_t k = 0;

			while (v + k < end && k < sizeof py->impl_version - 1 &&
			       ((v[k] >= '0' && v[k] <= '9') || v[k] == '.'))
				k++;
			snprintf(py->impl_version, sizeof py->impl_version, "%.*s", (int)k, v);
		}
	}
	buf_free(&b);
	return n;
}

/* The shared library NAME the interpreter is linked to: beside it (a portable PyPy's bin/),
 * in PREFIX/lib, or in a multiarch directory below that (Debian's /usr/lib/x86_64-linux-gnu).
 * Allocated, or NULL. */
static char *find_libpython(const struct pyinfo *py, const char *name)
{
	char *dirs[2], p[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int i;

	dirs[0] = path_dir(py->real);
	dirs[1] = path_join(py->prefix, "lib");
	for (i = 0; i < 2; i++) {
		snprintf(p, sizeof p, "%s/%s", dirs[i], name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			goto found;
	}
	p[0] = 0;
	if ((d = opendir(dirs[1]))) {
		while ((de = readdir(d))) {
			if (!strchr(de->d_name, '-') || de->d_name[0] == '.')
				continue;	/* multiarch triplets: x86_64-linux-gnu */
			snprintf(p, sizeof p, "%s/%s/%s", dirs[1], de->d_name, name);
			if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
				break;
			p[0] = 0;
		}
		closedir(d);
	}
found:
	free(dirs[0]);
	free(dirs[1]);
	return p[0] ? xstrdup(p) : NULL;
}

static int version_from_binaries(struct pyinfo *py)
{
	char best[32], name[64], *lib;
	int r;

	snprintf(py->vfrom, sizeof py->vfrom, "%s", py->real);
	r = scan_binary(py->real, py, best, sizeof best);
	if (r == 0) {	/* a small launcher linked to libpython (libpypy) */
		if (py->pypy)
			snprintf(name, sizeof name, "libpypy%d.%d-c.so", py->major, py->minor);
		else
			snprintf(name, sizeof name, "libpython%d.%d%s.so.1.0", py->major, py->minor,
				 py->abiflags);
		lib = find_libpython(py, name);
		r = lib ? scan_binary(lib, py, best, sizeof best) : 0;
		if (lib)
			snprintf(py->vfrom, sizeof py->vfrom, "%s", lib);
		free(lib);
	}
	return r == 1 && take_version(best, py);
}

/* PyPy's ABI tag, from the suffix of the extension modules in its standard library
 * ("_cffi_backend.pypy39-pp73-x86_64-linux-gnu.so" -> "pypy39_pp73"), as packaging derives
 * it from EXT_SUFFIX; "pypyXY_pp73" when no module says. */
static void pypy_abitag(struct pyinfo *py)
{
	char lib[PATH_MAX], want[16];
	struct dirent *de;
	const char *p, *q;
	size_t n;
	DIR *d;

	snprintf(py->abitag, sizeof py->abitag, "pypy%d%d_pp73", py->major, py->minor);
	n = (size_t)snprintf(want, sizeof want, ".pypy%d%d-pp", py->major, py->minor);
	snprintf(lib, sizeof lib, "%s/lib/pypy%d.%d", py->prefix, py->major, py->minor);
	if (!(d = opendir(lib)))
		return;
	while ((de = readdir(d))) {
		if (!(p = strstr(de->d_name, want)) || strcmp(de->d_name + strlen(de->d_name) - 3, ".so"))
			continue;
		q = p + n + strspn(p + n, "0123456789");
		if (q == p + n || *q != '-' || (size_t)(q - p) >= sizeof py->abitag)
			continue;
		snprintf(py->abitag, sizeof py->abitag, "%.*s_%.*s", (int)(n - 3) - 1, p + 1,
			 (int)(q - p - n + 2), p + n - 2);
		break;
	}
	closedir(d);
}

/* The word size from the ELF header; a script or any other file is refused by name. */
static int elf_bits(const char *path, struct err *e)
{
	struct elf f;
	int r = elf_open(&f, path, e);

	if (r == 0) {
		elf_close(&f);
		return f.bits;
	}
	if (r != ELF_NOT)
		return -1;
	if (f.nhead >= 2 && f.head[0] == '#' && f.head[1] == '!')
		return err_set(e, "%s: is a script, not a Python interpreter (and not a shim venvbox can resolve)", path);
	return err_set(e, "%s: not a Python interpreter (not an ELF executable)", path);
}

/* Named python* (a CPython install always has such a name in its chain of links), or
 * exporting the interpreter's entry points, which the dynamic string table near the start
 * of the file lists. Anything else is refused before it could be run. */
static int looks_like_python(const struct pyinfo *py)
{
	static const char *const entry[] = { "Py_BytesMain", "_Py_UnixMain", "Py_Main" };
	char *blk;
	ssize_t n;
	size_t i;
	int fd, found = 0;

	if (!strncmp(path_base(py->invoked), "python", 6) || !strncmp(path_base(py->real), "python", 6)
	    || !strncmp(path_base(py->invoked), "pypy", 4) || !strncmp(path_base(py->real), "pypy", 4))
		return 1;
	fd = open(py->real, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	blk = xmalloc(256 << 10);
	n = read(fd, blk, 256 << 10);
	close(fd);
	for (i = 0; n > 0 && i < sizeof entry / sizeof *entry && !found; i++)
		found = memmem(blk, n, entry[i], strlen(entry[i]) + 1) != NULL;
	free(blk);
	return found;
}

/* Before 3.8, a build with pymalloc (the default) has ABI flag 'm', which no name in the
 * chain of links need carry (python3.7 is python3.7m): its headers and its config
 * directory are named with it (include/python3.7m, lib/python3.7/config-3.7m-TRIPLET). */
static void pymalloc_flag(struct pyinfo *py)
{
	char p[PATH_MAX], want[32];
	struct dirent *de;
	struct stat st;
	size_t n;
	DIR *d;
	int found;

	if (py->pypy || py->major != 3 || py->minor > 7 || strchr(py->abiflags, 'm')
	    || strlen(py->abiflags) > 2)
		return;
	snprintf(p, sizeof p, "%s/include/python3.%d%sm", py->prefix, py->minor, py->abiflags);
	found = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	n = (size_t)snprintf(want, sizeof want, "config-3.%d%sm", py->minor, py->abiflags);
	snprintf(p, sizeof p, "%s/lib/python3.%d", py->prefix, py->minor);
	if (!found && (d = opendir(p))) {
		while (!found && (de = readdir(d)))
			found = !strncmp(de->d_name, want, n) && (!de->d_name[n] || de->d_name[n] == '-');
		closedir(d);
	}
	if (found)
		strcat(py->abiflags, "m");
}

int pyinspect(struct pyinfo *py, struct err *e)
{
	char *dir, *prefix;
	int bits;

	free(py->real);
	py->real = path_real(py->invoked);
	if (!py->real)
		return err_sys(e, "%s", py->invoked);
	if (!path_is_exec(py->real))
		return err_set(e, "%s: not an executable file", py->invoked);
	bits = elf_bits(py->real, e);
	if (bits < 0)
		return -1;
	py->bits = bits;
	if (!looks_like_python(py))
		return err_set(e, "%s: not a Python interpreter", py->invoked);
	dir = path_dir(py->real);
	if (!version_from_links(py->invoked, py) && !version_from_prefix(dir, py)) {
		free(dir);
		return 1;	/* not understood: the caller may run it */
	}
	prefix = py_search_prefix(dir, py->major, py->minor, py->abiflags, py->pypy);
	free(dir);
	if (py->major < 3 || (py->major == 3 && py->minor < 3)) {
		free(prefix);
		return err_set(e, "%s: Python %d.%d is not supported (venvbox needs Python 3.3 or later)",
			       py->invoked, py->major, py->minor);
	}
	if (!prefix)
		return err_set(e, "%s: broken %s %d.%d installation: no lib/%s%d.%d%s/os.py above %s",
			       py->invoked, py->pypy ? "PyPy" : "Python", py->major, py->minor,
			       py->pypy ? "pypy" : "python", py->major, py->minor,
			       strchr(py->abiflags, 't') ? "t" : "", py->real);
	free(py->prefix);
	py->prefix = prefix;
	pymalloc_flag(py);
	if (py->pypy)
		pypy_abitag(py);
	if (py_build_details(py, py->vfrom, sizeof py->vfrom) || version_from_patchlevel(py) || version_from_dpkg(py)
	    || version_from_binaries(py))
		return 0;
	return 1;
}

/* The next space-ended word of *SP into OUT (at most N-1 bytes); -1 when empty or longer. */
static int run_word(const char **sp, char *out, size_t n)
{
	const char *s = *sp;
	size_t k = strcspn(s, " ");

	if (s[k] != ' ' || !k || k >= n)
		return -1;
	memcpy(out, s, k);
	out[k] = 0;
	*sp = s + k + 1;
	return 0;
}

/* "MAJOR MINOR MICRO ABIFLAGS IMPLEMENTATION PREFIX" as the code below prints it. */
static int parse_run(const char *s, int *ma, int *mi, int *mc, char flags[8], char impl[16],
		     char prefix[PATH_MAX])
{
	size_t n;

	if (!(s = scan_int(s, ma)) || *s++ != ' ' || !(s = scan_int(s, mi)) || *s++ != ' '
	    || !(s = scan_int(s, mc)) || *s++ != ' ' || run_word(&s, flags, 8) || run_word(&s, impl, 16))
		return -1;
	n = strcspn(s, "\n");
	if (!n || n >= PATH_MAX)
		return -1;
	memcpy(prefix, s, n);
	prefix[n] = 0;
	return 0;
}

/* The last resort: ask the interpreter itself, once, in isolated mode. */
int pyinspect_run(struct pyinfo *py, struct err *e)
{
	static const char code[] =
		"import sys;v=sys.version_info;"
		"print('%d %d %d %s %s %s' % (v[0], v[1], v[2], getattr(sys, 'abiflags', '') or '-',"
		" getattr(sys, 'implementation', sys).name if hasattr(sys, 'implementation') else 'cpython',"
		" sys.base_prefix if hasattr(sys, 'base_prefix') else sys.prefix))";
	int pfd[2], st, ma, mi, mc;
	char out[PATH_MAX + 64], flags[8], impl[16], prefix[PATH_MAX];
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe(pfd) < 0)
		return err_sys(e, "pipe");
	pid = fork();
	if (pid < 0)
		return err_sys(e, "fork");
	if (pid == 0) {
		char *argv[] = { py->invoked, "-E", "-S", "-s", "-c", (char *)code, NULL };
		int nul = open("/dev/null", O_RDWR);

		dup2(pfd[1], 1);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 2);
		}
		close(pfd[0]);
		execv(py->invoked, argv);
		_exit(127);
	}
	close(pfd[1]);
	while (len < (ssize_t)sizeof out - 1 && (n = read(pfd[0], out + len, sizeof out - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += n;
	}
	out[len] = 0;
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	py->ran = 1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || parse_run(out, &ma, &mi, &mc, flags, impl, prefix))
		return err_set(e, "%s: not a working Python interpreter", py->invoked);
	if (ma < 3 || (ma == 3 && mi < 3))
		return err_set(e, "%s: Python %d.%d is not supported (venvbox needs Python 3.3 or later)",
			       py->invoked, ma, mi);
	py->major = ma;
	py->minor = mi;
	snprintf(py->version, sizeof py->version, "%d.%d.%d", ma, mi, mc);
	snprintf(py->abiflags, sizeof py->abiflags, "%s", strcmp(flags, "-") ? flags : "");
	free(py->prefix);
	py->prefix = xstrdup(prefix);
	py->pypy = !strcmp(impl, "pypy");
	if (py->pypy)
		pypy_abitag(py);
	return 0;
}

/* The module as a file of the standard library (source or sourceless bytecode, a module or
 * a package), or anything when it is zipped (lib/pythonXY.zip: not looked into). */
int py_stdlib_has(const struct pyinfo *py, const char *module)
{
	static const char *const forms[] = { "%s/%s/%s.py", "%s/%s/%s.pyc", "%s/%s/%s/__init__.py",
					     "%s/%s/%s/__init__.pyc" };
	struct pylayout vp;
	char p[PATH_MAX];
	struct stat st;
	size_t i;

	if (!py->prefix)
		return 1;
	py_layout(py, &vp);
	snprintf(p, sizeof p, "%s/lib/python%d%d.zip", py->prefix, py->major, py->minor);
	if (stat(p, &st) == 0)
		return 1;
	for (i = 0; i < sizeof forms / sizeof *forms; i++) {
		snprintf(p, sizeof p, forms[i], py->prefix, vp.lib, module);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			return 1;
	}
	return 0;
}
