# t_venvinfo.sh: venvinfo over venvs made by every creator on the machine (python -m venv of
# each CPython, Debian's virtualenv, mkvenv; uv, PyPy and free-threaded layouts rebuilt
# from their files), against what Python and pip themselves say: the report, --list and
# --freeze next to pip list/pip freeze, --verify catching tampering, --check catching a
# base interpreter moved, swapped or broken, hostile input, and the command line.
. "$TESTS/lib.sh"
# pip freeze asks git about editable projects: none of ours is in a repository, even in a
# checkout of this one
export GIT_CEILING_DIRECTORIES="$SCRATCH"
S=$SCRATCH
VI=$VBBIN/venvinfo
DEB=/usr/bin/python3
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_PYTHON_VERSION_WARNING=1 PIP_NO_INPUT=1

# get FILE KEY: a top-level value of a JSON file, as venvinfo --get prints it
jget() { "$DEB" -c 'import json, sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
print("true" if v is True else "false" if v is False else "" if v is None else v)' "$1" "$2"; }
# is_json FILE: valid JSON
is_json() { "$DEB" -c 'import json, sys; json.load(open(sys.argv[1], encoding="ascii"))' "$1" 2>/dev/null; }
# pyfacts PY: what the venv's own interpreter says about itself
pyfacts() { "$1" -c 'import platform, sys, sysconfig
print(platform.python_version())
print(platform.python_implementation())
print(sysconfig.get_paths()["purelib"])
print("true" if sysconfig.get_config_var("Py_GIL_DISABLED") else "false")
print(sys._base_executable if hasattr(sys, "_base_executable") else "")'; }
[ -x "$DEB" ] || { skip all "no /usr/bin/python3 to make the test wheels"; exit 0; }

# ---- test wheels: names pip orders and normalizes in all its ways, versions it normalizes
"$DEB" - "$S/w" <<'PY'
import base64, hashlib, os, sys, zipfile
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
dists = [("Foo_Baz", "1.0"), ("foo.bar", "2.0rc1"), ("Zope.Interface_x", "1.0.post1"),
         ("a_b", "0.1"), ("A_c", "1.0"), ("aaa", "01.2"), ("mixed-Case.Name", "3.0.dev2")]
for name, ver in dists:
    mod = name.lower().replace(".", "_").replace("-", "_") + "_mod"
    fname = name.replace("-", "_")	# the wheel file name escapes '-'
    di = f"{fname}-{ver}.dist-info"
    files = {f"{mod}/__init__.py": f"NAME = {name!r}\n".encode(),
             f"{mod}/data.txt": b"payload\n" * 10,
             f"{di}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {ver}\n\nName: not-this\n".encode(),
             f"{di}/WHEEL": b"Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    rec = [f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}"
           for n, d in files.items()] + [f"{di}/RECORD,,"]
    with zipfile.ZipFile(os.path.join(out, f"{fname}-{ver}-py3-none-any.whl"), "w") as z:
        for n, d in files.items():
            z.writestr(n, d)
        z.writestr(f"{di}/RECORD", "\n".join(rec) + "\n")
PY
WHEELS=$(ls "$S"/w/*.whl)

# agree NAME VENV: --list, --freeze, --freeze --all and --list --json next to the venv's pip
agree() {
	n=$1 v=$2
	pipv=$("$v/bin/pip" --version 2>/dev/null | awk '{print $2}')
	case $pipv in
	1[0-9].*) skip "$n/agree" "pip $pipv (2018 and older) shows pkg_resources-style names, not emulated"; return ;;
	esac
	"$v/bin/pip" list >"$S/pip.list" 2>/dev/null || { fail "$n/pip-list" "pip list failed"; return; }
	"$v/bin/pip" freeze >"$S/pip.freeze" 2>/dev/null
	"$v/bin/pip" freeze --all >"$S/pip.all" 2>/dev/null
	"$VI" -l "$v" >"$S/vi.list" 2>&1 || fail "$n/list-status" "exit $?"
	"$VI" --freeze "$v" >"$S/vi.freeze" 2>&1
	"$VI" --freeze --all "$v" >"$S/vi.all" 2>&1
	same_files "$n/list-vs-pip" "$S/pip.list" "$S/vi.list"
	same_files "$n/freeze-vs-pip" "$S/pip.freeze" "$S/vi.freeze"
	same_files "$n/freeze-all-vs-pip" "$S/pip.all" "$S/vi.all"
	if "$v/bin/pip" list --format=json >"$S/pip.json" 2>/dev/null; then
		"$VI" -l --json "$v" >"$S/vi.json"
		same_files "$n/list-json-vs-pip" "$S/pip.json" "$S/vi.json"
	fi
}

# facts NAME VENV CREATOR: the report against what the venv's interpreter says
facts() {
	n=$1 v=$2 creator=$3
	"$VI" --json "$v" >"$S/r.json" 2>"$S/err" || { fail "$n/report" "$(cat "$S/err")"; return; }
	is_json "$S/r.json" && pass "$n/json-valid" || fail "$n/json-valid" "$(head -c 300 "$S/r.json")"
	pyfacts "$v/bin/python" >"$S/facts" 2>/dev/null || { fail "$n/pyfacts" "the venv's python does not run"; return; }
	{ read -r ver; read -r impl; read -r purelib; read -r ft; read -r base; } <"$S/facts"
	same "$n/version" "$ver" "$(jget "$S/r.json" version)"
	same "$n/implementation" "$impl" "$(jget "$S/r.json" implementation)"
	same "$n/site-packages" "$purelib" "$(jget "$S/r.json" site_packages)"
	same "$n/free-threaded" "$ft" "$(jget "$S/r.json" free_threaded)"
	same "$n/creator" "$creator" "$(jget "$S/r.json" creator)"
	same "$n/health" "ok" "$(jget "$S/r.json" health)"
	same "$n/location" "$(cd "$v" && pwd)" "$(jget "$S/r.json" location)"
	same "$n/base-version" "$ver" "$(jget "$S/r.json" base_version)"
	# the same interpreter the venv's python calls its base (symlinks aside)
	if [ -n "$base" ]; then
		same "$n/executable" "$(readlink -f "$base")" "$(readlink -f "$(jget "$S/r.json" executable)")"
	fi
	check_fails "$n/check-clean" 0 "$VI" --check "$v"
	same "$n/check-silent" "" "$("$VI" --check "$v" 2>&1)"
	check_fails "$n/verify-clean" 0 "$VI" --verify "$v"
}

# ---- python -m venv of every CPython, with its own pip, and wheels pip installs
# (made side by side: ensurepip and pip take seconds each)
make_venv() {	# make_venv PY VENV: a venv with pip where ensurepip exists, the wheels installed
	if ! "$1" -m venv "$2" >"$2.log" 2>&1; then
		rm -rf "$2"
		"$1" -m venv --without-pip "$2" >"$2.log" 2>&1 || { echo "create failed" >>"$2.log"; return; }
	fi
	# shellcheck disable=SC2086 # a list of files
	[ ! -x "$2/bin/pip" ] || "$2/bin/pip" install -q --no-index $WHEELS >>"$2.log" 2>&1 || echo "pip install failed" >>"$2.log"
}
ids=
for py in $(pythons); do
	case $py in /usr/bin/*) id=debian ;; *) id=${py%/bin/*}; id=${id##*/} ;; esac
	ids="$ids $id"
	make_venv "$py" "$S/venv-$id" &
done
wait
for id in $ids; do
	v=$S/venv-$id
	if grep -q 'failed$' "$v.log"; then
		fail "venv-$id/create" "$(tail -3 "$v.log")"
		[ -d "$v" ] || continue
	fi
	if [ -x "$v/bin/pip" ]; then
		grep -q 'failed$' "$v.log" || pass "venv-$id/pip-install"
		agree "venv-$id" "$v"
	else
		skip "venv-$id/pip" "no ensurepip for Python $id"
	fi
	facts "venv-$id" "$v" venv
done

# ---- virtualenv, seeded from its app-data (copies and symlinks): Debian's python3-virtualenv
# and the current 21.x of the tools venv
# virtualenv_case ID CMD...: both modes of one virtualenv
virtualenv_case() {
	id=$1; shift
	for mode in copy symlink; do
		v=$S/$id-$mode
		flag=; [ $mode = symlink ] && flag=--symlink-app-data
		if "$@" -q --no-periodic-update $flag -p "$DEB" "$v" >"$S/err" 2>&1; then
			facts "$id-$mode" "$v" virtualenv
			same "$id-$mode/creator-version" "$("$@" --version | awk '{print $2}')" "$("$VI" --get creator_version "$v")"
			agree "$id-$mode" "$v"
		else
			fail "$id-$mode/create" "$(tail -3 "$S/err")"
		fi
	done
}
if "$DEB" -m virtualenv --version >/dev/null 2>&1; then
	virtualenv_case virtualenv "$DEB" -m virtualenv
else
	skip virtualenv "python3-virtualenv is not installed"
fi
need_tools virtualenv-21 && virtualenv_case virtualenv-21 "$TOOLS/bin/virtualenv"

# ---- a real uv 0.13 venv (uv venv needs no network for a given interpreter)
if need_tools uv-real; then
	v=$S/uv-real
	if "$TOOLS/bin/uv" venv -q --no-config --python "$DEB" "$v" >"$S/err" 2>&1; then
		facts uv-real "$v" uv
		same uv-real/creator-version "$("$TOOLS/bin/uv" --version | awk '{print $2}')" "$("$VI" --get creator_version "$v")"
	else
		fail uv-real/create "$(tail -3 "$S/err")"
	fi
fi

# ---- venvbox: pip seeded by mkvenv, wheels installed by mkvenv -w, then more by pip
v=$S/venvbox
# shellcheck disable=SC2046 # a list of -w options
if mkvenv -q -p "$DEB" $(for w in $WHEELS; do printf ' -w %s' "$w"; done) "$v" 2>"$S/err"; then
	facts venvbox "$v" venvbox
	same venvbox/creator-version "$("$VENVBOX" --version | awk '{print $2}')" "$("$VI" --get creator_version "$v")"
	agree venvbox "$v"
	# pip-installed alongside (Debian's wheels, by path: pip freeze writes "name @ file://")
	if ls /usr/share/python-wheels/wheel-*.whl >/dev/null 2>&1 &&
		"$v/bin/pip" install -q --no-index /usr/share/python-wheels/wheel-*.whl >"$S/err" 2>&1; then
		agree venvbox-pip "$v"
		check_fails venvbox-pip/verify 0 "$VI" --verify "$v"
	fi
else
	fail venvbox/create "$(cat "$S/err")"
fi

# ---- an editable install (PEP 660 through setuptools, offline): pip's extra column
v=$S/venv-debian
# a 3.12+ venv has no setuptools: Debian's wheel supplies it; wheel too where Debian has it
# (setuptools before 70.1 needs it to build)
if [ -x "$v/bin/pip" ] && ! "$v/bin/python" -c 'import setuptools' 2>/dev/null; then
	"$v/bin/pip" install -q --no-index /usr/share/python-wheels/setuptools-*.whl >/dev/null 2>&1
fi
if ls /usr/share/python-wheels/wheel-*.whl >/dev/null 2>&1; then
	"$v/bin/pip" install -q --no-index /usr/share/python-wheels/wheel-*.whl >/dev/null 2>&1
fi
if [ -x "$v/bin/pip" ] && "$v/bin/python" -c 'import setuptools' 2>/dev/null; then
	mkdir -p "$S/proj/edpkg"
	echo 'X = 1' >"$S/proj/edpkg/__init__.py"
	printf '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "Ed_Pkg"\nversion = "0.3"\n' >"$S/proj/pyproject.toml"
	if "$v/bin/pip" install -q --no-index --no-build-isolation -e "$S/proj" >"$S/err" 2>&1; then
		agree editable "$v"
		grep -q "^Ed[-_]Pkg  *0.3  *$S/proj\$" "$S/vi.list" && pass editable/column || fail editable/column "$(cat "$S/vi.list")"
	else
		skip editable "pip install -e failed offline: $(tail -1 "$S/err")"
	fi
else
	skip editable "no setuptools for Debian's venv (python3-setuptools-whl)"
fi

# ---- uv (not installable offline here): its pyvenv.cfg keys and files, on a real base
v=$S/uv
DEBV=$("$DEB" -c 'import platform; print(platform.python_version())')
mkdir -p "$v/bin" "$v/lib/python${DEBV%.*}/site-packages"
ln -s "$(readlink -f "$DEB")" "$v/bin/python"
ln -s python "$v/bin/python3"
printf 'home = /usr/bin\nimplementation = CPython\nuv = 0.4.18\nversion_info = %s\ninclude-system-site-packages = false\nrelocatable = true\nprompt = my proj\n' "$DEBV" >"$v/pyvenv.cfg"
printf 'Signature: 8a477f597d28d172789f06886806bc55\n' >"$v/CACHEDIR.TAG"
"$VI" --json "$v" >"$S/r.json"
same uv/creator "uv" "$(jget "$S/r.json" creator)"
same uv/creator-version "0.4.18" "$(jget "$S/r.json" creator_version)"
same uv/version "$DEBV" "$(jget "$S/r.json" version)"
same uv/relocatable "true" "$(jget "$S/r.json" relocatable)"
same uv/prompt "my proj" "$(jget "$S/r.json" prompt)"
same uv/health "ok" "$(jget "$S/r.json" health)"
sed -i '/^uv = /d' "$v/pyvenv.cfg"
same uv/creator-from-files "uv" "$("$VI" --get creator "$v")"

# ---- virtualenv's cfg for a PyPy: site-packages under lib/pypy3.10, no CPython checks
v=$S/pypy
mkdir -p "$v/bin" "$v/lib/pypy3.10/site-packages"
printf 'home = /opt/pypy/bin\nimplementation = PyPy\nversion_info = 3.10.14.final.0\nvirtualenv = 20.26.0\ninclude-system-site-packages = false\nbase-prefix = /opt/pypy\nbase-exec-prefix = /opt/pypy\nbase-executable = /opt/pypy/bin/pypy3.10\n' >"$v/pyvenv.cfg"
same pypy/site-packages "$v/lib/pypy3.10/site-packages" "$("$VI" --get site_packages "$v")"
same pypy/version "3.10.14" "$("$VI" --get version "$v")"
same pypy/implementation "PyPy" "$("$VI" --get implementation "$v")"
"$VI" --check "$v" >"$S/out" 2>&1
grep -q '^interpreter-missing: .*/opt/pypy/bin/pypy3.10' "$S/out" && pass pypy/missing-base || fail pypy/missing-base "$(cat "$S/out")"

# ---- free-threaded: a 3.13+ installation dressed as 3.Nt (python3.Nt, lib/python3.Nt)
B313=$(pyenv_prefix '3.1[3-9]') M=${B313##*/}; FULL=$M M=${M%.*}
if [ -n "$B313" ] && [ -x "$B313/bin/python$M" ]; then
	ft=$S/ft-base
	mkdir -p "$ft/bin" "$ft/lib/python${M}t" "$ft/include/python${M}t"
	cp "$B313/bin/python$M" "$ft/bin/python${M}t"
	: >"$ft/lib/python${M}t/os.py"
	grep PY_VERSION "$B313/include/python$M/patchlevel.h" >"$ft/include/python${M}t/patchlevel.h"
	v=$S/ft
	mkdir -p "$v/bin" "$v/lib/python${M}t/site-packages"
	ln -s "$ft/bin/python${M}t" "$v/bin/python"
	printf 'home = %s/bin\ninclude-system-site-packages = false\nversion = %s\nexecutable = %s/bin/python%st\ncommand = x\n' "$ft" "$FULL" "$ft" "$M" >"$v/pyvenv.cfg"
	"$VI" --json "$v" >"$S/r.json"
	same free-threaded/flag "true" "$(jget "$S/r.json" free_threaded)"
	same free-threaded/site "$v/lib/python${M}t/site-packages" "$(jget "$S/r.json" site_packages)"
	same free-threaded/health "ok" "$(jget "$S/r.json" health)"
	same free-threaded/base "${FULL}t" "$(jget "$S/r.json" base_version)"
	# the same venv pointed at a build with the GIL: the flag no longer matches
	rm "$v/bin/python" && ln -s "$B313/bin/python$M" "$v/bin/python"
	"$VI" --check "$v" >"$S/out" 2>&1
	grep -q "^version-changed: .*${M}t.*Python $FULL " "$S/out" && pass free-threaded/gil-swap || fail free-threaded/gil-swap "$(cat "$S/out")"
	grep -q "^fix: mkvenv --upgrade -p ${M}t " "$S/out" && pass free-threaded/fix || fail free-threaded/fix "$(cat "$S/out")"
else
	skip free-threaded "no pyenv CPython 3.13 or newer to dress up"
fi

# ---- --verify: tampering caught, pip's hash-less rows tolerated
v=$S/venv-debian
ls -d "$v"/lib/python3.*/site-packages/aaa_mod >/dev/null 2>&1 || v=$S/venvbox
site=$(cd "$v" && ls -d lib/python3.*/site-packages)
if [ -d "$v/$site/aaa_mod" ]; then
	t=$S/tamper
	rm -rf "$t" && cp -a "$v" "$t"
	check_fails verify/clean 0 "$VI" --verify "$t"
	# bytecode Python writes later, and pip's compiled files removed: no finding
	"$t/bin/python" -c 'import aaa_mod, foo_bar_mod' 2>/dev/null
	rm -f "$t/$site"/pip/__pycache__/__init__.*.pyc
	check_fails verify/bytecode-ok 0 "$VI" --verify "$t"
	sed -i 's/payload/PAYLOAD/' "$t/$site/aaa_mod/data.txt"		# same size, new content
	echo '# more' >>"$t/$site/foo_bar_mod/__init__.py"		# new size
	rm "$t/$site/a_b_mod/data.txt"					# deleted
	echo 'import os' >"$t/$site/a_c_mod/extra.py"			# not in any RECORD
	mkdir -p "$t/$site/a_c_mod/__pycache__" && : >"$t/$site/a_c_mod/__pycache__/ghost.cpython-311.pyc"
	ln -s loop "$t/$site/Foo_Baz-1.0.dist-info/loop"		# a loop, unlisted
	rm "$t/$site/Zope.Interface_x-1.0.post1.dist-info/RECORD"	# no RECORD at all
	"$VI" --verify "$t" >"$S/out" 2>&1; st=$?
	same verify/status 1 "$st"
	for want in "modified   $site/aaa_mod/data.txt (sha256 differs)" \
		"modified   $site/foo_bar_mod/__init__.py (" \
		"missing    $site/a_b_mod/data.txt" \
		"unlisted   $site/a_c_mod/extra.py" \
		"unlisted   $site/a_c_mod/__pycache__/ghost.cpython-311.pyc" \
		"unlisted   $site/Foo_Baz-1.0.dist-info/loop" \
		"missing    $site/Zope.Interface_x-1.0.post1.dist-info/RECORD"; do
		grep -qF "  $want" "$S/out" && pass "verify/${want%% *}-$(echo "$want" | tr -cd 'a-z' | tail -c 12)" ||
			fail "verify/finding" "[$want] not in: $(cat "$S/out")"
	done
	grep -q '^aaa 1.2 (aaa-01.2.dist-info):$' "$S/out" && pass verify/grouped || fail verify/grouped "$(cat "$S/out")"
	grep -q '^7 problems in 6 of ' "$S/out" && pass verify/summary || fail verify/summary "$(tail -2 "$S/out")"
	"$VI" --verify --json "$t" >"$S/v.json"
	is_json "$S/v.json" && pass verify/json-valid || fail verify/json-valid "$(head -c 300 "$S/v.json")"
	same verify/json-ok "false" "$(jget "$S/v.json" ok)"
	# a malformed RECORD is reported, not trusted
	printf 'aaa_mod/__init__.py,"sha256=x,1\n' >"$t/$site/aaa-01.2.dist-info/RECORD"
	"$VI" --verify "$t" >"$S/out" 2>&1
	grep -q 'bad-record .*aaa-01.2.dist-info/RECORD (line 1: malformed quoting)' "$S/out" && pass verify/bad-record || fail verify/bad-record "$(cat "$S/out")"
	printf 'aaa_mod/__init__.py,md5=abc,17\n' >"$t/$site/aaa-01.2.dist-info/RECORD"
	"$VI" --verify "$t" >"$S/out" 2>&1
	grep -q 'aaa_mod/__init__.py (' "$S/out" && grep -q '^note: 1 file hashed with another algorithm' "$S/out" &&
		pass verify/other-algorithm-size || fail verify/other-algorithm-size "$(cat "$S/out")"
else
	skip verify "no venv with the test wheels"
fi

# ---- --check: a copy of an installation, a venv on it, the copy moved away and swapped
# Two pyenv installations of different minor versions: the newest (B12) and an older (B11).
B12=$(pyenv_pythons | tail -n 1 | cut -d' ' -f2) M12=$(pyenv_pythons | tail -n 1 | cut -d' ' -f1)
B11=$(pyenv_pythons | awk -v m="$M12" '$1 != m { d = $2 } END { print d }')
F11=${B11##*/}
# copy_python SRC DST: an installation's files, without its tests and other bulk
copy_python() {
	mkdir -p "$2" && tar -C "$1" --exclude='python3.*/test' --exclude=site-packages --exclude='config-3.*' \
		--exclude=idlelib --exclude=tkinter --exclude=ensurepip --exclude=lib2to3 --exclude=__pycache__ \
		--exclude='*.a' -cf - bin lib include | tar -C "$2" -xf -
}
if [ -n "$B12" ] && [ -n "$B11" ] && [ -x "$B12/bin/python$M12" ]; then
	base=$S/base
	copy_python "$B12" "$base"
	"$base/bin/python3" -m venv --without-pip "$S/onbase" && mkvenv -q --without-pip -p "$base/bin/python3" "$S/onbase-vb"
	for v in onbase onbase-vb; do
		check_fails "check/$v-healthy" 0 "$VI" --check "$S/$v"
	done
	mv "$base" "$S/base.moved"
	for v in onbase onbase-vb; do
		"$VI" --check "$S/$v" >"$S/out" 2>&1; st=$?
		same "check/$v-moved-status" 1 "$st"
		grep -q "^interpreter-missing: base interpreter $base/bin/python$M12: " "$S/out" && pass "check/$v-moved-missing" || fail "check/$v-moved-missing" "$(cat "$S/out")"
		grep -q "^dangling-link: bin/python" "$S/out" && pass "check/$v-moved-dangling" || fail "check/$v-moved-dangling" "$(cat "$S/out")"
		grep -qF "fix: mkvenv --upgrade -p $M12 $S/$v" "$S/out" && pass "check/$v-moved-fix" || fail "check/$v-moved-fix" "$(cat "$S/out")"
		same "check/$v-moved-health" broken "$("$VI" --get health "$S/$v")"
		check_fails "check/$v-moved-report-status" 0 "$VI" "$S/$v"
	done
	# the base upgraded under the venv: another Python where the old one was
	copy_python "$B11" "$base"
	for v in onbase onbase-vb; do
		"$VI" --check "$S/$v" >"$S/out" 2>&1
		grep -q "^version-changed: the venv was made for Python $M12, but bin/python now runs Python $F11 " "$S/out" &&
			pass "check/$v-swapped" || fail "check/$v-swapped" "$(cat "$S/out")"
	done
	rm -rf "$base" && mv "$S/base.moved" "$base"
	check_fails check/restored 0 "$VI" --check "$S/onbase"
	# venvinfo never runs the interpreter: a base that is a script reporting its own run
	copy_python "$base" "$S/base2"
	"$S/base2/bin/python3" -m venv --without-pip "$S/onscript"
	rm "$S/base2/bin/python$M12"
	printf '#!/bin/sh\ntouch %s/ran\nexec %s/bin/python%s "$@"\n' "$S" "$base" "$M12" >"$S/base2/bin/python$M12"
	chmod +x "$S/base2/bin/python$M12"
	"$VI" "$S/onscript" >/dev/null 2>&1
	"$VI" --check "$S/onscript" >"$S/out" 2>&1
	[ ! -e "$S/ran" ] && pass check/never-runs-python || fail check/never-runs-python "the base interpreter was run"
	grep -q '^interpreter-broken: .*is a script' "$S/out" && pass check/script-base || fail check/script-base "$(cat "$S/out")"
	chmod -x "$S/base2/bin/python$M12"
	"$VI" --check "$S/onscript" >"$S/out" 2>&1
	grep -q '^interpreter-not-executable: ' "$S/out" && pass check/not-executable || fail check/not-executable "$(cat "$S/out")"
	# the suggested repair repairs
	v=$S/onbase-vb
	mv "$base" "$S/base.gone"
	fix=$("$VI" --check "$v" | sed -n 's/^fix: //p')
	if [ "$fix" = "mkvenv --upgrade -p $M12 $v" ] && $fix -q 2>"$S/err"; then
		check_fails check/fix-works 0 "$VI" --check "$v"
	else
		fail check/fix-works "[$fix]: $(cat "$S/err")"
	fi
else
	skip check-moved "needs two pyenv CPython installations of different minor versions"
fi

# ---- --check: what a venv can lose on its own
v=$S/broken
mkvenv -q --without-pip -p "$DEB" "$v"
site=$(cd "$v" && ls -d lib/python3.*/site-packages)
check_fails broken/healthy 0 "$VI" --check "$v"
ln -s /nonexistent/python3.99 "$v/bin/python3.99"
"$VI" --check "$v" >"$S/out" 2>&1; st=$?
same broken/dangling-status 1 "$st"
grep -q '^dangling-link: bin/python3.99 -> /nonexistent/python3.99: ' "$S/out" && pass broken/dangling || fail broken/dangling "$(cat "$S/out")"
rm "$v/bin/python3.99"
mv "$v/$site" "$v/$site.gone"
"$VI" --check "$v" >"$S/out" 2>&1
grep -q "^site-packages-missing: $site: " "$S/out" && pass broken/site-missing || fail broken/site-missing "$(cat "$S/out")"
check_fails broken/list-needs-site 1 "$VI" -l "$v"
mv "$v/$site.gone" "$v/$site"
cp "$v/pyvenv.cfg" "$S/cfg.good"
head -c 400 /dev/urandom >"$v/pyvenv.cfg"; printf '\0' >>"$v/pyvenv.cfg"
"$VI" --check "$v" >"$S/out" 2>&1; st=$?
same broken/garbage-cfg-status 1 "$st"
grep -q '^cfg-malformed: .*pyvenv.cfg: not a text file' "$S/out" && pass broken/garbage-cfg || fail broken/garbage-cfg "$(cat "$S/out")"
check_fails broken/garbage-cfg-report 0 "$VI" "$v"
"$VI" --json "$v" >"$S/r.json"
is_json "$S/r.json" && pass broken/garbage-cfg-json || fail broken/garbage-cfg-json "$(head -c 300 "$S/r.json")"
printf 'home = /usr/bin\nversion = 3.11.\xff\n' >"$v/pyvenv.cfg"
"$VI" --check "$v" >"$S/out" 2>&1
grep -q '^cfg-malformed: .*not valid UTF-8' "$S/out" && pass broken/non-utf8-cfg || fail broken/non-utf8-cfg "$(cat "$S/out")"
"$VI" --check --json "$v" >"$S/r.json"
is_json "$S/r.json" && pass broken/check-json || fail broken/check-json "$(head -c 300 "$S/r.json")"
same broken/check-json-health broken "$(jget "$S/r.json" health)"
"$VI" --json "$v" >"$S/r.json"
same broken/non-utf8-shown "3.11.\ufffd" "$("$DEB" -c 'import json, sys; print(ascii(json.load(open(sys.argv[1]))["version"])[1:-1])' "$S/r.json")"
printf 'include-system-site-packages = false\nversion = 3.11.2\n' >"$v/pyvenv.cfg"
"$VI" --check "$v" >"$S/out" 2>&1
grep -q '^cfg-malformed: .*no home key' "$S/out" && pass broken/no-home || fail broken/no-home "$(cat "$S/out")"
rm "$v/pyvenv.cfg" && ln -s pyvenv.cfg "$v/pyvenv.cfg"
"$VI" --check "$v" >"$S/out" 2>&1; st=$?
grep -q '^cfg-unreadable: ' "$S/out" && [ "$st" = 1 ] && pass broken/cfg-loop || fail broken/cfg-loop "$st $(cat "$S/out")"
rm "$v/pyvenv.cfg" && mkdir "$v/pyvenv.cfg"
"$VI" --check "$v" >"$S/out" 2>&1
grep -q '^cfg-unreadable: .*Is a directory' "$S/out" && pass broken/cfg-dir || fail broken/cfg-dir "$(cat "$S/out")"
rmdir "$v/pyvenv.cfg" && cp "$S/cfg.good" "$v/pyvenv.cfg"
# site.py's reading: any case, spaces around '=', the last of a repeated key wins
printf 'HOME=/usr/bin\n Include-System-Site-Packages =  TRUE \nversion = 3.11.1\nversion=3.11.2\nno equals sign here\nprompt = '"'"'it\\'"'"'s \\xe9'"'"'\nvenvbox = 9\n' >"$v/pyvenv.cfg"
"$VI" --json "$v" >"$S/r.json"
same cfg/case-home "/usr/bin" "$(jget "$S/r.json" home)"
same cfg/system-site "true" "$(jget "$S/r.json" system_site_packages)"
same cfg/last-wins "3.11.2" "$(jget "$S/r.json" version)"
same cfg/prompt-repr "it's é" "$(jget "$S/r.json" prompt)"
cp "$S/cfg.good" "$v/pyvenv.cfg"

# ---- unreadable files and directories (as an unprivileged user: root reads everything)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	u=$(mktemp -d /tmp/venvinfo-perm.XXXXXX) && chmod 755 "$u"
	cp -a "$S/broken" "$u/v"
	site=$(cd "$u/v" && ls -d lib/python3.*/site-packages)
	mkdir -p "$u/v/$site/locked-1.dist-info" "$u/v/$site/locked"
	printf 'Name: locked\nVersion: 1\n' >"$u/v/$site/locked-1.dist-info/METADATA"
	printf 'locked/__init__.py,,\nlocked-1.dist-info/METADATA,,\n' >"$u/v/$site/locked-1.dist-info/RECORD"
	: >"$u/v/$site/locked/__init__.py"
	chmod 000 "$u/v/$site/locked" "$u/v/$site/locked-1.dist-info/METADATA"
	asnobody "$VI" --check "$u/v" >"$S/out" 2>&1; st=$?
	grep -q '^distribution-metadata: .*locked-1.dist-info: METADATA: Permission denied' "$S/out" && [ "$st" = 1 ] &&
		pass perm/metadata || fail perm/metadata "$st: $(cat "$S/out")"
	asnobody "$VI" --verify "$u/v" >"$S/out" 2>&1
	grep -q "unreadable .*locked/__init__.py (Permission denied)" "$S/out" && pass perm/verify || fail perm/verify "$(cat "$S/out")"
	chmod 000 "$u/v/$site"
	asnobody "$VI" --check "$u/v" >"$S/out" 2>&1
	grep -q '^site-packages-unreadable: .*Permission denied' "$S/out" && pass perm/site || fail perm/site "$(cat "$S/out")"
	grep -q "^fix: make $site readable" "$S/out" && pass perm/site-fix || fail perm/site-fix "$(cat "$S/out")"
	check_fails perm/list 1 asnobody "$VI" -l "$u/v"
	chmod 600 "$u/v/pyvenv.cfg"
	asnobody "$VI" --check "$u/v" >"$S/out" 2>&1
	grep -q '^cfg-unreadable: cannot read .*pyvenv.cfg: Permission denied' "$S/out" && pass perm/cfg || fail perm/cfg "$(cat "$S/out")"
	chmod -R u+rwX "$u" && rm -rf "$u"
else
	skip perm "needs root and setpriv to test as an unprivileged user"
fi

# ---- hostile distributions: garbage metadata, control characters, a loop, duplicates
v=$S/hostile
mkvenv -q --without-pip -p "$DEB" "$v"
site=$v/$(cd "$v" && ls -d lib/python3.*/site-packages)
mkdir "$site/garbage-1.dist-info" "$site/esc-1.dist-info" "$site/loop-1.dist-info" "$site/dup-1.0.dist-info" "$site/Dup-2.0.dist-info"
head -c 3000 /dev/urandom >"$site/garbage-1.dist-info/METADATA"
printf 'Name: esc\033[31mred\nVersion: 1\xff\n' >"$site/esc-1.dist-info/METADATA"
ln -s METADATA "$site/loop-1.dist-info/METADATA"
printf 'Name: dup\nVersion: 1.0\n' >"$site/dup-1.0.dist-info/METADATA"
printf 'Name: Dup\nVersion: 2.0\n' >"$site/Dup-2.0.dist-info/METADATA"
mkfifo "$site/fifo-1.dist-info" 2>/dev/null; mkdir -p "$site/fifo2-1.dist-info" && mkfifo "$site/fifo2-1.dist-info/METADATA"
for args in "-l" "--freeze" "-l --json" "--freeze --json" "" "--json" "--check" "--verify" "--verify --json"; do
	# shellcheck disable=SC2086 # the options
	timeout 10 "$VI" $args "$v" >"$S/out" 2>"$S/err"; st=$?
	if [ "$st" -gt 1 ]; then
		fail "hostile/${args:-report}" "exit $st: $(cat "$S/err")"
	elif grep -q "$(printf '\033')" "$S/out"; then
		fail "hostile/${args:-report}" "a raw escape character reached stdout"
	else
		case $args in *json*) is_json "$S/out" && pass "hostile/${args}" || fail "hostile/$args" "invalid JSON: $(head -c 300 "$S/out")" ;;
		*) pass "hostile/${args:-report}" ;; esac
	fi
done
"$VI" -l "$v" >"$S/out"
grep -qF 'esc\x1b[31mred' "$S/out" && pass hostile/escaped-name || fail hostile/escaped-name "$(cat -v "$S/out")"
"$VI" --check "$v" >"$S/out"
grep -q '^distribution-duplicate: dup is installed twice: Dup-2.0.dist-info and dup-1.0.dist-info' "$S/out" && pass hostile/duplicate || fail hostile/duplicate "$(cat "$S/out")"
grep -q '^distribution-metadata: .*loop-1.dist-info: METADATA: ' "$S/out" && pass hostile/loop || fail hostile/loop "$(cat "$S/out")"
grep -q '^distribution-metadata: .*fifo2-1.dist-info: METADATA: not a regular file' "$S/out" && pass hostile/fifo || fail hostile/fifo "$(cat "$S/out")"

# ---- a path that is not UTF-8 (a venv moved there): one escaping in the report, the problems
# and the messages (\xff), the value as it is from --get
bad=$S/$(printf 'bad\377name')
mkvenv -q --without-pip -p "$DEB" "$S/goodname" && mv "$S/goodname" "$bad"
rm -f "$bad/bin/python"
"$VI" "$bad" >"$S/out" 2>&1
"$VI" --check "$bad" >>"$S/out" 2>&1
"$VI" "$bad/missing" >>"$S/out" 2>&1
if LC_ALL=C grep -q "$(printf '\377')" "$S/out"; then
	fail escape/not-utf8 "a raw 0xff byte reached the output: $(cat -v "$S/out")"
else
	pass escape/not-utf8
fi
same escape/report "location               $S/bad\\xffname" "$(grep '^location' "$S/out")"
grep -qF "venvinfo: $S/bad\xffname/missing: No such file or directory" "$S/out" &&
	pass escape/message || fail escape/message "$(cat -v "$S/out")"
same escape/get-raw "$bad" "$("$VI" --get location "$bad")"
rm -rf "$bad"
"$VI" "" >"$S/out" 2>&1; st=$?
[ $st = 1 ] && grep -q '^venvinfo: an empty ENV_DIR names no directory' "$S/out" &&
	pass cli/empty-dir || fail cli/empty-dir "status $st: $(cat "$S/out")"

# ---- the command line
v=$S/venvbox
[ -d "$v" ] || v=$S/broken
"$VI" --json "$v" >"$S/r.json"
keys=$("$DEB" -c 'import json, sys; print(" ".join(json.load(open(sys.argv[1]))))' "$S/r.json")
helpkeys=$("$VI" --help | sed -n '/^Keys:/,$p' | sed 's/^Keys: //' | tr '\n' ' ' | sed 's/ *$//')
same cli/keys-documented "$keys" "$helpkeys"
for k in $keys; do
	[ "$k" = problems ] || [ "$k" = startup_hooks ] && continue	# lists: below
	same "cli/get-$k" "$(jget "$S/r.json" "$k")" "$("$VI" --get "$k" "$v")"
done
readme_keys=$(for k in $keys; do grep -q "^| \`$k\` |" "$TOP/README.md" && echo "$k"; done | tr '\n' ' ' | sed 's/ *$//')
same cli/keys-in-readme "$keys" "$readme_keys"
"$VI" --get nosuchkey "$v" >"$S/out" 2>&1; st=$?
same cli/get-unknown-status 2 "$st"
grep -q 'unknown key; the keys are: location, home,' "$S/out" && pass cli/get-unknown-lists || fail cli/get-unknown-lists "$(cat "$S/out")"
check_fails cli/help 0 "$VI" --help
same cli/version "venvinfo (venvbox)" "$("$VI" --version | cut -d' ' -f1-2)"
check_fails cli/exclusive 2 "$VI" --list --verify "$v"
check_fails cli/get-json 2 "$VI" --get version --json "$v"
check_fails cli/all-alone 2 "$VI" --all "$v"
check_fails cli/unknown-option 2 "$VI" --bogus "$v"
check_fails cli/two-dirs 2 "$VI" "$v" "$v"
check_fails cli/get-needs-key 2 "$VI" --get
check_fails cli/not-a-venv 1 "$VI" "$S/w"
check_fails cli/nonexistent 1 "$VI" "$S/nonexistent"
ln -s selfloop "$S/selfloop"
check_fails cli/dir-loop 1 "$VI" "$S/selfloop"
"$VI" "$S/w" >"$S/out" 2>"$S/err"
[ ! -s "$S/out" ] && grep -q "^venvinfo: $S/w: not a virtual environment (no pyvenv.cfg)" "$S/err" && pass cli/error-format || fail cli/error-format "$(cat "$S/err")"
same cli/multicall "$("$VI" --json "$v")" "$("$VENVBOX" venvinfo --json "$v")"
# ENV_DIR: $VIRTUAL_ENV, else the nearest .venv upwards
same cli/virtual-env "$v" "$(cd / && VIRTUAL_ENV=$v "$VI" --get location)"
mkdir -p "$S/proj2/a/b" && ln -s "$v" "$S/proj2/.venv"
same cli/nearest-venv "$S/proj2/.venv" "$(cd "$S/proj2/a/b" && env -u VIRTUAL_ENV "$VI" --get location)"
(cd / && env -u VIRTUAL_ENV "$VI") >/dev/null 2>"$S/err"; st=$?
same cli/no-venv-status 1 "$st"
grep -q '^venvinfo: no virtual environment' "$S/err" && pass cli/no-venv-message || fail cli/no-venv-message "$(cat "$S/err")"

# ---- --check: what killed mkvenv runs left, inside the venv and beside it (stale-staging)
MK="$VBBIN/mkvenv -q --without-pip -p $DEB"
rm -rf "$S/kc" "$S/kcl"; $MK "$S/kc" && ln -s kc "$S/kcl"
n=1
while [ $n -lt 100 ]; do	# a --clear in place killed while it set the old entries aside
	rm -rf "$S/kc"; $MK "$S/kc"
	VENVBOX_FAULT=$n $MK --clear "$S/kcl" 2>/dev/null
	ls "$S/kc"/.venvbox-old-*/journal >/dev/null 2>&1 && [ -e "$S/kc/pyvenv.cfg" ] && break
	n=$((n + 1))
done
"$VI" --check "$S/kc" >"$S/out" 2>&1; st=$?
same stale/aside-status 1 "$st"
grep -q '^stale-staging: \.venvbox-old-[0-9]*: the old entries of a mkvenv --clear whose process is gone, stopped half way: put back by the next mkvenv of this venv$' "$S/out" \
	&& pass stale/aside-reported || fail stale/aside-reported "kill $n: $(cat "$S/out")"
grep -qF "fix: mkvenv --upgrade -p $($DEB -c 'import sys; print("%d.%d" % sys.version_info[:2])') $S/kc (undoes what interrupted runs left, removes their stages)" "$S/out" \
	&& pass stale/aside-fix || fail stale/aside-fix "$(cat "$S/out")"
$MK --upgrade "$S/kc" && check_fails stale/aside-fixed 0 "$VI" --check "$S/kc"
# beside: a killed run's staging directory and a --clear's set-aside old venv
dead=$(sh -c 'echo $$')
mkdir "$S/.kc.mkvenv-$dead" "$S/.kc.mkvenv-$dead.old" "$S/.kc.mkvenv-$$"	# the last: a live process's
"$VI" --check "$S/kc" >"$S/out" 2>&1; st=$?
same stale/beside-status 1 "$st"
grep -qxF "stale-staging: $S/.kc.mkvenv-$dead: the staging directory of a mkvenv whose process is gone, removed by the next mkvenv of this venv" "$S/out" \
	&& pass stale/beside-staging || fail stale/beside-staging "$(cat "$S/out")"
grep -qxF "stale-staging: $S/.kc.mkvenv-$dead.old: the old venv set aside by a mkvenv --clear whose process is gone, removed by the next mkvenv of this venv" "$S/out" \
	&& pass stale/beside-old || fail stale/beside-old "$(cat "$S/out")"
grep -q "mkvenv-$$" "$S/out" && fail stale/beside-live "a live run's staging reported: $(cat "$S/out")" || pass stale/beside-live
$MK --upgrade "$S/kc" && check_fails stale/beside-fixed 0 "$VI" --check "$S/kc"
[ ! -e "$S/.kc.mkvenv-$dead" ] && [ ! -e "$S/.kc.mkvenv-$dead.old" ] && [ -d "$S/.kc.mkvenv-$$" ] \
	&& pass stale/beside-removed || fail stale/beside-removed "$(ls -a "$S")"
rmdir "$S/.kc.mkvenv-$$"

# ---- a link in the venv on the way to what venvinfo reads: reported, never read through
# (lib64 -> lib is the venv's own and never used for reading)
HW=$(hello_wheel "$S/hw")
rm -rf "$S/lk" "$S/lk-real"; $MK -w "$HW" "$S/lk" || fail links/made "mkvenv -w failed"
mv "$S/lk/lib" "$S/lk-real" && ln -s "$S/lk-real" "$S/lk/lib"
"$VI" --check "$S/lk" >"$S/out" 2>&1; st=$?
same links/lib-check-status 1 "$st"
grep -qx "site-packages-unreadable: lib/python3\.[0-9]*: a symbolic link or a file is in the way at lib (venvbox reads nothing through a link in the venv)" "$S/out" \
	&& pass links/lib-reported || fail links/lib-reported "$(cat "$S/out")"
grep -q "^fix: .*put the directories themselves in place of the link on the way to lib/python3" "$S/out" \
	&& pass links/lib-fix || fail links/lib-fix "$(cat "$S/out")"
"$VI" --list "$S/lk" >"$S/out" 2>&1; st=$?
same links/lib-list-status 1 "$st"
grep -q hello "$S/out" && fail links/lib-list-not-read "listed through the link: $(cat "$S/out")" || pass links/lib-list-not-read
rm "$S/lk/lib" && mv "$S/lk-real" "$S/lk/lib"
check_fails links/lib-restored 0 "$VI" --check "$S/lk"
# bin/ a link: --check says so; --verify does not read bin/hello through it
mv "$S/lk/bin" "$S/lk-bin" && ln -s "$S/lk-bin" "$S/lk/bin"
"$VI" --check "$S/lk" >"$S/out" 2>&1
grep -qx "venv-incomplete: bin: a symbolic link or a file is in the way at bin (venvbox reads nothing through a link in the venv)" "$S/out" \
	&& pass links/bin-reported || fail links/bin-reported "$(cat "$S/out")"
"$VI" --verify "$S/lk" >"$S/out" 2>&1; st=$?
same links/bin-verify-status 1 "$st"
grep -qF "unreadable bin/hello (a symbolic link or a file on the way, not read through)" "$S/out" && pass links/bin-verify-not-read || fail links/bin-verify-not-read "$(cat "$S/out")"
rm "$S/lk/bin" && mv "$S/lk-bin" "$S/lk/bin"
check_fails links/restored-verify 0 "$VI" --verify "$S/lk"

# ---- startup hooks: .pth files with import lines and PEP 829 .start files, in name order;
# paths-only and hidden .pth files, and lines that only look like imports, are not hooks
if [ -x "$DEB" ]; then
	h=$S/hooks
	mkvenv -q --without-pip -p "$DEB" "$h" && hs=$(ls -d "$h"/lib/python3.*/site-packages) || fail hooks/venv "mkvenv failed"
	same hooks/none-text "startup hooks          none" "$("$VI" "$h" | grep '^startup hooks')"
	"$VI" --json "$h" >"$S/h.json"
	same hooks/none-json "[]" "$(jget "$S/h.json" startup_hooks)"
	printf '# comment\nimport zz_a; zz_a.go()\r\n  import not_a_hook\nimportant/path\nimport\tos\n' >"$hs/zz_a.pth"
	printf 'b_paths\n# import x\n' >"$hs/b_paths.pth"
	printf 'import evil\n' >"$hs/.hidden.pth"
	printf '# PEP 829\n\nmm.start_mod:init\n   \nmm:other\n' >"$hs/mm.start"
	: >"$hs/empty.start"
	mkdir "$hs/dir.pth"
	"$VI" "$h" | sed -n '/^startup hooks/,/^base version/p' >"$S/h.txt"
	cat >"$S/h.want" <<EOT
startup hooks          2 files run code at every start
  - mm.start: mm.start_mod:init
  - mm.start: mm:other
  - zz_a.pth: import zz_a; zz_a.go()
  - zz_a.pth: import\\x09os
EOT
	grep -v '^base version' "$S/h.txt" >"$S/h.got"
	same_files hooks/text "$S/h.want" "$S/h.got"
	"$VI" --json "$h" >"$S/h.json"
	same hooks/json '[{"file": "mm.start", "kind": "start", "code": ["mm.start_mod:init", "mm:other"]}, {"file": "zz_a.pth", "kind": "pth", "code": ["import zz_a; zz_a.go()", "import\tos"]}]' \
		"$("$DEB" -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["startup_hooks"]))' "$S/h.json")"
	same hooks/json-order "distributions startup_hooks base_version" \
		"$("$DEB" -c 'import json, sys; k = list(json.load(open(sys.argv[1]))); i = k.index("startup_hooks"); print(" ".join(k[i - 1:i + 2]))' "$S/h.json")"
	same hooks/get "mm.start: mm.start_mod:init|mm.start: mm:other|zz_a.pth: import zz_a; zz_a.go()|zz_a.pth: import\\x09os" \
		"$("$VI" --get startup_hooks "$h" | tr '\n' '|' | sed 's/|$//')"
	# what site.py runs: the interpreter runs the .pth import line listed (Debian's site.py
	# reads this site-packages twice, through lib and through local/, as for python -m venv)
	printf 'import sys; sys.stdout.write("ran-zz_a ")\n' >"$hs/zz_a.pth"
	case $("$h/bin/python" -c 'print()') in ran-zz_a*) pass hooks/site-runs-it ;;
	*) fail hooks/site-runs-it "$("$h/bin/python" -c 'print()' 2>&1 | head -c 300)" ;; esac
	same hooks/listed-after-edit 'zz_a.pth: import sys; sys.stdout.write("ran-zz_a ")' "$("$VI" --get startup_hooks "$h" | grep zz_a)"
	# site-packages gone: null, as for distributions
	mv "$hs" "$hs.gone"
	"$VI" --json "$h" >"$S/h.json"
	same hooks/no-site-json "None" "$("$DEB" -c 'import json, sys; print(repr(json.load(open(sys.argv[1]))["startup_hooks"]))' "$S/h.json")"
	mv "$hs.gone" "$hs"
else
	skip hooks "no $DEB"
fi
