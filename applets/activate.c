/* activate.c: the activate applet (SPEC §3): a command run inside a venv, activation code
 * for eval, or an interactive shell inside the venv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "applets.h"
#include "pkg/pkg.h"

/* Activation failed. When the output is code for eval (no command; -s, or not a terminal),
 * it is code that fails too: `eval "$(activate)" && pip ...` must not go on with the
 * system's pip, and an empty string evals to success. Returns 1. */
static int failed_code(int command, const char *shell)
{
	if (!command && (shell || !isatty(1)))
		fputs("false\n", stdout);	/* a command in sh, bash, zsh, fish, csh; an error in pwsh */
	return 1;
}

int activate_main(int argc, char **argv)
{
	const char *shell = NULL, *dir = NULL, *sh, *venv, *prompt;
	struct err e = { "" };
	struct venv v = { 0 };
	char *name, **envp;
	struct buf code;
	int cmd, rc;

	rc = activation_args("activate", argc, argv, &shell, &dir, 1, &cmd);
	if (rc >= 0)
		return rc;
	name = venv_locate(dir, VENV_DIR_OR_NEAREST, NULL, &e);
	rc = name ? venv_open(&v, name, &e) : -1;
	free(name);
	if (rc) {
		msg_error("activate", "%s", e.msg);
		venv_close(&v);
		return failed_code(cmd < argc, shell);
	}
	venv = v.dir;
	prompt = v.prompt;
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
	{	/* eval'd code has no file of its own to find the venv from: never RELOCATABLE */
		const struct tvar vars[] = {
			{ "VIRTUAL_ENV", venv }, { "VIRTUAL_ENV_PROMPT", prompt },
			{ "BIN_NAME", "bin" }, { "RELOCATABLE", "" },
		};

		buf_init(&code);
		if (shell_code(&code, shell ? shell : "sh", "activate", vars, 4, &e)) {
			msg_error("activate", "%s", e.msg);
			venv_close(&v);
			return failed_code(0, shell);
		}
		fwrite(code.s, 1, code.len, stdout);
		buf_free(&code);
	}
	venv_close(&v);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* The command lines of activate and deactivate, up to "--": -s SHELL and (activate) one
 * ENV_DIR. *CMD is the index of the command, or ARGC when there is none. -1: go on; else what
 * the applet returns (2 after a usage message, APPLET_HELP, APPLET_VERSION).
 * "--" ends the options too: a word after it that starts with "-" names no command one could
 * run, so before any ENV_DIR it is the ENV_DIR (activate -- -dir -- COMMAND). */
int activation_args(const char *applet, int argc, char **argv, const char **shell,
		    const char **dir, int allow_dir, int *cmd)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--") && allow_dir && !*dir && i + 1 < argc && argv[i + 1][0] == '-'
		    && strcmp(argv[i + 1], "--")) {
			*dir = argv[++i];
			if (i + 1 < argc && strcmp(argv[i + 1], "--"))
				return msg_usage(applet, "%s: unexpected argument (a command goes after --)", argv[i + 1]);
			continue;
		}
		if (!strcmp(argv[i], "--")) {
			*cmd = i + 1;
			return i + 1 < argc ? -1 : msg_usage(applet, "%s", "-- needs a COMMAND");
		}
		if (!strcmp(argv[i], "-s") || !strcmp(argv[i], "--shell")) {
			if (++i == argc)
				return msg_usage(applet, "%s: needs a value", argv[i - 1]);
			*shell = argv[i];
		} else if (!strncmp(argv[i], "--shell=", 8)) {
			*shell = argv[i] + 8;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			return APPLET_HELP;
		} else if (!strcmp(argv[i], "--version")) {
			return APPLET_VERSION;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return msg_usage(applet, "%s: unknown option", argv[i]);
		} else if (allow_dir && !*dir) {
			*dir = argv[i];
		} else {
			return msg_usage(applet, "%s: unexpected argument (a command goes after --)", argv[i]);
		}
	}
	*cmd = argc;
	return -1;
}
