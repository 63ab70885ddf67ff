/* digest.c: a file's digest by the name a hash is given with (sha256, sha384, sha512), as
 * requirements files and lock files give them. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "base/base.h"

/* The hex digest of PATH by ALG ("sha256", "sha384", "sha512") into HEX; -1 unreadable. */
int file_digest(const char *path, const char *alg, char hex[129])
{
	unsigned char buf[1 << 16], d[64];
	struct sha256 h;
	struct sha512 h5;
	int bits = !strcmp(alg, "sha256") ? 256 : !strcmp(alg, "sha384") ? 384 : 512;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;
	size_t i, n = (size_t)bits / 8;

	if (fd < 0)
		return -1;
	if (bits == 256)
		sha256_init(&h);
	else
		sha512_init(&h5, bits);
	while ((r = read(fd, buf, sizeof buf)) > 0) {
		if (bits == 256)
			sha256_update(&h, buf, (size_t)r);
		else
			sha512_update(&h5, buf, (size_t)r);
	}
	close(fd);
	if (r < 0)
		return -1;
	if (bits == 256)
		sha256_final(&h, d);
	else
		sha512_final(&h5, d);
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return 0;
}
