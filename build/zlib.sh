# build/zlib.sh CC OUTDIR: builds zlib with CC as OUTDIR/lib/libz.a and OUTDIR/include/{zlib.h,zconf.h}.
# Source: the tarball in $ZLIB_SRC, else Debian's zlib source package fetched with apt into a
# private apt state ($ZLIB_STATE/apt, default build/out/apt) and kept in $ZLIB_STATE/zlib-src
# (build/debsrc.sh: every version tried, newest first, until one downloads and verifies);
# $ZLIB_APT_SOURCES names a sources.list to use instead of the deb-src twins of the machine's entries.
# OUTDIR/build-id records the compiler and source a libz.a was built from; a libz.a whose
# record differs from what is asked for now is built again.
set -u

say() { printf 'zlib.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
fail() { tail -n 20 "$log" >&2; die "$1: failed (log: $log)${2:+; $2}"; }
remedy="set ZLIB_SRC=/path/to/zlib-1.3.1.tar.gz (from https://zlib.net/)"

[ $# -eq 2 ] || die "usage: sh build/zlib.sh CC OUTDIR"
cc=$1 out=$2 src=${ZLIB_SRC:-} state=${ZLIB_STATE:-build/out} sources=${ZLIB_APT_SOURCES:-}
# Relative paths are taken from where we were called (make calls us from the repo top).
case $out in /*) ;; *) out=$PWD/$out ;; esac
case $src in '' | /*) ;; *) src=$PWD/$src ;; esac
case $state in /*) ;; *) state=$PWD/$state ;; esac
case $sources in '' | /*) ;; *) sources=$PWD/$sources ;; esac
cd "$(dirname "$0")/.." || die "cd to the repo top: failed"

pkg=zlib apt=$state/apt cache=$state/zlib-src
# DYNAMIC_CRC_TABLE: crc32's 9 KiB of tables are computed at the first call (once, thread
# safe with C11 atomics) instead of being carried in the binary
zcflags="-Os -fPIC -ffunction-sections -fdata-sections -DDYNAMIC_CRC_TABLE"
. build/debsrc.sh
command -v "${cc%% *}" >/dev/null || die "compiler $cc: not found: run sh build/deps.sh"

# What a libz.a is made from: the compiler (as named, as found, as it reports itself) and the
# source (the tarball's path and size, or the Debian version kept in the cache).
build_id() {
	printf 'cc=%s\npath=%s\nversion=%s\ncflags=%s\n' "$cc" "$(command -v "${cc%% *}")" \
		"$($cc --version 2>/dev/null | head -n 1)" "$zcflags"
	if [ -n "$src" ]; then
		printf 'src=%s %s\n' "$src" "$(wc -c <"$src" 2>/dev/null)"
	elif [ -f "$cache/VERSION" ]; then
		printf 'src=debian zlib %s\n' "$(cat "$cache/VERSION")"
	else
		printf 'src=debian zlib (not fetched yet)\n'
	fi
}
[ -f "$out/lib/libz.a" ] && [ "$(build_id)" = "$(cat "$out/build-id" 2>/dev/null)" ] && exit 0

[ -z "$src" ] || [ -r "$src" ] || die "reading ZLIB_SRC=$src: no such file"
mkdir -p "$state" || die "creating $state: failed"
[ -n "$src" ] || debsrc_get	# parallel makes (all, check-asan, dist) fetch once

b=$(mktemp -d "$state/zlib-build.XXXXXX") || die "creating a build dir in $state: failed"
log=$b/log
if [ -n "$src" ]; then
	mkdir "$b/x" && tar -xf "$src" -C "$b/x" >"$log" 2>&1 || fail "unpacking $src"
	set -- "$b/x"/*
	mv "$1" "$b/src"
else
	# the orig tarball unpatched: Debian's patches touch only contrib/minizip and packaging,
	# and both source paths stay alike
	debsrc_unpack "$b/src" --skip-patches
fi
[ -f "$b/src/zlib.h" ] && [ -f "$b/src/configure" ] || die "unpacking zlib: no zlib source tree in $b/src"

# Our make's flags and command-line variables (CC=, CFLAGS=) must not reach zlib's make.
(
	unset MAKEFLAGS MFLAGS MAKELEVEL
	cd "$b/src" &&
		CC=$cc CFLAGS="$zcflags" \
			sh ./configure --static --prefix="$out" &&
		make -j"$(nproc 2>/dev/null || echo 2)" libz.a
) >>"$log" 2>&1 || fail "building zlib with CC=$cc"

id=$(build_id)
mkdir -p "$out/lib" "$out/include" &&
	cp "$b/src/zlib.h" "$b/src/zconf.h" "$out/include/" &&
	cp "$b/src/libz.a" "$out/lib/libz.a.tmp" &&
	mv "$out/lib/libz.a.tmp" "$out/lib/libz.a" &&
	printf '%s\n' "$id" >"$out/build-id" || die "installing into $out: failed"
rm -rf "$b"
