/* json.c: unit tests of lib/fmt/json.c (strings as Python's json.dumps writes them, the reader)
 * and of lib/venv/dists.c's parsers (PEP 610, pip's orders). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "venv/venv.h"
#include "unit.h"

static void str_is(const char *name, const char *in, size_t n, const char *want)
{
	struct buf b;

	buf_init(&b);
	json_strn(&b, in, n);
	UT_STREQ(name, b.s, want);
	UT_OK(name, json_valid(b.s, b.len));
	buf_free(&b);
}

static void get_is(const char *name, const char *doc, const char *path, const char *want)
{
	char *got = json_get_str(doc, strlen(doc), path);

	if (!want) {
		UT_OK(name, got == NULL);
	} else {
		UT_STREQ(name, got, want);
	}
	free(got);
}

static void strings(void)
{
	unsigned char all[256];
	struct buf b;
	unsigned seed = 12345;
	int i, k, ok = 1;

	/* expected values are what CPython's json.dumps prints for the same str */
	str_is("json/plain", "plain", 5, "\"plain\"");
	str_is("json/quote-backslash-slash", "q\"b\\s/", 6, "\"q\\\"b\\\\s/\"");
	str_is("json/controls", "\0\x01\x1f\x7f\b\f\n\r\t", 9, "\"\\u0000\\u0001\\u001f\\u007f\\b\\f\\n\\r\\t\"");
	str_is("json/latin1", "caf\xc3\xa9", 5, "\"caf\\u00e9\"");
	str_is("json/line-sep", "\xe2\x80\xa8", 3, "\"\\u2028\"");
	str_is("json/astral", "\xf0\x9f\x98\x80", 4, "\"\\ud83d\\ude00\"");
	/* not UTF-8: each bad byte is U+FFFD, so the text stays valid JSON */
	str_is("json/invalid-byte", "a\xff" "b", 3, "\"a\\ufffdb\"");
	str_is("json/overlong", "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");
	str_is("json/surrogate-bytes", "\xed\xb3\xbf", 3, "\"\\ufffd\\ufffd\\ufffd\"");
	str_is("json/truncated", "\xe2\x80", 2, "\"\\ufffd\\ufffd\"");
	/* every byte, and random garbage, always give valid JSON */
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	buf_init(&b);
	json_strn(&b, (char *)all, 256);
	UT_OK("json/all-bytes-valid", json_valid(b.s, b.len));
	for (k = 0; k < 2000 && ok; k++) {
		for (i = 0; i < 64; i++) {
			seed = seed * 1103515245 + 12345;
			all[i] = (unsigned char)(seed >> 16);
		}
		buf_reset(&b);
		json_strn(&b, (char *)all, 64);
		ok = json_valid(b.s, b.len);
	}
	UT_OK("json/random-bytes-valid", ok);
	buf_free(&b);
	buf_init(&b);
	json_str(&b, NULL);
	UT_STREQ("json/null", b.s, "null");
	buf_free(&b);
}

static void reader(void)
{
	static const char doc[] =
		"{\"url\": \"file:///tmp/a%20b.whl\", \"archive_info\": {\"hash\": \"sha256=ab\", "
		"\"hashes\": {\"sha256\": \"ab\"}}, \"n\": [1, -2.5e3, true, null, {\"url\": \"inner\"}], "
		"\"esc\": \"\\u00e9\\ud83d\\ude00\\n\\/\", \"lone\": \"\\ud800x\", \"nul\": \"a\\u0000b\"}";
	struct jsonval v;
	char deep[400];
	int i;

	UT_OK("json/valid-doc", json_valid(doc, strlen(doc)));
	get_is("json/get-top", doc, "url", "file:///tmp/a%20b.whl");
	get_is("json/get-nested", doc, "archive_info.hash", "sha256=ab");
	get_is("json/get-deeper", doc, "archive_info.hashes.sha256", "ab");
	get_is("json/get-missing", doc, "archive_info.nope", NULL);
	get_is("json/get-not-string", doc, "n", NULL);
	get_is("json/get-escapes", doc, "esc", "\xc3\xa9\xf0\x9f\x98\x80\n/");
	get_is("json/get-lone-surrogate", doc, "lone", "\xef\xbf\xbdx");
	get_is("json/get-nul", doc, "nul", "a\xef\xbf\xbd" "b");
	UT_OK("json/get-array-type", json_get(doc, strlen(doc), "n", &v) == 0 && v.type == '[');
	UT_OK("json/get-object-type", json_get(doc, strlen(doc), "archive_info", &v) == 0 && v.type == '{');
	/* malformed documents are refused whole, never half read */
	UT_OK("json/trailing-comma", !json_valid("{\"a\": 1,}", 9));
	UT_OK("json/unterminated", !json_valid("{\"a\": \"x", 8));
	UT_OK("json/raw-newline", !json_valid("\"a\nb\"", 5));
	UT_OK("json/bad-escape", !json_valid("\"\\x41\"", 6));
	UT_OK("json/leading-zero", !json_valid("01", 2));
	UT_OK("json/two-values", !json_valid("1 2", 3));
	UT_OK("json/empty", !json_valid("", 0));
	UT_OK("json/invalid-utf8", !json_valid("\"\xff\"", 3));
	UT_OK("json/garbage-get", json_get_str("{\"url\": ", 8, "url") == NULL);
	for (i = 0; i < 200; i++)
		deep[i] = '[';
	for (; i < 400; i++)
		deep[i] = ']';
	UT_OK("json/too-deep", !json_valid(deep, sizeof deep));
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[4200];
	int fd;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		(void)!write(fd, text, strlen(text));
		close(fd);
	}
}

