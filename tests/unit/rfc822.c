/* rfc822.c: unit tests of lib/fmt/rfc822.c: header values of METADATA and WHEEL (core metadata
 * spec, email header rules) and the entry points of entry_points.txt (entry points spec). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fmt/fmt.h"
#include "unit.h"

static const char metadata[] =
	"Metadata-Version: 2.1\n"
	"Name: demo-pkg\n"
	"Version: 1.0\n"
	"Summary:   spaced out \t\n"
	"Requires-Python: >=3.8\n"
	"Classifier: First\n"
	"Classifier: Second\n"
	"Description: first line\n"
	"        second line\n"
	"\tthird line\n"
	"Keywords:\n"
	"Name: second\n"
	"\n"
	"Home-page: in the body\n";

/* meta_get of KEY in TEXT (LEN bytes) is WANT (NULL: absent). */
static void get_is(const char *name, const char *text, size_t len, const char *key, const char *want)
{
	char n[96], *v = meta_get(text, len, key);

	snprintf(n, sizeof n, "rfc822/meta/%s", name);
	if (want)
		UT_STREQ(n, v, want);
	else
		UT_OK(n, v == NULL);
	free(v);
}

static void meta_cases(void)
{
	static const char crlf[] = "Name: crlf\r\nDescription: a\r\n b\r\nVersion: 2.0\r\n\r\nSummary: body\r\n";
	static const char wheel[] = "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.40.0)\n"
		"Root-Is-Purelib: true\nTag: py3-none-any\nTag: py2-none-any\n";
	size_t m = sizeof metadata - 1;

	get_is("name", metadata, m, "Name", "demo-pkg");
	get_is("lower-case-key", metadata, m, "name", "demo-pkg");
	get_is("upper-case-key", metadata, m, "VERSION", "1.0");
	get_is("mixed-case-key", metadata, m, "rEqUiReS-pYtHoN", ">=3.8");
	get_is("trimmed", metadata, m, "Summary", "spaced out");
	get_is("first-wins", metadata, m, "Classifier", "First");
	get_is("first-wins-later", metadata, m, "Name", "demo-pkg");
	get_is("continuation", metadata, m, "Description", "first line\n        second line\n\tthird line");
	get_is("empty-value", metadata, m, "Keywords", "");
	get_is("body-not-read", metadata, m, "Home-page", NULL);
	get_is("missing", metadata, m, "License", NULL);
	get_is("prefix-of-key", metadata, m, "Nam", NULL);
	get_is("longer-than-key", metadata, m, "Names", NULL);
	get_is("metadata-version", metadata, m, "Metadata-Version", "2.1");
	get_is("crlf", crlf, sizeof crlf - 1, "Name", "crlf");
	get_is("crlf-continuation", crlf, sizeof crlf - 1, "Description", "a\n b");
	get_is("crlf-last-header", crlf, sizeof crlf - 1, "Version", "2.0");
	get_is("crlf-blank-line-ends", crlf, sizeof crlf - 1, "Summary", NULL);
	get_is("wheel-version", wheel, sizeof wheel - 1, "Wheel-Version", "1.0");
	get_is("root-is-purelib", wheel, sizeof wheel - 1, "Root-Is-Purelib", "true");
	get_is("first-tag", wheel, sizeof wheel - 1, "Tag", "py3-none-any");
	get_is("no-final-newline", "A: 1\nName: last", 15, "Name", "last");
	get_is("length-rules", "Name: abcdef\n", 8, "Name", "ab");
	get_is("leading-blank-line", "\nName: x\n", 9, "Name", NULL);
	get_is("stray-continuation-first", " Name: x\nName: y\n", 17, "Name", "y");
	get_is("space-before-colon", "Name : x\n", 9, "Name", NULL);
	get_is("empty-text", "", 0, "Name", NULL);
}

/* Entry points as "name=module:attr", "(gui)" after GUI ones, joined by spaces. */
static const char *show(const struct entrypoint *ep, size_t n)
{
	static char out[1024];
	size_t i, k = 0;

	out[0] = 0;
	for (i = 0; i < n; i++)
		k += snprintf(out + k, sizeof out - k, "%s%s=%s:%s%s", i ? " " : "", ep[i].name,
			      ep[i].module, ep[i].attr, ep[i].gui ? "(gui)" : "");
	return out;
}

