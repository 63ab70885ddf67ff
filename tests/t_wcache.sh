# t_wcache.sh: the cache of unpacked wheels. Cold, warm and --no-cache installs give
# byte-identical venvs; an entry is named by the archive's SHA-256 and holds its members;
# a cached file that was edited, truncated, replaced by a link or removed is caught and the
# member inflated instead (and the entry dropped); a file hashed once is known by its
# signature (KEY.sig) from then on; hard links on one filesystem, copies
# across two; a cache directory that is not safely ours (or reached through a link anywhere
# in its path) is not used, and -v says why; a failed or killed
# install leaves no entry behind; concurrent cold installs agree.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY"; exit 0; }
PIP=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
ST=$(ls /usr/share/python-wheels/setuptools-*.whl 2>/dev/null | head -n 1)
[ -n "$PIP" ] && [ -n "$ST" ] || { skip all "no pip and setuptools wheels in /usr/share/python-wheels"; exit 0; }
export SOURCE_DATE_EPOCH=1700000000	# identical trees, mtimes included
C=$S/cache
export VENVBOX_CACHE_DIR=$C
# Both wheels go in every time: seeded for Python < 3.12, named with -w after (as ensurepip)
if [ "$(py_minor "$PY")" -lt 12 ]; then WST=""; else WST="-w $ST"; fi
# shellcheck disable=SC2086 # $WST is an option and its value, or nothing
mk() { mkvenv -q -p "$PY" --find-links /usr/share/python-wheels $WST "$@"; }
key() { sha256sum "$1" | cut -d' ' -f1; }
E_PIP=$C/wheels-1/$(key "$PIP")
E_ST=$C/wheels-1/$(key "$ST")
# state V: the venv's tree with hashes, by its fixed path
state() { hashtree "$1"; }
leftovers() { ls -a "$C/wheels-1" 2>/dev/null | grep -c -e '^\.fill-' -e '^\.drop-' -e '^\.stat-' -e '^\.sig-'; }
entries() { ls "$C/wheels-1" 2>/dev/null | grep -c '^[0-9a-f]\{64\}$'; }	# entries (older versions' .stat files aside)

# ---- cold, warm, --no-cache: the same venv, byte for byte
rm -rf "$C"
mk "$S/v" && state "$S/v" >"$S/cold" || fail cold "mkvenv failed"
[ -d "$E_PIP" ] && [ -d "$E_ST" ] && pass entries-named-by-archive-sha256 ||
	fail entries-named-by-archive-sha256 "$(ls -a "$C/wheels-1" 2>&1)"
[ "$(entries)" = 2 ] && [ "$(leftovers)" = 0 ] && pass entries-only ||
	fail entries-only "$(ls -a "$C/wheels-1")"
# an entry holds every member as the wheel has it (its RECORD, which we rewrite, aside)
mkdir -p "$S/unz" && "$PY" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$PIP" "$S/unz"
rm -f "$S"/unz/*.dist-info/RECORD
if diff -r "$S/unz" "$E_PIP" >"$S/d" 2>&1; then pass entry-is-the-members; else fail entry-is-the-members "$(head -5 "$S/d")"; fi
f=$(cd "$S/v" && ls -d lib/python3.*/site-packages)/pip/__init__.py
[ "$(stat -c %h "$S/v/$f")" -ge 2 ] && [ "$(stat -c %i "$S/v/$f")" = "$(stat -c %i "$E_PIP/pip/__init__.py")" ] &&
	pass same-fs-hard-links || fail same-fs-hard-links "$(stat -c '%h %i' "$S/v/$f" "$E_PIP/pip/__init__.py")"
rm -rf "$S/v"
mk "$S/v" && state "$S/v" >"$S/warm" || fail warm "mkvenv failed"
same_files warm-equals-cold "$S/cold" "$S/warm"
[ "$(stat -c %h "$S/v/$f")" = 1 ] && pass warm-makes-copies || fail warm-makes-copies "link count $(stat -c %h "$S/v/$f")"
"$S/v/bin/pip" --version >/dev/null 2>&1 && pass warm-pip-runs || fail warm-pip-runs "$("$S/v/bin/pip" --version 2>&1 | tail -2)"
rm -rf "$S/v"
before=$(ls -la --time-style=+%s.%N "$C/wheels-1")
mk --no-cache "$S/v" && state "$S/v" >"$S/nocache" || fail no-cache "mkvenv failed"
same_files no-cache-equals-cold "$S/cold" "$S/nocache"
rm -rf "$S/v" "$S/c2"
VENVBOX_CACHE_DIR=$S/c2 VENVBOX_NO_CACHE=1 mk "$S/v" && [ ! -e "$S/c2" ] && pass env-turns-it-off || fail env-turns-it-off "$(ls -a "$S/c2" 2>&1)"
same "cache untouched when off" "$before" "$(ls -la --time-style=+%s.%N "$C/wheels-1")"

