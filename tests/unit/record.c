/* record.c: unit tests of lib/fmt/record.c: RECORD rows (PEP 376, the wheel spec) read as Python's
 * csv module reads them, written so that it reads them back, and their sha256 hashes.
 * Expected rows are csv.reader's (Python 3.11, strict=True where it matters) unless marked
 * ours; expected lines are csv.writer's (Python 3.13, lineterminator "\n"). */
#include <stdio.h>
#include <string.h>
#include "fmt/fmt.h"
#include "unit.h"

/* Rows as "[path][hash][size]" joined by spaces, CR and LF made visible. */
static const char *show(const struct record *r)
{
	static char out[1024];
	size_t i, k, n = 0;
	const char *f, *p;

	out[0] = 0;
	for (i = 0; i < r->n; i++) {
		for (k = 0; k < 3; k++) {
			f = k == 0 ? r->row[i].path : k == 1 ? r->row[i].hash : r->row[i].size;
			n += snprintf(out + n, sizeof out - n, "%s[", i && !k ? " " : "");
			for (p = f; *p && n + 3 < sizeof out; p++) {
				if (*p == '\r' || *p == '\n') {
					out[n++] = '\\';
					out[n++] = *p == '\r' ? 'r' : 'n';
				} else {
					out[n++] = *p;
				}
			}
			n += snprintf(out + n, sizeof out - n, "]");
		}
	}
	return out;
}

static const struct {
	const char *name, *in;
	const char *want;	/* rows, or NULL: refused with an error containing WHY */
	const char *why;
} cases[] = {
	{ "plain", "pkg/__init__.py,sha256=abc,12\n", "[pkg/__init__.py][sha256=abc][12]" },
	{ "own-row", "a.py,sha256=x,1\npkg-1.0.dist-info/RECORD,,\n",
	  "[a.py][sha256=x][1] [pkg-1.0.dist-info/RECORD][][]" },
	{ "quoted-comma", "\"a,b.py\",h,1\n", "[a,b.py][h][1]" },
	{ "doubled-quote", "\"q\"\"uote.py\",h,1\n", "[q\"uote.py][h][1]" },
	{ "only-a-quote", "\"\"\"\",,\n", "[\"][][]" },
	{ "commas-everywhere", "\",\",\",\",\",\"\n", "[,][,][,]" },
	{ "newline-in-quotes", "\"new\nline.py\",,\n", "[new\\nline.py][][]" },
	{ "crlf-in-quotes", "\"a\r\nb\",c,d\r\n", "[a\\r\\nb][c][d]" },
	{ "cr-in-quotes", "a,b,\"c\r\"\n", "[a][b][c\\r]" },
	{ "crlf", "a,b,c\r\nd,e,f\r\n", "[a][b][c] [d][e][f]" },
	{ "cr-only", "a,b,c\rd,e,f\r", "[a][b][c] [d][e][f]" },
	{ "blank-lines", "\n\na,b,c\n\n", "[a][b][c]" },	/* csv: [] rows, which installers skip */
	{ "blank-crlf-lines", "\r\n\r\na,b,c\r\n\r\nd,e,f", "[a][b][c] [d][e][f]" },
	{ "no-final-newline", "a,b,c", "[a][b][c]" },
	{ "no-final-newline-quoted", "a,b,\"c\"", "[a][b][c]" },
	{ "empty-fields", "a,,\n", "[a][][]" },
	{ "quoted-empty-fields", "a,\"\",\"\"\n", "[a][][]" },
	{ "spaces-kept", " a , b , c \n", "[ a ][ b ][ c ]" },
	{ "utf8", "\xc3\xbc/\xc3\xa9.py,,\n", "[\xc3\xbc/\xc3\xa9.py][][]" },
	{ "empty", "", "" },
	{ "only-newlines", "\n\r\n\r", "" },
	/* malformed quoting: csv with strict=True refuses these too */
	{ "text-after-quote", "\"a\"b,c,d\n", NULL, "line 1: malformed quoting" },
	{ "space-after-quote", "\"a\" ,b,c\n", NULL, "malformed quoting" },
	{ "unterminated", "\"abc,d,e", NULL, "malformed quoting" },
	{ "unterminated-newline", "\"a,b,c\n", NULL, "malformed quoting" },
	/* ours: csv takes a quote inside an unquoted field literally */
	{ "quote-inside-field", "a\"b,c,d\n", NULL, "malformed quoting" },
	/* ours: the wheel spec's three fields, a path in the first */
	{ "two-fields", "a,b\n", NULL, "line 1: expected 3 fields" },
	{ "one-field", "a\n", NULL, "expected 3 fields" },
	{ "four-fields", "a,b,c,d\n", NULL, "more than 3 fields" },
	{ "trailing-comma", "a,b,c,\n", NULL, "more than 3 fields" },
	{ "second-row-short", "a,b,c\nd,e\n", NULL, "line 2: expected 3 fields" },
	{ "after-blank-line", "a,b,c\n\nd,e,f,g\n", NULL, "line 3: more than 3 fields" },
	{ "empty-path", ",b,c\n", NULL, "empty path" },
	{ "empty-quoted-path", "\"\",b,c\n", NULL, "empty path" },
};

