# t_corpus.sh: the corpus (tests/corpus.txt, downloaded by tests/setup.sh to build/out/corpus)
# on every CPython on the machine. Which wheels an interpreter takes is decided by venvbox's
# tag rules (build/out/tagcheck) and their Requires-Python; of one project, the file its own
# section chose. For each interpreter, in a few processes over all its wheels:
#   - venvbox's install (one mkvenv -w ... -w ...) and pypa/installer's (its API, from the tools
#     venv, tests/corpus.py) into twin venvs: the same files, bytes and modes, and the same
#     RECORD rows in any order, but the documented differences (README, "Seeding pip and
#     installing wheels": launchers, INSTALLER, REQUESTED, RECORD row order);
#   - the venv's python imports every distribution's top-level modules in one process (a
#     module that needs a distribution the corpus lacks, as --no-deps leaves it, is only logged);
#   - every console script and .data/scripts file is run with --version, else --help, in both
#     venvs: where installer's runs one of them with status 0 (it "has one"), ours must too,
#     with the same output (venv paths aside); native .data/scripts executables must run;
#   - in a venv seeded with the current pip: pip show -f (all, one call), pip check (only
#     requirements the corpus lacks may be reported), venvinfo --verify clean, pip install
#     --force-reinstall --no-deps --no-index over it, venvinfo --verify clean again, pip
#     uninstall -y (all, one call) leaving no file of theirs;
#   - venvinfo --verify reports exactly one edited, one deleted and one added file.
# The scripts and pip steps run on every interpreter: on FULL (Debian's python3, the tools
# venv's, which takes the most wheels, else the last found) over all its wheels, on each other
# one over the wheels it takes that FULL does not (its own cpXY builds; ten shared ones when
# it has none), so every corpus wheel meets pip and every interpreter's pip meets venvbox's
# installs. Under the sanitizer build: on FULL only.
# Peak RSS of the biggest wheel's install, cold and warm cache, is at most 16 MiB.
# Every refused wheel (its section says so): mkvenv exits 1 naming it, the venv unchanged.
# Under the sanitizer build (VENVBOX_ASAN set) only 20 wheels per interpreter, so CI stays fast.
. "$TESTS/lib.sh"
S=$SCRATCH
C=$TOP/build/out/corpus
[ -f "$TOP/build/out/corpus.error" ] && { fail download "$(cat "$TOP/build/out/corpus.error")"; exit 0; }
[ -f "$C/.complete" ] || { skip all "$(cat "$TOP/build/out/corpus.skip" 2>/dev/null || echo "no corpus: run sh tests/setup.sh")"; exit 0; }
need_tools all || exit 0
TPY=$TOOLS/bin/python
HELP=$TESTS/corpus.py
TAGCHECK=${TAGCHECK:-${VENVBOX%/*}/tagcheck}
W=$C/wheels
META=$S/meta
"$TPY" "$HELP" meta "$TESTS/corpus.txt" "$W" >"$META" 2>"$S/meta.err" || { fail meta "$(head -c 600 "$S/meta.err")"; exit 0; }
echo "$(wc -l <"$META") corpus lines, installer $("$TPY" -c 'import installer; print(installer.__version__)')"
SLICE=${VENVBOX_ASAN:+20}
FULL=$(pythons | grep -x /usr/bin/python3 || pythons | tail -n 1)

# runs VENV NAME...: NAME --version, else --help, for each (stdin closed, 60 s at most), in
# parallel; "NAME STATUS HASH" lines, HASH of the standard output with the venv's path taken
# out (warnings on stderr name the launcher's own lines, which are ours)
runs() {
	_v=$1; shift
	printf '%s\n' "$@" | xargs -P 4 -I @ sh -c '
		for a in --version --help; do
			o=$(cd "$2" && timeout 60 "$1/bin/$3" $a </dev/null 2>/dev/null) && break
		done
		st=$?; h=$(printf "%s" "$o" | sed "s|$1|VENV|g" | sha256sum | cut -c 1-16)
		echo "$3 $st $h"' sh "$_v" "$S" @ | LC_ALL=C sort
}

# picks PY VER OUT: the corpus wheels PY takes (by venvbox's tags and Requires-Python), one
# per project, as paths into OUT
picks() {
	cut -d' ' -f1 "$META" | sed 's/\.whl$//' | awk -F- '{ print $(NF-2) "-" $(NF-1) "-" $NF }' | sort -u |
		"$TAGCHECK" "$1" >"$3.tags" 2>"$3.err" || { fail "${3##*/}/tagcheck" "$(head -c 400 "$3.err")"; return 1; }
	"$TPY" "$HELP" pick "$META" "$3.tags" "$2" | sed "s|^|$W/|" >"$3" || { fail "${3##*/}/pick" "failed"; return 1; }
}
# the wheels the scripts and pip steps cover on FULL; on each other interpreter, those it takes
# that FULL does not (its own builds), so every wheel meets pip once and every interpreter's pip
# meets venvbox's installs
FULLW=$S/full.whl
picks "$FULL" "$("$FULL" -c 'import platform; print(platform.python_version())')" "$FULLW" || exit 0

