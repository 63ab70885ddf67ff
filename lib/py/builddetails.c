/* builddetails.c: PEP 739's build-details.json, the static description of an installation
 * that CPython 3.14 and later keep in their standard library directory (Debian names it
 * build-details.FLAGS.MULTIARCH.json, one per build). Read first, before anything else
 * pyinspect knows, for the version and ABI flags of the build it describes. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "py/py.h"

static int number(const char *t, size_t n, const char *path, int *out)
{
	struct jsonval v;

	if (json_get(t, n, path, &v) || v.type != 'n' || !scan_int(v.p, out))
		return -1;
	return 0;
}

/* abi.flags, ["t", "d"], as the string sys.abiflags would be ("td"); -1 when not that */
static int flags_of(const char *t, size_t n, char *out, size_t osz)
{
	struct jsonval v;
	size_t i, k = 0;

	if (json_get(t, n, "abi.flags", &v))
		return json_get(t, n, "abi", &v) == 0 ? (out[0] = 0, 0) : -1;	/* none listed */
	if (v.type != '[')
		return -1;
	for (i = 1; i + 2 < v.n; i++) {
		if (v.p[i] != '"')
			continue;
		if (v.p[i + 2] != '"' || k + 1 >= osz || !strchr("dmt", v.p[i + 1]))
			return -1;	/* one letter each */
		out[k++] = v.p[i + 1];
		i += 2;
	}
	out[k] = 0;
	return 0;
}

/* Does the file at PATH describe this build? Then its version into PY. */
static int take(const char *path, struct pyinfo *py)
{
	char flags[8], *impl;
	struct buf b;
	int ma, mi, mc, ok = 0;

	buf_init(&b);
	if (file_read(AT_FDCWD, path, 1 << 20, &b, NULL) || !b.s)
		goto out;
	impl = json_get_str(b.s, b.len, "implementation.name");
	if (impl && !strcmp(impl, py->pypy ? "pypy" : "cpython")
	    && !number(b.s, b.len, "language.version_info.major", &ma)
	    && !number(b.s, b.len, "language.version_info.minor", &mi)
	    && !number(b.s, b.len, "language.version_info.micro", &mc)
	    && ma == py->major && mi == py->minor && mc >= 0
	    && !flags_of(b.s, b.len, flags, sizeof flags) && !strcmp(flags, py->abiflags)) {
		snprintf(py->version, sizeof py->version, "%d.%d.%d", ma, mi, mc);
		ok = 1;
	}
	free(impl);
out:
	buf_free(&b);
	return ok;
}

int py_build_details(struct pyinfo *py, char *found, size_t fsz)
{
	struct pylayout vp;
	char dir[4096], p[4400];
	struct dirent *de;
	DIR *d;
	int ok = 0;

	if (!py->prefix)
		return 0;
	py_layout(py, &vp);
	snprintf(dir, sizeof dir, "%s/%s", py->prefix, vp.lib);
	snprintf(p, sizeof p, "%s/build-details.json", dir);
	if (take(p, py))
		ok = 1;
	else if ((d = opendir(dir))) {
		while (!ok && (de = readdir(d))) {
			size_t n = strlen(de->d_name);

			if (n > 19 && !strncmp(de->d_name, "build-details.", 14)
			    && !strcmp(de->d_name + n - 5, ".json")) {
				snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
				ok = take(p, py);
			}
		}
		closedir(d);
	}
	if (ok && found)
		snprintf(found, fsz, "%s", p);
	return ok;
}
