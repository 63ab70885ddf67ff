/* unit.h: a tiny harness; each check prints "pass unit/NAME" or "fail unit/NAME: why". */
#ifndef UNIT_H
#define UNIT_H
#include <stdio.h>
#include <string.h>

extern int unit_failed;
#define UT_OK(name, cond) do { \
	if (cond) printf("pass unit/%s\n", name); \
	else { printf("fail unit/%s: %s (%s:%d)\n", name, #cond, __FILE__, __LINE__); unit_failed++; } \
} while (0)
#define UT_STREQ(name, got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && !strcmp(g_, w_)) printf("pass unit/%s\n", name); \
	else { printf("fail unit/%s: got [%s], want [%s] (%s:%d)\n", name, g_ ? g_ : "(null)", w_ ? w_ : "(null)", __FILE__, __LINE__); unit_failed++; } \
} while (0)

/* GROUP/ID-FIELD: GOT is WANT */
#define UT_FIELD(group, id, field, got, want) do { \
	char n_[160]; \
	snprintf(n_, sizeof n_, "%s/%s-%s", group, id, field); \
	UT_STREQ(n_, got, want); \
} while (0)

/* one function per tested lib file */
void unit_quote(void);
void unit_pycfg(void);
void unit_file(void);
void unit_elf(void);
void unit_pep440(void);
void unit_tags(void);
void unit_sha256(void);
void unit_sha512(void);
void unit_record(void);
void unit_rfc822(void);
void unit_json(void);
void unit_names(void);
void unit_utf8(void);
void unit_toml(void);
void unit_pylock(void);
void unit_requirements(void);
#endif
