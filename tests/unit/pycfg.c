/* pycfg.c: unit tests of lib/fmt/pycfg.c: Python's repr() of a str, pyvenv.cfg as site.py reads it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "fmt/fmt.h"
#include "unit.h"

static void repr_is(const char *name, const char *in, const char *want)
{
	struct buf b;

	buf_init(&b);
	py_repr_str(&b, in);
	UT_STREQ(name, b.s, want);
	buf_free(&b);
}

void unit_pycfg(void)
{
	char path[] = "/tmp/venvbox-unit-XXXXXX";
	struct pycfg c;
	int fd;

	/* expected values are what CPython 3.11 prints for repr() of the same str */
	repr_is("repr/plain", "abc", "'abc'");
	repr_is("repr/single-quote", "it's", "\"it's\"");
	repr_is("repr/double-quote", "a\"b", "'a\"b'");
	repr_is("repr/both-quotes", "a'b\"c", "'a\\'b\"c'");
	repr_is("repr/backslash", "back\\slash", "'back\\\\slash'");
	repr_is("repr/tab", "tab\there", "'tab\\there'");
	repr_is("repr/newline", "a\nb\rc", "'a\\nb\\rc'");
	repr_is("repr/del", "del\x7f", "'del\\x7f'");
	repr_is("repr/control", "ctl\x01", "'ctl\\x01'");
	repr_is("repr/latin1", "caf\xc3\xa9", "'caf\xc3\xa9'");
	repr_is("repr/nbsp", "nb\xc2\xa0sp", "'nb\\xa0sp'");
	repr_is("repr/line-sep", "ls\xe2\x80\xa8x", "'ls\\u2028x'");
	repr_is("repr/bom", "bom\xef\xbb\xbf", "'bom\\ufeff'");
	repr_is("repr/zwj", "zwj\xe2\x80\x8d", "'zwj\\u200d'");
	repr_is("repr/private-use", "pua\xee\x80\x80", "'pua\\ue000'");
	repr_is("repr/emoji", "\xf0\x9f\x98\x80 smile", "'\xf0\x9f\x98\x80 smile'");
	repr_is("repr/invalid-utf8", "bad\xff", "'bad\\udcff'");
	repr_is("repr/overlong", "x\xc0\xafy", "'x\\udcc0\\udcafy'");
	repr_is("repr/empty", "", "''");

	fd = mkstemp(path);
	if (fd < 0)
		return;
	dprintf(fd, "Home = /usr/bin\n  include-system-site-packages=  false  \nno equals sign\n"
		    "version = 3.11.2\nprompt = 'a = b'\nversion = 3.12.0\n\nkey with spaces = x=y\n");
	close(fd);
	UT_OK("cfg/read", pycfg_read(AT_FDCWD, path, &c, NULL) == 0);
	UT_STREQ("cfg/key-case", pycfg_get(&c, "home"), "/usr/bin");
	UT_STREQ("cfg/trim", pycfg_get(&c, "include-system-site-packages"), "false");
	UT_STREQ("cfg/first-equals", pycfg_get(&c, "prompt"), "'a = b'");
	UT_STREQ("cfg/last-wins", pycfg_get(&c, "version"), "3.12.0");
	UT_STREQ("cfg/value-with-equals", pycfg_get(&c, "key with spaces"), "x=y");
	UT_OK("cfg/missing", pycfg_get(&c, "nothing") == NULL);
	pycfg_free(&c);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd >= 0) {
		(void)!write(fd, "home = /x\0binary", 16);
		close(fd);
	}
	UT_OK("cfg/binary-refused", pycfg_read(AT_FDCWD, path, &c, NULL) < 0);
	unlink(path);
	UT_OK("cfg/missing-file", pycfg_read(AT_FDCWD, path, &c, NULL) < 0);
}
