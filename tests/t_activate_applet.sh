# t_activate_applet.sh: the activate and deactivate applets (SPEC §3, §4): commands run
# inside and outside a venv with no shell at all, exit statuses like env(1), the eval forms
# giving every shell exactly the environment its own bin/activate* gives, hostile venv
# names through the applets, and a Dockerfile-style sequence of separate steps.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY"; exit 0; }
MK="$VBBIN/mkvenv" ACT="$VBBIN/activate" DEACT="$VBBIN/deactivate"
MARK=$S/MARK
export MARK
V="$S/v"
"$MK" -q --without-pip -p "$PY" --prompt "my env" "$V"

# ---- activate -- COMMAND
out=$(PYTHONHOME=/nonexistent PATH="$V/bin:/usr/bin:/bin:$V/bin" "$ACT" "$V" -- sh -c \
	'echo "$VIRTUAL_ENV|$VIRTUAL_ENV_PROMPT|${PYTHONHOME-unset}|$PATH"')
same cmd-env "$V|my env|unset|$V/bin:/usr/bin:/bin" "$out"
same cmd-python "$V" "$("$ACT" "$V" -- python -c 'import sys; print(sys.prefix)')"
check_fails cmd-status 7 "$ACT" "$V" -- sh -c 'exit 7'
check_fails cmd-not-found 127 "$ACT" "$V" -- no-such-command-here
printf 'not executable\n' >"$S/noexec"
check_fails cmd-not-executable 126 "$ACT" "$V" -- "$S/noexec"
"$ACT" "$V" -- no-such-command-here 2>"$S/err"; grep -q '^activate: no-such-command-here: command not found' "$S/err" &&
	pass cmd-not-found-msg || fail cmd-not-found-msg "$(cat "$S/err")"
# no shell anywhere: an empty environment and a PATH with nothing in it
same no-shell "$V" "$(env -i PATH=/nonexistent "$ACT" "$V" -- python -c 'import sys; print(sys.prefix)')"
mkdir -p "$S/proj/.venv" "$S/proj/a/b"
"$MK" -q --without-pip -p "$PY" "$S/proj/.venv"
same nearest-venv "$S/proj/.venv" "$(cd "$S/proj/a/b" && "$ACT" -- python -c 'import sys; print(sys.prefix)')"
mkdir -p "$S/notvenv"
check_fails not-a-venv 1 "$ACT" "$S/notvenv" -- true
"$ACT" "$S/notvenv" -- true 2>"$S/err"; grep -q "^activate: $S/notvenv: not a virtual environment (no pyvenv.cfg)" "$S/err" &&
	pass not-a-venv-msg || fail not-a-venv-msg "$(cat "$S/err")"
(cd / && "$ACT" -- true) 2>"$S/err"; [ $? = 1 ] && grep -q 'no .venv' "$S/err" && pass no-venv-found || fail no-venv-found "$(cat "$S/err")"
# "--" ends the options: a venv whose name starts with "-" is named after it
"$MK" -q --without-pip -p "$PY" -- "$S/-dash"
same dash-venv-cmd "$S/-dash" "$(cd "$S" && "$ACT" -- -dash -- sh -c 'echo "$VIRTUAL_ENV"' 2>&1)"
same dash-venv-eval "$S/-dash" "$(cd "$S" && sh -c 'eval "$("$1" -- -dash)" && echo "$VIRTUAL_ENV"' sh "$ACT" 2>&1)"
check_fails dash-venv-no-command-separator 2 "$ACT" -- -dash python
check_fails dash-venv-dashdash-needs-command 2 "$ACT" -- -dash --
# a missing or empty ENV_DIR is said to be one, not "no pyvenv.cfg"
(cd "$S" && "$ACT" ./missing -- true) >"$S/out" 2>&1; st=$?
[ $st = 1 ] && grep -q '^activate: ./missing: No such file or directory$' "$S/out" &&
	pass missing-dir-msg || fail missing-dir-msg "status $st: $(cat "$S/out")"
(cd "$S" && "$ACT" "" -- true) >"$S/out" 2>&1; st=$?
[ $st = 1 ] && grep -q '^activate: an empty ENV_DIR names no directory$' "$S/out" &&
	pass empty-dir-msg || fail empty-dir-msg "status $st: $(cat "$S/out")"
check_fails usage 2 "$ACT" "$V" extra-arg
check_fails usage-dashdash 2 "$ACT" "$V" --
check_fails usage-option 2 "$ACT" --bogus

