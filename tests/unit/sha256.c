/* sha256.c: unit tests of lib/base/sha256.c (FIPS 180-4 examples) and lib/base/base64.c
 * (RFC 4648 §5). */
#include <stdio.h>
#include <stdlib.h>
#include "base/base.h"
#include "unit.h"

/* The active path is whichever the CPU offers; run again with VENVBOX_NO_SHANI=1 for the
 * portable one. The hard-coded digests below hold for both. */

static void hex(const unsigned char d[32], char out[65])
{
	int i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Hash P in chunks: CHUNK(k) is the size of the k-th update (0 = all at once). */
static void sha_hex_of(const void *p, size_t n, size_t (*chunk)(size_t k), char out[65])
{
	const unsigned char *s = p;
	struct sha256 c;
	unsigned char d[32];
	size_t k, m;

	sha256_init(&c);
	for (k = 0; n; k++, s += m, n -= m) {
		m = chunk ? chunk(k) : n;
		if (m > n)
			m = n;
		sha256_update(&c, s, m);
	}
	sha256_final(&c, d);
	hex(d, out);
}

static size_t bytewise(size_t k)
{
	return 1;
}

/* Sizes that land on every offset within a block and cross block ends. */
static size_t odd(size_t k)
{
	static const size_t sizes[] = { 3, 0, 61, 1, 64, 7, 65, 13, 127, 2, 129, 31 };

	return sizes[k % (sizeof sizes / sizeof sizes[0])];
}

static size_t primes(size_t k)
{
	return k % 2 ? 17 : 47;
}

static void pattern(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 37 + 11);
}

static void str_is(const char *name, const char *msg, const char *want)
{
	char got[65];

	sha_hex_of(msg, strlen(msg), NULL, got);
	UT_STREQ(name, got, want);
}