# corpus_py PY: all of the above for one interpreter, in a subshell of its own (S and SCRATCH
# its own directory); two interpreters at a time, their logs printed in order
corpus_py() {
	py=$1
	ver=$("$py" -c 'import platform; print(platform.python_version())') || { fail "$py/version" "does not run"; return; }
	xy=${ver%.*}
	case $py in "$PYENV_VERSIONS"/*) n=pyenv-$ver ;; *) n=$(echo "${py#/}" | tr / _)-$ver ;; esac
	S=$S/$n; SCRATCH=$S
	mkdir -p "$S"
	picks "$py" "$ver" "$S/$n.all" || return
	head -n "${SLICE:-100000}" "$S/$n.all" >"$S/$n.whl"
	k=$(wc -l <"$S/$n.whl")
	echo "$py ($ver): $k wheels"
	[ "$k" -gt 0 ] || { skip "$n" "no corpus wheel fits $py"; return; }
	set -- $(sed 's/^/-w /' "$S/$n.whl")
	vb=$S/$n-vb ref=$S/$n-ref pv=$S/$n-pip
	site=$(echo "$vb"/lib/python*/site-packages)

	# the twins
	t0=$(date +%s)
	check "$n/venvbox-install" mkvenv -q --without-pip -p "$py" "$@" "$vb" || return
	site=$(echo "$vb"/lib/python*/site-packages)
	mkvenv -q --without-pip -p "$py" "$ref" &&
		"$TPY" "$HELP" install "$ref" "$xy" $(cat "$S/$n.whl") >"$S/ref.err" 2>&1 ||
		{ fail "$n/installer-install" "$(tail -c 600 "$S/ref.err")"; return; }
	"$TPY" "$HELP" listing "$ref" "$META" $(cat "$S/$n.whl") >"$S/$n.ref.list"
	"$TPY" "$HELP" listing "$vb" "$META" $(cat "$S/$n.whl") | sed "s|$vb|$ref|g" >"$S/$n.vb.list"
	sed -i "s|$ref|VENV|g" "$S/$n.ref.list" "$S/$n.vb.list"
	same_files "$n/same-as-installer" "$S/$n.ref.list" "$S/$n.vb.list"
	echo "$n: installed and compared in $(( $(date +%s) - t0 ))s"

	# imports: every top-level module, one process; a missing dependency is only logged
	awk 'NR == FNR { sub(".*/", ""); w[$0] = 1; next } ($1 in w) && $5 != "-" { gsub(",", " ", $5); print $5 }' \
		"$S/$n.whl" "$META" | tr ' ' '\n' | sort -u >"$S/$n.tops"
	"$vb/bin/python" - "$S/$n.tops" >"$S/$n.imp" 2>&1 <<'PY'
import importlib, sys, traceback
tops = [l.strip() for l in open(sys.argv[1]) if l.strip()]
bad = 0
for t in tops:
    try:
        importlib.import_module(t)
    except ImportError as e:
        import re
        # another distribution's module, not in the corpus for this Python: only logged
        missing = set(re.findall(r"No module named '([^']+)'", str(e)))
        if missing and not any(m in tops or m.split(".")[0] == t for m in missing):
            print("dependency %s: %s" % (t, " ".join(str(e).split())))
            continue
        bad += 1
        print("FAILED %s: %s" % (t, traceback.format_exc(limit=1).strip().splitlines()[-1]))
    except BaseException as e:
        print("dependency? %s: %s: %s" % (t, type(e).__name__, e))
