/* requirements.c: unit tests of lib/py/pep508.c (dependency specifiers), lib/py/markers.c
 * (markers in a fixed environment) and lib/pkg/requirements.c (pip's requirements files). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pkg/pkg.h"
#include "unit.h"

static void parses(const char *id, const char *s, const char *name, const char *extras,
		   const char *spec, const char *url, const char *marker)
{
	struct pep508 r;
	struct err e = { "" };
	char what[96], x[256] = "";
	int i, rc = pep508_parse(s, &r, &e);

	snprintf(what, sizeof what, "pep508/%s", id);
	UT_OK(what, rc == 0);
	if (rc) {
		printf("  (%s)\n", e.msg);
		return;
	}
	for (i = 0; i < r.nextras; i++)
		snprintf(x + strlen(x), sizeof x - strlen(x), "%s%s", i ? "," : "", r.extra[i]);
	UT_FIELD("pep508", id, "name", r.name, name);
	UT_FIELD("pep508", id, "extras", x, extras);
	UT_FIELD("pep508", id, "spec", r.spec, spec);
	UT_FIELD("pep508", id, "url", r.url, url);
	UT_FIELD("pep508", id, "marker", r.marker, marker);
}

static void refused(const char *id, const char *s)
{
	struct pep508 r;
	struct err e = { "" };
	char what[96];

	snprintf(what, sizeof what, "pep508/refused-%s", id);
	UT_OK(what, pep508_parse(s, &r, &e) == -1 && e.msg[0]);
}

static void marker_is(const char *id, const struct markerenv *env, const char *m, int want)
{
	struct err e = { "" };
	char what[96];

	snprintf(what, sizeof what, "markers/%s", id);
	UT_OK(what, marker_eval(m, env, &e) == want);
}

static void markers(void)
{
	struct markerenv env;
	char *extras[] = { "Socks_Proxy" };

	memset(&env, 0, sizeof env);
	strcpy(env.v[MK_PYTHON_VERSION], "3.9");
	strcpy(env.v[MK_PYTHON_FULL_VERSION], "3.9.18");
	strcpy(env.v[MK_IMPLEMENTATION_NAME], "cpython");
	strcpy(env.v[MK_SYS_PLATFORM], "linux");
	strcpy(env.v[MK_PLATFORM_RELEASE], "6.1.0-18-amd64");
	env.extras = extras;
	env.nextras = 1;
	marker_is("version-compare", &env, "python_version >= '3.8' and python_version < '3.10'", 1);
	marker_is("version-not-string", &env, "python_version > '3.10'", 0);	/* as strings it would hold */
	marker_is("full-version-pre", &env, "python_full_version >= '3.9.0rc1'", 1);
	marker_is("or-and", &env, "sys_platform == 'win32' or (sys_platform == 'linux' and implementation_name == 'cpython')", 1);
	marker_is("in", &env, "'linux' in sys_platform", 1);
	marker_is("not-in", &env, "python_version not in '3.8 3.9'", 0);
	marker_is("string-ge-is-eq", &env, "sys_platform >= 'linux'", 1);
	marker_is("string-lt-false", &env, "sys_platform < 'zzz'", 0);
	marker_is("release-not-a-version", &env, "platform_release >= '5'", 0);
	marker_is("extra-normalized", &env, "extra == 'socks-proxy'", 1);
	marker_is("extra-other", &env, "extra == 'test'", 0);
	marker_is("string-compat-undefined", &env, "sys_platform ~= 'linux'", -1);
	marker_is("unknown-variable", &env, "python_versio == '3'", -1);
	marker_is("two-strings", &env, "'a' == 'a'", -1);
	marker_is("unclosed", &env, "(python_version == '3.9'", -1);
	marker_is("syntax-only", NULL, "python_version == '3.9' and os_name == 'nt'", 1);
}

