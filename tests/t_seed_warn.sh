# t_seed_warn.sh: the warnings seeding gives are each directory's own: an invalid
# Requires-Python (said and ignored, as pip does) for -w into a new venv, into an existing
# one, and into several of either, every bad wheel named once per directory, after the
# line that says what was done there.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY"; exit 0; }
# the wheels: NAME-1.0-py3-none-any.whl for each NAME=REQUIRES-PYTHON, a module and metadata
"$PY" - "$S/w" "badrp=>=3.7,<<4" "worserp=~=" "goodrp=>=3" <<'PYW' || { fail fixtures "cannot write the wheels"; exit 0; }
import base64, hashlib, os, sys, zipfile
def digest(data):
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
os.makedirs(sys.argv[1], exist_ok=True)
for spec in sys.argv[2:]:
    name, rp = spec.split("=", 1)
    info = "%s-1.0.dist-info/" % name
    members = [(name + "/__init__.py", b""),
               (info + "METADATA", ("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\nRequires-Python: %s\n" % (name, rp)).encode()),
               (info + "WHEEL", b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")]
    record = "".join("%s,sha256=%s,%d\n" % (m, digest(c), len(c)) for m, c in members) + info + "RECORD,,\n"
    with zipfile.ZipFile(os.path.join(sys.argv[1], name + "-1.0-py3-none-any.whl"), "w") as z:
        for m, c in members + [(info + "RECORD", record.encode())]:
            z.writestr(m, c)
PYW
B1=$S/w/badrp-1.0-py3-none-any.whl B2=$S/w/worserp-1.0-py3-none-any.whl G=$S/w/goodrp-1.0-py3-none-any.whl
mk() { mkvenv --without-pip -p "$PY" "$@" 2>"$S/err"; }
warn() { echo "mkvenv: warning: $1: ignoring its invalid Requires-Python '$2'"; }
w1=$(warn "$B1" ">=3.7,<<4")
w2=$(warn "$B2" "~=")
# what mkvenv said, each creation line cut after the directory's name
said() { sed -E 's/^(mkvenv: created [^ ]+) with .*/\1/' "$S/err"; }
created() { echo "mkvenv: created $1"; }
installed() { echo "mkvenv: installed $2 wheel${3:-} into $1"; }

# one new venv: the warning, once
mk -w "$B1" "$S/n0" && same new/one "$(created "$S/n0"; echo "$w1")" "$(said)" || fail new/one "$(cat "$S/err")"

# an existing venv: the same warning (there was none)
mk "$S/e1" && mk -w "$B1" "$S/e1" && same existing/one "$(installed "$S/e1" 1; echo "$w1")" "$(said)" ||
	fail existing/one "$(cat "$S/err")"

# a good wheel warns of nothing, wherever it goes
mk "$S/e2" && mk -w "$G" "$S/e2" && same existing/good "$(installed "$S/e2" 1)" "$(said)" ||
	fail existing/good "$(cat "$S/err")"

# two bad wheels into two new venvs: each venv is told of both
mk -w "$B1" -w "$B2" "$S/n1" "$S/n2" &&
	same new/two-wheels-two-dirs "$(for d in n1 n2; do created "$S/$d"; echo "$w1"; echo "$w2"; done)" "$(said)" ||
	fail new/two-wheels-two-dirs "$(cat "$S/err")"

# a mix: existing, new, existing; a good wheel beside a bad one; each directory its own lines
mk "$S/e3" && mk "$S/e4" &&
	mk -w "$B1" -w "$G" "$S/e3" "$S/n3" "$S/e4" &&
	same mix "$(installed "$S/e3" 2 s; echo "$w1"; created "$S/n3"; echo "$w1"; installed "$S/e4" 2 s; echo "$w1")" "$(said)" ||
	fail mix "$(cat "$S/err")"

# the new venv first, then an existing one: the existing one's warning is its own
mk "$S/e5" && mk -w "$B2" -w "$B1" "$S/n5" "$S/e5" &&
	same new-then-existing "$(created "$S/n5"; echo "$w2"; echo "$w1"; installed "$S/e5" 2 s; echo "$w2"; echo "$w1")" "$(said)" ||
	fail new-then-existing "$(cat "$S/err")"

# pip seeded where the standard library cannot run it (Debian's python3-minimal): a warning
# naming what is missing, read from the files; an interpreter whose library lacks shutil and
# pprint is made of links to Debian's
PIPW=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
m=$(py_minor "$PY") lib=$(ls -d /usr/lib/python3.$m)
mkdir -p "$S/min/bin" "$S/min/lib/python3.$m" && cp "$(readlink -f "$PY")" "$S/min/bin/python3.$m"
for f in "$lib"/*; do
	case ${f##*/} in shutil.py|pprint.py) ;; *) ln -s "$f" "$S/min/lib/python3.$m/" ;; esac
done
if [ -n "$PIPW" ]; then
	mkvenv -q -p "$S/min/bin/python3.$m" -w "$PIPW" "$S/m1" 2>"$S/err" &&
		same stdlib/warned "mkvenv: warning: pip will not run: the standard library of Python $("$PY" -c 'import platform; print(platform.python_version())') ($S/min/lib/python3.$m) lacks shutil, pprint; install all of it (on Debian: apt-get install python3)" "$(cat "$S/err")" ||
		fail stdlib/warned "$(cat "$S/err")"
	"$S/m1/bin/pip" --version >/dev/null 2>&1 && fail stdlib/pip-fails "pip runs: the test interpreter is not missing what it should" || pass stdlib/pip-fails
	mkvenv -q -p "$PY" -w "$PIPW" "$S/m2" 2>"$S/err" && same stdlib/whole-quiet "" "$(cat "$S/err")"
	mkvenv -q --without-pip -p "$S/min/bin/python3.$m" "$S/m3" 2>"$S/err" && same stdlib/without-pip-quiet "" "$(cat "$S/err")"
else
	skip stdlib "no pip wheel in /usr/share/python-wheels"
fi

# and every wheel installed everywhere
for d in n0 e1 n1 n2 e3 n3 e4 n5 e5; do
	ls "$S/$d"/lib/python3*/site-packages/badrp-1.0.dist-info/RECORD >/dev/null 2>&1 || fail "installed/$d" "no badrp"
done
pass installed
exit 0
