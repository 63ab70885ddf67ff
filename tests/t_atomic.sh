# t_atomic.sh: mkvenv interrupted at every fault point (VENVBOX_FAULT=N kills it there,
# N:fail makes that step fail): what remains is no venv or the previous one, never a
# half-made one; failures leave the filesystem as it was; leftovers of kills are removed
# by the next run.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY"; exit 0; }
mk() { mkvenv -q --without-pip -p "$PY" "$@"; }
leftovers() { ls -a "$1" | grep -c -e '\.mkvenv-' -e '\.venvbox-'; }

mk "$S/full" && tree "$S/full" | sed "s|$S/full|ENV|g" >"$S/full.tree"
complete() { [ "$(tree "$1" | sed "s|$1|ENV|g")" = "$(cat "$S/full.tree")" ]; }
complete_but_marker() { [ "$(tree "$1" | grep -v " \./lib/marker -> $" | sed "s|$1|ENV|g")" = "$(cat "$S/full.tree")" ]; }

# ---- a new venv, killed at each point in turn
n=1 bad=0
while [ $n -lt 200 ]; do
	rm -rf "$S/k"
	VENVBOX_FAULT=$n mk "$S/k" 2>/dev/null && break
	if [ -e "$S/k" ] && ! complete "$S/k"; then bad=$((bad + 1)); echo "kill $n: half-made venv" >&2; fi
	n=$((n + 1))
done
[ $n -gt 10 ] && [ $n -lt 200 ] && pass "kill-points-$n" || fail kill-points "only $n points"
[ $bad = 0 ] && pass kill-new-never-half || fail kill-new-never-half "$bad half-made venvs"
rm -rf "$S/k"; VENVBOX_FAULT=5 mk "$S/k" 2>/dev/null
[ "$(leftovers "$S")" -ge 1 ] && pass kill-leaves-staging || fail kill-leaves-staging "no staging dir seen"
mk "$S/k" && [ "$(leftovers "$S")" = 0 ] && complete "$S/k" && pass next-run-cleans || fail next-run-cleans "$(ls -a "$S")"

# ---- a new venv whose creation fails at each point: nothing at all remains
n=1 bad=0
while [ $n -lt 200 ]; do
	rm -rf "$S/f"
	VENVBOX_FAULT=$n:fail mk "$S/pa/b/f" 2>"$S/err" && break
	grep -q 'injected fault' "$S/err" || { bad=$((bad + 1)); echo "fail $n: $(cat "$S/err")" >&2; }
	if [ -e "$S/pa" ] || [ "$(leftovers "$S")" != 0 ]; then bad=$((bad + 1)); echo "fail $n: left $(ls -a "$S")" >&2; fi
	n=$((n + 1))
done
[ $bad = 0 ] && [ $n -gt 10 ] && pass fail-new-leaves-nothing || fail fail-new-leaves-nothing "$bad bad outcomes of $n"

# ---- --clear of an existing venv: the old one or the new one, whole
n=1 bad=0
while [ $n -lt 200 ]; do
	rm -rf "$S/c"; mk "$S/c"; echo old >"$S/c/lib/marker"
	VENVBOX_FAULT=$n mk --clear "$S/c" 2>/dev/null && break
	if [ -e "$S/c/lib/marker" ]; then
		[ "$(cat "$S/c/lib/marker")" = old ] || bad=$((bad + 1))
	elif ! complete "$S/c"; then
		bad=$((bad + 1)); echo "clear kill $n: $(ls "$S/c" 2>&1)" >&2
	fi
	had=$([ -e "$S/c/lib/marker" ] && echo old)	# the next run keeps what is there, leaves nothing beside
	mk "$S/c" && [ "$([ -e "$S/c/lib/marker" ] && echo old)" = "$had" ] && complete_but_marker "$S/c" \
		&& [ "$(leftovers "$S")" = 0 ] || { bad=$((bad + 1)); echo "clear kill $n, next run: $(ls -a "$S")" >&2; }
	n=$((n + 1))
done
[ $bad = 0 ] && [ $n -gt 10 ] && pass kill-clear-old-or-new || fail kill-clear-old-or-new "$bad bad of $n"
[ ! -e "$S/c/lib/marker" ] && complete "$S/c" && pass clear-done || fail clear-done "old content survived"

n=1 bad=0
while [ $n -lt 200 ]; do
	rm -rf "$S/c"; mk "$S/c"; echo old >"$S/c/lib/marker"; tree "$S/c" >"$S/c.before"
	VENVBOX_FAULT=$n:fail mk --clear "$S/c" 2>/dev/null && break
	[ "$(tree "$S/c")" = "$(cat "$S/c.before")" ] && [ "$(leftovers "$S")" = 0 ] || { bad=$((bad + 1)); echo "clear fail $n" >&2; }
	n=$((n + 1))
done
[ $bad = 0 ] && [ $n -gt 10 ] && pass fail-clear-restores || fail fail-clear-restores "$bad bad of $n"

