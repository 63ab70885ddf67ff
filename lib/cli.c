/* cli.c: what every applet's command line has in common: --help, --version, usage errors. */
#include <stdio.h>
#include <string.h>
#include "lib.h"

/* Returns 0 (help printed) when ARG is --help/-h, 1 for --version, -1 otherwise. */
int cli_common(const char *applet, const char *help, const char *arg)
{
	if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
		fputs(help, stdout);
		return 0;
	}
	if (!strcmp(arg, "--version")) {
		printf("%s (venvbox) %s\n", applet, VENVBOX_VERSION);
		return 0;
	}
	return -1;
}

int cli_usage(const char *applet, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", applet);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", applet);
	return 2;
}
