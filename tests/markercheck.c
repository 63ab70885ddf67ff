/* markercheck.c: for tests/t_requirements.sh, each environment marker read from stdin (one a
 * line) evaluated by lib/py/markers.c for the interpreter PYTHON, found and read as mkvenv
 * -p PYTHON does (never run): prints "1", "0" or "error" per line, and with -e the values of
 * the environment as NAME=VALUE lines first. Extras with -x NAME (repeatable). */
#include <stdio.h>
#include <string.h>
#include "py/py.h"

int main(int argc, char **argv)
{
	static const char *keys[MK_NVALUES] = { "python_version", "python_full_version",
		"implementation_name", "implementation_version", "platform_python_implementation",
		"sys_platform", "os_name", "platform_system", "platform_machine", "platform_release",
		"platform_version" };
	struct pyinfo py = { 0 };
	struct markerenv env;
	struct err e = { "" };
	char line[4096], *extras[16];
	size_t n, nx = 0;
	int i = 1, values = 0, r;

	for (; i < argc - 1 && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-e"))
			values = 1;
		else if (!strcmp(argv[i], "-x") && i + 1 < argc - 1 && nx < 16)
			extras[nx++] = argv[++i];
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: markercheck [-e] [-x EXTRA]... PYTHON < MARKERS\n");
		return 2;
	}
	if (pyfind(argv[i], NULL, &py, NULL, &e)) {
		fprintf(stderr, "markercheck: %s\n", e.msg);
		return 1;
	}
	markerenv_init(&env, &py);
	env.extras = extras;
	env.nextras = nx;
	for (i = 0; values && i < MK_NVALUES; i++)
		printf("%s=%s\n", keys[i], env.v[i]);
	while (fgets(line, sizeof line, stdin)) {
		n = strcspn(line, "\n");
		line[n] = 0;
		if (!n)
			continue;
		r = marker_eval(line, &env, &e);
		printf("%s\n", r < 0 ? "error" : r ? "1" : "0");
	}
	pyinfo_free(&py);
	return 0;
}
