/* template.c: the embedded activation templates, and their rendering: every @NAME@ token
 * becomes the value of NAME quoted for the template's shell, so no template can forget to
 * quote and no value can escape its quotes. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "fmt/fmt.h"

/* build/templates.S embeds every file of the list as one gzip stream (build/templates.sh),
 * each file followed by a NUL; it is inflated once, when a template is first wanted. */
extern const unsigned char embed_templates[], embed_templates_end[];

#define ENTRY(sym, source, name, shell, minor) { name, shell, NULL, NULL, minor },
static struct template table[] = { TEMPLATES(ENTRY) };
#undef ENTRY
#define NTEMPLATES (sizeof table / sizeof table[0])

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The stream's bytes can only be what the build put there: anything else is a broken binary. */
static void broken(const char *why)
{
	msg_error("venvbox", "the templates built into this binary are damaged (%s)", why);
	abort();
}

static void load(void)
{
	size_t len = (size_t)(embed_templates_end - embed_templates), n, i;
	const unsigned char *t = embed_templates + (len >= 4 ? len - 4 : 0);
	z_stream zs;
	char *p, *end, *nul;

	if (len < 18)
		broken("too short");
	n = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;	/* gzip's ISIZE */
	p = xmalloc(n + 1);
	memset(&zs, 0, sizeof zs);
	zs.next_in = (unsigned char *)embed_templates;
	zs.avail_in = (unsigned)len;
	zs.next_out = (unsigned char *)p;
	zs.avail_out = (unsigned)n;
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK || inflate(&zs, Z_FINISH) != Z_STREAM_END || zs.total_out != n)
		broken(zs.msg ? zs.msg : "not the size it says");
	inflateEnd(&zs);
	p[n] = 0;
	end = p + n;
	for (i = 0; i < NTEMPLATES; i++) {
		if (!(nul = memchr(p, 0, (size_t)(end - p))) || nul == end)
			broken("fewer files than the list");
		table[i].text = p;
		table[i].end = nul;
		p = nul + 1;
	}
	if (p != end)
		broken("more files than the list");
}

const struct template *template_find(const char *name)
{
	size_t i;

	pthread_once(&once, load);
	for (i = 0; i < NTEMPLATES; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

const struct template *template_at(size_t i)
{
	pthread_once(&once, load);
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
