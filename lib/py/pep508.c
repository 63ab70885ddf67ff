/* pep508.c: dependency specifiers (PEP 508, the "Dependency specifiers" specification):
 * NAME [EXTRAS] (VERSION-SPECIFIERS | @ URL) [; MARKER], the one parser of requirement
 * lines and Requires-Dist values. */
#include <stdio.h>
#include <string.h>
#include "py/py.h"

static int is_space(int c)
{
	return c == ' ' || c == '\t';
}

static int alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* An identifier (a name, an extra): alnum, then alnum or -_. ending on alnum; its length. */
static size_t identifier(const char *p)
{
	size_t n = 0;

	if (!alnum((unsigned char)*p))
		return 0;
	while (alnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_' || p[n] == '.')
		n++;
	while (n && !alnum((unsigned char)p[n - 1]))
		n--;
	return n;
}

static const char *skip(const char *p)
{
	while (is_space((unsigned char)*p))
		p++;
	return p;
}

static int extras(const char **pp, struct pep508 *r, struct err *e)
{
	const char *p = skip(*pp + 1);
	size_t n;

	while (*p != ']') {
		if (r->nextras && *p++ != ',')
			return err_set(e, "',' or ']' expected after extra '%s'", r->extra[r->nextras - 1]);
		p = skip(p);
		if (!(n = identifier(p)))
			return err_set(e, "an extra name expected in [...]");
		if (r->nextras == PEP508_EXTRAS || n >= sizeof r->extra[0])
			return err_set(e, "too many or too long extras");
		memcpy(r->extra[r->nextras], p, n);
		r->extra[r->nextras++][n] = 0;
		p = skip(p + n);
		if (!*p)
			return err_set(e, "']' expected");
	}
	*pp = p + 1;
	return 0;
}

/* The specifier set from P up to END, spaces left out, into R->spec, and checked. */
static int specifiers(const char *p, const char *end, struct pep508 *r, struct err *e)
{
	size_t n = 0;
	struct err why;

	for (; p < end; p++) {
		if (is_space((unsigned char)*p))
			continue;
		if (n + 1 >= sizeof r->spec)
			return err_set(e, "the version specifier is too long");
		r->spec[n++] = *p;
	}
	r->spec[n] = 0;
	if (n && pep440_match(r->spec, "0", &why) < 0)
		return err_set(e, "%s", why.msg);
	return 0;
}

int pep508_parse(const char *s, struct pep508 *r, struct err *e)
{
	const char *p = skip(s), *end, *semi;
	size_t n;
	struct err why;

	memset(r, 0, sizeof *r);
	if (!(n = identifier(p)))
		return err_set(e, "a project name expected");
	if (n >= sizeof r->name)
		return err_set(e, "the project name is too long");
	memcpy(r->name, p, n);
	p = skip(p + n);
	if (*p == '[' && extras(&p, r, e))
		return -1;
	p = skip(p);
	if (*p == '@') {	/* a direct reference: the URL runs to the next space */
		p = skip(p + 1);
		n = strcspn(p, " \t");
		if (!n || n >= sizeof r->url)
			return err_set(e, n ? "the URL is too long" : "a URL expected after '@'");
		memcpy(r->url, p, n);
		p = skip(p + n);
		if (*p && *p != ';')
			return err_set(e, "';' or the end expected after the URL");
	} else if (*p == '(') {
		end = strchr(p, ')');
		if (!end)
			return err_set(e, "')' expected after the version specifier");
		if (specifiers(p + 1, end, r, e))
			return -1;
		p = skip(end + 1);
	} else {
		semi = p + strcspn(p, ";");
		if (specifiers(p, semi, r, e))
			return -1;
		p = semi;
	}
	if (*p && *p != ';')
		return err_set(e, "unexpected '%.40s'", p);
	if (*p == ';') {
		p = skip(p + 1);
		n = strlen(p);
		while (n && is_space((unsigned char)p[n - 1]))
			n--;
		if (!n)
			return err_set(e, "a marker expected after ';'");
		if (n >= sizeof r->marker)
			return err_set(e, "the marker is too long");
		memcpy(r->marker, p, n);
		if (marker_eval(r->marker, NULL, &why) < 0)
			return err_set(e, "%s", why.msg);
	}
	return 0;
}
