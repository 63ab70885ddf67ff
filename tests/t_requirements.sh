# t_requirements.sh: mkvenv -r (issue 15). Environment markers evaluated without running the
# interpreter, against the values packaging computes inside each interpreter on the machine;
# tag ranking against packaging's sys_tags() order; every refusal of tests/req/refuse/ (the
# venv byte-identical after, a new one not made); selection from synthetic wheels and files
# written by uv pip compile --generate-hashes and pip freeze over corpus wheels, each
# installed set equal to what pip install --no-index --no-deps -r installs into a twin venv.
. "$TESTS/lib.sh"
S=$SCRATCH
REQ=$TESTS/req
MC=${VBBIN%/bin}/markercheck
TC=${VBBIN%/bin}/tagcheck

# py_id PY: a short name for an interpreter in test names
py_id() { case $1 in /usr/bin/*) echo "debian-${1##*/}" ;; *) _i=${1%/bin/*}; echo "${_i##*/}" ;; esac; }
# every interpreter: the CPythons and pypy3
interpreters() { pythons; command -v pypy3 2>/dev/null || :; }

# ---- markers: our values and results against packaging's, per interpreter ---------------
need_tools markers || exit 0
TPY=$TOOLS/bin/python
SITE=$("$TPY" -c 'import packaging, os; print(os.path.dirname(os.path.dirname(packaging.__file__)))')
# the values packaging's default_environment() takes from sys, os and platform, computed
# inside the interpreter with its standard library only (3.6 has no packaging 26)
PROBE='import os, platform, sys
def full(i):
    v = "%d.%d.%d" % (i.major, i.minor, i.micro)
    return v if i.releaselevel == "final" else v + i.releaselevel[0] + str(i.serial)
pv = platform.python_version()
if pv.endswith("+"): pv = pv[:-1]
for k, v in (("python_version", ".".join(platform.python_version_tuple()[:2])),
             ("python_full_version", pv), ("implementation_name", sys.implementation.name),
             ("implementation_version", full(sys.implementation.version)),
             ("platform_python_implementation", platform.python_implementation()),
             ("sys_platform", sys.platform), ("os_name", os.name), ("platform_system", platform.system()),
             ("platform_machine", platform.machine()), ("platform_release", platform.release()),
             ("platform_version", platform.version())):
    print("%s=%s" % (k, v))'
EVAL='import sys
from packaging.markers import Marker
env = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]))
env["extra"] = ""
for line in open(sys.argv[2]):
    line = line.rstrip("\n")
    if not line:
        continue
    try:
        print("1" if Marker(line).evaluate(env) else "0")
    except Exception:
        print("error")'
interpreters | while read -r py; do
	id=$(py_id "$py")
	"$py" -c "$PROBE" >"$S/$id.env" 2>"$S/$id.err" || { fail "markers/$id/probe" "$(head -c 300 "$S/$id.err")"; continue; }
	"$MC" -e "$py" </dev/null >"$S/$id.ours-env" 2>&1 || { fail "markers/$id/values" "$(head -c 300 "$S/$id.ours-env")"; continue; }
	same_files "markers/$id/values" "$S/$id.env" "$S/$id.ours-env"
	"$TPY" -c "$EVAL" "$S/$id.env" "$REQ/markers.txt" >"$S/$id.theirs" 2>&1
	"$MC" "$py" <"$REQ/markers.txt" >"$S/$id.ours" 2>&1
	paste -d' ' "$S/$id.theirs" "$S/$id.ours" "$REQ/markers.txt" | awk '$1 != $2' >"$S/$id.diff"
	[ -s "$S/$id.diff" ] && fail "markers/$id/results" "theirs, ours, marker: $(head -n 5 "$S/$id.diff" | tr '\n' '|')" ||
		pass "markers/$id/results"
done

