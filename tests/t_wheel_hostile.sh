# t_wheel_hostile.sh: the built-in wheel unpacker (SPEC §2.4-2.5) against the fixtures
# tests/mkwheels.py writes. Every hostile wheel is refused with one "mkvenv: ..." line
# naming the wheel (and the entry at fault) and leaves the venv byte-identical with no
# staging directory behind; every valid corner case installs where pip would put it, with
# a correct RECORD. Then reinstalling, upgrading, failing over an installed version,
# another distribution's files, pre-existing symbolic links, and every fault point.
. "$TESTS/lib.sh"
# results are one line each: messages quoting diffs or hostile names are flattened
fail() { _m=$(printf %s "$2" | tr '\n\r\033' '|  '); echo "fail $T/$1: $_m" >>"$RESULTS"; echo "FAIL $T/$1: $_m" >&2; }
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY (the fixtures and the venvs need it)"; exit 0; }
W=$S/wheels
"$PY" "$TESTS/mkwheels.py" "$W" >"$S/mkwheels.log" 2>&1 || { fail mkwheels "$(tail -c 600 "$S/mkwheels.log")"; exit 0; }
MINOR=$(py_minor "$PY")
SITE=lib/python3.$MINOR/site-packages
mk() { mkvenv -q --without-pip -p "$PY" "$@"; }
wh() { echo "$W/$1-py3-none-any.whl"; }
leftovers() { ls -a "$1" | grep -c -e '\.mkvenv-' -e '\.venvbox-'; }
# hashtree without mtimes: names, types, modes, link targets, contents
ntree() {
	(cd "$1" && find . -printf '%y %m %p -> %l\n' | LC_ALL=C sort -k3 &&
	 find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}
files() { (cd "$1" && find . \( -type f -o -type l \) -printf '%P\n' | LC_ALL=C sort); }

# verify_record VENV DISTINFO: every RECORD row's hash and size, RECORD's own row without
# them; prints the venv-relative paths RECORD lists (problems go to stderr, exit 1)
verify_record() {
	PYTHONIOENCODING=utf-8:surrogateescape "$PY" - "$1" "$2" <<'EOF'
import base64, csv, hashlib, os, sys
venv, di = os.path.realpath(sys.argv[1]), sys.argv[2]
site = os.path.dirname(di)
bad, seen = [], set()
with open(os.path.join(di, "RECORD"), newline="", encoding="utf-8") as f:
	rows = list(csv.reader(f))
own = os.path.basename(di) + "/RECORD"
for r in rows:
	if len(r) != 3:
		bad.append("row %r" % (r,))
		continue
	p, h, s = r
	full = os.path.normpath(os.path.join(site, p))
	rel = os.path.relpath(full, venv)
	if rel.startswith(".."):
		bad.append("outside the venv: %s" % p)
	if rel in seen:
		bad.append("listed twice: %s" % p)
	seen.add(rel)
	if p == own:
		if h or s:
			bad.append("RECORD's own row has a hash or size")
		continue
	if os.path.islink(full) or not os.path.isfile(full):
		bad.append("missing: %s" % p)
		continue
	data = open(full, "rb").read()
	want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
	if h != want:
		bad.append("hash of %s: %s, file has %s" % (p, h, want))
	if s != str(len(data)):
		bad.append("size of %s: %s, file has %d" % (p, s, len(data)))
if own not in [r[0] for r in rows]:
	bad.append("RECORD does not list itself")
for x in sorted(seen):
	print(x)
for b in bad:
	print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}
# check_dist NAME VENV DISTINFO BEFORE-LIST: RECORD right, and it lists exactly the files
# that appeared; INSTALLER and REQUESTED
check_dist() {
	_n=$1 _v=$2 _di=$3 _before=$4 _p=""
	verify_record "$_v" "$_v/$SITE/$_di" 2>"$S/vr.err" | LC_ALL=C sort >"$S/vr.list" || _p="RECORD: $(head -c 400 "$S/vr.err"); "
	files "$_v" >"$S/after.list"
	LC_ALL=C comm -13 "$_before" "$S/after.list" >"$S/new.list"
	cmp -s "$S/new.list" "$S/vr.list" || _p="$_p new files vs RECORD: $(diff "$S/new.list" "$S/vr.list" | head -c 400); "
	[ "$(cat "$_v/$SITE/$_di/INSTALLER" 2>&1)" = venvbox ] || _p="${_p}INSTALLER; "
	[ -f "$_v/$SITE/$_di/REQUESTED" ] || _p="${_p}no REQUESTED; "
	[ -z "$_p" ] && pass "$_n" || fail "$_n" "$_p"
}

# ---- the venvs: H for hostile wheels (holding base_a), G for the valid ones
H=$S/h
mk -w "$(wh base_a-1.0)" "$H" 2>"$S/err" || { fail setup "cannot make the venv: $(cat "$S/err")"; exit 0; }
[ -f "$H/$SITE/pkg_a/__init__.py" ] && [ -x "$H/bin/base-a-cmd" ] && pass setup-base-a || fail setup-base-a "$(ls "$H/$SITE")"
cp -a "$H" "$S/h.pristine"
restore_h() { rm -rf "$H"; cp -a "$S/h.pristine" "$H"; }

# expect_refused NAME VENV FILE ENV EXPECT [MKVENV-OPTION...]: exit 1, one clean line
# naming the wheel and EXPECT's '|'-separated parts, the venv unchanged, nothing left
MTIME_ONLY=""
expect_refused() {
	_n=$1 _v=$2 _f=$3 _env=$4 _exp=$5 _p=""
	shift 5
	hashtree "$_v" >"$S/before.ht"
	if [ "$_env" = - ]; then
		mkvenv -q --without-pip -p "$PY" "$@" -w "$W/$_f" "$_v" >"$S/out" 2>"$S/err"
	else
		env "$_env" mkvenv -q --without-pip -p "$PY" "$@" -w "$W/$_f" "$_v" >"$S/out" 2>"$S/err"
	fi
	_st=$?
	hashtree "$_v" >"$S/after.ht"
	[ $_st = 1 ] || _p="exit $_st; "
	[ -s "$S/out" ] && _p="${_p}stdout: $(head -c 200 "$S/out"); "
	[ "$(wc -l <"$S/err")" = 1 ] && [ "$(tail -c 1 "$S/err" | od -An -c | tr -d ' ')" = '\n' ] ||
		_p="${_p}stderr is not one line ($(wc -l <"$S/err") newlines); "
	[ -n "$(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$S/err")" ] && _p="${_p}control characters in the message; "
	case $(head -c 8 "$S/err") in "mkvenv: ") ;; *) _p="${_p}not a 'mkvenv: ' line; " ;; esac
	grep -qF -- "$_f" "$S/err" || _p="${_p}the wheel is not named; "
	_rest=$_exp
	while [ -n "$_rest" ]; do
		_part=${_rest%%|*}
		[ "$_part" = "$_rest" ] && _rest="" || _rest=${_rest#*|}
		[ -n "$_part" ] && ! grep -qF -- "$_part" "$S/err" && _p="${_p}does not say '$_part'; "
	done
	[ "$(leftovers "$_v")" = 0 ] && [ "$(leftovers "${_v%/*}")" = 0 ] || _p="${_p}staging left: $(ls -a "$_v" "${_v%/*}" | grep -e '\.mkvenv-' -e '\.venvbox-' | tr '\n' ' '); "
	if ! cmp -s "$S/before.ht" "$S/after.ht"; then
		if [ "$(awk '/ -> /{$3=""} {print}' "$S/before.ht")" = "$(awk '/ -> /{$3=""} {print}' "$S/after.ht")" ]; then
			MTIME_ONLY="$MTIME_ONLY $_n($(diff "$S/before.ht" "$S/after.ht" | awk '/^>/{print $5}' | tr '\n' ' '))"
		else
			_p="${_p}the venv changed: $(diff "$S/before.ht" "$S/after.ht" | grep '^[<>]' | head -c 600); "
			[ "$_v" = "$H" ] && restore_h
		fi
	fi
	[ -z "$_p" ] && pass "$_n" || fail "$_n" "$_p stderr: $(head -c 300 "$S/err" | tr '\n\033' '|?')"
}

# ---- every hostile wheel, into H
R=$S/relaxed
mk "$R"
ngood=0 nbad=0
while IFS='	' read -r kind f env x4 x5; do
	case $kind in
	bad)
		nbad=$((nbad + 1))
		expect_refused "bad/${f%%-*}" "$H" "$f" "$env" "$x4"
		;;
	relax)
		nbad=$((nbad + 1))
		expect_refused "bad/${f%%-*}" "$H" "$f" "$env" "$x4"
		mk --allow-missing-hashes -w "$W/$f" "$R" >"$S/out" 2>&1 &&
			"$R/bin/python" -c "import ${f%%-*} as m; assert m.VALUE == '${f%%-*}'" 2>>"$S/out" &&
			pass "relaxed/${f%%-*}" || fail "relaxed/${f%%-*}" "--allow-missing-hashes should accept it: $(head -c 400 "$S/out")"
		;;
	esac
done <"$W/cases.tsv"
[ -z "$MTIME_ONLY" ] && pass bad/mtimes-kept ||
	fail bad/mtimes-kept "refused installs left the venv's contents alone but changed mtimes (hashtree not byte-identical):$MTIME_ONLY"
[ "$(ntree "$H")" = "$(ntree "$S/h.pristine" | sed "s|$S/h.pristine|$H|g")" ] && pass bad/venv-as-made || fail bad/venv-as-made "H drifted"
"$H/bin/base-a-cmd" >"$S/out" 2>&1 && [ "$(cat "$S/out")" = base_a-main-ok ] && pass bad/base-a-intact || fail bad/base-a-intact "$(head -c 300 "$S/out")"

# ---- every valid corner case, into G
G=$S/g
mk "$G"
while IFS='	' read -r kind f env di module; do
	[ "$kind" = good ] || continue
	ngood=$((ngood + 1))
	n=${f%%-*}
	files "$G" >"$S/before.list"
	if [ "$env" = - ]; then mk -w "$W/$f" "$G" >"$S/out" 2>"$S/err"; else env "$env" mkvenv -q --without-pip -p "$PY" -w "$W/$f" "$G" >"$S/out" 2>"$S/err"; fi
	st=$?
	if [ $st != 0 ] || [ -s "$S/err" ] || [ -s "$S/out" ]; then
		fail "good/$n" "exit $st: $(head -c 400 "$S/err")"
		continue
	fi
	check_dist "good/$n/record" "$G" "$di" "$S/before.list"
	"$G/bin/python" -c "import $module as m, sys; sys.exit(m.VALUE != '$n')" >"$S/out" 2>&1 &&
		pass "good/$n/import" || fail "good/$n/import" "$(tail -c 300 "$S/out")"
	[ "$(leftovers "$G")" = 0 ] || fail "good/$n/leftovers" "$(ls -a "$G")"
done <"$W/cases.tsv"

# where pip puts each kind of file (good_alldata)
A=$G/$SITE
p=""
for x in gd-py gd-pyw gd-sh good-alldata-cli good-alldata-gui good-alldata-plain; do
	[ "$(stat -c %a "$G/bin/$x" 2>&1)" = 755 ] || p="$p bin/$x mode $(stat -c %a "$G/bin/$x" 2>&1);"
done
# a script keeps the wheel's executable bit, as pip and pypa's installer keep it
[ "$(stat -c %a "$G/bin/gd-plain" 2>&1)" = 644 ] || p="$p bin/gd-plain mode $(stat -c %a "$G/bin/gd-plain" 2>&1);"
same good/alldata/modes "" "$p"
same good/alldata/shebang-python "#!$G/bin/python|print('gd-py-ok')" "$(tr '\n' '|' <"$G/bin/gd-py" | sed 's/|$//')"
same good/alldata/shebang-pythonw "#!$G/bin/python|print('gd-pyw-ok')" "$(tr '\n' '|' <"$G/bin/gd-pyw" | sed 's/|$//')"
same good/alldata/plain-script "echo gd-plain-ok" "$(cat "$G/bin/gd-plain")"
same good/alldata/sh-script "#!/bin/sh|echo gd-sh-ok" "$(tr '\n' '|' <"$G/bin/gd-sh" | sed 's/|$//')"
same good/alldata/run-python-script gd-py-ok "$("$G/bin/gd-py" 2>&1)"
same good/alldata/run-pythonw-script gd-pyw-ok "$("$G/bin/gd-pyw" 2>&1)"
same good/alldata/run-sh-script gd-sh-ok "$("$G/bin/gd-sh" 2>&1)"
same good/alldata/console-script-extras good_alldata-cli-ok "$("$G/bin/good-alldata-cli" 2>&1)"
same good/alldata/console-script good_alldata-main-ok "$("$G/bin/good-alldata-plain" 2>&1)"
same good/alldata/gui-script good_alldata-gui-ok "$("$G/bin/good-alldata-gui" 2>&1)"
[ ! -e "$G/bin/whatever" ] && pass good/alldata/other-groups-ignored || fail good/alldata/other-groups-ignored "bin/whatever written"
same good/alldata/headers "#define GOOD_ALLDATA 1|#define GOOD_ALLDATA2 1" \
	"$(cat "$G/include/site/python3.$MINOR/good_alldata/gd.h" "$G/include/site/python3.$MINOR/good_alldata/sub/gd2.h" 2>&1 | tr '\n' '|' | sed 's/|$//')"
same good/alldata/data-at-root "data file" "$(cat "$G/share/good_alldata/d.txt" 2>&1)"
same good/alldata/purelib-platlib "gd_pure gd_plat" "$("$G/bin/python" -c 'import gd_pure, gd_plat; print(gd_pure.VALUE, gd_plat.VALUE)' 2>&1)"
same good/alldata/exec-bits "755 644 644" "$(stat -c %a "$A/good_alldata/tool.sh" "$A/good_alldata/data.txt" "$A/good_alldata/py.typed" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
same good/alldata/empty-file 0 "$(stat -c %s "$A/good_alldata/py.typed" 2>&1)"
[ ! -e "$G/good_alldata-1.0.data" ] && [ ! -e "$A/good_alldata-1.0.data" ] && pass good/alldata/no-data-dir || fail good/alldata/no-data-dir "a .data directory was installed"
same good/unicode "café" "$("$G/bin/python" -c 'import good_unicode.café as m; print(m.VALUE)' 2>&1)"
[ -f "$A/good_unicode/données/ü.txt" ] && pass good/unicode-data || fail good/unicode-data "$(ls "$A/good_unicode")"
[ -f "$A/good_record_csv/a,b.txt" ] && [ -f "$A/good_record_csv/q\"uote.txt" ] && pass good/record-csv-names || fail good/record-csv-names "$(ls "$A/good_record_csv")"
[ -f "$A/good_dirs/sub/x.txt" ] && pass good/dirs || fail good/dirs "$(ls -R "$A/good_dirs")"
[ -f "$A/good_platlib/__init__.py" ] && pass good/platlib-root || fail good/platlib-root "not in site-packages"

# the same wheel again: replaced cleanly, nothing left over or doubled
ntree "$G" >"$S/g1"
mk -w "$(wh good_alldata-1.0)" "$G" >"$S/out" 2>&1 && pass reinstall/exit || fail reinstall/exit "$(cat "$S/out")"
ntree "$G" >"$S/g2"
same_files reinstall/identical "$S/g1" "$S/g2"
verify_record "$G" "$A/good_alldata-1.0.dist-info" >/dev/null 2>"$S/vr.err" && pass reinstall/record || fail reinstall/record "$(head -c 400 "$S/vr.err")"
[ "$(leftovers "$G")" = 0 ] && pass reinstall/no-staging || fail reinstall/no-staging "$(ls -a "$G")"

# ---- version 1, failed replacements, then version 2
U=$S/u
mk "$U"
files "$U" >"$S/u0.list"
mk -w "$(wh upg-1.0)" "$U" 2>"$S/err" && pass upgrade/v1 || fail upgrade/v1 "$(cat "$S/err")"
cp -a "$U" "$S/u.v1"
for v in 3.0 4.0; do
	expect_refused "upgrade/fails-$v" "$U" "upg-$v-py3-none-any.whl" - "upg"
	same "upgrade/v1-intact-after-$v" upg1 "$("$U/bin/python" -c 'import upg; print(upg.VALUE)' 2>&1)"
done
[ "$(ntree "$U")" = "$(ntree "$S/u.v1" | sed "s|$S/u.v1|$U|g")" ] && pass upgrade/v1-unchanged || fail upgrade/v1-unchanged "$(diff <(ntree "$U") <(ntree "$S/u.v1" | sed "s|$S/u.v1|$U|g") | head -c 600)"
if mk -w "$(wh upg-2.0)" "$U" 2>"$S/err"; then
pass upgrade/v2
p=""
for x in "$SITE/upg/old_only.py" "$SITE/upg/oldsub/x.py" bin/upg-old-script bin/upg-old share/upg/old.txt \
	"include/site/python3.$MINOR/upg/old.h" "$SITE/upg-1.0.dist-info"; do
	[ -e "$U/$x" ] && p="$p $x"
done
same upgrade/v1-only-files-gone "" "$p"
[ ! -e "$U/$SITE/upg/oldsub" ] && pass upgrade/v1-only-dirs-gone || fail upgrade/v1-only-dirs-gone "$SITE/upg/oldsub is left"
[ ! -e "$U/include/site/python3.$MINOR/upg" ] && pass upgrade/v1-only-header-dir-gone ||
	fail upgrade/v1-only-header-dir-gone "include/site/python3.$MINOR/upg is left (empty), pip removes it"
same upgrade/v2-content "upg2 v2" "$("$U/bin/python" -c 'import upg, upg.new_only; print(upg.VALUE)' 2>&1) $(cat "$U/$SITE/upg/common.txt")"
same upgrade/v2-script "upg2-ok" "$("$U/bin/upg-new" 2>&1)"
check_dist upgrade/v2-record "$U" upg-2.0.dist-info "$S/u0.list"
else
	fail upgrade/v2 "$(cat "$S/err")"
	for x in v1-only-files-gone v1-only-dirs-gone v1-only-header-dir-gone v2-content v2-script v2-record; do
		skip "upgrade/$x" "version 2 did not install"
	done
fi
[ "$(leftovers "$U")" = 0 ] && pass upgrade/no-staging || fail upgrade/no-staging "$(ls -a "$U")"
[ "$(ntree "$U")" = "$(ntree "$S/u.v1" | sed "s|$S/u.v1|$U|g")" ] || "$U/bin/python" -c 'import upg; assert upg.VALUE == "upg2"' 2>/dev/null &&
	pass upgrade/v1-or-v2 || fail upgrade/v1-or-v2 "neither version 1 nor version 2 is installed whole"

# ---- another distribution's files in shared directories deeper than merge's recursion
D=$S/deep
mk -w "$(wh deep_a-1.0)" "$D" 2>"$S/err" || fail deep/new "$(cat "$S/err")"
mk -w "$(wh deep_b-1.0)" "$D" 2>"$S/err" && pass deep/second || fail deep/second "$(cat "$S/err")"
n=$(find "$D/$SITE/deep" -name a.py | wc -l)
same deep/others-files-survive 1 "$n"
verify_record "$D" "$D/$SITE/deep_a-1.0.dist-info" >/dev/null 2>"$S/vr.err" && pass deep/others-record-holds || fail deep/others-record-holds "$(head -c 300 "$S/vr.err")"

# ---- symbolic links already in the venv: never followed
Y=$S/y
O=$S/outside
mk "$Y"
mkdir -p "$O" && echo keep >"$O/keep.txt" && echo target >"$O/target.txt"
ln -s "$O" "$Y/$SITE/symlinked_pkg"
mkdir "$Y/$SITE/symlinked_file" && ln -s "$O/target.txt" "$Y/$SITE/symlinked_file/mod.py"
hashtree "$O" >"$S/o.before"
ntree "$Y" >"$S/y.before"
mk -w "$(wh sym_dir-1.0)" "$Y" >"$S/out" 2>"$S/err"; st=$?
if [ $st = 0 ]; then
	[ ! -L "$Y/$SITE/symlinked_pkg" ] && [ -f "$Y/$SITE/symlinked_pkg/mod.py" ] &&
		pass symlink/dir-not-followed || fail symlink/dir-not-followed "installed through the link: $(ls -la "$Y/$SITE")"
else
	[ "$(ntree "$Y")" = "$(cat "$S/y.before")" ] && [ "$(wc -l <"$S/err")" = 1 ] &&
		pass symlink/dir-refused || fail symlink/dir-refused "exit $st, venv changed or bad message: $(cat "$S/err")"
fi
mk -w "$(wh sym_file-1.0)" "$Y" >"$S/out" 2>"$S/err"; st=$?
if [ $st = 0 ]; then
	[ ! -L "$Y/$SITE/symlinked_file/mod.py" ] && [ "$(cat "$Y/$SITE/symlinked_file/mod.py")" = 'VALUE = "sym_file"' ] &&
		pass symlink/file-not-followed || fail symlink/file-not-followed "$(ls -la "$Y/$SITE/symlinked_file")"
else
	[ "$(wc -l <"$S/err")" = 1 ] && pass symlink/file-refused || fail symlink/file-refused "$(cat "$S/err")"
fi
hashtree "$O" >"$S/o.after"
same_files symlink/outside-untouched "$S/o.before" "$S/o.after"
[ "$(leftovers "$Y")" = 0 ] && pass symlink/no-staging || fail symlink/no-staging "$(ls -a "$Y")"

# ---- every fault point: a failure leaves the venv as it was (mtimes aside)
# fault_loop NAME VENV WHEEL: VENV holds what it holds; install WHEEL failing at N=1,2,...
fault_loop() {
	_n=$1 _v=$2 _w=$3 _bad=0 _k=1 _why=""
	cp -a "$_v" "$_v.pristine"
	ntree "$_v" >"$S/f.before"
	# without a fault it must succeed, or the loop would never end
	if ! mk -w "$_w" "$_v" >"$S/out" 2>&1; then
		fail "$_n/points" "the install fails even without a fault: $(head -c 400 "$S/out")"
		rm -rf "$_v"; cp -a "$_v.pristine" "$_v"
		return 1
	fi
	rm -rf "$_v"; cp -a "$_v.pristine" "$_v"
	while [ $_k -lt 400 ]; do
		VENVBOX_FAULT=$_k:fail mk -w "$_w" "$_v" >"$S/out" 2>"$S/err" && break
		if ! grep -q 'injected fault' "$S/err" || [ "$(wc -l <"$S/err")" != 1 ]; then
			_bad=$((_bad + 1)); _why="$_why [$_k: $(head -c 200 "$S/err")]"
		fi
		if [ "$(ntree "$_v")" != "$(cat "$S/f.before")" ] || [ "$(leftovers "$_v")" != 0 ]; then
			_bad=$((_bad + 1))
			_why="$_why [$_k changed: $(diff "$S/f.before" <(ntree "$_v") | head -c 300)]"
			rm -rf "$_v"; cp -a "$_v.pristine" "$_v"
		fi
		_k=$((_k + 1))
	done
	[ $_k -gt 5 ] && [ $_k -lt 400 ] && pass "$_n/points-$_k" || fail "$_n/points" "stopped at $_k"
	[ $_bad = 0 ] && pass "$_n/venv-as-it-was" || fail "$_n/venv-as-it-was" "$_bad of $_k:$(echo "$_why" | head -c 1200)"
}
F=$S/f1
mk -w "$(wh faulty-1.0)" "$F"
if fault_loop fault/replace "$F" "$(wh faulty-2.0)"; then
	files "$S/f1.pristine" | grep -v -e faulty -e '^bin/faulty' >"$S/f0.list"
	check_dist fault/replace-record "$F" faulty-2.0.dist-info "$S/f0.list"
	same fault/replace-v2 "faulty2.0 ok" "$("$F/bin/python" -c 'import faulty; print(faulty.VALUE)' 2>&1) $([ -e "$F/$SITE/faulty/v1.py" ] || [ -e "$F/bin/faulty-s1" ] || echo ok)"
else
	skip fault/replace-record "no loop"; skip fault/replace-v2 "no loop"
fi
F=$S/f2
mk "$F"
fault_loop fault/fresh "$F" "$(wh faulty-1.0)"
# a new venv with a wheel: nothing at all remains of a failed run
k=1 bad=0
while [ $k -lt 400 ]; do
	VENVBOX_FAULT=$k:fail mk -w "$(wh faulty-1.0)" "$S/f3" >/dev/null 2>&1 && break
	[ -e "$S/f3" ] || [ "$(leftovers "$S")" != 0 ] && { bad=$((bad + 1)); rm -rf "$S/f3"; }
	k=$((k + 1))
done
[ $bad = 0 ] && [ $k -gt 5 ] && [ $k -lt 400 ] && pass "fault/new-venv-$k" || fail fault/new-venv "$bad of $k left something"

echo "$nbad hostile, $ngood valid fixtures" >&2
