# t_pypy.sh: mkvenv -p pypy3 against PyPy's own `pypy3 -m venv` on this machine: Debian's
# PyPy (its interpreter in /usr/bin, libpypy3.X-c.so in the multiarch directory, its
# ensurepip Debian's), and a portable PyPy (bin/pypy3.X with libpypy3.X-c.so beside it,
# lib/pypy3.X, lib/'s own libraries and tcl/tk: the layout of PyPy's downloads) assembled
# here from Debian's files. Compared as t_mkvenv_diff does: the tree (names, types, modes,
# link targets), pyvenv.cfg, and sys/site/sysconfig seen from inside; seeded with pip, the
# top level, share/python-wheels (Debian's scheme, when its ensurepip has it) and the
# distributions pip lists, then pip driven. And the wheel tags: PyPy's accepted, CPython's
# refused with the reason, nothing changed. The sid root's PyPy is compared by t_distro.
. "$TESTS/lib.sh"
S=$SCRATCH
PP=$(command -v pypy3) || { skip all "no pypy3 (tests/setup.sh installs Debian's pypy3 and pypy3-venv)"; exit 0; }
"$PP" -c 'import venv, ensurepip' 2>/dev/null || { skip all "$PP has no venv module (Debian's pypy3-venv)"; exit 0; }
minor=$("$PP" -c 'import sys; print(sys.version_info[1])')
ver=$("$PP" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
real=$(readlink -f "$PP")

# compare NAME PY OPTS...: $S/ref-NAME by PY -m venv --without-pip, $S/vb-NAME by mkvenv
compare() {
	name=$1 py=$2; shift 2
	ref=$S/ref-$name vb=$S/vb-$name
	if ! "$py" -m venv --without-pip "$@" "$ref" >"$S/ref.err" 2>&1; then
		fail "$name/ref" "$py -m venv failed: $(head -c 600 "$S/ref.err")"
		return
	fi
	if ! "$VENVBOX" mkvenv -q --without-pip -p "$py" "$@" "$vb" >"$S/vb.err" 2>&1; then
		fail "$name/mkvenv" "$(head -c 600 "$S/vb.err")"
		return
	fi
	tree "$ref" >"$S/ref.tree"
	tree "$vb" | grep -v ' \./\.gitignore -> $' >"$S/vb.tree"	# written for every version: README
	same_files "$name/tree" "$S/ref.tree" "$S/vb.tree"
	grep -v -e '^command = ' "$ref/pyvenv.cfg" >"$S/ref.cfg"
	grep -v -e '^command = ' -e '^venvbox = ' "$vb/pyvenv.cfg" >"$S/vb.cfg"
	same_files "$name/pyvenv.cfg" "$S/ref.cfg" "$S/vb.cfg"
	same_inside "$name" "$ref" "$vb"
}

# ---- Debian's PyPy
"$VENVBOX" mkvenv -v --without-pip -p "$PP" "$S/v" >"$S/v.err" 2>&1
case $(head -n 1 "$S/v.err") in
"mkvenv: PyPy, Python $ver at $PP "*"; version from "*) pass debian/version ;;
*) fail debian/version "wanted PyPy, Python $ver read from its files: $(head -c 600 "$S/v.err")" ;;
esac
compare debian "$PP"
compare debian-minor "$real"
compare debian-system "$PP" --system-site-packages
compare debian-prompt "$PP" --prompt "my prompt"

# --copies: PyPy's venv copies the installation's ../lib but its standard library (on Debian
# that is all of /usr/lib); ours copies the interpreter alone, which finds its standard
# library through pyvenv.cfg's home
vb=$S/vb-copies
if "$VENVBOX" mkvenv -q --without-pip --copies -p "$PP" "$vb" >"$S/vb.err" 2>&1; then
	cmp -s "$vb/bin/pypy3" "$real" && [ ! -L "$vb/bin/pypy3" ] && [ ! -L "$vb/bin/python" ] &&
		pass debian-copies/copied || fail debian-copies/copied "$(ls -l "$vb/bin")"
	same debian-copies/lib "pypy3.$minor" "$(ls "$vb/lib")"
	check debian-copies/venvinfo-check "$VENVBOX" venvinfo --check "$vb"
	same debian-copies/venvinfo "PyPy $ver" "$("$VENVBOX" venvinfo --json "$vb" | "$PP" -c 'import json, sys; d = json.load(sys.stdin); print(d["implementation"], d["base_version"])')"
	same debian-copies/runs "$vb $ver" "$("$vb/bin/python" -c 'import sys; print(sys.prefix, "%d.%d.%d" % sys.version_info[:3])' 2>&1)"