# ---- deactivate -- COMMAND, and the round trip
base_env() { env -i HOME="$S" PATH="/usr/bin:/bin" PYTHONHOME=/opt/ph LANG=C "$@"; }
before=$(base_env sh -c 'env | sort')
after=$(base_env "$ACT" "$V" -- "$DEACT" -- sh -c 'env | sort')
same roundtrip "$before" "$after"
inside=$(base_env "$ACT" "$V" -- sh -c 'echo "$PATH|$VIRTUAL_ENV|${PYTHONHOME-unset}"')
same inside "$V/bin:/usr/bin:/bin|$V|unset" "$inside"
same deact-path "/usr/bin:/bin|unset|unset" "$(env VIRTUAL_ENV="$V" PATH="/usr/bin:$V/bin:/bin:$V/bin" "$DEACT" -- sh -c 'echo "$PATH|${VIRTUAL_ENV-unset}|${VIRTUAL_ENV_PROMPT-unset}"')"
check_fails deact-none 1 env -u VIRTUAL_ENV "$DEACT"
env -u VIRTUAL_ENV "$DEACT" 2>"$S/err"; grep -q 'no virtual environment is active' "$S/err" && pass deact-none-msg || fail deact-none-msg "$(cat "$S/err")"
VENVBOX_SUBSHELL="$V" VIRTUAL_ENV="$V" "$DEACT" >"$S/out" 2>"$S/err"
[ $? = 1 ] && grep -q 'type exit to leave it' "$S/err" && [ ! -s "$S/out" ] && pass subshell-says-exit || fail subshell-says-exit "$(cat "$S/err")"
check_fails deact-status 3 "$DEACT" -- sh -c 'exit 3'

# ---- a Dockerfile: separate steps, no activation state between them
HELLO=$(hello_wheel "$S/w")
mkdir -p "$S/docker"
if (cd "$S/docker" && sh -c "mkvenv -q -p $PY .venv" && sh -c "activate .venv -- pip install -q --no-index --disable-pip-version-check $HELLO" &&
	[ "$(sh -c 'activate .venv -- hello')" = "hello from the wheel" ]) >"$S/out" 2>&1; then
	pass dockerfile
else
	fail dockerfile "$(tail -5 "$S/out")"
fi

# ---- eval forms: the same environment as sourcing the venv's own script, in every shell
dump='env | env LC_ALL=C sort | grep -v -e "^_=" -e "^SHLVL=" -e "^PWD=" -e "^OLDPWD="'
eval_script() {	# eval_script SHELL VENV MODE(source|eval) OUT
	sh=$1 v=$2 mode=$3 out=$4
	case $sh in
	fish)
		if [ "$mode" = source ]; then echo "source '$v/bin/activate.fish'"; else echo "'$ACT' -s fish '$v' | source"; fi
		echo "$dump > '$out.1'; deactivate; $dump > '$out.2'" ;;
	tcsh)
		if [ "$mode" = source ]; then echo "source '$v/bin/activate.csh'"; else echo "eval \"\`'$ACT' -s csh '$v'\`\""; fi
		echo "$dump > '$out.1'"; echo "deactivate"; echo "$dump > '$out.2'" ;;
	*)
		if [ "$mode" = source ]; then echo ". '$v/bin/activate'"; else echo "eval \"\$('$ACT' -s $sh '$v')\""; fi
		echo "$dump > '$out.1'; deactivate; $dump > '$out.2'" ;;
	esac
}
run_shell() {
	case $1 in
	ash) busybox ash "$2" ;;
	zsh) zsh -f "$2" ;;
	tcsh) tcsh -f "$2" ;;
	fish) fish --no-config "$2" ;;
	*) "$1" "$2" ;;
	esac
}
for sh in bash dash zsh ksh mksh yash ash fish tcsh; do
	case $sh in ash) have busybox || { skip "eval-$sh" "busybox not installed"; continue; } ;;
	*) have "$sh" || { skip "eval-$sh" "$sh not installed"; continue; } ;; esac
	for mode in source eval; do
		eval_script "$sh" "$V" "$mode" "$S/$sh.$mode" >"$S/$sh.$mode.script"
		env -i HOME="$S" PATH="/usr/bin:/bin" PS1='$ ' PYTHONHOME=/opt/ph LANG=C "$(command -v env)" \
			sh -c 'exec "$@"' _ true 2>/dev/null
		(cd "$S" && env -i HOME="$S" PATH="/usr/bin:/bin" PS1='$ ' PYTHONHOME=/opt/ph LANG=C \
			sh -c "$(declare -f run_shell); run_shell $sh '$S/$sh.$mode.script'") >"$S/$sh.$mode.log" 2>&1
	done
	if [ -s "$S/$sh.source.1" ] && [ -s "$S/$sh.eval.1" ]; then
		same_files "eval-$sh/active" "$S/$sh.source.1" "$S/$sh.eval.1"
		same_files "eval-$sh/deactivated" "$S/$sh.source.2" "$S/$sh.eval.2"
		grep -q "^VIRTUAL_ENV=$V\$" "$S/$sh.eval.1" && pass "eval-$sh/venv" || fail "eval-$sh/venv" "$(cat "$S/$sh.eval.log")"
	else
		fail "eval-$sh" "no dumps: $(cat "$S/$sh.source.log" "$S/$sh.eval.log" | head -c 600)"
	fi
