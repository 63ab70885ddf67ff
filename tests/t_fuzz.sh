# t_fuzz.sh: a short run of each libFuzzer target (tests/fuzz/, built and seeded by make fuzz):
# the zip reader (also under zipmut's structure-aware mutator, which keeps the archives the
# reader accepts for t_zip_diff), the wheel checks, the text parsers, the TOML reader and the
# requirements file parser survive FUZZ_TEST_SECONDS (10) each without a crash, leak, undefined
# behaviour or timeout. make fuzz runs them longer.
. "$TESTS/lib.sh"
[ -z "${VENVBOX_ASAN:-}" ] || { skip all "the fuzzers are sanitizer builds of their own (make test runs them)"; exit 0; }
secs=${FUZZ_TEST_SECONDS:-10}

command -v python3 >/dev/null 2>&1 || { skip all "no python3 (the seeds are made with it)"; exit 0; }
need_fuzzer all || exit 0

for t in zip zipmut wheel text toml req; do
	log=$SCRATCH/$t.log
	if make -C "$TOP" --no-print-directory fuzz FUZZ_TARGETS="$t" FUZZ_SECONDS="$secs" >"$log" 2>&1; then
		pass "$t"
		grep "^fuzz_$t: " "$log" >&2	# exec/s and coverage, in the test's log
	else
		fail "$t" "$(grep "^fuzz_$t: " "$log" | tr '\n' ' ' | head -c 600)$(grep -q "^fuzz_$t: " "$log" || tail -n 5 "$log" | tr '\n' ' ')"
	fi
done