# ---- a cached file is hashed as it is copied until its signature (device, inode, size, mtime,
# ctime) is kept in KEY.sig; from then on it is taken unread while the signature holds, and
# hashed again when anything about it moved. A change made through the filesystem moves it:
# an edit, even of the same size with its mtime put back, is caught. KEY.sig vouches only for
# the content the wheel's RECORD asks for; a torn one, or one others can write, for nothing; a
# file whose times are not older than the look at it (git's racy clean rule) is never known by
# them and is hashed every time.
report() { mk -v "$@" 2>&1 | grep '^mkvenv: pip '; }
copies() { echo "$1" | sed -n 's/.*: \([0-9]*\) from the cache.*/\1/p'; }
hashed() { echo "$1" | sed -n 's/.*from the cache (\([0-9]*\) hashed again).*/\1/p'; }
settle() { sleep 0.3; }	# past the clock ticks a signature's times must be older than
rm -rf "$C" "$S/v"
r=$(report "$S/v")
case $r in *"unpacked from $PIP (and kept in the cache)"*) pass report-cold ;; *) fail report-cold "$r" ;; esac
rm -rf "$S/v" && settle && r=$(report "$S/v") && state "$S/v" >"$S/now"
[ "$(copies "$r")" -gt 400 ] 2>/dev/null && [ "$(hashed "$r")" = "$(copies "$r")" ] &&
	pass warm-first-hashes || fail warm-first-hashes "$r"
same_files warm-hashed-equals-cold "$S/cold" "$S/now"
[ -f "$E_PIP.sig" ] && [ "$(stat -c %a "$E_PIP.sig")" = 600 ] && pass signatures-kept || fail signatures-kept "$(ls -la "$C/wheels-1")"
rm -rf "$S/v" && settle && r=$(report "$S/v") && state "$S/v" >"$S/now"
[ "$(copies "$r")" -gt 400 ] 2>/dev/null && [ "$(hashed "$r")" = 0 ] && pass warm-known-by-signature || fail warm-known-by-signature "$r"
same_files warm-known-equals-cold "$S/cold" "$S/now"
P=$E_PIP/pip/__init__.py
rm -rf "$S/v"
t=$(stat -c %y "$P") && printf 'X' | dd of="$P" bs=1 seek=3 conv=notrunc 2>/dev/null && touch -d "$t" "$P"
r=$(report "$S/v") && state "$S/v" >"$S/now"
case $r in *"did not verify"*) pass file-edited-caught ;; *) fail file-edited-caught "$r" ;; esac
same_files file-edited-venv-right "$S/cold" "$S/now"
[ ! -e "$E_PIP" ] && [ ! -e "$E_PIP.sig" ] && pass file-edited-entry-dropped || fail file-edited-entry-dropped "$(ls -a "$C/wheels-1")"
# sigrow PATH ROW: KEY.sig's row for PATH rewritten from its stat now, with its content's
# SHA-256 as both the hash it has and the one it was checked against
sigrow() {
	"$PY" - "$PIP" "$E_PIP" "$1" <<'PY'
import hashlib, os, struct, sys, zipfile
whl, entry, path = sys.argv[1:]
names = sorted((n for n in zipfile.ZipFile(whl).namelist() if not n.endswith('/')), key=lambda n: n.encode())
i = names.index(os.path.relpath(path, entry))
b = bytearray(open(entry + '.sig', 'rb').read())
assert b[:8] == b'vbsig1\n\0' and len(b) == 24 + 104 * len(names)
st = os.lstat(path)
sha = hashlib.sha256(open(path, 'rb').read()).digest()
b[24 + 104 * i:24 + 104 * (i + 1)] = struct.pack('<QQQqqII32s32s', st.st_dev, st.st_ino, st.st_size,
                                                 st.st_mtime_ns, st.st_ctime_ns, 3, 0, sha, sha)
open(entry + '.sig', 'wb').write(b)
PY
}
# a row written for an edited file vouches for content RECORD does not ask for: caught
rm -rf "$S/v" && mk "$S/v" && rm -rf "$S/v" && settle && mk "$S/v" && rm -rf "$S/v" && settle
printf 'X' | dd of="$P" bs=1 seek=3 conv=notrunc 2>/dev/null && settle && sigrow "$P"
r=$(report "$S/v") && state "$S/v" >"$S/now"
case $r in *"did not verify"*) pass forged-row-caught ;; *) fail forged-row-caught "$r" ;; esac
same_files forged-row-venv-right "$S/cold" "$S/now"
# a torn KEY.sig, or one that others can write to, vouches for nothing
rm -rf "$S/v" && mk "$S/v" && rm -rf "$S/v" && settle && mk "$S/v" && rm -rf "$S/v" && settle
head -c 1000 "$E_PIP.sig" >"$S/torn" && cat "$S/torn" >"$E_PIP.sig"
r=$(report "$S/v") && [ "$(hashed "$r")" = "$(copies "$r")" ] && [ "$(stat -c %s "$E_PIP.sig")" -gt 1000 ] &&
	pass torn-signatures-ignored || fail torn-signatures-ignored "$r"
