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

/* "python3.12t" -> minor 12, flags "t"; Debian's python3.14-pie is 3.14 with no flags.
 * Returns 1 when NAME is a versioned CPython name. */
static int parse_name(const char *name, int *major, int *minor, char *flags, size_t fsz)
{
	const char *p;
	char *end;
	long ma, mi;
	size_t n;

	if (strncmp(name, "python", 6))
		return 0;
	p = name + 6;
	if (*p < '0' || *p > '9')
		return 0;
	ma = strtol(p, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return 0;
	mi = strtol(end + 1, &end, 10);
	n = strspn(end, "dmtu");
	if (n >= fsz || (end[n] && strcmp(end + n, "-pie")))
		return 0;
	*major = ma;
	*minor = mi;
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
		if (parse_name(path_base(cur), &py->major, &py->minor, py->abiflags, sizeof py->abiflags))
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

/* The standard library landmark CPython's getpath looks for, under a candidate prefix. */
static int has_landmark(const char *prefix, int major, int minor, const char *flags)
{
	static const char *const libs[] = { "lib", "lib64" };
	char rel[64];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(rel, sizeof rel, "%s/python%d.%d%s/os.py", libs[i], major, minor,
			 strchr(flags, 't') ? "t" : "");
		if (file_exists_at(prefix, rel))
			return 1;
	}
	return 0;
}

/* Walk up from DIR to / looking for the landmark; returns the prefix or NULL. */
char *py_search_prefix(const char *dir, int major, int minor, const char *flags)
{
	char *d = xstrdup(dir), *up;

	for (;;) {
		if (has_landmark(d, major, minor, flags))
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
	int n = 0, ma, mi;
	char fl[8];

	for (;;) {
		snprintf(lib, sizeof lib, "%s/lib", d);
		if ((dd = opendir(lib))) {
			while ((de = readdir(dd)))
				if (parse_name(de->d_name, &ma, &mi, fl, sizeof fl)
				    && has_landmark(d, ma, mi, fl) && strcmp(found, de->d_name)) {
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
	return parse_name(found, &py->major, &py->minor, py->abiflags, sizeof py->abiflags);
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
	for (i = 0; i < sizeof flags / sizeof *flags && !ok; i++) {
		snprintf(rel, sizeof rel, "%s/include/python%d.%d%s/patchlevel.h", py->prefix,
			 py->major, py->minor, flags[i]);
		if (file_read(AT_FDCWD, rel, 1 << 20, &b, NULL) == 0
		    && (p = strstr(b.s, "#define PY_VERSION")) && (p = strchr(p, '"')))
			ok = take_version(p + 1, py);
	}
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
		if (q >= end || *q)
			continue;
		if (n && strcmp(best, p)) {
			n = -2;	/* two different candidates */
			break;
		}
		snprintf(best, bsz, "%s", p);
		n = 1;
	}
	buf_free(&b);
	return n;
}

static int version_from_binaries(struct pyinfo *py)
{
	char best[32], lib[PATH_MAX];
	int r;

	r = scan_binary(py->real, py, best, sizeof best);
	if (r == 0) {	/* a small launcher linked to libpython */
		snprintf(lib, sizeof lib, "%s/lib/libpython%d.%d%s.so.1.0", py->prefix, py->major,
			 py->minor, py->abiflags);
		r = scan_binary(lib, py, best, sizeof best);
	}
	return r == 1 && take_version(best, py);
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

	if (!strncmp(path_base(py->invoked), "python", 6) || !strncmp(path_base(py->real), "python", 6))
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
	prefix = py_search_prefix(dir, py->major, py->minor, py->abiflags);
	free(dir);
	if (py->major < 3 || (py->major == 3 && py->minor < 3)) {
		free(prefix);
		return err_set(e, "%s: Python %d.%d is not supported (venvbox needs Python 3.3 or later)",
			       py->invoked, py->major, py->minor);
	}
	if (!prefix)
		return err_set(e, "%s: broken Python %d.%d installation: no lib/python%d.%d%s/os.py above %s",
			       py->invoked, py->major, py->minor, py->major, py->minor,
			       strchr(py->abiflags, 't') ? "t" : "", py->real);
	free(py->prefix);
	py->prefix = prefix;
	if (version_from_patchlevel(py) || version_from_dpkg(py) || version_from_binaries(py))
		return 0;
	return 1;
}

/* "MAJOR MINOR MICRO ABIFLAGS PREFIX" as the code below prints it. */
static int parse_run(const char *s, int *ma, int *mi, int *mc, char flags[8], char prefix[PATH_MAX])
{
	const char *f;
	size_t n;

	if (!(s = scan_int(s, ma)) || *s++ != ' ' || !(s = scan_int(s, mi)) || *s++ != ' '
	    || !(s = scan_int(s, mc)) || *s++ != ' ')
		return -1;
	f = s;
	s += strcspn(s, " ");
	if (*s != ' ' || s == f || (size_t)(s - f) >= 8)
		return -1;
	memcpy(flags, f, s - f);
	flags[s - f] = 0;
	n = strcspn(++s, "\n");
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
		"print('%d %d %d %s %s' % (v[0], v[1], v[2], getattr(sys, 'abiflags', '') or '-', sys.base_prefix if hasattr(sys, 'base_prefix') else sys.prefix))";
	int pfd[2], st, ma, mi, mc;
	char out[PATH_MAX + 64], flags[8], prefix[PATH_MAX];
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
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || parse_run(out, &ma, &mi, &mc, flags, prefix))
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
