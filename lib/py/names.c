/* names.c: PEP 503 distribution names (runs of -_. are one -, case folded), and wheel file names taken apart (the binary distribution format spec). */
#include <string.h>
#include "py/py.h"

/* PEP 503: lower case, runs of -_. become one '-'. */
char *name_normalize(const char *name)
{
	char *r = xmalloc(strlen(name) + 1), *o = r;

	for (; *name; name++) {
		if (*name == '-' || *name == '_' || *name == '.') {
			if (o == r || o[-1] != '-')
				*o++ = '-';
		} else {
			*o++ = *name >= 'A' && *name <= 'Z' ? *name + 32 : *name;
		}
	}
	*o = 0;
	return r;
}

/* A PEP 825 (draft) variant label: one or more of 0-9 a-z _ . */
static int variant_label(const char *s)
{
	return *s && strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz_.") == strlen(s);
}

/* The binary distribution format's file name: NAME-VERSION[-BUILD]-PY-ABI-PLAT.whl, five or
 * six non-empty parts (a directory before it is skipped), a build tag starting with a digit.
 * A sixth part that is no build tag, or a seventh, after a Python tag that does not start
 * with a digit, is PEP 825's variant label: -2, with WN->variant set, and nothing else. */
int wheelname_parse(const char *file, struct wheelname *wn)
{
	const char *base = path_base(file);
	size_t n = strlen(base), k = 0, i;
	char *part[7];

	memset(wn, 0, sizeof *wn);
	if (n < 5 || strcmp(base + n - 4, ".whl") || n - 4 >= sizeof wn->buf)
		return -1;
	memcpy(wn->buf, base, n - 4);
	wn->buf[n - 4] = 0;
	part[k++] = wn->buf;
	for (i = 0; wn->buf[i]; i++)
		if (wn->buf[i] == '-') {
			if (k == 7)
				return -1;
			part[k++] = wn->buf + i + 1;
		}
	if (k < 5)
		return -1;
	for (i = 0; i < k; i++)
		if (!*part[i] || *part[i] == '-')	/* empty: nothing, or the next dash */
			return -1;
	if (k >= 6 && (k == 7 || *part[2] < '0' || *part[2] > '9')) {	/* no build tag, or one too many parts */
		int digit = *part[k - 4] >= '0' && *part[k - 4] <= '9';	/* the Python tag, if a variant */

		if ((k == 6 || (*part[2] >= '0' && *part[2] <= '9')) && !digit && variant_label(part[k - 1])) {
			wn->variant = part[k - 1];
			return -2;
		}
		return -1;
	}
	wn->name = part[0];
	wn->version = part[1];
	wn->build = k == 6 ? part[2] : part[1] + strlen(part[1]);	/* "" when none */
	wn->tags = part[k - 3];	/* PY-ABI-PLAT, as they stand */
	for (i = 1; i < k - 2; i++)	/* ends NAME, VERSION and BUILD */
		part[i][-1] = 0;
	return 0;
}