rm -rf "$S/v" && settle && chmod 622 "$E_PIP.sig" && r=$(report "$S/v") && [ "$(hashed "$r")" = "$(copies "$r")" ] &&
	[ "$(stat -c %a "$E_PIP.sig")" = 600 ] && pass others-writable-signatures-ignored || fail others-writable-signatures-ignored "$r"
# times in the future: never settled, so the file is hashed on every install (and is right)
rm -rf "$S/v" && settle && touch -d '+1 hour' "$P" && r=$(report "$S/v") && rm -rf "$S/v" && settle && r2=$(report "$S/v") &&
	state "$S/v" >"$S/now"
[ "$(hashed "$r")" = 1 ] && [ "$(hashed "$r2")" = 1 ] && pass racy-file-hashed-each-time || fail racy-file-hashed-each-time "$r / $r2"
same_files racy-file-venv-right "$S/cold" "$S/now"
# a cached file that others can write to is never known by its signature either
rm -rf "$S/v" "$E_PIP" && mk "$S/v" && rm -rf "$S/v" && settle && mk "$S/v" && rm -rf "$S/v" && chmod 666 "$P" && settle && r=$(report "$S/v") && rm -rf "$S/v" &&
	settle && r2=$(report "$S/v") && state "$S/v" >"$S/now"
[ "$(hashed "$r")" = 1 ] && [ "$(hashed "$r2")" = 1 ] && pass others-writable-file-hashed-each-time ||
	fail others-writable-file-hashed-each-time "$r / $r2"
same_files others-writable-file-venv-right "$S/cold" "$S/now"
rm -rf "$S/v" "$E_PIP" && mk "$S/v"	# the entry as it was

# ---- by-stat/: an archive's SHA-256 remembered by its device, inode, size and times, once it
# has been left alone for a while; a wrong one can cost time, not correctness
link_to() { find "$C/wheels-1/by-stat" -type l -lname "$1" 2>/dev/null | head -n 1; }
[ -n "$(link_to "$(key "$PIP")")" ] && [ -n "$(link_to "$(key "$ST")")" ] && pass archive-key-remembered ||
	fail archive-key-remembered "$(ls -l "$C/wheels-1/by-stat" 2>&1)"
# (a fresh copy, and mkvenv run at once; on a loaded machine that can take past the two
# seconds that make an archive settled, and then the round says nothing: it is tried again)
for try in 1 2 3 4 5; do
	rm -rf "$S/fresh" "$S/v" && mkdir -p "$S/fresh" && n=$(ls "$C/wheels-1/by-stat" | wc -l) && t0=$(date +%s.%N) &&
		cp "$PIP" "$ST" "$S/fresh/" &&
		r=$(mkvenv -v -p "$PY" --find-links "$S/fresh" ${WST:+-w "$S/fresh/${ST##*/}"} "$S/v" 2>&1 | grep '^mkvenv: pip ')
	quick=no
	awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { exit !(b - a < 1.5) }' && quick=yes && break
done
case $r in *"from the cache"*) pass fresh-archive-hashed ;; *) fail fresh-archive-hashed "$r" ;; esac
if [ $quick = no ]; then
	skip fresh-archive-not-remembered "five tries each took over 1.5 s from the copy to mkvenv's end (a loaded machine)"
