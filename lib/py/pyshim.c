/* pyshim.c: resolves version-manager shims (pyenv, asdf) to the interpreter they would run,
 * reading the same version files and variables the managers read, so a venv never points
 * at a shim. Behaviour observed from pyenv 2.x and asdf 0.x; nothing is executed. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "py/py.h"

struct shim {
	const char *kind;	/* "pyenv" or "asdf" */
	char *root;		/* pyenv root, or asdf data dir */
	char *shimdir;		/* realpath of the shims directory */
	const char *cmd;	/* command the shim stands for */
	char origin[PATH_MAX + 64];	/* where the version came from, for messages */
};

/* The first file NAME in START or its parents. */
static char *find_upward(const char *start, const char *name)
{
	char *d = xstrdup(start), *p, *up;

	for (;;) {
		p = path_join(d, name);
		if (access(p, F_OK) == 0) {
			free(d);
			return p;
		}
		free(p);
		if (!strcmp(d, "/") || !strcmp(d, ".")) {
			free(d);
			return NULL;
		}
		up = path_dir(d);
		free(d);
		d = up;
	}
}

/* pyenv-style version file: the first word of each non-empty, non-comment line, ':' joined. */
static char *read_version_file(const char *path)
{
	struct buf b, v;
	char *line, *save = NULL, *w;

	buf_init(&b);
	buf_init(&v);
	if (file_read(AT_FDCWD, path, 1 << 16, &b, NULL) == 0) {
		for (line = strtok_r(b.s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			w = line + strspn(line, " \t\r");
			w[strcspn(w, " \t\r")] = 0;
			if (!*w || *w == '#' || !strcmp(w, "..") || strchr(w, '/'))
				continue;
			if (v.len)
				buf_addc(&v, ':');
			buf_adds(&v, w);
		}
	}
	buf_free(&b);
	return v.s;
}

static int numeric_version(const char *s)
{
	return *s && strspn(s, "0123456789.") == strlen(s);
}

static int cmp_versions(const char *a, const char *b)
{
	long x, y;
	char *ea, *eb;

	while (*a || *b) {
		x = strtol(a, &ea, 10);
		y = strtol(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
		if (ea == a && eb == b)
			break;
	}
	return 0;
}

/* pyenv accepts a prefix ("3.12") for the newest installed release it matches. */
static char *latest_installed(const char *versions, const char *want)
{
	struct dirent *de;
	char *best = NULL;
	size_t n = strlen(want);
	DIR *d = opendir(versions);

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, want, n) || de->d_name[n] != '.' || !numeric_version(de->d_name))
			continue;
		if (!best || cmp_versions(de->d_name, best) > 0) {
			free(best);
			best = xstrdup(de->d_name);
		}
	}
	closedir(d);
	return best;
}

/* The command on PATH outside the shims directory ("system"). */
static char *system_command(const struct shim *s)
{
	const char *path = path_env();
	char *copy, *dir, *save = NULL, *cand, *real;

	if (!path)
		return NULL;
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		real = path_real(dir);
		if (real && !strcmp(real, s->shimdir)) {
			free(real);
			continue;
		}
		free(real);
		cand = path_join(dir, s->cmd);
		if (path_is_exec(cand)) {
			free(copy);
			real = path_abs(cand);
			free(cand);
			return real;
		}
		free(cand);
	}
	free(copy);
	return NULL;
}

static char *candidate(const struct shim *s, const char *version)
{
	char *versions, *dir = NULL, *bin, *exe;

	if (!strcmp(version, "system"))
		return system_command(s);
	if (!strcmp(s->kind, "pyenv")) {
		versions = path_join(s->root, "versions");
		dir = path_join(versions, version);
		if (!path_is_dir(dir) && !strncmp(version, "python-", 7)) {
			free(dir);
			dir = path_join(versions, version + 7);
		}
		if (!path_is_dir(dir)) {
			char *latest = latest_installed(versions, version);

			free(dir);
			dir = latest ? path_join(versions, latest) : NULL;
			free(latest);
		}
		free(versions);
	} else {
		versions = path_join(s->root, "installs/python");
		dir = path_join(versions, version);
		free(versions);
	}
	if (!dir)
		return NULL;
	bin = path_join(dir, "bin");
	exe = path_join(bin, s->cmd);
	free(dir);
	free(bin);
	if (path_is_exec(exe))
		return exe;
	free(exe);
	return NULL;
}

