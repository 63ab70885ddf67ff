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

# The undoing, kept as text: run by the deactivate alias and, right below, to leave an
# environment already active in this shell (ours, or python -m venv's: same variables).
set _venvbox_undo = 'if ($?_OLD_VIRTUAL_PATH) eval '\''setenv PATH "${_OLD_VIRTUAL_PATH}"'\''; if ($?_venvbox_no_path) unsetenv PATH; if ($?_OLD_VIRTUAL_PYTHONHOME) eval '\''setenv PYTHONHOME "${_OLD_VIRTUAL_PYTHONHOME}"'\''; if ($?_OLD_VIRTUAL_PROMPT) eval '\''set prompt = "${_OLD_VIRTUAL_PROMPT}"'\''; rehash; unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT; unset _OLD_VIRTUAL_PATH _OLD_VIRTUAL_PYTHONHOME _OLD_VIRTUAL_PROMPT _venvbox_no_path'
eval "${_venvbox_undo}"
alias deactivate 'eval "${_venvbox_undo}"; if ("\!:*" != "nondestructive") unalias deactivate; if ("\!:*" != "nondestructive") unset _venvbox_undo'

setenv VIRTUAL_ENV @VIRTUAL_ENV@
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