else
	[ "$(ls "$C/wheels-1/by-stat" | wc -l)" = "$n" ] && pass fresh-archive-not-remembered || fail fresh-archive-not-remembered "$(ls "$C/wheels-1/by-stat")"
fi
l=$(link_to "$(key "$PIP")") && ln -sfn "$(key "$ST")" "$l"	# pip's archive said to be setuptools'
rm -rf "$S/v" && mk "$S/v" 2>"$S/err" && state "$S/v" >"$S/now" && same_files wrong-key-venv-right "$S/cold" "$S/now"
"$S/v/bin/python" -c 'import pip' 2>/dev/null && pass wrong-key-imports || fail wrong-key-imports "$(cat "$S/err")"
[ ! -e "$l" ] && pass wrong-key-forgotten || fail wrong-key-forgotten "$(ls -l "$l")"
rm -rf "$S/v" && mk "$S/v" && [ "$(readlink "$(link_to "$(key "$PIP")")")" = "$(key "$PIP")" ] &&
	pass right-key-remembered-again || fail right-key-remembered-again "$(ls -l "$C/wheels-1/by-stat")"
# a remembered key with no entry behind it is checked by hashing, not used to fill one
Z=0000000000000000000000000000000000000000000000000000000000000000
l=$(link_to "$(key "$PIP")") && ln -sfn $Z "$l" && rm -rf "$S/v" && mk "$S/v" && state "$S/v" >"$S/now" &&
	same_files unknown-key-venv-right "$S/cold" "$S/now"
[ ! -e "$C/wheels-1/$Z" ] && [ "$(readlink "$l")" = "$(key "$PIP")" ] && pass unknown-key-hashed ||
	fail unknown-key-hashed "$(ls -l "$C/wheels-1" "$C/wheels-1/by-stat")"
# keys of archives whose entry is gone are pruned by the next cold install
ln -s $Z "$C/wheels-1/by-stat/stale" && rm -rf "$E_ST" "$S/v" && mk "$S/v" && [ ! -e "$C/wheels-1/by-stat/stale" ] &&
	[ -n "$(link_to "$(key "$PIP")")" ] && pass stale-keys-pruned || fail stale-keys-pruned "$(ls -l "$C/wheels-1/by-stat")"
# a wheel that is refused leaves no trace in the cache, not even its directory
rm -rf "$S/v" "$S/c3" && mkdir -p "$S/bad" && cp "$PIP" "$S/bad/pip-23.0.1-py3-none-any.whl" &&
	printf 'junk' >>"$S/bad/pip-23.0.1-py3-none-any.whl" && touch -d '2020-01-01' "$S/bad/pip-23.0.1-py3-none-any.whl"
if VENVBOX_CACHE_DIR=$S/c3 mkvenv -q -p "$PY" --without-pip -w "$S/bad/pip-23.0.1-py3-none-any.whl" "$S/v" 2>/dev/null; then
	fail refused-wheel-no-trace "the wheel with trailing data was accepted"
else
	[ ! -e "$S/c3" ] && pass refused-wheel-no-trace || fail refused-wheel-no-trace "$(find "$S/c3" | head)"
fi

