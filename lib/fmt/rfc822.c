/* rfc822.c: the text formats inside a wheel's .dist-info: email-style headers (WHEEL and
 * METADATA, core metadata spec) and the INI-style entry_points.txt (entry points spec). */
#include <stdlib.h>
#include <string.h>
#include "fmt/fmt.h"

/* The next line of TEXT at *P (without its CR/LF), or NULL at the end. */
static const char *next_line(const char **p, const char *end, size_t *n)
{
	const char *s = *p, *q;

	if (s >= end)
		return NULL;
	q = memchr(s, '\n', end - s);
	if (!q)
		q = end;
	*n = q - s;
	if (*n && s[*n - 1] == '\r')
		(*n)--;
	*p = q < end ? q + 1 : end;
	return s;
}

static char *trimmed(const char *s, size_t n)
{
	char *r;

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	r = xmalloc(n + 1);
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

char *meta_get(const char *text, size_t len, const char *key)
{
	return meta_get_nth(text, len, key, 0);
}

char *meta_get_nth(const char *text, size_t len, const char *key, size_t nth)
{
	const char *p = text, *end = text + len, *l;
	size_t n, klen = strlen(key), seen = 0;
	struct buf v;
	int found = 0;

	buf_init(&v);
	while ((l = next_line(&p, end, &n)) && n) {
		if (found) {
			if (*l != ' ' && *l != '\t')
				break;
			buf_addc(&v, '\n');
			buf_add(&v, l, n);
			continue;
		}
		if (n > klen && l[klen] == ':' && !strncasecmp(l, key, klen) && seen++ == nth) {
			found = 1;
			buf_add(&v, l + klen + 1, n - klen - 1);
		}
	}
	if (!found)
		return NULL;
	l = trimmed(v.s ? v.s : "", v.len);
	buf_free(&v);
	return (char *)l;
}

static void entrypoint_clear(struct entrypoint *ep)
{
	free(ep->name);
	free(ep->module);
	free(ep->attr);
}

void entrypoints_free(struct entrypoint *ep, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		entrypoint_clear(&ep[i]);
	free(ep);
}

/* Dotted Python identifiers: "pip._internal.cli.main". */
static int dotted(const char *s)
{
	int start = 1;

	if (!*s)
		return 0;
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '.') {
			if (start)
				return 0;
			start = 1;
			continue;
		}
		if (!(c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		      || (!start && c >= '0' && c <= '9')))
			return 0;	/* non-ASCII letters too (the file is checked to be UTF-8) */
		start = 0;
	}
	return !start;
}

/* "module.sub:attr.sub [extra1, extra2]" */
static int parse_ref(const char *value, struct entrypoint *ep)
{
	char *v = xstrdup(value), *br, *colon;
	int ok;

	br = strchr(v, '[');
	if (br) {
		if (v[strlen(v) - 1] != ']') {
			free(v);
			return -1;
		}
		*br = 0;
	}
	colon = strchr(v, ':');
	if (colon)
		*colon = 0;
	ep->module = trimmed(v, strlen(v));
	ep->attr = trimmed(colon ? colon + 1 : "", colon ? strlen(colon + 1) : 0);
	ok = dotted(ep->module) && dotted(ep->attr);
	free(v);
	return ok ? 0 : -1;
}

int entrypoints_parse(const char *text, size_t len, struct entrypoint **out, size_t *n,
		      const char *what, struct err *e)
{
	const char *p = text, *end = text + len, *l, *eq;
	struct entrypoint *ep = NULL, cur;
	size_t ln, count = 0, lineno = 0;
	int section = 0;	/* 0 other, 1 console, 2 gui */
	char *key, *val;

	*out = NULL;
	*n = 0;
	if (memchr(text, 0, len))
		return err_set(e, "%s: contains a NUL byte", what);
	if (!utf8_valid((const unsigned char *)text, len))
		return err_set(e, "%s: not valid UTF-8", what);
	while ((l = next_line(&p, end, &ln))) {
		lineno++;
		while (ln && (*l == ' ' || *l == '\t'))
			l++, ln--;
		while (ln && (l[ln - 1] == ' ' || l[ln - 1] == '\t'))	/* "[console_scripts] " */
			ln--;
		if (!ln || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			if (l[ln - 1] != ']')
				goto bad;
			section = ln == 17 && !memcmp(l, "[console_scripts]", 17) ? 1
				: ln == 13 && !memcmp(l, "[gui_scripts]", 13) ? 2 : 0;
			continue;
		}
		eq = memchr(l, '=', ln);
		if (!eq)
			goto bad;
		if (!section)
			continue;
		key = trimmed(l, eq - l);
		val = trimmed(eq + 1, l + ln - eq - 1);
		memset(&cur, 0, sizeof cur);
		cur.name = key;
		cur.gui = section == 2;
		if (!*key || parse_ref(val, &cur)) {
			free(val);
			entrypoint_clear(&cur);
			goto bad;
		}
		free(val);
		if (count >= 10000) {
			entrypoint_clear(&cur);
			entrypoints_free(ep, count);
			return err_set(e, "%s: too many entry points", what);
		}
		ep = xgrow(ep, count, sizeof *ep);
		ep[count++] = cur;
	}
	*out = ep;
	*n = count;
	return 0;
bad:
	entrypoints_free(ep, count);
	return err_set(e, "%s: line %zu: malformed entry point", what, lineno);
}