static char *pyenv_versions(struct shim *s)
{
	const char *env = getenv("PYENV_VERSION"), *start = getenv("PYENV_DIR");
	char cwd[PATH_MAX], *file, *v;

	if (env && *env) {
		snprintf(s->origin, sizeof s->origin, "the PYENV_VERSION environment variable");
		return xstrdup(env);
	}
	if (!start || !*start)
		start = getcwd(cwd, sizeof cwd);
	file = start ? find_upward(start, ".python-version") : NULL;
	if (!file)
		file = path_join(s->root, "version");
	snprintf(s->origin, sizeof s->origin, "%s", file);
	v = access(file, F_OK) == 0 ? read_version_file(file) : NULL;
	free(file);
	if (!v || !*v) {
		free(v);
		snprintf(s->origin, sizeof s->origin, "pyenv's default");
		return xstrdup("system");
	}
	return v;
}

/* asdf: "python 3.11.0 system" lines in .tool-versions files. */
static char *asdf_versions(struct shim *s)
{
	const char *env = getenv("ASDF_PYTHON_VERSION"), *home = getenv("HOME");
	const char *name = getenv("ASDF_DEFAULT_TOOL_VERSIONS_FILENAME");
	char cwd[PATH_MAX], *file = NULL, *line, *save = NULL, *w, *wsave = NULL;
	struct buf b, v;

	if (env && *env) {
		snprintf(s->origin, sizeof s->origin, "the ASDF_PYTHON_VERSION environment variable");
		return xstrdup(env);
	}
	if (!name || !*name)
		name = ".tool-versions";
	buf_init(&b);
	buf_init(&v);
	if (getcwd(cwd, sizeof cwd))
		file = find_upward(cwd, name);
	if (!file && home)
		file = path_join(home, name);
	if (file && file_read(AT_FDCWD, file, 1 << 16, &b, NULL) == 0) {
		snprintf(s->origin, sizeof s->origin, "%s", file);
		for (line = strtok_r(b.s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			w = strtok_r(line, " \t\r", &wsave);
			if (!w || strcmp(w, "python"))
				continue;
			while ((w = strtok_r(NULL, " \t\r", &wsave)) && *w != '#') {
				if (v.len)
					buf_addc(&v, ':');
				buf_adds(&v, w);
			}
			break;
		}
	}
	free(file);
	buf_free(&b);
	return v.s;
}

static char *script_value(const char *text, const char *key)
{
	const char *p = strstr(text, key), *q;
	char *r;

	if (!p)
		return NULL;
	p += strlen(key);
	if (*p == '"')
		p++;
	q = p + strcspn(p, "\"\n");
	r = xmalloc(q - p + 1);
	memcpy(r, p, q - p);
	r[q - p] = 0;
	return r;
}

static int starts_with_shebang(const char *path)
{
	char h[2];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, h, 2);
	close(fd);
	return n == 2 && h[0] == '#' && h[1] == '!';
}

int pyshim_resolve(const char *path, char **out, struct err *e)
{
	struct shim s = { 0 };
	struct buf b;
	char *versions = NULL, *v, *save = NULL, *found = NULL, *real, *dir;
	const char *home = getenv("HOME");
	int rc = 0;

	real = path_real(path);
	if (real && !strcmp(path_base(real), "mise")) {
		free(real);
		return err_set(e, "%s is a mise shim; name the interpreter itself, e.g. -p \"$(mise which python3)\"", path);
	}
	free(real);
	buf_init(&b);
	if (!starts_with_shebang(path) || file_read(AT_FDCWD, path, 1 << 16, &b, NULL))
		goto out;
	s.cmd = path_base(path);
	dir = path_dir(path);
	s.shimdir = path_real(dir);
	free(dir);
	if (!s.shimdir)
		goto out;
	if (strstr(b.s, "pyenv\" exec") || strstr(b.s, "pyenv exec")) {
		s.kind = "pyenv";
		s.root = script_value(b.s, "PYENV_ROOT=");
		if (!s.root && getenv("PYENV_ROOT"))
			s.root = xstrdup(getenv("PYENV_ROOT"));
		if (!s.root && home)
			s.root = path_join(home, ".pyenv");
		versions = s.root ? pyenv_versions(&s) : NULL;
	} else if (strstr(b.s, "asdf exec") || strstr(b.s, "asdf\" exec")) {
		s.kind = "asdf";
		if (getenv("ASDF_DATA_DIR"))
			s.root = xstrdup(getenv("ASDF_DATA_DIR"));
		else if (home)
			s.root = path_join(home, ".asdf");
		versions = s.root ? asdf_versions(&s) : NULL;
	} else {
		goto out;
	}
	rc = 1;
	for (v = versions ? strtok_r(versions, ":", &save) : NULL; v && !found; v = strtok_r(NULL, ":", &save))
		found = candidate(&s, v);
	if (!found)
		rc = err_set(e, "%s: the %s shim finds no %s for the version set by %s", path, s.kind,
			     s.cmd, s.origin[0] ? s.origin : "nothing");
	*out = found;
out:
	free(versions);
	free(s.root);
	free(s.shimdir);
	buf_free(&b);
	return rc;
}