done

# ---- hostile venv names and prompts through the applets: nothing runs
i=0
while IFS= read -r name; do
	i=$((i + 1))
	d="$S/hostile/$name/.venv"
	export "HD$i=$d" "HP$i=$name"
	mkdir -p "$S/hostile/$name"
	rm -f "$MARK"
	"$MK" -q --without-pip -p "$PY" --prompt "$name" "$d" 2>"$S/err" || { fail "hostile-$i/mkvenv" "$(cat "$S/err")"; continue; }
	got=$("$ACT" "$d" -- sh -c 'printf %s "$VIRTUAL_ENV_PROMPT"')
	same "hostile-$i/cmd" "$name" "$got"
	for sh in bash dash zsh ksh mksh yash; do
		have "$sh" || continue
		env -i PATH=/usr/bin:/bin LANG=C.UTF-8 MARK="$MARK" ACT="$ACT" D="$d" "$sh" -c 'eval "$("$ACT" -s sh "$D")"; printf %s "$VIRTUAL_ENV_PROMPT" >"$MARK.p"; eval "$(deactivate)"' 2>/dev/null
		[ "$(cat "$MARK.p" 2>/dev/null)" = "$name" ] || fail "hostile-$i/$sh" "prompt [$(cat "$MARK.p" 2>/dev/null)]"
	done
	if have fish; then
		env -i PATH=/usr/bin:/bin LANG=C.UTF-8 MARK="$MARK" ACT="$ACT" D="$d" fish --no-config -c '$ACT -s fish $D | source; printf %s "$VIRTUAL_ENV_PROMPT" >$MARK.p' 2>/dev/null
		[ "$(cat "$MARK.p" 2>/dev/null)" = "$name" ] || fail "hostile-$i/fish" "prompt [$(cat "$MARK.p" 2>/dev/null)]"
	fi
	if have tcsh; then
		# csh re-parses a command substitution: the venv is found from the directory instead
		printf 'cd $H:q\neval "`$ACT -s csh`"\nprintf %%s "$VIRTUAL_ENV_PROMPT" >$MARK.p\n' >"$S/t.csh"
		env -i PATH=/usr/bin:/bin LANG=C.UTF-8 MARK="$MARK" ACT="$ACT" H="$S/hostile/$name" tcsh -f "$S/t.csh" 2>/dev/null
		[ "$(cat "$MARK.p" 2>/dev/null)" = "$name" ] || fail "hostile-$i/tcsh" "prompt [$(cat "$MARK.p" 2>/dev/null)]"
	fi
	[ ! -e "$MARK" ] && pass "hostile-$i/nothing-ran" || fail "hostile-$i/nothing-ran" "$name ran something"
done <<'HOSTILE'
$(touch $MARK)
`touch $MARK`
it's "quoted"
a;touch $MARK;b
bang!!x!$
back\slash\$\n
100%~ %d %{%B%}
*?[a-z]{x,y}
café 日本
(touch $MARK) {touch,$MARK}
${MARK+$(touch $MARK)}
HOSTILE
NH=$i

