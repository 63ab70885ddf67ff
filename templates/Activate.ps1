# Activate.ps1: use this virtual environment in the current PowerShell session.
#     . bin/Activate.ps1 [-VenvDir DIR] [-Prompt TEXT]
# "deactivate" puts the session back as it was; "deactivate -NonDestructive" keeps the
# function. Written by venvbox. Values are quoted words made of ASCII only, and the prompt
# text is printed from a variable, never evaluated.
[CmdletBinding()]
param(
    [String] $VenvDir = @VIRTUAL_ENV@,
    [String] $Prompt = @VIRTUAL_ENV_PROMPT@
)

# Leave the environment active in this session first, through its own function.
if (Test-Path -Path Function:deactivate) {
    deactivate -NonDestructive
}

function global:deactivate {
    param([Switch] $NonDestructive)

    if (Test-Path -Path Variable:global:_VENVBOX_ACTIVE) {
        # assigning $null removes the variable, so an unset PATH comes back unset
        $env:PATH = $global:_OLD_VIRTUAL_PATH
        if (Test-Path -Path Variable:global:_OLD_VIRTUAL_PYTHONHOME) {
            $env:PYTHONHOME = $global:_OLD_VIRTUAL_PYTHONHOME
        }
        if (Test-Path -Path Variable:global:_OLD_VIRTUAL_PROMPT) {
            Set-Item -Path Function:global:prompt -Value $global:_OLD_VIRTUAL_PROMPT
        }
    }
    foreach ($name in 'VIRTUAL_ENV', 'VIRTUAL_ENV_PROMPT') {
        if (Test-Path -Path "Env:$name") {
            Remove-Item -Path "Env:$name"
        }
    }
    foreach ($name in '_VENVBOX_ACTIVE', '_OLD_VIRTUAL_PATH', '_OLD_VIRTUAL_PYTHONHOME',
                      '_OLD_VIRTUAL_PROMPT') {
        if (Test-Path -Path "Variable:global:$name") {
            Remove-Variable -Name $name -Scope Global
        }
    }
    if (-not $NonDestructive) {
        Remove-Item -Path Function:deactivate
    }
}

$env:VIRTUAL_ENV = $VenvDir
$env:VIRTUAL_ENV_PROMPT = $Prompt
$global:_VENVBOX_ACTIVE = $true

$global:_OLD_VIRTUAL_PATH = $env:PATH
$venvBin = Join-Path -Path $VenvDir -ChildPath @BIN_NAME@
if ($env:PATH) {
    $env:PATH = $venvBin + [System.IO.Path]::PathSeparator + $env:PATH
} else {
    $env:PATH = $venvBin
}

if (Test-Path -Path Env:PYTHONHOME) {
    $global:_OLD_VIRTUAL_PYTHONHOME = $env:PYTHONHOME
    Remove-Item -Path Env:PYTHONHOME
}

if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {
    # the current prompt, kept as a script block, is called after the venv name
    $global:_OLD_VIRTUAL_PROMPT = $function:prompt
    function global:prompt {
        Write-Host -NoNewline -ForegroundColor Green ('(' + $env:VIRTUAL_ENV_PROMPT + ') ')
        if ($global:_OLD_VIRTUAL_PROMPT) {
            & $global:_OLD_VIRTUAL_PROMPT
        } else {
            'PS ' + (Get-Location) + '> '
        }
    }
}
