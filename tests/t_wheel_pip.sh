# t_wheel_pip.sh: pip seeded by the built-in unpacker, for every CPython on the machine,
# from its own ensurepip wheel and from Debian's, then driven for real: --version, list,
# install --no-index, uninstall (which needs our RECORD to be right), python -m pip.
. "$TESTS/lib.sh"
S=$SCRATCH
MKW=/usr/bin/python3
[ -x "$MKW" ] || { skip all "no /usr/bin/python3 to build the test wheel"; exit 0; }

HELLO=$(hello_wheel "$S/wheels")

# py_id PY: a short name for an interpreter in test names: "debian", or pyenv's version
py_id() { case $1 in /usr/bin/*) echo debian ;; *) _i=${1%/bin/*}; echo "${_i##*/}" ;; esac; }
# newer_or_same A B: version A >= B
newer_or_same() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ]; }
# Debian's pip wheel: its version and the lowest Python 3 minor its Requires-Python admits
deb_ver="" deb_min=99
deb=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
if [ -n "$deb" ]; then
	deb_ver=${deb##*/pip-}; deb_ver=${deb_ver%%-*}
	deb_min=$("$MKW" - "$deb" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
m = re.search(r"^Requires-Python: *>= *3\.(\d+)", z.read(meta).decode(), re.M)
print(m.group(1) if m else 0)
PY
)
fi

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
	id=$(py_id "$py")
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
	elif [ "$minor" -lt "$deb_min" ] || { [ "$minor" -ge 12 ] && ! newer_or_same "$deb_ver" 23.2; }; then
		# below its Requires-Python, or a pip before 23.2 (3.12 removed what it imports)
		skip "$id-debian-pip" "Debian's pip $deb_ver does not run on Python 3.$minor"
	else
		rm -rf "$S/d-$id"
		if mkvenv -q -p "$py" -w "$deb" "$S/d-$id" 2>"$S/err"; then
			drive "$id-debian" "$S/d-$id" "$minor"
		else
			fail "$id-debian" "$(cat "$S/err")"
		fi
	fi
	# the default: pip, and setuptools before 3.12, as ensurepip seeds (compared below)
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

# The seeds are those of `python -m venv` of the same interpreter: its own bundle first, Debian's
# wheels for Debian's python3 (which has no bundle). Compared: the distributions in
# site-packages, the names and modes in bin/ (pip's installer's names for the launchers), and
# the one-line message naming them. The launchers are venvbox's own: `#!VENV/bin/python`.
for py in $(pythons); do
	minor=$(py_minor "$py")
	id=$(py_id "$py")
	ref=$S/ref-$id vb=$S/s-$id
	rm -rf "$ref"
	if ! "$py" -m venv "$ref" >"$S/out" 2>&1; then
		skip "$id-seeds-as-venv" "python -m venv fails here: $(tail -1 "$S/out")"
		continue
	fi
	dists() { ls "$1/lib/python3.$minor/site-packages" | grep '\.dist-info$'; }
	same "$id-seeds-as-venv" "$(dists "$ref")" "$(dists "$vb")"
	bins() { (cd "$1/bin" && stat -c '%n %a %F' -- *); }
	same "$id-bin-as-venv" "$(bins "$ref")" "$(bins "$vb")"
	same "$id-pip-shebang" "#!$vb/bin/python" "$(head -n 1 "$vb/bin/pip")"
	rm -rf "$vb"
	mkvenv -p "$py" "$vb" 2>"$S/err"
	want=$(dists "$ref" | sed 's/\.dist-info$//; s/-\([^-]*\)$/ \1/' | paste -sd, - | sed 's/,/, /g')
	case $(cat "$S/err") in
	"mkvenv: created $vb with Python "*" and $want; activate with: "*) pass "$id-seeds-said" ;;
	*) fail "$id-seeds-said" "wanted [$want] in [$(cat "$S/err")]" ;;
	esac
done

# The issue's case: a pyenv interpreter with setuptools in its bundle builds a setup.py project
# with `pip wheel --no-build-isolation` (Debian's setuptools, patched for Debian's layout, cannot)
WHL=$(ls /usr/share/python-wheels/wheel-*.whl 2>/dev/null | tail -n 1)
mkdir -p "$S/proj" && printf 'from setuptools import setup\nsetup(name="tiny", version="1.0", py_modules=["tiny"])\n' >"$S/proj/setup.py" &&
	echo 'X = 1' >"$S/proj/tiny.py"
