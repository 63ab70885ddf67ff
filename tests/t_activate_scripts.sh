# t_activate_scripts.sh: the activation scripts mkvenv writes, sourced by real shells (sh,
# bash, zsh, ksh93, mksh, yash, dash, busybox ash, fish, tcsh; pwsh when present): what they
# set, that deactivate restores the environment exactly, and that hostile venv names and
# prompts never run a command, neither when sourced nor when an interactive shell draws
# its prompt, and are shown literally in that prompt.
. "$TESTS/lib.sh"
S=$SCRATCH
MK="$VBBIN/mkvenv"
MARK=$S/MARK			# created only if some text was run as a command
export MARK
mkdir -p "$S/home" "$S/h"

# ---- which shells there are (tests/lib.sh) ------------------------------------------------
find_shells
UTF8=$(locale -a 2>/dev/null | grep -i -m1 -E '^c\.utf-?8$')
[ -n "$UTF8" ] || UTF8=$(locale -a 2>/dev/null | grep -i -m1 -E 'utf-?8$')
[ -n "$UTF8" ] || UTF8=C.UTF-8

# ---- the venvs ------------------------------------------------------------------------------
V="$S/plain venv"
"$MK" -q --without-pip "$V" 2>"$S/mk.err" || fail mkvenv-plain "$(cat "$S/mk.err")"

# Hostile cases: "DIR<TAB>PROMPT"; an empty PROMPT means the default (the directory's name).
# $MARK in them names the marker file, so any evaluation of the text leaves it behind.
cat >"$S/cases" <<'EOF'
$(touch $MARK)	
`touch $MARK`	
it's "quoted" 'twice'	
a;touch $MARK;b&&touch $MARK|x	
bang!!x!$ !-1 ^a^b	
back\slash\w\$\n\\\[\e]0;t\a\]	
100%~ %d %% %{%B%} %$MARK	
*?[a-z]{x,y}~ ~root	
café ünï 日本 🐍	
  two  spaces 	
-n -e	
(touch $MARK) {touch,$MARK}	
${MARK?}$((1+1))${MARK+$(touch $MARK)}	
a'b\'c"d\"e\	
p15	$(touch $MARK)
p16	`touch $MARK`
p17	%{$(touch $MARK)%}%B!!%~%%
p18	\[\e]0;x\a\]\u@\h \$ $(touch $MARK)
p19	!! !$ ^old^new^ \!#
p20	‘smart’ “quotes” ‛‚„ $(touch $MARK)
p21	-x '$(touch $MARK)' "$(touch $MARK)" \'
p22	%$VIRTUAL_ENV %$MARK ^h ^[ \\ \ $PATH ${HOME} ~
d23 $(touch $MARK) '"!	p23 `touch $MARK` '"! ; %
EOF
N=0
while IFS='	' read -r dir prompt; do
	N=$((N + 1))
	d="$S/h/$dir"
	if [ -n "$prompt" ]; then
		set -- --prompt "$prompt"
	else
		set --
		prompt=$dir
	fi
	"$MK" -q --without-pip "$@" "$d" 2>"$S/mk.err" || fail "mkvenv-hostile-$N" "$(cat "$S/mk.err")"
	export "D$N=$d" "P$N=$prompt"
done <"$S/cases"
export N
[ -e "$MARK" ] && fail mkvenv-ran-something "creating the hostile venvs made $MARK"

# ---- what the files look like ---------------------------------------------------------------
check gitignore-content sh -c 'head -n 1 "$1/.gitignore" | grep -q "^# .*venvbox" &&
	[ "$(sed -n 2p "$1/.gitignore")" = "*" ] && [ "$(wc -l <"$1/.gitignore")" -eq 2 ]' sh "$V"
check no-placeholder-left sh -c '! grep -l "@[A-Z_][A-Z_]*@" "$1"/bin/activate* "$1"/bin/Activate.ps1' sh "$D9"
# the PowerShell script stays ASCII whatever the values (no byte can become a quote)
check ps1-ascii-only sh -c '[ "$(LC_ALL=C tr -d "\000-\177" <"$1/bin/Activate.ps1" | wc -c)" -eq 0 ]' sh "$D20"
check ps1-no-raw-smart-quote sh -c '! grep -q "‘\|’\|‚\|‛" "$1/bin/Activate.ps1"' sh "$D20"

# ---- values the shells cannot carry are refused at creation ------------------------------
mkdir -p "$S/rf"
refused() {	# refused NAME WHAT-IN-MESSAGE MKVENV-ARGS...: fails, names WHAT, creates nothing
	_n=$1 _w=$2; shift 2
	"$MK" -q --without-pip "$@" 2>"$S/ref.err"; _st=$?
	if [ $_st -ne 0 ] && grep -q "$_w" "$S/ref.err" && [ -z "$(ls -A "$S/rf")" ]; then
		pass "$_n"
	else
		fail "$_n" "status $_st: $(cat "$S/ref.err"); left: $(ls -A "$S/rf")"
	fi
	rm -rf "$S/rf" && mkdir "$S/rf"
}
refused refuse-newline-path "venv path" "$S/rf/a
b"
refused refuse-del-path "venv path" "$S/rf/a$(printf '\177')"
refused refuse-tab-prompt prompt --prompt "$(printf 'a\tb')" "$S/rf/v"
refused refuse-escape-prompt prompt --prompt "$(printf 'a\033[31mb')" "$S/rf/v"
refused refuse-bad-utf8-prompt prompt --prompt "$(printf 'a\377b')" "$S/rf/v"

# ---- function: source, check, re-source, deactivate, compare the environment -----------
# One driver per shell kind; each prints KEY=VALUE lines and writes env snapshots.
shell_helpers sh "$S/drive.sh"
cat >>"$S/drive.sh" <<'EOF'
set -eu
if [ -n "${BASH_VERSION-}" ]; then set -o pipefail; fi
case $MODE in
unset) unset PS1 PYTHONHOME ;;
set) PS1='$(touch $MARK) \w !x %~> '; PYTHONHOME='/no such/home'; export PYTHONHOME
	# zsh: activation adds its element to psvar after the user's, and deactivate removes it
	if [ -n "${ZSH_VERSION-}" ]; then eval 'psvar=(theirs "")'; fi ;;
