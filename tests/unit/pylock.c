/* pylock.c: unit tests of lib/pkg/pylock.c's API (the lock files themselves are
 * tests/pylock/, checked by t_pylock). */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "pkg/pkg.h"

static const char lock_text[] =
	"lock-version = \"1.2\"\n"
	"created-by = \"unit\"\n"
	"environments = [\"os_name == 'posix'\"]\n"
	"[[packages]]\n"
	"name = \"demo\"\n"
	"version = \"1.0\"\n"
	"marker = \"python_version >= '3.9'\"\n"
	"wheels = [{url = \"https://files.example.org/x/demo-1.0-py3-none-any.whl\", size = 12,"
	" hashes = {sha256 = \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}]\n"
	"[[packages]]\n"
	"name = \"built\"\n"
	"sdist = {path = \"built-2.0.tar.gz\", hashes = {sha256 = \"00\"}}\n";

void unit_pylock(void)
{
	struct lock l;
	struct buf warn;
	struct err e;
	const char *s;

	UT_OK("pylock/name", lock_file_name("pylock.toml") && lock_file_name("/x/pylock.dev.toml")
	      && !lock_file_name("pylock.a.b.toml") && !lock_file_name("pylock..toml")
	      && !lock_file_name("Pylock.toml") && !lock_file_name("lock.toml"));
	buf_init(&warn);
	UT_OK("pylock/parse", lock_parse(&l, lock_text, strlen(lock_text), "pylock.toml", &warn, &e) == 0);
	UT_STREQ("pylock/warn", warn.s, "pylock.toml:1: lock-version 1.2 is newer than 1.0, which venvbox knows: keys it does not know are ignored\n");
	UT_OK("pylock/version", l.major == 1 && l.minor == 2 && !strcmp(l.created_by, "unit"));
	UT_OK("pylock/env", l.nenv == 1 && l.env[0].line == 3 && !strcmp(l.env[0].s, "os_name == 'posix'"));
	UT_OK("pylock/packages", l.npkg == 2 && l.pkg[0].line == 4 && l.pkg[1].line == 9);
	if (l.npkg == 2) {
		const struct lockpkg *p = &l.pkg[0];

		UT_OK("pylock/marker", p->marker && p->marker_line == 7 && !strcmp(p->marker, "python_version >= '3.9'"));
		UT_OK("pylock/wheel", p->nwheel == 1 && p->wheel[0].line == 8 && p->wheel[0].size == 12
		      && !strcmp(p->wheel[0].name, "demo-1.0-py3-none-any.whl") && !strcmp(p->wheel[0].wn.tags, "py3-none-any")
		      && !p->wheel[0].path);
		UT_OK("pylock/hash-lower", p->nwheel == 1 && p->wheel[0].nhash == 1 && !strcmp(p->wheel[0].hash[0].alg, "sha256")
		      && !strncmp(p->wheel[0].hash[0].hex, "aaaa", 4));
		UT_OK("pylock/has-wheels", lock_pkg_has_wheels(&l, p, &e) == 0);
		UT_OK("pylock/sdist-only", lock_pkg_has_wheels(&l, &l.pkg[1], &e) == -1 && l.pkg[1].sources == LOCK_SDIST);
		UT_STREQ("pylock/sdist-only-msg", e.msg, "pylock.toml:9: package built has no wheel, only an sdist (line 11): venvbox installs wheels and builds nothing");
	}
	lock_free(&l);
	UT_OK("pylock/freed", !l.pkg && !l.npkg);

	/* a refusal leaves L empty and drops the warnings it gave before */
	buf_reset(&warn);
	s = "lock-version = \"1.1\"\ncreated-by = \"x\"\n[[packages]]\nname = \"A\"\n";
	UT_OK("pylock/refused", lock_parse(&l, s, strlen(s), "pylock.x.toml", &warn, &e) == -1 && !l.pkg && !l.npkg);
	UT_STREQ("pylock/refused-msg", e.msg, "pylock.x.toml:4: package name 'A' is not normalized as the spec requires ('a')");
	UT_OK("pylock/refused-warn", !warn.len);
	UT_OK("pylock/not-toml", lock_parse(&l, "lock-version = 1.0.0\n", 21, "pylock.toml", NULL, &e) == -1);
	UT_STREQ("pylock/not-toml-msg", e.msg, "pylock.toml:1: unexpected text after a value (a new line must follow)");
	buf_free(&warn);
}
