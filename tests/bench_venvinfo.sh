# bench_venvinfo.sh: part of `make bench` (SPEC §7): `venvinfo --list` against `pip list` on
# the same venv holding 100 distributions, installed by pip from tiny wheels made here.
# Prints median wall times and the ratio; asserts nothing.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${VENVBOX_OUT:-$top/build/out}
PY=${BENCH_PYTHON:-/usr/bin/python3}
runs=${BENCH_RUNS:-30}
d=$out/bench/venvinfo
command -v hyperfine >/dev/null || { echo "bench: hyperfine is not installed (sh tests/setup.sh installs it)" >&2; exit 1; }

median() {	# median CSV ROW -> milliseconds
	awk -F, -v row="$2" 'NR == row + 1 { printf "%.3f", $4 * 1000 }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b / a }'; }

rm -rf "$d" && mkdir -p "$d"
# 100 wheels: a module and metadata with a long description, as real ones carry
"$PY" - "$d/wheels" <<'PY'
import base64, hashlib, os, sys, zipfile
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
desc = "A tiny distribution for the venvinfo benchmark.\n" * 200
for i in range(100):
    name, ver = f"bench_pkg_{i:03d}", f"1.{i}.0"
    di = f"{name}-{ver}.dist-info"
    files = {f"{name}/__init__.py": f"VALUE = {i}\n".encode(),
             f"{di}/METADATA": (f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: {ver}\n"
                                f"Summary: bench {i}\nClassifier: Programming Language :: Python :: 3\n\n" + desc).encode(),
             f"{di}/WHEEL": b"Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    rec = [f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b'=').decode()},{len(b)}"
           for n, b in files.items()] + [f"{di}/RECORD,,"]
    with zipfile.ZipFile(os.path.join(out, f"{name}-{ver}-py3-none-any.whl"), "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
        z.writestr(f"{di}/RECORD", "\n".join(rec) + "\n")
PY
v=$d/v
"$out/bin/mkvenv" -q -p "$PY" "$v" || exit 1
[ -x "$v/bin/pip" ] || { echo "bench: no pip seeded into $v (no pip wheel found)" >&2; exit 1; }
# shellcheck disable=SC2046 # the project names
PIP_DISABLE_PIP_VERSION_CHECK=1 "$v/bin/pip" install -q --no-index --find-links "$d/wheels" \
	$(cd "$d/wheels" && ls | sed 's/-1\..*//') >"$d/err" 2>&1 || { cat "$d/err" >&2; exit 1; }
n=$("$out/bin/venvinfo" --get distributions "$v")
"$out/bin/venvinfo" --list "$v" >"$d/vi.list"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$v/bin/pip" list >"$d/pip.list" 2>/dev/null
cmp -s "$d/vi.list" "$d/pip.list" && agree="the same output" || agree="OUTPUTS DIFFER"

echo "venvinfo on a venv with $n distributions (pip-installed, $PY), median of $runs runs:"
hyperfine -N -w 5 -r "$runs" --export-csv "$d/list.csv" \
	"$out/bin/venvinfo --list $v" \
	"env PIP_DISABLE_PIP_VERSION_CHECK=1 $v/bin/pip list" \
	"$out/bin/venvinfo --freeze $v" \
	"env PIP_DISABLE_PIP_VERSION_CHECK=1 $v/bin/pip freeze" \
	"$out/bin/venvinfo $v" >/dev/null 2>"$d/err" || { cat "$d/err" >&2; exit 1; }
l=$(median "$d/list.csv" 1) pl=$(median "$d/list.csv" 2) f=$(median "$d/list.csv" 3) pf=$(median "$d/list.csv" 4)
r=$(median "$d/list.csv" 5)
printf '  %-44s %9s ms  (target <= 5 ms)\n' "venvinfo --list" "$l"
printf '  %-44s %9s ms  (venvinfo %sx faster; %s)\n' "pip list" "$pl" "$(ratio "$l" "$pl")" "$agree"
printf '  %-44s %9s ms\n' "venvinfo --freeze" "$f"
printf '  %-44s %9s ms  (venvinfo %sx faster)\n' "pip freeze" "$pf" "$(ratio "$f" "$pf")"
printf '  %-44s %9s ms\n' "venvinfo (the report, health checks included)" "$r"
