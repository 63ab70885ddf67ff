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

n=0
{ pythons; command -v pypy3 || :; } >"$S/interpreters"
while read -r py; do
	id=$(echo "$py" | sed "s|^$PYENV_VERSIONS/||; s|/bin/.*||; s|^/usr/bin/||; s|/|_|g")
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
	tags_vs_pip "$id" "$py" "$S/v" "$TAGCHECK" || continue
	n=$((n + 1))
done <"$S/interpreters"
[ "$n" -ge 1 ] && pass compared || fail compared "no interpreter with pip to compare"
