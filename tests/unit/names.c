/* names.c: unit tests of lib/py/names.c: PEP 503 names and wheel file names. */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "py/py.h"

static void parses(const char *id, const char *file, const char *name, const char *version,
		   const char *build, const char *tags)
{
	struct wheelname wn;
	char what[96];
	int r = wheelname_parse(file, &wn);

	snprintf(what, sizeof what, "names/%s", id);
	UT_OK(what, r == 0);
	if (r)
		return;
	UT_FIELD("names", id, "name", wn.name, name);
	UT_FIELD("names", id, "version", wn.version, version);
	UT_FIELD("names", id, "build", wn.build, build);
	UT_FIELD("names", id, "tags", wn.tags, tags);
}

static void refused(const char *id, const char *file)
{
	struct wheelname wn;
	char what[96];

	snprintf(what, sizeof what, "names/refused-%s", id);
	UT_OK(what, wheelname_parse(file, &wn) == -1);
}

/* PEP 825's variant wheels: -2 and the label, never a misparse */
static void variant(const char *id, const char *file, const char *label)
{
	struct wheelname wn;
	char what[96];

	snprintf(what, sizeof what, "names/variant-%s", id);
	UT_OK(what, wheelname_parse(file, &wn) == -2 && wn.variant && !strcmp(wn.variant, label));
}

void unit_names(void)
{
	char *n = name_normalize("Foo__Bar.-baz");
	char longname[400];

	UT_STREQ("names/normalize", n, "foo-bar-baz");
	free(n);
	parses("plain", "pip-24.2-py3-none-any.whl", "pip", "24.2", "", "py3-none-any");
	parses("dir", "/a/b-1/c-2.0/setuptools-40.6.2-py2.py3-none-any.whl", "setuptools", "40.6.2",
	       "", "py2.py3-none-any");
	parses("build", "demo_pkg-1.0-1local-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
	       "demo_pkg", "1.0", "1local", "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64");
	parses("abi3", "cryptography-48.0.0-cp39-abi3-musllinux_1_2_aarch64.whl", "cryptography",
	       "48.0.0", "", "cp39-abi3-musllinux_1_2_aarch64");
	variant("no-build", "numpy-2.3.2-cp313-cp313t-musllinux_1_2_x86_64-x86_64_v3.whl", "x86_64_v3");
	variant("build", "numpy-2.3.2-1-cp313-cp313t-musllinux_1_2_x86_64-x86_64_v3.whl", "x86_64_v3");
	variant("null", "torch-2.0.0-cp39-cp39-manylinux2014_x86_64-null.whl", "null");
	refused("build-not-digit", "a-1-b-py3-none-any.WHEEL.whl");
	refused("variant-label-case", "a-1-py3-none-any-Cuda.whl");
	refused("variant-py-digit", "a-1-1-2py3-none-any-cuda.whl");
	refused("not-whl", "pip-24.2-py3-none-any.zip");
	refused("bare", ".whl");
	refused("four", "pip-24.2-py3-none.whl");
	refused("seven", "a-1-2-3-py3-none-any.whl");
	refused("empty-part", "pip--24.2-py3-none-any.whl");
	refused("leading-dash", "-pip-24.2-py3-none-any.whl");
	refused("trailing-dash", "pip-24.2-py3-none-any-.whl");
	memset(longname, 'a', sizeof longname);
	memcpy(longname + sizeof longname - 22, "-1-py3-none-any.whl", 20);
	refused("long", longname);
}
