/* fuzz_req.c: libFuzzer target for the requirements file parser (lib/pkg/requirements.c),
 * and for each line as a PEP 508 requirement and as an environment marker. Inputs that
 * could name another file (-r, -c) are read as lines only: the target reads no file. */
#include <stdlib.h>
#include <string.h>
#include "pkg/pkg.h"

static void env_init(struct markerenv *env)
{
	static char *extras[] = { "socks", "test" };

	memset(env, 0, sizeof *env);
	strcpy(env->v[MK_PYTHON_VERSION], "3.12");
	strcpy(env->v[MK_PYTHON_FULL_VERSION], "3.12.1");
	strcpy(env->v[MK_IMPLEMENTATION_NAME], "cpython");
	strcpy(env->v[MK_IMPLEMENTATION_VERSION], "3.12.1");
	strcpy(env->v[MK_PLATFORM_PYTHON_IMPLEMENTATION], "CPython");
	strcpy(env->v[MK_SYS_PLATFORM], "linux");
	strcpy(env->v[MK_OS_NAME], "posix");
	strcpy(env->v[MK_PLATFORM_SYSTEM], "Linux");
	strcpy(env->v[MK_PLATFORM_MACHINE], "x86_64");
	strcpy(env->v[MK_PLATFORM_RELEASE], "6.1.0-18-amd64");
	strcpy(env->v[MK_PLATFORM_VERSION], "#1 SMP");
	env->extras = extras;
	env->nextras = 2;
}

/* Each line: a requirement (its marker, when it parses, evaluates), and a marker. */
static void lines(const char *text, size_t len, const struct markerenv *env)
{
	const char *p = text, *end = text + len, *nl;
	char line[4096];
	struct pep508 r;
	struct err e;
	size_t n;
	int m;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		n = (size_t)(nl - p);
		if (n >= sizeof line || memchr(p, 0, n))
			continue;
		memcpy(line, p, n);
		line[n] = 0;
		e.msg[0] = 0;
		if (pep508_parse(line, &r, &e)) {
			if (!e.msg[0])
				abort();
		} else if (r.marker[0] && marker_eval(r.marker, NULL, &e) != 1) {
			abort();	/* parsed: its marker's syntax was checked */
		} else if (!r.name[0]) {
			abort();
		}
		e.msg[0] = 0;
		m = marker_eval(line, env, &e);
		if (m < -1 || m > 1 || (m < 0 && !e.msg[0]))
			abort();
		if (m >= 0 && marker_eval(line, NULL, &e) != 1)
			abort();	/* what evaluates is valid syntax */
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *environ_[] = { "HOME=/nonexistent", "VAR=alpha", NULL };
	const char *text = (const char *)data;
	struct markerenv env;
	struct reqset rs = { 0 };
	struct err e;
	size_t i;

	env_init(&env);
	lines(text, size, &env);
	if (memmem(text, size, "-r", 2) || memmem(text, size, "-c", 2))
		return 0;
	e.msg[0] = 0;
	if (reqtext_read(&rs, "/nonexistent-fuzz/requirements.txt", text, size, &env, environ_, &e)) {
		if (!e.msg[0] || strncmp(e.msg, "/nonexistent-fuzz/requirements.txt:", 35))
			abort();
	} else {
		for (i = 0; i < rs.n; i++)
			if (!rs.w[i].name || !rs.w[i].where)
				abort();
	}
	reqset_free(&rs);
	return 0;
}
