# t_relocatable_scripts.sh: a venv made with mkvenv --relocatable (SPEC §5), moved with mv,
# copied with cp -a to a path full of quotes and shell syntax, and unpacked from tar
# elsewhere, sourced by every shell (bash, dash, zsh, ksh93, mksh, yash, busybox ash, fish,
# tcsh) by absolute and relative paths: it activates at its new place, its python and its
# console-script launchers run from there, and deactivate restores the environment. Where a
# shell cannot know the sourced file (no /proc, or the text given to eval), the recorded
# path is used while a venv is there, else nothing changes and the status is 1. Then the
# code the deactivate applet prints (SPEC §4), eval'd by each shell after sourcing activate
# and in a shell that only inherited the venv's variables.
. "$TESTS/lib.sh"
# results are one line each: messages quoting diffs or hostile names are flattened
fail() { _m=$(printf %s "$2" | tr '\n\r\033' '|  '); echo "fail $T/$1: $_m" >>"$RESULTS"; echo "FAIL $T/$1: $_m" >&2; }
S=$SCRATCH
MK="$VBBIN/mkvenv"
MARK=$S/MARK			# created only if some text was run as a command
export MARK

# ---- which shells there are (tests/lib.sh) ------------------------------------------------
find_shells
# Shells that name the file they source; the others find it in /proc, or cannot know.
native() {
	case $1 in
	bash|zsh|ksh|fish) return 0 ;;
	*) return 1 ;;
	esac
}
# noproc CMD...: CMD with an empty /proc, in its own user and mount namespaces
noproc() { unshare -rm sh -c 'mount -t tmpfs none /proc && exec "$@"' sh "$@"; }
NOPROC=1
if ! have unshare || ! noproc sh -c '[ ! -e /proc/self ]' 2>/dev/null; then
	NOPROC=""
	skip no-proc "unshare -rm cannot mount over /proc here: the shells that find the sourced file in /proc are not tested without it"
fi
PATHX="$S/dir with space:$PATH"	# a PATH entry with a space must come back as it was

# ---- a wheel with a console script that prints where its python's venv is -----------------
W="$S/relo_probe-1.0-py3-none-any.whl"
python3 - "$W" <<'EOF' || fail wheel "cannot write the probe wheel"
import base64, hashlib, sys, zipfile
files = {
    "relo_probe.py": b"import sys\n\ndef main():\n    print(sys.prefix)\n    return 0\n",
    "relo_probe-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: relo_probe\nVersion: 1.0\n",
    "relo_probe-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    "relo_probe-1.0.dist-info/entry_points.txt": b"[console_scripts]\nrelo-probe = relo_probe:main\n",
}
rec = []
for name, data in files.items():
    h = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    rec.append("%s,sha256=%s,%d" % (name, h, len(data)))
rec.append("relo_probe-1.0.dist-info/RECORD,,")
files["relo_probe-1.0.dist-info/RECORD"] = ("\n".join(rec) + "\n").encode()
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name, data in files.items():
        z.writestr(name, data)
EOF

# ---- the relocatable venv, and its three new places ---------------------------------------
A="$S/made/venv"		# where it is made: gone after the mv
M="$S/moved here/venv"		# mv
C="$S/copy 'q' \"d\" \$x \`touch \$MARK\` \$(touch \$MARK) !! %d * ? [a] \\ ; & ~/venv"	# cp -a
X="$S/untar/x y/venv"		# tar
mkdir -p "$S/made" "${M%/venv}" "${C%/venv}" "${X%/venv}"
RELOC=1
LAUNCH=1
if ! "$MK" -q --without-pip --relocatable -w "$W" "$A" 2>"$S/mk.err"; then
	LAUNCH=""
	fail mkvenv-relocatable-wheel "$(cat "$S/mk.err")"
	rm -rf "$A"
	"$MK" -q --without-pip --relocatable "$A" 2>"$S/mk.err" || RELOC=""
