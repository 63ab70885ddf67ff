# activate.csh: use this virtual environment in the current csh or tcsh. Source it, do not
# run it:    source bin/activate.csh
# The alias "deactivate" puts the shell back as it was; "deactivate nondestructive" keeps it.
# Written by venvbox. Values are quoted words, and tcsh reads the prompt text through
# %$VIRTUAL_ENV_PROMPT when it draws the prompt, so no percent escape, history mark or
# backslash in it is decoded.
# How it is written: csh substitutes every variable of an "if (...) command" line before it
# tests, so a command that reads a variable that may be unset is wrapped in eval '...'.
# Comments aside, every line is one complete command and no alias is used where it is
# defined, so the text also works joined by ";" into the one line of an eval.

# Where the venv is: where it was made, or, for a relocatable venv, the directory above the
# one this file is in now. csh does not name the file it sources (tcsh's $_ holds the typed
# line, unexpanded, and only in an interactive shell), so sh finds it among the files this
# shell has open in /proc (Linux). Failing that, the path where the venv was made is used
# while a venv is still there; if none is, nothing is changed and the status is 1.
# The sh text is a csh variable holding a quoted word: substituted into the command of the
# backquotes, it is parsed there as one argument, and its $ are sh's.
set _venvbox_home = @VIRTUAL_ENV@
set _venvbox_sh = "'"'h= n=0 p=$PPID; if [ "/proc/$p/cwd" -ef . ]; then for f in "/proc/$p/fd/"*; do [ -f "$f" ] || continue; l=$(readlink -- "$f" 2>/dev/null && echo .) || continue; l=${l%?.}; case $l in */activate.csh) ;; *) continue ;; esac; d=${l%/*}; d=${d%/*}; [ -f "$d/pyvenv.cfg" ] && [ "$l" -ef "$d/bin/activate.csh" ] || continue; [ -z "$h" ] || [ "$h" = "$d" ] || n=2; h=$d; done; fi; [ $n = 0 ] || h=; if [ -z "$h" ]; then h=$_VENVBOX_HOME; [ -f "$h/pyvenv.cfg" ] && [ -f "$h/bin/activate.csh" ] || { printf "%s\n" "activate.csh: cannot tell where this venv is: the file being sourced is unknown, and no venv is left in $h" >&2; printf "activate.csh: source bin/activate.csh from tcsh on Linux, or use: eval \"\140activate -s csh DIR\140\"\n" >&2; exit 1; }; fi; case $h in *:*|*[[:cntrl:]]*) printf "%s\n" "activate.csh: $h: a venv path with a colon or a control character cannot go on PATH" >&2; exit 1 ;; esac; printf "%s\n" "$h"'"'"
if (@RELOCATABLE@ != "") setenv _VENVBOX_HOME "${_venvbox_home}"
if (@RELOCATABLE@ != "") set _venvbox_home = "`sh -c $_venvbox_sh sh`"
if (@RELOCATABLE@ != "") unsetenv _VENVBOX_HOME
unset _venvbox_sh
if ("${_venvbox_home}" == "") unset _venvbox_home
if (! $?_venvbox_home) set _venvbox_failed
if ($?_venvbox_failed) goto venvbox_stop
# Reached from there only in an eval, where goto does not jump: the second line then stops
# the rest with an error.
if ($?_venvbox_failed) unset _venvbox_failed
set _venvbox_home = "${_venvbox_home}"

# The undoing, kept as text: run by the deactivate alias and, right below, to leave an
# environment already active in this shell (ours, or python -m venv's: same variables).
set _venvbox_undo = 'if ($?_OLD_VIRTUAL_PATH) eval '\''setenv PATH "${_OLD_VIRTUAL_PATH}"'\''; if ($?_venvbox_no_path) unsetenv PATH; if ($?_OLD_VIRTUAL_PYTHONHOME) eval '\''setenv PYTHONHOME "${_OLD_VIRTUAL_PYTHONHOME}"'\''; if ($?_OLD_VIRTUAL_PROMPT) eval '\''set prompt = "${_OLD_VIRTUAL_PROMPT}"'\''; rehash; unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT; unset _OLD_VIRTUAL_PATH _OLD_VIRTUAL_PYTHONHOME _OLD_VIRTUAL_PROMPT _venvbox_no_path'
eval "${_venvbox_undo}"
alias deactivate 'eval "${_venvbox_undo}"; if ("\!:*" != "nondestructive") unalias deactivate; if ("\!:*" != "nondestructive") unset _venvbox_undo'

setenv VIRTUAL_ENV "${_venvbox_home}"
setenv VIRTUAL_ENV_PROMPT @VIRTUAL_ENV_PROMPT@

set _venvbox_path = "${VIRTUAL_ENV}/"@BIN_NAME@
if ($?PATH) eval 'set _OLD_VIRTUAL_PATH = "${PATH}"'
if ($?PATH) eval 'if ("${PATH}" != "") set _venvbox_path = "${_venvbox_path}:${PATH}"'
if (! $?PATH) set _venvbox_no_path = 1
setenv PATH "${_venvbox_path}"
unset _venvbox_path

if ($?PYTHONHOME) eval 'set _OLD_VIRTUAL_PYTHONHOME = "${PYTHONHOME}"'
unsetenv PYTHONHOME

set _venvbox_show = 0
if ($?prompt) set _venvbox_show = 1
if ($?VIRTUAL_ENV_DISABLE_PROMPT) eval 'if ("${VIRTUAL_ENV_DISABLE_PROMPT}" != "") set _venvbox_show = 0'
set _venvbox_prefix = '(%$VIRTUAL_ENV_PROMPT) '
if (! $?tcsh) set _venvbox_prefix = "(${VIRTUAL_ENV_PROMPT}) "
if ($_venvbox_show) eval 'set _OLD_VIRTUAL_PROMPT = "${prompt}"; set prompt = "${_venvbox_prefix}${prompt}"'
unset _venvbox_show _venvbox_prefix

rehash
unset _venvbox_home

# Here from the goto above when the venv was not found: the status is then 1.
venvbox_stop:
if ($?_venvbox_failed) eval 'unset _venvbox_failed; (exit 1)'
