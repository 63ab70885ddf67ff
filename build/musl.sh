# build/musl.sh ARCH OUTDIR: musl's static C library for ARCH (aarch64, riscv64, x86_64), built
# from Debian's musl source package with Debian's cross compiler ARCH-linux-gnu-gcc and
# installed in OUTDIR, with its compiler wrapper OUTDIR/bin/musl-gcc (as musl-tools' for the
# machine's own architecture). The source is fetched as zlib's is (build/debsrc.sh, the same
# private apt state: $MUSL_STATE, default build/out; $MUSL_APT_SOURCES a sources.list to use
# instead of the machine's) and kept in $MUSL_STATE/musl-src; Debian's patches are applied,
# as in the musl that musl-tools brings for the machine's own architecture. OUTDIR/build-id
# records the compiler and the source version; a library whose record differs from what is
# asked for now is built again.
set -u

say() { printf 'musl.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
fail() { tail -n 20 "$log" >&2; die "$1: failed (log: $log)${2:+; $2}"; }

[ $# -eq 2 ] || die "usage: sh build/musl.sh ARCH OUTDIR"
arch=$1 out=$2 state=${MUSL_STATE:-build/out} sources=${MUSL_APT_SOURCES:-}
case $out in /*) ;; *) out=$PWD/$out ;; esac
case $state in /*) ;; *) state=$PWD/$state ;; esac
case $sources in '' | /*) ;; *) sources=$PWD/$sources ;; esac
cd "$(dirname "$0")/.." || die "cd to the repo top: failed"

cc=$arch-linux-gnu-gcc
remedy="install Debian's gcc-$arch-linux-gnu (sh build/deps.sh dist) and rerun"
pkg=musl
. build/debsrc.sh
command -v "$cc" >/dev/null || die "cross compiler $cc: not found: run sh build/deps.sh dist"

build_id() {
	printf 'arch=%s\ncc=%s\nversion=%s\n' "$arch" "$(command -v "$cc")" "$($cc --version 2>/dev/null | head -n 1)"
	printf 'src=debian musl %s\n' "$(cat "$state/musl-src/VERSION" 2>/dev/null || echo '(not fetched yet)')"
}
[ -f "$out/lib/libc.a" ] && [ -x "$out/bin/musl-gcc" ] &&
	[ "$(build_id)" = "$(cat "$out/build-id" 2>/dev/null)" ] && exit 0

debsrc_get
b=$(mktemp -d "$state/musl-build.XXXXXX") || die "creating a build dir in $state: failed"
log=$b/log
debsrc_unpack "$b/src"
[ -f "$b/src/configure" ] && [ -d "$b/src/arch/$arch" ] ||
	die "unpacking musl: no musl source tree for $arch in $b/src"

# A fresh OUTDIR: what the last build installed there is not mixed with this one's.
rm -rf "$out.tmp" || die "removing $out.tmp: failed"
(
	unset MAKEFLAGS MFLAGS MAKELEVEL
	cd "$b/src" &&
		sh ./configure --target="$arch-linux-musl" CROSS_COMPILE="$arch-linux-gnu-" CC="$cc" \
			--prefix="$out" --syslibdir="$out/lib" --disable-shared --enable-wrapper=gcc &&
		make -j"$(nproc 2>/dev/null || echo 2)" &&
		make install DESTDIR="$out.tmp"
) >>"$log" 2>&1 || fail "building musl for $arch with $cc"

# (installed under DESTDIR with the final paths inside: the wrapper and its specs name $out)
id=$(build_id)
[ -x "$out.tmp$out/bin/musl-gcc" ] && [ -f "$out.tmp$out/lib/libc.a" ] ||
	die "building musl for $arch: no libc.a or musl-gcc wrapper installed (log: $log)"
rm -rf "$out" && mkdir -p "$(dirname "$out")" && mv "$out.tmp$out" "$out" &&
	printf '%s\n' "$id" >"$out/build-id" && rm -rf "$out.tmp" || die "installing into $out: failed"
rm -rf "$b"
