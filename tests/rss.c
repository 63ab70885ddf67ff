/* rss.c: runs a command and prints its peak resident set size in KiB (for the tests and
 * `make bench`); with -t, "MILLISECONDS KIB": its wall time too, taken around fork and wait,
 * so no shell's start is billed to the command; with -q, the command's standard output goes
 * to /dev/null (this line is the only output). Static and tiny, so the forked child's image
 * before exec does not inflate the figure. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	struct timespec t0, t1;
	int st, timed = 0, quiet = 0, fd;
	pid_t pid;

	for (argv++; *argv && (!strcmp(*argv, "-t") || !strcmp(*argv, "-q")); argv++)
		*(argv[0][1] == 't' ? &timed : &quiet) = 1;
	if (!*argv) {
		fputs("usage: rss [-t] [-q] COMMAND [ARG...]\n", stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		if (quiet && (fd = open("/dev/null", O_WRONLY)) >= 0)
			dup2(fd, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (timed)
		printf("%.3f ", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	printf("%ld\n", ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
