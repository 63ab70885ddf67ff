# Activate.ps1: use this virtual environment in the current PowerShell session.
#     . bin/Activate.ps1 [-VenvDir DIR] [-Prompt TEXT]
# "deactivate" puts the session back as it was; "deactivate -NonDestructive" keeps the
# function. Written by venvbox. Values are quoted words made of ASCII only, and the prompt
# text is printed from a variable, never evaluated. What activation saves is kept where the
# Activate.ps1 of python -m venv keeps it (Env:_OLD_VIRTUAL_PATH, Env:_OLD_VIRTUAL_PYTHONHOME,
# Function:_OLD_VIRTUAL_PROMPT), so either deactivate undoes the other's activation.
[CmdletBinding()]
param(
    [String] $VenvDir = @VIRTUAL_ENV@,
    [String] $Prompt = @VIRTUAL_ENV_PROMPT@
)

# Where the venv is: -VenvDir, else where it was made, or, for a relocatable venv, the
# directory above the one this script is in now ($PSScriptRoot). Without a script file (the
# text given to Invoke-Expression), the path where it was made is used while a venv is still
# there; if none is, nothing is changed. Paths are handled as strings, never as wildcards.
if (@RELOCATABLE@ -and -not $PSBoundParameters.ContainsKey('VenvDir')) {
    $_venvbox_home = ''
    if ($PSScriptRoot) {
        $_venvbox_home = [System.IO.Path]::GetDirectoryName($PSScriptRoot)
    }
    if ($_venvbox_home -and (Test-Path -LiteralPath ([System.IO.Path]::Combine($_venvbox_home, 'pyvenv.cfg')) -PathType Leaf)) {
        $VenvDir = $_venvbox_home
    } elseif (-not (Test-Path -LiteralPath ([System.IO.Path]::Combine($VenvDir, 'pyvenv.cfg')) -PathType Leaf)) {
        Remove-Variable -Name _venvbox_home
        Write-Error -Message ("Activate.ps1: cannot tell where this venv is: the script file is unknown, and no venv is left in " + $VenvDir)
        return
    }
    Remove-Variable -Name _venvbox_home
    if ($VenvDir.Contains([System.IO.Path]::PathSeparator)) {
        Write-Error -Message ("Activate.ps1: " + $VenvDir + ": a venv path with the PATH separator cannot go on PATH")
        return
    }
}

# Leave the environment active in this session first, through its own function.
if (Test-Path -Path Function:deactivate) {
    deactivate -NonDestructive
}

function global:deactivate {
    param([Switch] $NonDestructive)

    if (Test-Path -Path Function:_OLD_VIRTUAL_PROMPT) {
        Set-Item -Path Function:global:prompt -Value $function:_OLD_VIRTUAL_PROMPT
        Remove-Item -Path Function:_OLD_VIRTUAL_PROMPT
    }
    if (Test-Path -Path Env:_OLD_VIRTUAL_PYTHONHOME) {
        $env:PYTHONHOME = $env:_OLD_VIRTUAL_PYTHONHOME
        Remove-Item -Path Env:_OLD_VIRTUAL_PYTHONHOME
    }
    if (Test-Path -Path Env:_OLD_VIRTUAL_PATH) {
        $env:PATH = $env:_OLD_VIRTUAL_PATH
        Remove-Item -Path Env:_OLD_VIRTUAL_PATH
    } elseif (Test-Path -Path Variable:global:_VENVBOX_NO_PATH) {
        Remove-Item -Path Env:PATH -ErrorAction SilentlyContinue
    }
    foreach ($name in 'VIRTUAL_ENV', 'VIRTUAL_ENV_PROMPT') {
        if (Test-Path -Path "Env:$name") {
            Remove-Item -Path "Env:$name"
        }
    }
    if (Test-Path -Path Variable:global:_VENVBOX_NO_PATH) {
        Remove-Variable -Name _VENVBOX_NO_PATH -Scope Global
    }
    if (-not $NonDestructive) {
        Remove-Item -Path Function:deactivate
    }
}

$env:VIRTUAL_ENV = $VenvDir
$env:VIRTUAL_ENV_PROMPT = $Prompt

if ($env:PATH) {
    $env:_OLD_VIRTUAL_PATH = $env:PATH
    $env:PATH = (Join-Path -Path $VenvDir -ChildPath @BIN_NAME@) +
        [System.IO.Path]::PathSeparator + $env:PATH
} else {
    # an unset PATH cannot be saved in Env:, so a flag says to remove it again
    $global:_VENVBOX_NO_PATH = $true
    $env:PATH = Join-Path -Path $VenvDir -ChildPath @BIN_NAME@
}

if (Test-Path -Path Env:PYTHONHOME) {
    $env:_OLD_VIRTUAL_PYTHONHOME = $env:PYTHONHOME
    Remove-Item -Path Env:PYTHONHOME
}

if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {
    # the current prompt is kept as a function, and called after the venv name
    if (Test-Path -Path Function:prompt) {
        Set-Item -Path Function:global:_OLD_VIRTUAL_PROMPT -Value $function:prompt
    } else {
        Set-Item -Path Function:global:_OLD_VIRTUAL_PROMPT -Value { 'PS ' + (Get-Location) + '> ' }
    }
    function global:prompt {
        Write-Host -NoNewline -ForegroundColor Green ('(' + $env:VIRTUAL_ENV_PROMPT + ') ')
        _OLD_VIRTUAL_PROMPT
    }
}
