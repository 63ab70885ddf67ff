#!/bin/sh
# build/templates.sh FMT_H OUT: the files of templates/ in the order lib/fmt/fmt.h's
# TEMPLATES list names them, each followed by a NUL, as one gzip stream in OUT (no name, no
# time: the same bytes from every build). build/templates.S embeds it; lib/fmt/template.c
# inflates it once, when a template is first wanted. About 31 KiB of text become 9.
set -e
[ $# -eq 2 ] || { echo "usage: sh build/templates.sh lib/fmt/fmt.h OUT" >&2; exit 2; }
files=$(sed -n 's/^[[:space:]]*X([a-z_0-9]*, "\([^"]*\)".*/\1/p' "$1")
[ -n "$files" ] || { echo "templates.sh: no templates listed in $1" >&2; exit 1; }
: >"$2.raw"
for f in $files; do
	[ -f "$f" ] || { echo "templates.sh: $f: no such template" >&2; exit 1; }
	if [ "$(LC_ALL=C tr -cd '\000' <"$f" | wc -c)" != 0 ]; then
		echo "templates.sh: $f holds a NUL byte" >&2; exit 1
	fi
	cat "$f" >>"$2.raw"
	printf '\000' >>"$2.raw"
done
gzip -9 -n -c <"$2.raw" >"$2.tmp"
rm -f "$2.raw"
mv "$2.tmp" "$2"
