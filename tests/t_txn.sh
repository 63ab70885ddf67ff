# t_txn.sh: several wheels installed into an existing venv are one transaction. A failure at
# any step, a kill at any step (undone by the next run) and a termination signal at any step
# (stopped and undone, exit 143) leave the venv as it was; venvinfo --check reports the stage
# a killed install left; the venv's install lock makes a second install wait; disk-full and
# read-only errors name the wheel, the file and the venv, never the stage.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY (the fixtures and the venvs need it)"; exit 0; }
W=$S/wheels
"$PY" "$TESTS/mkwheels.py" "$W" >"$S/mkwheels.log" 2>&1 || { fail mkwheels "$(tail -c 600 "$S/mkwheels.log")"; exit 0; }
SITE=lib/python3.$(py_minor "$PY")/site-packages
export VENVBOX_NO_CACHE=1	# the same steps every run
mk() { mkvenv -q --without-pip -p "$PY" "$@"; }
wh() { echo "$W/$1-py3-none-any.whl"; }
A1=$(wh faulty-1.0) A2=$(wh faulty-2.0) B1=$(wh upg-1.0) B2=$(wh upg-2.0)
V=$S/v
mk -w "$A1" -w "$B1" "$V" || { fail setup "cannot make the venv"; exit 0; }
cp -a "$V" "$S/pristine" && ntree "$V" >"$S/before"
restore() { rm -rf "$V" && cp -a "$S/pristine" "$V"; }
mk -w "$A2" -w "$B2" "$V" && ntree "$V" >"$S/after" && restore &&
	mk -w "$A2" "$V" && ntree "$V" >"$S/after-a" && restore || { fail setup "the installs fail without a fault"; exit 0; }

# ---- a --clear in place killed at each step: the next run, an install, first puts the old
# entries back, then installs (the venv as it was, with the wheel)
restore; mk -w "$A2" "$V" && ntree "$V" >"$S/after-a-only" && restore
ln -sfn v "$S/vl"	# through a link, the venv is cleared in place
n=1 bad=0
while [ $n -lt 200 ]; do
	VENVBOX_FAULT=$n mk --clear "$S/vl" 2>/dev/null && break
	mk -w "$A2" "$V" 2>"$S/err" && [ "$(ntree "$V")" = "$(cat "$S/after-a-only")" ] && [ "$(stages "$V")" = 0 ] ||
		{ bad=$((bad + 1)); echo "clear killed at $n, then -w: $(ls -A "$V" | tr '\n' ' ') $(cat "$S/err")" >&2; }
	restore
	n=$((n + 1))
done
[ $bad = 0 ] && [ $n -gt 5 ] && pass clear-killed/install-puts-back || fail clear-killed/install-puts-back "$bad bad of $n"
rm -f "$S/vl"; restore	# the last --clear was not killed: it cleared the venv

# ---- -w A-2.0 -w B-2.0 failing at each step: nothing installed, the venv as it was, the
# error one line naming the wheel that failed
n=1 bad=0 why="" named=0
while [ $n -lt 400 ]; do
	VENVBOX_FAULT=$n:fail mk -w "$A2" -w "$B2" "$V" >"$S/out" 2>"$S/err" && break
	grep -q "^mkvenv: $B2: injected fault" "$S/err" && named=$((named + 1))
	if [ "$(wc -l <"$S/err")" != 1 ] || ! grep -q "injected fault.*; nothing was installed: $V is as it was$" "$S/err"; then
		bad=$((bad + 1)) why="$why [$n: $(head -c 200 "$S/err")]"
	fi
	if [ "$(ntree "$V")" != "$(cat "$S/before")" ] || [ "$(stages "$V")" != 0 ]; then
		bad=$((bad + 1)) why="$why [$n changed: $(ntree "$V" | diff "$S/before" - | head -c 300)]"
		restore
	fi
	n=$((n + 1))
done
[ $n -gt 20 ] && [ $n -lt 400 ] && pass "fail/points-$n" || fail fail/points "stopped at $n"
[ $bad = 0 ] && pass fail/venv-as-it-was || fail fail/venv-as-it-was "$bad of $n:$(echo "$why" | head -c 1500)"
[ $named -gt 0 ] && pass fail/names-second-wheel || fail fail/names-second-wheel "no error named $B2"
[ "$(ntree "$V")" = "$(cat "$S/after")" ] && pass fail/then-both || fail fail/then-both "$(ntree "$V" | diff "$S/after" - | head -c 600)"