static void nist_vectors(void)
{
	char got[65], *a = xmalloc(1000000);

	str_is("sha256/empty", "",
	       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	str_is("sha256/abc", "abc",
	       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	str_is("sha256/448-bit", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	str_is("sha256/896-bit", "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	memset(a, 'a', 1000000);
	sha_hex_of(a, 1000000, NULL, got);
	UT_STREQ("sha256/million-a", got,
		 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	sha_hex_of(a, 1000000, odd, got);
	UT_STREQ("sha256/million-a-split", got,
		 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* Lengths around the padding boundaries (55/56 bytes: one or two final blocks); the digests
 * are sha256sum's of the same bytes. */
static const struct {
	size_t n;
	const char *hex;
} pattern_digests[] = {
	{ 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ 55, "2900465fcb533e05a158fd2b3be0e5e3b03740d83060aa3580e0d98a96bf2384" },
	{ 56, "31454ff48ef36af2f08fd511bdc37d9d5855ac23e992e5ff5445cb6b7674a674" },
	{ 63, "5f6401b96532c36de4e65beec0409b69b1d181864c8009b7a04f43e5d56350d1" },
	{ 64, "94eb5de4943613fd048dc93393ab06877405faa39c11f53e9386083339833e7e" },
	{ 65, "fc518669b6eb4b4dd91827ecacef86689c725bd5bab888fd3b26dbb196eec954" },
	{ 119, "b0dc41b1a384e2f1203f0351b38fbeaafceef577ce1191d5bfc25da39f721eae" },
	{ 127, "0fe729ff19257bd6fec853acc2ea355f6b34b58e6c0f684c3e188fcdfcd9baae" },
	{ 128, "0aedd4856f8eba0963627336ad5144a9a7dbe12498e6066f0165fc97d8ddee4c" },
	{ 200, "5e48d64839a8bff5e2471507af6a49f9990817df437857f4a2007df41266e1b5" },
};

static void pattern_known(const unsigned char *p)
{
	char name[64], got[65];
	size_t i;

	for (i = 0; i < sizeof pattern_digests / sizeof pattern_digests[0]; i++) {
		snprintf(name, sizeof name, "sha256/pattern-%zu", pattern_digests[i].n);
		sha_hex_of(p, pattern_digests[i].n, NULL, got);
		UT_STREQ(name, got, pattern_digests[i].hex);
	}
}

/* Every length 0..200, split three ways and from an unaligned start, against one update. */
static void splits(const char *name, const unsigned char *p, size_t (*chunk)(size_t k))
{
	char want[65], got[65], what[96];
	size_t n;

	for (n = 0; n <= 200; n++) {
		sha_hex_of(p, n, NULL, want);
		sha_hex_of(p, n, chunk, got);
		if (strcmp(got, want))
			break;
	}
	snprintf(what, sizeof what, "sha256/%s-0..200%s", name, n <= 200 ? " (first bad length)" : "");
	UT_OK(what, n > 200);
	if (n <= 200)
		printf("      length %zu: got %s want %s\n", n, got, want);
}

static void unaligned(const unsigned char *p)
{
	unsigned char *q = xmalloc(200 + 16);
	char want[65], got[65];
	size_t off;
	int bad = 0;

	for (off = 1; off < 16; off++) {
		memcpy(q + off, p, 200);
		sha_hex_of(p, 200, NULL, want);
		sha_hex_of(q + off, 200, NULL, got);
		bad += strcmp(got, want) != 0;
	}
	UT_OK("sha256/unaligned-input", bad == 0);
	free(q);
}

static void enc_is(const char *name, const char *in, size_t n, const char *want)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "x=");	/* encode appends */
	b64url_encode(&b, (const unsigned char *)in, n);
	UT_STREQ(name, b.s, want);
	buf_free(&b);
}

static void dec_bad(const char *name, const char *in, size_t n, size_t cap)
{
	unsigned char out[16];

	UT_OK(name, b64url_decode(in, n, out, cap) == -1);
}

static void dec_is(const char *name, const char *in, const char *want)
{
	unsigned char out[16];
	long n = b64url_decode(in, strlen(in), out, sizeof out);

	UT_OK(name, n == (long)strlen(want) && !memcmp(out, want, n));
}

static void b64_round_trips(const unsigned char *p)
{
	unsigned char out[128];
	struct buf b;
	size_t n;
	int bad = 0;

	buf_init(&b);
	for (n = 0; n <= 96; n++) {
		buf_reset(&b);
		b64url_encode(&b, p, n);
		bad += b.len != (n * 4 + 2) / 3;
		bad += b64url_decode(b.s, b.len, out, n) != (long)n || memcmp(out, p, n);
	}
	UT_OK("b64url/round-trip-0..96", bad == 0);
	buf_free(&b);
}

static void b64_vectors(void)
{
	unsigned char d[32], out[32];
	struct sha256 c;
	struct buf b;

	/* RFC 4648 §10, padding removed */
	enc_is("b64url/enc-f", "f", 1, "x=Zg");
	enc_is("b64url/enc-fo", "fo", 2, "x=Zm8");
	enc_is("b64url/enc-foo", "foo", 3, "x=Zm9v");
	enc_is("b64url/enc-foobar", "foobar", 6, "x=Zm9vYmFy");
	enc_is("b64url/enc-empty", "", 0, "x=");
	enc_is("b64url/enc-urlsafe", "\xfb\xff", 2, "x=-_8");
	dec_is("b64url/dec-fooba", "Zm9vYmE", "fooba");
	dec_is("b64url/dec-urlsafe", "-_8", "\xfb\xff");
	UT_OK("b64url/dec-empty", b64url_decode("", 0, out, 0) == 0);

	/* a RECORD line's hash of an empty file, as pip writes it */
	sha256_init(&c);
	sha256_final(&c, d);
	buf_init(&b);
	b64url_encode(&b, d, 32);
	UT_STREQ("b64url/record-empty", b.s, "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
	UT_OK("b64url/record-decode", b64url_decode(b.s, b.len, out, 32) == 32 && !memcmp(out, d, 32));
	dec_bad("b64url/record-cap-short", b.s, b.len, 31);
	buf_free(&b);
}

static void b64_rejections(void)
{
	dec_bad("b64url/reject-padding", "Zg==", 4, 16);
	dec_bad("b64url/reject-padding-one", "Zm8=", 4, 16);
	dec_bad("b64url/reject-len-mod-4-1", "Zm9vY", 5, 16);
	dec_bad("b64url/reject-single", "Z", 1, 16);
	dec_bad("b64url/reject-plus", "Zm+v", 4, 16);
	dec_bad("b64url/reject-slash", "Zm/v", 4, 16);
	dec_bad("b64url/reject-space", "Zm9 ", 4, 16);
	dec_bad("b64url/reject-newline", "Zm9v\nYmFy", 9, 16);
	dec_bad("b64url/reject-nul", "Zm\0v", 4, 16);
	dec_bad("b64url/reject-high-byte", "Zm\xc3\xa9", 4, 16);
	dec_bad("b64url/reject-trailing-bits-2", "Zh", 2, 16);
	dec_bad("b64url/reject-trailing-bits-3", "Zm9", 3, 16);
	dec_bad("b64url/reject-cap", "Zm9v", 4, 2);
	UT_OK("b64url/cap-exact", b64url_decode("Zm9v", 4, (unsigned char[3]){ 0 }, 3) == 3);
}

void unit_sha256(void)
{
	unsigned char p[256];

	pattern(p, sizeof p);
	nist_vectors();
	pattern_known(p);
	splits("bytewise", p, bytewise);
	splits("odd-chunks", p, odd);
	splits("prime-chunks", p, primes);
	unaligned(p);
	b64_vectors();
	b64_rejections();
	b64_round_trips(p);
}

/* SHA-512 and SHA-384 (lib/sha512.c): FIPS 180-4's examples and block boundaries; the
 * expected digests were computed with hashlib while writing the test. */
static void hex512(char *out, const unsigned char *d, int n)
{
	int i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha512_is(const char *name, int bits, const char *msg, size_t len, const char *want)
{
	unsigned char d[64];
	char got[129];
	struct sha512 c;
	size_t i;

	sha512_init(&c, bits);
	for (i = 0; i < len; i += 13)	/* in odd pieces */
		sha512_update(&c, msg + i, len - i < 13 ? len - i : 13);
	sha512_final(&c, d);
	hex512(got, d, bits / 8);
	UT_STREQ(name, got, want);
}

void unit_sha512(void)
{
	static char m111[111], m112[112], m240[240];

	memset(m111, 'a', sizeof m111);
	memset(m112, 'a', sizeof m112);
	memset(m240, 'a', sizeof m240);
	sha512_is("sha512/empty", 512, "", 0, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	sha512_is("sha512/abc", 512, "abc", 3, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	sha512_is("sha384/abc", 384, "abc", 3, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
	sha512_is("sha512/111", 512, m111, 111, "fa9121c7b32b9e01733d034cfc78cbf67f926c7ed83e82200ef86818196921760b4beff48404df811b953828274461673c68d04e297b0eb7b2b4d60fc6b566a2");
	sha512_is("sha512/112", 512, m112, 112, "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca");
	sha512_is("sha384/240", 384, m240, 240, "4d86957beab348a29180f02d02564ac1d32f5b4c217ece2b038f7c184f0cafc8c8e438eb82aa03796170e0a7ce8c0675");
}