# a seed whose archive is corrupt (RECORD's data, past METADATA which finding it reads) is
# refused with its own name, nothing made: its archive stays open from finding to checking
mkdir -p "$S/cs" && rm -rf "$S/v" "$S/cs"/* && cp "$PIP" "$S/cs/" && "$PY" - "$S/cs/$(basename "$PIP")" <<'PY'
import struct, sys, zipfile
p = sys.argv[1]
i = [x for x in zipfile.ZipFile(p).infolist() if x.filename.endswith('.dist-info/RECORD')][0]
d = bytearray(open(p, 'rb').read())
n, x = struct.unpack('<HH', d[i.header_offset + 26:i.header_offset + 30])
d[i.header_offset + 30 + n + x + i.compress_size // 2] ^= 0xff
open(p, 'wb').write(d)
PY
if mkvenv -q -p "$PY" --find-links "$S/cs" "$S/v" 2>"$S/err"; then
	fail corrupt-seed-refused "accepted"
else
	grep -q "^mkvenv: $S/cs/$(basename "$PIP"): entry .*RECORD: " "$S/err" && [ ! -e "$S/v" ] &&
		pass corrupt-seed-refused || fail corrupt-seed-refused "$(cat "$S/err")"
fi

# ---- a spoiled entry: caught, the venv still right, the entry dropped, then made again
spoil() {	# spoil NAME HOW: HOW changes the cached pip/__init__.py
	rm -rf "$S/v"
	eval "$2"
	if mk "$S/v" 2>"$S/err" && state "$S/v" >"$S/now" && diff -q "$S/cold" "$S/now" >/dev/null; then
		pass "$1/venv-right"
	else
		fail "$1/venv-right" "$(head -c 300 "$S/err")$(diff "$S/cold" "$S/now" | head -5)"
	fi
	"$S/v/bin/python" -c 'import pip' 2>/dev/null && pass "$1/pip-imports" || fail "$1/pip-imports" "broken pip"
	[ "$(leftovers)" = 0 ] && pass "$1/no-leftovers" || fail "$1/no-leftovers" "$(ls -a "$C/wheels-1")"
	[ ! -e "$E_PIP" ] && pass "$1/entry-dropped" || fail "$1/entry-dropped" "still there"
	rm -rf "$S/v"; mk "$S/v" && [ -d "$E_PIP" ] && pass "$1/entry-made-again" || fail "$1/entry-made-again" "no entry"
}
P=$E_PIP/pip/__init__.py
spoil same-size-edit 'printf "X" | dd of="$P" bs=1 seek=3 conv=notrunc 2>/dev/null'
spoil truncated ': >"$P"'
spoil missing 'rm -f "$P"'
spoil symlink 'rm -f "$P"; ln -s /etc/passwd "$P"'
spoil dir-symlink 'rm -rf "$E_PIP/pip/_internal"; ln -s /etc "$E_PIP/pip/_internal"'
# an in-place edit through the first venv's hard link: the next install is not fooled
rm -rf "$E_PIP" "$S/v" "$S/v1" && mk "$S/v1" && echo '# edited' >>"$S/v1/$f" && rm -rf "$S/v1"
spoil edit-through-venv-link ':'
# deleting the venv the entry was filled from does not take the entry with it
rm -rf "$S/v1" "$S/v" && mk "$S/v" && state "$S/v" >"$S/now" && diff -q "$S/cold" "$S/now" >/dev/null &&
	pass entry-outlives-its-venv || fail entry-outlives-its-venv "differs"

# ---- another filesystem: filled with copies, and used
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$S")" ]; then
	X=/dev/shm/venvbox-t-wcache.$$
	rm -rf "$X" "$S/v"
	VENVBOX_CACHE_DIR=$X mk "$S/v" && xe=$X/wheels-1/$(key "$PIP") &&
		[ -d "$xe" ] && [ "$(stat -c %h "$xe/pip/__init__.py")" = 1 ] && pass cross-fs-copies || fail cross-fs-copies "$(ls -a "$X/wheels-1" 2>&1)"
	rm -rf "$S/v" && VENVBOX_CACHE_DIR=$X mk "$S/v" && state "$S/v" >"$S/now" && same_files cross-fs-warm "$S/cold" "$S/now"
	rm -rf "$X"
else
	skip cross-fs "/dev/shm is missing or on the same filesystem as $S"
fi

# ---- cache directories that are not safely ours are not used (and mkvenv still works)
# unsafe NAME DIR WHY: mkvenv with VENVBOX_CACHE_DIR=DIR succeeds and writes no entry; with
# -v it says the cache is not used, and WHY
unsafe() {
	rm -rf "$S/v"
	if VENVBOX_CACHE_DIR=$2 mk -v "$S/v" 2>"$S/err" && [ -x "$S/v/bin/pip" ] && [ ! -e "$2/wheels-1/$(key "$PIP")" ]; then
		pass "unsafe/$1"
	else
		fail "unsafe/$1" "$(cat "$S/err") $(ls -la "$2" 2>&1 | head -5)"
	fi
	same "unsafe/$1-said" "mkvenv: the cache of unpacked wheels is not used: $3" "$(grep 'cache of unpacked wheels' "$S/err")"
}
mkdir -p "$S/u/open" && chmod 0777 "$S/u/open" && unsafe world-writable "$S/u/open" "$S/u/open: writable by others (mode 777)"
mkdir -p "$S/u/group" && chmod 0770 "$S/u/group" && unsafe group-writable "$S/u/group" "$S/u/group: writable by others (mode 770)"
mkdir -p "$S/u/real" && ln -sfn "$S/u/real" "$S/u/link" && unsafe symlink "$S/u/link" "$S/u/link: a symbolic link"
[ "$(ls -A "$S/u/real")" = "" ] && pass unsafe/symlink-target-untouched || fail unsafe/symlink-target-untouched "$(ls -A "$S/u/real")"
# a link higher up in the path counts as one at its end: nothing is made through it
mkdir -p "$S/u/hl/elsewhere" && ln -sfn elsewhere "$S/u/hl/home-cache" && unsafe symlink-higher-up "$S/u/hl/home-cache/venvbox" "$S/u/hl/home-cache: a symbolic link or a file is in the way at home-cache"
rm -rf "$S/v" && (cd "$S/u/hl" && VENVBOX_CACHE_DIR=home-cache/venvbox mk "$S/v") && [ ! -e "$S/u/hl/elsewhere/venvbox" ] &&
	pass unsafe/symlink-higher-up-relative || fail unsafe/symlink-higher-up-relative "$(find "$S/u/hl/elsewhere" | head -3)"
[ "$(ls -A "$S/u/hl/elsewhere")" = "" ] && pass unsafe/symlink-higher-up-untouched || fail unsafe/symlink-higher-up-untouched "$(find "$S/u/hl/elsewhere" | head -3)"
# and -v says why the cache is not used
rm -rf "$S/v" && VENVBOX_CACHE_DIR=$S/u/hl/home-cache/venvbox mk -v "$S/v" >"$S/out" 2>&1
grep -q "cache of unpacked wheels is not used: .*home-cache: a symbolic link" "$S/out" && pass unsafe/verbose-says-link || fail unsafe/verbose-says-link "$(grep -v '^mkvenv: \(Python\|pip\|setuptools\|created\)' "$S/out")"
rm -rf "$S/v" && VENVBOX_CACHE_DIR=$S/u/open mk -v "$S/v" >"$S/out" 2>&1
grep -q "cache of unpacked wheels is not used: .*writable by others" "$S/out" && pass unsafe/verbose-says-writable || fail unsafe/verbose-says-writable "$(grep -v '^mkvenv: \(Python\|pip\|setuptools\|created\)' "$S/out")"
: >"$S/u/file" && unsafe a-file "$S/u/file" "$S/u/file: not a directory"
mkdir -p "$S/u/w1" && chmod 0700 "$S/u/w1" && mkdir -p "$S/u/w1/wheels-1" && chmod 0777 "$S/u/w1/wheels-1" &&
	unsafe open-subdir "$S/u/w1" "$S/u/w1/wheels-1: writable by others (mode 777)"
# a cache used is not mentioned
rm -rf "$S/v" && VENVBOX_CACHE_DIR=$S/u/good mk -v "$S/v" 2>"$S/err" && ! grep -q 'cache of unpacked wheels' "$S/err" &&
	pass cache-used-not-said || fail cache-used-not-said "$(cat "$S/err")"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	mkdir -p "$S/u/theirs" && chown nobody "$S/u/theirs" && chmod 0700 "$S/u/theirs" &&
		unsafe not-ours "$S/u/theirs" "$S/u/theirs: owned by uid $(id -u nobody), not by this user (uid 0)"
	# mode 0500: its own, but not writable to the user (root writes anywhere: run as nobody)
	if command -v setpriv >/dev/null 2>&1; then
		mkdir -p "$S/u/n/c" && chown -R nobody "$S/u/n" && chmod 0500 "$S/u/n/c"
		setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups env HOME="$S/u/n" VENVBOX_CACHE_DIR="$S/u/n/c" \
			"$VBBIN/mkvenv" -v -p "$PY" --find-links /usr/share/python-wheels $WST "$S/u/n/v" 2>"$S/err"
		same unsafe/read-only-said "mkvenv: the cache of unpacked wheels is not used: $S/u/n/c/wheels-1: cannot be made: Permission denied" \
			"$(grep 'cache of unpacked wheels' "$S/err")"
	else
		skip unsafe/read-only-said "needs setpriv"
	fi
else
	skip unsafe/not-ours "needs root to give a directory away"
fi
# HOME and XDG_CACHE_HOME decide the default place; a relative XDG_CACHE_HOME is ignored
rm -rf "$S/h" "$S/v" && mkdir -p "$S/h" && (cd "$S" && env -u VENVBOX_CACHE_DIR HOME="$S/h" XDG_CACHE_HOME=rel mkvenv -q -p "$PY" v) &&
	[ -d "$S/h/.cache/venvbox/wheels-1" ] && [ ! -e "$S/rel" ] && [ "$(stat -c %a "$S/h/.cache/venvbox")" = 700 ] &&
	pass default-under-home || fail default-under-home "$(find "$S/h" "$S/rel" -maxdepth 3 2>&1 | head)"
rm -rf "$S/r" "$S/v" && (cd "$S" && VENVBOX_CACHE_DIR=r mkvenv -q -p "$PY" --find-links /usr/share/python-wheels v) &&
	[ -d "$S/r/wheels-1/$(key "$PIP")" ] && pass relative-cache-dir || fail relative-cache-dir "$(ls -a "$S/r" 2>&1)"
rm -rf "$S/x" "$S/v" && (unset VENVBOX_CACHE_DIR; export XDG_CACHE_HOME="$S/x"; mk "$S/v") && [ -d "$S/x/venvbox/wheels-1" ] &&
	pass xdg-cache-home || fail xdg-cache-home "$(ls -a "$S/x" 2>&1)"

# ---- a failed install leaves no entry; a killed one's fill directory goes next time
rm -rf "$C" "$S/v"
VENVBOX_FAULT=150:fail mk "$S/v" 2>/dev/null
[ ! -e "$S/v" ] && [ "$(entries)" = 0 ] && [ "$(leftovers)" = 0 ] &&
	pass failed-install-no-entry || fail failed-install-no-entry "$(ls -a "$C/wheels-1" 2>&1)"
VENVBOX_FAULT=150 mk "$S/v" 2>/dev/null
[ "$(leftovers)" -ge 1 ] && pass killed-leaves-fill || fail killed-leaves-fill "$(ls -a "$C/wheels-1" 2>&1)"
rm -rf "$S/v" && mk "$S/v" && [ "$(leftovers)" = 0 ] && [ -d "$E_PIP" ] && pass next-run-removes-fill || fail next-run-removes-fill "$(ls -a "$C/wheels-1")"

# ---- four cold installs at once: all right, one entry per wheel, nothing left over
rm -rf "$C" "$S"/p?
for i in 1 2 3 4; do mk "$S/p$i" & done; wait
ok=1
for i in 1 2 3 4; do
	hashtree "$S/p$i/lib" | grep -v "/RECORD$" >"$S/p$i.tree"	# what came from the wheels (launchers, and so RECORD, name the venv)
	[ -x "$S/p$i/bin/pip" ] && cmp -s "$S/p1.tree" "$S/p$i.tree" || ok=0
done
[ $ok = 1 ] && [ "$(entries)" = 2 ] && [ "$(leftovers)" = 0 ] && pass concurrent-cold ||
	fail concurrent-cold "$(ls -a "$C/wheels-1")"

# ---- -w into an existing venv (staged, replacing pip): warm, and right
rm -rf "$S/v" && mk "$S/v" && mkvenv -q -w "$PIP" "$S/v" && state "$S/v" >"$S/now" && same_files w-replace-warm "$S/cold" "$S/now"

# ---- link modes (--link-mode, VENVBOX_LINK_MODE): clone (the default: a reflink where the
# filesystem has them, else a copy), copy and hardlink make the same venv byte for byte; only
# hardlink shares the cache's files (inodes), and an edit made through such a venv is caught
# by the next install, which inflates that member afresh and drops the entry
inode() { stat -c %i "$1"; }
rm -rf "$C" "$S"/lm-* && mk "$S/lm-fill" || fail link-modes/fill "mkvenv failed"
PIPINIT=$(cd "$S/lm-fill" && ls lib/python3.*/site-packages/pip/__init__.py)
for m in clone copy hardlink; do
	rm -rf "$S/v" && mk --link-mode $m "$S/v" && state "$S/v" >"$S/now" && same_files "link-mode-$m/same-venv" "$S/cold" "$S/now"
	n=$(find "$S/v/lib" -type f -links +1 | wc -l)
	case $m in
	hardlink) [ "$(inode "$S/v/$PIPINIT")" = "$(inode "$E_PIP/pip/__init__.py")" ] && [ "$n" -gt 100 ] &&
		pass "link-mode-$m/shares-the-cache-files" || fail "link-mode-$m/shares-the-cache-files" "$n linked files" ;;
	*) [ "$n" = 0 ] && pass "link-mode-$m/own-files" || fail "link-mode-$m/own-files" "$n files with other links" ;;
	esac
