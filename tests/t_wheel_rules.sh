# t_wheel_rules.sh: the rules a 2026 installer follows (issue 14), on the wheels
# tests/mkrules.py writes: what would replace the venv's interpreter or its own files (case
# variants too) refused, entry point names that leave bin/ refused, .data/scripts regular
# files only, #!python rewritten and nothing else, licenses/ and sboms/ installed and in
# RECORD, weak RECORD hashes refused, __pycache__ members left out, variant wheel names and
# newer major versions refused, .pth and .start files installed; each refusal names the
# wheel and what is at fault and leaves the venv as it was. What installs is compared with
# pypa/installer's install of the same wheel (tools venv).
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY (the fixtures and the venvs need it)"; exit 0; }
MINOR=$(py_minor "$PY")
SITE=lib/python3.$MINOR/site-packages
W=$S/wheels
"$PY" "$TESTS/mkrules.py" "$W" "$MINOR" >"$S/mkrules.log" 2>&1 || { fail mkrules "$(tail -c 600 "$S/mkrules.log")"; exit 0; }
V=$S/venv
mkvenv -q --without-pip -p "$PY" "$V" || { fail venv "mkvenv failed"; exit 0; }
whl() { echo "$W/$(awk -F '\t' -v c="$1" '$1 == c { print $2 }' "$W/list")"; }

