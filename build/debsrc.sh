# build/debsrc.sh: sourced by build/zlib.sh and build/musl.sh: a Debian source package fetched
# with apt into a private apt state and kept, and unpacked from there. The caller sets
#   pkg      the source package's name (zlib, musl)
#   state    the directory of the private apt state ($state/apt) and of the kept download
#            ($state/$pkg-src, with VERSION)
#   sources  a sources.list to use instead of the deb-src twins of the machine's entries, or ''
#   remedy   what to do instead, said with every failure
# and defines say, die and fail (fail MESSAGE [HINT]: the tail of $log, then dies).
# Every source version apt knows is tried, newest first, until one downloads and passes
# dpkg-source's checksum verification (a mirror may lack one suite's source files). The
# system's apt configuration is only read, never changed.

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

# The source versions of $pkg apt knows, newest first (dpkg's ordering: epochs, ~).
versions() {
	sorted=""
	for v in $(apt_get apt-cache showsrc "$pkg" 2>/dev/null | sed -n 's/^Version: *//p' | sort -u); do
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
	l=$apt/$pkg.try
	echo "## apt-get source --download-only $pkg=$1" >>"$log"
	if ! (cd "$cache.tmp" && apt_get apt-get source --download-only "$pkg=$1") >"$l" 2>&1; then
		cat "$l" >>"$log"; reason="download failed: $(why "$l")"; return 1
	fi
	cat "$l" >>"$log"
	set -- "$cache.tmp"/"$pkg"_*.dsc
	[ $# -eq 1 ] && [ -f "$1" ] || { reason="apt fetched no single .dsc"; return 1; }
	echo "## dpkg-source --require-strong-checksums --skip-patches -x $1" >>"$log"
	if ! dpkg-source --require-strong-checksums --skip-patches -x "$1" "$cache.tmp/check" >"$l" 2>&1; then
		cat "$l" >>"$log"; reason="verification failed: $(why "$l")"; return 1
	fi
	cat "$l" >>"$log"
	rm -rf "$cache.tmp/check"
}

fetch() {
	log=$apt/$pkg.log
	command -v apt-get >/dev/null && command -v dpkg-source >/dev/null ||
		die "fetching $pkg's source package: no apt-get or dpkg-source: run sh build/deps.sh, or $remedy"
	derive_sources || die "finding apt sources: no enabled deb entries in ${sources:-$SL or $SP}: $remedy"
	# A third-party source without deb-src makes update fail; what matters is the next step.
	apt_get apt-get update >"$log" 2>&1
	list=$(versions)
	[ -n "$list" ] || fail "finding $pkg's source package: apt knows no version of it" "$remedy"
	tried=""
	for v in $list; do
		if try "$v"; then
			say "using $pkg's source package $v"
			echo "$v" >"$cache.tmp/VERSION"
			mv "$cache.tmp" "$cache" || die "moving $cache.tmp to $cache: failed"
			return 0
		fi
		say "$pkg's source package $v: $reason; trying the next"
		tried="$tried
  $v: $reason"
	done
	rm -rf "$cache.tmp"
	die "no version of $pkg's source package could be fetched and verified (log: $log); tried:$tried
$remedy"
}


# debsrc_get: the kept download of $pkg in $cache, fetched first when there is none. One
# fetch at a time in a state (parallel makes: zlib and musl share the apt lists).
debsrc_get() {
	apt=$state/apt cache=$state/$pkg-src
	[ -d "$cache" ] && return 0
	mkdir -p "$state" || die "creating $state: failed"
	exec 9>"$state/debsrc.lock"
	command -v flock >/dev/null && flock 9
	[ -d "$cache" ] || fetch
	exec 9>&-
}

# debsrc_unpack DIR [OPTION...]: the kept download unpacked into DIR (which must not exist)
# by dpkg-source -x with the options given (--skip-patches: the upstream tree). dpkg-source
# checks every file against the .dsc's checksums (apt checked the .dsc against the signed
# Sources index; the uploader's own signature needs debian-keyring, so without it
# dpkg-source only warns). The output goes to $log.
debsrc_unpack() {
	_dir=$1; shift
	set -- "$cache/$pkg"_*.dsc "$@"
	[ -f "$1" ] || die "finding the .dsc in $cache: none: remove $cache and rerun"
	_dsc=$1; shift
	dpkg-source --require-strong-checksums "$@" -x "$_dsc" "$_dir" >>"$log" 2>&1 ||
		fail "unpacking and verifying $_dsc with dpkg-source" "remove $cache and rerun"
}