# ---- tags: pip's order is ours (each tag pip lists ranked after the one before) --------------
# (pip's list from `pip debug --verbose`, the pip mkvenv seeds each interpreter with; packaging
# 26 itself now lists linux_ARCH before the manylinux tags, the pips seeded here after them)
interpreters | while read -r py; do
	id=$(py_id "$py")
	mkvenv -q -p "$py" "$S/$id.seeded" >"$S/$id.seed.out" 2>&1 || { fail "rank/$id/venv" "$(head -c 300 "$S/$id.seed.out")"; continue; }
	if ! "$S/$id.seeded/bin/python" -m pip debug --verbose >"$S/$id.debug" 2>&1; then
		skip "rank/$id" "its pip has no debug command: $(tail -n 1 "$S/$id.debug" | head -c 120)"
		continue
	fi
	awk '/^Compatible tags:/ { on = 1; next } on && /^  / { print $1 }' "$S/$id.debug" >"$S/$id.tags"
	"$TC" -r "$py" <"$S/$id.tags" >"$S/$id.ranks" 2>&1
	awk 'NR > 1 && $1 <= last { print "line " NR ": " $2 " (" $1 ") after " prev " (" last ")"; bad = 1 }
	     $1 < 0 { print "line " NR ": " $2 " does not run"; bad = 1 }
	     { last = $1; prev = $2 } END { exit bad }' "$S/$id.ranks" >"$S/$id.rankbad" &&
		[ -s "$S/$id.tags" ] && pass "rank/$id" || fail "rank/$id" "$(wc -l <"$S/$id.tags") tags: $(head -n 4 "$S/$id.rankbad" | tr '\n' ' ')"
done

# ---- synthetic wheels: the refusals, and the choices against pip's ---------------------------
PY=/usr/bin/python3
[ -x "$PY" ] || { skip rest "no /usr/bin/python3"; exit 0; }
MINOR=$(py_minor "$PY")
ARCH=$(uname -m)
W=$S/wheels
"$PY" "$REQ/mkreq.py" "$W" "$MINOR" "$ARCH" || { fail mkreq "the wheels were not made"; exit 0; }
check base mkvenv -q --without-pip -p "$PY" "$S/v"
ntree "$S/v" >"$S/v.before"
for f in "$REQ"/refuse/*.txt; do
	c=${f##*/}; c=${c%.txt}
	line=$(sed -n '1s/^# expect \([0-9]*\): .*/\1/p' "$f")
	want=$(sed -n '1s/^# expect [0-9]*: //p' "$f")
	mkvenv -q --find-links "$W" -r "$f" "$S/v" >"$S/$c.out" 2>&1; st=$?
	ok=1
	[ "$st" = 1 ] || ok=0
	if [ "$line" != 0 ] && ! grep -q -e "$f:$line: " -e "(named at $f:$line)" "$S/$c.out"; then ok=0; fi
	old_ifs=$IFS; IFS='|'
	for part in $want; do grep -qF -- "$part" "$S/$c.out" || ok=0; done
	IFS=$old_ifs
	[ $ok = 1 ] && pass "refuse/$c" || fail "refuse/$c" "exit $st, wanted 1, line $line, '$want': $(head -c 500 "$S/$c.out")"
	[ "$(ntree "$S/v")" = "$(cat "$S/v.before")" ] && pass "refuse/$c-unchanged" || fail "refuse/$c-unchanged" "the venv changed"
	mkvenv -q --without-pip -p "$PY" --find-links "$W" -r "$f" "$S/new" >/dev/null 2>&1
	[ ! -e "$S/new" ] && pass "refuse/$c-not-made" || { fail "refuse/$c-not-made" "$S/new is there"; rm -rf "$S/new"; }
done