static void mkd(const char *dir, const char *name)
{
	char p[4200];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	mkdir(p, 0755);
}

static void scan(void)
{
	char tmp[] = "/tmp/venvbox-unit-XXXXXX";
	const struct dist **v;
	struct dists ds;
	struct venv sv = { 0 };
	struct buf b;
	size_t n;

	if (!mkdtemp(tmp))
		return;
	mkd(tmp, "a.b-1.0.dist-info");
	put(tmp, "a.b-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: a.b\nVersion: 1.0\n\nName: body\n");
	mkd(tmp, "a_c-2.dist-info");
	put(tmp, "a_c-2.dist-info/METADATA", "Name: A_c\r\nVersion: 02.0-1\r\n\r\n");
	put(tmp, "a_c-2.dist-info/direct_url.json",
	    "{\"url\": \"https://user:pw@host/a_c-2.whl\", \"archive_info\": {\"hash\": \"sha256=00\"}}");
	mkd(tmp, "ed-0.1.dist-info");
	put(tmp, "ed-0.1.dist-info/METADATA", "Name: ed\nVersion: 0.1\n");
	put(tmp, "ed-0.1.dist-info/direct_url.json",
	    "{\"url\": \"file:///src/my%20ed\", \"dir_info\": {\"editable\": true}}");
	mkd(tmp, "vc-3.dist-info");
	put(tmp, "vc-3.dist-info/METADATA", "Name: vc\nVersion: 3\n");
	put(tmp, "vc-3.dist-info/direct_url.json",
	    "{\"url\": \"ssh://git@host/r.git\", \"vcs_info\": {\"vcs\": \"git\", \"commit_id\": \"abc\"}, \"subdirectory\": \"s\"}");
	mkd(tmp, "Old-1.0-py3.11.egg-info");
	put(tmp, "Old-1.0-py3.11.egg-info/PKG-INFO", "Metadata-Version: 1.0\nName: Old\nVersion: 2004d\n");
	put(tmp, "single-0.5-py3.11.egg-info", "Name: single\nVersion: 0.5\n");
	mkd(tmp, "nometa-9.dist-info");
	mkd(tmp, "A.B-0.9.dist-info");	/* the same normalized name as a.b */
	put(tmp, "A.B-0.9.dist-info/METADATA", "Name: A.B\nVersion: 0.9\n");
	mkd(tmp, "wsgiref-0.1.dist-info");
	put(tmp, "wsgiref-0.1.dist-info/METADATA", "Name: wsgiref\nVersion: 0.1\n");

	sv.dir = sv.site = tmp;	/* site-packages as the venv itself */
	sv.site_rel = ".";
	UT_OK("dists/scan", dists_scan(&ds, &sv, NULL) == 0);
	UT_OK("dists/count", ds.n == 9);
	buf_init(&b);
	v = dists_ordered(&ds, 0, &n);
	UT_OK("dists/list-count", n == 7);	/* one of a.b/A.B and wsgiref left out */
	if (n == 7) {
		UT_STREQ("dists/list-order-0", v[0]->name, "A.B");	/* found first, by directory name */
		UT_STREQ("dists/list-order-1", v[1]->name, "A_c");
		UT_STREQ("dists/list-order-2", v[2]->name, "ed");
		UT_STREQ("dists/list-order-3", v[3]->name, "nometa");
		UT_STREQ("dists/list-order-4", v[4]->name, "Old");
		UT_STREQ("dists/version-normalized", v[1]->version, "2.0.post1");
		UT_STREQ("dists/version-legacy", v[4]->version, "2004d");
		UT_OK("dists/no-metadata-problem", v[3]->problem != NULL);
		UT_STREQ("dists/no-metadata-version", v[3]->version, "9");
		UT_STREQ("dists/editable", v[2]->editable, "/src/my ed");
		dists_freeze_line(&b, v[1]);
		UT_STREQ("dists/freeze-archive-redacted", b.s, "A_c @ https://host/a_c-2.whl#sha256=00");
		buf_reset(&b);
		dists_freeze_line(&b, v[2]);
		UT_STREQ("dists/freeze-editable", b.s, "# Editable install with no version control (ed==0.1)\n-e /src/my ed");
		buf_reset(&b);
		dists_freeze_line(&b, v[4]);
		UT_STREQ("dists/freeze-legacy", b.s, "Old===2004d");
		buf_reset(&b);
		dists_freeze_line(&b, v[6]);
		UT_STREQ("dists/freeze-vcs", b.s, "vc @ git+ssh://git@host/r.git@abc#subdirectory=s");
	}
	free(v);
	v = dists_ordered(&ds, 1, &n);
	UT_OK("dists/freeze-order", n == 7 && !strcmp(v[0]->name, "A.B") && !strcmp(v[1]->name, "A_c"));
	free(v);
	{
		struct dist d = { .norm = "setuptools" }, p = { .norm = "pip" };

		UT_OK("dists/hidden-pip", dists_freeze_hidden(&p, 12, "24.2"));
		UT_OK("dists/hidden-setuptools-311", dists_freeze_hidden(&d, 11, "24.2"));
		UT_OK("dists/shown-setuptools-312", !dists_freeze_hidden(&d, 12, "24.2"));
		UT_OK("dists/hidden-setuptools-old-pip", dists_freeze_hidden(&d, 12, "23.0.1"));
	}
	buf_free(&b);
	dists_free(&ds);
	file_rmtree(AT_FDCWD, tmp, NULL);
}

void unit_json(void)
{
	strings();
	reader();
	scan();
}
