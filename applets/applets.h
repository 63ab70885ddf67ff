/* applets.h: the one sorted list of applets. Each applets/NAME.c defines NAME_main and NAME_help. */
#ifndef APPLETS_H
#define APPLETS_H

#define APPLETS(X) \
	X(activate) \
	X(deactivate) \
	X(mkvenv) \
	X(venvinfo)

#define DECLARE(n) int n##_main(int argc, char **argv); extern const char n##_help[];
APPLETS(DECLARE)
#undef DECLARE

/* An option parser shared by the applets: getopt_long without global state surprises. */
#endif
