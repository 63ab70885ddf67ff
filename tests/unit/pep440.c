/* pep440.c: unit tests of lib/py/pep440.c and specifier.c: PEP 440 versions, their order and
 * normalized form, and specifier sets.
 * Expected values are what the `packaging` library (24.1) answers for the same input
 * (Version(s), <, SpecifierSet(s).contains(v, prereleases=True)), unless marked ours. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "py/py.h"
#include "unit.h"

/* A test name with the input in it, blanks made visible. */
static const char *nm(const char *kind, const char *a, const char *b)
{
	static char n[300];
	size_t i;

	snprintf(n, sizeof n, "pep440/%s/[%s]%s%s%s", kind, a, b ? "[" : "", b ? b : "", b ? "]" : "");
	for (i = 0; n[i]; i++)
		if ((unsigned char)n[i] <= ' ')
			n[i] = '_';
	return n;
}

/* The normalized form, as packaging's str(Version(s)) prints it. */
static const char *norm(const char *s)
{
	static char out[512];
	char *n = pep440_normalize(s);

	snprintf(out, sizeof out, "%s", n ? n : "(invalid)");
	free(n);
	return out;
}

static const struct {
	const char *in, *want;	/* NULL: invalid */
} parse_cases[] = {
	{ "1.0", "1.0" },
	{ "v1.0", "1.0" },
	{ "V1.0", "1.0" },
	{ " 1.0\n", "1.0" },
	{ "\t2.0 ", "2.0" },
	{ "01.02", "1.2" },
	{ "1!2.0", "1!2.0" },
	{ "v1!2.0", "1!2.0" },
	{ "0!1.0", "1.0" },
	{ "1.0a1", "1.0a1" },
	{ "1.0A1", "1.0a1" },
	{ "1.0alpha1", "1.0a1" },
	{ "1.0-alpha-1", "1.0a1" },
	{ "1.0.a.1", "1.0a1" },
	{ "1.0a", "1.0a0" },
	{ "1.0a.", "1.0a0" },
	{ "1.0a-", "1.0a0" },
	{ "1.0b2", "1.0b2" },
	{ "1.0beta_2", "1.0b2" },
	{ "1.0c1", "1.0rc1" },
	{ "1.0rc1", "1.0rc1" },
	{ "1.0RC1", "1.0rc1" },
	{ "1.0pre", "1.0rc0" },
	{ "1.0preview3", "1.0rc3" },
	{ "1.0.post1", "1.0.post1" },
	{ "1.0post1", "1.0.post1" },
	{ "1.0-1", "1.0.post1" },
	{ "1.0-post-1", "1.0.post1" },
	{ "1.0_post_1", "1.0.post1" },
	{ "1.0.post", "1.0.post0" },
	{ "1.0rev2", "1.0.post2" },
	{ "1.0-r", "1.0.post0" },
	{ "1.0.post-1", "1.0.post1" },
	{ "1.0a--1", "1.0a0.post1" },
	{ "1.0a.post1", "1.0a0.post1" },
	{ "1.0.dev1", "1.0.dev1" },
	{ "1.0dev", "1.0.dev0" },
	{ "1.0-dev", "1.0.dev0" },
	{ "1.0.dev_3", "1.0.dev3" },
	{ "1.0alpha_1.rev.dev_", "1.0a1.post0.dev0" },
	{ "1.0rc1.post2.dev3", "1.0rc1.post2.dev3" },
	{ "1.0+abc", "1.0+abc" },
	{ "1.0+ABC.1", "1.0+abc.1" },
	{ "1.0+a_b-c", "1.0+a.b.c" },
	{ "1.0+01.ABC", "1.0+1.abc" },
	{ "1.0+000", "1.0+0" },
	{ "1.0a1.post2.dev3+ubuntu1", "1.0a1.post2.dev3+ubuntu1" },
	{ "", NULL },
	{ " ", NULL },
	{ "1.0.", NULL },
	{ "1..0", NULL },
	{ ".1", NULL },
	{ "1.0-", NULL },
	{ "vv1.0", NULL },
	{ "1.0.*", NULL },
	{ "1.0+", NULL },
	{ "1.0+a..b", NULL },
	{ "1.0+a+b", NULL },
	{ "1.0a1b2", NULL },
	{ "1.0-1-1", NULL },
	{ "1!", NULL },
	{ "!1.0", NULL },
	{ "1!1!1", NULL },
	{ "1.0prev1", NULL },
	{ "1.0 a1", NULL },
	{ "1 .0", NULL },
	{ "1.0.x", NULL },
	{ "a1.0", NULL },
	{ "1.0+ü", NULL },
	{ "1.0++a", NULL },
	{ "1.0-+a", NULL },
	{ "１.0", NULL },
	/* ours: the limits of struct pep440 */
	{ "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16", "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16" },
	{ "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17", NULL },
	{ "99999999999999999999999.0", NULL },
	{ "1.0.post99999999999999999999", NULL },
	{ "1.0a99999999999999999999999", NULL },
	{ "99999999999999999999999!1.0", NULL },
	{ "1.0+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "1.0+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
	{ "1.0+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL },
	{ "1.0+0000000000000000000000000000000000000000000000000000000000000000000001", "1.0+1" },
};

/* Each sorts strictly before the next. */
static const char *const chain[] = {
	"0!0.1", "0.9", "1.0.dev0", "1.0.dev1", "1.0a1.dev1", "1.0a1", "1.0a1.post1.dev1",
	"1.0a1.post1", "1.0a2.dev1", "1.0a2", "1.0b1", "1.0rc1", "1.0rc1.post1", "1.0",
	"1.0+abc", "1.0+abc.1", "1.0+abd", "1.0+1", "1.0+1.abc", "1.0+1.0", "1.0+2", "1.0+10",
	"1.0.post1.dev1", "1.0.post1", "1.0.post2", "1.0.1", "1.0.10", "1.1.dev1", "1.1",
	"1.10", "2", "2.0.0.0.1", "10.0", "1!0.0.dev1", "1!0.1",
};

/* Pairs that compare equal. */
static const char *const same[][2] = {
	{ "1.0", "1.0.0" }, { "1.0+01", "1.0+1" }, { "1.0a", "1.0a0" }, { "1.0-1", "1.0.post1" },
	{ "v1.0", "1.0" }, { "0!1.0", "1.0" }, { "1.0+A.b", "1.0+a-B" }, { "1.0c1", "1.0rc1" },
	{ "1.0.0.0.0", "1" },
};

static const struct {
	const char *specs, *version;
	int want;		/* -1: invalid specifier set, -2: invalid version */
} match_cases[] = {
	{ "", "3.11.7", 1 },
	{ " ", "3.11.7", 1 },
	{ ",", "3.11.7", 1 },
	{ ">=3.8,,<4", "3.9", 1 },
	{ ">=3.8,", "3.9", 1 },
	{ ">=3.8", "3.8", 1 },
	{ ">=3.8", "3.8.0", 1 },
	{ ">=3.8", "3.7.17", 0 },
	{ ">=3.8", "3.8.0rc1", 0 },
	{ ">=3.8.0rc1", "3.8.0rc1", 1 },
	{ ">=3.8", "3.8+local", 1 },
	{ ">= 3.8 , < 4", "3.12.1", 1 },
	{ ">=3.7,!=3.8.*", "3.8.18", 0 },
	{ ">=3.7,!=3.8.*", "3.9.0", 1 },
	{ " >= 3.6 , != 3.0.* , != 3.1.* ", "3.11.7", 1 },
	{ "<=3.8", "3.8", 1 },
	{ "<=3.8", "3.8.1", 0 },
	{ "<=3.8", "3.8+x", 1 },
	{ "<=3.8", "3.8.post1", 0 },
	{ "<=3.8", "3.8.0.dev1", 1 },
	{ "<3.8", "3.7.9", 1 },
	{ "<3.8", "3.8", 0 },
	{ "<3.8", "3.8.0rc1", 0 },
	{ "<3.8", "3.8.dev0", 0 },
	{ "<3.8", "3.8a1.post1", 0 },
	{ "<3.8rc2", "3.8rc1", 1 },
	{ "<3.8rc2", "3.8.dev0", 1 },
	{ "<3.8.post1", "3.8", 1 },
	{ "<3.8.post1", "3.8rc1", 0 },
	{ "<3.8", "3.7+local", 1 },
	{ "<3.8", "3.8+local", 0 },
	{ "<1!1.0", "5.0", 1 },
	{ ">3.8", "3.8.1", 1 },
	{ ">3.8", "3.8", 0 },
	{ ">3.8", "3.8.post1", 0 },
	{ ">3.8", "3.8.0.post1", 0 },
	{ ">3.8", "3.8+local", 0 },
	{ ">3.8", "3.8.1+local", 1 },
	{ ">3.8.post1", "3.8.post2", 1 },
	{ ">3.8.post1", "3.8.post2+x", 0 },
	{ ">3.8a1", "3.8.post1", 0 },
	{ ">3.8a1", "3.8", 1 },
	{ ">3.8.dev1", "3.8.post1", 0 },
	{ ">3.8", "3.9.dev0", 1 },
	{ "==3.8", "3.8.0", 1 },
	{ "==3.8.0", "3.8", 1 },
	{ "==3.8", "3.8+local", 1 },
	{ "==3.8+local", "3.8", 0 },
	{ "==3.8+local", "3.8+LOCAL", 1 },
	{ "==3.8+1", "3.8+01", 1 },
	{ "==3.8", "3.8.1", 0 },
	{ "==v3.8", "3.8", 1 },
	{ "== 3.8", "3.8", 1 },
	{ "==3.8", "3.8rc1", 0 },
	{ "==3.8.*", "3.8.18", 1 },
	{ "==3.8.*", "3.8", 1 },
	{ "==3.8.*", "3.9", 0 },
	{ "==3.8.*", "3.8rc1", 1 },
	{ "==3.8.*", "3.8.0.dev1", 1 },
	{ "==3.8.*", "3.8.1+local", 1 },
	{ "==3.8.0.*", "3.8", 1 },
	{ "==3.8.0.*", "3.8.1", 0 },
	{ "==3.*", "3.11.7", 1 },
	{ "==1!3.*", "3.1", 0 },
	{ "==1!3.*", "1!3.1", 1 },
	{ "==3.1.*", "3.10", 0 },
	{ "!=3.8", "3.8.0", 0 },
	{ "!=3.8", "3.8.1", 1 },
	{ "!=3.8.*", "3.8.18", 0 },
	{ "!=3.8.*", "3.9", 1 },
	{ "!=3.8+x", "3.8", 1 },
	{ "~=3.8", "3.8", 1 },
	{ "~=3.8", "3.12", 1 },
	{ "~=3.8", "4.0", 0 },
	{ "~=3.8", "3.7", 0 },
	{ "~=3.8.1", "3.8.5", 1 },
	{ "~=3.8.1", "3.9.0", 0 },
	{ "~=3.8.1", "3.8.0", 0 },
	{ "~=2.2.post3", "2.2.post3", 1 },
	{ "~=2.2.post3", "2.3", 1 },
	{ "~=2.2.post3", "3.0", 0 },
	{ "~=1.4.5a4", "1.4.5", 1 },
	{ "~=1.4.5a4", "1.4.5a3", 0 },
	{ "~=1!1.2", "1!1.3", 1 },
	{ "~=1!1.2", "1.3", 0 },
	{ "~= 3.8", "3.9", 1 },
	{ "~=3.8", "3.8+local", 1 },
	{ "===3.11.7", "3.11.7", 1 },
	{ "===3.11", "3.11.0", 0 },
	{ "===3.11.0", "3.11", 0 },
	{ "===v3.11", "v3.11", 0 },
	{ "===3.11+ABC", "3.11+abc", 1 },
	{ "===", "3.11", 0 },
	{ "=== 3.11", "3.11", 1 },
	{ "~=3", "3.8", -1 },
	{ "~=3.8.*", "3.8", -1 },
	{ "~=3.8+x", "3.8", -1 },
	{ ">=3.8.*", "3.8", -1 },
	{ "<3.8+x", "3.7", -1 },
	{ "==3.8a1.*", "3.8", -1 },
	{ "==3.*.1", "3.8", -1 },
	{ "==3.8+x.*", "3.8", -1 },
	{ "=3.8", "3.8", -1 },
	{ "=>3.8", "3.8", -1 },
	{ "3.8", "3.8", -1 },
	{ ">=", "3.8", -1 },
	{ ">=3.8;", "3.8", -1 },
	{ "===3.8)", "3.8", -1 },
	{ "===3.8 x", "3.8", -1 },
	{ "==1. 0", "1.0", -1 },
	{ ">=3.8 <4", "3.9", -1 },
	{ ">=3.8,foo", "3.9", -1 },
	{ ">=3.8,<4,>=", "3.9", -1 },
	{ "<4,foo", "5.0", -1 },
	{ ">=3.8", "not-a-version", -2 },
	{ ">=3.8", "", -2 },
	/* ours: a number past unsigned long */
	{ "<3.8.99999999999999999999999", "3.9", -1 },
};

#define N(a) (sizeof (a) / sizeof (a)[0])

static void test_parse(void)
{
	size_t i;

	for (i = 0; i < N(parse_cases); i++)
		UT_STREQ(nm("parse", parse_cases[i].in, NULL), norm(parse_cases[i].in),
			 parse_cases[i].want ? parse_cases[i].want : "(invalid)");
}

static int cmp_of(const char *a, const char *b)
{
	struct pep440 x, y;

	if (pep440_parse(a, &x) || pep440_parse(b, &y))
		return 99;
	return pep440_cmp(&x, &y);
}

static void test_order(void)
{
	size_t i, j;
	int bad;

	for (i = 0; i + 1 < N(chain); i++)
		UT_OK(nm("order", chain[i], chain[i + 1]), cmp_of(chain[i], chain[i + 1]) < 0 &&
		      cmp_of(chain[i + 1], chain[i]) > 0);
	for (bad = 0, i = 0; i < N(chain); i++)
		for (j = 0; j < N(chain); j++)
			if ((cmp_of(chain[i], chain[j]) < 0) != (i < j) ||
			    (cmp_of(chain[i], chain[j]) == 0) != (i == j))
				bad++;
	UT_OK("pep440/order/all-pairs", bad == 0);
	for (i = 0; i < N(same); i++)
		UT_OK(nm("same", same[i][0], same[i][1]), cmp_of(same[i][0], same[i][1]) == 0);
}

static void test_match(void)
{
	struct err e;
	char big[400];
	size_t i;
	int r, want;

	for (i = 0; i < N(match_cases); i++) {
		e.msg[0] = 0;
		r = pep440_match(match_cases[i].specs, match_cases[i].version, &e);
		want = match_cases[i].want < 0 ? -1 : match_cases[i].want;
		UT_OK(nm("match", match_cases[i].specs, match_cases[i].version),
		      r == want && (r >= 0 || e.msg[0]));
	}
	memset(big, 'a', sizeof big - 1);	/* ours: a clause longer than any real one */
	big[sizeof big - 1] = 0;
	memcpy(big, ">=3.8,===", 9);
	UT_OK("pep440/match/clause-too-long", pep440_match(big, "3.9", &e) == -1);
	big[200] = 0;
	UT_OK("pep440/match/arbitrary-200", pep440_match(big, "3.9", &e) == 0);
	e.msg[0] = 0;
	UT_OK("pep440/match/error-names-clause",
	      pep440_match(">=3.8, <4, fo o", "3.9", &e) == -1 && strstr(e.msg, "'fo o'"));
	UT_OK("pep440/match/error-without-err", pep440_match("~=3", "3.9", NULL) == -1);
}

/* The inputs pip's list and freeze meet in *.dist-info names and METADATA. */
static void test_normalize(void)
{
	static const struct {
		const char *name, *in, *want;
	} cases[] = {
		{ "version/plain", "1.0", "1.0" },
		{ "version/v-prefix", "v1.0", "1.0" },
		{ "version/leading-zeros", "01.02.003", "1.2.3" },
		{ "version/epoch", "1!2.0", "1!2.0" },
		{ "version/alpha", "1.0-alpha-1", "1.0a1" },
		{ "version/beta", "1.0.b2", "1.0b2" },
		{ "version/c", "1.0c3", "1.0rc3" },
		{ "version/rc-implicit", "1.0rc", "1.0rc0" },
		{ "version/post-dash", "1.0-1", "1.0.post1" },
		{ "version/rev", "1.0-r3", "1.0.post3" },
		{ "version/dev", "1.0.dev", "1.0.dev0" },
		{ "version/local", "1.0+Ubuntu.01", "1.0+ubuntu.1" },
		{ "version/local-seps", "1.0+abc-DEF_1", "1.0+abc.def.1" },
		{ "version/space", " 1.0 ", "1.0" },
		{ "version/all", "1.0RC1.POST1.DEV1", "1.0rc1.post1.dev1" },
	};
	size_t i;
	char *got, s[64];
	struct pep440 v;

	for (i = 0; i < N(cases); i++) {
		got = pep440_normalize(cases[i].in);
		UT_STREQ(cases[i].name, got, cases[i].want);
		free(got);
	}
	UT_OK("version/legacy", pep440_normalize("2004d") == NULL);
	UT_OK("version/empty", pep440_normalize("") == NULL);
	pep440_parse("1!2.0rc1.post2.dev3+X.01", &v);	/* pep440_str writes the same text */
	pep440_str(&v, s, sizeof s);
	UT_STREQ("pep440/str", s, "1!2.0rc1.post2.dev3+x.1");
	pep440_str(&v, s, 6);
	UT_STREQ("pep440/str/truncated", s, "1!2.0");
}

static void test_at_least(void)
{
	int c = 7;

	UT_OK("pep440/at-least/equal", pep440_at_least("23.2", "23.2.0") == 1);
	UT_OK("pep440/at-least/newer", pep440_at_least("24.0", "23.2") == 1);
	UT_OK("pep440/at-least/older", pep440_at_least("23.1.2", "23.2") == 0);
	UT_OK("pep440/at-least/pre", pep440_at_least("23.2rc1", "23.2") == 0);
	UT_OK("pep440/at-least/numeric", pep440_at_least("23.10", "23.9") == 1);
	UT_OK("pep440/at-least/null", pep440_at_least(NULL, "23.2") == 0);
	UT_OK("pep440/at-least/invalid", pep440_at_least("x", "1") == 0 && pep440_at_least("1", "x") == 0);
	UT_OK("pep440/cmp-str/invalid", pep440_cmp_str("1.0", "nope", &c) == -1 && c == 7);
	UT_OK("pep440/cmp-str/order", pep440_cmp_str("1.0.post1", "1.0", &c) == 0 && c > 0);
}

void unit_pep440(void)
{
	test_parse();
	test_order();
	test_match();
	test_normalize();
	test_at_least();
}
