/* quote.c: unit tests of lib/fmt/quote.c, the quoting of values for each shell and the check
 * applied to a venv path and a prompt. */
#include "unit.h"
#include "fmt/fmt.h"

static char got[sizeof ((struct err *)0)->msg + 16];

/* the quoted word, or "ERR: message" */
static const char *q(enum shell sh, const char *value)
{
	struct buf b;
	struct err e;

	buf_init(&b);
	if (quote_shell(&b, sh, value, &e))
		snprintf(got, sizeof got, "ERR: %s", e.msg);
	else
		snprintf(got, sizeof got, "%s", b.s ? b.s : "");
	buf_free(&b);
	return got;
}

static int refused(const char *what, const char *value, const char *needle)
{
	struct err e;

	e.msg[0] = 0;
	return quote_check_value(what, value, &e) == -1 && strstr(e.msg, what) &&
	       (!needle || strstr(e.msg, needle));
}

static void sh_words(void)
{
	UT_STREQ("quote/sh-plain", q(SHELL_SH, "/home/u/.venv"), "'/home/u/.venv'");
	UT_STREQ("quote/sh-empty", q(SHELL_SH, ""), "''");
	UT_STREQ("quote/sh-quote", q(SHELL_SH, "it's"), "'it'\\''s'");
	UT_STREQ("quote/sh-quote-ends", q(SHELL_SH, "'a'"), "\\''a'\\'");
	UT_STREQ("quote/sh-quotes-only", q(SHELL_SH, "''"), "\\'\\'");
	UT_STREQ("quote/sh-expansions", q(SHELL_SH, "$(id) `id` ${x} \\ \" ! % * ~"),
		 "'$(id) `id` ${x} \\ \" ! % * ~'");
	UT_STREQ("quote/sh-utf8", q(SHELL_SH, "caf\xc3\xa9"), "'caf\xc3\xa9'");
}

static void fish_words(void)
{
	UT_STREQ("quote/fish-plain", q(SHELL_FISH, "/a b"), "'/a b'");
	UT_STREQ("quote/fish-empty", q(SHELL_FISH, ""), "''");
	UT_STREQ("quote/fish-quote", q(SHELL_FISH, "it's"), "'it\\'s'");
	UT_STREQ("quote/fish-backslash", q(SHELL_FISH, "a\\b\\"), "'a\\\\b\\\\'");
	UT_STREQ("quote/fish-expansions", q(SHELL_FISH, "$x (id) {a,b} *"), "'$x (id) {a,b} *'");
	UT_OK("quote/fish-bad-utf8", !strncmp(q(SHELL_FISH, "a\xff"), "ERR: ", 5));
}

static void csh_words(void)
{
	UT_STREQ("quote/csh-plain", q(SHELL_CSH, "/a b"), "'/a b'");
	UT_STREQ("quote/csh-empty", q(SHELL_CSH, ""), "''");
	UT_STREQ("quote/csh-bang", q(SHELL_CSH, "a!b"), "'a'\\!'b'");
	UT_STREQ("quote/csh-bang-only", q(SHELL_CSH, "!"), "\\!");
	UT_STREQ("quote/csh-quote", q(SHELL_CSH, "it's!"), "'it'\\''s'\\!");
	UT_STREQ("quote/csh-backslash-bang", q(SHELL_CSH, "a\\!"), "'a\\'\\!");
	UT_STREQ("quote/csh-expansions", q(SHELL_CSH, "$x `id` %~ ^h"), "'$x `id` %~ ^h'");
	UT_OK("quote/csh-newline", !strncmp(q(SHELL_CSH, "a\nb"), "ERR: ", 5) && strstr(got, "newline"));
	UT_OK("quote/csh-names-shell", strstr(q(SHELL_CSH, "a\tb"), "csh") != NULL);
}

