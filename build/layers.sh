# layers.sh: the include and call graph of lib/ and applets/, checked against the layer order
# and drawn. Usage: sh build/layers.sh OUTDIR [CC [CFLAGS...]]
# Each file is compiled on its own into OUTDIR/obj; file A depends on file B when A includes
# B's layer header or uses a symbol that B defines. It fails (listing every offence) when a
# file includes another layer's header than its own, a layer header includes anything but the
# layer just below, a file uses a name of a higher layer, or files depend on each other in a
# circle. It writes OUTDIR/layers.txt (a line a file: its layer and what it uses),
# OUTDIR/layers.dot, and OUTDIR/layers.svg when Graphviz is there.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: layers.sh OUTDIR [CC [CFLAGS...]]}
shift
[ $# -gt 0 ] || set -- cc
LAYERS="base fmt py venv pkg"
cd "$top" || exit 1
mkdir -p "$out/obj"
bad=0
offend() { echo "layers: $*" >&2; bad=1; }

rank() {	# rank FILE: 1 base ... 5 pkg, 6 applets
	case $1 in
	applets/*) echo 6 ;;
	lib/*) r=1; for l in $LAYERS; do case $1 in lib/$l/*) echo $r; return ;; esac; r=$((r + 1)); done; echo 0 ;;
	*) echo 0 ;;
	esac
}

# 1. includes: a lib file includes its own layer's header; a layer header, the one below
below=
for l in $LAYERS; do
	for h in lib/$l/*.h; do
		[ "$h" = "lib/$l/$l.h" ] || offend "$h: a layer has one header, lib/$l/$l.h"
	done
	got=$(sed -n 's/^#include "\(.*\)"/\1/p' "lib/$l/$l.h" | tr '\n' ' ')
	want=${below:+$below/$below.h }
	[ "$got" = "$want" ] || offend "lib/$l/$l.h includes '${got% }', not '${want% }'"
	for c in lib/$l/*.c; do
		got=$(sed -n 's/^#include "\(.*\)"/\1/p' "$c" | tr '\n' ' ')
		[ "$got" = "$l/$l.h " ] || offend "$c includes '${got% }'; a file of $l includes $l/$l.h alone"
	done
	below=$l
done
for c in applets/*.c; do
	sed -n 's/^#include "\(.*\)"/\1/p' "$c" | while read -r h; do
		case $h in applets.h|*/*.h) ;; *) echo "layers: $c includes $h" >&2 ;; esac
	done
done

# 2. calls: who defines each symbol, who uses it
srcs=$(ls lib/*/*.c applets/*.c)
zinc=
for z in build/out/zlib-musl/include build/out/asan/zlib/include /usr/include; do
	[ -f "$z/zlib.h" ] && { zinc=$z; break; }
done
: >"$out/defs" && : >"$out/uses"
for c in $srcs; do
	o=$out/obj/$(echo "$c" | tr / _).o
	"$@" -std=c11 -D_GNU_SOURCE -Ilib -Iapplets ${zinc:+-I$zinc} -c -o "$o" "$c" || { offend "$c does not compile"; continue; }
	nm "$o" | awk -v f="$c" '$2 ~ /^[TDRBC]$/ { print $3, f }' >>"$out/defs"
	nm -u "$o" | awk -v f="$c" '{ print $2, f }' >>"$out/uses"
done
sort -o "$out/defs" "$out/defs"
sort -o "$out/uses" "$out/uses"
join "$out/uses" "$out/defs" | awk '$2 != $3 { print $2, $3, $1 }' | sort -u >"$out/edges.sym"
awk '{ print $1, $2 }' "$out/edges.sym" | sort -u >"$out/edges"

: >"$out/layers.txt"
for c in $srcs; do
	printf '%s: %s\n' "$c" "$(awk -v f="$c" '$1 == f { printf "%s ", $2 }' "$out/edges")" >>"$out/layers.txt"
done
while read -r a b; do
	ra=$(rank "$a") rb=$(rank "$b")
	[ "$rb" -le "$ra" ] || offend "$a uses $(awk -v a="$a" -v b="$b" '$1 == a && $2 == b { printf "%s ", $3 }' "$out/edges.sym")from $b, a higher layer"
done <"$out/edges"
if ! tsort "$out/edges" >/dev/null 2>"$out/tsort.err"; then
	offend "a circle: $(grep -v 'input contains a loop' "$out/tsort.err" | sed 's/^tsort: //' | tr '\n' ' ')"
fi

# 3. the picture: one cluster a layer, bottom up; buf.c and err.c, which nearly every file
# uses, are drawn without their arrows
{
	echo 'digraph venvbox { rankdir=BT; newrank=true; ranksep=0.6; node [shape=box, fontsize=10];'
	echo 'label="arrows to buf and err, which nearly every file uses, are not drawn"; fontsize=10;'
	for l in $LAYERS applets; do
		d=lib/$l; [ $l = applets ] && d=applets
		echo "subgraph \"cluster_$l\" { label=\"$l\";"
		for c in $d/*.c; do echo "\"$c\" [label=\"$(basename "$c" .c)\"];"; done
		echo '}'
	done
	awk '$2 != "lib/base/buf.c" && $2 != "lib/base/err.c" { printf "\"%s\" -> \"%s\";\n", $1, $2 }' "$out/edges"
	echo '}'
} >"$out/layers.dot"
if command -v dot >/dev/null; then
	dot -Tsvg -o "$out/layers.svg" "$out/layers.dot" || offend "dot could not draw $out/layers.dot"
fi
[ $bad = 0 ] && echo "layers: $(wc -l <"$out/layers.txt") files, $(wc -l <"$out/edges") arrows, no circle, none upward"
exit $bad
