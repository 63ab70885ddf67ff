# build/zlib.sh CC OUTDIR: builds zlib with CC as OUTDIR/lib/libz.a and OUTDIR/include/{zlib.h,zconf.h}.
# Source: the tarball in $ZLIB_SRC, else Debian's zlib source package fetched with apt into a
# private apt state ($ZLIB_STATE/apt, default build/out/apt) and kept in $ZLIB_STATE/zlib-src.
# Every source version apt knows is tried, newest first, until one downloads and passes
# dpkg-source's checksum verification (a mirror may lack one suite's source files).
# The system's apt configuration is only read, never changed; $ZLIB_APT_SOURCES names a
# sources.list to use instead of the deb-src twins of the machine's entries.
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

apt=$state/apt cache=$state/zlib-src
command -v "${cc%% *}" >/dev/null || die "compiler $cc: not found: run sh build/deps.sh"

# What a libz.a is made from: the compiler (as named, as found, as it reports itself) and the
# source (the tarball's path and size, or the Debian version kept in the cache).
build_id() {
	printf 'cc=%s\npath=%s\nversion=%s\n' "$cc" "$(command -v "${cc%% *}")" \
		"$($cc --version 2>/dev/null | head -n 1)"
	if [ -n "$src" ]; then
		printf 'src=%s %s\n' "$src" "$(wc -c <"$src" 2>/dev/null)"
	elif [ -f "$cache/VERSION" ]; then
		printf 'src=debian zlib %s\n' "$(cat "$cache/VERSION")"
	else
		printf 'src=debian zlib (not fetched yet)\n'
	fi
}
[ -f "$out/lib/libz.a" ] && [ "$(build_id)" = "$(cat "$out/build-id" 2>/dev/null)" ] && exit 0

apt_get() {
	"$@" -q -o Dir::Etc::SourceList="$apt/sources.list" \
		-o Dir::Etc::SourceParts="$apt/sources.list.d" \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" \
		-o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache=""
}

