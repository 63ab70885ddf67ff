/* venvinfo.c: the venvinfo applet (SPEC §6); its own issue builds it. */
#include "applets.h"
#include "lib.h"

const char venvinfo_help[] =
	"usage: venvinfo [--json] [-l|--list] [--freeze] [--get KEY] [--check] [--verify] [ENV_DIR]\n\nReport on a virtual environment without running Python.\n";

int venvinfo_main(int argc, char **argv)
{
	if (argc > 1 && cli_common("venvinfo", venvinfo_help, argv[1]) == 0)
		return 0;
	msg_error("venvinfo", "not implemented yet");
	return 1;
}