# refused CASE PATTERN: mkvenv -w refuses the wheel with one line naming it and matching
# PATTERN (grep -E), exit 1, and the venv is byte for byte as it was, no stage left
refused() {
	_w=$(whl "$1")
	ntree "$V" >"$S/before"
	mkvenv -q -w "$_w" "$V" >"$S/out" 2>&1; _st=$?
	ntree "$V" >"$S/after"
	if [ $_st != 1 ]; then fail "$1" "exit $_st: $(head -c 300 "$S/out")"
	elif [ "$(wc -l <"$S/out")" != 1 ] || ! grep -q "^mkvenv: $_w: " "$S/out" || ! grep -Eq -- "$2" "$S/out"; then
		fail "$1" "message: $(head -c 400 "$S/out")"
	elif ! cmp -s "$S/before" "$S/after" || [ "$(ls -a "$V" | grep -c venvbox-)" != 0 ]; then
		fail "$1" "the venv changed: $(diff "$S/before" "$S/after" | head -c 300)"
	else pass "$1"; fi
}
for c in $(cut -f1 "$W/list" | grep '^reserved:'); do
	rel=${c#reserved:}; rel=${rel#scripts/}; rel=${rel#data/}
	refused "$c" "would replace the venv's own (bin|BIN)?/?$(printf %s "$rel" | sed 's/[.]/[.]/g')"
done
for c in $(cut -f1 "$W/list" | grep '^ep:' | grep -v '^ep:member-case$'); do
	case ${c#ep:} in */* | . | ..) refused "$c" "entry point name '.*' is not a plain file name in bin/" ;;
	*) refused "$c" "entry point ${c#ep:} would replace the venv's own bin/${c#ep:}" ;; esac
done
refused ep:member-case "entry point tool collides with the member rmc-1.0.data/scripts/Tool"
refused scripts:subdir-entry "entry rsd-1.0.data/scripts/sub/: scripts may not be in subdirectories"
refused scripts:fifo "entry rfi-1.0.data/scripts/fifo: not a regular file \(Unix mode 010644\)"
refused member:dir-mode "entry rdm/notadir: not a regular file \(Unix mode 040755\)"
refused member:chardev "entry rcd-1.0.data/data/share/tty: not a regular file"
refused record:md5 "RECORD: rmd/__init__.py: hash 'md5=.*' is not sha256, sha384 or sha512"
refused record:sha1 "RECORD: rsh/__init__.py: hash 'sha1=.*' is not sha256"
refused name:variant "a variant wheel \(PEP 825.*variant label 'x86_64_v3'\)"
refused name:variant-build "a variant wheel \(PEP 825.*variant label 'cuda12'\)"
refused wheel:2.0 "WHEEL: Wheel-Version 2.0: major version 2 is not supported"
refused wheel:junk "WHEEL: Wheel-Version 'one' is not a version"
refused meta:3.0 "METADATA: Metadata-Version 3.0: major version 3 is not supported"
# a new venv with a refused wheel is not made at all
mkvenv -q --without-pip -p "$PY" -w "$(whl reserved:scripts/Python)" "$S/new" 2>/dev/null
[ ! -e "$S/new" ] && [ -z "$(ls -a "$S" | grep -e '\.new\.mkvenv-')" ] && pass new-venv-refused || fail new-venv-refused "$(ls -a "$S")"

# ---- what installs: into VB by mkvenv and into REF by pypa/installer, compared
have_inst=0
if need_tools installer; then
	INST=$(ls -d "$TOOLS"/lib/python3.*/site-packages | head -n 1)
	"$PY" -m venv --without-pip "$S/ref" && have_inst=1
fi
# listing VENV: every file (not RECORD, INSTALLER, REQUESTED, pyvenv.cfg, .gitignore: 3.13 writes one, mkvenv always) with mode and content hash, the venv's path made VENV
listing() {
	(cd "$1" && find . -type f ! -name RECORD ! -name INSTALLER ! -name REQUESTED ! -name pyvenv.cfg ! -path ./.gitignore |
		LC_ALL=C sort | while read -r f; do
			printf '%s %s %s\n' "$(stat -c %a "$f")" "$(sed "s|$1|VENV|g" "$f" | sha256sum | cut -c1-16)" "$f"
		done)
}
record_paths() { cut -d, -f1 "$1" | LC_ALL=C sort; }
for c in ok:scripts ok:meta ok:wheel1.9 ok:licenses ok:pycache ok:startup; do
	mkvenv -q -w "$(whl "$c")" "$V" >"$S/out" 2>&1 && pass "$c/installs" || { fail "$c/installs" "$(head -c 400 "$S/out")"; continue; }
	[ $have_inst = 1 ] || continue
	PYTHONPATH=$INST "$S/ref/bin/python" -W ignore -m installer --no-compile-bytecode "$(whl "$c")" >"$S/inst.out" 2>&1 ||
		fail "$c/installer" "$(head -c 300 "$S/inst.out")"
done
case $(cat "$S/out") in
*"okh-1.0-py3-none-any.whl"*) fail ok:startup/quiet "$(cat "$S/out")" ;; *) pass ok:startup/quiet ;; esac
if [ $have_inst = 1 ]; then
	# the bin/ of both but each venv's own interpreter links, activation scripts and launchers
	listing "$V" | grep -v -e ' ./bin/python' -e ' ./bin/activate' -e ' ./bin/Activate' -e ' ./bin/\xf0' >"$S/vb.list"
	listing "$S/ref" | grep -v -e ' ./bin/python' -e ' ./bin/activate' -e ' ./bin/Activate' -e ' ./bin/\xf0' >"$S/ref.list"
	same_files same-as-installer "$S/ref.list" "$S/vb.list"; cp "$SCRATCH/.diff" "$S/installer.diff"
	for d in okl okp okh oks; do
		record_paths "$S/ref/$SITE/$d-1.0.dist-info/RECORD" | grep -v -e INSTALLER -e REQUESTED >"$S/ref.rec"
		record_paths "$V/$SITE/$d-1.0.dist-info/RECORD" | grep -v -e INSTALLER -e REQUESTED >"$S/vb.rec"
		same_files "$d/record-as-installer" "$S/ref.rec" "$S/vb.rec"
	done
fi

