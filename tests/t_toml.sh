# t_toml.sh: the TOML reader (lib/fmt/toml.c, through build/out/tomldump) against Python's
# tomllib on the conformance set of tests/toml/: every valid/ document read with the same
# values, every invalid/ one refused with FILE:LINE: in its message (at the line its first
# comment names) and refused by tomllib too, but for those marked "# tomllib accepts:"
# (TOML 1.0's own limits that tomllib does not keep, and venvbox's nesting bounds).
# fuzz-corpus: the documents fuzz_toml kept (build/out/fuzz/corpus-toml, once make fuzz or
# t_fuzz has run) read alike by both, but for those limits.
. "$TESTS/lib.sh"
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import tomllib' 2>/dev/null ||
	{ skip all "no /usr/bin/python3 with tomllib (3.11+) to compare with"; exit 0; }
dump=${VENVBOX%/*}/tomldump
[ -x "$dump" ] || { fail all "no $dump (make builds it)"; exit 0; }

cd "$TOP" || exit 1
set -- tests/toml/valid/*.toml tests/toml/invalid/*.toml
[ $# -ge 100 ] || fail count "only $# documents in tests/toml/"
"$dump" "$@" >"$SCRATCH/dump" 2>"$SCRATCH/dump.err" || fail tomldump "exit $?: $(head -c 400 "$SCRATCH/dump.err")"
/usr/bin/python3 tests/tomlcmp.py "$SCRATCH/dump" "$@" >"$SCRATCH/cmp" 2>&1 ||
	fail tomlcmp "$(tail -n 5 "$SCRATCH/cmp" | tr '\n' ' ')"
[ "$(grep -c '^ok \|^differ ' "$SCRATCH/cmp")" = $# ] || fail tomlcmp-lines "$(grep -v '^ok \|^differ ' "$SCRATCH/cmp" | head -n 3 | tr '\n' ' ')"
while read -r st f rest; do
	f=${f%:}
	n=${f#tests/toml/}
	n=${n%.toml}
	case $st in
	ok) pass "$n" ;;
	differ) fail "$n" "$f: $rest" ;;
	esac
done <"$SCRATCH/cmp"

corpus=$TOP/build/out/fuzz/corpus-toml
if [ -d "$corpus" ] && [ -n "$(ls "$corpus")" ]; then
	find "$corpus" -type f | sort >"$SCRATCH/corpus.list"
	n=$(wc -l <"$SCRATCH/corpus.list")
	xargs "$dump" <"$SCRATCH/corpus.list" >"$SCRATCH/corpus.dump" 2>"$SCRATCH/corpus.err" || fail fuzz-corpus/tomldump "$(head -c 400 "$SCRATCH/corpus.err")"
	xargs /usr/bin/python3 tests/tomlcmp.py "$SCRATCH/corpus.dump" <"$SCRATCH/corpus.list" >"$SCRATCH/corpus.cmp" 2>&1
	if [ "$(grep -c '^ok ' "$SCRATCH/corpus.cmp")" = "$n" ]; then
		pass fuzz-corpus
		echo "fuzz-corpus: $n documents read alike" >&2
	else
		fail fuzz-corpus "$(grep -vc '^ok ' "$SCRATCH/corpus.cmp") of $n differ: $(grep -v '^ok ' "$SCRATCH/corpus.cmp" | head -n 3 | cut -c1-300 | tr '\n' ' ')"
	fi
else
	skip fuzz-corpus "no fuzz corpus yet (make fuzz FUZZ_TARGETS=toml, or t_fuzz, makes $corpus)"
fi