empty) PS1=; PYTHONHOME=; export PYTHONHOME ;;
esac
snap >"$OUT.before"
ps1="${PS1+set}:${PS1-}"
. "$V/bin/activate"
echo "VIRTUAL_ENV=$VIRTUAL_ENV"
echo "VIRTUAL_ENV_PROMPT=$VIRTUAL_ENV_PROMPT"
echo "PATH1=${PATH%%:*}"
echo "PATHREST=${PATH#*:}"
echo "PYTHONHOME=${PYTHONHOME-(unset)}"
echo "python=$(command -v python)"
echo "prefix=$(python -c 'import sys; print(sys.prefix)')"
echo "helpers=$(command -v _venvbox_double _venvbox_prefix || :)"
p1=$PATH
. "$V/bin/activate"
echo "resourced=$([ "$PATH" = "$p1" ] && echo same || echo "differs: $PATH")"
deactivate nondestructive
echo "nondestructive=$(isfn && echo kept || echo gone)"
snap >"$OUT.nd"
VIRTUAL_ENV_DISABLE_PROMPT=1
. "$V/bin/activate"
echo "disabled=$([ "${PS1+set}:${PS1-}" = "$ps1" ] && echo same || echo "changed: ${PS1-}")"
deactivate
unset VIRTUAL_ENV_DISABLE_PROMPT
. "$V/bin/activate"
deactivate
echo "destroyed=$(isfn && echo kept || echo gone)"
snap >"$OUT.after"
echo "left=$(set | grep -E '^(_OLD_VIRTUAL|_VENVBOX|_venvbox)' | tr '\n' ' ' || :)"
EOF
shell_helpers fish "$S/drive.fish"
cat >>"$S/drive.fish" <<'EOF'
switch $MODE
case unset
	set -e PYTHONHOME
case set
	set -gx PYTHONHOME '/no such/home'
case empty
	set -gx PYTHONHOME ''