fi
if [ -z "$RELOC" ]; then
	skip relocatable "mkvenv --relocatable does not work in this build: $(head -c 300 "$S/mk.err")"
else
	check pyvenv-cfg-relocatable grep -qx 'relocatable = true' "$A/pyvenv.cfg"
	check no-placeholder-left sh -c '! grep -l "@[A-Z_][A-Z_]*@" "$1"/bin/activate* "$1"/bin/Activate.ps1' sh "$A"
	check ps1-ascii-only sh -c '[ "$(LC_ALL=C tr -d "\000-\177" <"$1/bin/Activate.ps1" | wc -c)" -eq 0 ]' sh "$A"
	mv "$A" "$M"
	cp -a "$M" "$C"
	(cd "${M%/venv}" && tar cf "$S/v.tar" venv) && (cd "${X%/venv}" && tar xf "$S/v.tar") ||
		fail tar "cannot pack and unpack the venv"
	[ -e "$MARK" ] && fail copy-ran-something "making the copies made $MARK"
fi
phys() { (cd -P -- "$1" && pwd); }

# ---- sourcing at the new places --------------------------------------------------------------
# HOW: abs (. /path/venv/bin/activate), rel (. ./venv/bin/activate), bin (. bin/activate in
# the venv), dot (. ./activate in bin). The driver prints KEY=VALUE lines and writes env
# snapshots before activation and after deactivate.
shell_helpers sh "$S/drive.sh"
cat >>"$S/drive.sh" <<'EOF'
set -u
PS1='mine> '
PYTHONHOME='/no such/home'; export PYTHONHOME
case $HOW in
rel) cd "$L/.." ;;
bin) cd "$L" ;;
dot) cd "$L/bin" ;;
esac
snap >"$OUT.before"
case $HOW in
abs) . "$L/bin/activate" ;;
rel) . ./venv/bin/activate ;;
bin) . bin/activate ;;
dot) . ./activate ;;
esac
st=$?
echo "status=$st"
echo "VIRTUAL_ENV=${VIRTUAL_ENV-(unset)}"
echo "PATH1=${PATH%%:*}"
echo "prefix=$(python -c 'import sys; print(sys.prefix)' 2>&1)"
echo "function=$(isfn && echo yes || echo no)"
[ "$st" = 0 ] && deactivate
snap >"$OUT.after"
echo "left=$(set | grep -E '^(_OLD_VIRTUAL|_VENVBOX|_venvbox)' | tr '\n' ' ' || :)"
EOF
shell_helpers fish "$S/drive.fish"
cat >>"$S/drive.fish" <<'EOF'
function fish_prompt; echo -n 'mine> '; end
set -gx PYTHONHOME '/no such/home'
switch $HOW
case rel; cd "$L/.."
case bin; cd "$L"
case dot; cd "$L/bin"
end
snap >"$OUT.before"
switch $HOW
case abs; source "$L/bin/activate.fish"
case rel; source ./venv/bin/activate.fish
case bin; source bin/activate.fish
case dot; source ./activate.fish
end
set -l st $status
echo "status=$st"
if set -q VIRTUAL_ENV; echo "VIRTUAL_ENV=$VIRTUAL_ENV"; else; echo "VIRTUAL_ENV=(unset)"; end
echo "PATH1=$PATH[1]"
echo "prefix="(python -c 'import sys; print(sys.prefix)' 2>&1)
if functions -q deactivate; echo function=yes; else; echo function=no; end
test $st = 0; and deactivate
snap >"$OUT.after"
set -l left (set -n | string match -r '^(_OLD_VIRTUAL|_VENVBOX|_venvbox).*')
echo "left=$left"
EOF
shell_helpers csh "$S/drive.csh"
cat >>"$S/drive.csh" <<'EOF'
set prompt = 'mine> '
setenv PYTHONHOME '/no such/home'
if ("$HOW" == rel) cd "$L/.."
if ("$HOW" == bin) cd "$L"
if ("$HOW" == dot) cd "$L/bin"
(snap) >"$OUT.before"
set f = "$L/bin/activate.csh"
if ("$HOW" == rel) set f = ./venv/bin/activate.csh
if ("$HOW" == bin) set f = bin/activate.csh
if ("$HOW" == dot) set f = ./activate.csh
source "$f"
set st = $status
echo "status=$st"
if ($?VIRTUAL_ENV) eval 'printf "VIRTUAL_ENV=%s\n" "${VIRTUAL_ENV}"'
if (! $?VIRTUAL_ENV) echo "VIRTUAL_ENV=(unset)"
sh -c 'echo "PATH1=${PATH%%:*}"'
python -c 'import sys; print("prefix=" + sys.prefix)'
set n = `alias deactivate | wc -c`
if ($n > 0) echo function=yes
if ($n == 0) echo function=no
if ($st == 0) eval deactivate
(snap) >"$OUT.after"
printf 'left=%s\n' "`set | grep -E '^(_OLD_VIRTUAL|_VENVBOX|_venvbox)' | tr '\n' ' '`"
EOF

