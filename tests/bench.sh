# bench.sh: `make bench`: venvbox against its peers, side by side in one run, on the same
# interpreter (SPEC §7). Prints median wall times and the ratios; asserts nothing.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/out
PY=${BENCH_PYTHON:-/usr/bin/python3}
MK=$out/bin/mkvenv
runs=${BENCH_RUNS:-30}
command -v hyperfine >/dev/null || { echo "bench: hyperfine is not installed (sh tests/setup.sh installs it)" >&2; exit 1; }

median() {	# median CSV ROW -> milliseconds
	awk -F, -v row="$2" 'NR == row + 1 { printf "%.3f", $4 * 1000 }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b / a }'; }

# bench_create DIR: creation without pip, each tool into a fresh DIR/v
bench_create() {
	d=$1
	mkdir -p "$d"
	hyperfine -N -w 3 -r "$runs" --export-csv "$d/create.csv" --prepare "rm -rf $d/v" \
		"$MK -q --without-pip -p $PY $d/v" \
		"$PY -m venv --without-pip $d/v" \
		"$PY -m virtualenv -q --no-seed --no-periodic-update $d/v" >/dev/null 2>"$d/err" || { cat "$d/err"; return 1; }
	m=$(median "$d/create.csv" 1) v=$(median "$d/create.csv" 2) ve=$(median "$d/create.csv" 3)
	printf '  %-44s %9s ms\n' "mkvenv --without-pip" "$m"
	printf '  %-44s %9s ms  (mkvenv %sx faster; target >= 40x)\n' "python3 -m venv --without-pip" "$v" "$(ratio "$m" "$v")"
	printf '  %-44s %9s ms  (mkvenv %sx faster)\n' "virtualenv --no-seed" "$ve" "$(ratio "$m" "$ve")"
}

echo "venvbox bench: $($PY -c 'import sys; print(sys.version.split()[0])') at $PY, median of $runs runs"
echo "creating a venv (on the disk, $out/bench):"
bench_create "$out/bench"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	echo "creating a venv (on tmpfs, /dev/shm: the filesystem taken out of the comparison):"
	bench_create /dev/shm/venvbox-bench.$$
	rm -rf /dev/shm/venvbox-bench.$$
fi
strip -o "$out/venvbox.stripped" "$out/venvbox" 2>/dev/null || cp "$out/venvbox" "$out/venvbox.stripped"
size=$(wc -c <"$out/venvbox.stripped")
echo "binary: $size bytes stripped ($((size / 1024)) KiB; target <= 250 KiB)"
