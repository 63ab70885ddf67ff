/* deactivate.c: the deactivate applet (SPEC §4): a command run outside the active venv, or
 * code for eval that undoes an activation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "applets.h"
#include "pkg/pkg.h"

int deactivate_main(int argc, char **argv)
{
	const char *shell = NULL, *dir = NULL, *active = getenv("VIRTUAL_ENV");
	struct err e = { "" };
	struct buf code;
	char *bin, *path;
	int cmd, rc;

	rc = activation_args("deactivate", argc, argv, &shell, &dir, 0, &cmd);
	if (rc >= 0)
		return rc;
	if (cmd < argc) {
		rc = exec_command(argv + cmd, env_deactivate(), &e);
		msg_error("deactivate", "%s", e.msg);
		return rc;
	}
	if (getenv("VENVBOX_SUBSHELL")) {
		msg_error("deactivate", "this shell was started by activate for %s: type exit to leave it",
			  getenv("VENVBOX_SUBSHELL"));
		return 1;
	}
	if (!active || !*active) {
		msg_error("deactivate", "no virtual environment is active (VIRTUAL_ENV is not set)");
		return 1;
	}
	if (!shell)
		shell = getenv("SHELL");
	bin = path_join(active, "bin");
	path = path_without(getenv("PATH"), bin);
	{
		const struct tvar vars[] = { { "VIRTUAL_ENV", active }, { "PATH", path } };

		buf_init(&code);
		rc = shell_code(&code, shell ? shell : "sh", "deactivate", vars, 2, &e);
		if (rc)
			msg_error("deactivate", "%s", e.msg);
		else
			fwrite(code.s, 1, code.len, stdout);
		buf_free(&code);
	}
	free(bin);
	free(path);
	return rc ? 1 : fflush(stdout) == 0 ? 0 : 1;
}