# drive NAME SHELL LOCATION HOW [WRAPPER...]: source the venv at LOCATION, the shell run
# through WRAPPER if any; the report is in $R.*
drive() {
	_t=$1 _sh=$2 _l=$3 _how=$4
	shift 4
	_out="$S/out-$(echo "$_t" | tr -c 'a-zA-Z0-9\n-' _)"
	rm -f "$_out".*
	# shellcheck disable=SC2046 # runner gives a command and its options
	"$@" env -u VIRTUAL_ENV -u VIRTUAL_ENV_PROMPT -u VIRTUAL_ENV_DISABLE_PROMPT PATH="$PATHX" \
		HOW="$_how" OUT="$_out" L="$_l" HOME="$S/home" \
		$(runner "$_sh") "$S/drive.$(kind "$_sh")" >"$_out.report" 2>"$_out.err"
	echo "$?" >"$_out.st"
	R=$_out
}
r() { sed -n "s/^$1=//p" "$R.report"; }
# activated TEST LOCATION: the report of $R says the venv at LOCATION was used and undone
activated() {
	_w=$(phys "$2")
	same "$1/runs" "0:" "$(cat "$R.st"):$(head -c 300 "$R.err")"
	same "$1/status" 0 "$(r status)"
	same "$1/VIRTUAL_ENV" "$_w" "$(r VIRTUAL_ENV)"
	same "$1/PATH-first" "$_w/bin" "$(r PATH1)"
	same "$1/python-prefix" "$_w" "$(r prefix)"
	same "$1/deactivate-function" yes "$(r function)"
	same_files "$1/env-restored" "$R.before" "$R.after"
	same "$1/nothing-left" "left=" "$(grep '^left=' "$R.report" | tr -d ' ')"
}
# refused TEST: the report of $R says nothing was activated, with a message and status 1
refused() {
	same "$1/status-1" 1 "$(r status)"
	grep -q "cannot tell where this venv is" "$R.err" && pass "$1/message" ||
		fail "$1/message" "stderr: $(head -c 300 "$R.err")"
	same "$1/VIRTUAL_ENV-unset" "(unset)" "$(r VIRTUAL_ENV)"
	same "$1/no-function" no "$(r function)"
	same_files "$1/env-unchanged" "$R.before" "$R.after"
	same "$1/nothing-left" "left=" "$(grep '^left=' "$R.report" | tr -d ' ')"
}

