/* activation.c: what activating a venv means outside a shell script (SPEC §3, §4): the
 * environment a command runs in inside or outside it, executing that command the way
 * env(1) does, and the shell code printed for eval. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "venv/venv.h"

/* PATH without any entry equal to DIR. */
char *path_without(const char *path, const char *dir)
{
	const char *p = path ? path : "", *q;
	size_t n = strlen(dir);
	struct buf b;
	int first = 1;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (;;) {
		q = strchr(p, ':');
		if (!q)
			q = p + strlen(p);
		if (!((size_t)(q - p) == n && !strncmp(p, dir, n))) {
			if (!first)
				buf_addc(&b, ':');
			buf_add(&b, p, q - p);
			first = 0;
		}
		if (!*q)
			break;
		p = q + 1;
	}
	return b.s;
}

/* ---- environments ---- */
struct envv {
	char **v;
	size_t n;
};

static void env_set(struct envv *ev, const char *name, const char *value)
{
	size_t i, k = strlen(name);
	struct buf b;

	for (i = 0; i < ev->n; i++)
		if (!strncmp(ev->v[i], name, k) && ev->v[i][k] == '=')
			break;
	if (!value) {	/* unset */
		if (i < ev->n) {
			memmove(&ev->v[i], &ev->v[i + 1], (ev->n - i) * sizeof *ev->v);
			ev->n--;
		}
		return;
	}
	buf_init(&b);
	buf_printf(&b, "%s=%s", name, value);
	if (i == ev->n) {
		ev->v = xrealloc(ev->v, (ev->n + 2) * sizeof *ev->v);
		ev->n++;
	}
	ev->v[i] = b.s;
	ev->v[ev->n] = NULL;
}

static struct envv env_copy(void)
{
	extern char **environ;
	struct envv ev = { NULL, 0 };
	size_t i;

	for (i = 0; environ[i]; i++)
		;
	ev.v = xmalloc((i + 1) * sizeof *ev.v);
	memcpy(ev.v, environ, (i + 1) * sizeof *ev.v);
	ev.n = i;
	return ev;
}

/* The environment a command sees inside VENV: as sourcing bin/activate leaves it (an
 * active venv deactivated first), with a marker when a subshell is started. */
char **env_activate(const char *venv, const char *prompt, int subshell)
{
	struct envv ev = env_copy();
	const char *active = getenv("VIRTUAL_ENV"), *home = getenv("PYTHONHOME");
	char *bin = path_join(venv, "bin"), *path, *p2;
	struct buf b;

	path = xstrdup(path_env());	/* unset: the default execvp uses */
	if (active && *active) {
		char *obin = path_join(active, "bin");

		p2 = path_without(path, obin);
		free(path);
		free(obin);
		path = p2;
	}
	p2 = path_without(path, bin);
	free(path);
	buf_init(&b);
	buf_adds(&b, bin);
	if (*p2) {
		buf_addc(&b, ':');
		buf_adds(&b, p2);
	}
	free(p2);
	env_set(&ev, "PATH", b.s);
	env_set(&ev, "VIRTUAL_ENV", venv);
	env_set(&ev, "VIRTUAL_ENV_PROMPT", prompt);
	if (home) {
		env_set(&ev, "_OLD_VIRTUAL_PYTHONHOME", home);
		env_set(&ev, "PYTHONHOME", NULL);
	}
	if (subshell)
		env_set(&ev, "VENVBOX_SUBSHELL", venv);
	buf_free(&b);
	free(bin);
	return ev.v;
}

/* The environment outside the active venv: its bin/ gone from PATH, the variables unset,
 * a PYTHONHOME saved by activation restored. */
char **env_deactivate(void)
{
	struct envv ev = env_copy();
	const char *active = getenv("VIRTUAL_ENV"), *old = getenv("_OLD_VIRTUAL_PYTHONHOME");
	char *bin, *path;

	if (active && *active) {
		bin = path_join(active, "bin");
		path = path_without(getenv("PATH"), bin);
		env_set(&ev, "PATH", path);
		free(bin);
	}
	env_set(&ev, "VIRTUAL_ENV", NULL);
	env_set(&ev, "VIRTUAL_ENV_PROMPT", NULL);
	env_set(&ev, "VENVBOX_SUBSHELL", NULL);
	if (old) {
		env_set(&ev, "PYTHONHOME", old);
		env_set(&ev, "_OLD_VIRTUAL_PYTHONHOME", NULL);
	}
	return ev.v;
}

/* An interactive $SHELL inside VENV, with the prompt prefix its activate script gives:
 * bash reads an rc file handed to it (after ~/.bashrc), POSIX shells read $ENV; the prefix
 * refers to VIRTUAL_ENV_PROMPT, so the prompt text is never evaluated. Other shells get
 * the environment only. Returns (E set) only when the shell cannot be started. */