else
	fail debian-copies/mkvenv "$(head -c 600 "$S/vb.err")"
fi

# seeded: what PyPy's own venv seeds, and Debian's share/python-wheels when its ensurepip has it
ref=$S/ref-seeded vb=$S/vb-seeded
if ! "$PP" -m venv "$ref" >"$S/ref.err" 2>&1; then
	fail seeded/ref "$(head -c 600 "$S/ref.err")"
elif ! "$VENVBOX" mkvenv -q -p "$PP" "$vb" >"$S/vb.err" 2>&1; then
	fail seeded/mkvenv "$(head -c 600 "$S/vb.err")"
else
	same seeded/top "$(ls "$ref")" "$(ls "$vb")"
	if [ -d "$ref/share" ]; then
		(cd "$ref/share" && find . -printf '%y %m %p\n' | LC_ALL=C sort -k3) >"$S/ref.share"
		(cd "$vb/share" && find . -printf '%y %m %p\n' | LC_ALL=C sort -k3) >"$S/vb.share" 2>&1
		same_files seeded/share "$S/ref.share" "$S/vb.share"
		for w in "$ref"/share/python-wheels/*.whl; do
			cmp -s "$w" "$vb/share/python-wheels/${w##*/}" || fail seeded/share-bytes "${w##*/} differs"
		done
		pass seeded/share-bytes
	fi
	"$ref/bin/python" -m pip list --format=freeze 2>/dev/null >"$S/ref.list"
	"$vb/bin/python" -m pip list --format=freeze 2>"$S/pip.err" >"$S/vb.list"
	[ -s "$S/ref.list" ] && same_files seeded/distributions "$S/ref.list" "$S/vb.list" ||
		fail seeded/distributions "$(head -c 600 "$S/pip.err")"
	check seeded/venvinfo-check "$VENVBOX" venvinfo --check "$vb"
	"$vb/bin/python" -m pip list 2>/dev/null >"$S/pip.list"
	"$VENVBOX" venvinfo --list "$vb" >"$S/vi.list" 2>&1
	same_files seeded/venvinfo-list "$S/pip.list" "$S/vi.list"
	"$vb/bin/python" -m pip freeze --all 2>/dev/null >"$S/pip.freeze"
	"$VENVBOX" venvinfo --freeze --all "$vb" >"$S/vi.freeze" 2>&1
	same_files seeded/venvinfo-freeze "$S/pip.freeze" "$S/vi.freeze"
	HELLO=$(hello_wheel "$S/wheels")
	check seeded/pip-install "$vb/bin/pip" install -q --no-index "$HELLO"
	same seeded/hello "hello from the wheel" "$("$vb/bin/hello" 2>&1)"
	check seeded/pip-uninstall "$vb/bin/pip" uninstall -q -y hello
	[ ! -e "$vb/bin/hello" ] && pass seeded/uninstalled || fail seeded/uninstalled "bin/hello left"
fi

# tags: a wheel for this PyPy is installed, a CPython one refused by name, the venv unchanged
arch=$(uname -m)
vb=$S/vb-tags
"$VENVBOX" mkvenv -q --without-pip -p "$PP" "$vb" >/dev/null 2>&1
pp=$(hello_wheel "$S/pp" "pp3$minor-pypy3${minor}_pp73-manylinux_2_17_$arch")
cp=$(hello_wheel "$S/cp" "cp3$minor-cp3$minor-manylinux_2_17_$arch")
tree "$vb" >"$S/before"
if "$VENVBOX" mkvenv -q -w "$cp" "$vb" >"$S/cp.err" 2>&1; then
	fail tags/cpython "a cp3$minor wheel was installed in a PyPy venv"
else
	case $(cat "$S/cp.err") in
	*"${cp##*/}"*"python tag cp3$minor is not for PyPy"*) pass tags/cpython ;;
	*) fail tags/cpython "$(head -c 600 "$S/cp.err")" ;;
	esac
