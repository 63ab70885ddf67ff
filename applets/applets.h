/* applets.h: the one sorted list of applets, with a line on each (the Makefile, main.c's help and
 * --list read it). Each applets/NAME.c defines NAME_main; its --help text is
 * templates/help-NAME.txt, embedded with the other templates. */
#ifndef APPLETS_H
#define APPLETS_H

#define APPLETS(X) \
	X(activate, "run a command inside a venv, or print activation code") \
	X(deactivate, "run a command outside the active venv, or print code") \
	X(mkvenv, "create a virtual environment, as python3 -m venv does") \
	X(venvinfo, "report on a venv without running Python")

#define DECLARE(n, summary) int n##_main(int argc, char **argv);
APPLETS(DECLARE)
#undef DECLARE

/* What an applet's main returns for main.c to print its help text or its version (exit 0):
 * every applet answers --help, -h and --version the same way. */
#define APPLET_HELP 1000
#define APPLET_VERSION 1001

/* activate.c: the command line activate and deactivate share */
int activation_args(const char *applet, int argc, char **argv, const char **shell,
		    const char **dir, int allow_dir, int *cmd);
#endif