# ---- scripts: #!python and #!pythonw (\n or \r\n) lines become the venv's; nothing else changes
B=$V/bin
same scripts/python "#!$V/bin/python|import sys; print('s-py-ok')" "$(tr '\n' '|' <"$B/s-py" | sed 's/|$//')"
same scripts/pythonw-crlf "#!$V/bin/python|print('s-pyw-ok')%" "$(tr '\n\r' '|%' <"$B/s-pyw-crlf" | sed 's/|$//')"
same scripts/python3-args "#!$V/bin/python|print('s-py3-ok')" "$(tr '\n' '|' <"$B/s-py3-args" | sed 's/|$//')"
same scripts/no-newline "#!$V/bin/python" "$(cat "$B/s-nonl")"
same scripts/run "s-py-ok s-pyw-ok s-py3-ok s-env-ok" "$("$B/s-py") $("$B/s-pyw-crlf") $("$B/s-py3-args") $("$B/s-env")"
# the others keep their bytes (as the wheel has them) and the wheel's executable bit
"$PY" - "$(whl ok:scripts)" "$B" >"$S/kept" 2>&1 <<'PY'
import os, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
	n = i.filename.rsplit("/", 1)[1]
	if "/scripts/" in i.filename and n and n not in ("s-py", "s-pyw-crlf", "s-py3-args", "s-nonl", "s-plain"):
		got = open(os.path.join(sys.argv[2], n), "rb").read()
		print(n, "same" if got == z.read(i) else "differs")
PY
same scripts/kept-bytes "python-config-like same|s-bom same|s-env same|s-native same|s-space same|s-upper same" "$(LC_ALL=C sort "$S/kept" | tr '\n' '|' | sed 's/|$//')"
same scripts/modes "755 755 644 755" "$(stat -c %a "$B/s-native" "$B/s-py" "$B/s-plain" "$B/s-env" | tr '\n' ' ' | sed 's/ $//')"

# ---- licenses and SBOMs installed and in RECORD; RECORD.jws/.p7s installed though unlisted in the wheel
D=$V/$SITE/okl-1.0.dist-info
for f in licenses/LICENSE licenses/vendor/NOTICE.txt sboms/okl.cdx.json RECORD.jws RECORD.p7s; do
	[ -f "$D/$f" ] && grep -q "^okl-1.0.dist-info/$f,sha256=" "$D/RECORD" && pass "licenses/$f" || fail "licenses/$f" "$(cat "$D/RECORD")"
done
# ---- __pycache__ members: not installed, not in RECORD, said in a warning; __pycache__.py is a file like any other
P=$V/$SITE/okp
[ ! -e "$P/__pycache__" ] && [ ! -e "$P/sub" ] && [ ! -e "$V/share/okp/__pycache__" ] && [ -f "$P/__pycache__.py" ] &&
	pass pycache/not-installed || fail pycache/not-installed "$(cd "$V" && find . -path '*okp*' | sort | tr '\n' ' ')"
same pycache/record "okp/__pycache__.py" "$(grep -o '^[^,]*__pycache__[^,]*' "$V/$SITE/okp-1.0.dist-info/RECORD")"
mkvenv -q --without-pip -p "$PY" -w "$(whl ok:pycache)" "$S/pc" >"$S/pc.out" 2>&1
same pycache/warning "mkvenv: warning: $(whl ok:pycache): 3 members in __pycache__ directories not installed (bytecode is the interpreter's to write)" "$(cat "$S/pc.out")"
# ---- Wheel-Version 1.9: installed, with a warning (the spec; pip warns too); Metadata-Version 2.7 read as far as known
mkvenv -q --without-pip -p "$PY" -w "$(whl ok:wheel1.9)" "$S/w19" >"$S/w19.out" 2>&1
same wheel1.9/warning "mkvenv: warning: $(whl ok:wheel1.9): Wheel-Version 1.9 is newer than 1.0, which this installer implements; installing it as 1.0" "$(cat "$S/w19.out")"
venvinfo --list --json "$V" | grep -q '"name": "okm", "version": "1.0"' && pass meta2.7/listed || fail meta2.7/listed "$(venvinfo --list "$V")"
venvinfo --verify "$V" >"$S/verify" 2>&1 && pass verify-clean || fail verify-clean "$(head -c 600 "$S/verify")"
# ---- .pth and .start files installed as they are
for f in okh.pth okh.start okh_paths.pth .hidden.pth; do
	[ -f "$V/$SITE/$f" ] && pass "startup/$f" || fail "startup/$f" "missing"
done
