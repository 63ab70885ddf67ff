# bench.sh: `make bench` (SPEC §7): venvbox against the peers users would pick (uv, pip,
# pypa/installer, python -m venv, virtualenv: the tools venv's pinned releases) on the same
# work, in one run: every row's commands take turns round by round (the order rotated), each
# after its preparation and a sync, timed around fork and wait with its peak RSS
# (build/out/rss -t -q). On the disk and on tmpfs. Prints the table with medians, min-max and
# ratios, and writes it to build/out/bench/ as bench.txt, bench.tsv (every run), ratios.tsv
# and bench.svg (the ratios drawn, when gnuplot is there). Asserts nothing.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${VENVBOX_OUT:-$top/build/out}
B=$out/bench
PY=${BENCH_PYTHON:-/usr/bin/python3}
RUNS=${BENCH_RUNS:-9}		# rounds of the quick rows
SLOW=${BENCH_SLOW_RUNS:-3}	# rounds of the rows where a peer takes seconds
MK=$out/bin/mkvenv VI=$out/bin/venvinfo TIMER=$out/rss
T=$out/tools
UV=$T/bin/uv VENV=$T/bin/virtualenv TPY=$T/bin/python
[ -x "$UV" ] && [ -x "$VENV" ] || { echo "bench: no tools venv at $T (sh tests/setup.sh makes it)" >&2; exit 1; }
INSTPATH=$(ls -d "$T"/lib/python3.*/site-packages | head -n 1)
C=$out/corpus/wheels
[ -f "$out/corpus/.complete" ] || { echo "bench: no wheel corpus at $out/corpus (sh tests/setup.sh fetches it)" >&2; exit 1; }
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 PIP_DISABLE_PIP_VERSION_CHECK=1
unset UV_LINK_MODE UV_CACHE_DIR VENVBOX_NO_CACHE VENVBOX_CACHE_DIR
rm -rf "$B" && mkdir -p "$B" || exit 1
RAW=$B/bench.tsv
printf 'fs\trow\ttool\tms\tkib\n' >"$RAW"

# ---- the inputs: the biggest corpus wheel for PY, and 50 others (the tags venvbox chose for
# PY, as t_corpus takes them), plus 100 for the listing row
ver=$("$PY" -c 'import platform; print(platform.python_version())') || exit 1
"$TPY" "$top/tests/corpus.py" meta "$top/tests/corpus.txt" "$C" >"$B/meta" || exit 1
cut -d' ' -f1 "$B/meta" | sed 's/\.whl$//' | awk -F- '{ print $(NF-2) "-" $(NF-1) "-" $NF }' | sort -u |
	"$out/tagcheck" "$PY" >"$B/tags" || exit 1
