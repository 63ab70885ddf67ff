# deactivate.ps1: undoes an activation in the current PowerShell session, printed by
# venvbox's deactivate for: deactivate -s pwsh | Out-String | Invoke-Expression
# A session that ran Activate.ps1 has its deactivate function (venvbox's, or python -m
# venv's), which puts back PATH, PYTHONHOME and the prompt exactly: it is called. A session
# that only inherited an active venv (activate -- COMMAND, or the shell activate starts) gets
# PATH without the venv's bin, and PYTHONHOME back if activation saved it.
# Values are quoted words made of ASCII only.

# Function: holds functions only, never the deactivate command on PATH (venvbox itself).
if (Test-Path -Path Function:deactivate) {
    deactivate
} elseif ($env:VIRTUAL_ENV -ceq @VIRTUAL_ENV@) {
    if (Test-Path -Path Env:_OLD_VIRTUAL_PYTHONHOME) {
        $env:PYTHONHOME = $env:_OLD_VIRTUAL_PYTHONHOME
        Remove-Item -Path Env:_OLD_VIRTUAL_PYTHONHOME
    }
    foreach ($_venvbox_name in 'VIRTUAL_ENV', 'VIRTUAL_ENV_PROMPT') {
        if (Test-Path -Path "Env:$_venvbox_name") {
            Remove-Item -Path "Env:$_venvbox_name"
        }
    }
    Remove-Variable -Name _venvbox_name
    $env:PATH = @PATH@
} elseif (Test-Path -Path Env:VIRTUAL_ENV) {
    Write-Error -Message ("deactivate: the active venv is now " + $env:VIRTUAL_ENV + ": nothing was changed")
}
