# t_wheel_pip.sh: pip seeded by the built-in unpacker, for every CPython on the machine,
# from its own ensurepip wheel and from Debian's, then driven for real: --version, list,
# install --no-index, uninstall (which needs our RECORD to be right), python -m pip.
. "$TESTS/lib.sh"
S=$SCRATCH
MKW=/usr/bin/python3
[ -x "$MKW" ] || { skip all "no /usr/bin/python3 to build the test wheel"; exit 0; }

HELLO=$(hello_wheel "$S/wheels")

# drive NAME VENV MINOR: the real pip, in the venv mkvenv made
drive() {
	n=$1 v=$2 minor=$3
	for s in pip pip3 "pip3.$minor"; do
		[ -x "$v/bin/$s" ] || { fail "$n/bin-$s" "missing"; return; }
	done
	pass "$n/scripts"
	"$v/bin/pip" --version 2>&1 | grep -q "from $v/lib/python3.$minor/site-packages/pip " &&
		pass "$n/version" || fail "$n/version" "$("$v/bin/pip" --version 2>&1 | tail -2)"
	"$v/bin/python" -m pip --version >/dev/null 2>&1 && pass "$n/python-m-pip" || fail "$n/python-m-pip" "failed"
	"$v/bin/pip" list --disable-pip-version-check 2>/dev/null | grep -q '^pip ' && pass "$n/list" || fail "$n/list" "pip not listed"
	if "$v/bin/pip" install -q --no-index --disable-pip-version-check "$HELLO" >"$S/out" 2>&1 &&
		[ "$("$v/bin/hello")" = "hello from the wheel" ]; then
		pass "$n/install"
	else
		fail "$n/install" "$(tail -3 "$S/out")"
	fi
	"$v/bin/pip" uninstall -y -q hello >/dev/null 2>&1 && [ ! -e "$v/bin/hello" ] && pass "$n/uninstall-hello" || fail "$n/uninstall-hello" "failed"
	if "$v/bin/pip" uninstall -y pip >"$S/out" 2>&1 && [ ! -e "$v/bin/pip" ] && [ ! -e "$v/bin/pip3.$minor" ] &&
		! ls "$v/lib/python3.$minor/site-packages" | grep -q '^pip'; then
		pass "$n/uninstall-pip"
	else
		fail "$n/uninstall-pip" "$(tail -3 "$S/out"; ls "$v/bin")"
	fi
}

for py in $(pythons); do
	minor=$(py_minor "$py")
	case $py in /usr/bin/*) id=debian ;; *) id=${py%/bin/*}; id=${id##*/} ;; esac
	prefix=$("$py" -c 'import sys; print(sys.prefix)')
	bundled=$(ls "$prefix/lib/python3.$minor/ensurepip/_bundled/"pip-*.whl 2>/dev/null | head -n 1)
	if [ -n "$bundled" ]; then
		rm -rf "$S/b-$id"
		if mkvenv -q -p "$py" -w "$bundled" "$S/b-$id" 2>"$S/err"; then
			drive "$id-bundled" "$S/b-$id" "$minor"
		else
			fail "$id-bundled" "$(cat "$S/err")"
		fi
	else
		skip "$id-bundled" "no ensurepip wheel in $prefix"
	fi
	deb=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		skip "$id-debian-pip" "no /usr/share/python-wheels (python3-pip-whl)"
	elif [ "$minor" -lt 7 ] || [ "$minor" -gt 11 ]; then
		# Debian 12's pip 23.0.1 needs Python >= 3.7 and predates 3.12's removals
		skip "$id-debian-pip" "Debian's pip does not run on Python 3.$minor"
	else
		rm -rf "$S/d-$id"
		if mkvenv -q -p "$py" -w "$deb" "$S/d-$id" 2>"$S/err"; then
			drive "$id-debian" "$S/d-$id" "$minor"
		else
			fail "$id-debian" "$(cat "$S/err")"
		fi
	fi
	# the default: the newest pip whose Requires-Python accepts the interpreter, and
	# setuptools before 3.12, as ensurepip seeds
	rm -rf "$S/s-$id"
	if mkvenv -q -p "$py" "$S/s-$id" 2>"$S/err"; then
		"$S/s-$id/bin/python" -m pip --version >/dev/null 2>&1 && pass "$id-seeded" || fail "$id-seeded" "pip does not run"
		if [ "$minor" -lt 12 ]; then
			ls "$S/s-$id/lib/python3.$minor/site-packages" | grep -q '^setuptools-' &&
				pass "$id-setuptools" || fail "$id-setuptools" "not seeded"
		else
			ls "$S/s-$id/lib/python3.$minor/site-packages" | grep -q '^setuptools' &&
				fail "$id-no-setuptools" "seeded on 3.12+" || pass "$id-no-setuptools"
		fi
		[ -e "$S/s-$id/lib/python3.$minor/site-packages/"pip-*.dist-info/REQUESTED ] &&
			[ "$(cat "$S/s-$id/lib/python3.$minor/site-packages/"pip-*.dist-info/INSTALLER)" = venvbox ] &&
			pass "$id-installer-files" || fail "$id-installer-files" "INSTALLER/REQUESTED"
	else
		fail "$id-seeded" "$(cat "$S/err")"
	fi