done
rm -rf "$S/v" && VENVBOX_LINK_MODE=hardlink mk "$S/v" && [ "$(inode "$S/v/$PIPINIT")" = "$(inode "$E_PIP/pip/__init__.py")" ] &&
	pass link-mode-env || fail link-mode-env "VENVBOX_LINK_MODE=hardlink did not link"
check_fails link-mode-unknown 2 mkvenv --link-mode symlink "$S/lm-bad"
[ ! -e "$S/lm-bad" ] && grep -q 'not a link mode' "$SCRATCH/.out" && pass link-mode-unknown-said || fail link-mode-unknown-said "$(cat "$SCRATCH/.out")"
VENVBOX_LINK_MODE=symlink mkvenv -q "$S/lm-bad" 2>"$S/err"; st=$?
[ $st = 2 ] && [ ! -e "$S/lm-bad" ] && grep -q 'VENVBOX_LINK_MODE=symlink' "$S/err" && pass link-mode-env-unknown ||
	fail link-mode-env-unknown "exit $st: $(cat "$S/err")"
# the trade-off: an edit through the hard-linked venv is an edit of the cache entry...
echo '# edited through a hard-linked venv' >>"$S/v/$PIPINIT"
if venvinfo --verify "$S/v" >"$S/out" 2>&1; then fail link-mode-hardlink/edit-seen-by-verify "verify is clean"
else grep -q "modified .*pip/__init__.py" "$S/out" && pass link-mode-hardlink/edit-seen-by-verify ||
	fail link-mode-hardlink/edit-seen-by-verify "$(head -c 400 "$S/out")"; fi
