/* record.c: RECORD files (the wheel spec, PEP 376): CSV rows "path,hash,size", read with
 * the csv module's default dialect rules (quotes, doubled quotes, CRLF) and written so
 * that csv reads them back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fmt/fmt.h"

void record_free(struct record *r)
{
	free(r->row);
	free(r->store);
	memset(r, 0, sizeof *r);
}

/* One field starting at *P; *P is left after the delimiter. -1 on a malformed quote. */
static int field(const char **p, const char *end, struct buf *out)
{
	const char *s = *p;

	buf_reset(out);
	buf_add(out, "", 0);
	if (s < end && *s == '"') {
		for (s++;; s++) {
			if (s >= end)
				return -1;
			if (*s == '"') {
				if (s + 1 < end && s[1] == '"') {
					buf_addc(out, '"');
					s++;
					continue;
				}
				s++;
				break;
			}
			buf_addc(out, *s);
		}
		if (s < end && *s != ',' && *s != '\n' && *s != '\r')
			return -1;
	} else {
		const char *start = s;

		while (s < end && *s != ',' && *s != '\n' && *s != '\r')
			if (*s++ == '"')
				return -1;
		buf_add(out, start, s - start);
	}
	*p = s;
	return 0;
}

int record_parse(const char *text, size_t len, struct record *r, const char *what, struct err *e)
{
	const char *p = text, *end = text + len;
	struct buf f[3], store;	/* every field, NUL-terminated, in one block */
	size_t line = 1, i;
	int k, rc = 0;

	memset(r, 0, sizeof *r);
	buf_init(&store);
	for (k = 0; k < 3; k++)
		buf_init(&f[k]);
	if (memchr(text, 0, len))
		return err_set(e, "%s: contains a NUL byte", what);
	while (p < end) {
		if (*p == '\n' || *p == '\r') {	/* blank line */
			line += *p == '\n';
			p++;
			continue;
		}
		for (k = 0; k < 3; k++) {
			if (field(&p, end, &f[k])) {
				rc = err_set(e, "%s: line %zu: malformed quoting", what, line);
				goto out;
			}
			if (k < 2 && (p >= end || *p != ',')) {
				rc = err_set(e, "%s: line %zu: expected 3 fields", what, line);
				goto out;
			}
			if (k < 2)
				p++;
		}
		if (p < end && *p == ',') {
			rc = err_set(e, "%s: line %zu: more than 3 fields", what, line);
			goto out;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		if (!f[0].len) {
			rc = err_set(e, "%s: line %zu: empty path", what, line);
			goto out;
		}
		if (r->n >= 1000000) {
			rc = err_set(e, "%s: too many rows", what);
			goto out;
		}
		r->row = xgrow(r->row, r->n, sizeof *r->row);
		for (k = 0; k < 3; k++) {	/* offsets into the store until it stops moving */
			char **to = k == 0 ? &r->row[r->n].path : k == 1 ? &r->row[r->n].hash : &r->row[r->n].size;

			*to = (char *)(uintptr_t)store.len;
			buf_add(&store, f[k].s, f[k].len + 1);
		}
		r->n++;
		line++;
	}
out:
	for (k = 0; k < 3; k++)
		buf_free(&f[k]);
	r->store = store.s;
	for (i = 0; i < r->n; i++) {
		r->row[i].path = r->store + (uintptr_t)r->row[i].path;
		r->row[i].hash = r->store + (uintptr_t)r->row[i].hash;
		r->row[i].size = r->store + (uintptr_t)r->row[i].size;
	}
	if (rc)
		record_free(r);
	return rc;
}

/* Quote a field the way the csv module does with QUOTE_MINIMAL. */
static void put_field(struct buf *b, const char *s)
{
	const char *p;

	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

void record_add_line(struct buf *b, const char *path, const char *hash, const char *size)
{
	put_field(b, path);
	buf_addc(b, ',');
	put_field(b, hash);
	buf_addc(b, ',');
	put_field(b, size);
	buf_addc(b, '\n');
}

/* "sha256=<urlsafe b64>" for DIGEST. */
void record_hash(struct buf *b, const unsigned char digest[32])
{
	buf_adds(b, "sha256=");
	b64url_encode(b, digest, 32);
}

/* "sha256=", "sha384=" or "sha512=" and the urlsafe base64 digest (padding tolerated, as
 * pip and installer tolerate it): the digest's length in bytes, and its size in bits in
 * *BITS; -1 for another algorithm or a malformed value. */
int record_parse_digest(const char *s, unsigned char digest[64], int *bits)
{
	static const struct { const char *name; int bits; } algo[] = {
		{ "sha256=", 256 }, { "sha384=", 384 }, { "sha512=", 512 },
	};
	size_t i, n;

	for (i = 0; i < sizeof algo / sizeof *algo; i++)
		if (!strncmp(s, algo[i].name, 7))
			break;
	if (i == sizeof algo / sizeof *algo)
		return -1;
	s += 7;
	n = strlen(s);
	while (n && s[n - 1] == '=')
		n--;
	if (b64url_decode(s, n, digest, 64) != algo[i].bits / 8)
		return -1;
	*bits = algo[i].bits;
	return algo[i].bits / 8;
}

/* Parse "sha256=..." into DIGEST; -1 for another algorithm or a malformed value. */
int record_parse_hash(const char *s, unsigned char digest[32])
{
	unsigned char d[64];
	int bits;

	if (record_parse_digest(s, d, &bits) != 32)
		return -1;
	memcpy(digest, d, 32);
	return 0;
}