static void ps1_words(void)
{
	UT_STREQ("quote/ps1-plain", q(SHELL_PS1, "C:/a b"), "'C:/a b'");
	UT_STREQ("quote/ps1-empty", q(SHELL_PS1, ""), "''");
	UT_STREQ("quote/ps1-quote", q(SHELL_PS1, "it's"), "'it''s'");
	UT_STREQ("quote/ps1-expansions", q(SHELL_PS1, "$x `n $(id) @()"), "'$x `n $(id) @()'");
	/* U+2019 is a quote to PowerShell: it never appears raw */
	UT_STREQ("quote/ps1-smart-quote", q(SHELL_PS1, "a\xe2\x80\x99" "b"),
		 "('a' + [char]0x2019 + 'b')");
	UT_STREQ("quote/ps1-leading-nonascii", q(SHELL_PS1, "\xc3\xa9"), "('' + [char]0x00E9)");
	UT_STREQ("quote/ps1-astral", q(SHELL_PS1, "x\xf0\x9f\x90\x8d"),
		 "('x' + [char]::ConvertFromUtf32(0x1F40D))");
	UT_STREQ("quote/ps1-control", q(SHELL_PS1, "a\tb"), "('a' + [char]0x0009 + 'b')");
	UT_OK("quote/ps1-bad-utf8", !strncmp(q(SHELL_PS1, "\xc3("), "ERR: ", 5));
}

static void py_words(void)
{
	UT_STREQ("quote/py-plain", q(SHELL_PY, "/a b"), "'/a b'");
	UT_OK("quote/py-quote", q(SHELL_PY, "it's")[0] == '"' || strstr(got, "\\'") != NULL);
}

static void checks(void)
{
	struct err e;

	UT_OK("quote/check-plain", quote_check_value("venv path", "/tmp/a b/.venv", &e) == 0);
	UT_OK("quote/check-hostile-ok", quote_check_value("prompt",
	      "$(touch x) `id` ' \" ; ! \\ % * ? [ { } ~ -x \xc3\xa9 \xe2\x80\x98", &e) == 0);
	UT_OK("quote/check-empty-ok", quote_check_value("prompt", "", &e) == 0);
	UT_OK("quote/check-newline", refused("venv path", "/tmp/a\nb", "newline"));
	UT_OK("quote/check-tab", refused("prompt", "a\tb", "tab"));
	UT_OK("quote/check-cr", refused("prompt", "a\rb", "carriage return"));
	UT_OK("quote/check-esc", refused("prompt", "\x1b[31m", "U+001B"));
	UT_OK("quote/check-del", refused("prompt", "a\x7f", "DEL"));
	UT_OK("quote/check-c1", refused("prompt", "a\xc2\x9b" "b", "U+009B"));
	UT_OK("quote/check-bad-byte", refused("venv path", "/tmp/\xff", "UTF-8"));
	UT_OK("quote/check-truncated", refused("prompt", "a\xe2\x80", "UTF-8"));
	UT_OK("quote/check-overlong", refused("prompt", "\xc0\xaf", "UTF-8"));
	UT_OK("quote/check-surrogate", refused("prompt", "\xed\xa0\x80", "UTF-8"));
	UT_OK("quote/check-too-big", refused("prompt", "\xf4\x90\x80\x80", "UTF-8"));
	UT_OK("quote/check-nbsp-ok", quote_check_value("prompt", "a\xc2\xa0" "b", &e) == 0);
	/* the message shows the value without its control characters */
	e.msg[0] = 0;
	UT_OK("quote/check-message-clean", quote_check_value("prompt", "x\x1b]0;t\x07", &e) == -1 &&
	      !strchr(e.msg, 0x1b) && !strchr(e.msg, 0x07) && strstr(e.msg, "\"x\\x1b]0;t\\x07\""));
	UT_OK("quote/check-message-quotes", quote_check_value("prompt", "a\"b\\\x1b", &e) == -1 &&
	      strstr(e.msg, "\"a\\\"b\\\\\\x1b\""));
	{	/* a long value is cut at a character, never inside one */
		char v[400];
		size_t i;

		v[0] = 'a';	/* so that byte 200 is inside a character */
		for (i = 1; i + 2 < 301; i += 2)
			memcpy(v + i, "\xc3\xa9", 2);
		strcpy(v + i, "\x1b");
		UT_OK("quote/check-message-cut", quote_check_value("prompt", v, &e) == -1 &&
		      strstr(e.msg, "\"...") && !strstr(e.msg, "\\x"));
	}
}

void unit_quote(void)
{
	sh_words();
	fish_words();
	csh_words();
	ps1_words();
	py_words();
	checks();
}
