# activate.fish: use this virtual environment in the current fish. Source it, do not run it:
#     source bin/activate.fish
# "deactivate" puts the shell back as it was; "deactivate nondestructive" keeps the function.
# Written by venvbox. Values are quoted words; the prompt prefix is printed from a variable
# by printf, so the prompt text is never evaluated. The saved PATH, PYTHONHOME and prompt
# go by the names python -m venv's activate.fish uses, so either deactivate undoes the other.

# Where the venv is: where it was made, or, for a relocatable venv, the directory above the
# one this file is in now (fish names the file it sources). If that cannot be known (the
# text came through a pipe), the path where it was made is used while a venv is still
# there; if none is, nothing is changed and the status is 1.
set -l _venvbox_home @VIRTUAL_ENV@
if test -n @RELOCATABLE@
    set -l _venvbox_file (status --current-filename)
    set -l _venvbox_real
    if test -f "$_venvbox_file"
        # the file itself, links and relative parts resolved; one line or nothing
        set _venvbox_real (builtin realpath -- "$_venvbox_file" 2>/dev/null)
    end
    set -l _venvbox_dir (string replace -r '/[^/]*/[^/]*$' '' -- "$_venvbox_real")
    if test (count $_venvbox_real) -eq 1
        and test -f "$_venvbox_dir/pyvenv.cfg"
        and test "$_venvbox_real" = "$_venvbox_dir/"@BIN_NAME@/activate.fish
        set _venvbox_home "$_venvbox_dir"
    else if not test -f "$_venvbox_home/pyvenv.cfg"; or not test -f "$_venvbox_home/"@BIN_NAME@/activate.fish
        printf '%s\n' "activate.fish: cannot tell where this venv is: the file being sourced is unknown, and no venv is left in $_venvbox_home" \
            'activate.fish: source bin/activate.fish from the venv, or use: activate -s fish DIR | source' >&2
        return 1
    end
    if string match -q -- '*:*' "$_venvbox_home"
        printf '%s\n' "activate.fish: $_venvbox_home: a venv path with a colon cannot go on PATH" >&2
        return 1
    end
end

# Leave the environment active in this shell first, through its own function (ours, or
# python -m venv's) before ours replaces it; not a deactivate command found on PATH.
if functions -q deactivate
    deactivate nondestructive
end

function deactivate --description 'Leave the virtual environment'
    if set -q _VENVBOX_ACTIVE
        if set -q _OLD_VIRTUAL_PATH
            set -gx PATH $_OLD_VIRTUAL_PATH
        else
            set -e PATH
        end
        if set -q _OLD_VIRTUAL_PYTHONHOME
            set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
        end
        if test -n "$_OLD_FISH_PROMPT_OVERRIDE"
            functions -e fish_prompt
            if functions -q _old_fish_prompt
                functions -c _old_fish_prompt fish_prompt
                functions -e _old_fish_prompt
            end
            functions -e _venvbox_status
        end
    end
    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    set -e _VENVBOX_ACTIVE
    set -e _OLD_FISH_PROMPT_OVERRIDE
    set -e _OLD_VIRTUAL_PATH
    set -e _OLD_VIRTUAL_PYTHONHOME
    if test "$argv[1]" != nondestructive
        functions -e deactivate
    end
end

set -gx VIRTUAL_ENV $_venvbox_home
set -gx VIRTUAL_ENV_PROMPT @VIRTUAL_ENV_PROMPT@
set -g _VENVBOX_ACTIVE 1

if set -q PATH
    set -g _OLD_VIRTUAL_PATH $PATH
end
set -gx PATH "$VIRTUAL_ENV/"@BIN_NAME@ $PATH

if set -q PYTHONHOME
    set -g _OLD_VIRTUAL_PYTHONHOME $PYTHONHOME
    set -e PYTHONHOME
end

if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
    set -g _OLD_FISH_PROMPT_OVERRIDE "$VIRTUAL_ENV"
    functions -e _old_fish_prompt
    if functions -q fish_prompt
        functions -c fish_prompt _old_fish_prompt
        functions -e fish_prompt
    end

    # returns its argument: gives the original prompt the $status the user left
    function _venvbox_status
        return $argv[1]
    end

    function fish_prompt --description 'The prompt, after the virtual environment name'
        set -l last_status $status
        printf '(%s) ' "$VIRTUAL_ENV_PROMPT"
        if functions -q _old_fish_prompt
            _venvbox_status $last_status
            _old_fish_prompt
        end
    end
end