if [ -n "$RELOC" ]; then
	mkdir -p "$S/home"
	for sh in $SHELLS; do
		for loc in M C X; do
			eval "l=\$$loc"
			for how in abs rel bin dot; do
				drive "$sh/$loc/$how" "$sh" "$l" "$how"
				activated "$sh/$loc/$how" "$l"
			done
		done
	done
	[ -e "$MARK" ] && fail sourcing-ran-something "sourcing the moved venvs made $MARK"

	# Without /proc: bash, zsh, ksh93 and fish still know the file; the others use the path
	# where the venv was made while a venv is there, and else refuse, changing nothing.
	if [ -n "$NOPROC" ]; then
		for sh in $SHELLS; do
			drive "$sh/no-proc/C" "$sh" "$C" rel noproc
			if native "$sh"; then
				activated "$sh/no-proc/C" "$C"
			else
				refused "$sh/no-proc/C"
			fi
		done
		cp -a "$M" "$A"
		for sh in $SHELLS; do
			drive "$sh/no-proc/recorded" "$sh" "$X" abs noproc
			if native "$sh"; then
				activated "$sh/no-proc/recorded" "$X"
			else
				activated "$sh/no-proc/recorded" "$A"
			fi
		done
		rm -rf "$A"
	fi

	# The text given to eval has no file: with no venv at the recorded path, it stops there
	# (a non-interactive shell exits) after saying why; fish's source returns 1.
	printf '%s\n' 'eval "$(cat "$L/bin/activate")"' 'echo "after VIRTUAL_ENV=${VIRTUAL_ENV-(unset)}"' >"$S/eval.sh"
	printf '%s\n' 'cat "$L/bin/activate.fish" | source' 'set -l st $status' 'set -q VIRTUAL_ENV; and echo "after $st set"; or echo "after $st unset"' >"$S/eval.fish"
	grep -v -e '^#' -e '^$' "$C/bin/activate.csh" | tr '\n' ';' >"$S/joined.csh"
	printf '%s\n' 'eval "`cat joined.csh`"' 'echo "after $?VIRTUAL_ENV"' >"$S/eval.csh"
	for sh in $SHELLS; do
		k=$(kind "$sh")
		# shellcheck disable=SC2046
		out=$(cd "$S" && env -u VIRTUAL_ENV L="$C" HOME="$S/home" \
			$(runner "$sh") "$S/eval.$k" 2>"$S/eval.err")
		st=$?
		grep -q "cannot tell where this venv is" "$S/eval.err" && pass "$sh/eval/message" ||
			fail "$sh/eval/message" "stderr: $(head -c 300 "$S/eval.err")"
		case $k in
		fish) same "$sh/eval/status-1-unchanged" "after 1 unset" "$out" ;;
		*) same "$sh/eval/stops" "stopped:" "$([ $st -ne 0 ] && echo stopped):$out" ;;
		esac
	done
	[ -e "$MARK" ] && fail eval-ran-something "eval of the moved venvs' scripts made $MARK"

	# The code activate prints for eval names the venv's new place.
	if case " $SHELLS " in *" dash "*) true ;; *) false ;; esac; then
		out=$(cd "$S" && env -u VIRTUAL_ENV dash -c 'eval "$(activate -s sh "$1")" && [ "$VIRTUAL_ENV" -ef "$1" ] && echo ok' sh "$C" 2>&1)
		same activate-applet-eval ok "$out"
	fi
fi

# ---- console-script launchers -------------------------------------------------------------
if [ -n "$RELOC" ] && [ -n "$LAUNCH" ]; then
	same launcher/polyglot-header "#!/bin/sh|\"true\" '''\\'" "$(sed -n '1p;2p' "$M/bin/relo-probe" | paste -sd '|')"
	for loc in M C X; do
		eval "l=\$$loc"
		w=$(phys "$l")
		same "launcher/$loc/runs" "$w" "$("$w/bin/relo-probe" 2>&1)"
		same "launcher/$loc/relative" "$w" "$(cd "$w/.." && ./venv/bin/relo-probe 2>&1)"
	done
	# through symbolic links, beside a python that is not the venv's
	mkdir -p "$S/links"
	ln -sf "$C/bin/relo-probe" "$S/links/probe"
	ln -sf ../links/probe "$S/links/probe2"
	ln -sf "$(command -v python3)" "$S/links/python"
	w=$(phys "$C")
	same launcher/symlink "$w" "$("$S/links/probe" 2>&1)"
	same launcher/symlink-chain "$w" "$(cd "$S/links" && ./probe2 2>&1)"
	same launcher/symlink-on-PATH "$w" "$(cd / && PATH="$S/links:$PATH" probe 2>&1)"
	[ -e "$MARK" ] && fail launcher-ran-something "running the launchers made $MARK"
