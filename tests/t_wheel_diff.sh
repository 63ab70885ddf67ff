# t_wheel_diff.sh: every real wheel on the machine (and the current pip and setuptools of the
# tools venv) installed by venvbox and by pypa/installer (`python -m installer`, the current
# release from the tools venv, else Debian's python3-installer) into twin venvs of Debian's python3: the same
# files, contents and modes. Documented differences: launchers (our own text), RECORD
# (theirs lists their launchers' hashes), INSTALLER and REQUESTED (installer's command
# line writes neither), and pip's versioned script names (pip's own rule, which we follow).
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY"; exit 0; }
# installer comes from the tools venv (made on Debian's python3) when there is one
INST=/usr/lib/python3/dist-packages
need_tools current-installer && INST=$(ls -d "$TOOLS"/lib/python3.*/site-packages | head -n 1)
PYTHONPATH=$INST "$PY" -c 'import installer' 2>/dev/null || { skip all "no installer: neither the tools venv nor python3-installer"; exit 0; }
echo "installer $(PYTHONPATH=$INST "$PY" -c 'import installer; print(installer.__version__)') from $INST"
minor=$(py_minor "$PY")
site=lib/python3.$minor/site-packages

listing() {	# listing VENV: every file but the documented differences, with mode and hash
	(cd "$1" && find . -path ./bin -prune -o -type f -print | grep -v -e '/RECORD$' -e '/INSTALLER$' -e '/REQUESTED$' -e '^./pyvenv.cfg$' |
		LC_ALL=C sort | while read -r f; do printf '%s %s %s\n' "$(stat -c %a "$f")" "$(sha256sum <"$f" | cut -c1-16)" "$f"; done
	 find . -type d | LC_ALL=C sort)
}

n=0
for whl in /usr/share/python-wheels/*.whl "$PYENV_VERSIONS"/3.*/lib/python3.*/ensurepip/_bundled/*.whl "$TOOLS"/wheels/*.whl; do
	[ -f "$whl" ] || continue
	name=$(basename "$whl" .whl)
	ref=$S/ref-$name vb=$S/vb-$name
	rm -rf "$ref" "$vb"
	"$PY" -m venv --without-pip "$ref" && mkvenv -q --without-pip -p "$PY" "$vb" || { fail "$name/venvs" "no venvs"; continue; }
	if ! PYTHONPATH=$INST "$ref/bin/python" -m installer --no-compile-bytecode "$whl" >"$S/err" 2>&1; then
		# installer refuses what cannot run here too; then so must we
		mkvenv -q --without-pip -p "$PY" -w "$whl" "$vb" 2>/dev/null && fail "$name/both-refuse" "installer refused, venvbox installed" || pass "$name/both-refuse"
		continue
	fi
	if ! mkvenv -q --without-pip -p "$PY" -w "$whl" "$vb" 2>"$S/err"; then
		grep -q 'requires Python\|cannot run on this interpreter' "$S/err" && skip "$name" "not for this Python: $(cat "$S/err")" ||
			fail "$name/install" "$(cat "$S/err")"
		continue
	fi
	n=$((n + 1))
	listing "$ref" >"$S/ref.list"
	listing "$vb" | grep -v '^\./\.gitignore$' | grep -v ' \./\.gitignore$' >"$S/vb.list"
	sed -i '/ \.\/\.gitignore$/d' "$S/ref.list"
	same_files "$name/files" "$S/ref.list" "$S/vb.list"
	# launchers: the same names, but the versioned ones pip's rule gives this interpreter
	unversioned() { ls "$1" | grep -v -e '^python' -e '^activate' -e '^Activate' -e '^pip3\.[0-9]*$' -e '^easy_install-[0-9.]*$' | sort; }
	unversioned "$ref/bin" >"$S/ref.bin"
	unversioned "$vb/bin" >"$S/vb.bin"
	same_files "$name/launchers" "$S/ref.bin" "$S/vb.bin"
	grep -qx pip "$S/vb.bin" && { [ -x "$vb/bin/pip3.$minor" ] && pass "$name/pip3.$minor" || fail "$name/pip3.$minor" "missing"; }
	grep -qx easy_install "$S/vb.bin" && { [ -x "$vb/bin/easy_install-3.$minor" ] && pass "$name/easy_install-3.$minor" || fail "$name/easy_install-3.$minor" "missing"; }
	for l in $(cat "$S/vb.bin"); do
		[ -x "$vb/bin/$l" ] && head -n 1 "$vb/bin/$l" | grep -qx "#!$vb/bin/python" || fail "$name/launcher-$l" "$(head -n 1 "$vb/bin/$l")"
	done
	# our RECORD: every installed file exactly once, with its real hash and size
	"$PY" - "$vb" "$site" <<'PYCHECK' >"$S/rec.out" 2>&1 && pass "$name/record" || fail "$name/record" "$(head -5 "$S/rec.out")"
import base64, csv, hashlib, os, sys
venv, site = sys.argv[1], sys.argv[2]
sp = os.path.join(venv, site)
for di in [d for d in os.listdir(sp) if d.endswith(".dist-info")]:
    rows = list(csv.reader(open(os.path.join(sp, di, "RECORD"), newline="")))
    seen = set()
    for path, h, size in rows:
        full = os.path.normpath(os.path.join(sp, path))
        assert full not in seen, "twice: " + path
        seen.add(full)
        if path == di + "/RECORD":
            assert h == "" and size == "", path
            continue
        data = open(full, "rb").read()
        want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert h == want and int(size) == len(data), "bad row: " + path
    # nothing installed that RECORD does not list (within the distribution's own dirs)
    for root, dirs, files in os.walk(sp):
        for f in files:
            p = os.path.normpath(os.path.join(root, f))
            if p not in seen and not any(p.startswith(os.path.join(sp, d) + "/") for d in os.listdir(sp) if d.endswith(".dist-info") and d != di):
                top = os.path.relpath(p, sp).split("/")[0]
                owned = {os.path.relpath(x, sp).split("/")[0] for x in seen}
                assert top not in owned, "unlisted: " + p
PYCHECK
done
[ $n -ge 2 ] && pass wheels-compared || fail wheels-compared "only $n wheels compared"
