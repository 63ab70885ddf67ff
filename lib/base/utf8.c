/* utf8.c: well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF), the one decoder the parsers, the quoting and the JSON writer share; and the one
 * way text from outside is shown on a terminal. */
#include <string.h>
#include "base/base.h"

size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c, min;

	if (!n)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int utf8_valid(const unsigned char *s, size_t n)
{
	unsigned long cp;
	size_t len;

	while (n) {
		len = utf8_decode(s, n, &cp);
		if (!len)
			return 0;
		s += len;
		n -= len;
	}
	return 1;
}

/* C0 controls (newline, tab, ESC...), DEL and the C1 controls a terminal may obey */
int utf8_control(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/* S as a terminal or a log may show it: each byte that is not part of well-formed UTF-8,
 * and each byte of a control character (C0, DEL, and the C1 controls a terminal may obey),
 * written as \xNN; the rest as it is. */
void utf8_visible(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), len, i;
	unsigned long cp;

	while (n) {
		len = utf8_decode(p, n, &cp);
		if (!len || utf8_control(cp)) {
			len = len ? len : 1;
			for (i = 0; i < len; i++)
				buf_printf(b, "\\x%02x", p[i]);
		} else {
			buf_add(b, p, len);
		}
		p += len;
		n -= len;
	}
}
