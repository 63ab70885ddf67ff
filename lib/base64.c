/* base64.c: RFC 4648 §5 base64url without padding, the form wheel RECORD hashes use (PEP 427). */
#include <limits.h>
#include "lib.h"

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

/* The 6-bit value of an alphabet character, or -1 (padding '=' included: we never pad). */
static int sextet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
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
