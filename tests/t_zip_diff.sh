# t_zip_diff.sh: venvbox's zip reader against Python's zipfile, pip's reader (issue 12). Every
# archive at hand — the fixtures of tests/mkwheels.py (valid and hostile), the machine's own
# wheels, the fuzz seeds and corpora and the mutants the zipmut fuzzer kept as accepted (all
# under build/out/fuzz, when there) — is listed by build/out/zipls (lib/fmt/zip.c) and by
# tests/zipls.py under every interpreter on the machine (pyenv's, 2.7 too, and Debian's
# python3). Where venvbox accepts an archive, each zipfile must list the same members in the
# same order with the same bytes; one that reads it otherwise, or refuses it, fails the test.
# ZIPLS=FILE compares another build's lister (an older commit's), ZIP_DIFF_FUZZ=DIR another
# fuzz directory's archives; the log has the counts.
. "$TESTS/lib.sh"
S=$SCRATCH
ZIPLS=${ZIPLS:-${VENVBOX%/*}/zipls}
FUZZ=${ZIP_DIFF_FUZZ:-$TOP/build/out/fuzz}	# where the corpora and kept mutants are
[ -x "$ZIPLS" ] || { fail zipls "no $ZIPLS (make builds it)"; exit 0; }
[ -x /usr/bin/python3 ] || { skip all "no /usr/bin/python3 (the fixtures are made with it)"; exit 0; }

# the mutants: when no run of the zipmut fuzzer kept any yet (t_fuzz makes them), a short one
# (the sanitizer suite runs no fuzzer: it compares what there is)
fuzzer=no
if [ -z "${VENVBOX_ASAN:-}" ] && need_fuzzer mutants; then
	fuzzer=yes
	[ -n "$(ls "$FUZZ/accepted-zip" 2>/dev/null | head -n 1)" ] ||
	make -C "$TOP" --no-print-directory fuzz FUZZ_TARGETS=zipmut FUZZ_SECONDS="${FUZZ_TEST_SECONDS:-10}" \
		>"$S/fuzz.log" 2>&1 || echo "the zipmut fuzzer failed: $(tail -n 3 "$S/fuzz.log")" >&2
fi

/usr/bin/python3 "$TESTS/mkwheels.py" "$S/mk" >"$S/mkwheels.log" 2>&1 || { fail mkwheels "$(tail -c 600 "$S/mkwheels.log")"; exit 0; }
: >"$S/list"
count() {	# count KIND FILE...: the regular files among FILE... go to the list
	_k=$1; shift
	_n=0
	for _f; do
		[ -f "$_f" ] && { echo "$_f" >>"$S/list"; _n=$((_n + 1)); }
	done
	echo "$_k $_n" >&2
	eval "n_$_k=\$_n"
}
count fixtures "$S"/mk/*.whl
count real /usr/share/python-wheels/*.whl "$PYENV_VERSIONS"/*/lib/python3*/ensurepip/_bundled/*.whl
count seeds "$FUZZ"/seeds/zip/* "$FUZZ"/seeds/wheel/*
count corpora "$FUZZ"/corpus-*/*
# the newest ZIP_DIFF_MUTANTS (3000) of them, so the test takes a minute however many there are
max=${ZIP_DIFF_MUTANTS:-3000}
kept=$(ls "$FUZZ/accepted-zip" 2>/dev/null | wc -l)
# shellcheck disable=SC2046 # hex names
count mutants $(ls -t "$FUZZ/accepted-zip" 2>/dev/null | head -n "$max" | sed "s|^|$FUZZ/accepted-zip/|")
total=$(wc -l <"$S/list")

tr '\n' '\0' <"$S/list" | xargs -0 "$ZIPLS" >"$S/venvbox.out" 2>"$S/venvbox.err" ||
	{ fail zipls "exit $?: $(head -c 600 "$S/venvbox.err")"; exit 0; }
# "ACCEPTED DIFFERENT ONLY_ZIPFILE", then up to three archives read otherwise, both listings
compare() {
	awk -v who="$2" '
	FNR == 1 { f++ }
	/^== / { path = substr($0, 4); if (f == 1) v[path] = v[path]; else p[path] = p[path]; next }
	f == 1 { v[path] = v[path] $0 "\n"; next }
	{ p[path] = p[path] $0 "\n" }
	END {
		for (k in v) {
			if (v[k] ~ /^refused: /) { if (p[k] !~ /^refused: /) extra++; continue }
			acc++
			if (p[k] == v[k]) continue
			if (++bad <= 3) printf "%s: venvbox reads [%s], zipfile %s [%s]\n", k, v[k], who, p[k]
		}
		printf "%d %d %d\n", acc, bad, extra
	}' "$S/venvbox.out" "$1"
}

# every interpreter: pyenv's installations (2.7 as well) and Debian's python3, none named
n_py=0 n_cmp=0
for py in "$PYENV_VERSIONS"/*/bin/python /usr/bin/python3; do
	[ -x "$py" ] && [ ! -e "${py%/bin/python}/pyvenv.cfg" ] || continue
	ver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) || continue
	who="$ver ($py)"
	out=$S/zipfile-$ver-$n_py.out
	if ! "$py" "$TESTS/zipls.py" "$S/list" >"$out" 2>"$out.err"; then	# (each archive's own error is caught)
		skip "zipfile-$ver" "tests/zipls.py does not run on $py: $(tail -c 300 "$out.err" | tr '\n' ' ')"
		continue
	fi
	compare "$out" "$who" >"$S/cmp"
	read -r acc bad extra <<EOF
$(tail -n 1 "$S/cmp")
EOF
	n_py=$((n_py + 1)) n_cmp=$((n_cmp + acc))
	echo "zipfile $who: $acc archives venvbox accepts compared, $bad read otherwise; $extra more that only zipfile accepts" >&2
	if [ "$bad" -eq 0 ]; then
		pass "zipfile-$ver"
	else
		fail "zipfile-$ver" "$bad archives venvbox accepts read otherwise by zipfile $who: $(head -n -1 "$S/cmp" | tr '\n' ' ' | head -c 1500)"
	fi
done
acc=$(awk '/^== / { n++; next } /^refused: / { r++ } END { print n - r }' "$S/venvbox.out")
echo "$total archives ($n_fixtures fixtures, $n_real real wheels, $n_seeds fuzz seeds, $n_corpora corpus inputs, $n_mutants of the $kept kept mutants), $acc accepted by venvbox; $n_py interpreters, $n_cmp comparisons" >&2
[ "$n_py" -gt 0 ] || fail interpreters "no interpreter on which tests/zipls.py runs"
# the comparison means something only if venvbox accepted the valid fixtures and mutants were kept
refused=$(awk -F '\t' '$1 == "good" { print $2 }' "$S/mk/cases.tsv" | while read -r f; do
	grep -A1 -x -F "== $S/mk/$f" "$S/venvbox.out" | grep -q '^refused: ' && printf '%s ' "$f"
done)
same good-fixtures-accepted "" "$refused"
if [ "$n_mutants" -gt 0 ]; then
	pass mutants
elif [ "$fuzzer" = yes ]; then
	fail mutants "the zipmut fuzzer kept no accepted mutant ($FUZZ/accepted-zip; $S/fuzz.log)"
elif [ -n "${VENVBOX_ASAN:-}" ]; then
	skip mutants "the sanitizer suite runs no fuzzer, and none has kept mutants yet"
fi	# else need_fuzzer said why