# ... which the next install catches: the member inflated afresh (the venv right), the entry dropped
rm -rf "$S/w" && mkvenv -v -p "$PY" --find-links /usr/share/python-wheels $WST --link-mode hardlink "$S/w" >"$S/out" 2>&1
grep -q 'did not verify' "$S/out" && [ "$(inode "$S/w/$PIPINIT")" != "$(inode "$S/v/$PIPINIT")" ] &&
	! grep -q 'edited through' "$S/w/$PIPINIT" && pass link-mode-hardlink/edit-caught-next-install ||
	fail link-mode-hardlink/edit-caught-next-install "$(tail -c 600 "$S/out")"
check link-mode-hardlink/next-venv-verifies venvinfo --verify "$S/w"
# hard links move the shared inode's ctime (each venv made or removed): linking knows a file by
# its device, inode, size and mtime, and so takes it unread even so
rm -rf "$S/v" && mk --link-mode hardlink "$S/v" && rm -rf "$S/v" && settle && mk --link-mode hardlink "$S/v" &&
	rm -rf "$S/v" && settle && r=$(report --link-mode hardlink "$S/v") && state "$S/v" >"$S/now"
[ "$(copies "$r")" -gt 400 ] 2>/dev/null && [ "$(hashed "$r")" = 0 ] && pass link-mode-hardlink/known-by-signature ||
	fail link-mode-hardlink/known-by-signature "$r"
