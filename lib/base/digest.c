/* digest.c: digests by the name a hash is given with (sha256, sha384, sha512), as
 * requirements files and lock files give them, of bytes fed in pieces. */
#include <string.h>
#include "base/base.h"

void digest_init(struct digest *d, const char *alg)
{
	d->bits = !strcmp(alg, "sha256") ? 256 : !strcmp(alg, "sha384") ? 384 : 512;
	if (d->bits == 256)
		sha256_init(&d->h);
	else
		sha512_init(&d->h5, d->bits);
}

void digest_update(struct digest *d, const void *p, size_t n)
{
	if (d->bits == 256)
		sha256_update(&d->h, p, n);
	else
		sha512_update(&d->h5, p, n);
}

void digest_hex(struct digest *d, char hex[129])
{
	static const char x[] = "0123456789abcdef";
	unsigned char out[64];
	size_t i, n = (size_t)d->bits / 8;

	if (d->bits == 256)
		sha256_final(&d->h, out);
	else
		sha512_final(&d->h5, out);
	for (i = 0; i < n; i++) {
		hex[2 * i] = x[out[i] >> 4];
		hex[2 * i + 1] = x[out[i] & 15];
	}
	hex[2 * n] = 0;
}
