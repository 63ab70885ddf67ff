/* activate.c: the activate applet (SPEC §3): a command run inside a venv, activation code
 * for eval, or an interactive shell inside the venv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "applets.h"
#include "lib.h"

const char activate_help[] =
	"usage: activate [-s SHELL] [ENV_DIR] [-- COMMAND [ARG...]]\n"
	"\n"
	"ENV_DIR defaults to the nearest .venv in the current directory or its parents.\n"
	"\n"
	"  activate ENV_DIR -- COMMAND   run COMMAND inside the venv (no shell needed):\n"
	"                                VIRTUAL_ENV, VIRTUAL_ENV_PROMPT set, the venv's bin\n"
	"                                first on PATH, PYTHONHOME removed\n"
	"  eval \"$(activate ENV_DIR)\"    activate the current sh, bash, zsh, ksh, dash, ash\n"
	"  activate -s fish | source     ... fish\n"
	"  eval \"`activate -s csh`\"      ... csh, tcsh\n"
	"  activate -s pwsh | Invoke-Expression   ... PowerShell\n"
	"  activate ENV_DIR              on a terminal: a $SHELL inside the venv (exit leaves it)\n"
	"\n"
	"  -s, --shell SHELL   the shell to print code for (default: the name in $SHELL, else sh)\n";

int activate_main(int argc, char **argv)
{
	const char *shell = NULL, *dir = NULL, *sh;
	struct err e = { "" };
	char *venv, *prompt, **envp;
	struct buf code;
	int cmd, rc;

	cmd = activation_args("activate", activate_help, argc, argv, &shell, &dir, 1);
	if (cmd < 0)
		return cmd == -2 ? 0 : 2;
	venv = venv_locate(dir, &e);
	if (!venv) {
		msg_error("activate", "%s", e.msg);
		return 1;
	}
	prompt = venv_prompt(venv);
	if (cmd < argc) {
		envp = env_activate(venv, prompt, 0);
		rc = exec_command(argv + cmd, envp, &e);
		msg_error("activate", "%s", e.msg);
		return rc;
	}
	if (!shell && isatty(1)) {	/* a shell of one's own, inside the venv */
		sh = getenv("SHELL");
		msg_info("activate", "starting %s inside %s; exit leaves it", sh && *sh ? sh : "/bin/sh", venv);
		rc = activate_subshell(venv, prompt, &e);
		msg_error("activate", "%s", e.msg);
		return rc;
	}
	if (!shell)
		shell = getenv("SHELL");
	{
		const struct tvar vars[] = {
			{ "VIRTUAL_ENV", venv }, { "VIRTUAL_ENV_PROMPT", prompt },
			{ "BIN_NAME", "bin" }, { "RELOCATABLE", "" },
		};

		buf_init(&code);
		if (shell_code(&code, shell ? shell : "sh", "activate", vars, 4, &e)) {
			msg_error("activate", "%s", e.msg);
			return 1;
		}
		fwrite(code.s, 1, code.len, stdout);
		buf_free(&code);
	}
	free(prompt);
	free(venv);
	return fflush(stdout) == 0 ? 0 : 1;
}
