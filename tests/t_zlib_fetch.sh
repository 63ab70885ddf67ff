# t_zlib_fetch.sh: build/zlib.sh against a throw-away local apt repository (a file: source,
# [trusted=yes], in a private sources list) holding small stand-in "zlib" source packages,
# so the fetch is tested without the network: a newest version whose .dsc points at missing
# files is passed over for the older one; of two good versions the newest is taken; when all
# fail, the error lists each version and names ZLIB_SRC; a libz.a made by another compiler
# (or compiler name) is built again, one made by the same is left alone.
. "$TESTS/lib.sh"
S=$SCRATCH
for c in apt-get apt-cache dpkg-source dpkg-scansources cc; do
	have "$c" || { skip all "needs $c (dpkg-dev, apt)"; exit 0; }
done

# srcpkg POOL VERSION: builds a native source package "zlib" of VERSION into POOL; its
# libz.a carries the string vbtest-zlib-VERSION
srcpkg() {
	_d=$S/src/zlib-$2
	rm -rf "$_d" && mkdir -p "$_d/debian/source" "$1" || return 1
	echo '3.0 (native)' >"$_d/debian/source/format"
	printf 'Source: zlib\nMaintainer: Test <test@example.invalid>\nStandards-Version: 4.6.2\n\nPackage: zlib-test\nArchitecture: any\nDescription: stand-in\n test\n' >"$_d/debian/control"
	printf 'zlib (%s) unstable; urgency=medium\n\n  * Test.\n\n -- Test <test@example.invalid>  Thu, 01 Jan 2026 00:00:00 +0000\n' "$2" >"$_d/debian/changelog"
	echo '/* stand-in */' >"$_d/zlib.h"
	echo '/* stand-in */' >"$_d/zconf.h"
	printf 'const char vbtest_marker[] = "vbtest-zlib-%s";\n' "$2" >"$_d/z.c"
	cat >"$_d/configure" <<'CONF'
#!/bin/sh
printf 'libz.a: z.c\n\t$(CC) -c z.c -o z.o && ar rcs libz.a z.o\n' >Makefile
CONF
	chmod +x "$_d/configure"
	(cd "$S/src" && dpkg-source -b "zlib-$2" >"$S/src/build-$2.log" 2>&1) &&
		mv "$S/src/zlib_$2.dsc" "$S/src/zlib_$2.tar.xz" "$1/"
}

# repo NAME VERSION...: a flat repository $S/NAME with those versions, its Sources and
# Release, and the private sources list $S/NAME.list naming it
repo() {
	_r=$S/$1; shift
	rm -rf "$_r" && mkdir -p "$_r" || return 1
	for v; do srcpkg "$_r" "$v" || return 1; done
	(cd "$_r" && dpkg-scansources . >Sources 2>/dev/null) || return 1
	{
		printf 'Origin: venvbox-test\nLabel: venvbox-test\nDate: %s\nSHA256:\n' "$(LC_ALL=C date -u -R)"
		printf ' %s %s Sources\n' "$(sha256sum <"$_r/Sources" | cut -d' ' -f1)" "$(wc -c <"$_r/Sources")"
	} >"$_r/Release"
	echo "deb-src [trusted=yes] file:$_r ./" >"$_r.list"
}

# zl NAME CC: build/zlib.sh with the repository NAME, its own state and output
zl() {
	ZLIB_SRC='' ZLIB_STATE="$S/state-$1" ZLIB_APT_SOURCES="$S/$1.list" \
		sh "$TOP/build/zlib.sh" "$2" "$S/out-$1" >"$S/out" 2>"$S/err"
}
marker() { grep -ao 'vbtest-zlib-[0-9a-z.+~-]*' "$S/out-$1/lib/libz.a" 2>/dev/null | head -n 1; }

