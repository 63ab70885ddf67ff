/* template.c: the embedded activation templates, and their rendering: every @NAME@ token
 * becomes the value of NAME quoted for the template's shell, so no template can forget to
 * quote and no value can escape its quotes. */
#include <string.h>
#include "fmt/fmt.h"

#define EMBEDDED(n) extern const char embed_##n[], embed_##n##_end[]
EMBEDDED(activate_sh);
EMBEDDED(activate_fish);
EMBEDDED(activate_csh);
EMBEDDED(activate_ps1);
EMBEDDED(gitignore);
EMBEDDED(launcher);
EMBEDDED(launcher_sh);
EMBEDDED(launcher_rel);
EMBEDDED(deactivate_sh);
EMBEDDED(deactivate_fish);
EMBEDDED(deactivate_csh);
EMBEDDED(deactivate_ps1);

#define T(file, sym, sh, minor) { file, sh, embed_##sym, 0, minor }
static struct template table[] = {
	T("activate", activate_sh, SHELL_SH, 3),
	T("activate.csh", activate_csh, SHELL_CSH, 3),
	T("activate.fish", activate_fish, SHELL_FISH, 3),
	T("Activate.ps1", activate_ps1, SHELL_PS1, 8),	/* venv writes it on POSIX since 3.8 */
	T(".gitignore", gitignore, SHELL_SH, -1),	/* written on its own */
	T("launcher.py", launcher, SHELL_PY, -1),	/* entry point scripts, not venv files */
	T("launcher-sh.py", launcher_sh, SHELL_SH, -1),
	T("launcher-rel.py", launcher_rel, SHELL_SH, -1),
	/* printed by the deactivate applet, not venv files */
	T("deactivate.sh", deactivate_sh, SHELL_SH, -1),
	T("deactivate.fish", deactivate_fish, SHELL_FISH, -1),
	T("deactivate.csh", deactivate_csh, SHELL_CSH, -1),
	T("deactivate.ps1", deactivate_ps1, SHELL_PS1, -1),
};
const size_t ntemplates = sizeof table / sizeof table[0];

static const char *const ends[] = {
	embed_activate_sh_end, embed_activate_csh_end, embed_activate_fish_end,
	embed_activate_ps1_end, embed_gitignore_end, embed_launcher_end,
	embed_launcher_sh_end, embed_launcher_rel_end, embed_deactivate_sh_end,
	embed_deactivate_fish_end, embed_deactivate_csh_end, embed_deactivate_ps1_end,
};

static void fill_lengths(void)
{
	size_t i;

	if (table[0].len)
		return;
	for (i = 0; i < ntemplates; i++)
		table[i].len = ends[i] - table[i].text;
}

const struct template *template_find(const char *name)
{
	size_t i;

	fill_lengths();
	for (i = 0; i < ntemplates; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

const struct template *template_at(size_t i)
{
	fill_lengths();
	return i < ntemplates ? &table[i] : NULL;
}

int template_render(struct buf *out, const struct template *t,
		    const struct tvar *vars, size_t nvars, struct err *e)
{
	const char *p = t->text, *end = t->text + t->len, *at, *close;
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
