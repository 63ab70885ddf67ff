# deactivate.fish: undoes an activation in the current fish, printed by venvbox's deactivate
# for "deactivate -s fish | source".
# A fish that sourced activate.fish has its deactivate function (venvbox's, or python -m
# venv's), which puts back PATH, PYTHONHOME and the prompt exactly: it is called. A fish that
# only inherited an active venv (activate -- COMMAND, or the shell activate starts) gets
# PATH without the venv's bin, and PYTHONHOME back if activation saved it.
# Values are quoted words; nothing here is run through eval again.

# functions -q sees functions only, never the deactivate command on PATH (venvbox itself)
if functions -q deactivate
    deactivate
else if test "$VIRTUAL_ENV" = @VIRTUAL_ENV@
    if set -q _OLD_VIRTUAL_PYTHONHOME
        set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
        set -e _OLD_VIRTUAL_PYTHONHOME
    end
    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    set -gx PATH (string split -- : @PATH@)
else if set -q VIRTUAL_ENV
    printf '%s\n' "deactivate: the active venv is now $VIRTUAL_ENV: nothing was changed" >&2
end