PIP_Q="-m pip --disable-pip-version-check --no-input"
PIP="$PIP_Q -q"
# twin NAME FILE PY LINKS [MKVENV-OPTIONS]: FILE installed by mkvenv and by pip (--no-deps:
# the pip mkvenv seeds PY with, in its own venv) into two new venvs of PY; the same
# distributions, versions and wheel tags
twin() {
	_n=$1 _f=$2 _py=$3 _l=$4; shift 4
	rm -rf "$S/$_n.vb" "$S/$_n.pip"
	mkdir -p "$(dirname "$S/$_n")"
	if ! mkvenv -q --without-pip -p "$_py" --find-links "$_l" "$@" -r "$_f" "$S/$_n.vb" >"$S/$_n.vb.out" 2>&1; then
		fail "$_n/mkvenv" "$(head -c 800 "$S/$_n.vb.out")"; return 1
	fi
	mkvenv -q -p "$_py" "$S/$_n.pip" &&
	"$S/$_n.pip/bin/python" $PIP install --no-index --no-deps --find-links "$_l" -r "$_f" >"$S/$_n.pip.out" 2>&1 ||
		{ fail "$_n/pip" "$(tail -c 600 "$S/$_n.pip.out")"; return 1; }
	site_set "$S/$_n.vb" >"$S/$_n.vb.set"
	site_set "$S/$_n.pip" >"$S/$_n.pip.set"
	[ -s "$S/$_n.pip.set" ] || { fail "$_n/set" "pip installed nothing"; return 1; }
	same_files "$_n/set" "$S/$_n.pip.set" "$S/$_n.vb.set"
	# a complete set: pip check and venvinfo --check agree that it is
	if "$S/$_n.pip/bin/python" $PIP_Q check >/dev/null 2>&1; then
		check "$_n/venvinfo-check" venvinfo --check "$S/$_n.vb"
	fi
}
printf 'alpha\nbeta\ngamma\ndelta\nepsilon\nzeta\n' >"$S/pick.txt"
twin pick "$S/pick.txt" "$PY" "$W" --no-deps
printf 'alpha>=1,<2\nbeta<1\nalpha<2.1rc1 ; python_version >= "3"\nzeta==1.0b1\n' >"$S/pick2.txt"
twin pick2 "$S/pick2.txt" "$PY" "$W" --no-deps
printf 'alpha>=2.1rc1\n-c constraints.txt\nbeta\n' >"$S/pick3.txt"
printf 'beta<1\ndelta==1.0\n' >"$S/constraints.txt"
twin pick3 "$S/pick3.txt" "$PY" "$W" --no-deps
# the closure: met (needs: beta, gamma<3) and an existing venv's dists counted
printf 'needs\nbeta\ngamma\n' >"$S/needs.txt"
check closure-met mkvenv -q --without-pip -p "$PY" --find-links "$W" -r "$S/needs.txt" "$S/closure"
printf 'with-extra\n' >"$S/extra-plain.txt"
check closure-extra-not-asked mkvenv -q --find-links "$W" -r "$S/extra-plain.txt" "$S/closure"
printf 'wants-missing\n' >"$S/wm.txt"
printf 'delta\n' >"$S/delta.txt"
check closure-installed-delta mkvenv -q --find-links "$W" -r "$S/delta.txt" "$S/closure"
mkvenv -q --find-links "$W" -r "$S/wm.txt" "$S/closure" >"$S/wm.out" 2>&1
grep -q 'wants-missing 1.0 requires absent-project>=1, which is not in the set' "$S/wm.out" &&
	! grep -q 'requires delta' "$S/wm.out" && pass closure-counts-installed ||
	fail closure-counts-installed "$(head -c 600 "$S/wm.out")"
check no-deps mkvenv -q --find-links "$W" --no-deps -r "$S/wm.txt" "$S/closure"
# venvinfo --check says what pip check says of it (dependency-missing, dependency-version)
printf 'wants-newer\nalpha\n' >"$S/wn.txt"
check no-deps-conflict mkvenv -q --find-links "$W" --no-deps -r "$S/wn.txt" "$S/closure"
"$TOOLS/bin/python" $PIP_Q --python "$S/closure/bin/python" check >"$S/pipcheck" 2>&1
venvinfo --check "$S/closure" >"$S/vicheck"; st=$?
sed -n 's/^dependency-[a-z]*: //p' "$S/vicheck" | LC_ALL=C sort >"$S/vicheck.msgs"
LC_ALL=C sort "$S/pipcheck" >"$S/pipcheck.msgs"
[ "$st" = 1 ] && grep -q '^dependency-missing: ' "$S/vicheck" && grep -q '^dependency-version: ' "$S/vicheck" &&
	pass venvinfo-check-kinds || fail venvinfo-check-kinds "exit $st: $(head -c 400 "$S/vicheck")"
same_files venvinfo-check-is-pip-check "$S/pipcheck.msgs" "$S/vicheck.msgs"
venvinfo --check --json "$S/closure" | grep -q '"kind": "dependency-version", "message": "wants-newer 1.0 has requirement alpha>=3, but you have alpha 2.0."' &&
	pass venvinfo-check-json || fail venvinfo-check-json "$(venvinfo --check --json "$S/closure" | head -c 400)"
