/* base64.c: RFC 4648 §5 base64url without padding, the form wheel RECORD hashes use (PEP 427). */
#include <limits.h>
#include "base/base.h"

static const char ALPHABET[64] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void b64url_encode(struct buf *b, const unsigned char *p, size_t n)
{
	char q[4];
	uint32_t v;

	for (; n >= 3; n -= 3, p += 3) {
		v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		q[0] = ALPHABET[v >> 18];
		q[1] = ALPHABET[v >> 12 & 63];
		q[2] = ALPHABET[v >> 6 & 63];
		q[3] = ALPHABET[v & 63];
		buf_add(b, q, 4);
	}
	if (n == 0)
		return;
	v = (uint32_t)p[0] << 16 | (n == 2 ? (uint32_t)p[1] << 8 : 0);
	q[0] = ALPHABET[v >> 18];
	q[1] = ALPHABET[v >> 12 & 63];
	q[2] = ALPHABET[v >> 6 & 63];
	buf_add(b, q, n + 1);
}

/* The 6-bit value of an alphabet character, or -1 (padding '=' included: we never pad):
 * looked up in a table of '-' to 'z', which holds the whole alphabet. */
static int sextet(unsigned char c)
{
	static const signed char v['z' - '-' + 1] = {
		62, -1, -1, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61,
		-1, -1, -1, -1, -1, -1, -1,  0,  1,  2,  3,  4,  5,
		 6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
		19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63, -1,
		26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38,
		39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51,
	};

	return c >= '-' && c <= 'z' ? v[c - '-'] : -1;
}

/* Up to four characters to up to three bytes; -1 on a bad character or, in a short final
 * group, on bits left over that would not round-trip (RFC 4648 §3.5 lets decoders reject). */
static int group(const char *s, size_t k, unsigned char *out)
{
	uint32_t v = 0;
	size_t i;
	int x;

	for (i = 0; i < 4; i++) {
		x = i < k ? sextet((unsigned char)s[i]) : 0;
		if (x < 0)
			return -1;
		v = v << 6 | (uint32_t)x;
	}
	if ((k == 2 && (v & 0xffff)) || (k == 3 && (v & 0xff)))
		return -1;
	out[0] = v >> 16;
	if (k > 2)
		out[1] = v >> 8;
	if (k > 3)
		out[2] = v;
	return 0;
}

long b64url_decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
	size_t len = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0), i, o;

	if (n % 4 == 1 || len > cap || len > LONG_MAX)
		return -1;
	for (i = o = 0; i < n; i += 4, o += 3)
		if (group(s + i, n - i < 4 ? n - i : 4, out + o) < 0)
			return -1;
	return (long)len;
}
