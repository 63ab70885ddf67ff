/* utf8.c: unit tests of lib/base/utf8.c: text from outside shown escaped, one way. */
#include "unit.h"
#include "base/base.h"

static char got[256];

static const char *visible(const char *s)
{
	struct buf b;

	buf_init(&b);
	utf8_visible(&b, s);
	snprintf(got, sizeof got, "%s", b.s ? b.s : "");
	buf_free(&b);
	return got;
}

void unit_utf8(void)
{
	UT_STREQ("utf8/visible-plain", visible("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x90\x8d ~"),
		 "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x90\x8d ~");
	UT_STREQ("utf8/visible-not-utf8", visible("bad\xffname"), "bad\\xffname");
	UT_STREQ("utf8/visible-truncated", visible("a\xe6\x97"), "a\\xe6\\x97");
	UT_STREQ("utf8/visible-overlong", visible("\xc0\xaf"), "\\xc0\\xaf");
	UT_STREQ("utf8/visible-surrogate", visible("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	UT_STREQ("utf8/visible-c0-del", visible("a\x1b[31m\tb\x7f"), "a\\x1b[31m\\x09b\\x7f");
	UT_STREQ("utf8/visible-c1", visible("a\xc2\x9b" "1m"), "a\\xc2\\x9b1m");
	UT_STREQ("utf8/visible-null", visible(NULL), "");
}