# A deb-src twin of every enabled "deb" entry of the machine's sources, one-line and deb822.
derive_sources() {
	rm -rf "$apt/sources.list.d"
	mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$apt/cache" || return 1
	if [ -n "$sources" ]; then
		cp "$sources" "$apt/sources.list"
		return
	fi
	eval "$(apt-config shell SL Dir::Etc::SourceList/f SP Dir::Etc::SourceParts/d)"
	SL=${SL:-/etc/apt/sources.list} SP=${SP:-/etc/apt/sources.list.d/}
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

# The source versions of zlib apt knows, newest first (dpkg's ordering: epochs, ~).
versions() {
	sorted=""
	for v in $(apt_get apt-cache showsrc zlib 2>/dev/null | sed -n 's/^Version: *//p' | sort -u); do
		set -- $sorted
		sorted="" placed=""	# insert v before the first older one
		for w; do
			if [ -z "$placed" ] && dpkg --compare-versions "$v" gt "$w"; then
				sorted="$sorted $v" placed=1
			fi
			sorted="$sorted $w"
		done
		[ -n "$placed" ] || sorted="$sorted $v"
	done
	echo $sorted
}

# The first line of an apt or dpkg-source log that says why it failed.
why() {
	for pat in '^E: ' '^dpkg-source: error' '^Err:'; do
		r=$(grep -m 1 -e "$pat" "$1" | cut -c 1-400)
		[ -n "$r" ] && break
	done
	[ -n "$r" ] || r=$(tail -n 1 "$1" | cut -c 1-400)
	printf '%s' "${r:-no message}"
}

# try VERSION: downloads the .dsc, orig and debian tarballs of that version (apt checks them
# against the signed Sources index) and unpacks them once with dpkg-source, which checks every
# file against the .dsc's strong checksums. Success leaves them in $cache.tmp.
try() {
	rm -rf "$cache.tmp" && mkdir -p "$cache.tmp" || die "creating $cache.tmp: failed"
	l=$apt/log.try
	echo "## apt-get source --download-only zlib=$1" >>"$log"
	if ! (cd "$cache.tmp" && apt_get apt-get source --download-only "zlib=$1") >"$l" 2>&1; then
		cat "$l" >>"$log"; reason="download failed: $(why "$l")"; return 1
	fi
	cat "$l" >>"$log"
	set -- "$cache.tmp"/zlib_*.dsc
	[ $# -eq 1 ] && [ -f "$1" ] || { reason="apt fetched no single .dsc"; return 1; }
	echo "## dpkg-source --require-strong-checksums --skip-patches -x $1" >>"$log"
	if ! dpkg-source --require-strong-checksums --skip-patches -x "$1" "$cache.tmp/check" >"$l" 2>&1; then
		cat "$l" >>"$log"; reason="verification failed: $(why "$l")"; return 1
	fi
	cat "$l" >>"$log"
	rm -rf "$cache.tmp/check"
}

fetch() {
	log=$apt/log
	command -v apt-get >/dev/null && command -v dpkg-source >/dev/null ||
		die "fetching zlib's source package: no apt-get or dpkg-source: run sh build/deps.sh, or $remedy"
	derive_sources || die "finding apt sources: no enabled deb entries in ${sources:-$SL or $SP}: $remedy"
	# A third-party source without deb-src makes update fail; what matters is the next step.
	apt_get apt-get update >"$log" 2>&1
	list=$(versions)
	[ -n "$list" ] || fail "finding zlib's source package: apt knows no version of it" "$remedy"
	tried=""
	for v in $list; do
		if try "$v"; then
			say "using zlib's source package $v"
			echo "$v" >"$cache.tmp/VERSION"
			mv "$cache.tmp" "$cache" || die "moving $cache.tmp to $cache: failed"
			return 0
		fi
		say "zlib's source package $v: $reason; trying the next"
		tried="$tried
  $v: $reason"
	done
	rm -rf "$cache.tmp"
	die "no version of zlib's source package could be fetched and verified (log: $log); tried:$tried
$remedy"
}

[ -z "$src" ] || [ -r "$src" ] || die "reading ZLIB_SRC=$src: no such file"
mkdir -p "$state" || die "creating $state: failed"
if [ -z "$src" ] && [ ! -d "$cache" ]; then
	exec 9>"$state/zlib-src.lock"     # parallel makes (all, check-asan) fetch once
	command -v flock >/dev/null && flock 9
	[ -d "$cache" ] || fetch
fi

b=$(mktemp -d "$state/zlib-build.XXXXXX") || die "creating a build dir in $state: failed"
log=$b/log
if [ -n "$src" ]; then
	mkdir "$b/x" && tar -xf "$src" -C "$b/x" >"$log" 2>&1 || fail "unpacking $src"
	set -- "$b/x"/*
	mv "$1" "$b/src"
else
	# dpkg-source -x checks every file against the .dsc's checksums (apt checked the .dsc
	# against the signed Sources index; the uploader's own signature needs debian-keyring,
	# so without it dpkg-source only warns). We build the orig tarball unpatched: Debian's
	# patches touch only contrib/minizip and packaging, and both source paths stay alike.
	set -- "$cache"/zlib_*.dsc
	[ -f "$1" ] || die "finding the .dsc in $cache: none: remove $cache and rerun"
	dpkg-source --require-strong-checksums --skip-patches -x "$1" "$b/src" >"$log" 2>&1 ||
		fail "unpacking and verifying $1 with dpkg-source" "remove $cache and rerun"
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

id=$(build_id)
mkdir -p "$out/lib" "$out/include" &&
	cp "$b/src/zlib.h" "$b/src/zconf.h" "$out/include/" &&
	cp "$b/src/libz.a" "$out/lib/libz.a.tmp" &&
	mv "$out/lib/libz.a.tmp" "$out/lib/libz.a" &&
	printf '%s\n' "$id" >"$out/build-id" || die "installing into $out: failed"
rm -rf "$b"
