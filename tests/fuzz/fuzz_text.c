/* fuzz_text.c: libFuzzer target for RECORD CSV, METADATA, entry_points.txt and PEP 440 parsing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkg/pkg.h"

static const char *const keys[] = {
	"Name", "Version", "Requires-Python", "Wheel-Version", "Root-Is-Purelib", "Tag", "N", "",
};

/* Rows written with record_add_line must parse back to the same rows. */
static void record(const char *text, size_t len)
{
	struct record r, back;
	struct buf b;
	struct err e;
	size_t i;

	e.msg[0] = 0;
	if (record_parse(text, len, &r, "RECORD", &e)) {
		if (!e.msg[0] || r.n || r.row)
			abort();
		return;
	}
	buf_init(&b);
	for (i = 0; i < r.n; i++)
		record_add_line(&b, r.row[i].path, r.row[i].hash, r.row[i].size);
	if (record_parse(b.s ? b.s : "", b.len, &back, "RECORD", &e) || back.n != r.n)
		abort();
	for (i = 0; i < r.n; i++) {
		unsigned char d[32];
		struct buf h;

		if (!r.row[i].path[0] || strcmp(r.row[i].path, back.row[i].path)
		    || strcmp(r.row[i].hash, back.row[i].hash) || strcmp(r.row[i].size, back.row[i].size))
			abort();
		if (!record_parse_hash(r.row[i].hash, d)) {	/* a hash we accept prints back the same, */
			size_t n = strlen(r.row[i].hash);	/* its tolerated padding aside */

			while (n && r.row[i].hash[n - 1] == '=')
				n--;
			buf_init(&h);
			record_hash(&h, d);
			if (strlen(h.s) != n || strncmp(h.s, r.row[i].hash, n))
				abort();
			buf_free(&h);
		}
	}
	buf_free(&b);
	record_free(&back);
	record_free(&r);
}

static void meta(const char *text, size_t len)
{
	int nul = memchr(text, 0, len) != NULL;
	size_t i, n;
	char *v;

	for (i = 0; i < sizeof keys / sizeof *keys; i++) {
		v = meta_get(text, len, keys[i]);
		/* values come trimmed; a NUL byte (meta_get lets it through) cuts one short */
		if (v && !nul && (n = strlen(v)) && (v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t'))
			abort();
		free(v);
	}
}

static void entrypoints(const char *text, size_t len)
{
	struct entrypoint *ep;
	struct err e;
	size_t i, n;

	e.msg[0] = 0;
	if (entrypoints_parse(text, len, &ep, &n, "entry_points.txt", &e)) {
		if (!e.msg[0] || ep || n)
			abort();
		return;
	}
	for (i = 0; i < n; i++)
		if (!ep[i].name[0] || !ep[i].module[0] || !ep[i].attr || (ep[i].gui & ~1))
			abort();
	entrypoints_free(ep, n);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Parsing is stable under normalization, and the order and "=="/"!=" agree with it. */
static void pep440(const char *spec, const char *version)
{
	struct pep440 a, b, c;
	char n[512], s[600];
	struct err e;
	int ra, rb, m;

	ra = pep440_parse(spec, &a);
	rb = pep440_parse(version, &b);
	if (!ra && !rb && sign(pep440_cmp(&a, &b)) != -sign(pep440_cmp(&b, &a)))
		abort();
	if (!rb) {
		if (pep440_cmp(&b, &b))
			abort();
		pep440_str(&b, n, sizeof n);
		if (pep440_parse(n, &c) || pep440_cmp(&b, &c) || strcmp(b.local, c.local))
			abort();
		if (strlen(n) < 200) {
			snprintf(s, sizeof s, "==%s", n);
			if (pep440_match(s, version, &e) != 1)
				abort();
			snprintf(s, sizeof s, "!=%s", n);
			if (pep440_match(s, version, &e) != 0)
				abort();
			snprintf(s, sizeof s, "===%s", n);
			if (pep440_match(s, n, &e) != 1)
				abort();
		}
	}
	e.msg[0] = 0;
	m = pep440_match(spec, version, &e);
	if (m < -1 || m > 1 || (m < 0 && !e.msg[0]) || (m >= 0 && rb))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1), *str = malloc(size + 1);
	const char *version;

	/* as read from a file: exactly SIZE bytes (ASan sees any read past them), maybe NULs */
	memcpy(text, data, size);
	record(text, size);
	meta(text, size);
	entrypoints(text, size);
	memcpy(str, data, size);
	str[size] = 0;
	version = memchr(str, 0, size) ? str + strlen(str) + 1 : "";
	pep440(str, version);
	free(text);
	free(str);
	return 0;
}