fi
tree "$vb" >"$S/after"
same_files tags/unchanged "$S/before" "$S/after"
check tags/pypy "$VENVBOX" mkvenv -q -w "$pp" "$vb"
same tags/pypy-runs "hello from the wheel" "$("$vb/bin/hello" 2>&1)"

# .data/headers go where pip puts them in a venv, include/site/python3.X/NAME for every
# build (PyPy's included): pip's install of the wheel and ours give the same path
/usr/bin/python3 - "$S/hdr" <<'PY'
import base64, hashlib, os, sys, zipfile
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
files = {"hdr/__init__.py": b"", "hdr-1.0.data/headers/hdr.h": b"int hdr;\n",
         "hdr-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: hdr\nVersion: 1.0\n",
         "hdr-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
rec = ["%s,sha256=%s,%d" % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode(), len(d))
       for n, d in files.items()] + ["hdr-1.0.dist-info/RECORD,,"]
with zipfile.ZipFile(os.path.join(out, "hdr-1.0-py3-none-any.whl"), "w") as z:
    for n, d in files.items():
        z.writestr(n, d)
    z.writestr("hdr-1.0.dist-info/RECORD", "\n".join(rec) + "\n")
PY
if [ -x "$S/vb-seeded/bin/pip" ]; then
	"$S/vb-seeded/bin/pip" install -q --no-index "$S/hdr/hdr-1.0-py3-none-any.whl" >/dev/null 2>&1
	"$VENVBOX" mkvenv -q -w "$S/hdr/hdr-1.0-py3-none-any.whl" "$S/vb-tags" >/dev/null 2>&1
	same headers/pip "include/site/python3.$minor/hdr/hdr.h" "$(cd "$S/vb-seeded" && ls include/site/*/hdr/hdr.h 2>&1)"
	same headers/ours "include/site/python3.$minor/hdr/hdr.h" "$(cd "$S/vb-tags" && ls include/site/*/hdr/hdr.h 2>&1)"
fi

# ---- a portable PyPy, from Debian's files: it must find its library beside it ($ORIGIN)
P=$S/portable
mkdir -p "$P/bin" "$P/lib/tcl8.6" && cp "$real" "$P/bin/" && ln -s "${real##*/}" "$P/bin/pypy3" &&
	lib=$(ldd "$real" | awk '/libpypy/ { print $3 }') && cp "$lib" "$P/bin/" &&
	{ cp -al "/usr/lib/pypy3.$minor" "$P/lib/" 2>/dev/null || cp -a "/usr/lib/pypy3.$minor" "$P/lib/"; } &&
	echo lib >"$P/lib/libextra.so.1" && chmod 755 "$P/lib/libextra.so.1" &&
	echo tcl >"$P/lib/tcl8.6/init.tcl" && chmod 700 "$P/lib/tcl8.6/init.tcl"
if [ "$("$P/bin/pypy3" -c 'import sys; print(sys.prefix)' 2>&1)" != "$P" ]; then
	skip portable "Debian's pypy3 does not run from $P (it needs RUNPATH \$ORIGIN)"
else
	compare portable "$P/bin/pypy3"
	compare portable-copies "$P/bin/pypy3" --copies
	cmp -s "$S/vb-portable-copies/bin/${lib##*/}" "$lib" && pass portable-copies/library ||
		fail portable-copies/library "no copy of ${lib##*/} in bin/"
	same portable-copies/runs "$S/vb-portable-copies $P" \
		"$("$S/vb-portable-copies/bin/python" -c 'import sys; print(sys.prefix, sys.base_prefix)' 2>&1)"
fi
