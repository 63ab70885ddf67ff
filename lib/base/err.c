/* err.c: error values for library code, and the one message format of the applets. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/base.h"

static void vset(struct err *e, const char *fmt, va_list ap)
{
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

int err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	return -1;
}

int err_sys(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	size_t n;
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

/* "APPLET: message" on stderr, one line: errors and the short reports -v and success print
 * alike. Names from hostile input may hold control characters or bytes that are not UTF-8;
 * they are shown escaped, as everywhere (utf8_visible). */
void msg_error(const char *applet, const char *fmt, ...)
{
	char line[16384];
	struct buf out;
	va_list ap;
	int n;

	n = snprintf(line, sizeof line, "%s: ", applet);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	buf_init(&out);
	utf8_visible(&out, line);
	fprintf(stderr, "%s\n", out.s);
	buf_free(&out);
}

/* A usage error: the message, and where help is; returns 2, the exit status of one. */
int msg_usage(const char *applet, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", applet);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", applet);
	return 2;
}
