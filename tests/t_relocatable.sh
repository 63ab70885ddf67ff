# t_relocatable.sh: a venv made with --relocatable, pip seeded and a wheel with a console
# script installed, keeps working after mv, cp -a to a path with spaces and quotes, and tar
# to another directory (SPEC §5); a plain venv keeps absolute paths as python -m venv does.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY"; exit 0; }
HELLO=$(hello_wheel "$S/w") || { skip all "cannot build the test wheel"; exit 0; }

V0=$S/made/v0
mkvenv -q --relocatable -p "$PY" -w "$HELLO" "$V0" 2>"$S/err" || { fail create "$(cat "$S/err")"; exit 0; }
grep -qx 'relocatable = true' "$V0/pyvenv.cfg" && pass cfg-key || fail cfg-key "$(cat "$V0/pyvenv.cfg")"
head -n 1 "$V0/bin/pip" | grep -q "$V0" && fail pip-launcher-relative "absolute path in $(head -n 3 "$V0/bin/pip")" || pass pip-launcher-relative

works() {	# works NAME DIR: everything reports DIR as the venv
	n=$1 d=$2
	got=$("$d/bin/pip" --version 2>&1)
	case $got in *"from $d/lib/python3."*) pass "$n/pip" ;; *) fail "$n/pip" "$got" ;; esac
	same "$n/console-script" "hello from the wheel" "$("$d/bin/hello" 2>&1)"
	same "$n/activate-cmd" "$d" "$(activate "$d" -- python -c 'import sys; print(sys.prefix)' 2>&1)"
	same "$n/sourced" "$d|$d" "$(bash -c '. "$1/bin/activate" && printf "%s|" "$VIRTUAL_ENV" && python -c "import sys; print(sys.prefix)"' _ "$d" 2>&1)"
	same "$n/sourced-dash" "$d" "$(cd "$d" && dash -c '. ./bin/activate && printf "%s" "$VIRTUAL_ENV"' 2>&1)"
	if command -v fish >/dev/null; then
		same "$n/fish" "$d" "$(fish --no-config -c 'source $argv[1]/bin/activate.fish; printf %s $VIRTUAL_ENV' "$d" 2>&1)"
	fi
	"$d/bin/pip" install -q --no-index --disable-pip-version-check --force-reinstall "$HELLO" >/dev/null 2>&1 &&
		pass "$n/pip-install" || fail "$n/pip-install" "pip install failed"
}

mkdir -p "$S/moved"
mv "$V0" "$S/moved/v1"
works mv "$S/moved/v1"
Q="$S/it's a \"quoted\" \$dir"
mkdir -p "$Q"
cp -a "$S/moved/v1" "$Q/v2"
works cp-quotes "$Q/v2"
mkdir -p "$S/untar"
(cd "$S/moved" && tar cf "$S/v.tar" v1) && (cd "$S/untar" && tar xf "$S/v.tar")
works tar "$S/untar/v1"

# a later -w into the relocatable venv keeps the property
mkvenv -q --without-pip -w "$HELLO" "$S/untar/v1" 2>"$S/err" && mv "$S/untar/v1" "$S/untar/v3" &&
	same later-wheel "hello from the wheel" "$("$S/untar/v3/bin/hello" 2>&1)" || fail later-wheel "$(cat "$S/err")"

# a plain venv: absolute paths, as python -m venv writes them
mkvenv -q -p "$PY" -w "$HELLO" "$S/plain"
head -n 1 "$S/plain/bin/hello" | grep -qx "#!$S/plain/bin/python" && pass plain-absolute || fail plain-absolute "$(head -n 1 "$S/plain/bin/hello")"
grep -q '^relocatable' "$S/plain/pyvenv.cfg" && fail plain-no-key "relocatable key written" || pass plain-no-key

# `relocatable = True` (capital T, as a hand or another tool may write it) is read as true
# everywhere, the way site.py reads its booleans: by venvinfo, by mkvenv -w and --upgrade
# into that venv, and by activate (whose eval'd code still names the venv it was given)
cap() { sed -i 's/^relocatable = true$/relocatable = True/' "$1/pyvenv.cfg"; }
VT=$S/captrue
mkvenv -q --relocatable --without-pip -p "$PY" "$VT" && cap "$VT"
grep -qx 'relocatable = True' "$VT/pyvenv.cfg" || fail cap/setup "$(cat "$VT/pyvenv.cfg")"
same cap/venvinfo true "$(venvinfo --get relocatable "$VT")"
mkvenv -q -w "$HELLO" "$VT" 2>"$S/err" || fail cap/wheel "$(cat "$S/err")"
head -n 3 "$VT/bin/hello" | grep -q "$VT" && fail cap/wheel-relative "absolute path in $(head -n 3 "$VT/bin/hello")" ||
	pass cap/wheel-relative
cap "$VT"
mkvenv -q --upgrade -p "$PY" "$VT" 2>"$S/err" || fail cap/upgrade "$(cat "$S/err")"
grep -qix 'relocatable = true' "$VT/pyvenv.cfg" && pass cap/upgrade-keeps || fail cap/upgrade-keeps "$(cat "$VT/pyvenv.cfg")"
cap "$VT"
same cap/activate "$VT|$VT" "$(bash -c 'eval "$(activate "$1")" && printf "%s|" "$VIRTUAL_ENV" && python -c "import sys; print(sys.prefix)"' _ "$VT" 2>&1)"
mv "$VT" "$S/captrue-moved"
same cap/moved "hello from the wheel" "$("$S/captrue-moved/bin/hello" 2>&1)"
same cap/moved-venvinfo true "$(venvinfo --get relocatable "$S/captrue-moved")"
