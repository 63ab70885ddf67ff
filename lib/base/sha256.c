/* sha256.c: SHA-256 as FIPS 180-4 §6.2 defines it, with Intel's SHA extensions when present. */
#include <stdlib.h>
#include <string.h>
#include "base/base.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* FIPS 180-4 §5.3.3: the initial hash value. */
static const uint32_t H0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void store_be32(unsigned char *p, uint32_t x)
{
	p[0] = x >> 24;
	p[1] = x >> 16;
	p[2] = x >> 8;
	p[3] = x;
}

/* The message schedule of §6.2.2 step 1, kept as a 16-word window over W[t]. */
static uint32_t schedule(uint32_t w[16], int t)
{
	uint32_t a = w[(t + 1) & 15], b = w[(t + 14) & 15];
	uint32_t s0 = ror(a, 7) ^ ror(a, 18) ^ (a >> 3);
	uint32_t s1 = ror(b, 17) ^ ror(b, 19) ^ (b >> 10);

	w[t & 15] += s0 + w[(t + 9) & 15] + s1;
	return w[t & 15];
}

/* §6.2.2 steps 2 to 4 for one 64-byte block. */
static void block_portable(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[16], a, b, c, d, e, f, g, hh, t1, t2;
	int t;

	for (t = 0; t < 16; t++)
		w[t] = load_be32(p + 4 * t);
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (t = 0; t < 64; t++) {
		t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g))
			+ K[t] + (t < 16 ? w[t] : schedule(w, t));
		t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
	h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

static void blocks_portable(uint32_t h[8], const unsigned char *p, size_t nblk)
{
	for (; nblk; nblk--, p += 64)
		block_portable(h, p);
}

#if defined(__x86_64__)
#define SHANI __attribute__((target("sha,sse4.1,ssse3")))
/* -Os would leave these out of line and pass the state through memory: half the speed. */
#define SHANI_INLINE static inline __attribute__((always_inline, target("sha,sse4.1,ssse3")))

/* Four rounds. SHA256RNDS2 takes {A,B,E,F} and {C,D,G,H} (high lane first) and two W+K
 * words in the low half of its third operand; after two rounds the old {A,B,E,F} is the new
 * {C,D,G,H}, so the two state registers swap roles each time. */
SHANI_INLINE void rounds4(__m128i *abef, __m128i *cdgh, __m128i w, int t)
{
	__m128i wk = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)(K + t)));

	*cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
	*abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

/* W[t..t+3] from the four previous groups: SHA256MSG1 adds sigma0 of W[t-15..t-12] to
 * W[t-16..t-13], the W[t-7..t-4] term is added by hand, SHA256MSG2 adds sigma1. */
SHANI_INLINE __m128i next4(__m128i w16, __m128i w12, __m128i w8, __m128i w4)
{
	__m128i x = _mm_sha256msg1_epu32(w16, w12);

	x = _mm_add_epi32(x, _mm_alignr_epi8(w4, w8, 4));
	return _mm_sha256msg2_epu32(x, w4);
}

SHANI_INLINE __m128i load_w(const unsigned char *p)
{
	const __m128i swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);

	return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), swap);
}

static SHANI void block_shani(__m128i *abef, __m128i *cdgh, const unsigned char *p)
{
	__m128i a0 = *abef, c0 = *cdgh;
	__m128i w0 = load_w(p), w1 = load_w(p + 16), w2 = load_w(p + 32), w3 = load_w(p + 48);
	int t;

	rounds4(abef, cdgh, w0, 0);
	rounds4(abef, cdgh, w1, 4);
	rounds4(abef, cdgh, w2, 8);
	rounds4(abef, cdgh, w3, 12);
	for (t = 16; t < 64; t += 16) {
		w0 = next4(w0, w1, w2, w3);
		rounds4(abef, cdgh, w0, t);
		w1 = next4(w1, w2, w3, w0);
		rounds4(abef, cdgh, w1, t + 4);
		w2 = next4(w2, w3, w0, w1);
		rounds4(abef, cdgh, w2, t + 8);
		w3 = next4(w3, w0, w1, w2);
		rounds4(abef, cdgh, w3, t + 12);
	}
	*abef = _mm_add_epi32(*abef, a0);
	*cdgh = _mm_add_epi32(*cdgh, c0);
}

