/* fault.c: deterministic fault injection, so tests can interrupt a transaction anywhere.
 * VENVBOX_FAULT=N makes the Nth fault point kill the process (SIGKILL);
 * VENVBOX_FAULT=N:fail makes it fail with an I/O error instead;
 * VENVBOX_FAULT=N:term makes the process send itself SIGTERM there, and go on;
 * VENVBOX_FAULT=N:stop stops the process there (SIGSTOP) and goes on when continued, so a
 * racer can change the filesystem at exactly that point. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/base.h"

/* Fault points are counted in the order they are reached: work that could be spread over
 * threads keeps to one while VENVBOX_FAULT is set at all. */
int fault_armed(void)
{
	return getenv("VENVBOX_FAULT") != NULL;
}

int fault_point(struct err *e)
{
	static long count, target = -1;
	static int fail, term, stop;
	const char *v;
	char *end;

	if (target == -1) {
		v = getenv("VENVBOX_FAULT");
		target = 0;
		if (v && *v) {
			target = strtol(v, &end, 10);
			fail = end && strcmp(end, ":fail") == 0;
			term = end && strcmp(end, ":term") == 0;
			stop = end && strcmp(end, ":stop") == 0;
		}
	}
	if (target <= 0 || ++count != target)
		return 0;
	if (term)	/* as a user's kill would: delivered, or pending while held */
		return kill(getpid(), SIGTERM), 0;
	if (stop)
		return raise(SIGSTOP), 0;
	if (!fail) {
		sigset_t all;

		sigfillset(&all);
		sigdelset(&all, SIGKILL);
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		kill(getpid(), SIGKILL);
	}
	errno = EIO;
	return err_sys(e, "injected fault at point %ld", count);
}
