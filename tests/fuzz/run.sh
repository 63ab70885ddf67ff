# tests/fuzz/run.sh DIR SECONDS NAME...: runs each libFuzzer target DIR/fuzz_NAME for SECONDS on
# DIR/corpus-NAME (kept between runs) and the seeds in DIR/seeds/NAME, one summary line each;
# exits 1 when one found a crash, a leak, undefined behaviour or a timeout (input in DIR/crashes/).
# zipmut (fuzz_zip with a structure-aware mutator) starts from the zip seeds and keeps every
# input the reader accepts in DIR/accepted-zip/, for tests/t_zip_diff.sh: the newest
# FUZZ_KEEP_MAX (10000), the older ones removed.
set -u
[ $# -ge 3 ] || { echo "usage: sh tests/fuzz/run.sh DIR SECONDS NAME..." >&2; exit 2; }
dir=$1 secs=$2
shift 2
st=0
# UBSan findings abort (the targets are built with -fno-sanitize-recover), with a stack
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
for t in "$@"; do
	case $t in text|toml) max=16384 ;; *) max=65536 ;; esac
	seeds=${t%mut} keep=
	[ "$t" = zipmut ] && keep=$dir/accepted-zip
	mkdir -p "$dir/corpus-$t" "$dir/crashes" ${keep:+"$keep"}
	log=$dir/fuzz_$t.log
	before=$(ls "$dir/accepted-zip" 2>/dev/null | wc -l)
	FUZZ_KEEP=$keep "$dir/fuzz_$t" -max_total_time="$secs" -max_len=$max -timeout=10 -rss_limit_mb=2048 \
		-dict="$dir/seeds/$seeds.dict" -artifact_prefix="$dir/crashes/$t-" -print_final_stats=1 \
		"$dir/corpus-$t" "$dir/seeds/$seeds" >"$log" 2>&1
	rc=$?
	kept=
	if [ -n "$keep" ]; then
		kept=", $(( $(ls "$keep" | wc -l) - before )) accepted inputs kept in $keep"
		ls -t "$keep" | tail -n +$((${FUZZ_KEEP_MAX:-10000} + 1)) | (cd "$keep" && xargs -r rm -f)
	fi
	# "#N DONE cov: C ft: F corp: U/S ..." and stat::average_exec_per_sec: N
	done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1)
	cov=$(printf %s "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf %s "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf %s "$done_line" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	new=$(sed -n 's/^stat::new_units_added: *//p' "$log")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
	if [ "$rc" -eq 0 ]; then
		echo "fuzz_$t: ok: ${secs}s, ${runs:-?} runs, ${eps:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?} (${new:-?} new), peak rss ${rss:-?} MB$kept"
	else
		st=1
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "fuzz_$t: FAILED (exit $rc): $(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log")"
		echo "fuzz_$t: input: ${art:-none written}; reproduce: $dir/fuzz_$t ${art:-FILE}; log: $log"
		grep -A 12 -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log" | sed 's/^/    /'
	fi
done
exit $st