end
function fish_prompt; echo -n 'mine> '; end
snap >"$OUT.before"
source "$V/bin/activate.fish"
echo "VIRTUAL_ENV=$VIRTUAL_ENV"
echo "VIRTUAL_ENV_PROMPT=$VIRTUAL_ENV_PROMPT"
echo "PATH1=$PATH[1]"
echo "PATHREST="(string join : $PATH[2..-1])
if set -q PYTHONHOME; echo "PYTHONHOME=$PYTHONHOME"; else; echo "PYTHONHOME=(unset)"; end
echo "python="(command -v python)
echo "prefix="(python -c 'import sys; print(sys.prefix)')
echo "prompt=["(false; fish_prompt)"]"
set -l p1 "$PATH"
source "$V/bin/activate.fish"
if test "$PATH" = "$p1"; echo resourced=same; else; echo "resourced=differs: $PATH"; end
deactivate nondestructive
if functions -q deactivate; echo nondestructive=kept; else; echo nondestructive=gone; end
snap >"$OUT.nd"
set -gx VIRTUAL_ENV_DISABLE_PROMPT 1
source "$V/bin/activate.fish"
if test (fish_prompt) = 'mine> '; echo disabled=same; else; echo "disabled=changed"; end
deactivate
set -e VIRTUAL_ENV_DISABLE_PROMPT
source "$V/bin/activate.fish"
deactivate
if functions -q deactivate; echo destroyed=kept; else; echo destroyed=gone; end
snap >"$OUT.after"
set -l left (set -n | string match -r '^(_OLD_VIRTUAL|_VENVBOX|_venvbox).*') \
	(functions -a | string split , | string match -r '^_venvbox.*')
echo "left=$left"
EOF
# fish_prompt must see the $status of the user's last command: checked apart
cat >"$S/status.fish" <<'EOF'
function fish_prompt; echo -n "st=$status> "; end
source "$V/bin/activate.fish"
false
echo (fish_prompt)
EOF
shell_helpers csh "$S/drive.csh"
cat >>"$S/drive.csh" <<'EOF'
alias isalias 'set n = `alias deactivate | wc -c`'
if ("$MODE" == unset) unsetenv PYTHONHOME
if ("$MODE" == set) set prompt = '`touch $MARK` %~ \!x> '
if ("$MODE" == set) setenv PYTHONHOME '/no such/home'
if ("$MODE" == empty) set prompt = ''
if ("$MODE" == empty) setenv PYTHONHOME ''
(snap) >"$OUT.before"
source "$V/bin/activate.csh"
printf 'VIRTUAL_ENV=%s\n' "$VIRTUAL_ENV"
printf 'VIRTUAL_ENV_PROMPT=%s\n' "$VIRTUAL_ENV_PROMPT"
sh -c 'echo "PATH1=${PATH%%:*}"; echo "PATHREST=${PATH#*:}"'
if ($?PYTHONHOME) echo "PYTHONHOME=set"
if (! $?PYTHONHOME) echo "PYTHONHOME=(unset)"
printf 'python=%s\n' "`which python`"
python -c 'import sys; print("prefix=" + sys.prefix)'
if ($?prompt) eval 'printf "prompt=%s\n" "${prompt}"'
set p1 = "$PATH"
source "$V/bin/activate.csh"
if ("$PATH" == "$p1") echo resourced=same
if ("$PATH" != "$p1") echo resourced=differs
deactivate nondestructive
isalias
if ($n > 0) echo nondestructive=kept
if ($n == 0) echo nondestructive=gone
(snap) >"$OUT.nd"
setenv VIRTUAL_ENV_DISABLE_PROMPT 1
source "$V/bin/activate.csh"
(snap) >"$OUT.disabled"
deactivate
unsetenv VIRTUAL_ENV_DISABLE_PROMPT
source "$V/bin/activate.csh"
deactivate
isalias
if ($n > 0) echo destroyed=kept
if ($n == 0) echo destroyed=gone
(snap) >"$OUT.after"
printf 'left=%s\n' "`set | grep -E '^(_OLD_VIRTUAL|_VENVBOX|_venvbox)' | tr '\n' ' '`"
EOF