# ---- killed at each step: venvinfo --check reports the stage left; the next install (here
# one failing at its first step) undoes what the killed one did
restore
n=1 bad=0 why="" stale=0
while [ $n -lt 400 ]; do
	VENVBOX_FAULT=$n mk -w "$A2" -w "$B2" "$V" 2>/dev/null && break
	if [ "$(stages "$V")" != 0 ]; then
		venvinfo --check "$V" >"$S/check"; st=$?
		if [ $st = 1 ] && grep -q '^stale-staging: \.venvbox-install-[0-9]*: the stage of an install whose process is gone' "$S/check"; then
			stale=$((stale + 1))
		else
			bad=$((bad + 1)) why="$why [$n: check exit $st: $(head -c 200 "$S/check")]"
		fi
	fi
	VENVBOX_FAULT=1:fail mk -w "$A2" "$V" 2>/dev/null
	if [ "$(ntree "$V")" != "$(cat "$S/before")" ] || [ "$(stages "$V")" != 0 ]; then
		bad=$((bad + 1)) why="$why [$n: $(ntree "$V" | diff "$S/before" - | head -c 300)]"
		restore
	fi
	n=$((n + 1))
done 2>/dev/null	# (the shell's "Killed" lines)
[ $n -gt 20 ] && [ $n -lt 400 ] && pass "kill/points-$n" || fail kill/points "stopped at $n"
[ $bad = 0 ] && pass kill/undone-by-next-run || fail kill/undone-by-next-run "$bad of $n:$(echo "$why" | head -c 1500)"
[ $stale -gt 10 ] && pass kill/stale-staging-reported || fail kill/stale-staging-reported "reported $stale times of $n"
[ "$(ntree "$V")" = "$(cat "$S/after")" ] && pass kill/then-both || fail kill/then-both "$(ntree "$V" | diff "$S/after" - | head -c 600)"
# the fix venvinfo suggests undoes it too, and the venv is healthy again
restore
VENVBOX_FAULT=60 mk -w "$A2" -w "$B2" "$V" 2>/dev/null
venvinfo --check "$V" >"$S/check"
fix=$(sed -n 's/^fix: \(mkvenv --upgrade -p [0-9.]* [^ ]*\) (undoes the interrupted install, removes its stage)$/\1/p' "$S/check")
if [ "$(stages "$V")" = 1 ] && [ -n "$fix" ]; then
	$fix -q --without-pip >/dev/null 2>&1
	venvinfo --check "$V" >/dev/null && [ "$(stages "$V")" = 0 ] && venvinfo --verify "$V" >/dev/null &&
		[ -d "$V/$SITE/faulty-1.0.dist-info" ] && [ -d "$V/$SITE/upg-1.0.dist-info" ] &&
		pass kill/suggested-fix-undoes || fail kill/suggested-fix-undoes "$(venvinfo --check "$V"; ls -a "$V" "$V/$SITE")"
else
	fail kill/suggested-fix "no stage, or no fix: $(cat "$S/check")"
fi

# ---- SIGTERM at each step (the process sends it to itself there): stopped and undone, or
# finished first; said on stderr; exit 143; no stage left
restore
n=1 bad=0 why="" stopped=0
while [ $n -lt 400 ]; do
	VENVBOX_FAULT=$n:term mk -w "$A2" -w "$B2" "$V" >"$S/out" 2>"$S/err"; st=$?
	[ $st = 0 ] && break
	now=$(ntree "$V")
	if [ $st = 143 ] && [ "$now" = "$(cat "$S/before")" ] &&
	   grep -qx "mkvenv: stopped by SIGTERM; nothing was installed: $V is as it was" "$S/err"; then
		stopped=$((stopped + 1))
	elif [ $st = 143 ] && [ "$now" = "$(cat "$S/after")" ]; then
		restore	# the signal came when there was nothing left but to finish
	else
		bad=$((bad + 1)) why="$why [$n: exit $st: $(head -c 200 "$S/err")]"
		restore
	fi
	[ "$(stages "$V")" = 0 ] || { bad=$((bad + 1)) why="$why [$n: stage left]"; restore; }
	n=$((n + 1))
done
[ $n -gt 20 ] && [ $n -lt 400 ] && pass "term/points-$n" || fail term/points "stopped at $n"
[ $bad = 0 ] && [ $stopped -gt 10 ] && pass term/stopped-undone-143 || fail term/stopped-undone-143 "$bad bad, $stopped stopped, of $n:$(echo "$why" | head -c 1500)"

