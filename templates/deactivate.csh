# deactivate.csh: undoes an activation in the current csh or tcsh, printed by venvbox's
# deactivate for: eval "`deactivate -s csh`"
# A shell that sourced activate.csh has its deactivate alias (venvbox's, or python -m venv's),
# which puts back PATH, PYTHONHOME and the prompt exactly: it is run. A shell that only
# inherited an active venv (activate -- COMMAND, or the shell activate starts) gets PATH
# without the venv's bin, and PYTHONHOME back if activation saved it.
# How it is written: comments aside, every line is one complete command, so the text works
# joined by ";" into the one line an eval of backquoted output gets; csh substitutes every
# variable of an "if (...) command" line before it tests, so a command that reads a variable
# that may be unset is wrapped in eval '...'. Values are quoted words.

# Only an alias counts: a deactivate command on PATH is venvbox itself.
set _venvbox_alias = `alias deactivate | wc -c`
set _venvbox_want = @VIRTUAL_ENV@
set _venvbox_mine = 0
if ($_venvbox_alias == 0 && $?VIRTUAL_ENV) eval 'if ("${VIRTUAL_ENV}" == "${_venvbox_want}") set _venvbox_mine = 1'
if ($_venvbox_alias == 0 && $?VIRTUAL_ENV && $_venvbox_mine == 0) eval 'echo "deactivate: the active venv is now ${VIRTUAL_ENV}: nothing was changed" > /dev/stderr'
if ($_venvbox_mine && $?_OLD_VIRTUAL_PYTHONHOME) eval 'setenv PYTHONHOME "${_OLD_VIRTUAL_PYTHONHOME}"; unset _OLD_VIRTUAL_PYTHONHOME; unsetenv _OLD_VIRTUAL_PYTHONHOME'
if ($_venvbox_mine) unsetenv VIRTUAL_ENV
if ($_venvbox_mine) unsetenv VIRTUAL_ENV_PROMPT
if ($_venvbox_mine) setenv PATH @PATH@
if ($_venvbox_mine) rehash
unset _venvbox_want _venvbox_mine
if ($_venvbox_alias > 0) eval 'unset _venvbox_alias; deactivate'
if ($?_venvbox_alias) unset _venvbox_alias
