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
# settle CMD: CMD, then sync, as one --prepare: the last run's tree, removed, is written
# back before the next timed run, not billed to it (on ext4 that took a 20 ms run to 120)
settle() { echo "sh -c '$1 && sync'"; }

# three DIR CSV LABEL1 CMD1 LABEL2 CMD2 TARGET2 LABEL3 CMD3 TARGET3: one hyperfine run of three
# commands, each into a fresh DIR/v, printed with the first one's speed-up over the others
three() {
	d=$1 csv=$2
	mkdir -p "$d"
	hyperfine -N -w 2 -r "$runs" --export-csv "$d/$csv" --prepare "$(settle "rm -rf $d/v")" "$4" "$6" "$9" \
		>/dev/null 2>"$d/err" || { cat "$d/err"; return 1; }
	a=$(median "$d/$csv" 1) b=$(median "$d/$csv" 2) c=$(median "$d/$csv" 3)
	printf '  %-44s %9s ms\n' "$3" "$a"
	printf '  %-44s %9s ms  (mkvenv %sx faster%s)\n' "$5" "$b" "$(ratio "$a" "$b")" "$7"
	printf '  %-44s %9s ms  (mkvenv %sx faster%s)\n' "$8" "$c" "$(ratio "$a" "$c")" "${10}"
}

# virtualenv and installer: the current releases of the tools venv (tests/tools.txt), else Debian's
TOOLS=$top/build/out/tools
if [ -f "$TOOLS/.complete" ]; then
	VENV="$TOOLS/bin/virtualenv" INSTPATH=$(ls -d "$TOOLS"/lib/python3.*/site-packages | head -n 1)
else
	VENV="$PY -m virtualenv" INSTPATH=/usr/lib/python3/dist-packages
fi
bench_create() {	# creation without pip
	three "$1" create.csv "mkvenv --without-pip" "$MK -q --without-pip -p $PY $1/v" \
		"python3 -m venv --without-pip" "$PY -m venv --without-pip $1/v" "; target >= 40x" \
		"virtualenv --no-seed" "$VENV -q --no-seed --no-periodic-update -p $PY $1/v" ""
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

# ---- seeding pip: a whole venv with pip, each tool its own way. mkvenv twice: with its cache
# of unpacked wheels warm (filled by the warm-up runs; as virtualenv's app-data is) and with
# --no-cache, every wheel inflated afresh (as in a fresh container).
PIPWHL=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
# four DIR CSV: one hyperfine run of the four commands in $c1..$c4, each into a fresh DIR/v
four() {
	hyperfine -N -w 3 -r "$runs" --export-csv "$1/$2" --prepare "$(settle "$prep")" "$c1" "$c2" "$c3" "$c4" \
		>/dev/null 2>"$1/err" || { cat "$1/err"; return 1; }
	m1=$(median "$1/$2" 1) m2=$(median "$1/$2" 2) m3=$(median "$1/$2" 3) m4=$(median "$1/$2" 4)
}
# row LABEL MS [NOTE]: one line of the table
row() { printf '  %-44s %9s ms%s\n' "$1" "$2" "${3:+  ($3)}"; }
# faster MS TARGET: mkvenv's speed-up over MS, warm and --no-cache
faster() { echo "mkvenv $(ratio "$m1" "$1")x faster, $(ratio "$m2" "$1")x with --no-cache; target $2"; }
bench_seed() {
	d=$1 prep="rm -rf $1/v"
	mkdir -p "$d"
	$VENV -q --no-periodic-update -p "$PY" "$d/warm" >/dev/null 2>&1	# fills virtualenv's app-data cache
	export VENVBOX_CACHE_DIR="$d/cache"
	c1="$MK -q -p $PY $d/v" c2="$MK -q --no-cache -p $PY $d/v" c3="$PY -m venv $d/v"
	c4="$VENV -q --no-periodic-update --seeder app-data -p $PY $d/v"
	four "$d" seed.csv || return 1
	row "mkvenv (pip seeded, cache warm)" "$m1"
	row "mkvenv --no-cache (every wheel inflated)" "$m2"
	row "python3 -m venv (ensurepip)" "$m3" "$(faster "$m3" ">= 100x")"
	row "virtualenv (app-data seeding)" "$m4" "$(faster "$m4" ">= 8x")"
	unset VENVBOX_CACHE_DIR
}

# ---- installing the pip wheel into an existing venv, against installer and the copy floor
bench_install() {
	d=$1
	mkdir -p "$d"
	rm -rf "$d/base" "$d/unpacked"
	"$MK" -q --without-pip -p "$PY" "$d/base"
	site=$(cd "$d/base" && ls -d lib/python3.*/site-packages)
	"$PY" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$PIPWHL" "$d/unpacked"
	export VENVBOX_CACHE_DIR="$d/cache"
	prep="rm -rf $d/v && cp -a $d/base $d/v"
	c1="$MK -q -w $PIPWHL $d/v" c2="$MK -q --no-cache -w $PIPWHL $d/v"
	c3="env PYTHONPATH=$INSTPATH $d/v/bin/python -m installer --no-compile-bytecode $PIPWHL"
	c4="cp -r $d/unpacked/. $d/v/$site/"
	four "$d" inst.csv || return 1
	row "mkvenv -w pip.whl (staged, verified; cache warm)" "$m1"
	row "mkvenv --no-cache -w pip.whl (inflated)" "$m2"
	row "python3 -m installer" "$m3" "$(faster "$m3" ">= 3x")"
	row "cp -r of the unpacked tree" "$m4" "mkvenv takes $(ratio "$m4" "$m1")x its time, $(ratio "$m4" "$m2")x with --no-cache; target <= 1.3x"
	rm -rf "$d/v" && cp -a "$d/base" "$d/v"
	rss=$("$out/rss" "$MK" -q -w "$PIPWHL" "$d/v")
	rm -rf "$d/v" && cp -a "$d/base" "$d/v"
	rss2=$("$out/rss" "$MK" -q --no-cache -w "$PIPWHL" "$d/v")
	printf '  %-44s %9s KiB (%s KiB with --no-cache; target <= 8192)\n' "peak RSS of mkvenv -w pip.whl" "$rss" "$rss2"
	unset VENVBOX_CACHE_DIR
}

if [ -n "$PIPWHL" ] && $VENV --version >/dev/null 2>&1 && PYTHONPATH=$INSTPATH "$PY" -c 'import installer' 2>/dev/null; then
	both "seeding pip" bench_seed
	both "installing $(basename "$PIPWHL")" bench_install
else
	echo "seeding and installing: skipped (needs /usr/share/python-wheels, and virtualenv and installer: the tools venv or Debian's)"
fi
if [ -f "$top/tests/bench_venvinfo.sh" ]; then sh "$top/tests/bench_venvinfo.sh"; fi
exit 0
