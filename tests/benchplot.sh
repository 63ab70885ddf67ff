# benchplot.sh DIR: draws DIR/ratios.tsv (fs, row, peer, the peer's time over venvbox's, as
# tests/bench.sh writes it) as DIR/bench.svg with gnuplot: one bar per peer and row, on a log
# scale, with the lines at 1x (as fast) and 2x (the goal). Fails quietly without gnuplot.
d=$1
command -v gnuplot >/dev/null 2>&1 || { echo "bench: no gnuplot: no chart (sh tests/setup.sh installs it)" >&2; exit 1; }
[ -s "$d/ratios.tsv" ] || exit 1
awk -F'\t' '{ printf "\"%s, %s: %s\"\t%s\n", $2, $1, $3, $4 }' "$d/ratios.tsv" >"$d/ratios.dat"
n=$(wc -l <"$d/ratios.dat")
gnuplot <<GP
set terminal svg size $((300 + n * 28)),620 dynamic font "sans,11"
set output "$d/bench.svg"
set title "venvbox: how many times faster than each peer (log scale; the lines: 1x, 2x)"
set datafile separator "\t"
set logscale y
set yrange [0.5:*]
set style fill solid 0.8
set boxwidth 0.7
set xtics rotate by -60 left font "sans,9"
set bmargin 18
set grid ytics
unset key
plot "$d/ratios.dat" using 0:2:xtic(1) with boxes lc rgb "#3b6ea5", \
	1 with lines lc rgb "#aa3333" dt 2, 2 with lines lc rgb "#33aa33" dt 2
GP