static void parse_cases(void)
{
	char name[96];
	struct record r;
	struct err e;
	size_t i;
	int rc;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(name, sizeof name, "record/parse/%s", cases[i].name);
		e.msg[0] = 0;
		rc = record_parse(cases[i].in, strlen(cases[i].in), &r, "RECORD", &e);
		if (cases[i].want) {
			UT_STREQ(name, rc ? e.msg : show(&r), cases[i].want);
			record_free(&r);
		} else {
			UT_OK(name, rc == -1 && r.n == 0 && r.row == NULL && strstr(e.msg, cases[i].why)
			      && !strncmp(e.msg, "RECORD: ", 8));
		}
	}
}

/* Byte strings a text reader could meet: a NUL anywhere is refused. */
static void nul_cases(void)
{
	static const char in1[] = "a\0b,c,d\n", in2[] = "a,b,c\n\0", in3[] = "\"a\0\",b,c\n";
	struct record r;
	struct err e;

	UT_OK("record/parse/nul-in-field", record_parse(in1, sizeof in1 - 1, &r, "R", &e) == -1
	      && strstr(e.msg, "NUL") && r.n == 0);
	UT_OK("record/parse/nul-at-end", record_parse(in2, sizeof in2 - 1, &r, "R", &e) == -1 && r.n == 0);
	UT_OK("record/parse/nul-in-quotes", record_parse(in3, sizeof in3 - 1, &r, "R", &e) == -1 && r.n == 0);
	/* the length rules, not the terminator: the row stops at LEN */
	UT_OK("record/parse/length", record_parse("a,b,cdef", 5, &r, "R", &e) == 0 && r.n == 1
	      && !strcmp(r.row[0].size, "c"));
	record_free(&r);
}

static const struct {
	const char *path, *hash, *size, *line;
} lines[] = {
	{ "pkg/mod.py", "sha256=abc", "12", "pkg/mod.py,sha256=abc,12\n" },
	{ "a,b.py", "", "", "\"a,b.py\",,\n" },
	{ "q\"uote.py", "sha256=x", "1", "\"q\"\"uote.py\",sha256=x,1\n" },
	{ "new\nline.py", "", "", "\"new\nline.py\",,\n" },
	/* 3.11 and 3.12 leave a lone CR unquoted, then read the line back as two rows */
	{ "cr\rx.py", "", "", "\"cr\rx.py\",,\n" },
	{ "sp ace.py", " lead", "trail ", "sp ace.py, lead,trail \n" },
	{ "tab\t.py", "", "", "tab\t.py,,\n" },
	{ "\xc3\xbc/\xc3\xa9.py", "", "", "\xc3\xbc/\xc3\xa9.py,,\n" },
	{ "\"", "", "", "\"\"\"\",,\n" },
	{ ",", ",", ",", "\",\",\",\",\",\"\n" },
	{ "crlf\r\n.py", "h", "0", "\"crlf\r\n.py\",h,0\n" },
	{ "\"start", "mid\"", "end\"", "\"\"\"start\",\"mid\"\"\",\"end\"\"\"\n" },
	{ "#hash.py", "", "", "#hash.py,,\n" },
	{ "'single'.py", "", "", "'single'.py,,\n" },
};