elif [ -n "$RELOC" ]; then
	skip launcher "no relocatable venv with a console script could be made"
fi
# Python parses the launcher as it is written (no invalid escape: 3.12 and later warn)
py12=""
for py in $(pythons); do
	[ "$(py_minor "$py")" -ge 12 ] 2>/dev/null && py12=$py && break
done
if [ -n "$py12" ]; then
	check launcher/python-parses "$py12" -W error -c 'import sys
with open(sys.argv[1]) as f:
    compile(f.read(), sys.argv[1], "exec")' "$TOP/templates/launcher-rel.py"
else
	skip launcher/python-parses "no Python 3.12 or later to compile templates/launcher-rel.py with -W error"
fi

# ---- the code deactivate prints, given to eval ----------------------------------------------
# After sourcing activate: the shell's own deactivate runs, so everything is as before
# (PS1, PYTHONHOME, PATH) and the function is gone. In a shell that only inherited the
# variables (activate -- COMMAND): PATH without the venv's bin, PYTHONHOME back, VIRTUAL_ENV*
# unset; the deactivate command on PATH (venvbox) is never taken for the function.
shell_helpers sh "$S/deact.sh"
cat >>"$S/deact.sh" <<'EOF2'
set -u
report() {
	echo "PATH=$PATH"
	echo "VIRTUAL_ENV=${VIRTUAL_ENV-(unset)}"
	echo "VIRTUAL_ENV_PROMPT=${VIRTUAL_ENV_PROMPT-(unset)}"
	echo "PYTHONHOME=${PYTHONHOME-(unset)}"
	echo "OLDHOME=${_OLD_VIRTUAL_PYTHONHOME-(unset)}"
	echo "function=$(isfn && echo yes || echo no)"
	echo "left=$(set | grep -E '^(_OLD_VIRTUAL|_VENVBOX|_venvbox)' | tr '\n' ' ' || :)"
}
if [ "$MODE" != env ]; then
	PS1='$(touch $MARK) mine> '
	PYTHONHOME='/no such/home'; export PYTHONHOME
	snap >"$OUT.before"
	. "$V/bin/activate"
fi
if [ "$MODE" = direct ]; then
	deactivate
	echo "status=$?"
else
	# the applet, not the function activate defined: $(deactivate) would run that
	code=$("$VBBIN/deactivate" -s sh) || echo "applet-failed"
	eval "$code"
	echo "status=$?"
	unset code
fi
snap >"$OUT.after"
report
EOF2
shell_helpers fish "$S/deact.fish"
cat >>"$S/deact.fish" <<'EOF2'
if test "$MODE" != env
	function fish_prompt; echo -n 'mine> '; end
	set -gx PYTHONHOME '/no such/home'
	snap >"$OUT.before"
	source "$V/bin/activate.fish"
end
if test "$MODE" = direct
	deactivate
else
	$VBBIN/deactivate -s fish | source
end
echo "status=$status"
snap >"$OUT.after"
echo "PATH="(string join : $PATH)
for v in VIRTUAL_ENV VIRTUAL_ENV_PROMPT PYTHONHOME
	if set -q $v; echo "$v=$$v"; else; echo "$v=(unset)"; end
