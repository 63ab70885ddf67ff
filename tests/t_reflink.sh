# t_reflink.sh: --link-mode clone on a filesystem that can reflink (issue 16). The suite's
# own filesystems (ext4, tmpfs) cannot, so clone falls back to copying everywhere else; here
# an XFS image (reflink=1) is made and loop-mounted in the scratch directory, the cache and
# the venvs on it: a warm clone install gives the files of the cold one, byte for byte, each
# sharing its extents with the cache (filefrag's "shared") and with a link count of 1; copy
# shares none; the default is clone; a cloned file edited through the venv leaves the cache's
# copy as it was (copy on write), so the next install is right and takes every file from the
# cache.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no /usr/bin/python3"; exit 0; }
for c in mkfs.xfs filefrag mount umount; do
	have "$c" || { skip all "$c is not installed (tests/setup.sh installs xfsprogs and e2fsprogs)"; exit 0; }
done
[ "$(id -u)" = 0 ] || { skip all "not root: a loop device cannot be mounted"; exit 0; }
need_tools reflink || exit 0
truncate -s 1G "$S/xfs.img" && mkfs.xfs -q -f -m reflink=1 "$S/xfs.img" >"$S/mkfs.out" 2>&1 ||
	{ skip all "mkfs.xfs -m reflink=1 failed: $(head -c 300 "$S/mkfs.out")"; exit 0; }
M=$S/mnt
mkdir -p "$M"
mount -o loop "$S/xfs.img" "$M" >"$S/mount.out" 2>&1 ||
	{ skip all "a loop mount is not allowed here: $(head -c 300 "$S/mount.out")"; rm -f "$S/xfs.img"; exit 0; }
trap 'umount "$M" 2>/dev/null; rm -f "$S/xfs.img"' EXIT
export VENVBOX_CACHE_DIR=$M/cache
SP=lib/python3.$(py_minor "$PY")/site-packages

# the current pip (many small files) and one wheel of big binary files
W=$(ls "$TOOLS"/wheels/pip-*.whl | head -n 1)
BIG=$(ls -S "$TOP"/build/out/corpus/wheels/numpy-*-cp3$(py_minor "$PY")-*manylinux*_$(uname -m).whl 2>/dev/null | head -n 1)
[ -n "$BIG" ] || BIG=$W
check cold mkvenv -q --without-pip -p "$PY" -w "$W" -w "$BIG" "$M/v0"
# shared FILE: 1 when filefrag says every extent of FILE is shared
shared() { filefrag -v "$1" 2>/dev/null | awk '/^ *[0-9]+:/ { n++; if ($0 !~ /shared/) bad = 1 } END { exit !(n && !bad) }'; }
# files VENV: its regular files of 8 KiB and more (smaller ones may sit inline in the inode),
# but the RECORDs, which are the venv's own (their launcher rows name the venv)
files() { find "$1/$SP" -type f -size +8k ! -path '*.dist-info/RECORD' | sort; }
# sums VENV: the SHA-256 of each file of its site-packages, but the RECORDs
sums() { (cd "$1/$SP" && find . -type f ! -path '*.dist-info/RECORD' -exec sha256sum {} + | sort -k2); }
for mode in clone copy default; do
	rm -rf "$M/v-$mode"
	case $mode in default) opt= ;; *) opt="--link-mode $mode" ;; esac
	mkvenv -v --without-pip -p "$PY" $opt -w "$W" -w "$BIG" "$M/v-$mode" >"$S/$mode.out" 2>&1 ||
		{ fail "$mode/install" "$(head -c 600 "$S/$mode.out")"; continue; }
	grep -q "files: \([0-9]*\) from the cache" "$S/$mode.out" && ! grep -q "unpacked from" "$S/$mode.out" &&
		pass "$mode/from-cache" || fail "$mode/from-cache" "$(head -c 600 "$S/$mode.out")"
	sums "$M/v0" >"$S/v0.sums"
	sums "$M/v-$mode" >"$S/$mode.sums"
	same_files "$mode/same-bytes" "$S/v0.sums" "$S/$mode.sums"
	n=0 s=0 l=0
	for f in $(files "$M/v-$mode"); do
		n=$((n + 1))
		shared "$f" && s=$((s + 1))
		[ "$(stat -c %h "$f")" = 1 ] || l=$((l + 1))
	done
	[ $n -ge 5 ] || fail "$mode/files" "only $n files of 8 KiB or more"
	[ $l = 0 ] && pass "$mode/not-linked" || fail "$mode/not-linked" "$l of $n files have other names"
	case $mode in
	copy) [ $s = 0 ] && pass "$mode/no-extent-shared" || fail "$mode/no-extent-shared" "$s of $n files share extents" ;;
	*) [ $s = $n ] && pass "$mode/extents-shared" || fail "$mode/extents-shared" "$s of $n files share their extents" ;;
	esac
done

# an edit through a cloned venv's file: the cache's copy is untouched (copy on write), and
# the next clone install takes every file from the cache and is right
f=$(files "$M/v-clone" | tail -n 1)
printf 'edited through the venv' | dd of="$f" bs=1 seek=100 conv=notrunc status=none
rm -rf "$M/v-after"
mkvenv -v --without-pip -p "$PY" -w "$W" -w "$BIG" "$M/v-after" >"$S/after.out" 2>&1 ||
	fail after/install "$(head -c 600 "$S/after.out")"
! grep -q "unpacked from\|did not verify\|dropped" "$S/after.out" && pass after/from-cache ||
	fail after/from-cache "$(head -c 600 "$S/after.out")"
sums "$M/v-after" >"$S/after.sums"
same_files after/same-bytes "$S/v0.sums" "$S/after.sums"
"$M/v-after/bin/python" -m pip --version >"$S/pip.out" 2>&1 && pass after/pip-runs || fail after/pip-runs "$(head -c 300 "$S/pip.out")"
