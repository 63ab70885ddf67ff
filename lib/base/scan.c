/* scan.c: the few number parsers the tool needs, so the binary carries no scanf. */
#include "base/base.h"

/* A decimal number of 1 to 9 digits at S: its end, or NULL. */
const char *scan_int(const char *s, int *v)
{
	int n = 0;

	*v = 0;
	while (*s >= '0' && *s <= '9' && n < 9) {
		*v = *v * 10 + (*s++ - '0');
		n++;
	}
	return n && !(*s >= '0' && *s <= '9') ? s : NULL;
}

/* "X.Y" or "X.Y.Z" at S into V[0..2] (V[2] = -1 when absent): the end, or NULL. */
const char *scan_version(const char *s, int v[3])
{
	v[2] = -1;
	if (!(s = scan_int(s, &v[0])) || *s != '.' || !(s = scan_int(s + 1, &v[1])))
		return NULL;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9')
		s = scan_int(s + 1, &v[2]);
	return s;
}

/* Exactly N hex digits at S into *V: 0, or -1. */
int scan_hex(const char *s, int n, unsigned long *v)
{
	int i, d;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'f')
			d = (s[i] | 32) - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}
