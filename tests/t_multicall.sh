# t_multicall.sh: the busybox-style binary (SPEC §1): dispatch by name, --list, --install,
# help, version and exit codes; a static executable that needs no environment.
# t_arm64 runs these again for the aarch64 binary: VENVBOX is then that one and EMU the
# emulator (an absolute path) that runs it.
. "$TESTS/lib.sh"
S=$SCRATCH
EMU=${EMU:-}

same list "activate deactivate mkvenv venvinfo" "$($EMU "$VENVBOX" --list | tr '\n' ' ' | sed 's/ $//')"
check version $EMU "$VENVBOX" --version
check help $EMU "$VENVBOX" --help
[ -z "$($EMU "$VENVBOX" --help 2>&1 >/dev/null)" ] && pass help-stdout-only || fail help-stdout-only "stderr written"
check_fails no-args 2 $EMU "$VENVBOX"
check_fails unknown-applet 127 $EMU "$VENVBOX" frobnicate
$EMU "$VENVBOX" frobnicate 2>"$S/err"; grep -q '^venvbox: frobnicate: unknown applet' "$S/err" && pass unknown-msg || fail unknown-msg "$(cat "$S/err")"
for a in mkvenv activate deactivate venvinfo; do
	check "$a-help" $EMU "$VENVBOX" "$a" --help
	$EMU "$VENVBOX" "$a" --help | grep -q "usage: $a" && pass "$a-help-text" || fail "$a-help-text" "no usage line"
	check "$a-version" $EMU "$VENVBOX" "$a" --version
done
check_fails mkvenv-bad-option 2 $EMU "$VENVBOX" mkvenv --no-such-option
$EMU "$VENVBOX" mkvenv --no-such-option 2>"$S/err"; grep -q '^mkvenv: --no-such-option: unknown option' "$S/err" && pass usage-msg || fail usage-msg "$(cat "$S/err")"
check_fails mkvenv-missing-value 2 $EMU "$VENVBOX" mkvenv --prompt
check_fails mkvenv-exclusive 2 $EMU "$VENVBOX" mkvenv --clear --upgrade "$S/x"
check_fails mkvenv-exclusive2 2 $EMU "$VENVBOX" mkvenv --copies --symlinks "$S/x"
[ ! -e "$S/x" ] && pass usage-creates-nothing || fail usage-creates-nothing "created $S/x"

# static, no interpreter, no dynamic section
if [ -n "${VENVBOX_ASAN:-}" ]; then
	skip static "the sanitizer build is dynamic by design"
elif command -v readelf >/dev/null; then
	readelf -l "$VENVBOX" | grep -q INTERP && fail static "has PT_INTERP" || pass static-no-interp
	readelf -d "$VENVBOX" 2>&1 | grep -q 'no dynamic section' && pass static-no-dynamic || fail static-no-dynamic "$(readelf -d "$VENVBOX" | head -3)"
else
	skip static "readelf not installed"
fi

# --install: hard links, then symbolic; replaces only venvbox links; refuses other files
mkdir -p "$S/inst" "$S/sym" "$S/foreign"
check install-hard $EMU "$VENVBOX" --install "$S/inst"
for a in mkvenv activate deactivate venvinfo; do
	[ "$S/inst/$a" -ef "$VENVBOX" ] && [ ! -L "$S/inst/$a" ] && pass "hardlink-$a" || fail "hardlink-$a" "not a hard link"
done
check install-again $EMU "$VENVBOX" --install "$S/inst"
same install-again-no-strays "activate deactivate mkvenv venvinfo" "$(ls -A "$S/inst" | tr '\n' ' ' | sed 's/ $//')"
check install-sym $EMU "$VENVBOX" --install -s "$S/sym"
check install-sym-again $EMU "$VENVBOX" --install -s "$S/sym"
same install-sym-again-no-strays "activate deactivate mkvenv venvinfo" "$(ls -A "$S/sym" | tr '\n' ' ' | sed 's/ $//')"
[ -L "$S/sym/mkvenv" ] && [ "$(readlink "$S/sym/mkvenv")" = "$(readlink -f "$VENVBOX")" ] && pass symlink || fail symlink "$(ls -l "$S/sym")"
check install-over-sym $EMU "$VENVBOX" --install "$S/sym"
echo '#!/bin/sh' >"$S/foreign/activate"
check_fails install-refuses 1 $EMU "$VENVBOX" --install "$S/foreign"
same install-refuses-untouched '#!/bin/sh' "$(cat "$S/foreign/activate")"
[ ! -e "$S/foreign/mkvenv" ] && pass install-refuses-atomic || fail install-refuses-atomic "other links were made"
check_fails install-no-dir 1 $EMU "$VENVBOX" --install "$S/nonexistent"
check_fails install-usage 2 $EMU "$VENVBOX" --install

# dispatch: a link of any name in any directory, a renamed binary as the multiplexer
cp "$VENVBOX" "$S/venvbox-x86_64"
check renamed-list $EMU "$S/venvbox-x86_64" --list
same renamed-applet "$($EMU "$VENVBOX" mkvenv --version)" "$($EMU "$S/venvbox-x86_64" mkvenv --version)"
$EMU "$S/inst/mkvenv" --help | grep -q 'usage: mkvenv' && pass link-dispatch || fail link-dispatch "no mkvenv help"

# the binary alone in an empty directory, with an empty environment
mkdir -p "$S/lone"
cp "$VENVBOX" "$S/lone/venvbox"
if [ -x /usr/bin/python3 ]; then
	(cd "$S/lone" && env -i $EMU ./venvbox mkvenv -q --without-pip -p /usr/bin/python3 v) &&
		"$S/lone/v/bin/python" -c 'import sys; assert sys.prefix != sys.base_prefix' &&
		pass env-i || fail env-i "mkvenv under env -i failed"
	(cd "$S/lone" && env -i $EMU ./venvbox mkvenv -q --without-pip v2) && [ -e "$S/lone/v2/pyvenv.cfg" ] &&
		pass env-i-default-path || fail env-i-default-path "no python3 found without PATH"
else
	skip env-i "no /usr/bin/python3"
fi
(cd "$S/lone" && env -i PATH=/nonexistent $EMU ./venvbox mkvenv -q --without-pip w) 2>"$S/err"
st=$?
[ $st -eq 1 ] && grep -q 'no python3 or python on PATH' "$S/err" && pass env-i-nopython || fail env-i-nopython "status $st: $(cat "$S/err")"
