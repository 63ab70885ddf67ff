#!/bin/sh
"true" '''\'
# A relocatable launcher: sh runs the python of the bin/ this file is in, wherever the venv
# is now; reached through a symbolic link, it is the directory the link leads to.
f=$0
n=0
while [ -h "$f" ] && [ $n -lt 40 ]; do
	case $f in
	*/*) ;;
	*) f=./$f ;;
	esac
	l=$(readlink -- "$f" && echo .) || break
	l=${l%?.}
	case $l in
	/*) f=$l ;;
	*) f=${f%/*}/$l ;;
	esac
	n=$((n + 1))
done
case $f in
*/*) d=${f%/*} ;;
*) d=. ;;
esac
[ -x "$d/python" ] || d=$(dirname -- "$0")
exec "$d/python" "$0" "$@"
'''
