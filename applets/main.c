/* main.c: the multicall entry: picks the applet from argv[0] or argv[1], and --install. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "applets.h"
#include "fmt/fmt.h"

struct applet {
	const char *name;
	int (*main)(int, char **);
	const char *help;	/* the template of its --help text */
	const char *summary;
};

#define ENTRY(n, summary) { #n, n##_main, "help-" #n, summary },
static const struct applet applets[] = { APPLETS(ENTRY) };
#undef ENTRY
#define NAPPLETS (sizeof applets / sizeof applets[0])

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: venvbox APPLET [ARGS...]   (or a link named APPLET)\n"
	      "       venvbox --list | --install [-s] DIR | --help | --version\n"
	      "\n"
	      "Python virtual environments without Python tooling. Applets:\n", f);
	for (i = 0; i < NAPPLETS; i++)
		fprintf(f, "  %-10s  %s\n", applets[i].name, applets[i].summary);
	fputs("\n--install DIR makes hard links (symbolic with -s) named after each applet in DIR.\n", f);
}

static const struct applet *find(const char *name)
{
	size_t i;

	for (i = 0; i < NAPPLETS; i++)
		if (!strcmp(applets[i].name, name))
			return &applets[i];
	return NULL;
}


/* An applet's main returns APPLET_HELP or APPLET_VERSION when its command line asked for
 * one: printed here, for every applet the same way. */
static int run(const struct applet *a, int argc, char **argv)
{
	int rc = a->main(argc, argv);

	if (rc == APPLET_HELP)
		fputs(template_find(a->help)->text, stdout);
	else if (rc == APPLET_VERSION)
		printf("%s (venvbox) %s\n", a->name, VENVBOX_VERSION);
	else
		return rc;
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Is PATH a venvbox binary (or a link to one)? Only then may --install replace it.
 * 1 yes, 0 something else is there, -1 nothing is there. */
static int is_venvbox(const char *path, const struct stat *self)
{
	static const char mark[] = "venvbox-multicall-binary";
	struct stat st;
	struct elf elf;
	struct buf b;
	int found;

	if (lstat(path, &st) < 0)
		return -1;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (st.st_dev == self->st_dev && st.st_ino == self->st_ino)
		return 1;
	if (elf_open(&elf, path, NULL))
		return 0;
	elf_close(&elf);
	buf_init(&b);	/* another build of venvbox carries the same marker */
	found = file_read(AT_FDCWD, path, 64 << 20, &b, NULL) == 0
		&& memmem(b.s, b.len, mark, sizeof mark - 1) != NULL;
	buf_free(&b);
	return found;
}

/* Is DST the link --install would make: a hard link to SELF (its stat ST), or (SYM) a
 * symbolic link whose text is SELF? */
static int linked(const char *dst, const char *self, const struct stat *st, int sym)
{
	char text[PATH_MAX];
	struct stat ds;
	ssize_t n;

	if (lstat(dst, &ds) < 0)
		return 0;
	if (!sym)
		return S_ISREG(ds.st_mode) && ds.st_dev == st->st_dev && ds.st_ino == st->st_ino;
	n = S_ISLNK(ds.st_mode) ? readlink(dst, text, sizeof text - 1) : -1;
	if (n < 0)
		return 0;
	text[n] = 0;
	return !strcmp(text, self);
}

static int install(int argc, char **argv)
{
	const char *dir = NULL;
	char self[PATH_MAX], *dst, tmp[PATH_MAX], *selfp;
	struct stat st;
	int sym = 0, i, rc = 0;
	size_t k;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-s"))
			sym = 1;
		else if (!dir)
			dir = argv[i];
		else
			dir = NULL, i = argc + 1;
	}
	if (!dir || i > argc) {
		usage(stderr);
		return 2;
	}
	selfp = path_self(argv[0]);
	if (!selfp || strlen(selfp) >= sizeof self) {
		msg_error("venvbox", "cannot find the running binary (no /proc/self/exe, and %s is not a path)", argv[0]);
		free(selfp);
		return 1;
	}
	strcpy(self, selfp);
	free(selfp);
	if (stat(self, &st) < 0 || !path_is_dir(dir)) {
		msg_error("venvbox", "--install: %s: not a directory", dir);
		return 1;
	}
	/* check every name first, so a refusal leaves DIR untouched */
	for (k = 0; k < NAPPLETS; k++) {
		dst = path_join(dir, applets[k].name);
		if (is_venvbox(dst, &st) == 0) {
			msg_error("venvbox", "--install: %s exists and is not a venvbox link; not replacing it", dst);
			rc = 1;
		}
		free(dst);
	}
	if (rc)
		return rc;
	for (k = 0; k < NAPPLETS; k++) {
		dst = path_join(dir, applets[k].name);
		if (linked(dst, self, &st, sym)) {	/* there already: nothing to do */
			free(dst);
			continue;
		}
		snprintf(tmp, sizeof tmp, "%s.venvbox-%ld", dst, (long)getpid());
		unlink(tmp);
		if ((sym ? symlink(self, tmp) : link(self, tmp)) < 0 || rename(tmp, dst) < 0) {
			msg_error("venvbox", "--install: cannot create %s: %s%s", dst, strerror(errno),
				  errno == EXDEV ? " (another filesystem: use --install -s for symbolic links)" : "");
			rc = 1;
		}
		unlink(tmp);	/* rename() of a link over another link to the same file keeps both */
		free(dst);
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct applet *a;
	const char *name = argc > 0 ? path_base(argv[0]) : "venvbox";
	size_t i;

	a = find(name);
	if (a)
		return run(a, argc, argv);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--list")) {
		for (i = 0; i < NAPPLETS; i++)
			puts(applets[i].name);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("venvbox %s\n", VENVBOX_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--install"))
		return install(argc, argv);
	a = find(argv[1]);
	if (!a && argv[1][0] == '-') {
		msg_error("venvbox", "%s: unknown option", argv[1]);
		usage(stderr);
		return 2;
	}
	if (!a) {
		msg_error("venvbox", "%s: unknown applet (venvbox --list shows them)", argv[1]);
		return 127;
	}
	argv[1] = argv[0];	/* the applet sees the binary's own name first */
	return run(a, argc - 1, argv + 1);
}
