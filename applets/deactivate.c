/* deactivate.c: the deactivate applet (SPEC §4); its own issue builds it. */
#include "applets.h"
#include "lib.h"

const char deactivate_help[] =
	"usage: deactivate [-s SHELL] [-- COMMAND [ARG...]]\n\nRun COMMAND outside the active virtual environment, or print code that\nundoes an activation for SHELL.\n";

int deactivate_main(int argc, char **argv)
{
	if (argc > 1 && cli_common("deactivate", deactivate_help, argv[1]) == 0)
		return 0;
	msg_error("deactivate", "not implemented yet");
	return 1;
}