static const struct {
	const char *name, *in;
	const char *want;	/* entry points, or NULL: refused with an error containing WHY */
	const char *why;
} eps[] = {
	{ "console", "[console_scripts]\nfoo = pkg.mod:main\n", "foo=pkg.mod:main" },
	{ "gui", "[gui_scripts]\nfoo = pkg:gui\n", "foo=pkg:gui(gui)" },
	{ "sections", "[console_scripts]\na = m:f\n[other.plugins]\nx = anything, goes: here!\n"
	  "[gui_scripts]\nb = m:g\n[console_scripts]\nc = m:h\n", "a=m:f b=m:g(gui) c=m:h" },
	{ "comments", "# top\n; semicolon\n[console_scripts]\n  # indented\n\t; tabbed\n\nfoo = m:f\n",
	  "foo=m:f" },
	{ "extras-stripped", "[console_scripts]\nfoo = pkg.mod:main [extra1, extra2]\nbar = pkg:run[x]\n",
	  "foo=pkg.mod:main bar=pkg:run" },
	{ "whitespace", "[console_scripts]\nfoo   =   pkg.mod  :  main.sub  \nbar\t=\tm:f\t\n",
	  "foo=pkg.mod:main.sub bar=m:f" },
	/* configparser strips the line before it looks for a section header */
	{ "section-spaces-around", "  [console_scripts] \t\nfoo = m:f\n", "foo=m:f" },
	{ "crlf", "[console_scripts]\r\nfoo = m:f\r\n\r\n[gui_scripts]\r\ng = m:g\r\n", "foo=m:f g=m:g(gui)" },
	{ "no-final-newline", "[console_scripts]\nfoo = m:f", "foo=m:f" },
	{ "name-punctuation", "[console_scripts]\nmy-tool.v2 = m:f\n", "my-tool.v2=m:f" },
	{ "underscores-digits", "[console_scripts]\nt = _pkg2.m_3:_f9\n", "t=_pkg2.m_3:_f9" },
	{ "non-ascii-identifiers", "[console_scripts]\nfoo = p\xc3\xa4kg:m\xc3\xa4in\n", "foo=p\xc3\xa4kg:m\xc3\xa4in" },
	{ "section-names-exact", "[Console_Scripts]\nfoo = m:f\n[console_scripts.x]\nbar = m:f\n", "" },
	{ "other-sections-only", "[other]\nx = not a reference at all\n", "" },
	{ "empty", "", "" },
	/* ours: configparser refuses a line before any section; it is in none of ours */
	{ "before-any-section", "foo = m:f\n", "" },
	/* invalid references */
	{ "dash-in-module", "[console_scripts]\nfoo = pkg-mod:main\n", NULL, "line 2: malformed entry point" },
	{ "space-in-module", "[console_scripts]\nfoo = pkg mod:main\n", NULL, "line 2" },
	{ "empty-module", "[console_scripts]\nfoo = :main\n", NULL, "line 2" },
	{ "empty-attr", "[console_scripts]\nfoo = pkg:\n", NULL, "line 2" },
	/* as pip: "A callable suffix is required" */
	{ "module-only", "[console_scripts]\nfoo = pkg.mod\n", NULL, "line 2" },
	{ "empty-component", "[console_scripts]\nfoo = pkg..mod:f\n", NULL, "line 2" },
	{ "trailing-dot", "[console_scripts]\nfoo = pkg.:f\n", NULL, "line 2" },
	{ "leading-digit", "[console_scripts]\nfoo = 1pkg:f\n", NULL, "line 2" },
	{ "two-colons", "[console_scripts]\nfoo = pkg:f:g\n", NULL, "line 2" },
	{ "unclosed-extras", "[console_scripts]\nfoo = pkg:main [extra\n", NULL, "line 2" },
	{ "empty-value", "[console_scripts]\nfoo =\n", NULL, "line 2" },
	{ "empty-name", "[console_scripts]\n= pkg:main\n", NULL, "line 2" },
	{ "no-equals", "[console_scripts]\nfoo\n", NULL, "line 2" },
	{ "no-equals-other-section", "[other]\njunk line\n", NULL, "line 2" },
	{ "unclosed-section", "[console_scripts\nfoo = m:f\n", NULL, "line 1" },
	{ "later-line", "[console_scripts]\na = m:f\n# c\nb = m-x:f\n", NULL, "line 4" },
	{ "gui-invalid", "[gui_scripts]\ng = m:\n", NULL, "line 2" },
};

static void ep_cases(void)
{
	struct entrypoint *ep;
	char name[96];
	struct err e;
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof eps / sizeof *eps; i++) {
		snprintf(name, sizeof name, "rfc822/entrypoints/%s", eps[i].name);
		e.msg[0] = 0;
		rc = entrypoints_parse(eps[i].in, strlen(eps[i].in), &ep, &n, "entry_points.txt", &e);
		if (eps[i].want) {
			UT_STREQ(name, rc ? e.msg : show(ep, n), eps[i].want);
			if (!rc)
				entrypoints_free(ep, n);
		} else {
			UT_OK(name, rc == -1 && ep == NULL && n == 0 && strstr(e.msg, eps[i].why)
			      && !strncmp(e.msg, "entry_points.txt: ", 18));
		}
	}
}

static void ep_bytes(void)
{
	static const char nul[] = "[console_scripts]\nfoo = m:f\0\n";
	struct entrypoint *ep;
	struct err e;
	size_t n;

	UT_OK("rfc822/entrypoints/nul", entrypoints_parse(nul, sizeof nul - 1, &ep, &n, "E", &e) == -1
	      && strstr(e.msg, "NUL") && ep == NULL && n == 0);
	/* the length rules: the line ends at LEN */
	UT_OK("rfc822/entrypoints/length", entrypoints_parse("[gui_scripts]\nfoo = m:f junk", 23, &ep, &n, "E", &e) == 0
	      && n == 1 && ep[0].gui && !strcmp(ep[0].attr, "f"));
	entrypoints_free(ep, n);
}

void unit_rfc822(void)
{
	meta_cases();
	ep_cases();
	ep_bytes();
}
