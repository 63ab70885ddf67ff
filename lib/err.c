/* err.c: error values for library code, and the one message format of the applets. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lib.h"

int err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
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
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

static void vmsg(const char *applet, const char *fmt, va_list ap)
{
	char line[2048];
	int n;

	n = snprintf(line, sizeof line, "%s: ", applet);
	vsnprintf(line + n, sizeof line - n, fmt, ap);
	fprintf(stderr, "%s\n", line);
}

void msg_error(const char *applet, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(applet, fmt, ap);
	va_end(ap);
}

void msg_info(const char *applet, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(applet, fmt, ap);
	va_end(ap);
}