# ${VAR} as pip expands it; -f relative to the file; a wheel path relative to the file
mkdir -p "$S/sub"
printf -- '-f ../wheels\n${VB_TEST_NAME}\n./../wheels/delta-1.0-2-py3-none-any.whl\n' >"$S/sub/vars.txt"
VB_TEST_NAME=alpha check vars mkvenv -q --without-pip -p "$PY" --no-deps -r "$S/sub/vars.txt" "$S/vars"
[ -d "$S/vars/lib/python3.$MINOR/site-packages/alpha-2.0.dist-info" ] &&
	[ -d "$S/vars/lib/python3.$MINOR/site-packages/delta-1.0.dist-info" ] && pass vars-installed ||
	fail vars-installed "$(ls "$S/vars/lib/python3.$MINOR/site-packages" 2>&1 | tr '\n' ' ')"

# the progress line: on a terminal only (script(1) gives one), none with -q
if have script; then
	script -qc "mkvenv --without-pip -p $PY --no-deps --find-links $W -r $S/pick.txt $S/prog" "$S/prog.tty" >/dev/null 2>&1
	grep -q 'installing 6/6 wheels' "$S/prog.tty" && pass progress-tty || fail progress-tty "$(head -c 300 "$S/prog.tty")"
	rm -rf "$S/prog"
	script -qc "mkvenv -q --without-pip -p $PY --no-deps --find-links $W -r $S/pick.txt $S/prog" "$S/prog.q" >/dev/null 2>&1
	! grep -q 'installing' "$S/prog.q" && [ -d "$S/prog" ] && pass progress-quiet || fail progress-quiet "$(head -c 300 "$S/prog.q")"
	rm -rf "$S/prog"
	mkvenv --without-pip -p "$PY" --no-deps --find-links "$W" -r "$S/pick.txt" "$S/prog" >"$S/prog.pipe" 2>&1
	! grep -q 'installing' "$S/prog.pipe" && pass progress-not-a-tty || fail progress-not-a-tty "$(head -c 300 "$S/prog.pipe")"
else
	skip progress "script(1) is not installed (util-linux)"
fi

# ---- files written by real tools over corpus wheels, for every CPython 3.9+ --------------------
C=$TOP/build/out/corpus/wheels
if [ ! -d "$C" ]; then
	skip corpus "no corpus: $(cat "$TOP/build/out/corpus.skip" 2>/dev/null || echo "run sh tests/setup.sh")"
	exit 0
fi
# uv_compile PY IN OUT [OPTIONS]: uv pip compile, offline, from the corpus
uv_compile() {
	_p=$1 _i=$2 _o=$3; shift 3
	UV_CACHE_DIR=$S/uv-cache "$TOOLS/bin/uv" pip compile -q --offline --no-index --find-links "$C" \
		--python "$_p" "$@" "$_i" -o "$_o"
}
pythons | while read -r py; do
	id=$(py_id "$py")
	minor=$(py_minor "$py")
	[ "$minor" -ge 9 ] || { skip "tools/$id" "the corpus has wheels for CPython 3.9 and later"; continue; }
	: >"$S/$id.in"	# the projects the corpus can satisfy for this interpreter
	for n in requests attrs arrow jsonschema click rich cffi pyyaml six markupsafe jinja2 \
		 python-dateutil pydantic numpy; do
		echo "$n" >"$S/one.in"
		uv_compile "$py" "$S/one.in" "$S/one.out" >/dev/null 2>&1 && echo "$n" >>"$S/$id.in"
	done
	[ "$(wc -l <"$S/$id.in")" -ge 5 ] || { fail "tools/$id/corpus" "only $(cat "$S/$id.in" | tr '\n' ' ')can be compiled"; continue; }
	uv_compile "$py" "$S/$id.in" "$S/$id.uv.txt" --generate-hashes >"$S/$id.uv.out" 2>&1 ||
		{ fail "tools/$id/uv-compile" "$(tail -c 400 "$S/$id.uv.out")"; continue; }
	twin "tools/$id/uv" "$S/$id.uv.txt" "$py" "$C" || continue
	"$S/tools/$id/uv.pip/bin/python" $PIP freeze >"$S/$id.freeze.txt" 2>"$S/$id.freeze.err" ||
		{ fail "tools/$id/freeze" "$(tail -c 400 "$S/$id.freeze.err")"; continue; }
	twin "tools/$id/freeze" "$S/$id.freeze.txt" "$py" "$C"
	same_files "tools/$id/uv-is-freeze" "$S/tools/$id/uv.vb.set" "$S/tools/$id/freeze.vb.set"
done
