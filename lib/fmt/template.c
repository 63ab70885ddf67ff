/* template.c: the embedded activation templates, and their rendering: every @NAME@ token
 * becomes the value of NAME quoted for the template's shell, so no template can forget to
 * quote and no value can escape its quotes. */
#include <string.h>
#include "fmt/fmt.h"

/* build/templates.S defines embed_SYMBOL and embed_SYMBOL_end around each file */
#define DECLARE(sym, source, name, shell, minor) extern const char embed_##sym[], embed_##sym##_end[];
TEMPLATES(DECLARE)
#undef DECLARE

#define ENTRY(sym, source, name, shell, minor) { name, shell, embed_##sym, embed_##sym##_end, minor },
static const struct template table[] = { TEMPLATES(ENTRY) };
#undef ENTRY
#define NTEMPLATES (sizeof table / sizeof table[0])

const struct template *template_find(const char *name)
{
	size_t i;

	for (i = 0; i < NTEMPLATES; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

const struct template *template_at(size_t i)
{
	return i < NTEMPLATES ? &table[i] : NULL;
}

int template_render(struct buf *out, const struct template *t,
		    const struct tvar *vars, size_t nvars, struct err *e)
{
	const char *p = t->text, *end = t->end, *at, *close;
	size_t i, n;

	buf_reset(out);
	while (p < end) {
		at = memchr(p, '@', end - p);
		if (!at) {
			buf_add(out, p, end - p);
			break;
		}
		buf_add(out, p, at - p);
		for (close = at + 1; close < end && ((*close >= 'A' && *close <= 'Z') || *close == '_'); close++)
			;
		n = close - at - 1;
		if (close >= end || *close != '@' || n == 0) {
			buf_addc(out, '@');
			p = at + 1;
			continue;
		}
		for (i = 0; i < nvars; i++)
			if (strlen(vars[i].name) == n && !memcmp(vars[i].name, at + 1, n))
				break;
		if (i == nvars)
			return err_set(e, "template %s: unknown placeholder @%.*s@", t->name, (int)n, at + 1);
		if (quote_shell(out, t->shell, vars[i].value, e))
			return -1;
		p = close + 1;
	}
	if (!out->s)
		buf_add(out, "", 0);
	return 0;
}