static void reqfile(void)
{
	char dir[] = "/tmp/venvbox-unit-req-XXXXXX", p[256], q[256];
	char *environ_[] = { "VB_NAME=beta", "EMPTY=", NULL };
	struct markerenv env;
	struct reqset rs = { 0 };
	struct err e = { "" };
	FILE *f;

	memset(&env, 0, sizeof env);
	strcpy(env.v[MK_PYTHON_VERSION], "3.12");
	if (!mkdtemp(dir)) {
		UT_OK("reqfile/mkdtemp", 0);
		return;
	}
	snprintf(p, sizeof p, "%s/r.txt", dir);
	snprintf(q, sizeof q, "%s/more.txt", dir);
	f = fopen(p, "w");
	fputs("# a comment\n\nalpha==1.0 \\\n    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000 # via x\n"
	      "${VB_NAME}>=2 ; python_version >= '3'\nold ; python_version < '3'\n-r more.txt\n"
	      "--prefer-binary\n--only-binary :all:\n-f ${EMPTY}here\n", f);
	fclose(f);
	f = fopen(q, "w");
	fputs("-c more-c.txt\n-f wheels\n", f);
	fclose(f);
	snprintf(q, sizeof q, "%s/more-c.txt", dir);
	f = fopen(q, "w");
	fputs("gamma<3\n", f);
	fclose(f);
	UT_OK("reqfile/read", reqfile_read(&rs, p, &env, environ_, &e) == 0);
	if (e.msg[0])
		printf("  (%s)\n", e.msg);
	UT_OK("reqfile/count", rs.n == 4);
	if (rs.n == 4) {
		UT_STREQ("reqfile/continued", rs.w[0].name, "alpha");
		UT_OK("reqfile/hash", rs.w[0].nhash == 1 && rs.require_hashes);
		UT_STREQ("reqfile/var", rs.w[1].name, "beta");
		UT_OK("reqfile/marker-skip", !rs.w[1].skip && rs.w[2].skip);
		UT_OK("reqfile/constraint", rs.w[3].constraint && !strcmp(rs.w[3].name, "gamma"));
		UT_OK("reqfile/line", strstr(rs.w[1].where, "r.txt:5") != NULL);
	}
	UT_OK("reqfile/links", rs.nlinks == 2 && rs.prefer_binary);
	if (rs.nlinks == 2)
		UT_STREQ("reqfile/empty-var-kept", rs.links[1], "${EMPTY}here");
	reqset_free(&rs);
	f = fopen(p, "w");
	fputs("alpha\n\nbeta @ https://example.invalid/b.whl\n", f);
	fclose(f);
	UT_OK("reqfile/url-refused", reqfile_read(&rs, p, &env, NULL, &e) == -1 && strstr(e.msg, "r.txt:3: "));
	reqset_free(&rs);
	unlink(p);
	unlink(q);
	snprintf(q, sizeof q, "%s/more.txt", dir);
	unlink(q);
	rmdir(dir);
}

void unit_requirements(void)
{
	parses("plain", "requests", "requests", "", "", "", "");
	parses("full", "requests [socks, security] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"",
	       "requests", "socks,security", ">=2.8.1,==2.8.*", "", "python_version < \"2.7\"");
	parses("parens", "name (>=1.0,<2)", "name", "", ">=1.0,<2", "", "");
	parses("url", "pip @ https://example.invalid/pip.whl ; os_name == 'posix'", "pip", "",
	       "", "https://example.invalid/pip.whl", "os_name == 'posix'");
	parses("dots", "Zope.Interface_x-1~=5.0", "Zope.Interface_x-1", "", "~=5.0", "", "");
	parses("arbitrary", "foo===1.0-custom", "foo", "", "===1.0-custom", "", "");
	refused("empty", "");
	refused("dash", "-bad");
	refused("extras-open", "name[a");
	refused("spec-no-version", "name >= ");
	refused("marker-empty", "name ; ");
	refused("marker-bad", "name ; python_version >> '3'");
	refused("trailing", "name extra");
	refused("url-then-junk", "name @ https://x y");
	markers();
	reqfile();
}
