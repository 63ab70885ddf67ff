/* layout.c: where a venv of an interpreter keeps things (lib/pythonX.Y[t], include/...),
 * and the paths of its own that no wheel may write. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "py/py.h"

/* lib/pythonX.Y[t] (lib/pypyX.Y for PyPy) from the version alone: a venv read from its
 * files has no pyinfo. */
void layout_lib(char *out, size_t n, int pypy, int major, int minor, int free_threaded)
{
	snprintf(out, n, "lib/%s%d.%d%s", pypy ? "pypy" : "python", major, minor,
		 free_threaded ? "t" : "");
}

/* What `python -m venv` of each CPython makes on POSIX, by the first minor version that
 * makes it so (a row holds until the next one):
 *   from  include dir                lib64 -> lib  bin/python3.X  bin/\U0001d70bthon
 *   3.3   include/                   yes (64-bit)  no             no
 *   3.9   include/                   yes           yes            no
 *   3.11  include/python3.X{abiflags} yes          yes            no
 *   3.14  include/                   yes           yes            yes, where the file system encoding is UTF-8
 *   3.15  include/                   no            yes            no
 * PyPy's venv is its Python version's, with lib/pypy3.X for lib/python3.X, include/pypy3.X
 * for include/python3.X, and bin/pypy3 and bin/pypy after python, python3 and python3.X.
 * Elsewhere by version: pyvenv.cfg's prompt from 3.8, executable and command from 3.11
 * (venv_write_cfg); .gitignore from 3.13 (mkvenv); the activation scripts (templates). */
static const struct rule {
	int from, inc_versioned, lib64, minor_alias, pithon;
} rules[] = {
	{ 3, 0, 1, 0, 0 },
	{ 9, 0, 1, 1, 0 },
	{ 11, 1, 1, 1, 0 },
	{ 14, 0, 1, 1, 1 },
	{ 15, 0, 0, 1, 0 },
};

void py_layout(const struct pyinfo *py, struct pylayout *p)
{
	const char *impl = py->pypy ? "pypy" : "python";
	const struct rule *r = rules;
	size_t i;

	for (i = 1; i < sizeof rules / sizeof *rules; i++)
		if (py->minor >= rules[i].from)
			r = &rules[i];
	layout_lib(p->lib, sizeof p->lib, py->pypy, py->major, py->minor,
		   strchr(py->abiflags, 't') != NULL);
	snprintf(p->site, sizeof p->site, "%s/site-packages", p->lib);
	p->include[0] = 0;
	if (r->inc_versioned)
		snprintf(p->include, sizeof p->include, "include/%s%d.%d%s", impl, py->major,
			 py->minor, py->abiflags);
	p->lib64 = r->lib64 && py->bits == 64;
	p->nalias = 0;
	strcpy(p->alias[p->nalias++], "python");
	strcpy(p->alias[p->nalias++], "python3");
	if (r->minor_alias)
		snprintf(p->alias[p->nalias++], sizeof p->alias[0], "python%d.%d", py->major, py->minor);
	if (py->pypy) {
		strcpy(p->alias[p->nalias++], "pypy3");
		strcpy(p->alias[p->nalias++], "pypy");
	}
	p->pithon = r->pithon && !py->pypy;
}

/* strcmp with ASCII letters folded */
static int fold_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && ((*a | 32) != (*b | 32) || (unsigned)((*a | 32) - 'a') >= 26))
			return 0;
	return *a == *b;
}

/* An interpreter's name, ASCII case folded: python or pypy, then a version of digits and
 * dots and at most three ABI flag letters (python3, python3.13t, pypy3.11, Python3.X). */
static int interpreter_name(const char *n)
{
	size_t k;

	if (fold_eq(n, "python") || fold_eq(n, "pypy"))
		return 1;
	k = !strncasecmp(n, "python", 6) ? 6 : !strncasecmp(n, "pypy", 4) ? 4 : 0;
	if (!k || n[k] < '0' || n[k] > '9')
		return 0;
	n += k + strspn(n + k, "0123456789.");
	return strspn(n, "dmtDMT") == strlen(n) && strlen(n) <= 3;
}

/* Files the venv itself owns, which no wheel may replace: its pyvenv.cfg, .gitignore and
 * lib64, and in bin/ every interpreter name (python, python3, python3.X of any X, pypy...,
 * the base interpreter's own name, PITHON) and the activation scripts of venv and
 * virtualenv. Compared with ASCII letters folded: on a case-insensitive file system (the
 * venv copied to macOS's or Windows' default one, a FAT stick) bin/Python is bin/python. */
int layout_reserved(const char *dest, const struct pyinfo *py)
{
	static const char *const top[] = { "pyvenv.cfg", ".gitignore" };
	static const char *const bin[] = { "activate", "activate.csh", "activate.fish", "Activate.ps1",
		"activate.nu", "activate.xsh", "activate.bat", "deactivate.bat", "activate_this.py", PITHON };
	const char *name = dest + 4;
	size_t i;

	if (!strncasecmp(dest, "lib64", 5) && (!dest[5] || dest[5] == '/'))
		return 1;
	for (i = 0; i < sizeof top / sizeof *top; i++)
		if (fold_eq(dest, top[i]))
			return 1;
	if (strncasecmp(dest, "bin/", 4) || strchr(name, '/'))
		return 0;
	for (i = 0; i < sizeof bin / sizeof *bin; i++)
		if (fold_eq(name, bin[i]))
			return 1;
	return interpreter_name(name) || (py->exe && fold_eq(name, path_base(py->exe)));
}