# check_drive SHELL MODE: run the driver, compare its report with what is wanted.
PATHX="$S/dir with space:$PATH"	# a PATH entry with a space must come back as it was
check_drive() {
	sh=$1 mode=$2 k=$(kind "$1") out="$S/out-$1-$2"
	rm -f "$out".*
	# shellcheck disable=SC2046 # runner gives a command and its options
	env -u VIRTUAL_ENV -u VIRTUAL_ENV_PROMPT -u VIRTUAL_ENV_DISABLE_PROMPT PATH="$PATHX" \
		MODE="$mode" OUT="$out" V="$V" HOME="$S/home" LANG="$UTF8" \
		$(runner "$sh") "$S/drive.$k" >"$out.report" 2>"$out.err"
	st=$?
	t="$sh/$mode"
	[ $st -eq 0 ] && [ ! -s "$out.err" ] && pass "$t/runs" ||
		fail "$t/runs" "status $st: $(head -c 600 "$out.err")"
	r() { sed -n "s/^$1=//p" "$out.report"; }
	same "$t/VIRTUAL_ENV" "$V" "$(r VIRTUAL_ENV)"
	same "$t/VIRTUAL_ENV_PROMPT" "plain venv" "$(r VIRTUAL_ENV_PROMPT)"
	same "$t/PATH-first" "$V/bin" "$(r PATH1)"
	same "$t/PATH-rest" "$PATHX" "$(r PATHREST)"
	same "$t/PYTHONHOME-unset" "(unset)" "$(r PYTHONHOME)"
	# ksh93 quotes what command -v prints
	same "$t/python-found" "$V/bin/python" "$(r python | sed "s/^'\(.*\)'\$/\1/")"
	same "$t/python-prefix" "$V" "$(r prefix)"
	same "$t/resource-no-dup" same "$(r resourced)"
	same "$t/nondestructive-keeps-function" kept "$(r nondestructive)"
	same "$t/deactivate-removes-function" gone "$(r destroyed)"
	same "$t/nothing-left" "left=" "$(grep '^left=' "$out.report" | tr -d ' ')"
	same "$t/helpers-gone" "" "$(r helpers)"
	same_files "$t/env-restored" "$out.before" "$out.after"
	same_files "$t/env-restored-nondestructive" "$out.before" "$out.nd"
	case $k in
	sh) same "$t/disable-prompt" same "$(r disabled)" ;;
	fish) same "$t/disable-prompt" same "$(r disabled)"
		same "$t/prompt-prefix" "[(plain venv) mine> ]" "$(r prompt)" ;;
	csh) # with the prompt disabled, only the venv variables and PATH differ
		grep -v -e '^VIRTUAL_ENV' -e '^PATH=' -e '^VIRTUAL_ENV_DISABLE_PROMPT=' -e '^PYTHONHOME=' \
			"$out.disabled" >"$out.d1"
		grep -v -e '^PATH=' -e '^PYTHONHOME=' "$out.before" >"$out.d2"
		same_files "$t/disable-prompt" "$out.d2" "$out.d1"
		[ "$mode" = set ] && same "$t/prompt-prefix" \
			'(%$VIRTUAL_ENV_PROMPT) `touch $MARK` %~ !x> ' "$(r prompt)" ;;
	esac
}
for sh in $SHELLS; do
	for mode in set unset empty; do
		check_drive "$sh" "$mode"
	done
done
case " $SHELLS " in
*" fish "*)
	same fish/prompt-keeps-status "st=1> " "$(V="$V" HOME="$S/home" fish --no-config "$S/status.fish" 2>&1 |
		sed 's/^(plain venv) //')" ;;