end
if set -q _OLD_VIRTUAL_PYTHONHOME; echo "OLDHOME=$_OLD_VIRTUAL_PYTHONHOME"; else; echo "OLDHOME=(unset)"; end
if functions -q deactivate; echo function=yes; else; echo function=no; end
set -l left (set -n | string match -r '^(_OLD_VIRTUAL|_VENVBOX|_venvbox).*')
echo "left=$left"
EOF2
shell_helpers csh "$S/deact.csh"
cat >>"$S/deact.csh" <<'EOF2'
if ("$MODE" != env) set prompt = '`touch $MARK` mine> '
if ("$MODE" != env) setenv PYTHONHOME '/no such/home'
if ("$MODE" != env) eval '(snap) >"$OUT.before"'
if ("$MODE" != env) source "$V/bin/activate.csh"
if ("$MODE" == direct) eval deactivate
if ("$MODE" != direct) eval "`$VBBIN/deactivate -s csh`"
echo "status=$status"
(snap) >"$OUT.after"
sh -c 'echo "PATH=$PATH"; for v in VIRTUAL_ENV VIRTUAL_ENV_PROMPT PYTHONHOME; do eval "echo \"\$v=\${$v-(unset)}\""; done'
if ($?_OLD_VIRTUAL_PYTHONHOME) eval 'printf "OLDHOME=%s\n" "${_OLD_VIRTUAL_PYTHONHOME}"'
if (! $?_OLD_VIRTUAL_PYTHONHOME) echo "OLDHOME=(unset)"
set n = `alias deactivate | wc -c`
if ($n > 0) echo function=yes
if ($n == 0) echo function=no
printf 'left=%s\n' "`set | grep -E '^(_OLD_VIRTUAL|_VENVBOX|_venvbox)' | tr '\n' ' '`"
EOF2
# deact NAME SHELL MODE VENV [WRAPPER...]: run the driver; the report is in $R.*
deact() {
	_t=$1 _sh=$2 _mode=$3 _v=$4
	shift 4
	_out="$S/d-$(echo "$_t" | tr -c 'a-zA-Z0-9\n-' _)"
	rm -f "$_out".*
	# shellcheck disable=SC2046 # runner gives a command and its options
	"$@" $(runner "$_sh") "$S/deact.$(kind "$_sh")" >"$_out.report" 2>"$_out.err"
	echo "$?" >"$_out.st"
	R=$_out
}
env_base() {	# the environment of a driver: no venv active, a known PATH
	env -u VIRTUAL_ENV -u VIRTUAL_ENV_PROMPT -u _OLD_VIRTUAL_PYTHONHOME -u PYTHONHOME \
		PATH="$PATHX" HOME="$S/home" OUT="$_out" V="$_v" MODE="$_mode" "$@"
}
# undone TEST: the report of $R says the venv's variables are gone and PATH is PATHX
undone() {
	same "$1/runs" "0:" "$(cat "$R.st"):$(head -c 300 "$R.err")"
	same "$1/status" 0 "$(r status)"
	same "$1/PATH" "$PATHX" "$(r PATH)"
	same "$1/VIRTUAL_ENV" "(unset)" "$(r VIRTUAL_ENV)"
	same "$1/VIRTUAL_ENV_PROMPT" "(unset)" "$(r VIRTUAL_ENV_PROMPT)"
	same "$1/no-function" no "$(r function)"
	same "$1/nothing-left" "left=" "$(grep '^left=' "$R.report" | tr -d ' ')"
}
P="$S/plain venv"
"$MK" -q --without-pip "$P" 2>"$S/mk.err" || fail mkvenv-plain "$(cat "$S/mk.err")"
cpy=""
for py in $(pythons); do
	"$py" -c 'import venv, ensurepip' 2>/dev/null && cpy=$py && break
done
if [ -n "$cpy" ] && "$cpy" -m venv --without-pip "$S/cpython venv" 2>"$S/cpy.err"; then
	cpy="$S/cpython venv"
else
	cpy=""
	skip deactivate/python-venv "no Python with a working venv module: $(head -c 200 "$S/cpy.err" 2>/dev/null)"