n=0
for d in $(pyenv_pythons | awk '$1 ~ /^3\.([7-9]|1[01])$/ { print $2 }'); do
	m=$(py_minor "$d/bin/python")
	ls "$d/lib/python3.$m/ensurepip/_bundled/"setuptools-*.whl >/dev/null 2>&1 && [ -n "$WHL" ] || continue
	id=${d##*/} n=$((n + 1))
	rm -rf "$S/nb-$id" "$S/proj/build" "$S/proj/"*.egg-info "$S/wh-$id"
	if mkvenv -q -p "$d/bin/python" -w "$WHL" "$S/nb-$id" 2>"$S/err" &&
		(cd "$S/proj" && "$S/nb-$id/bin/pip" wheel -q --no-build-isolation --no-deps --no-index \
			--disable-pip-version-check -w "$S/wh-$id" .) >"$S/out" 2>&1 &&
		[ -f "$S/wh-$id/tiny-1.0-py3-none-any.whl" ]; then
		pass "$id-pip-wheel-no-build-isolation"
	else
		fail "$id-pip-wheel-no-build-isolation" "$(cat "$S/err"; grep -i -m 3 -e error -e install_layout "$S/out")"
	fi
done
[ $n -gt 0 ] || skip pip-wheel-no-build-isolation "needs a pyenv CPython 3.7-3.11 with setuptools bundled, and /usr/share/python-wheels/wheel-*.whl"

# -w into an existing venv; --upgrade-deps replaces only with something newer
rm -rf "$S/w"
mkvenv -q --without-pip -p /usr/bin/python3 "$S/w" && mkvenv -q --without-pip -p /usr/bin/python3 -w "$HELLO" "$S/w" &&
	[ "$("$S/w/bin/hello")" = "hello from the wheel" ] && pass wheel-existing-venv || fail wheel-existing-venv "not installed"

# Requires-Python picks the seed: Python 3.6 cannot have Debian's pip (>=3.7), nor the current
# pip of the tools venv, offered beside its own bundle
P36=$(pyenv_prefix 3.6)
if [ -n "$P36" ] && ls /usr/share/python-wheels/pip-*.whl >/dev/null 2>&1; then
	rm -rf "$S/r36"
	mkvenv -q -p "$P36/bin/python" $([ -d "$TOOLS/wheels" ] && echo --find-links "$TOOLS/wheels") "$S/r36" 2>"$S/err"
	v=$(ls "$S/r36/lib/python3.6/site-packages" | sed -n 's/^pip-\(.*\)\.dist-info$/\1/p')
	b=$(ls "$P36/lib/python3.6/ensurepip/_bundled/" | sed -n 's/^pip-\([^-]*\)-.*/\1/p')
	same requires-python-picks "$b" "$v"
else
	skip requires-python-picks "needs a pyenv CPython 3.6 and /usr/share/python-wheels"
fi

# The current pip and setuptools (tests/seed-wheels.txt) seeded with --find-links into every
# interpreter their Requires-Python admits, and driven like the others
if need_tools current-pip; then
	cur=$(ls "$TOOLS/wheels/"pip-*.whl | head -n 1) curv=${cur##*/pip-}; curv=${curv%%-*}
	for py in $(pythons); do
		minor=$(py_minor "$py")
		id=$(py_id "$py")
		"$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || continue
		rm -rf "$S/c-$id"
		if mkvenv -q -p "$py" --find-links "$TOOLS/wheels" "$S/c-$id" 2>"$S/err" &&
			[ -d "$S/c-$id/lib/python3.$minor/site-packages/pip-$curv.dist-info" ]; then
			drive "$id-current" "$S/c-$id" "$minor"
		else
			fail "$id-current" "pip $curv not seeded: $(cat "$S/err"; ls "$S/c-$id/lib/python3.$minor/site-packages" 2>&1)"
		fi
	done
fi

# --upgrade-deps: an older pip is replaced by the newest local one; the newest is kept
# (an interpreter whose bundled pip is newer than Debian's wheel, and that runs both)
DEBPIP=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
debv=${DEBPIP##*/pip-}; debv=${debv%%-*} PY311="" M=""
for d in $(pyenv_pythons | awk '$1 ~ /^3\.([7-9]|1[01])$/ { print $2 }'); do
	m=${d##*/}; m=${m%.*}
	bv=$(ls "$d/lib/python$m/ensurepip/_bundled/" 2>/dev/null | sed -n 's/^pip-\([^-]*\)-.*/\1/p')
	[ -n "$bv" ] && [ -n "$debv" ] && [ "$(printf '%s\n%s\n' "$debv" "$bv" | sort -V | tail -n 1)" = "$bv" ] &&
		[ "$bv" != "$debv" ] && PY311=$d/bin/python M=$m
done
if [ -n "$PY311" ] && [ -n "$DEBPIP" ]; then
	rm -rf "$S/ud"
	mkvenv -q -p "$PY311" -w "$DEBPIP" "$S/ud"
	old=$(ls "$S/ud/lib/python$M/site-packages" | grep '^pip-.*dist-info$')
	mkvenv -p "$PY311" --upgrade-deps "$S/ud" 2>"$S/err"
	new=$(ls "$S/ud/lib/python$M/site-packages" | grep '^pip-.*dist-info$')
	o=${old#pip-} o=${o%.dist-info} nv=${new#pip-} nv=${nv%.dist-info}
	grep -q "^mkvenv: reused $S/ud with Python .* and pip $nv (upgraded from $o), setuptools " "$S/err" &&
		pass upgrade-deps-said || fail upgrade-deps-said "[$(cat "$S/err")]"
	bundled=$(ls "${PY311%/bin/python}/lib/python$M/ensurepip/_bundled/" | sed -n 's/^pip-\([^-]*\)-.*/pip-\1.dist-info/p')
	same upgrade-deps-replaces "$bundled" "$new"
	[ "$old" != "$new" ] && "$S/ud/bin/pip" --version >/dev/null 2>&1 && pass upgrade-deps-works || fail upgrade-deps-works "$old -> $new"
	"$S/ud/bin/pip" list --disable-pip-version-check 2>/dev/null | grep -c '^pip ' | grep -qx 1 && pass upgrade-deps-one-pip || fail upgrade-deps-one-pip "two pips"
	before=$(hashtree "$S/ud/lib" | cut -d' ' -f1,2,4-)
	mkvenv -q -p "$PY311" --upgrade-deps "$S/ud" 2>"$S/err"
	same upgrade-deps-newest-kept "$before" "$(hashtree "$S/ud/lib" | cut -d' ' -f1,2,4-)"
else
	skip upgrade-deps "needs a pyenv CPython 3.7-3.11 whose bundled pip is newer than /usr/share/python-wheels"
fi