esac
# Switching venvs: each activation leaves the previous one through its own deactivate,
# whoever wrote it (ours, or python -m venv's); at the end PATH and the prompt are back.
cat >"$S/switch.sh" <<'EOF'
set -eu
if [ -n "${BASH_VERSION-}" ]; then set -o pipefail; fi
PS1='mine> '
. "$A/bin/activate"
. "$B/bin/activate"
printf '%s|%s|%s\n' "$VIRTUAL_ENV" "${PATH%%:*}" "${PATH#*:}"
deactivate
printf '%s|%s|%s\n' "${VIRTUAL_ENV-unset}" "$PATH" "$PS1"
EOF
cat >"$S/switch.fish" <<'EOF'
function fish_prompt; echo -n 'mine> '; end
source "$A/bin/activate.fish"
source "$B/bin/activate.fish"
printf '%s|%s|%s\n' "$VIRTUAL_ENV" $PATH[1] (string join : $PATH[2..-1])
deactivate
set -q VIRTUAL_ENV; or set -l VIRTUAL_ENV unset
printf '%s|%s|%s\n' $VIRTUAL_ENV "$PATH" (fish_prompt)
EOF
cat >"$S/switch.csh" <<'EOF'
set prompt = 'mine> '
source "$A/bin/activate.csh"
source "$B/bin/activate.csh"
printf '%s|' "$VIRTUAL_ENV"
sh -c 'printf "%s|%s\n" "${PATH%%:*}" "${PATH#*:}"'
deactivate
if (! $?VIRTUAL_ENV) setenv VIRTUAL_ENV unset
printf '%s|%s|%s\n' "$VIRTUAL_ENV" "$PATH" "$prompt"
EOF
switch() {	# switch NAME SHELL FIRST SECOND
	# shellcheck disable=SC2046
	out=$(env -u VIRTUAL_ENV PATH="$PATHX" A="$3" B="$4" HOME="$S/home" \
		$(runner "$2") "$S/switch.$(kind "$2")" 2>&1)
	same "$1" "$(printf '%s|%s|%s\nunset|%s|mine> ' "$4" "$4/bin" "$PATHX" "$PATHX")" "$out"
}
cpy=""
for py in $(pythons); do
	"$py" -c 'import venv, ensurepip' 2>/dev/null && cpy=$py && break
done
if [ -n "$cpy" ] && "$cpy" -m venv --without-pip "$S/cpython venv" 2>"$S/cpy.err"; then :; else
	cpy=""
	skip switch-python-venv "no Python with a working venv module: $(head -c 200 "$S/cpy.err" 2>/dev/null)"
fi
for sh in $SHELLS; do
	switch "$sh/switch-venv" "$sh" "$D1" "$V"
	if [ -n "$cpy" ]; then
		switch "$sh/switch-from-python-venv" "$sh" "$S/cpython venv" "$V"
		switch "$sh/switch-to-python-venv" "$sh" "$V" "$S/cpython venv"
	fi
done

# ---- hostile names and prompts, sourced ----------------------------------------------------
# Each case is sourced, then given to eval as text (as "eval \"$(activate ...)\"" would).
cat >"$S/hostile.sh" <<'EOF'
set -u
old=$PATH
probe() {	# probe CASE HOW: the state after activation, then after deactivate
	[ "${VIRTUAL_ENV-}" = "$d" ] || echo "bad $1 $2: VIRTUAL_ENV=[${VIRTUAL_ENV-}]"
	[ "${VIRTUAL_ENV_PROMPT-}" = "$p" ] || echo "bad $1 $2: VIRTUAL_ENV_PROMPT=[${VIRTUAL_ENV_PROMPT-}]"
	[ "$PATH" = "$d/bin:$old" ] || echo "bad $1 $2: PATH=[$PATH]"
	deactivate
	[ "$PATH" = "$old" ] || echo "bad $1 $2: PATH after deactivate=[$PATH]"
	[ -z "${VIRTUAL_ENV+x}" ] || echo "bad $1 $2: VIRTUAL_ENV left"
}
i=1
while [ "$i" -le "$N" ]; do
	eval "d=\$D$i p=\$P$i"
	. "$d/bin/activate"
	probe $i sourced
	eval "$(cat "$d/bin/activate")"
	probe $i eval
	echo "done $i"
	i=$((i + 1))
done
EOF
cat >"$S/hostile.fish" <<'EOF'
function fish_prompt; echo -n '<END> '; end
set -g old "$PATH"
function probe --argument-names i how d p
	test "$VIRTUAL_ENV" = "$d"; or echo "bad $i $how: VIRTUAL_ENV=[$VIRTUAL_ENV]"
	test "$VIRTUAL_ENV_PROMPT" = "$p"; or echo "bad $i $how: VIRTUAL_ENV_PROMPT=[$VIRTUAL_ENV_PROMPT]"
	test "$PATH" = "$d/bin:$old"; or echo "bad $i $how: PATH=[$PATH]"
	set -l shown (fish_prompt)
	test "$shown" = "($p) <END> "; or echo "bad $i $how: prompt=[$shown]"
	deactivate
	test "$PATH" = "$old"; or echo "bad $i $how: PATH after deactivate=[$PATH]"
	set -q VIRTUAL_ENV; and echo "bad $i $how: VIRTUAL_ENV left"
