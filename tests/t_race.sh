# t_race.sh: root's mkvenv in a directory another user owns. That user (uid 65534, the
# racer) swaps the venv's directories for links to a directory only root may write to,
# while mkvenv is stopped at each fault point in turn (VENVBOX_FAULT=N:stop): during
# creation, --clear, --upgrade and -w. Nothing may be written through the links, and a run
# that meets one says so and undoes its work; filling another user's directory warns.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY"; exit 0; }
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	skip all "needs root and setpriv (the racer runs as uid 65534)"
	exit 0
fi
WHL=$(hello_wheel "$S/whl") || { skip all "cannot make the test wheel"; exit 0; }
racer() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
mk() { mkvenv -q --without-pip -p "$PY" "$@"; }
D=$S/d	# the other user's directory
R=$S/root-only	# where the links lead
state() { sed 's/^[^(]*([^)]*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null; }

# swap: every directory in $D becomes a link to a copy of its directories under $R (so a
# write through it would succeed, and show), the real one moved aside, by the racer.
swap() {
	for e in "$D"/* "$D"/.[!.]*; do
		[ -d "$e" ] && [ ! -L "$e" ] || continue
		b=${e##*/}
		case $b in .moved.*) continue ;; esac
		mkdir -p "$R/$b" && (cd "$e" && find . -type d) | (cd "$R/$b" && xargs mkdir -p)
		racer mv "$e" "$D/.moved.$b" && racer ln -s "$R/$b" "$e"
	done
	find "$R" | LC_ALL=C sort >"$S/r.before"
}

# race NAME PREP CMD...: (CMD a command, not a function) for N = 1, 2, ... until CMD is no longer stopped: PREP makes $D
# afresh, CMD runs stopped at point N, the racer swaps, CMD goes on. Passes when nothing
# was ever written below $R, and some run refused a link (naming it) and left no entry of
# its own behind.
race() {
	name=$1 prep=$2; shift 2
	n=1 bad=0 refused=0
	while [ $n -lt 400 ]; do
		rm -rf "$D" "$R" && mkdir -m 0700 "$R" && $prep
		(export VENVBOX_FAULT=$n:stop; exec "$@") >"$S/out" 2>&1 &
		pid=$!
		while st=$(state $pid) && [ "$st" != T ] && [ "$st" != Z ]; do sleep 0.01; done
		if [ "$st" != T ]; then	# done without reaching point N: every point was raced
			wait $pid
			break
		fi
		swap
		kill -CONT $pid
		wait $pid; rc=$?
		find "$R" | LC_ALL=C sort >"$S/r.after"
		if ! cmp -s "$S/r.before" "$S/r.after"; then
			bad=$((bad + 1))
			echo "$name point $n: written through a link: $(diff "$S/r.before" "$S/r.after" | grep '^>' | head -3)" >&2
		fi
		if [ $rc != 0 ] && grep -q 'symbolic link' "$S/out"; then
			refused=$((refused + 1))
			left=$(ls -A "$D" | grep -v -e '^\.moved\.' -e '^\.venvbox-old-' || :)
			[ -z "$left" ] || [ "$name" != create ] || { bad=$((bad + 1)); echo "$name point $n: left $left" >&2; }
		fi
		n=$((n + 1))
	done
	[ $bad = 0 ] && pass "$name/nothing-through-links" || fail "$name/nothing-through-links" "$bad bad runs of $n"
	[ $refused -gt 0 ] && pass "$name/refused-naming-the-link" || fail "$name/refused-naming-the-link" "no run of $n refused a link"
}

empty_theirs() { mkdir "$D" && chown 65534:65534 "$D"; }
venv_theirs() { empty_theirs && mk "$D" 2>/dev/null; }

race create empty_theirs mkvenv -q --without-pip -p "$PY" "$D"
# --clear in place (the current directory is in it): the old entries are set aside inside it
race clear venv_theirs env -C "$D" mkvenv -q --without-pip -p "$PY" --clear "$D"
race upgrade venv_theirs mkvenv -q --without-pip -p "$PY" --upgrade "$D"
race wheel venv_theirs mkvenv -q -w "$WHL" "$D"

# filling another user's directory in place says whose it is
rm -rf "$D" && empty_theirs
mkvenv --without-pip -p "$PY" "$D" >"$S/out" 2>&1
grep -q "warning: .*belongs to .*uid 65534" "$S/out" && pass warns-other-owner || fail warns-other-owner "$(cat "$S/out")"
mkvenv -w "$WHL" "$D" >"$S/out" 2>&1
grep -q "warning: .*belongs to .*uid 65534" "$S/out" && pass warns-other-owner-wheel || fail warns-other-owner-wheel "$(cat "$S/out")"
rm -rf "$S/mine" && mkdir "$S/mine" && mkvenv --without-pip -p "$PY" "$S/mine" >"$S/out" 2>&1
grep -q "belongs to" "$S/out" && fail no-warning-own "$(cat "$S/out")" || pass no-warning-own
rm -rf "$D" "$R"