# ---- the eval'd code, drawn by interactive shells whose prompt options are turned on or off
# after activation (as themes and precmd hooks do): nothing runs, the prompt shows as it is
# SHELL|COMMAND|BEFORE|AFTER: BEFORE and AFTER on the line of the eval, before and after it
cat >"$S/prompt-variants" <<'EOF'
bash|bash --norc --noprofile -i|shopt -u promptvars|shopt -s promptvars
bash|bash --norc --noprofile -i|shopt -s promptvars|shopt -u promptvars
bash|bash --norc --noprofile -i|set +o posix|set -o posix
zsh|zsh -f -i|unsetopt promptsubst promptbang|setopt promptsubst promptbang
zsh|zsh -f -i|setopt promptsubst promptbang|unsetopt promptsubst promptbang
EOF
v=0
while IFS='|' read -r sh cmd before after; do
	v=$((v + 1))
	have "$sh" || { skip "drawn-$v" "$sh is not installed"; continue; }
	i=1
	{
		echo "PS1='<END> '"
		while [ $i -le "$NH" ]; do
			printf '%s; eval "$("$ACT" -s %s "$HD%d")"; %s\ntrue\ndeactivate\n' "$before" "$sh" $i "$after"
			i=$((i + 1))
		done
		echo exit
	} >"$S/drawn-$v.in"
	rm -f "$MARK"
	# shellcheck disable=SC2086
	env -u VIRTUAL_ENV -u VIRTUAL_ENV_PROMPT HOME="$S" TERM=dumb LANG=C.UTF-8 ACT="$ACT" MARK="$MARK" \
		$cmd <"$S/drawn-$v.in" >"$S/drawn-$v.out" 2>&1
	[ ! -e "$MARK" ] && pass "drawn-$v/nothing-ran" || fail "drawn-$v/nothing-ran" "$sh, $before, then $after: a prompt ran a command"
	i=1
	while [ $i -le "$NH" ]; do
		eval "p=\$HP$i"
		grep -qF -- "($p) <END>" "$S/drawn-$v.out" && pass "drawn-$v/$i" ||
			fail "drawn-$v/$i" "$sh, $before, then $after: no [($p) <END>] in: $(grep -aF '<END>' "$S/drawn-$v.out" | sed -n "$((i * 2)),$((i * 2 + 1))p" | head -c 300)"
		i=$((i + 1))
	done
done <"$S/prompt-variants"

# ---- on a terminal: $SHELL inside the venv; deactivate says exit leaves it
if command -v script >/dev/null; then
	printf 'echo "IN:$VIRTUAL_ENV:$VENVBOX_SUBSHELL"\n"$DEACT"; echo "DEACT:$?"\nexit 3\n' |
		DEACT="$DEACT" SHELL=/bin/sh script -qec "$ACT $V" /dev/null >"$S/tty.out" 2>&1
	st=$?
	grep -q "IN:$V:$V" "$S/tty.out" && pass subshell-env || fail subshell-env "$(cat "$S/tty.out")"
	grep -q 'type exit to leave it' "$S/tty.out" && grep -q 'DEACT:1' "$S/tty.out" && pass subshell-deactivate || fail subshell-deactivate "$(cat "$S/tty.out")"
	same subshell-status 3 "$st"
else
	skip subshell "script(1) is not installed"
fi

# the subshell's prompt shows the venv's prompt, literally, in bash and in POSIX shells
if command -v script >/dev/null; then
	"$MK" -q --without-pip -p "$PY" --prompt '$(touch $MARK) `touch $MARK`' "$S/hp"
	for sh in bash dash; do
		have "$sh" || continue
		rm -f "$MARK"
		printf 'exit 0\n' | env HOME="$S" MARK="$MARK" SHELL="$(command -v $sh)" script -qec "$ACT $S/hp" /dev/null >"$S/tty.$sh" 2>&1
		grep -q '($(touch $MARK) `touch $MARK`) ' "$S/tty.$sh" && [ ! -e "$MARK" ] &&
			pass "subshell-prompt-$sh" || fail "subshell-prompt-$sh" "$(tr -d '\r' <"$S/tty.$sh" | tail -3)"
	done
fi

# activation that fails prints code that fails: `eval "$(activate)" && pip ...` stops there
for sh in sh bash zsh fish tcsh; do
	command -v "$sh" >/dev/null || { skip "eval-failure-$sh" "$sh is not installed"; continue; }
	case $sh in
	fish) out=$(cd "$S" && fish -c 'eval (activate -s fish ./no-such-venv); and echo GO' 2>/dev/null) ;;
	tcsh) out=$(cd "$S" && tcsh -c 'eval "`activate -s csh ./no-such-venv`" && echo GO' 2>/dev/null) ;;
	*) out=$(cd "$S" && "$sh" -c 'eval "$(activate ./no-such-venv)" && echo GO' 2>/dev/null) ;;
	esac
	[ -z "$out" ] && pass "eval-failure-$sh" || fail "eval-failure-$sh" "went on: [$out]"
done
[ "$(cd "$S" && activate ./no-such-venv 2>/dev/null)" = false ] && pass eval-failure-code || fail eval-failure-code "stdout: [$(cd "$S" && activate ./no-such-venv 2>&1)]"
(cd "$S" && activate ./no-such-venv -- true) >"$S/cmdout" 2>/dev/null; [ ! -s "$S/cmdout" ] && pass failure-with-command-prints-no-code || fail failure-with-command-prints-no-code "$(cat "$S/cmdout")"
