# t_tags_pip.sh: venvbox's wheel tag rules (lib/py/tags.c, through build/out/tagcheck)
# against pip's own list of the tags an interpreter supports (`pip debug --verbose`, which
# is packaging's sys_tags), for every interpreter on the machine — pyenv's CPythons, Debian's
# python3 and, when installed, Debian's PyPy. The candidates are pip's tags themselves
# (every one must be accepted) and their neighbours: other python tags (the next and the
# previous minor, the other implementation, py2, bare cp3/pp3), other ABIs (abi3, abi3t, none, the
# debug, free-threaded and PyPy ones, a PyPy ABI of another version) and other platforms (a
# newer glibc, musl, another machine, Windows, macOS): each is accepted exactly when pip's
# list has it. The sid root's interpreters are compared the same way by t_distro.
. "$TESTS/lib.sh"
S=$SCRATCH
TAGCHECK=${TAGCHECK:-${VENVBOX%/*}/tagcheck}
GEN=/usr/bin/python3
[ -x "$TAGCHECK" ] || { fail tagcheck "no $TAGCHECK (make builds it)"; exit 0; }
[ -x "$GEN" ] || { skip all "no /usr/bin/python3 (it makes the candidates)"; exit 0; }
links=""
[ -f "$TOOLS/.complete" ] && links="--find-links $TOOLS/wheels"

# candidates PIPTAGS: pip's tags and their neighbours, one tag a line
candidates() {
	"$GEN" - "$1" <<'PY'
import re, sys
tags = [l.strip() for l in open(sys.argv[1]) if l.strip()]
py, abi, plat = (set(t.split("-")[i] for t in tags) for i in range(3))
own = next(t.split("-")[0] for t in tags if re.match(r"^(cp|pp)\d+$", t.split("-")[0]))
impl, x, y = own[:2], own[2], int(own[3:])
other = "pp" if impl == "cp" else "cp"
py |= {f"{i}{x}{m}" for i in (impl, other, "py") for m in (y - 1, y, y + 1)}
py |= {"py2", "cp3", "pp3", f"{other}{x}{y}"}
abi |= {"abi3", "abi3t", "none", f"cp{x}{y}", f"cp{x}{y}t", f"cp{x}{y}d", f"cp{x}{y}m", f"cp{x}{y - 1}",
        f"pypy{x}{y}_pp73", f"pypy{x}{y}_pp74", f"pypy{x}{y - 1}_pp73"}
glibc = max([int(m.group(1)) for p in plat for m in [re.match(r"manylinux_2_(\d+)_", p)] if m] or [17])
arch = next((p.split("_", 3)[3] for p in plat if p.startswith("manylinux_2_")), "x86_64")
plat = {p for p in plat if not re.match(r"manylinux_2_([0-9]|1[0-6])_", p)}	# fewer, the rest kept
plat |= {"any", f"linux_{arch}", f"manylinux_2_17_{arch}", f"manylinux_2_{glibc + 1}_{arch}",
         f"manylinux2014_{arch}", f"musllinux_1_2_{arch}", "manylinux_2_17_aarch64" if arch != "aarch64"
         else "manylinux_2_17_x86_64", "win_amd64", "macosx_11_0_arm64", "linux_i686"}
out = set(tags) | {f"{a}-{b}-{c}" for a in py for b in abi for c in plat}
print("\n".join(sorted(out)))
PY
}

n=0
{ pythons; command -v pypy3 || :; } >"$S/interpreters"
while read -r py; do
	id=$(echo "$py" | sed 's|^/root/.pyenv/versions/||; s|/bin/.*||; s|^/usr/bin/||; s|/|_|g')
	rm -rf "$S/v"
	# shellcheck disable=SC2086 # $links: the option and its directory
	if ! "$VENVBOX" mkvenv -q $links -p "$py" "$S/v" >"$S/mk.err" 2>&1; then
		case $(cat "$S/mk.err") in
		*"no pip wheel"* | *"pip was not found"* | *"found no pip"*) skip "$id" "no pip wheel here fits it: $(head -c 300 "$S/mk.err")"; continue ;;
		esac
		fail "$id/mkvenv" "$(head -c 600 "$S/mk.err")"
		continue
	fi
	if [ ! -x "$S/v/bin/pip" ]; then
		skip "$id" "no pip wheel here fits it: $(head -c 300 "$S/mk.err")"
		continue
	fi
	if ! "$S/v/bin/python" -m pip debug --verbose >"$S/debug" 2>&1; then
		skip "$id" "its pip ($("$S/v/bin/python" -m pip --version 2>&1 | cut -d' ' -f1-2)) has no debug command: $(head -c 200 "$S/debug")"
		continue
	fi
	awk '/^Compatible tags:/ { on = 1; next } on && /^  / { print $1 }' "$S/debug" >"$S/pip.tags"
	[ -s "$S/pip.tags" ] || { fail "$id/pip-debug" "pip debug listed no tags"; continue; }
	candidates "$S/pip.tags" >"$S/cand" || { fail "$id/candidates" "$GEN failed"; continue; }
	"$TAGCHECK" "$py" <"$S/cand" >"$S/ours" 2>"$S/tc.err" || { fail "$id/tagcheck" "$(head -c 600 "$S/tc.err")"; continue; }
	# pip's verdict for each candidate: 1 when in its list
	awk 'NR == FNR { ok[$1] = 1; next } { print (($1 in ok) ? 1 : 0), $1 }' "$S/pip.tags" "$S/cand" >"$S/theirs"
	cut -d: -f1 "$S/ours" >"$S/ours.v"
	if cmp -s "$S/theirs" "$S/ours.v"; then
		pass "$id/tags"
	else
		fail "$id/tags" "$(wc -l <"$S/cand") candidates; differ (pip, then ours): $(diff "$S/theirs" "$S/ours.v" | grep '^[<>]' | head -n 8 | tr '\n' ' ')"
	fi
	n=$((n + 1))
done <"$S/interpreters"
[ "$n" -ge 1 ] && pass compared || fail compared "no interpreter with pip to compare"