end
for i in (seq $N)
	set -l dn D$i
	set -l pn P$i
	set -l d $$dn
	set -l p $$pn
	source "$d/bin/activate.fish"
	probe $i sourced $d $p
	cat "$d/bin/activate.fish" | source
	probe $i piped $d $p
	echo "done $i"
end
EOF
# csh's eval gets the script as one line: comments and blank lines out, lines joined by ";"
mkdir -p "$S/joined"
i=1
while [ $i -le "$N" ]; do
	eval "d=\$D$i"
	grep -v -e '^#' -e '^$' "$d/bin/activate.csh" | tr '\n' ';' >"$S/joined/$i"
	i=$((i + 1))
done
cat >"$S/hostile.csh" <<'EOF'
set old = "$PATH"
cd "$S/joined"
alias probe 'if ("${VIRTUAL_ENV}" != "${d}") echo "bad $i $how"": VIRTUAL_ENV"; if ("${VIRTUAL_ENV_PROMPT}" != "${p}") echo "bad $i $how"": VIRTUAL_ENV_PROMPT"; if ("${PATH}" != "${d}/bin:${old}") echo "bad $i $how"": PATH"; deactivate; if ("${PATH}" != "${old}") echo "bad $i $how"": PATH after deactivate"; if ($?VIRTUAL_ENV) echo "bad $i $how"": VIRTUAL_ENV left"'
set i = 1
while ($i <= $N)
	eval 'set d = "${D'$i'}"'
	eval 'set p = "${P'$i'}"'
	source "${d}/bin/activate.csh"
	set how = sourced
	probe
	eval "`cat $i`"
	set how = eval
	probe
	echo "done $i"
	@ i++
end
EOF
# results are gathered per shell and case, then reported once per case with the prompt's
: >"$S/hostile-results"
note() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$S/hostile-results"; }	# SHELL CASE PROBLEM
for sh in $SHELLS; do
	k=$(kind "$sh")
	# shellcheck disable=SC2046
	env -u VIRTUAL_ENV -u VIRTUAL_ENV_PROMPT HOME="$S/home" LANG="$UTF8" MARK="$MARK-$sh" S="$S" \
		$(runner "$sh") "$S/hostile.$k" >"$S/hostile-$sh.out" 2>&1
	[ -e "$MARK-$sh" ] && note "$sh" all "sourcing ran a command: $MARK-$sh exists"
	i=1
	while [ $i -le "$N" ]; do
		grep -q "^done $i\$" "$S/hostile-$sh.out" || note "$sh" $i "sourcing stopped: $(grep -v '^done\|^bad' "$S/hostile-$sh.out" | head -c 300)"
		grep "^bad $i " "$S/hostile-$sh.out" | while read -r line; do note "$sh" $i "$line"; done
		i=$((i + 1))
	done
done

