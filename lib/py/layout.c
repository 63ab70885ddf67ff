/* layout.c: where a venv of an interpreter keeps things (lib/pythonX.Y[t], include/...),
 * and the paths of its own that no wheel may write. */
#include <stdio.h>
#include <string.h>
#include "py/py.h"

/* lib/pythonX.Y[t] (lib/pypyX.Y for PyPy) from the version alone: a venv read from its
 * files has no pyinfo. */
void layout_lib(char *out, size_t n, int pypy, int major, int minor, int free_threaded)
{
	snprintf(out, n, "lib/%s%d.%d%s", pypy ? "pypy" : "python", major, minor,
		 free_threaded ? "t" : "");
}

void py_layout(const struct pyinfo *py, struct pylayout *p)
{
	layout_lib(p->lib, sizeof p->lib, 0, py->major, py->minor, strchr(py->abiflags, 't') != NULL);
	snprintf(p->site, sizeof p->site, "%s/site-packages", p->lib);
	p->include[0] = 0;	/* venv creates include/pythonX.Y[flags] since 3.11 */
	if (py->minor >= 11)
		snprintf(p->include, sizeof p->include, "include/python%d.%d%s", py->major,
			 py->minor, py->abiflags);
}

/* Files the venv itself owns, which no wheel may replace. */
int layout_reserved(const char *dest, const struct pyinfo *py)
{
	static const char *const fixed[] = { "pyvenv.cfg", "bin/python", "bin/python3",
		"bin/activate", "bin/activate.csh", "bin/activate.fish", "bin/Activate.ps1", ".gitignore" };
	char ver[32];
	size_t i;

	if (strncmp(dest, "bin/", 4) && strncmp(dest, "lib64", 5) && strcmp(dest, "pyvenv.cfg")
	    && strcmp(dest, ".gitignore"))
		return 0;	/* most of them, at once */
	for (i = 0; i < sizeof fixed / sizeof *fixed; i++)
		if (!strcmp(dest, fixed[i]))
			return 1;
	snprintf(ver, sizeof ver, "bin/python%d.%d", py->major, py->minor);
	if (!strcmp(dest, ver) || (py->exe && !strncmp(dest, "bin/", 4) && !strcmp(dest + 4, path_base(py->exe))))
		return 1;
	return !strcmp(dest, "lib64") || !strncmp(dest, "lib64/", 6);
}
