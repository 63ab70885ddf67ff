/* quote.c: a value written as one quoted word for the shell that reads it (POSIX sh family,
 * fish, csh/tcsh, PowerShell; Python too), and the check that a path or prompt is fit for
 * the four shells.
 * The output must mean the same whether a file is sourced or its text is given to eval. */
#include <stdio.h>
#include <string.h>
#include "fmt/fmt.h"

/* The value as it may be shown in a message: in quotes, bounded (cut at a character), with
 * the one escaping of text from outside (utf8_visible) and \ before a quote or a backslash. */
static const char *shown(struct buf *b, const char *value)
{
	size_t n = strlen(value), cut = n < 200 ? n : 200, k;
	struct buf raw;

	for (k = 0; k < 3 && cut < n && ((unsigned char)value[cut] & 0xc0) == 0x80; k++)
		cut--;
	buf_init(&raw);
	for (k = 0; k < cut; k++) {
		if (value[k] == '"' || value[k] == '\\')
			buf_addc(&raw, '\\');
		buf_addc(&raw, value[k]);
	}
	buf_reset(b);
	buf_addc(b, '"');
	utf8_visible(b, raw.s);
	buf_adds(b, cut < n ? "\"..." : "\"");
	buf_free(&raw);
	return b->s;
}

static const char *control_name(unsigned long cp)
{
	switch (cp) {
	case '\n': return "a newline";
	case '\r': return "a carriage return";
	case '\t': return "a tab";
	case 0x1b: return "an escape character";
	case 0x7f: return "a DEL character";
	}
	return "a control character";
}

/* Refuse what no quoting makes safe: bytes that are not UTF-8 and control characters
 * (a newline ends a csh word, an escape sequence in a prompt drives the terminal). */
static int check_chars(const char *what, const char *value, int controls_ok, struct err *e)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t n = strlen(value), i, len;
	unsigned long cp;
	struct buf b;
	int rc = 0;

	buf_init(&b);
	for (i = 0; i < n; i += len) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			rc = err_set(e, "%s %s: not valid UTF-8 (byte 0x%02x at offset %zu)",
				     what, shown(&b, value), s[i], i);
			break;
		}
		if (!controls_ok && utf8_control(cp)) {
			rc = err_set(e, "%s %s: contains %s (U+%04lX), which activation scripts cannot carry safely",
				     what, shown(&b, value), control_name(cp), cp);
			break;
		}
	}
	buf_free(&b);
	return rc;
}

/* Single-quoted runs, each character of OUTSIDE written as \C between them. POSIX sh:
 * single quotes keep every byte, so only the quote itself is outside. csh/tcsh: history
 * substitution sees '!' even inside single quotes, in sourced files and in eval'd text
 * alike, so '!' is outside too. */
static void quote_single(struct buf *b, const char *s, const char *outside)
{
	int open = 0;

	if (!*s) {
		buf_adds(b, "''");
		return;
	}
	for (; *s; s++) {
		if (strchr(outside, *s)) {
			if (open)
				buf_addc(b, '\'');
			open = 0;
			buf_addc(b, '\\');
			buf_addc(b, *s);
			continue;
		}
		if (!open)
			buf_addc(b, '\'');
		open = 1;
		buf_addc(b, *s);
	}
	if (open)
		buf_addc(b, '\'');
}

/* fish: inside single quotes only \\ and \' are escapes. */
static void quote_fish(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\\' || *s == '\'')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

/* PowerShell: printable ASCII goes in single quotes ('' for a quote); every other character
 * is written as [char]0xNNNN, so the word is pure ASCII. PowerShell takes U+2018..U+201B for
 * quotes too, and a BOM-less file may be decoded in a legacy code page; neither can then
 * turn a byte of the value into a quote. Several pieces are joined in parentheses. */
static void quote_ps1(struct buf *b, const char *value)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t n = strlen(value), i, len;
	unsigned long cp;
	int open = 0, pieces = 0;
	struct buf w;

	buf_init(&w);
	for (i = 0; i < n; i += len) {
		len = utf8_decode(s + i, n - i, &cp);
		if (cp >= 0x20 && cp < 0x7f) {
			if (!open && pieces++)
				buf_adds(&w, " + ");
			if (!open)
				buf_addc(&w, '\'');
			open = 1;
			if (cp == '\'')
				buf_addc(&w, '\'');
			buf_addc(&w, (char)cp);
			continue;
		}
		if (open)
			buf_addc(&w, '\'');
		open = 0;
		if (pieces++ == 0)	/* a string first, so + joins text rather than adds numbers */
			buf_adds(&w, "''"), pieces++;
		if (cp > 0xffff)
			buf_printf(&w, " + [char]::ConvertFromUtf32(0x%05lX)", cp);
		else
			buf_printf(&w, " + [char]0x%04lX", cp);
	}
	if (open)
		buf_addc(&w, '\'');
	if (pieces == 0)
		buf_adds(b, "''");
	else if (pieces == 1)
		buf_add(b, w.s, w.len);
	else {
		buf_addc(b, '(');
		buf_add(b, w.s, w.len);
		buf_addc(b, ')');
	}
	buf_free(&w);
}

static const char *shell_name(enum shell sh)
{
	switch (sh) {
	case SHELL_SH: return "sh";
	case SHELL_FISH: return "fish";
	case SHELL_CSH: return "csh";
	case SHELL_PS1: return "PowerShell";
	case SHELL_PY: return "Python";
	}
	return "?";
}

int quote_shell(struct buf *b, enum shell sh, const char *value, struct err *e)
{
	char what[64];

	snprintf(what, sizeof what, "cannot quote for %s: value", shell_name(sh));
	switch (sh) {
	case SHELL_SH:		/* single quotes carry any byte */
		quote_single(b, value, "'");
		return 0;
	case SHELL_FISH:
		if (check_chars(what, value, 1, e))
			return -1;
		quote_fish(b, value);
		return 0;
	case SHELL_CSH:		/* a newline cannot be quoted in csh */
		if (check_chars(what, value, 0, e))
			return -1;
		quote_single(b, value, "'!");
		return 0;
	case SHELL_PS1:
		if (check_chars(what, value, 1, e))
			return -1;
		quote_ps1(b, value);
		return 0;
	case SHELL_PY:		/* a str literal, as repr() writes it */
		py_repr_str(b, value);
		return 0;
	}
	return err_set(e, "cannot quote for an unknown shell (%d)", (int)sh);
}

int quote_check_value(const char *what, const char *value, struct err *e)
{
	static const enum shell all[] = { SHELL_SH, SHELL_FISH, SHELL_CSH, SHELL_PS1 };
	struct buf b;
	size_t i;
	int rc = 0;

	if (check_chars(what, value, 0, e))
		return -1;
	buf_init(&b);
	for (i = 0; i < sizeof all / sizeof all[0] && rc == 0; i++)
		rc = quote_shell(&b, all[i], value, e);
	buf_free(&b);
	return rc;
}
