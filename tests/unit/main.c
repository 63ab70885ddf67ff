/* main.c: runs every unit test group of lib/. */
#include "unit.h"

int unit_failed;

int main(void)
{
	unit_quote();
	unit_pycfg();
	unit_file();
	unit_elf();
	unit_pep440();
	unit_tags();
	unit_sha256();
	unit_sha512();
	unit_record();
	unit_rfc822();
	unit_json();
	unit_names();
	unit_utf8();
	unit_toml();
	unit_pylock();
	unit_requirements();
	return unit_failed != 0;
}