done

# -w into an existing venv; --upgrade-deps replaces only with something newer
rm -rf "$S/w"
mkvenv -q --without-pip -p /usr/bin/python3 "$S/w" && mkvenv -q --without-pip -p /usr/bin/python3 -w "$HELLO" "$S/w" &&
	[ "$("$S/w/bin/hello")" = "hello from the wheel" ] && pass wheel-existing-venv || fail wheel-existing-venv "not installed"

# Requires-Python picks the seed: Python 3.6 cannot have Debian's pip 23 (>=3.7)
if [ -x /root/.pyenv/versions/3.6.15/bin/python ] && ls /usr/share/python-wheels/pip-*.whl >/dev/null 2>&1; then
	rm -rf "$S/r36"
	mkvenv -q -p /root/.pyenv/versions/3.6.15/bin/python "$S/r36" 2>"$S/err"
	v=$(ls "$S/r36/lib/python3.6/site-packages" | sed -n 's/^pip-\(.*\)\.dist-info$/\1/p')
	b=$(ls /root/.pyenv/versions/3.6.15/lib/python3.6/ensurepip/_bundled/ | sed -n 's/^pip-\([^-]*\)-.*/\1/p')
	same requires-python-picks "$b" "$v"
else
	skip requires-python-picks "needs pyenv's 3.6.15 and /usr/share/python-wheels"
fi

# --upgrade-deps: an older pip is replaced by the newest local one; the newest is kept
PY311=/root/.pyenv/versions/3.11.7/bin/python
DEBPIP=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
if [ -x "$PY311" ] && [ -n "$DEBPIP" ]; then
	rm -rf "$S/ud"
	mkvenv -q -p "$PY311" -w "$DEBPIP" "$S/ud"
	old=$(ls "$S/ud/lib/python3.11/site-packages" | grep '^pip-.*dist-info$')
	mkvenv -q -p "$PY311" --upgrade-deps "$S/ud" 2>"$S/err"
	new=$(ls "$S/ud/lib/python3.11/site-packages" | grep '^pip-.*dist-info$')
	bundled=$(ls /root/.pyenv/versions/3.11.7/lib/python3.11/ensurepip/_bundled/ | sed -n 's/^pip-\([^-]*\)-.*/pip-\1.dist-info/p')
	same upgrade-deps-replaces "$bundled" "$new"
	[ "$old" != "$new" ] && "$S/ud/bin/pip" --version >/dev/null 2>&1 && pass upgrade-deps-works || fail upgrade-deps-works "$old -> $new"
	"$S/ud/bin/pip" list --disable-pip-version-check 2>/dev/null | grep -c '^pip ' | grep -qx 1 && pass upgrade-deps-one-pip || fail upgrade-deps-one-pip "two pips"
	before=$(hashtree "$S/ud/lib" | cut -d' ' -f1,2,4-)
	mkvenv -q -p "$PY311" --upgrade-deps "$S/ud" 2>"$S/err"
	same upgrade-deps-newest-kept "$before" "$(hashtree "$S/ud/lib" | cut -d' ' -f1,2,4-)"
else
	skip upgrade-deps "needs pyenv's 3.11.7 and /usr/share/python-wheels"
fi
