/* names.c: distribution names compared the PEP 503 way (runs of -_. are one -, case folded). */
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
