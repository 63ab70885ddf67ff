/* activate.c: the activate applet (SPEC §3); its own issue builds it. */
#include "applets.h"
#include "lib.h"

const char activate_help[] =
	"usage: activate [-s SHELL] [ENV_DIR] [-- COMMAND [ARG...]]\n\nRun COMMAND inside the virtual environment ENV_DIR (default: the nearest .venv),\nor print activation code for SHELL to use with eval.\n";

int activate_main(int argc, char **argv)
{
	if (argc > 1 && cli_common("activate", activate_help, argv[1]) == 0)
		return 0;
	msg_error("activate", "not implemented yet");
	return 1;
}