static SHANI void blocks_shani(uint32_t h[8], const unsigned char *p, size_t nblk)
{
	__m128i abef = _mm_set_epi32(h[0], h[1], h[4], h[5]);
	__m128i cdgh = _mm_set_epi32(h[2], h[3], h[6], h[7]);

	for (; nblk; nblk--, p += 64)
		block_shani(&abef, &cdgh, p);
	h[0] = _mm_extract_epi32(abef, 3);
	h[1] = _mm_extract_epi32(abef, 2);
	h[4] = _mm_extract_epi32(abef, 1);
	h[5] = _mm_extract_epi32(abef, 0);
	h[2] = _mm_extract_epi32(cdgh, 3);
	h[3] = _mm_extract_epi32(cdgh, 2);
	h[6] = _mm_extract_epi32(cdgh, 1);
	h[7] = _mm_extract_epi32(cdgh, 0);
}

/* CPUID leaf 7 EBX bit 29 is SHA; the helpers above also use SSSE3 and SSE4.1 (leaf 1 ECX
 * bits 9 and 19). The XMM state needs no OS check: x86-64 always has SSE enabled.
 * VENVBOX_NO_SHANI is a test switch, not policy: with it the unit tests check the portable
 * code on a machine that has the SHA extensions. */
static int cpu_has_shani(void)
{
	unsigned a, b, c, d;
	const char *off = getenv("VENVBOX_NO_SHANI");

	if (off && *off && strcmp(off, "0"))
		return 0;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & 1u << 9) || !(c & 1u << 19))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return !!(b & 1u << 29);
}

/* The one piece of process state: the answer is the same for every context, and base.h's
 * struct sha256 has no room to carry it. Single-threaded program; a repeated store is harmless. */
static int use_shani = -1;

static int accel(void)
{
	if (use_shani < 0)
		use_shani = cpu_has_shani();
	return use_shani;
}

static void compress(uint32_t h[8], const unsigned char *p, size_t nblk)
{
	if (accel())
		blocks_shani(h, p, nblk);
	else
		blocks_portable(h, p, nblk);
}
#else
static int accel(void)
{
	return 0;
}

static void compress(uint32_t h[8], const unsigned char *p, size_t nblk)
{
	blocks_portable(h, p, nblk);
}
#endif

void sha256_init(struct sha256 *c)
{
	memcpy(c->h, H0, sizeof c->h);
	c->len = 0;
	c->n = 0;
	accel();	/* detect now, not in the middle of the first update */
}

void sha256_update(struct sha256 *c, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k;

	if (n == 0)
		return;
	c->len += n;
	if (c->n) {
		k = 64 - c->n < n ? 64 - c->n : n;
		memcpy(c->blk + c->n, s, k);
		c->n += k;
		s += k;
		n -= k;
		if (c->n < 64)
			return;
		compress(c->h, c->blk, 1);
		c->n = 0;
	}
	if (n >= 64) {
		compress(c->h, s, n / 64);
		s += n & ~(size_t)63;
		n &= 63;
	}
	memcpy(c->blk, s, n);
	c->n = n;
}

/* §5.1.1: a 1 bit, zeros to 448 mod 512 bits, then the message length in bits, big-endian. */
void sha256_final(struct sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->len << 3;
	int i;

	c->blk[c->n++] = 0x80;
	if (c->n > 56) {
		memset(c->blk + c->n, 0, 64 - c->n);
		compress(c->h, c->blk, 1);
		c->n = 0;
	}
	memset(c->blk + c->n, 0, 56 - c->n);
	store_be32(c->blk + 56, bits >> 32);
	store_be32(c->blk + 60, (uint32_t)bits);
	compress(c->h, c->blk, 1);
	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, c->h[i]);
	memset(c, 0, sizeof *c);
}
