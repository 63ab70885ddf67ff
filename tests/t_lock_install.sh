# t_lock_install.sh: mkvenv -r pylock.toml (issue 15). Lock files written by uv (one
# interpreter's, and universal ones with markers and a wheel per interpreter) and by pip lock,
# over corpus wheels: the set mkvenv installs equals what uv pip install -r installs from the
# same file into a twin venv, for every CPython (and PyPy) the lock admits; URLs of an index
# found by file name in --find-links, paths relative to the lock; markers, default groups, the
# closure; every refusal (hash, size, a wheel not here, environments, requires-python, an
# sdist, two entries for one name, a lock with another -r) names the file and line and
# changes nothing.
. "$TESTS/lib.sh"
S=$SCRATCH
need_tools lock || exit 0
C=$TOP/build/out/corpus/wheels
[ -d "$C" ] || { skip lock "no corpus: $(cat "$TOP/build/out/corpus.skip" 2>/dev/null || echo "run sh tests/setup.sh")"; exit 0; }
UV=$TOOLS/bin/uv
export UV_CACHE_DIR=$S/uv-cache
py_id() { case $1 in /usr/bin/*) echo "debian-${1##*/}" ;; *) _i=${1%/bin/*}; echo "${_i##*/}" ;; esac; }

# twin NAME LOCK PY [MKVENV-OPTIONS]: LOCK installed by mkvenv and by uv pip install -r into
# two new venvs of PY: the same distributions and wheel tags, and a complete set
twin() {
	_n=$1 _l=$2 _py=$3; shift 3
	rm -rf "$S/$_n.vb" "$S/$_n.uv"
	if ! mkvenv -q --without-pip -p "$_py" "$@" -r "$_l" "$S/$_n.vb" >"$S/$_n.vb.out" 2>&1; then
		fail "$_n/mkvenv" "$(head -c 800 "$S/$_n.vb.out")"; return 1
	fi
	"$UV" venv -q -p "$_py" "$S/$_n.uv" >"$S/$_n.uv.out" 2>&1 &&
	VIRTUAL_ENV=$S/$_n.uv "$UV" pip install -q --offline --no-deps -r "$_l" >>"$S/$_n.uv.out" 2>&1 ||
		{ fail "$_n/uv" "$(tail -c 600 "$S/$_n.uv.out")"; return 1; }
	site_set "$S/$_n.vb" >"$S/$_n.vb.set"
	site_set "$S/$_n.uv" >"$S/$_n.uv.set"
	[ -s "$S/$_n.uv.set" ] || { fail "$_n/set" "uv installed nothing"; return 1; }
	same_files "$_n/set" "$S/$_n.uv.set" "$S/$_n.vb.set"
	check "$_n/venvinfo-check" venvinfo --check "$S/$_n.vb"
}

# ---- uv's lock for each interpreter, and one universal lock for all ------------------------
ONE="requests rich attrs click jinja2 pyyaml markupsafe six packaging idna certifi typing-extensions"
printf 'numpy\npyyaml\nrich\nattrs\nmarkupsafe\n' >"$S/univ.in"
mkdir -p "$S/univ" "$S/pip" "$S/one"
"$UV" pip compile -q --offline --no-index --find-links "$C" --universal --python-version 3.11 \
	"$S/univ.in" -o "$S/univ/pylock.toml" >"$S/univ.out" 2>&1 ||
	fail universal-compile "$(tail -c 400 "$S/univ.out")"
grep -q '^marker = ' "$S/univ/pylock.toml" && [ "$(grep -c '^name = "numpy"' "$S/univ/pylock.toml")" -ge 2 ] &&
	pass universal-has-markers || fail universal-has-markers "$(head -c 600 "$S/univ/pylock.toml")"
n=0
for py in $(pythons) $(command -v pypy3 2>/dev/null); do
	id=$(py_id "$py")
	minor=$(py_minor "$py")
	[ "$minor" -ge 9 ] || continue
	mkdir -p "$S/$id"
	: >"$S/$id/one.in"	# the projects the corpus has wheels of for this interpreter
	for p in $ONE; do
		echo "$p" >"$S/one.in"
		"$UV" pip compile -q --offline --no-index --find-links "$C" --python "$py" "$S/one.in" \
			-o "$S/one/pylock.toml" >/dev/null 2>&1 && echo "$p" >>"$S/$id/one.in"
	done
	[ "$(wc -l <"$S/$id/one.in")" -ge 3 ] || { fail "$id/corpus" "only $(tr '\n' ' ' <"$S/$id/one.in")can be locked"; continue; }
	"$UV" pip compile -q --offline --no-index --find-links "$C" --python "$py" "$S/$id/one.in" \
		-o "$S/$id/pylock.toml" >"$S/$id.compile" 2>&1 || { fail "$id/compile" "$(tail -c 400 "$S/$id.compile")"; continue; }
	twin "$id/uv" "$S/$id/pylock.toml" "$py" && n=$((n + 1))
	if [ "$minor" -ge 11 ]; then
		twin "$id/universal" "$S/univ/pylock.toml" "$py" &&
			"$S/$id/universal.vb/bin/python" -c 'import numpy, yaml, rich, attrs, markupsafe' >"$S/$id.imp" 2>&1 &&
			pass "$id/universal-imports" || fail "$id/universal-imports" "$(tail -c 400 "$S/$id.imp")"
	else	# the universal lock says requires-python >= 3.11: refused, as uv refuses it
		mkvenv -q --without-pip -p "$py" -r "$S/univ/pylock.toml" "$S/$id/old" >"$S/$id.old" 2>&1; st=$?
		[ $st = 1 ] && grep -q "univ/pylock.toml:[0-9]*: requires-python >=3.11 excludes Python 3.$minor" "$S/$id.old" &&
			[ ! -e "$S/$id/old" ] && pass "$id/universal-refused" || fail "$id/universal-refused" "exit $st: $(head -c 400 "$S/$id.old")"
	fi
done
[ $n -ge 2 ] && pass interpreters || fail interpreters "only $n interpreters installed a lock"

# ---- pip lock's layout (sub-tables) gives the same set as uv's (inline tables) -------------
PY=/usr/bin/python3
[ -x "$PY" ] || { skip rest "no /usr/bin/python3"; exit 0; }
id=$(py_id "$PY")
MINOR=$(py_minor "$PY")
SP=lib/python3.$MINOR/site-packages
if mkvenv -q -p "$PY" --find-links "$TOOLS/wheels" "$S/piptool" >"$S/piptool.out" 2>&1 &&
   "$S/piptool/bin/python" -m pip --disable-pip-version-check -q lock --no-index --find-links "$C" \
	-r "$S/$id/one.in" -o "$S/pip/pylock.toml" >"$S/piplock.out" 2>&1; then
	grep -q '^\[\[packages.wheels\]\]' "$S/pip/pylock.toml" && pass pip-lock-layout ||
		fail pip-lock-layout "$(head -c 400 "$S/pip/pylock.toml")"
	twin pip-lock "$S/pip/pylock.toml" "$PY"
else
	fail pip-lock "$(tail -c 400 "$S/piplock.out" "$S/piptool.out")"
fi

# ---- where the wheels are: an index's URLs by name in --find-links, paths relative to the lock
L=$S/$id/pylock.toml
mkdir -p "$S/url" "$S/rel/locks" "$S/rel/wheels"
sed "s|file://$C/|https://files.invalid/packages/|" "$L" >"$S/url/pylock.toml"
grep -q 'https://files.invalid/packages/' "$S/url/pylock.toml" && ! grep -q 'file://' "$S/url/pylock.toml" &&
	pass url-lock-made || fail url-lock-made "$(head -c 400 "$S/url/pylock.toml")"
check url-find-links mkvenv -q --without-pip -p "$PY" --find-links "$C" -r "$S/url/pylock.toml" "$S/url/v"
site_set "$S/url/v" >"$S/url.set"
same_files url-same-set "$S/$id/uv.vb.set" "$S/url.set"
mkvenv -q --without-pip -p "$PY" -r "$S/url/pylock.toml" "$S/url/none" >"$S/url-none.out" 2>&1; st=$?
[ $st = 1 ] && grep -q "url/pylock.toml:[0-9]*: .*\.whl: not found (looked at no --find-links DIR): nothing is downloaded, ever" "$S/url-none.out" &&
	[ ! -e "$S/url/none" ] && pass url-no-find-links || fail url-no-find-links "exit $st: $(head -c 500 "$S/url-none.out")"
for f in $(grep -o 'file://[^"]*\.whl' "$L" | sed 's|^file://||'); do ln -s "$f" "$S/rel/wheels/"; done
# a path key instead of the URL (in uv's inline table), relative to the lock file
sed "s|url = \"file://$C/\([^\"]*\)\"|path = \"../wheels/\1\"|" "$L" >"$S/rel/locks/pylock.toml"
grep -q 'path = "../wheels/' "$S/rel/locks/pylock.toml" && pass path-lock-made || fail path-lock-made "$(head -c 400 "$S/rel/locks/pylock.toml")"
(cd / && mkvenv -q --without-pip -p "$PY" -r "$S/rel/locks/pylock.toml" "$S/rel/v") >"$S/rel.out" 2>&1 &&
	site_set "$S/rel/v" >"$S/rel.set" && same_files path-relative "$S/$id/uv.vb.set" "$S/rel.set" ||
	fail path-relative "$(head -c 400 "$S/rel.out")"

# ---- markers and groups: a false marker skips its package; default-groups count ----------
ATTRS=$(ls "$C"/attrs-*-py3-none-any.whl | head -n 1)
SIX=$(ls "$C"/six-*-py2.py3-none-any.whl | head -n 1)
[ -f "$ATTRS" ] && [ -f "$SIX" ] || { fail marker-wheels "no attrs or six wheel in the corpus"; exit 0; }
entry() {	# entry WHEEL [KEY = VALUE]...: a package entry for WHEEL
	_w=$1; shift
	_b=${_w##*/}; _nm=${_b%%-*}; _v=${_b#*-}; _v=${_v%%-*}
	printf '[[packages]]\nname = "%s"\nversion = "%s"\n' "$(echo "$_nm" | tr _ - | tr A-Z a-z)" "$_v"
	for kv in "$@"; do printf '%s\n' "$kv"; done
	printf 'wheels = [{ url = "file://%s", hashes = { sha256 = "%s" } }]\n\n' "$_w" "$(sha256sum "$_w" | cut -d' ' -f1)"
}
mkdir -p "$S/mk"
{ printf 'lock-version = "1.0"\ncreated-by = "venvbox tests"\ndefault-groups = ["dev"]\n\n'
  entry "$ATTRS" "marker = \"sys_platform == 'win32'\""
  entry "$SIX" "marker = \"'dev' in dependency_groups\""; } >"$S/mk/pylock.toml"
check markers mkvenv -q --without-pip -p "$PY" -r "$S/mk/pylock.toml" "$S/mk/v"
ls "$S/mk/v/$SP" | grep -q '^six-.*\.dist-info$' && ! ls "$S/mk/v/$SP" | grep -q '^attrs-' &&
	pass markers-applied || fail markers-applied "$(ls "$S/mk/v/$SP" | tr '\n' ' ')"
{ printf 'lock-version = "1.0"\ncreated-by = "venvbox tests"\n\n'
  entry "$SIX" "marker = \"'dev' in dependency_groups\""
  entry "$ATTRS"; } >"$S/mk/pylock.nodev.toml"
check no-default-group mkvenv -q --without-pip -p "$PY" -r "$S/mk/pylock.nodev.toml" "$S/mk/nodev"
! ls "$S/mk/nodev/$SP" | grep -q '^six-' && ls "$S/mk/nodev/$SP" | grep -q '^attrs-.*\.dist-info$' &&
	pass no-default-group-applied || fail no-default-group-applied "$(ls "$S/mk/nodev/$SP" | tr '\n' ' ')"

# ---- the closure: a lock missing a dependency is refused unless --no-deps; into a venv ----
awk 'BEGIN { keep = 1 } /^\[\[packages\]\]/ { if (keep) printf "%s", blk; blk = ""; keep = 1 }
     /^name = "urllib3"/ { keep = 0 } { blk = blk $0 "\n" } END { if (keep) printf "%s", blk }' "$L" >"$S/mk/pylock.nourllib3.toml"
! grep -q '"urllib3"' "$S/mk/pylock.nourllib3.toml" && pass closure-lock-made || fail closure-lock-made "urllib3 still there"
mkvenv -q --without-pip -p "$PY" -r "$S/mk/pylock.nourllib3.toml" "$S/mk/nodeps" >"$S/nodeps.out" 2>&1; st=$?
[ $st = 1 ] && grep -q 'requests .* requires urllib3' "$S/nodeps.out" && [ ! -e "$S/mk/nodeps" ] &&
	pass closure-unmet || fail closure-unmet "exit $st: $(head -c 500 "$S/nodeps.out")"
check closure-no-deps mkvenv -q --without-pip -p "$PY" --no-deps -r "$S/mk/pylock.nourllib3.toml" "$S/mk/nodeps"
check into-existing mkvenv -q -r "$L" "$S/mk/nodeps"
[ -d "$S/mk/nodeps/$SP/$(ls "$S/$id/uv.vb/$SP" | grep '^urllib3-.*dist-info$')" ] && pass into-existing-urllib3 ||
	fail into-existing-urllib3 "$(ls "$S/mk/nodeps/$SP" | tr '\n' ' ')"

# ---- refusals: file:line and the reason; the venv byte-identical, a new one not made --------
check base mkvenv -q --without-pip -p "$PY" "$S/v"
ntree "$S/v" >"$S/v.before"
R=$S/refuse
mkdir -p "$R"
first_hash=$(grep -o 'sha256 = "[0-9a-f]*"' "$L" | head -n 1 | cut -d'"' -f2)
bad_hash=$(echo "$first_hash" | sed 's/^./0/; t; s/^/0/')
[ "$bad_hash" = "$first_hash" ] && bad_hash=$(echo "$first_hash" | sed 's/^./1/')
sed "0,/$first_hash/s//$bad_hash/" "$L" >"$R/pylock.hash.toml"
sed '0,/hashes = {/s//size = 1, hashes = {/' "$L" >"$R/pylock.size.toml"
sed "0,\\%file://$C/%s%%file:///nonexistent/%" "$L" >"$R/pylock.gone.toml"
mkdir -p "$R/empty"
sed 's/^requires-python = .*/requires-python = "<3"/' "$L" >"$R/pylock.rp.toml"
grep -q '^requires-python' "$R/pylock.rp.toml" || sed -i '1a requires-python = "<3"' "$R/pylock.rp.toml"
sed '/^created-by/a environments = ["sys_platform == '"'"'win32'"'"'"]' "$L" >"$R/pylock.env.toml"
{ cat "$L"; printf '\n[[packages]]\nname = "notawheel"\nversion = "1.0"\nsdist = { url = "https://files.invalid/notawheel-1.0.tar.gz", hashes = { sha256 = "%064d" } }\n' 0; } >"$R/pylock.sdist.toml"
{ cat "$L"; printf '\n'; entry "$ATTRS"; entry "$ATTRS" "marker = \"os_name == 'posix'\""; } >"$R/pylock.twice.toml"
{ cat "$L"; printf '\n'; entry "$SIX" "marker = \"python_version >< '3'\""; } >"$R/pylock.badmarker.toml"
printf 'six\n' >"$R/other.txt"
# refuse CASE EXPECT [MKVENV-OPTIONS]: -r $R/pylock.CASE.toml fails, its output matching the
# extended regular expression EXPECT
refuse() {
	_c=$1 _x=$2; shift 2
	_f=$R/pylock.$_c.toml
	mkvenv -q "$@" -r "$_f" "$S/v" >"$R/$_c.out" 2>&1; _st=$?
	[ $_st = 1 ] && grep -Eq -- "$_x" "$R/$_c.out" && pass "refuse/$_c" || fail "refuse/$_c" "exit $_st: $(head -c 600 "$R/$_c.out")"
	[ "$(ntree "$S/v")" = "$(cat "$S/v.before")" ] && pass "refuse/$_c-unchanged" || fail "refuse/$_c-unchanged" "the venv changed"
	mkvenv -q --without-pip -p "$PY" "$@" -r "$_f" "$S/new" >/dev/null 2>&1
	[ ! -e "$S/new" ] && pass "refuse/$_c-not-made" || { fail "refuse/$_c-not-made" "$S/new is there"; rm -rf "$S/new"; }
}
refuse hash "pylock.hash.toml:[0-9]+: .*\.whl: its sha256 is $first_hash, the lock says $bad_hash"
refuse size 'pylock.size.toml:[0-9]+: .*\.whl: [0-9]+ bytes, the lock says 1$'
refuse gone "pylock.gone.toml:[0-9]+: [^ ]*\\.whl: not found \\(looked at /nonexistent/[^ ]*\\.whl, then $R/empty\\): nothing is downloaded, ever" --find-links "$R/empty"
refuse rp 'pylock.rp.toml:[0-9]+: requires-python <3 excludes Python 3\.'
refuse env "pylock.env.toml:[0-9]+: none of its environments holds for this interpreter \\(Python 3\\.[0-9.]* on $(uname -m)\\): sys_platform == 'win32'$"
refuse sdist 'pylock.sdist.toml:[0-9]+: package notawheel 1.0 has no wheel, only an sdist \(line [0-9]+\): venvbox installs wheels and builds nothing'
refuse twice 'pylock.twice.toml:[0-9]+: package attrs is also at line [0-9]+, and the markers of both hold here'
refuse badmarker 'pylock.badmarker.toml:[0-9]+: '
cp "$L" "$R/pylock.other.toml"
refuse other 'pylock.other.toml: a lock file is the whole set: give it as the only -r \(here with .*other.txt\)' -r "$R/other.txt"
# an environments marker that does not parse is refused with its reason, even after one that holds
sed '/^created-by/a environments = ["sys_platform == '"'"'linux'"'"'", "python_version >= "]' "$L" >"$R/pylock.envbad.toml"
refuse envbad 'pylock.envbad.toml:[0-9]+: environments: .+'
# a -w wheel of a locked package: refused (the lock pins it by its hashes)
cp "$L" "$R/pylock.pinned.toml"
refuse pinned "$ATTRS: attrs is pinned by the lock file \(.*pylock.pinned.toml:[0-9]+\): give the lock or the wheel" -w "$ATTRS"
# file: URLs as RFC 8089 allows them (one slash, the scheme in capitals), and a %00 that would
# cut the name short
sed "s|file://$C/|file:$C/|" "$L" >"$R/slash.toml"
sed "s|file://$C/|FILE://$C/|" "$L" >"$R/caps.toml"
for c in slash caps; do
	mkdir -p "$R/$c" && mv "$R/$c.toml" "$R/$c/pylock.toml"
	check "url-$c" mkvenv -q --without-pip -p "$PY" -r "$R/$c/pylock.toml" "$R/$c/v"
done
first=$(grep -o 'file://[^"]*\.whl' "$L" | head -n 1)
sed "s|$first\"|$first%00.exe\"|" "$L" >"$R/pylock.nul.toml"
grep -q '%00.exe"' "$R/pylock.nul.toml" || fail nul-made "no %00 put in"
refuse nul "pylock.nul.toml:[0-9]+: wheel [^ ]*%00\\.exe of package [^ ]*: not a wheel's file name" --find-links "$C"
