# t_pylock.sh: the lock-file reader (lib/pkg/pylock.c, through `build/out/tomldump --lock`).
# fixtures/: every lock file of tests/pylock/ (hand-written cases for each refusal, each
#   accepted odd case, and lock files uv and pip wrote, their paths made neutral) read as the
#   pylock.toml spec says (tests/lockcmp.py works it out from tomllib) or refused at the line
#   and with the message it names.
# uv, pip: `uv export --format pylock.toml` and `pip lock` (the tools venv's pip wheel) run
#   offline on a small project over the real-wheel corpus (uv's for every Python from 3.10:
#   markers on some packages), read the same way; every wheel they name is in the corpus
#   with the SHA-256 the reader took from the file.
. "$TESTS/lib.sh"
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import tomllib' 2>/dev/null ||
	{ skip all "no /usr/bin/python3 with tomllib (3.11+) to compare with"; exit 0; }
dump=${VENVBOX%/*}/tomldump
[ -x "$dump" ] || { fail all "no $dump (make builds it)"; exit 0; }

# compare NAME FILE...: the reader's view of each FILE checked by tests/lockcmp.py
compare() {
	_n=$1; shift
	"$dump" --lock "$@" >"$SCRATCH/$_n.dump" 2>"$SCRATCH/$_n.err" || fail "$_n/tomldump" "exit $?: $(head -c 400 "$SCRATCH/$_n.err")"
	/usr/bin/python3 "$TESTS/lockcmp.py" "$SCRATCH/$_n.dump" "$@" >"$SCRATCH/$_n.cmp" 2>&1 ||
		fail "$_n/lockcmp" "$(tail -n 5 "$SCRATCH/$_n.cmp" | tr '\n' ' ')"
	[ "$(grep -c '^ok \|^differ ' "$SCRATCH/$_n.cmp")" = $# ] || fail "$_n/lockcmp-lines" "$(grep -v '^ok \|^differ ' "$SCRATCH/$_n.cmp" | head -n 3 | tr '\n' ' ')"
	while read -r _st _f _rest; do
		_f=${_f%:}
		case $_st in
		ok) pass "$_n/${_f##*/}" ;;
		differ) fail "$_n/${_f##*/}" "$_f: $_rest" ;;
		esac
	done <"$SCRATCH/$_n.cmp"
}

cd "$TOP" || exit 1
set -- tests/pylock/*.toml
[ $# -ge 50 ] || fail count "only $# lock files in tests/pylock/"
compare fixtures "$@"

# in_corpus DUMP MIN: the wheels a lock file names (at least MIN) are in the corpus, with the
# hashes the reader read
in_corpus() {
	/usr/bin/python3 - "$1" "$C/wheels" "$2" <<'PY'
import hashlib, json, os, sys
d = [l for l in open(sys.argv[1]) if not l.startswith("== ")]
got = json.loads(d[0])
n = 0
for p in got["packages"]:
	for w in p["wheels"]:
		f = os.path.join(sys.argv[2], w["name"])
		h = hashlib.sha256(open(f, "rb").read()).hexdigest() if os.path.exists(f) else "missing"
		if w["hashes"].get("sha256") != h:
			print("%s: %s in the corpus, %s in the lock" % (w["name"], h, w["hashes"].get("sha256")))
		n += 1
if n < int(sys.argv[3]):
	print("only %d wheels" % n)
PY
}
C=$TOP/build/out/corpus
need_tools uv || exit 0
[ -f "$C/.complete" ] || { skip uv "$(cat "$TOP/build/out/corpus.skip" 2>/dev/null || echo "no corpus: run sh tests/setup.sh")"; exit 0; }
proj=$SCRATCH/proj
mkdir -p "$proj"
cat >"$proj/pyproject.toml" <<'EOF2'
[project]
name = "tiny"
version = "0.1"
requires-python = ">=3.10"
dependencies = ["requests", "attrs", "click", "tomli; python_version < '3.11'", "exceptiongroup; python_version < '3.11'"]
[tool.uv]
package = false
EOF2
export UV_CACHE_DIR="$SCRATCH/uv-cache" UV_NO_CONFIG=1
if (cd "$proj" && "$TOOLS/bin/uv" lock -q --offline --no-index --find-links "$C/wheels" &&
    "$TOOLS/bin/uv" export -q --format pylock.toml --offline --no-index --find-links "$C/wheels" -o pylock.toml) >"$SCRATCH/uv.log" 2>&1; then
	compare uv "$proj/pylock.toml"
	same uv/in-corpus "" "$(in_corpus "$SCRATCH/uv.dump" 10)"
else
	fail uv "uv lock/export failed: $(tail -c 600 "$SCRATCH/uv.log")"
fi
pipw=$(ls "$TOOLS"/wheels/pip-*.whl 2>/dev/null | tail -n 1)
if [ -z "$pipw" ]; then
	skip pip "no pip wheel in the tools venv ($TOOLS/wheels)"
elif ! "$TOOLS/bin/python" "$pipw/pip" lock --help >/dev/null 2>&1; then
	skip pip "$(basename "$pipw") has no lock command (pip 25.1 brought it)"
elif (cd "$proj" && "$TOOLS/bin/python" "$pipw/pip" lock -q --disable-pip-version-check --no-index \
	--find-links "$C/wheels" -o pylock.pip.toml requests attrs click) >"$SCRATCH/pip.log" 2>&1; then
	compare pip "$proj/pylock.pip.toml"
	same pip/in-corpus "" "$(in_corpus "$SCRATCH/pip.dump" 7)"
else
	fail pip "pip lock failed: $(tail -c 600 "$SCRATCH/pip.log")"
fi