static void write_cases(void)
{
	struct record r;
	struct err e;
	struct buf b, all;
	char name[96];
	size_t i, n = sizeof lines / sizeof *lines;
	int ok = 1;

	buf_init(&all);
	for (i = 0; i < n; i++) {
		buf_init(&b);
		record_add_line(&b, lines[i].path, lines[i].hash, lines[i].size);
		snprintf(name, sizeof name, "record/write/%zu", i);
		UT_STREQ(name, b.s, lines[i].line);
		buf_adds(&all, b.s);
		buf_free(&b);
	}
	/* all of them, in one file, read back field for field */
	if (record_parse(all.s, all.len, &r, "RECORD", &e) || r.n != n) {
		ok = 0;
	} else {
		for (i = 0; i < n; i++)
			ok &= !strcmp(r.row[i].path, lines[i].path) && !strcmp(r.row[i].hash, lines[i].hash)
			      && !strcmp(r.row[i].size, lines[i].size);
		record_free(&r);
	}
	UT_OK("record/write/round-trip", ok);
	buf_free(&all);
}

static void hash_cases(void)
{
	/* sha256 of "" and of "abc" (FIPS 180-4), as RECORD spells them */
	static const char empty[] = "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";
	static const char abc[] = "sha256=ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0";
	unsigned char d[32];
	struct buf b;

	UT_OK("record/hash/empty", record_parse_hash(empty, d) == 0 && d[0] == 0xe3 && d[1] == 0xb0
	      && d[30] == 0xb8 && d[31] == 0x55);
	UT_OK("record/hash/abc", record_parse_hash(abc, d) == 0 && d[0] == 0xba && d[31] == 0xad);
	buf_init(&b);
	record_hash(&b, d);
	UT_STREQ("record/hash/round-trip", b.s, abc);
	buf_free(&b);
	UT_OK("record/hash/sha384", record_parse_hash("sha384=OLBgp1GsljhM2TJ-sbHjaiH9txEUvgdDTAzHv2P24donTt6_529l-9Ua0vFImLlb", d) == -1);
	UT_OK("record/hash/sha512", record_parse_hash("sha512=z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg_SpIdNs6c5H0NE8XYXysP-DGNKHfuwvY7kxvUdBeoGlODJ6-SfaPg", d) == -1);
	UT_OK("record/hash/md5", record_parse_hash("md5=1B2M2Y8AsgTpgAmY7PhCfg", d) == -1);
	UT_OK("record/hash/sha1", record_parse_hash("sha1=2jmj7l5rSw0yVb_vlWAYkK_YBwk", d) == -1);
	UT_OK("record/hash/upper-case-name", record_parse_hash("SHA256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", d) == -1);
	UT_OK("record/hash/no-name", record_parse_hash("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", d) == -1);
	UT_OK("record/hash/empty-value", record_parse_hash("sha256=", d) == -1);
	UT_OK("record/hash/empty-string", record_parse_hash("", d) == -1);
	/* bad base64: the standard alphabet's + and /, other characters; padding is tolerated,
	 * as pip and installer tolerate it */
	UT_OK("record/hash/plus-slash", record_parse_hash("sha256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", d) == -1);
	UT_OK("record/hash/padded", record_parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=", d) == 0);
	UT_OK("record/hash/padded-wrong-length", record_parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuF=", d) == -1);
	UT_OK("record/hash/bad-char", record_parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSu*U", d) == -1);
	UT_OK("record/hash/space", record_parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU ", d) == -1);
	/* ours: leftover bits set (Python's decoder ignores them; pip compares the text) */
	UT_OK("record/hash/leftover-bits", record_parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFV", d) == -1);
	/* wrong lengths: 31 bytes, 33 bytes, and a dangling character (45) */
	UT_OK("record/hash/short", record_parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuA", d) == -1);
	UT_OK("record/hash/long", record_parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFUA", d) == -1);
	UT_OK("record/hash/dangling", record_parse_hash("sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFUAA", d) == -1);
}

void unit_record(void)
{
	parse_cases();
	nul_cases();
	write_cases();
	hash_cases();
}
