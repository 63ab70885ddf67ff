# deactivate.sh: undoes an activation in the current shell, printed by venvbox's deactivate
# for eval "$(deactivate)" (sh, bash, zsh, ksh, mksh, yash, dash, busybox ash).
# A shell that sourced an activate script has its deactivate function (venvbox's, or
# python -m venv's), which puts back PATH, PYTHONHOME and the prompt exactly: it is called.
# A shell that only inherited an active venv (activate -- COMMAND, or the shell activate
# starts) gets PATH without the venv's bin, and PYTHONHOME back if activation saved it.
# Values are quoted words; nothing here is run through eval again.

# Only a shell function counts: a deactivate command on PATH is venvbox itself.
_VENVBOX_T=0
typeset -f deactivate >/dev/null 2>&1 || _VENVBOX_T=$?
case $_VENVBOX_T in
0) ;;
1) _VENVBOX_T=none ;;	# typeset works and found no such function
*)	# dash, busybox ash and posix yash have no typeset -f
	case $(LC_ALL=C type deactivate 2>/dev/null) in
	"deactivate is a function"*|"deactivate is a shell function"*|"deactivate: a function"*)
		_VENVBOX_T=0 ;;
	*) _VENVBOX_T=none ;;
	esac
	;;
esac
if [ "$_VENVBOX_T" = 0 ]; then
	unset _VENVBOX_T
	deactivate
elif [ "${VIRTUAL_ENV-}" = @VIRTUAL_ENV@ ]; then
	unset _VENVBOX_T
	if [ -n "${_OLD_VIRTUAL_PYTHONHOME+set}" ]; then
		PYTHONHOME=$_OLD_VIRTUAL_PYTHONHOME
		export PYTHONHOME
		unset _OLD_VIRTUAL_PYTHONHOME
	fi
	unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
	# PATH last: yash finds even "[" through PATH
	PATH=@PATH@
	export PATH
	hash -r 2>/dev/null || :
elif [ -n "${VIRTUAL_ENV+set}" ]; then
	unset _VENVBOX_T
	printf '%s\n' "deactivate: the active venv is now $VIRTUAL_ENV: nothing was changed" >&2
else
	unset _VENVBOX_T
fi