print("%d modules, %d failed" % (len(tops), bad))
PY
	tail -n 1 "$S/$n.imp" | grep -q ', 0 failed$' && pass "$n/imports" || fail "$n/imports" "$(grep -m 5 FAILED "$S/$n.imp"; tail -n 1 "$S/$n.imp")"

	# scripts and pip: on every interpreter (under the sanitizer build: on FULL only)
	if [ -n "${VENVBOX_ASAN:-}" ] && [ "$py" != "$FULL" ]; then
		echo "scripts and pip: under the sanitizer build only on $FULL"
	else
	# the wheels they cover here (above); K of them
	if [ "$py" = "$FULL" ]; then cp "$S/$n.whl" "$S/$n.pw"; else grep -vxF -f "$FULLW" "$S/$n.whl" >"$S/$n.pw"; fi
	[ -s "$S/$n.pw" ] || head -n 10 "$S/$n.whl" >"$S/$n.pw"	# (none of its own: some of the shared ones)
	k=$(wc -l <"$S/$n.pw")
	set -- $(sed 's/^/-w /' "$S/$n.pw")
	echo "scripts and pip: $k wheels"
	# scripts: where installer's twin runs one with status 0, ours must too, saying the same
	awk 'NR == FNR { sub(".*/", ""); w[$0] = 1; next } ($1 in w) { if ($6 != "-") print $6; if ($7 != "-") print $7 }' \
		"$S/$n.pw" "$META" | tr ',' '\n' | sort -u >"$S/$n.scripts"
	awk 'NR == FNR { sub(".*/", ""); w[$0] = 1; next } ($1 in w) && $7 != "-" { print $7 }' \
		"$S/$n.pw" "$META" | tr ',' '\n' | sort -u >"$S/$n.native"
	# shellcheck disable=SC2046 # names
	runs "$ref" $(cat "$S/$n.scripts") >"$S/$n.ref.runs"
	# shellcheck disable=SC2046
	runs "$vb" $(cat "$S/$n.scripts") >"$S/$n.vb.runs"
	awk '$2 == 0' "$S/$n.ref.runs" >"$S/$n.ref.ok"
	join "$S/$n.ref.ok" "$S/$n.vb.runs" | awk '$2 == $4 && $3 == $5 { print $1, $2, $3 }' >"$S/$n.vb.ok"
	echo "$(wc -l <"$S/$n.scripts") scripts, $(wc -l <"$S/$n.ref.ok") run by installer's launchers"
	same_files "$n/scripts-run" "$S/$n.ref.ok" "$S/$n.vb.ok"
	for x in $(cat "$S/$n.native"); do
		grep -q "^$x 0 " "$S/$n.vb.runs" && pass "$n/native-$x" || fail "$n/native-$x" "$(grep "^$x " "$S/$n.vb.runs")"
	done

	# pip: the current one (tools venv's wheels), else the newest for Python 3.9 (wheels-old),
	# where it runs on this interpreter
	mkvenv -q --find-links "$TOOLS/wheels" --find-links "$TOOLS/wheels-old" -p "$py" "$@" "$pv" >"$S/pv.err" 2>&1 ||
		{ fail "$n/pip-venv" "$(head -c 600 "$S/pv.err")"; return; }
	# (the version of the dist-info seeded: pip 25.3.post1 says 25.3 of itself)
	pipv=$(ls -d "$pv"/lib/*/site-packages/pip-*.dist-info 2>/dev/null | sed -n 's|.*/pip-\(.*\)\.dist-info$|\1|p' | head -n 1)
	if ! ls "$TOOLS/wheels" "$TOOLS/wheels-old" | grep -qx "pip-$pipv-py3-none-any.whl"; then
		skip "$n/pip" "neither the current pip nor the newest for Python 3.9 runs on Python $ver (seeded: pip $pipv)"
	else
		names=$(awk 'NR == FNR { sub(".*/", ""); w[$0] = 1; next } ($1 in w) { print $3 }' "$S/$n.pw" "$META" | sort -u)
		P="$pv/bin/python -m pip --disable-pip-version-check"
		# shellcheck disable=SC2086 # names
		$P show -f $names >"$S/show" 2>&1 && [ "$(grep -c '^Name: ' "$S/show")" = "$k" ] &&
			pass "$n/pip-show" || fail "$n/pip-show" "$(grep -c '^Name: ' "$S/show") of $k: $(grep -m 3 -i -e warning -e error "$S/show")"
		$P check >"$S/check" 2>&1
		grep -v -e ', which is not installed\.$' -e ' has requirement .*, but you have ' -e '^No broken requirements found\.$' \
			"$S/check" >"$S/check.bad"
		[ ! -s "$S/check.bad" ] && pass "$n/pip-check" || fail "$n/pip-check" "$(head -c 600 "$S/check.bad")"
		check "$n/verify-before" venvinfo --verify "$pv"
		# uninstall of venvbox's install: no file or link of theirs is left (directories are not
		# compared: pip leaves empty ones it did not list, such as a namespace package's)
		# shellcheck disable=SC2086
		check "$n/pip-uninstall" $P uninstall -q -y $names
		mkvenv -q --find-links "$TOOLS/wheels" --find-links "$TOOLS/wheels-old" -p "$py" "$S/$n-bare" && {
			(cd "$S/$n-bare" && find . ! -type d ! -name pyvenv.cfg | LC_ALL=C sort) >"$S/bare.list"
			(cd "$pv" && find . ! -type d ! -name pyvenv.cfg | LC_ALL=C sort) >"$S/pv.list"
			same_files "$n/uninstall-leaves-nothing" "$S/bare.list" "$S/pv.list"
		}
		# pip's reinstall over venvbox's install
		check "$n/reinstall-venvbox" mkvenv -q "$@" "$pv"
		# shellcheck disable=SC2046
		check "$n/pip-reinstall" $P install -q --force-reinstall --no-deps --no-index --no-compile $(cat "$S/$n.pw")
		check "$n/verify-after-pip" venvinfo --verify "$pv"
	fi
	fi

	# memory: the biggest wheel, peak RSS at most 16 MiB (SPEC) cold and warm; the archive is
	# read a window at a time, never resident whole (not under the sanitizer, whose shadow
	# memory is counted too)
	if [ -z "${VENVBOX_ASAN:-}" ] && [ "$py" = "$FULL" ]; then
		big=$(ls -S $(cat "$S/$n.whl") | head -n 1)
		for c in cold warm; do
			rm -rf "$S/rss-$c"
			kib=$("${VENVBOX%/*}/rss" "$VENVBOX" mkvenv -q --without-pip -p "$py" \
				$([ $c = cold ] && echo --no-cache) -w "$big" "$S/rss-$c" 2>"$S/rss.err")
			echo "peak RSS, ${big##*/} ($(( $(wc -c <"$big") >> 20 )) MiB), $c: $kib KiB"
			[ -n "$kib" ] && [ "$kib" -le 16384 ] && pass "$n/rss-big-wheel-$c" ||
				fail "$n/rss-big-wheel-$c" "${big##*/}: $kib KiB peak (16384 at most): $(head -c 300 "$S/rss.err")"
		done
	fi

	# venvinfo --verify on venvbox's install: clean, then one file edited, one deleted, one added
	check "$n/verify-clean" venvinfo --verify "$vb"
	ed=$(find "$site" -name '*.py' -path '*/__init__.py' | LC_ALL=C sort | head -n 1)
	de=$(find "$site" -name '*.py' ! -path '*/__init__.py' | LC_ALL=C sort | sed -n 5p)
	ad=${ed%/*}/added.py
	echo '# edited' >>"$ed" && rm "$de" && echo 'x = 1' >"$ad"
	venvinfo --verify --json "$vb" >"$S/verify.json"
	"$TPY" -c 'import json, sys
r = json.load(open(sys.argv[1]))
print("\n".join(sorted("%s %s" % (p["kind"], p["path"]) for p in r["problems"])))' "$S/verify.json" >"$S/verify.got"
	site_rel=${site#"$vb"/}
	printf '%s\n' "missing ${de#"$site"/}" "modified ${ed#"$site"/}" "unlisted ${ad#"$site"/}" | LC_ALL=C sort >"$S/verify.want"
	sed -i "s| $site_rel/| |" "$S/verify.got"
	same_files "$n/verify-finds-edits" "$S/verify.want" "$S/verify.got"
}
i=0
for py in $(pythons); do
	(corpus_py "$py") >"$S/log.$i" 2>&1 &
	i=$((i + 1))
	[ "$(jobs -pr | wc -l)" -lt 2 ] || wait -n
done
wait
for l in "$S"/log.*; do cat "$l"; done

# refused wheels: on every interpreter mkvenv exits 1, names the wheel and why, changes nothing
awk '$2 ~ /-refused$/ { print $1 }' "$META" >"$S/refused"
for py in $(pythons); do
	case $py in "$PYENV_VERSIONS"/*) n=pyenv-${py%/bin/*}; n=${n##*/} ;; *) n=$(echo "${py#/}" | tr / _) ;; esac
	rv=$S/refused-venv
	rm -rf "$rv"; mkvenv -q --without-pip -p "$py" "$rv" || { fail "$n/refused-venv" "no venv"; continue; }
	ntree "$rv" >"$S/rv.before"
	for f in $(cat "$S/refused"); do
		mkvenv -q -w "$W/$f" "$rv" >"$S/ref.out" 2>&1; st=$?
		if [ $st = 1 ] && grep -qF "$f" "$S/ref.out" && [ "$(ntree "$rv")" = "$(cat "$S/rv.before")" ]; then
			pass "$n/refuses-$f"; echo "$py: $(cat "$S/ref.out")"
		else
			fail "$n/refuses-$f" "exit $st: $(head -c 400 "$S/ref.out")"
		fi
	done
done