int activate_subshell(const char *venv, const char *prompt, struct err *e)
{
	const char *sh = getenv("SHELL"), *b, *oldenv = getenv("ENV");
	char *args[5] = { NULL }, fdpath[32];
	struct envv ev;
	struct buf rc;
	int fds[2] = { -1, -1 }, kind = 0;

	args[0] = (char *)(sh && *sh ? sh : "/bin/sh");
	b = path_base(args[0]);
	ev.v = env_activate(venv, prompt, 1);
	for (ev.n = 0; ev.v[ev.n]; ev.n++)
		;
	if (!strcmp(b, "bash"))
		kind = 1;
	else if (!strcmp(b, "sh") || !strcmp(b, "dash") || !strcmp(b, "ash") || !strcmp(b, "ksh")
		 || !strcmp(b, "mksh") || !strcmp(b, "busybox"))
		kind = 2;
	buf_init(&rc);
	if (kind && pipe(fds) == 0) {	/* the read end stays open across exec: the rc file */
		snprintf(fdpath, sizeof fdpath, "/dev/fd/%d", fds[0]);
		if (kind == 1) {
			buf_adds(&rc, "[ -f ~/.bashrc ] && . ~/.bashrc; PS1='(${VIRTUAL_ENV_PROMPT}) '\"${PS1-}\"\n");
			args[1] = "--rcfile";
			args[2] = fdpath;
			args[3] = "-i";
		} else {
			buf_adds(&rc, "[ -n \"${_VENVBOX_ENV-}\" ] && . \"$_VENVBOX_ENV\"; unset _VENVBOX_ENV; PS1='(${VIRTUAL_ENV_PROMPT}) '\"${PS1-}\"\n");
			env_set(&ev, "_VENVBOX_ENV", oldenv);
			env_set(&ev, "ENV", fdpath);
		}
		if (write(fds[1], rc.s, rc.len) != (ssize_t)rc.len)
			args[1] = NULL;
		close(fds[1]);
	}
	buf_free(&rc);
	return exec_command(args, ev.v, e);
}

/* Executes ARGV[0], searched on ENVP's PATH, as env(1) does: returns (with E set) 126 when
 * it cannot be run, 127 when it is not found. No shell is needed. */
int exec_command(char **argv, char **envp, struct err *e)
{
	const char *path = "/usr/local/bin:/bin:/usr/bin", *p, *q;
	char full[PATH_MAX];
	int saw_eacces = 0;
	size_t i;

	for (i = 0; envp[i]; i++)
		if (!strncmp(envp[i], "PATH=", 5))
			path = envp[i] + 5;
	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, envp);
		err_sys(e, "%s", argv[0]);
		return errno == ENOENT ? 127 : 126;
	}
	for (p = path;; p = q + 1) {
		q = strchr(p, ':');
		if (!q)
			q = p + strlen(p);
		if ((size_t)snprintf(full, sizeof full, "%.*s%s%s", (int)(q - p), p, q > p ? "/" : "",
				     argv[0]) < sizeof full) {
			execve(full, argv, envp);
			if (errno == EACCES)
				saw_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR) {
				err_sys(e, "%s", full);
				return 126;
			}
		}
		if (!*q)
			break;
	}
	if (saw_eacces) {
		errno = EACCES;
		err_sys(e, "%s", argv[0]);
		return 126;
	}
	err_set(e, "%s: command not found", argv[0]);
	return 127;
}


/* Which template speaks SHELL (a name such as "bash" or a path such as "/bin/zsh"). */
const char *activation_shell(const char *shell, enum shell *kind)
{
	static const char *const sh[] = { "sh", "bash", "zsh", "ksh", "ksh93", "mksh", "dash",
		"ash", "yash", "busybox", "pdksh", "oksh", "lksh", "posh" };
	const char *b = shell && *shell ? path_base(shell) : "sh";
	size_t i;

	if (*b == '-')	/* a login shell's argv[0] */
		b++;
	for (i = 0; i < sizeof sh / sizeof *sh; i++)
		if (!strcmp(b, sh[i]))
			return *kind = SHELL_SH, "sh";
	if (!strcmp(b, "fish"))
		return *kind = SHELL_FISH, "fish";
	if (!strcmp(b, "csh") || !strcmp(b, "tcsh"))
		return *kind = SHELL_CSH, "csh";
	if (!strcmp(b, "pwsh") || !strcmp(b, "powershell"))
		return *kind = SHELL_PS1, "ps1";
	return NULL;
}

/* csh reads eval'd text as one line: comments and blank lines go, the rest joins with ';'. */
static void csh_one_line(struct buf *b)
{
	struct buf o;
	char *line, *save = NULL, *t;

	buf_init(&o);
	for (line = strtok_r(b->s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		t = line + strspn(line, " \t");
		if (!*t || *t == '#')
			continue;
		if (o.len)
			buf_adds(&o, "; ");
		buf_adds(&o, t);
	}
	buf_addc(&o, '\n');
	buf_free(b);
	*b = o;
}

/* The code for eval: the venv's own activation template, or the deactivation one. */
int shell_code(struct buf *out, const char *shell, const char *what, const struct tvar *vars,
	       size_t nvars, struct err *e)
{
	static const char *const files[][2] = {
		{ "activate", "deactivate.sh" }, { "activate.fish", "deactivate.fish" },
		{ "activate.csh", "deactivate.csh" }, { "Activate.ps1", "deactivate.ps1" },
	};
	const struct template *t;
	enum shell kind;
	int which = !strcmp(what, "deactivate");

	if (!activation_shell(shell, &kind))
		return err_set(e, "%s: unknown shell (sh, bash, zsh, ksh, mksh, dash, ash, yash, fish, csh, tcsh, pwsh)", shell);
	t = template_find(files[kind][which]);
	if (!t)
		return err_set(e, "no %s code for %s in this build", what, shell);
	if (template_render(out, t, vars, nvars, e))
		return -1;
	if (kind == SHELL_CSH)
		csh_one_line(out);
	return 0;
}