# ---- hostile names and prompts, drawn by interactive shells ---------------------------------
# Each session sets a known prompt, then for every case sources the script, lets the shell
# draw its prompt, and deactivates. The drawn prompt must show "(PROMPT) <END>" literally,
# whatever the options are when it is drawn: themes and hooks turn them on or off after
# activation, so some variants change them on the line that sources each case.
# VARIANT|SHELL-COMMAND|TTY|SETUP|BEFORE|AFTER|CHECK: TTY=1 runs it on a terminal made by
# script(1); SETUP runs once; BEFORE and AFTER on the line that sources each case, before and
# after it; CHECK "literal" wants the prompt shown as it is, "inert" only that nothing ran
# (where the shell then decodes escapes or shows the variable reference instead).
VARIANTS="
bash|bash --norc --noprofile -i|0|PS1='<END> '|||literal
bash-posix|bash --posix --norc --noprofile -i|0|PS1='<END> '|||literal
bash-nopromptvars|bash --norc --noprofile -i|0|shopt -u promptvars; PS1='<END> '|||literal
bash-promptvars-later|bash --norc --noprofile -i|0|PS1='<END> '|shopt -u promptvars|shopt -s promptvars|literal
bash-promptvars-off-later|bash --norc --noprofile -i|0|PS1='<END> '|shopt -s promptvars|shopt -u promptvars|literal
bash-posix-later|bash --norc --noprofile -i|0|PS1='<END> '|set +o posix|set -o posix|literal
bash-prompt-command|bash --norc --noprofile -i|0|PROMPT_COMMAND='shopt -s promptvars'; PS1='<END> '|shopt -u promptvars||literal
dash|dash -i|0|PS1='<END> '|||literal
zsh|zsh -f -i|0|PS1='<END> '|||literal
zsh-subst-bang|zsh -f -i|0|setopt promptsubst promptbang; PS1='<END> '|||literal
zsh-subst-later|zsh -f -i|0|PS1='<END> '|unsetopt promptsubst promptbang|setopt promptsubst promptbang|literal
zsh-subst-off-later|zsh -f -i|0|PS1='<END> '|setopt promptsubst promptbang|unsetopt promptsubst promptbang|literal
zsh-precmd|zsh -f -i|0|precmd() { setopt promptsubst promptbang; }; PS1='<END> '|unsetopt promptsubst promptbang||literal
zsh-ksharrays|zsh -f -i|0|setopt ksharrays; psvar=(theirs); PS1='<END> '|unsetopt promptsubst|setopt promptsubst|literal
zsh-emulate-sh|zsh --emulate sh -f -i|0|PS1='<END> '|||literal
zsh-emulate-sh-percent-later|zsh --emulate sh -f -i|0|PS1='<END> '|unsetopt promptpercent|setopt promptpercent|inert
zsh-emulate-sh-subst-off-later|zsh --emulate sh -f -i|0|PS1='<END> '|setopt promptsubst|unsetopt promptsubst|inert
ksh|ksh -i|0|PS1='<END> '|||literal
mksh|mksh -i|0|PS1='<END> '|||literal
yash|yash --norcfile -i|0|PS1='<END> '|||literal
yash-posix|yash --posix -i|0|PS1='<END> '|||literal
yash-posix-later|yash --norcfile -i|0|PS1='<END> '|set +o posix|set -o posix|inert
yash-posix-off-later|yash --posix -i|0|PS1='<END> '|set -o posix|set +o posix|inert
ash|busybox ash -i|1|PS1='<END> '|||literal
fish|fish --no-config -i|1|function fish_prompt; echo -n '<END> '; end|||literal
tcsh|tcsh -f -i|1|set prompt = '<END> '|||literal
"
have script || skip interactive-tty "script(1) is not installed: busybox ash, fish and tcsh prompts are not drawn"
echo "$VARIANTS" | while IFS='|' read -r var cmd tty setup before after want; do
	[ -n "$var" ] || continue
	base=${var%%-*}
	case " $SHELLS " in *" $base "*) ;; *) continue ;; esac
	[ "$tty" = 1 ] && ! have script && continue
	k=$(kind "$base")
	{
		printf '%s\n' "$setup"
		i=1
		while [ $i -le "$N" ]; do
			[ -n "$before" ] && printf '%s; ' "$before"
			case $k in
			sh) printf '. "$D%d/bin/activate"' $i ;;
			fish) printf 'source "$D%d/bin/activate.fish"' $i ;;
			csh) printf 'source "$D%d/bin/activate.csh"' $i ;;
			esac
			[ -n "$after" ] && printf '; %s' "$after"
			printf '\ntrue\ndeactivate\n'
			i=$((i + 1))
		done
		echo exit
	} >"$S/in-$var"
	set -- env -u VIRTUAL_ENV -u VIRTUAL_ENV_PROMPT -u ENV HOME="$S/home" TERM=dumb LANG="$UTF8" \
		MARK="$MARK-$var"
	have timeout && set -- timeout -k 5 60 "$@"	# a shell waiting for more input fails, not hangs
	if [ "$tty" = 1 ]; then
		# a wide terminal, so no line editor wraps a long prompt
		cat "$S/in-$var" | "$@" script -qec "stty cols 4000 2>/dev/null; exec $cmd" /dev/null >"$S/tty-$var" 2>&1
	else
		# a pipe, not a file: ksh93 draws no prompt when its input is a regular file
		# shellcheck disable=SC2086
		cat "$S/in-$var" | "$@" $cmd >"$S/tty-$var" 2>&1
	fi
	[ -e "$MARK-$var" ] && note "$var" all "a prompt or the sourcing ran a command: $MARK-$var exists"
	# the drawn text, without carriage returns and terminal escapes
	tr -d '\r' <"$S/tty-$var" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1b\][^\x07]*\x07//g' >"$S/drawn-$var"
	[ "$want" = literal ] || continue
	i=1
	while [ $i -le "$N" ]; do
		eval "p=\$P$i"
		grep -qF -- "($p) <END>" "$S/drawn-$var" ||
			note "$var" $i "drawn prompt lacks [($p) <END>]: $(grep -aF '<END>' "$S/drawn-$var" | sed -n "$((i * 2)),$((i * 2 + 1))p" | head -c 300)"
		i=$((i + 1))
	done