# ---- the install lock: a second install waits (-v says so) and changes nothing meanwhile
restore
lockwait lock/wheel "$V" -w "$A2"
[ "$(ntree "$V")" = "$(cat "$S/after-a")" ] && pass lock/installs-after || fail lock/installs-after "$(tail -c 400 "$S/lk.out")"
# said without -v too: any process that can read the venv can hold the lock
restore
LKV= lockwait lock/said-without-v "$V" -w "$A2"
# a journal that is not this user's own regular file is never replayed: a FIFO does not
# block the next run, a link to a file the venv's owner cannot read is not followed
restore
dead=$(sh -c 'echo $$')	# a process gone
mkdir "$V/.venvbox-install-$dead" && mkfifo "$V/.venvbox-install-$dead/journal"
timeout 60 mkvenv -q -w "$A2" "$V" 2>"$S/err"; st=$?
[ $st = 0 ] && [ "$(ntree "$V")" = "$(cat "$S/after-a")" ] && pass journal/fifo-not-read || fail journal/fifo-not-read "exit $st: $(cat "$S/err")"
restore
printf 'gone\0moved\0' >"$S/secret" && chmod 600 "$S/secret"
mkdir "$V/.venvbox-install-$dead" && ln -s "$S/secret" "$V/.venvbox-install-$dead/journal" && mkdir "$V/moved"
mk -w "$A2" "$V" 2>"$S/err"; st=$?
[ $st = 0 ] && [ ! -e "$V/gone" ] && [ -d "$V/moved" ] && [ "$(stages "$V")" = 0 ] && pass journal/link-not-followed ||
	fail journal/link-not-followed "exit $st: $(ls -A "$V" | tr '\n' ' ') $(cat "$S/err")"
rm -rf "$V/moved"
# two installs of two versions of one distribution racing: one of them, whole, every time
bad=0
for r in 1 2 3 4 5 6; do
	restore
	mk -w "$A1" "$V" 2>"$S/race1" & p1=$!
	mk -w "$A2" "$V" 2>"$S/race2" & p2=$!
	wait $p1; s1=$?; wait $p2; s2=$?
	now=$(ntree "$V")
	if [ $s1 != 0 ] || [ $s2 != 0 ] || [ "$(stages "$V")" != 0 ] || ! venvinfo --verify "$V" >/dev/null ||
	   { [ "$now" != "$(cat "$S/before")" ] && [ "$now" != "$(cat "$S/after-a")" ]; }; then
		bad=$((bad + 1)); echo "race $r: $s1 $s2 $(cat "$S/race1" "$S/race2")" >&2
	fi
done
[ $bad = 0 ] && pass lock/race-one-of-them || fail lock/race-one-of-them "$bad of 6 rounds mixed or failed"

# ---- a full disk and a read-only venv: the message names the wheel and the file, or the
# venv (never the stage inside it), and nothing is left behind
BIG=$S/big-1.0-py3-none-any.whl
"$PY" - "$BIG" <<'PY'
import base64, hashlib, os, sys, zipfile
files = {"big/__init__.py": b"", "big/data.bin": os.urandom(400000),
         "big-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: big\nVersion: 1.0\n",
         "big-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
rec = ["%s,sha256=%s,%d" % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode(), len(d))
       for n, d in files.items()] + ["big-1.0.dist-info/RECORD,,"]
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for n, d in files.items():
        z.writestr(n, d)
    z.writestr("big-1.0.dist-info/RECORD", "\n".join(rec) + "\n")
PY
M=$S/mnt
mkdir -p "$M"
if mount -t tmpfs -o size=300k tmpfs "$M" 2>"$S/mount.err"; then
	trap 'umount "$M" 2>/dev/null' EXIT
	mk "$M/v" && ntree "$M/v" >"$S/m.before"
	mkvenv -q -w "$BIG" "$M/v" 2>"$S/err"; st=$?
	[ $st = 1 ] && grep -qx "mkvenv: $BIG: cannot write $SITE/big/data.bin: No space left on device; nothing was installed: $M/v is as it was" "$S/err" &&
		pass full/names-wheel-and-file || fail full/names-wheel-and-file "exit $st: $(cat "$S/err")"
	[ "$(ntree "$M/v")" = "$(cat "$S/m.before")" ] && [ "$(stages "$M/v")" = 0 ] && pass full/venv-as-it-was ||
		fail full/venv-as-it-was "$(ls -a "$M/v")"
	mount -o remount,ro "$M"
	mkvenv -q -w "$A1" "$M/v" 2>"$S/err"; st=$?
	[ $st = 1 ] && grep -qx "mkvenv: cannot write into $M/v: Read-only file system; nothing was installed: $M/v is as it was" "$S/err" &&
		pass readonly/names-venv || fail readonly/names-venv "exit $st: $(cat "$S/err")"
	umount "$M"
	trap - EXIT
else
	skip full "cannot mount a tmpfs here: $(head -c 200 "$S/mount.err")"
	skip readonly "cannot mount a tmpfs here"
fi
