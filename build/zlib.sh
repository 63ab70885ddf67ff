# build/zlib.sh CC OUTDIR: builds zlib with CC as OUTDIR/lib/libz.a and OUTDIR/include/{zlib.h,zconf.h}.
# Source: the tarball in $ZLIB_SRC, else Debian's zlib source package fetched with apt into a
# private apt state (build/out/apt/) and cached in build/out/zlib-src/. The system's apt
# configuration is only read, never changed.
set -u

die() { printf 'zlib.sh: %s\n' "$*" >&2; exit 1; }
fail() { tail -n 20 "$log" >&2; die "$1: failed (log: $log)${2:+; $2}"; }
remedy="set ZLIB_SRC=/path/to/zlib-1.3.1.tar.gz (from https://zlib.net/)"

[ $# -eq 2 ] || die "usage: sh build/zlib.sh CC OUTDIR"
cc=$1 out=$2 src=${ZLIB_SRC:-}
# Relative paths are taken from where we were called (make calls us from the repo top).
case $out in /*) ;; *) out=$PWD/$out ;; esac
case $src in '' | /*) ;; *) src=$PWD/$src ;; esac
cd "$(dirname "$0")/.." || die "cd to the repo top: failed"
[ -f "$out/lib/libz.a" ] && exit 0

top=$PWD apt=$PWD/build/out/apt cache=$PWD/build/out/zlib-src
command -v "${cc%% *}" >/dev/null || die "compiler $cc: not found: run sh build/deps.sh"

apt_get() {
	apt-get -q -o Dir::Etc::SourceList="$apt/sources.list" \
		-o Dir::Etc::SourceParts="$apt/sources.list.d" \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" \
		-o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache="" "$@"
}

# A deb-src twin of every enabled "deb" entry of the machine's sources, one-line and deb822.
derive_sources() {
	eval "$(apt-config shell SL Dir::Etc::SourceList/f SP Dir::Etc::SourceParts/d)"
	SL=${SL:-/etc/apt/sources.list} SP=${SP:-/etc/apt/sources.list.d/}
	rm -rf "$apt/sources.list.d"
	mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$apt/cache" || return 1
	cat "$SL" "$SP"*.list 2>/dev/null | sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' |
		sort -u >"$apt/sources.list"
	for f in "$SP"*.sources; do
		[ -f "$f" ] || continue
		# Stanzas are blank-line separated; fields keep their continuation lines
		# (an inline Signed-By key); only Types is rewritten.
		awk 'function flush() { if (deb && !off && body != "") printf "Types: deb-src\n%s\n", body
				body = ""; deb = off = 0 }
			/^#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[^ \t]/ { field = tolower(substr($0, 1, index($0, ":")))
				value = " " substr($0, index($0, ":") + 1) " " }
			field == "types:" { deb = value ~ /[ \t]deb[ \t]/; next }
			field == "enabled:" && tolower(value) ~ /[ \t]no[ \t]/ { off = 1 }
			{ body = body $0 "\n" }
			END { flush() }' "$f"
	done >"$apt/sources.list.d/deb-src.sources"
	[ -s "$apt/sources.list" ] || [ -s "$apt/sources.list.d/deb-src.sources" ]
}

# Downloads .dsc, orig and debian tarballs; apt checks them against the signed Sources index.
fetch() {
	log=$apt/log
	command -v apt-get >/dev/null && command -v dpkg-source >/dev/null ||
		die "fetching zlib's source package: no apt-get or dpkg-source: run sh build/deps.sh, or $remedy"
	derive_sources || die "finding apt sources: no enabled deb entries in $SL or $SP: $remedy"
	rm -rf "$cache.tmp" && mkdir -p "$cache.tmp" || die "creating $cache.tmp: failed"
	# A third-party source without deb-src makes update fail; what matters is the next step.
	apt_get update >"$log" 2>&1
	(cd "$cache.tmp" && apt_get source --download-only zlib) >>"$log" 2>&1 ||
		fail "fetching zlib's source package with apt" "$remedy"
	mv "$cache.tmp" "$cache" || die "moving $cache.tmp to $cache: failed"
}

[ -z "$src" ] || [ -r "$src" ] || die "reading ZLIB_SRC=$src: no such file"
mkdir -p build/out || die "creating build/out: failed"
if [ -z "$src" ] && [ ! -d "$cache" ]; then
	exec 9>build/out/zlib-src.lock     # parallel makes (all, check-asan) fetch once
	command -v flock >/dev/null && flock 9
	[ -d "$cache" ] || fetch
fi

b=$(mktemp -d "$top/build/out/zlib-build.XXXXXX") || die "creating a build dir in build/out: failed"
log=$b/log
if [ -n "$src" ]; then
	mkdir "$b/x" && tar -xf "$src" -C "$b/x" >"$log" 2>&1 || fail "unpacking $src"
	set -- "$b/x"/*
	mv "$1" "$b/src"
else
	# dpkg-source -x checks every file against the .dsc's checksums (apt checked the .dsc
	# against the signed Sources index; the uploader's own signature needs debian-keyring,
	# so without it dpkg-source only warns). We build the orig tarball unpatched: Debian's
	# patches (1.2.13.dfsg-1) touch only contrib/minizip, and both source paths stay alike.
	set -- "$cache"/zlib_*.dsc
	[ -f "$1" ] || die "finding the .dsc in $cache: none: remove $cache and rerun"
	dpkg-source --require-strong-checksums --skip-patches -x "$1" "$b/src" >"$log" 2>&1 ||
		fail "unpacking and verifying $1 with dpkg-source"
fi
[ -f "$b/src/zlib.h" ] && [ -f "$b/src/configure" ] || die "unpacking zlib: no zlib source tree in $b/src"

# Our make's flags and command-line variables (CC=, CFLAGS=) must not reach zlib's make.
(
	unset MAKEFLAGS MFLAGS MAKELEVEL
	cd "$b/src" &&
		CC=$cc CFLAGS="-Os -fPIC -ffunction-sections -fdata-sections" \
			sh ./configure --static --prefix="$out" &&
		make -j"$(nproc 2>/dev/null || echo 2)" libz.a
) >>"$log" 2>&1 || fail "building zlib with CC=$cc"

mkdir -p "$out/lib" "$out/include" &&
	cp "$b/src/zlib.h" "$b/src/zconf.h" "$out/include/" &&
	cp "$b/src/libz.a" "$out/lib/libz.a.tmp" &&
	mv "$out/lib/libz.a.tmp" "$out/lib/libz.a" || die "installing into $out: failed"
rm -rf "$b"
