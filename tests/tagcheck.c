/* tagcheck.c: answers, for tests/t_tags_pip.sh, whether venvbox's tag rules (lib/py/tags.c)
 * accept each wheel tag set read from stdin (one a line) for the interpreter PYTHON, found
 * and read as mkvenv -p PYTHON does (never run, unless mkvenv would run it). Prints "1 TAGS"
 * or "0 TAGS: why" per line; with -r, "RANK TAGS": its place in pip's order (tags_rank, -1
 * when it does not run). Exit 1 when PYTHON cannot be used. */
#include <stdio.h>
#include <string.h>
#include "py/py.h"

int main(int argc, char **argv)
{
	struct pyinfo py = { 0 };
	struct platform plat;
	struct err e = { "" };
	char line[1200], why[256];
	size_t n;
	int ok, rank = argc == 3 && !strcmp(argv[1], "-r");

	if (rank) {
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: tagcheck [-r] PYTHON < TAGS\n");
		return 2;
	}
	if (pyfind(argv[1], NULL, &py, NULL, &e) || platform_detect(py.real, &plat, &e)) {
		fprintf(stderr, "tagcheck: %s\n", e.msg);
		return 1;
	}
	while (fgets(line, sizeof line, stdin)) {
		n = strcspn(line, "\n");
		line[n] = 0;
		if (!n)
			continue;
		if (rank) {
			printf("%ld %s\n", tags_rank(line, &py, &plat), line);
			continue;
		}
		ok = tags_compatible(line, &py, &plat, why, sizeof why) == 1;
		printf("%d %s%s%s\n", ok, line, why[0] ? ": " : "", why);
	}
	pyinfo_free(&py);
	return 0;
}