same_files link-mode-hardlink/known-venv-right "$S/cold" "$S/now"
# its trade-off: an edit through a hard-linked venv of the same size, its mtime put back, is not
# seen by the next hard link (venvinfo --verify sees it); a copying install sees it by the ctime
t=$(stat -c %y "$S/v/$PIPINIT") && printf 'X' | dd of="$S/v/$PIPINIT" bs=1 seek=3 conv=notrunc 2>/dev/null &&
	touch -d "$t" "$S/v/$PIPINIT" && settle
rm -rf "$S/v" && r=$(report --link-mode copy "$S/v") && state "$S/v" >"$S/now"
case $r in *"did not verify"*) pass link-mode-hardlink/same-size-edit-caught-by-copy ;;
*) fail link-mode-hardlink/same-size-edit-caught-by-copy "$r" ;; esac
same_files link-mode-hardlink/same-size-edit-venv-right "$S/cold" "$S/now"
# a cache file whose mode differs from what the venv would make is copied, never linked
# (the venv that filled the entry shares that file, so its mode changes too: W's is the one)
rm -rf "$C" "$S/v" && mk "$S/lm-fill2" && chmod 600 "$E_PIP/pip/__init__.py" && mk --link-mode hardlink "$S/v" &&
	[ "$(stat -c %a "$S/v/$PIPINIT")" = "$(stat -c %a "$S/w/$PIPINIT")" ] && [ "$(inode "$S/v/$PIPINIT")" != "$(inode "$E_PIP/pip/__init__.py")" ] &&
	pass link-mode-hardlink/other-mode-copied || fail link-mode-hardlink/other-mode-copied "$(stat -c '%a %i' "$S/v/$PIPINIT" "$E_PIP/pip/__init__.py")"