"$TPY" "$top/tests/corpus.py" pick "$B/meta" "$B/tags" "$ver" | sed "s|^|$C/|" >"$B/fits"
BIG=$(ls -S $(cat "$B/fits") | head -n 1)
ls -S $(cat "$B/fits") | sed 1d | tail -n 50 >"$B/set50"
grep -vxF "$BIG" "$B/fits" | head -n 100 >"$B/set100"
# the seeds every tool is given: the tools venv's pip and setuptools, and the corpus's wheel
# and packaging (for Python before 3.12 uv seeds wheel too, which needs packaging: two more
# small distributions in its seeded rows)
mkdir -p "$B/seeds" && cp "$T"/wheels/*.whl "$B/seeds/" &&
	cp "$C"/wheel-*-py3-none-any.whl "$C"/packaging-*-py3-none-any.whl "$B/seeds/" 2>/dev/null
SEEDS=$B/seeds
# the requirements file every tool reads, mkvenv -r too (paths: nothing resolved, nothing fetched)
cp "$B/set50" "$B/set50.txt"
W50=$(sed 's/^/-w /' "$B/set50")

# ---- rows: tool LABEL PREP CMD adds a command to the row (venvbox first); row FS NAME ROUNDS
# WARMUP runs them (WARMUP rounds untimed first) and prints the row: per command the median
# wall time, min-max, median peak RSS, and the ratio: a peer's median over venvbox's (above 1:
# venvbox is faster; the goal is 2), venvbox's over a floor's (the target is 1.3 at most)
LAB=() PREP=() CMD=()
tool() { LAB+=("$1"); PREP+=("$2"); CMD+=("$3"); }
stat3() {	# FILE of "MS KIB" lines -> "MEDIAN MIN MAX KIB" (KIB: the median)
	[ -s "$1" ] || { echo fail 0 0 0; return; }
	kib=$(sort -n -k 2 "$1" | awk '{ m[NR] = $2 } END { print m[int((NR + 1) / 2)] }')
	sort -n "$1" | awk -v kib="$kib" '{ t[NR] = $1 } END {
		printf "%.1f %.1f %.1f %d\n", NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2, t[1], t[NR], kib }'
}
row() {
	local fs=$1 name=$2 n=$3 w=$4 k=${#LAB[@]} r j i res base note a who
	rm -f "$B"/.t.*
	for ((r = -w; r < n; r++)); do
		for ((j = 0; j < k; j++)); do
			i=$(( (j + r + w) % k ))
			sh -c "${PREP[i]}" >/dev/null 2>&1; sync
			# shellcheck disable=SC2086 # the command's words
			if res=$("$TIMER" -t -q ${CMD[i]} 2>>"$B/err" </dev/null); then
				[ $r -lt 0 ] || { echo "$res" >>"$B/.t.$i"; printf '%s\t%s\t%s\t%s\t%s\n' "$fs" "$name" "${LAB[i]}" $res >>"$RAW"; }
			else
				echo "bench: $name: ${LAB[i]} failed (${CMD[i]}): see $B/err" >&2
			fi
		done
	done
	echo "$name, on $fs:" | tee -a "$B/bench.txt"
	local med=() hl=-1 uv=-1
	for ((i = 0; i < k; i++)); do
		med[i]=$(stat3 "$B/.t.$i" | cut -d' ' -f1)
		case ${LAB[i]} in "venvbox hardlink") hl=$i ;; uv) uv=$i ;; esac
	done
	base=${med[0]}
	for ((i = 0; i < k; i++)); do
		set -- $(stat3 "$B/.t.$i")
		if [ "$1" = fail ]; then note=FAILED
		elif [ $i = 0 ]; then note=
		elif [ $i = $hl ]; then	# the same mode as uv's default where it cannot reflink
			note=$(awk -v a="$base" -v b="$1" 'BEGIN { printf "%.2fx the default mode'"'"'s time", b / a }')
			[ $uv -ge 0 ] && [ "${med[uv]}" != fail ] && {
				note="$note; uv (hard links too) $(awk -v a="$1" -v b="${med[uv]}" 'BEGIN { printf "%.2fx", b / a }') its time"
				printf '%s\t%s\t%s\t%s\n' "$fs" "$name" "uv, both hard links" "$(awk -v a="$1" -v b="${med[uv]}" 'BEGIN { printf "%.3f", b / a }')" >>"$B/ratios.tsv"
			}
		elif [ "${LAB[i]#venvbox}" != "${LAB[i]}" ]; then	# another mode of ours
			note=$(awk -v a="$base" -v b="$1" 'BEGIN { printf "%.2fx the default mode'"'"'s time", b / a }')
		elif [ "${LAB[i]#floor}" != "${LAB[i]}" ]; then	# cp -al is hardlink's floor, cp -r the default's
			a=$base who=venvbox
			[ "${LAB[i]}" = "floor: cp -al" ] && [ $hl -ge 0 ] && a=${med[hl]} who="venvbox hardlink"
			note=$(awk -v a="$a" -v b="$1" -v w="$who" 'BEGIN { printf "%s takes %.2fx its time (target <= 1.3x)", w, a / b }')
		else
			note=$(awk -v a="$base" -v b="$1" 'BEGIN { printf "venvbox %.2fx faster (goal >= 2x)", b / a }')
			printf '%s\t%s\t%s\t%s\n' "$fs" "$name" "${LAB[i]}" "$(awk -v a="$base" -v b="$1" 'BEGIN { printf "%.3f", b / a }')" >>"$B/ratios.tsv"
		fi
		printf '  %-16s %9s ms  (%s-%s)  %6s KiB  %s\n' "${LAB[i]}" "$1" "$2" "$3" "$4" "$note" | tee -a "$B/bench.txt"
	done
	LAB=() PREP=() CMD=()
}

# rows FS DIR: every row on the file system DIR is on
rows() {
	local fs=$1 d=$2 site
	rm -rf "$d" && mkdir -p "$d" || return 1
	local vbc="env VENVBOX_CACHE_DIR=$d/vbc" vbh="env VENVBOX_CACHE_DIR=$d/vbh" uvc="env UV_CACHE_DIR=$d/uvc" new="rm -rf $d/v"
	local uvcp="env UV_CACHE_DIR=$d/uvcp UV_LINK_MODE=copy"
	"$MK" -q --without-pip -p "$PY" "$d/base" || return 1
	"$MK" -q --find-links "$SEEDS" -p "$PY" "$d/basepip" || return 1
	site=$(cd "$d/base" && ls -d lib/python3.*/site-packages)
	# the floors: the trees those installs leave in site-packages, copied
	"$MK" -q --without-pip --no-cache -w "$BIG" "$d/tree-big" && "$MK" -q --without-pip --no-cache $W50 "$d/tree-50" || return 1
	local fresh="rm -rf $d/v && cp -a $d/basepip $d/v"

	tool venvbox "$new" "$MK -q --without-pip -p $PY $d/v"
	tool uv "$new" "$uvc $UV venv -q -p $PY $d/v"
	tool "python -m venv" "$new" "$PY -m venv --without-pip $d/v"
	tool virtualenv "$new" "$VENV -q --no-seed --no-periodic-update -p $PY $d/v"
	row "$fs" "bare venv" "$RUNS" 1

	tool venvbox "$new" "$vbc $MK -q --find-links $SEEDS -p $PY $d/v"
	tool "venvbox hardlink" "$new" "$vbh $MK -q --link-mode hardlink --find-links $SEEDS -p $PY $d/v"
	tool uv "$new" "$uvc $UV venv -q --seed --no-index -f $SEEDS -p $PY $d/v"
	tool "uv copy" "$new" "$uvcp $UV venv -q --seed --no-index -f $SEEDS -p $PY $d/v"
	tool virtualenv "$new" "env VIRTUALENV_OVERRIDE_APP_DATA=$d/vac $VENV -q --no-periodic-update -p $PY $d/v"
	row "$fs" "seeded, warm cache" "$RUNS" 1

	tool venvbox "$new" "$MK -q --no-cache --find-links $SEEDS -p $PY $d/v"
	tool uv "$new" "$UV venv -q --seed --no-cache --no-index -f $SEEDS -p $PY $d/v"
	tool "python -m venv" "$new" "$PY -m venv $d/v"
	row "$fs" "seeded, cold cache" "$SLOW" 0

	tool venvbox "$fresh" "$vbc $MK -q -w $BIG $d/v"
	tool "venvbox hardlink" "$fresh" "$vbh $MK -q --link-mode hardlink -w $BIG $d/v"
	tool uv "$fresh" "$uvc $UV pip install -q --no-deps --no-index -p $d/v/bin/python $BIG"
	tool "uv copy" "$fresh" "$uvcp $UV pip install -q --no-deps --no-index -p $d/v/bin/python $BIG"
	tool "floor: cp -r" "$fresh" "cp -r $d/tree-big/$site/. $d/v/$site"
	tool "floor: cp -al" "$fresh" "cp -al $d/tree-big/$site/. $d/v/$site"
	row "$fs" "big wheel, warm cache" "$SLOW" 1

	tool venvbox "$fresh" "$MK -q --no-cache -w $BIG $d/v"
	tool uv "$fresh" "$UV pip install -q --no-cache --no-deps --no-index -p $d/v/bin/python $BIG"
	tool pip "$fresh" "$d/v/bin/python -m pip install -q --no-deps --no-index --no-compile $BIG"
	tool installer "$fresh" "env PYTHONPATH=$INSTPATH $d/v/bin/python -m installer --no-compile-bytecode $BIG"
	row "$fs" "big wheel, cold cache" "$SLOW" 0

	tool venvbox "$fresh" "$vbc $MK -q --no-deps -r $B/set50.txt $d/v"
	tool "venvbox hardlink" "$fresh" "$vbh $MK -q --link-mode hardlink --no-deps -r $B/set50.txt $d/v"
	tool uv "$fresh" "$uvc $UV pip install -q --no-deps --no-index -p $d/v/bin/python -r $B/set50.txt"
	tool "uv copy" "$fresh" "$uvcp $UV pip install -q --no-deps --no-index -p $d/v/bin/python -r $B/set50.txt"
	tool "floor: cp -r" "$fresh" "cp -r $d/tree-50/$site/. $d/v/$site"
	tool "floor: cp -al" "$fresh" "cp -al $d/tree-50/$site/. $d/v/$site"
	row "$fs" "50 wheels, warm cache" "$SLOW" 1

	tool venvbox "$fresh" "$MK -q --no-cache --no-deps -r $B/set50.txt $d/v"
	tool uv "$fresh" "$UV pip install -q --no-cache --no-deps --no-index -p $d/v/bin/python -r $B/set50.txt"
	tool pip "$fresh" "$d/v/bin/python -m pip install -q --no-deps --no-index --no-compile -r $B/set50.txt"
	row "$fs" "50 wheels, cold cache" "$SLOW" 0

	rm -rf "$d/v" && cp -a "$d/basepip" "$d/list" &&
		"$d/list/bin/python" -m pip install -q --no-deps --no-index --no-compile $(cat "$B/set100") >"$B/err" 2>&1 ||
		{ echo "bench: the listing venv: $(tail -c 300 "$B/err")" >&2; return 1; }
	tool venvbox : "$VI --list $d/list"
	tool uv : "$UV pip list -q -p $d/list/bin/python"
	tool pip : "$d/list/bin/python -m pip list"
	row "$fs" "listing $("$VI" --get distributions "$d/list") distributions" "$RUNS" 1
}

echo "venvbox bench: Python $ver ($PY); $("$UV" --version); virtualenv $("$VENV" --version | awk '{ print $2; exit }');" \
	"the big wheel: ${BIG##*/} ($(( $(wc -c <"$BIG") >> 20 )) MiB); rounds: $RUNS quick, $SLOW slow" >"$B/bench.txt"
cat "$B/bench.txt"
rows disk "$B/disk" || exit 1
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	rows tmpfs /dev/shm/venvbox-bench.$$ || exit 1
	rm -rf /dev/shm/venvbox-bench.$$
fi
rm -rf "$B/disk"

strip -o "$out/venvbox.stripped" "$out/venvbox" 2>/dev/null || cp "$out/venvbox" "$out/venvbox.stripped"
size=$(wc -c <"$out/venvbox.stripped")
echo "binary: $size bytes stripped ($((size / 1024)) KiB; target <= 300 KiB)" | tee -a "$B/bench.txt"
sh "$top/tests/benchplot.sh" "$B" && echo "chart: $B/bench.svg"
exit 0
