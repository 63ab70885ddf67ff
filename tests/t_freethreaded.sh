# t_freethreaded.sh: mkvenv against a free-threaded CPython's own `-m venv` (issue 13): the
# interpreter is a build of Debian's python3.14 source package with --disable-gil, made once
# and cached by tests/ftpython.sh (pyenv's own 3.14t when it has one). Where 3.14's source
# cannot be had here, that is a skip with the reason and 3.13's free-threaded build is
# tested the same way. Read without running it (-v says the version and ABI flags t); the
# venv compared as t_mkvenv_diff does (tree, with lib/python3.Xt, pyvenv.cfg, the view from
# inside), default, --copies and --system-site-packages; found by -p 3.Xt on PATH; seeded
# with the current pip, which runs and installs a wheel; and the tag rules against the tags
# pip lists for it, abi3 and the GIL build's ABI refused.
. "$TESTS/lib.sh"
S=$SCRATCH
TAGCHECK=${TAGCHECK:-${VENVBOX%/*}/tagcheck}

PY=""
for x in 3.14 3.13; do
	p=$(sh "$TESTS/ftpython.sh" "$x" 2>"$S/ft.err")
	case $? in
	0) PY=$p; break ;;
	2) skip "$x" "no free-threaded CPython $x here: $(tail -n 1 "$S/ft.err")" ;;
	*) fail "$x/build" "tests/ftpython.sh $x: $(tail -n 3 "$S/ft.err")"; exit 0 ;;
	esac
done
[ -n "$PY" ] || exit 0
facts=$("$PY" -c 'import sys, sysconfig
print("%d.%d.%d %d.%d %s %s" % (sys.version_info[:3] + sys.version_info[:2] + (sys.abiflags,
    int(not sys._is_gil_enabled() and sysconfig.get_config_var("Py_GIL_DISABLED") == 1))))') ||
	{ fail run "$PY does not run"; exit 0; }
set -- $facts
ver=$1 xy=$2 minor=${2#3.}
same "$xy/free-threaded" "t 1" "$3 $4"
B=$S/$xy

# compare NAME OPTS...: $B/ref-NAME by $PY -m venv --without-pip, $B/vb-NAME by mkvenv
compare() {
	name=$xy/$1 ref=$B/ref-$1 vb=$B/vb-$1; shift
	mkdir -p "$B"
	if ! "$PY" -m venv --without-pip "$@" "$ref" >"$S/ref.err" 2>&1; then
		fail "$name/ref" "$PY -m venv failed: $(head -c 600 "$S/ref.err")"
		return
	fi
	if ! mkvenv -q --without-pip -p "$PY" "$@" "$vb" >"$S/vb.err" 2>&1; then
		fail "$name/mkvenv" "$(head -c 600 "$S/vb.err")"
		return
	fi
	tree "$ref" >"$S/ref.tree"
	tree "$vb" >"$S/vb.tree"
	same_files "$name/tree" "$S/ref.tree" "$S/vb.tree"
	[ -d "$vb/lib/python${xy}t/site-packages" ] && pass "$name/site-packages" ||
		fail "$name/site-packages" "no lib/python${xy}t/site-packages: $(ls "$vb/lib")"
	grep -v -e '^command = ' "$ref/pyvenv.cfg" >"$S/ref.cfg"
	grep -v -e '^command = ' -e '^venvbox = ' "$vb/pyvenv.cfg" >"$S/vb.cfg"
	same_files "$name/pyvenv.cfg" "$S/ref.cfg" "$S/vb.cfg"
	same_inside "$name" "$ref" "$vb"
}

# -v: the version and ABI flags read from its files, never by running it
mkvenv -v --without-pip -p "$PY" "$S/v" >"$S/v.err" 2>&1
case $(head -n 1 "$S/v.err") in
"mkvenv: Python $ver, ABI flags t at $PY "*) pass "$xy/version" ;;
*) fail "$xy/version" "wanted [Python $ver, ABI flags t at $PY]: $(head -c 600 "$S/v.err")" ;;
esac
grep -q 'running it' "$S/v.err" && fail "$xy/not-run" "the interpreter was executed: $(head -c 600 "$S/v.err")" ||
	pass "$xy/not-run"

compare default
compare copies --copies
compare system --system-site-packages

# -p 3.Xt: the free-threaded build as a version request, found on PATH
bindir=${PY%/*}
if PATH="$bindir:$PATH" mkvenv -v --without-pip -p "${xy}t" "$B/p" >"$S/p.err" 2>&1; then
	case $(head -n 1 "$S/p.err") in
	"mkvenv: Python $ver, ABI flags t at $bindir/"*) pass "$xy/p-version" ;;
	*) fail "$xy/p-version" "-p ${xy}t: wanted [Python $ver, ABI flags t at $bindir/...]: $(head -c 600 "$S/p.err")" ;;
	esac
	same "$xy/p-executable" "$(grep '^executable = ' "$B/ref-default/pyvenv.cfg")" \
		"$(grep '^executable = ' "$B/p/pyvenv.cfg")"
else
	fail "$xy/p-version" "-p ${xy}t with $bindir first on PATH: $(head -c 600 "$S/p.err")"
fi

# seeded with the current pip (the tools venv's wheels), which runs and installs a wheel
if need_tools "$xy/seeded"; then
	vb=$B/seeded
	if mkvenv -q --find-links "$TOOLS/wheels" -p "$PY" "$vb" >"$S/seed.err" 2>&1; then
		check "$xy/seeded/pip-version" "$vb/bin/pip" --version
		HELLO=$(hello_wheel "$S/w")
		check "$xy/seeded/pip-install" "$vb/bin/pip" install -q --no-index "$HELLO"
		same "$xy/seeded/hello" "hello from the wheel" "$("$vb/bin/hello" 2>&1)"
		# the tag rules: every tag pip lists is ours too; abi3 and the GIL build's ABI are not
		if [ ! -x "$TAGCHECK" ]; then
			fail "$xy/tags" "no $TAGCHECK (make builds it)"
		elif ! "$vb/bin/python" -m pip debug --verbose >"$S/debug" 2>&1; then
			fail "$xy/tags/pip-debug" "$(head -c 600 "$S/debug")"
		else
			awk '/^Compatible tags:/ { on = 1; next } on && /^  / { print $1 }' "$S/debug" >"$S/pip.tags"
			if [ -s "$S/pip.tags" ]; then
				arch=$(uname -m)
				"$TAGCHECK" "$PY" <"$S/pip.tags" >"$S/ours" 2>"$S/tc.err"
				sed 's/^/1 /' "$S/pip.tags" >"$S/want"
				cut -d: -f1 "$S/ours" >"$S/ours.v"
				same_files "$xy/tags/pip-listed" "$S/want" "$S/ours.v"
				for t in "cp3$minor-abi3-manylinux_2_17_$arch" "cp3$minor-cp3$minor-manylinux_2_17_$arch"; do
					grep -qx "$t" "$S/pip.tags" && fail "$xy/tags/refused" "pip lists $t"
					case $(echo "$t" | "$TAGCHECK" "$PY" 2>&1) in
					"0 $t: "*) pass "$xy/tags/refused-${t%%-manylinux*}" ;;
					*) fail "$xy/tags/refused-${t%%-manylinux*}" "$(echo "$t" | "$TAGCHECK" "$PY" 2>&1 | head -c 300)" ;;
					esac
				done
			else
				fail "$xy/tags/pip-debug" "pip debug listed no tags"
			fi
		fi
	else
		fail "$xy/seeded/mkvenv" "$(head -c 600 "$S/seed.err")"
	fi
fi