# ---- --clear in place (a venv reached through a link stays where it is): killed at each
# point, the next run puts it back as it was; failing at each point, it is as it was at once
same_as() { [ "$(hashtree "$1" | cut -d' ' -f1,2,4-)" = "$(cat "$2")" ]; }
n=1 bad=0
while [ $n -lt 200 ]; do
	rm -rf "$S/c" "$S/cl"; mk "$S/c"; echo old >"$S/c/lib/marker"; ln -s c "$S/cl"
	hashtree "$S/c" | cut -d' ' -f1,2,4- >"$S/c.before"
	VENVBOX_FAULT=$n mk --clear "$S/cl" 2>/dev/null && break
	mk "$S/c" 2>/dev/null	# the next run (by the path the scripts were written with)
	same_as "$S/c" "$S/c.before" || { bad=$((bad + 1)); echo "inplace clear kill $n: $(ls -A "$S/c" | tr '\n' ' ')" >&2; }
	n=$((n + 1))
done
[ $bad = 0 ] && [ $n -gt 10 ] && pass kill-clear-inplace-restored || fail kill-clear-inplace-restored "$bad bad of $n"
[ ! -e "$S/c/lib/marker" ] && complete "$S/c" && [ "$(leftovers "$S/c")" = 0 ] && pass clear-inplace-done || fail clear-inplace-done "$(ls -A "$S/c")"
n=1 bad=0
while [ $n -lt 200 ]; do
	rm -rf "$S/c" "$S/cl"; mk "$S/c"; echo old >"$S/c/lib/marker"; ln -s c "$S/cl"
	hashtree "$S/c" | cut -d' ' -f1,2,4- >"$S/c.before"
	VENVBOX_FAULT=$n:fail mk --clear "$S/cl" 2>/dev/null && break
	same_as "$S/c" "$S/c.before" || { bad=$((bad + 1)); echo "inplace clear fail $n: $(ls -A "$S/c" | tr '\n' ' ')" >&2; }
	n=$((n + 1))
done
[ $bad = 0 ] && [ $n -gt 10 ] && pass fail-clear-inplace-restores || fail fail-clear-inplace-restores "$bad bad of $n"
# a --clear that swapped with two renames (no RENAME_EXCHANGE) and was killed between them:
# the old venv waits beside as .NAME.mkvenv-PID.old; the next run puts it back, then runs
rm -rf "$S/c" "$S/cl"; mk "$S/c"; echo old >"$S/c/lib/marker"; dead=$(sh -c 'echo $$')
mv "$S/c" "$S/.c.mkvenv-$dead.old"; mkdir "$S/.c.mkvenv-$dead"
mk "$S/c" && [ "$(cat "$S/c/lib/marker" 2>&1)" = old ] && [ "$(leftovers "$S")" = 0 ] \
	&& pass kill-swap-between-renames || fail kill-swap-between-renames "$(ls -A "$S" "$S/c")"

# ---- an existing empty directory (a mount point, say) is filled in place; failures empty it again
n=1 bad=0
while [ $n -lt 200 ]; do
	rm -rf "$S/m"; mkdir "$S/m"; ino=$(stat -c %i "$S/m")
	VENVBOX_FAULT=$n:fail mk "$S/m" 2>/dev/null && break
	[ -d "$S/m" ] && [ -z "$(ls -A "$S/m")" ] || { bad=$((bad + 1)); echo "inplace fail $n: $(ls -A "$S/m")" >&2; }
	n=$((n + 1))
done
[ $bad = 0 ] && [ $n -gt 5 ] && pass fail-inplace-empties || fail fail-inplace-empties "$bad bad of $n"
[ "$(stat -c %i "$S/m")" = "$ino" ] && complete "$S/m" && pass inplace-same-dir || fail inplace-same-dir "directory replaced or incomplete"

# ---- --upgrade of an existing venv that fails: the venv is as it was
n=1 bad=0
while [ $n -lt 200 ]; do
	rm -rf "$S/u"; mk --prompt keep "$S/u"; hashtree "$S/u" | cut -d' ' -f1,2,4- >"$S/u.before"
	VENVBOX_FAULT=$n:fail mk --upgrade "$S/u" 2>/dev/null && break
	[ "$(hashtree "$S/u" | cut -d' ' -f1,2,4-)" = "$(cat "$S/u.before")" ] || { bad=$((bad + 1)); echo "upgrade fail $n" >&2; }
	n=$((n + 1))
done
[ $bad = 0 ] && [ $n -gt 3 ] && pass fail-upgrade-unchanged || fail fail-upgrade-unchanged "$bad bad of $n"
grep -q "^prompt = 'keep'" "$S/u/pyvenv.cfg" && pass upgrade-keeps-prompt || fail upgrade-keeps-prompt "$(cat "$S/u/pyvenv.cfg")"

# ---- a termination signal during creation waits for the transaction to finish
# (mkvenv itself in the background: a shell function there would be a subshell, and the signal
# would end the subshell while mkvenv ran on)
rm -rf "$S/t"; mkvenv -q --without-pip -p "$PY" "$S/t" & pid=$!; kill -TERM $pid 2>/dev/null; wait $pid
if [ -e "$S/t" ]; then complete "$S/t" && pass sigterm-whole || fail sigterm-whole "half-made"; else pass sigterm-whole; fi
[ "$(leftovers "$S")" = 0 ] && pass sigterm-no-leftovers || fail sigterm-no-leftovers "$(ls -a "$S")"
