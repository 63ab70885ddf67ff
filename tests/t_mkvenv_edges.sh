# t_mkvenv_edges.sh: corner cases a review found: long paths, --clear keeping the directory,
# a venv's python standing for its base, -w with another interpreter, SOURCE_DATE_EPOCH in
# a shared directory, namespace packages, hostile old RECORDs, FIFOs, invalid specifiers.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY"; exit 0; }
mk() { mkvenv -q --without-pip -p "$PY" "$@"; }
mkw() {	# mkw DIR NAME FILE=CONTENT...: a small wheel
	"$PY" - "$@" <<'PYW'
import base64, hashlib, sys, zipfile
out, name, *files = sys.argv[1:]
d = {f.split("=", 1)[0]: f.split("=", 1)[1].encode() for f in files}
di = name + "-1.0.dist-info"
d[di + "/METADATA"] = ("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % name).encode() + d.pop("META", b"")
d[di + "/WHEEL"] = b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
rows = ["%s,sha256=%s,%d" % (n, base64.urlsafe_b64encode(hashlib.sha256(c).digest()).rstrip(b"=").decode(), len(c)) for n, c in d.items()]
with zipfile.ZipFile("%s/%s-1.0-py3-none-any.whl" % (out, name), "w") as z:
    for n, c in d.items():
        z.writestr(n, c)
    z.writestr(di + "/RECORD", "\n".join(rows + [di + "/RECORD,,"]) + "\n")
print("%s/%s-1.0-py3-none-any.whl" % (out, name))
PYW
}
mkdir -p "$S/w"

# a parent path near the staging name's old limit: nothing outside ENV_DIR is touched
G=$S/long
while [ ${#G} -lt 399 ]; do G="$G/x"; done
G=${G%/x}; while [ ${#G} -lt 399 ]; do G="${G}y"; done
mkdir -p "$G/sub" && echo canary >"$G/CANARY"
mk "$G/sub/v" 2>"$S/err"
[ "$(cat "$G/CANARY" 2>/dev/null)" = canary ] && pass long-parent-untouched || fail long-parent-untouched "$(cat "$S/err")"

# --clear: the new directory (swapped in atomically) keeps the old one's mode and owner;
# from inside it, it is cleared where it is
mk "$S/c" && chmod 2770 "$S/c" && chown nobody "$S/c" 2>/dev/null
want=$(stat -c '%a %U' "$S/c")
mk --clear "$S/c" && same clear-keeps-mode-owner "$want" "$(stat -c '%a %U' "$S/c")"
ino=$(stat -c %i "$S/c")
(cd "$S/c" && mk --clear . "$S/c2") 2>"$S/err" && [ -e "$S/c/pyvenv.cfg" ] && [ -e "$S/c2/pyvenv.cfg" ] &&
	[ "$(stat -c %i "$S/c")" = "$ino" ] && pass clear-from-inside || fail clear-from-inside "$(cat "$S/err")"

# a venv's python is not the base: mkvenv inside an activated venv points at the real one
base_home=$(sed -n 's/^home = //p' "$S/c/pyvenv.cfg")
activate "$S/c" -- mkvenv -q --without-pip "$S/chained" 2>"$S/err"
same venv-python-is-not-base "$base_home" "$(sed -n 's/^home = //p' "$S/chained/pyvenv.cfg" 2>/dev/null)"
mkvenv -q --without-pip -p "$S/c/bin/python" "$S/chained2"
same venv-python-p "$base_home" "$(sed -n 's/^home = //p' "$S/chained2/pyvenv.cfg" 2>/dev/null)"

# -w into an existing venv: the venv's own interpreter, never another
A=$(mkw "$S/w" nsa "nsx/__init__.py=__path__ = __import__('pkgutil').extend_path(__path__, __name__)" "nsx/a.py=A = 1")
B=$(mkw "$S/w" nsb "nsx/__init__.py=__path__ = __import__('pkgutil').extend_path(__path__, __name__)" "nsx/b.py=B = 2")
other=""
for p in $(pythons); do [ "$(py_minor "$p")" != "$(py_minor "$PY")" ] && other=$p && break; done
if [ -n "$other" ]; then
	mk "$S/own"
	mkvenv -q -p "$other" -w "$A" "$S/own" 2>"$S/err"
	[ $? = 1 ] && grep -q 'venv; -p' "$S/err" && pass wheel-other-python-refused || fail wheel-other-python-refused "$(cat "$S/err")"
	MKVENV_PYTHON=$other mkvenv -q -w "$A" "$S/own" && "$S/own/bin/python" -c 'import nsx.a' &&
		pass wheel-own-python || fail wheel-own-python "installed for another Python"
fi
# namespace packages: the same __init__.py in two distributions
mk "$S/ns" && mkvenv -q -w "$A" -w "$B" "$S/ns" && "$S/ns/bin/python" -c 'import nsx.a, nsx.b' &&
	pass namespace-shared-file || fail namespace-shared-file "refused"
C=$(mkw "$S/w" nsc "nsx/__init__.py=different = True")
mkvenv -q -w "$C" "$S/ns" 2>"$S/err"; [ $? = 1 ] && grep -q 'belongs to ns' "$S/err" &&
	pass namespace-different-refused || fail namespace-different-refused "$(cat "$S/err")"

# an old RECORD that lists the venv's own files: replacing the distribution keeps them
mk "$S/hv" && mkvenv -q -w "$A" "$S/hv"
printf '../../../pyvenv.cfg,,\n../../../bin/python3,,\n' >>"$S/hv/lib/python3.$(py_minor "$PY")/site-packages/nsa-1.0.dist-info/RECORD"
mkvenv -q -w "$A" "$S/hv" && [ -e "$S/hv/pyvenv.cfg" ] && [ -e "$S/hv/bin/python3" ] &&
	pass old-record-cannot-take-venv-files || fail old-record-cannot-take-venv-files "venv files removed"

# SOURCE_DATE_EPOCH in a project directory: only the venv's own entries get the epoch
mkdir -p "$S/proj/src" && touch -d 2020-01-01 "$S/proj/src/main.c"
(cd "$S/proj" && SOURCE_DATE_EPOCH=1000000000 mk .)
same epoch-leaves-user-files "2020-01-01" "$(date -u -r "$S/proj/src/main.c" +%F)"
same epoch-on-venv "2001-09-09" "$(date -u -r "$S/proj/pyvenv.cfg" +%F)"
SOURCE_DATE_EPOCH=1000000000 mkvenv -q -w "$B" "$S/proj" &&
	same epoch-on-wheel "2001-09-09" "$(date -u -r "$S/proj/lib/python3.$(py_minor "$PY")/site-packages/nsx/b.py" +%F)"

# a FIFO named like a wheel is refused at once, not waited on
mkfifo "$S/w/fifo-1.0-py3-none-any.whl"
timeout 10 mkvenv -q --without-pip -p "$PY" -w "$S/w/fifo-1.0-py3-none-any.whl" "$S/ff" 2>"$S/err"
st=$?
[ $st = 1 ] && grep -q 'not a regular file' "$S/err" && [ ! -e "$S/ff" ] && pass fifo-refused || fail fifo-refused "status $st: $(cat "$S/err")"

# an invalid Requires-Python is said and ignored, as pip does
R=$(mkw "$S/w" badrp "badrp/__init__.py=" "META=Requires-Python: >=3.7;\n")
mkvenv -q --without-pip -p "$PY" -w "$R" "$S/rp" 2>"$S/err" && grep -q "ignoring its invalid Requires-Python" "$S/err" &&
	pass invalid-requires-python || fail invalid-requires-python "$(cat "$S/err")"

# an empty environment: the command is still found on the default PATH after the venv's bin
same env-i-command "ok" "$(env -i "$VBBIN/activate" "$S/c" -- sh -c 'echo ok' 2>&1)"
# usage messages name the option
mkvenv -p 2>"$S/err"; grep -q -- '-p: needs a value' "$S/err" && pass usage-names-option || fail usage-names-option "$(cat "$S/err")"
check_fails venvbox-unknown-option 2 "$VENVBOX" --bogus
check_fails empty-env-dir 1 mkvenv -q --without-pip -p "$PY" ""

# SIGTERM during a replacement install: the old version or the new one, whole, never a mix
PIPW=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
if [ -n "$PIPW" ]; then
	mk "$S/sig" && mkvenv -q -w "$PIPW" "$S/sig"
	bad=0
	for d in 0.005 0.01 0.02 0.03 0.04 0.06 0.08 0.12; do
		mkvenv -q -w "$PIPW" "$S/sig" 2>/dev/null & pid=$!
		sleep "$d"; kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null
		"$S/sig/bin/python" -m pip --version >/dev/null 2>&1 && venvinfo --verify "$S/sig" >/dev/null 2>&1 ||
			{ bad=$((bad + 1)); echo "broken after TERM at $d" >&2; }
	done
	[ $bad = 0 ] && pass sigterm-install-whole || fail sigterm-install-whole "$bad of 8 left pip broken"
else
	skip sigterm-install "no /usr/share/python-wheels"
fi

# RECORD hashes "sha256 or better": sha384 and sha512 rows are checked too
"$PY" - "$S/w" <<'PYW'
import base64, hashlib, sys, zipfile
out = sys.argv[1]
for name, algo, tamper in (("hs512", "sha512", False), ("hs384", "sha384", False), ("hbad512", "sha512", True)):
    di = name + "-1.0.dist-info"
    d = {name + "/__init__.py": b"X = 1\n",
         di + "/METADATA": ("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % name).encode(),
         di + "/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    rows = []
    for n, c in d.items():
        h = hashlib.new(algo, c + (b"!" if tamper and n.endswith(".py") else b"")).digest()
        rows.append("%s,%s=%s,%d" % (n, algo, base64.urlsafe_b64encode(h).rstrip(b"=").decode(), len(c)))
    with zipfile.ZipFile("%s/%s-1.0-py3-none-any.whl" % (out, name), "w") as z:
        for n, c in d.items():
            z.writestr(n, c)
        z.writestr(di + "/RECORD", "\n".join(rows + [di + "/RECORD,,"]) + "\n")
PYW
mk "$S/h5"
mkvenv -q -w "$S/w/hs512-1.0-py3-none-any.whl" -w "$S/w/hs384-1.0-py3-none-any.whl" "$S/h5" 2>"$S/err" &&
	"$S/h5/bin/python" -c 'import hs512, hs384' && pass record-sha512-sha384 || fail record-sha512-sha384 "$(cat "$S/err")"
mkvenv -q -w "$S/w/hbad512-1.0-py3-none-any.whl" "$S/h5" 2>"$S/err"
[ $? = 1 ] && grep -q 'does not match its RECORD hash' "$S/err" && pass record-sha512-mismatch || fail record-sha512-mismatch "$(cat "$S/err")"

# parents that do not exist yet are made through a link to a directory on the way, as
# python -m venv (os.makedirs) and mkdir -p do; only the venv's own name is never followed,
# and a failure removes what was made
mkdir -p "$S/real" && ln -s real "$S/lnk"
"$PY" -m venv --without-pip "$S/lnk/pa/pb/ref" >/dev/null 2>&1 && ref=ok || ref=no
mk "$S/lnk/qa/qb/v" && ours=ok || ours=no
same parents-through-link "$ref" "$ours"
[ -x "$S/real/qa/qb/v/bin/python" ] && pass parents-through-link-made || fail parents-through-link-made "$(ls -R "$S/real" | head -20)"
printf 'x' >"$S/real/file"
check_fails parents-file-in-way 1 mkvenv -q --without-pip -p "$PY" "$S/lnk/file/sub/v"
[ ! -e "$S/real/file/sub" ] && [ "$(cat "$S/real/file")" = x ] && pass parents-file-untouched || fail parents-file-untouched "$(ls -la "$S/real")"
mkdir -p "$S/real/keep"
n=1 bad=
while [ $n -lt 100 ]; do	# every failing step, the parents made before it included
	VENVBOX_FAULT=$n:fail mk "$S/lnk/keep/na/nb/v" 2>/dev/null && break
	[ -z "$(ls -A "$S/real/keep")" ] || bad="$bad $n"
	rm -rf "$S/real/keep/na"; n=$((n + 1))
done
[ -z "$bad" ] && [ $n -gt 3 ] && pass parents-removed-on-failure || fail parents-removed-on-failure "left behind at steps$bad of $n"

# a --find-links directory that is not there is said, as pip says it, and the venv still made
mk --find-links "$S/no-such-dir" "$S/fl" 2>"$S/fl.err" && pass find-links-missing-goes-on || fail find-links-missing-goes-on "$(cat "$S/fl.err")"
grep -q "^mkvenv: warning: --find-links $S/no-such-dir: not a directory; ignored$" "$S/fl.err" && pass find-links-missing-said || fail find-links-missing-said "[$(cat "$S/fl.err")]"
mk --find-links "$S/w" "$S/fl2" 2>"$S/fl2.err"; [ ! -s "$S/fl2.err" ] && pass find-links-present-quiet || fail find-links-present-quiet "$(cat "$S/fl2.err")"

# what mkvenv says it did to the directory: created, reused, upgraded, re-created, filled
said() { sed -n 's/^mkvenv: \([a-z-]*\) .*/\1/p' "$S/say.err"; }
rm -rf "$S/say" "$S/say-empty" && mkdir "$S/say-empty"
for step in created: reused: upgraded:--upgrade re-created:--clear; do
	mkvenv --without-pip -p "$PY" ${step#*:} "$S/say" 2>"$S/say.err"
	same "said/${step%%:*}" "${step%%:*}" "$(said)"
done
mkvenv --without-pip -p "$PY" "$S/say-empty" 2>"$S/say.err"
same said/filled filled "$(said)"

# Python 2 found by version: said to be unsupported, naming what was found
P2=$(ls -d "$PYENV_VERSIONS"/2.* 2>/dev/null | tail -n 1)
if [ -n "$P2" ]; then
	v=${P2##*/} xy=${P2##*/}; xy=${xy%.*}
	mkvenv -q -p "$xy" "$S/py2" 2>"$S/err"; st=$?
	[ $st = 1 ] && [ ! -e "$S/py2" ] &&
		grep -q "^mkvenv: -p $xy: found only $P2/bin/python$xy (Python $xy), which venvbox does not support (it needs Python 3.3 or later)$" "$S/err" &&
		pass python2-unsupported || fail python2-unsupported "exit $st: $(cat "$S/err")"
else
	skip python2-unsupported "no pyenv Python 2 on this machine"
fi
