# t_dist.sh: the release files of make dist (build/out/dist/, which make test builds first):
# the binary of the machine's own architecture is the one the suite runs, byte for byte;
# SHA256SUMS lists every binary and checks; each is a static ELF of its architecture without
# PT_INTERP, within SPEC §7's footprint (300 KiB); and a second make dist, of a copy of the
# tree in another directory, later, with another umask, time zone and locale, makes the
# same bytes. The copy gets the kept source downloads (zlib-src, musl-src) and nothing built.
. "$TESTS/lib.sh"
[ -z "${VENVBOX_ASAN:-}" ] || { skip all "the sanitizer build is not a release binary (make test runs this)"; exit 0; }
S=$SCRATCH
OUT=$TOP/build/out DIST=$TOP/build/out/dist
[ -f "$DIST/SHA256SUMS" ] || { skip all "no $DIST/SHA256SUMS: make dist was not run (make test runs it)"; exit 0; }
have readelf || { skip all "needs readelf (binutils)"; exit 0; }
set -- $(sed -n 's/^[0-9a-f]\{64\}  venvbox-//p' "$DIST/SHA256SUMS")
case " $* " in *" x86_64 "*) ;; *) false ;; esac && case " $* " in *" aarch64 "*) ;; *) false ;; esac &&
	pass arches || fail arches "SHA256SUMS lists [$*], not x86_64 and aarch64"

# the machine's own one is the binary the suite runs
own=$(uname -m)
cmp "$DIST/venvbox-$own" "$VENVBOX" >"$S/cmp" 2>&1 && pass own-is-tested ||
	fail own-is-tested "build/out/dist/venvbox-$own is not $VENVBOX: $(cat "$S/cmp")"
check sha256sums sh -c "cd '$DIST' && sha256sum --strict -c SHA256SUMS"

for a; do
	f=$DIST/venvbox-$a
	case $a in x86_64) m="X86-64" ;; aarch64) m=AArch64 ;; riscv64) m=RISC-V ;; *) m=$a ;; esac
	readelf -hlW "$f" >"$S/elf" 2>&1
	grep -q "Machine:.*$m" "$S/elf" && grep -q 'Type:.*EXEC' "$S/elf" && pass "$a/machine" ||
		fail "$a/machine" "not a $m executable: $(grep -e Machine -e Type: "$S/elf")"
	grep -q -e INTERP -e DYNAMIC "$S/elf" && fail "$a/static" "$(grep -e INTERP -e DYNAMIC "$S/elf")" || pass "$a/static"
	[ -z "$(readelf -SW "$f" | grep -e '\.symtab' -e '\.debug')" ] && pass "$a/stripped" || fail "$a/stripped" "has a symbol table or debug sections"
	n=$(wc -c <"$f")
	[ "$n" -le 307200 ] && pass "$a/size" || fail "$a/size" "$n bytes, over 300 KiB (307200)"
	echo "$a: $n bytes" >>"$S/sizes"
done

# ---- a second make dist: a copy in another place, built from nothing (but the source downloads)
B=$S/elsewhere/some/deeper/tree
mkdir -p "$B/build/out" || { fail copy "mkdir $B"; exit 0; }
(cd "$TOP" && tar -cf - --exclude=./build/out --exclude=./.git .) | (cd "$B" && tar -xf -) &&
	cp -a "$OUT/zlib-src" "$OUT/musl-src" "$B/build/out/" 2>"$S/cp.err" ||
	{ fail copy "$(head -c 600 "$S/cp.err")"; exit 0; }
# (our make's jobserver and flags are not the copy's)
if (unset MAKEFLAGS MFLAGS MAKELEVEL SOURCE_DATE_EPOCH; umask 077; cd "$B" &&
	TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 make -j"$(nproc 2>/dev/null || echo 2)" dist) >"$S/make.log" 2>&1; then
	pass rebuild
	for a; do
		cmp "$DIST/venvbox-$a" "$B/build/out/dist/venvbox-$a" >"$S/cmp" 2>&1 && pass "$a/reproducible" ||
			fail "$a/reproducible" "$(cat "$S/cmp")"
	done
	cmp "$DIST/SHA256SUMS" "$B/build/out/dist/SHA256SUMS" >"$S/cmp" 2>&1 && pass sha256sums-reproducible ||
		fail sha256sums-reproducible "$(cat "$S/cmp")"
else
	fail rebuild "make dist in $B failed: $(tail -c 1200 "$S/make.log")"
fi
rm -rf "$S/elsewhere"