fi
VENVS="P"
[ -n "$RELOC" ] && VENVS="$VENVS C"
[ -n "$cpy" ] && VENVS="$VENVS cpy"
mkdir -p "$S/home"
if ! code=$(env VIRTUAL_ENV="$P" "$VBBIN/deactivate" -s sh 2>&1) || ! case $code in *"typeset -f deactivate"*) true ;; *) false ;; esac; then
	skip deactivate-code "the deactivate applet does not print templates/deactivate.sh yet: $(printf %s "$code" | head -c 200)"
else
	for sh in $SHELLS; do
		for v in $VENVS; do
			eval "vd=\$$v"
			# the end state of calling the function, then that of eval'ing the code
			deact "$sh/deactivate/direct-$v" "$sh" direct "$vd" env_base MARK="$MARK-$sh"
			grep -v -e '^MODE=' -e '^OUT=' "$R.after" >"$S/direct.after"
			t="$sh/deactivate/sourced-$v"
			deact "$t" "$sh" sourced "$vd" env_base MARK="$MARK-$sh"
			undone "$t"
			same "$t/PYTHONHOME" "/no such/home" "$(r PYTHONHOME)"
			grep -v -e '^MODE=' -e '^OUT=' "$R.after" >"$S/eval.after"
			same_files "$t/as-deactivate-leaves-it" "$S/direct.after" "$S/eval.after"
			# python -m venv's deactivate leaves PS1 exported: only ours restore it exactly
			[ "$v" = cpy ] || same_files "$t/env-restored" "$R.before" "$R.after"
		done
		for v in P C; do
			[ "$v" = C ] && [ -z "$RELOC" ] && continue
			eval "vd=\$$v"
			# the variables alone, with the venv's bin on PATH twice and a saved PYTHONHOME
			t="$sh/deactivate/env-$v"
			deact "$t" "$sh" env "$vd" env_base MARK="$MARK-$sh" VIRTUAL_ENV="$vd" VIRTUAL_ENV_PROMPT=p \
				PATH="$vd/bin:$PATHX:$vd/bin" _OLD_VIRTUAL_PYTHONHOME='/old home'
			undone "$t"
			same "$t/PYTHONHOME" "/old home" "$(r PYTHONHOME)"
			same "$t/saved-PYTHONHOME-unset" "(unset)" "$(r OLDHOME)"
			# as activate -- COMMAND leaves them
			t="$sh/deactivate/activate-command-$v"
			deact "$t" "$sh" env "$vd" env_base MARK="$MARK-$sh" PYTHONHOME='/old home' "$VBBIN/activate" "$vd" --
			undone "$t"
			same "$t/PYTHONHOME" "/old home" "$(r PYTHONHOME)"
		done
	done
	ran=$(cd "$S" && ls -d MARK* 2>/dev/null | tr '\n' ' ')
	[ -n "$ran" ] && fail deactivate/no-command-ran "commands were run: $ran" || pass deactivate/no-command-ran
	# csh gets one line; PowerShell text is ASCII whatever the values; no placeholder is left
	h="$S/café 'q' \$x/venv"
	for k in sh fish csh pwsh; do
		env VIRTUAL_ENV="$h" PATH="$h/bin:$S/ünï:$PATH" "$VBBIN/deactivate" -s $k >"$S/code.$k" 2>&1 ||
			fail "deactivate/code-$k" "$(head -c 300 "$S/code.$k")"
		check "deactivate/code-$k-no-placeholder" sh -c '! grep -q "@[A-Z_][A-Z_]*@" "$1"' sh "$S/code.$k"
	done
	same deactivate/code-csh-one-line 1 "$(wc -l <"$S/code.csh" | tr -d ' ')"
	same deactivate/code-pwsh-ascii 0 "$(LC_ALL=C tr -d '\000-\177' <"$S/code.pwsh" | wc -c | tr -d ' ')"
fi
