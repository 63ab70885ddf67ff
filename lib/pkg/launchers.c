/* launchers.c: the #! line of a venv's scripts (direct, or through /bin/sh when the kernel
 * could not read it), and the console and GUI script launchers of a wheel's entry points
 * (the entry points spec), named as pip's installer names them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "pkg/pkg.h"

#define SHEBANG_MAX 127	/* what every Linux kernel reads of a #! line */

/* The #! line for scripts in the venv: direct when the kernel can read it, else a /bin/sh
 * line that hands the file to the venv's python (a sh/Python polyglot). */
int launcher_shebang(const struct inst *s, struct buf *b, struct err *e)
{
	const struct template *t;
	struct buf py;
	int rc = 0;

	buf_init(&py);
	buf_printf(&py, "%s/bin/python", s->o->absdir);
	buf_reset(b);
	if (s->o->relocatable) {	/* python found beside the launcher, wherever it is */
		t = template_find("launcher-rel.py");
		rc = t ? template_render(b, t, NULL, 0, e) : err_set(e, "no relocatable launcher in this build");
	} else if (py.len + 2 <= SHEBANG_MAX && !strpbrk(py.s, " \t")) {
		buf_printf(b, "#!%s\n", py.s);
	} else if (strchr(py.s, '\\')) {
		rc = err_set(e, "%s: a venv path with a backslash cannot have launchers", s->o->absdir);
	} else {
		struct tvar v[] = { { "PYTHON", py.s } };

		t = template_find("launcher-sh.py");
		rc = template_render(b, t, v, 1, e);
	}
	buf_free(&py);
	return rc;
}

/* The scripts to write: the entry points, except that pip's installer writes two projects'
 * versioned names for the interpreter at hand: pip as pip, pipX and pipX.Y (other pipN
 * names dropped), setuptools' easy_install also as easy_install-X.Y. */
struct script {
	char name[64];
	const struct entrypoint *ep;
};

static int versioned(const char *name, const char *stem, const char *sep)
{
	size_t n = strlen(stem), k = strlen(sep);

	return !strncmp(name, stem, n) && !strncmp(name + n, sep, k) && name[n + k]
	       && strspn(name + n + k, "0123456789.") == strlen(name + n + k)
	       && name[n + k] >= '0' && name[n + k] <= '9';
}

static size_t scripts_for(const struct inst *s, struct script **out)
{
	const struct wheel *w = s->w;
	struct script *v = xmalloc((w->nep * 3 + 1) * sizeof *v);
	int pip = !strcmp(w->normname, "pip"), st = !strcmp(w->normname, "setuptools");
	size_t i, n = 0;

	for (i = 0; i < w->nep; i++) {
		const struct entrypoint *ep = &w->ep[i];

		if ((pip && !ep->gui && versioned(ep->name, "pip", ""))
		    || (st && !ep->gui && versioned(ep->name, "easy_install", "-")))
			continue;
		snprintf(v[n].name, sizeof v[n].name, "%s", ep->name);
		v[n++].ep = ep;
		if (pip && !ep->gui && !strcmp(ep->name, "pip")) {
			snprintf(v[n].name, sizeof v[n].name, "pip%d", s->py->major);
			v[n++].ep = ep;
			snprintf(v[n].name, sizeof v[n].name, "pip%d.%d", s->py->major, s->py->minor);
			v[n++].ep = ep;
		}
		if (st && !ep->gui && !strcmp(ep->name, "easy_install")) {
			snprintf(v[n].name, sizeof v[n].name, "easy_install-%d.%d", s->py->major, s->py->minor);
			v[n++].ep = ep;
		}
	}
	*out = v;
	return n;
}

int launchers_write(struct inst *s, struct err *e)
{
	const struct template *t = template_find("launcher.py");
	struct script *sc;
	char dest[300];
	struct buf body;
	size_t i, j, n = scripts_for(s, &sc);
	int rc = 0;

	buf_init(&body);
	for (i = 0; i < n && !rc; i++) {
		const struct entrypoint *ep = sc[i].ep;
		struct tvar v[] = {
			{ "NAME", sc[i].name }, { "DIST", s->w->name },
			{ "MODULE", ep->module }, { "ATTRIBUTE", ep->attr },
		};

		if ((rc = script_name_check(s->w, sc[i].name, s->py, e)))
			break;
		snprintf(dest, sizeof dest, "bin/%s", sc[i].name);
		if (!*ep->attr) {
			rc = err_set(e, "%s: entry point %s names a module but no function", s->w->path, sc[i].name);
			break;
		}
		if (installed_owner(s->in, dest, NULL)) {
			rc = err_set(e, "%s: entry point %s would overwrite %s, which belongs to %s",
				     s->w->path, sc[i].name, dest, installed_owner(s->in, dest, NULL));
			break;
		}
		for (j = 0; j < s->w->nf && !rc; j++)
			if (!strcasecmp(s->w->f[j].dest, dest))	/* as members collide (members.c) */
				rc = err_set(e, "%s: entry point %s collides with the member %s", s->w->path,
					     sc[i].name, s->w->f[j].member);
		for (j = 0; j < i && !rc; j++)
			if (!strcmp(sc[j].name, sc[i].name))
				rc = err_set(e, "%s: entry point %s is defined twice", s->w->path, sc[i].name);
		if (rc || (rc = launcher_shebang(s, &body, e)))
			break;
		buf_reset(&s->tmp);
		rc = template_render(&s->tmp, t, v, sizeof v / sizeof v[0], e);
		if (!rc) {
			buf_add(&body, s->tmp.s, s->tmp.len);
			rc = inst_put(s, dest, body.s, body.len, 0755, e);
		}
	}
	free(sc);
	buf_free(&body);
	return rc ? -1 : 0;
}
