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

# three DIR CSV LABEL1 CMD1 LABEL2 CMD2 TARGET2 LABEL3 CMD3 TARGET3: one hyperfine run of three
# commands, each into a fresh DIR/v, printed with the first one's speed-up over the others
three() {
	d=$1 csv=$2
	mkdir -p "$d"
	hyperfine -N -w 2 -r "$runs" --export-csv "$d/$csv" --prepare "rm -rf $d/v" "$4" "$6" "$9" \
		>/dev/null 2>"$d/err" || { cat "$d/err"; return 1; }
	a=$(median "$d/$csv" 1) b=$(median "$d/$csv" 2) c=$(median "$d/$csv" 3)
	printf '  %-44s %9s ms\n' "$3" "$a"
	printf '  %-44s %9s ms  (mkvenv %sx faster%s)\n' "$5" "$b" "$(ratio "$a" "$b")" "$7"
	printf '  %-44s %9s ms  (mkvenv %sx faster%s)\n' "$8" "$c" "$(ratio "$a" "$c")" "${10}"
}

bench_create() {	# creation without pip
	three "$1" create.csv "mkvenv --without-pip" "$MK -q --without-pip -p $PY $1/v" \
		"python3 -m venv --without-pip" "$PY -m venv --without-pip $1/v" "; target >= 40x" \
		"virtualenv --no-seed" "$PY -m virtualenv -q --no-seed --no-periodic-update $1/v" ""
}

echo "venvbox bench: $($PY -c 'import sys; print(sys.version.split()[0])') at $PY, median of $runs runs"
# both WHAT FUNC: FUNC on the disk, then on tmpfs (the filesystem taken out of the comparison)
both() {
	echo "$1 (on the disk, $out/bench):"
	$2 "$out/bench"
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		echo "$1 (on tmpfs, /dev/shm):"
		$2 /dev/shm/venvbox-bench.$$
		rm -rf /dev/shm/venvbox-bench.$$
	fi
}
both "creating a venv" bench_create
strip -o "$out/venvbox.stripped" "$out/venvbox" 2>/dev/null || cp "$out/venvbox" "$out/venvbox.stripped"
size=$(wc -c <"$out/venvbox.stripped")
echo "binary: $size bytes stripped ($((size / 1024)) KiB; target <= 250 KiB)"

# ---- seeding pip: a whole venv with pip, each tool its own way
PIPWHL=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
bench_seed() {	# a whole venv with pip, each tool its own way
	mkdir -p "$1"
	"$PY" -m virtualenv -q --no-periodic-update "$1/warm" >/dev/null 2>&1	# fills virtualenv's app-data cache
	three "$1" seed.csv "mkvenv (pip seeded)" "$MK -q -p $PY $1/v" \
		"python3 -m venv (ensurepip)" "$PY -m venv $1/v" "; target >= 100x" \
		"virtualenv (app-data seeding)" "$PY -m virtualenv -q --no-periodic-update --seeder app-data $1/v" "; target >= 8x"
}

# ---- installing the pip wheel into an existing venv, against installer and the copy floor
bench_install() {
	d=$1
	mkdir -p "$d"
	rm -rf "$d/base" "$d/unpacked"
	"$MK" -q --without-pip -p "$PY" "$d/base"
	site=$(cd "$d/base" && ls -d lib/python3.*/site-packages)
	"$PY" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$PIPWHL" "$d/unpacked"
	hyperfine -N -w 2 -r "$runs" --export-csv "$d/inst.csv" --prepare "sh -c 'rm -rf $d/v && cp -a $d/base $d/v'" \
		"$MK -q -w $PIPWHL $d/v" \
		"env PYTHONPATH=/usr/lib/python3/dist-packages $d/v/bin/python -m installer --no-compile-bytecode $PIPWHL" \
		"cp -r $d/unpacked/. $d/v/$site/" >/dev/null 2>"$d/err" || { cat "$d/err"; return 1; }
	m=$(median "$d/inst.csv" 1) i=$(median "$d/inst.csv" 2) c=$(median "$d/inst.csv" 3)
	printf '  %-44s %9s ms\n' "mkvenv -w pip.whl (staged, verified)" "$m"
	printf '  %-44s %9s ms  (mkvenv %sx faster; target >= 3x)\n' "python3 -m installer" "$i" "$(ratio "$m" "$i")"
	printf '  %-44s %9s ms  (mkvenv takes %sx its time; target <= 1.3x)\n' "cp -r of the unpacked tree" "$c" "$(ratio "$c" "$m")"
	rm -rf "$d/v" && cp -a "$d/base" "$d/v"
	rss=$("$out/rss" "$MK" -q -w "$PIPWHL" "$d/v")
	printf '  %-44s %9s KiB (target <= 8192)\n' "peak RSS of mkvenv -w pip.whl" "$rss"
}

if [ -n "$PIPWHL" ] && "$PY" -c 'import virtualenv, installer' 2>/dev/null; then
	both "seeding pip" bench_seed
	both "installing $(basename "$PIPWHL")" bench_install
else
	echo "seeding and installing: skipped (needs /usr/share/python-wheels, python3-virtualenv, python3-installer)"
fi
if [ -f "$top/tests/bench_venvinfo.sh" ]; then sh "$top/tests/bench_venvinfo.sh"; fi
exit 0
