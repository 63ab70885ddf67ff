# t_layers.sh: lib/ keeps its layers (STYLE: base < fmt < py < venv < pkg < applets): no file
# includes another layer's header, none uses a name of a higher layer, no circle; and the
# README's Layout section lists every file of lib/ and applets/ once, in its own layer.
. "$TESTS/lib.sh"
S=$SCRATCH

if sh "$TOP/build/layers.sh" "$S/tree" cc >"$S/out" 2>&1; then
	pass layers-hold
else
	fail layers-hold "$(head -c 1500 "$S/out")"
fi
[ -s "$S/tree/layers.dot" ] && pass layers-drawn || fail layers-drawn "no layers.dot"

# the checker can fail: a copy of the tree where base/ uses a pkg function, and one with a circle
copy() { rm -rf "$S/copy" && mkdir -p "$S/copy/build" && cp -r "$TOP/lib" "$TOP/applets" "$S/copy/" && cp "$TOP/build/layers.sh" "$S/copy/build/"; }
copy
printf '\nstruct wheel;\nvoid wheel_close(struct wheel *w);\nvoid buf_upward(void) { wheel_close(0); }\n' >>"$S/copy/lib/base/buf.c"
sed -i 's|#include "base/base.h"|#include "pkg/pkg.h"|' "$S/copy/lib/base/utf8.c"
if sh "$S/copy/build/layers.sh" "$S/copy-out" cc >"$S/out2" 2>&1; then
	fail checker-sees-upward "an upward call passed"
else
	grep -q 'lib/base/utf8.c includes .pkg/pkg.h.' "$S/out2" && pass checker-sees-include || fail checker-sees-include "$(cat "$S/out2")"
	grep -q 'lib/base/buf.c uses wheel_close from lib/pkg/wheel.c, a higher layer' "$S/out2" && pass checker-sees-upward || fail checker-sees-upward "$(cat "$S/out2")"
fi
rm -rf "$S/copy" "$S/copy-out" && copy() { rm -rf "$S/copy" && mkdir -p "$S/copy/build" && cp -r "$TOP/lib" "$TOP/applets" "$S/copy/" && cp "$TOP/build/layers.sh" "$S/copy/build/"; }
copy
printf '\nvoid err_loop(void);\nvoid buf_loop(void) { err_loop(); }\n' >>"$S/copy/lib/base/buf.c"
printf '\nvoid buf_loop(void);\nvoid err_loop(void) { buf_loop(); }\n' >>"$S/copy/lib/base/err.c"
if sh "$S/copy/build/layers.sh" "$S/copy-out" cc >"$S/out3" 2>&1; then
	fail checker-sees-circle "a circle passed"
else
	grep -q 'a circle:.*lib/base/buf.c' "$S/out3" && pass checker-sees-circle || fail checker-sees-circle "$(cat "$S/out3")"
fi
rm -rf "$S/copy" "$S/copy-out"

# README: the Layout section lists each file of lib/ and applets/ once, under its folder
# ("lib/base/ ..." starts a folder, "  name.c  what it is for" is a file of it)
sed -n '/^## Layout/,/^## [^L]/p' "$TOP/README.md" |
	awk '/^(lib\/[a-z]+\/|applets\/)/ { d = $1; next } d != "" && /^  [a-z0-9_]+\.[ch] / { print d $1 }' |
	sort >"$S/listed"
(cd "$TOP" && ls lib/*/*.[ch] applets/*.[ch]) | sort >"$S/tree-files"
if cmp -s "$S/listed" "$S/tree-files"; then
	pass readme-layout
else
	fail readme-layout "README's Layout and the tree differ (- tree, + README): $(diff "$S/tree-files" "$S/listed" | grep '^[<>]' | tr '\n' ' ')"
fi
[ "$(uniq -d "$S/listed")" = "" ] && pass readme-layout-once || fail readme-layout-once "listed twice: $(uniq -d "$S/listed" | tr '\n' ' ')"