# ---- the newest .dsc points at a missing tarball: the older version is used
if repo fallback 1.0 1.0+deb99u1; then
	rm "$S/fallback/zlib_1.0+deb99u1.tar.xz"
	if zl fallback cc; then
		pass fallback/exit
		same fallback/version vbtest-zlib-1.0 "$(marker fallback)"
		grep -q "zlib's source package 1.0+deb99u1: download failed: .*zlib_1.0\(+\|%2b\)deb99u1.tar.xz" "$S/err" &&
			pass fallback/why || fail fallback/why "$(cat "$S/err")"
		grep -q "^zlib.sh: using zlib's source package 1.0$" "$S/err" &&
			pass fallback/says-which || fail fallback/says-which "$(cat "$S/err")"
		same fallback/cache-version 1.0 "$(cat "$S/state-fallback/zlib-src/VERSION" 2>/dev/null)"
		grep -q 'apt-get source --download-only zlib=1.0+deb99u1' "$S/state-fallback/apt/zlib.log" &&
			grep -q 'apt-get source --download-only zlib=1.0$' "$S/state-fallback/apt/zlib.log" &&
			pass fallback/log-lists-tries || fail fallback/log-lists-tries "$(grep '^##' "$S/state-fallback/apt/zlib.log")"
		# the same compiler again: nothing is rebuilt; another compiler name: built again
		before=$(stat -c %Y.%i "$S/out-fallback/lib/libz.a")
		sleep 1
		zl fallback cc && same rebuild/same-cc-kept "$before" "$(stat -c %Y.%i "$S/out-fallback/lib/libz.a")"
		# "gcc" where there is one, else "cc " (the same compiler by another name)
		cc2=gcc; have gcc || cc2="cc "
		zl fallback "$cc2" && [ "$(stat -c %Y.%i "$S/out-fallback/lib/libz.a")" != "$before" ] &&
			grep -qx "cc=$cc2" "$S/out-fallback/build-id" && pass rebuild/other-cc ||
			fail rebuild/other-cc "not rebuilt: $(cat "$S/err" "$S/out-fallback/build-id")"
		# a record edited by hand (another compiler's build) is not trusted either
		sed -i 's/^version=.*/version=some other compiler 1.0/' "$S/out-fallback/build-id"
		before=$(stat -c %Y.%i "$S/out-fallback/lib/libz.a")
		zl fallback "$cc2" && [ "$(stat -c %Y.%i "$S/out-fallback/lib/libz.a")" != "$before" ] &&
			pass rebuild/other-version || fail rebuild/other-version "not rebuilt"
	else
		fail fallback/exit "exit $?: $(cat "$S/err")"
	fi
else
	fail fallback/repo "could not build the local repository: $(cat "$S"/src/build-*.log 2>/dev/null | tail -5)"
fi

# ---- two good versions: the newest wins
if repo newest 1.0 1.0+deb99u1 && zl newest cc; then
	same newest/version vbtest-zlib-1.0+deb99u1 "$(marker newest)"
	grep -q 'trying the next' "$S/err" && fail newest/no-fallback "$(cat "$S/err")" || pass newest/no-fallback
else
	fail newest/exit "$(cat "$S/err")"
fi

# ---- every version fails (one missing file, one corrupt): exit 1, each version and why,
# ZLIB_SRC named; no cache and no libz.a left behind
if repo allfail 1.0 1.0+deb99u1; then
	rm "$S/allfail/zlib_1.0+deb99u1.tar.xz"
	# a tarball whose bytes differ from the .dsc's checksums: apt refuses it (size/hash)
	printf 'x' >>"$S/allfail/zlib_1.0.tar.xz"
	zl allfail cc; st=$?
	same allfail/exit 1 "$st"
	grep -q "no version of zlib's source package could be fetched and verified" "$S/err" &&
		grep -q '^  1.0+deb99u1: download failed' "$S/err" && grep -q '^  1.0: .*failed' "$S/err" &&
		grep -q 'ZLIB_SRC=' "$S/err" && pass allfail/message || fail allfail/message "$(cat "$S/err")"
	[ ! -e "$S/state-allfail/zlib-src" ] && [ ! -e "$S/state-allfail/zlib-src.tmp" ] &&
		[ ! -e "$S/out-allfail/lib/libz.a" ] && pass allfail/nothing-left ||
		fail allfail/nothing-left "$(ls -R "$S/state-allfail" "$S/out-allfail" 2>&1 | head -20)"
fi

# ---- a repository that has no zlib at all
mkdir -p "$S/empty" && : >"$S/empty/Sources" &&
	printf 'Origin: venvbox-test\nDate: %s\nSHA256:\n %s 0 Sources\n' "$(LC_ALL=C date -u -R)" \
		"$(sha256sum </dev/null | cut -d' ' -f1)" >"$S/empty/Release" &&
	echo "deb-src [trusted=yes] file:$S/empty ./" >"$S/empty.list"
zl empty cc; st=$?
[ "$st" = 1 ] && grep -q "apt knows no version of it" "$S/err" && grep -q ZLIB_SRC "$S/err" &&
	pass none/message || fail none/message "exit $st: $(cat "$S/err")"