done

# ---- the report: one result per shell (or variant) and case ----------------------------
for var in $(printf '%s\n' $(echo "$VARIANTS" | cut -d'|' -f1) $SHELLS | sort -u); do
	base=${var%%-*}
	case " $SHELLS " in *" $base "*) ;; *) continue ;; esac
	i=1
	while [ $i -le "$N" ]; do
		why=$(awk -F'\t' -v s="$var" -v c="$i" '$1 == s && ($2 == c || $2 == "all") { print $3 }' "$S/hostile-results" | head -c 800)
		if [ -n "$why" ]; then fail "hostile/$var/$i" "$why"; else pass "hostile/$var/$i"; fi
		i=$((i + 1))
	done
done
ran=$(cd "$S" && ls -d MARK* 2>/dev/null | tr '\n' ' ')
[ -n "$ran" ] && fail no-command-ran "commands were run: $ran" || pass no-command-ran

# ---- PowerShell, when installed ------------------------------------------------------------
if have pwsh; then
	cat >"$S/hostile.ps1" <<'EOF'
$n = [int]$env:N
$old = $env:PATH
for ($i = 1; $i -le $n; $i++) {
    $d = [Environment]::GetEnvironmentVariable("D$i")
    $p = [Environment]::GetEnvironmentVariable("P$i")
    $script = Get-Content -LiteralPath (Join-Path $d 'bin/Activate.ps1') -Raw
    . ([ScriptBlock]::Create($script))
    if ($env:VIRTUAL_ENV -cne $d) { "bad $i VIRTUAL_ENV" }
    if ($env:VIRTUAL_ENV_PROMPT -cne $p) { "bad $i VIRTUAL_ENV_PROMPT" }
    if ($env:PATH -cne ((Join-Path $d 'bin') + [IO.Path]::PathSeparator + $old)) { "bad $i PATH" }
    $shown = (prompt 6>&1 | Out-String)
    if (-not $shown.Contains("($p) ")) { "bad $i prompt" }
    deactivate
    if ($env:PATH -cne $old) { "bad $i PATH after deactivate" }
    if (Test-Path Env:VIRTUAL_ENV) { "bad $i VIRTUAL_ENV left" }
    "done $i"
}
EOF
	env -u VIRTUAL_ENV HOME="$S/home" MARK="$MARK-pwsh" pwsh -NoProfile -NonInteractive -File "$S/hostile.ps1" >"$S/hostile-pwsh.out" 2>&1
	i=1
	while [ $i -le "$N" ]; do
		if grep -q "^done $i\$" "$S/hostile-pwsh.out" && ! grep -q "^bad $i " "$S/hostile-pwsh.out"; then
			pass "hostile/pwsh/$i"
		else
			fail "hostile/pwsh/$i" "$(grep "^bad $i \|rror" "$S/hostile-pwsh.out" | head -c 400)"
		fi
		i=$((i + 1))
	done
	[ -e "$MARK-pwsh" ] && fail pwsh-no-command-ran "$MARK-pwsh was created" || pass pwsh-no-command-ran
else
	skip pwsh "PowerShell (pwsh) is not installed: Activate.ps1 is checked only as text"
fi
