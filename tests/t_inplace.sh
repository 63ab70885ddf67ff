# t_inplace.sh: mkvenv runs that change an existing venv in place (--upgrade-deps, --upgrade
# with -w) install all their wheels, seeds included, and pyvenv.cfg as one transaction: a
# failure at any step, or a wheel that fails while written after one that went well, leaves
# the venv as it was (tree, RECORDs, bytes); a kill at any step is undone by the next run.
# Every run that changes an existing directory takes the venv's lock: one held makes it
# wait (-v says so) and change nothing meanwhile, and racing runs end consistent.
. "$TESTS/lib.sh"
S=$SCRATCH
PY=/usr/bin/python3
[ -x "$PY" ] || { skip all "no $PY (the fixtures and the venvs need it)"; exit 0; }
W=$S/wheels
"$PY" "$TESTS/mkwheels.py" "$W" >"$S/mkwheels.log" 2>&1 || { fail mkwheels "$(tail -c 600 "$S/mkwheels.log")"; exit 0; }
export VENVBOX_NO_CACHE=1	# the same steps every run
wh() { echo "$W/$1-py3-none-any.whl"; }
# seeds DIR VERSION: stand-in pip and setuptools wheels of VERSION (newer than any real one,
# so --upgrade-deps takes them from DIR) with a module and a console script each
seeds() {
	"$PY" - "$1" "$2" <<'PY'
import base64, hashlib, os, sys, zipfile
out, v = sys.argv[1], sys.argv[2]; os.makedirs(out, exist_ok=True)
for name in ("pip", "setuptools"):
    di = "%s-%s.dist-info" % (name, v)
    files = {"%s/__init__.py" % name: ("V = %r\ndef main():\n    return 0\n" % v).encode(),
             di + "/METADATA": ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, v)).encode(),
             di + "/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
             di + "/entry_points.txt": ("[console_scripts]\n%s-%s = %s:main\n" % (name, v, name)).encode()}
    rec = ["%s,sha256=%s,%d" % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode(), len(d))
           for n, d in files.items()] + [di + "/RECORD,,"]
    with zipfile.ZipFile(os.path.join(out, "%s-%s-py3-none-any.whl" % (name, v)), "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            z.writestr(n, d)
        z.writestr(di + "/RECORD", "\n".join(rec) + "\n")
PY
}
seeds "$S/old" 9000.0 && seeds "$S/new" 9001.0 || { fail seeds "cannot make the seed wheels"; exit 0; }
A1=$(wh faulty-1.0) A2=$(wh faulty-2.0) B1=$(wh upg-1.0) B2=$(wh upg-2.0) B3=$(wh upg-3.0)
SITE=lib/python3.$(py_minor "$PY")/site-packages
V=$S/v
mk() { mkvenv -q -p "$PY" "$@"; }
mk --find-links "$S/old" -w "$A1" -w "$B1" "$V" && [ -d "$V/$SITE/pip-9000.0.dist-info" ] ||
	{ fail setup "cannot make the venv: $(ls "$V/$SITE" 2>&1)"; exit 0; }
cp -a "$V" "$S/pristine" && ntree "$V" >"$S/before"
restore() { rm -rf "$V" && cp -a "$S/pristine" "$V"; }
UD="--upgrade-deps --find-links $S/new -w $B2"	# a seed upgraded, then a wheel
mk $UD "$V" && ntree "$V" >"$S/after-ud" && [ -d "$V/$SITE/pip-9001.0.dist-info" ] && restore ||
	{ fail setup "--upgrade-deps fails without a fault"; exit 0; }

# ---- --upgrade-deps -w B-2.0 failing at each step: the venv as it was, no stage left
n=1 bad=0 why=""
while [ $n -lt 400 ]; do
	VENVBOX_FAULT=$n:fail mk $UD "$V" 2>"$S/err" && break
	if [ "$(ntree "$V")" != "$(cat "$S/before")" ] || [ "$(stages "$V")" != 0 ] || ! grep -q 'injected fault' "$S/err"; then
		bad=$((bad + 1)) why="$why [$n: $(head -c 200 "$S/err") $(ntree "$V" | diff "$S/before" - | head -c 300)]"
	fi
	restore
	n=$((n + 1))
done
[ $n -gt 20 ] && [ $n -lt 400 ] && pass "upgrade-deps/fail-points-$n" || fail upgrade-deps/fail-points "stopped at $n"
[ $bad = 0 ] && pass upgrade-deps/fail-venv-as-it-was || fail upgrade-deps/fail-venv-as-it-was "$bad of $n:$(echo "$why" | head -c 1500)"
restore

# ---- --upgrade -w A-2.0 -w upg-3.0 (whose bytes fail their CRC as it is written): A is not
# upgraded, the error names the wheel that failed
mk --upgrade -w "$A2" -w "$B3" "$V" 2>"$S/err"; st=$?
[ $st = 1 ] && grep -q "^mkvenv: $B3: " "$S/err" && pass upgrade/bad-second-wheel-fails || fail upgrade/bad-second-wheel-fails "exit $st: $(cat "$S/err")"
[ "$(ntree "$V")" = "$(cat "$S/before")" ] && [ "$(stages "$V")" = 0 ] && pass upgrade/bad-second-wheel-venv-as-it-was ||
	fail upgrade/bad-second-wheel-venv-as-it-was "$(ntree "$V" | diff "$S/before" - | head -c 800)"
restore

# ---- killed at each step: what the next run (an install failing at its first step) finds
# is undone, and the venv is as it was
n=1 bad=0 why=""
while [ $n -lt 400 ]; do
	VENVBOX_FAULT=$n mk $UD "$V" 2>/dev/null && break
	VENVBOX_FAULT=1:fail mk -w "$A2" "$V" 2>/dev/null
	if [ "$(ntree "$V")" != "$(cat "$S/before")" ] || [ "$(stages "$V")" != 0 ]; then
		bad=$((bad + 1)) why="$why [$n: $(ntree "$V" | diff "$S/before" - | head -c 300)]"
	fi
	restore
	n=$((n + 1))
done 2>/dev/null	# (the shell's "Killed" lines)
[ $n -gt 20 ] && [ $n -lt 400 ] && pass "upgrade-deps/kill-points-$n" || fail upgrade-deps/kill-points "stopped at $n"
[ $bad = 0 ] && pass upgrade-deps/kill-undone-by-next-run || fail upgrade-deps/kill-undone-by-next-run "$bad of $n:$(echo "$why" | head -c 1500)"
restore

# ---- the lock: with it held, every run that changes an existing directory waits (-v says
# so) and changes nothing meanwhile, then does its work
lockwait lock/upgrade "$V" -p "$PY" --upgrade --without-pip
restore
lockwait lock/upgrade-deps "$V" -p "$PY" $UD
restore
lockwait lock/reuse "$V" -p "$PY" --without-pip
restore
lockwait lock/clear "$V" -p "$PY" --clear --without-pip
rm -rf "$S/empty" && mkdir "$S/empty"
lockwait lock/fill "$S/empty" -p "$PY" --without-pip

# ---- --upgrade --upgrade-deps racing -w A-2.0: each waits for the other, and the end is the
# same either way (the seeds and B upgraded, A installed)
restore
mk --upgrade $UD "$V" && mk -w "$A2" "$V" && ntree "$V" >"$S/after-both" || fail race/setup "the two runs fail one after the other"
bad=0
for r in 1 2 3 4 5 6; do
	restore
	mk --upgrade $UD "$V" 2>"$S/race1" & p1=$!
	mk -w "$A2" "$V" 2>"$S/race2" & p2=$!
	wait $p1; s1=$?; wait $p2; s2=$?
	if [ $s1 != 0 ] || [ $s2 != 0 ] || [ "$(stages "$V")" != 0 ] || [ "$(ntree "$V")" != "$(cat "$S/after-both")" ]; then
		bad=$((bad + 1)); echo "race $r: $s1 $s2 $(cat "$S/race1" "$S/race2") $(ntree "$V" | diff "$S/after-both" - | head -c 300)" >&2
	fi
done
[ $bad = 0 ] && pass race/upgrade-and-wheel-both-whole || fail race/upgrade-and-wheel-both-whole "$bad of 6 rounds mixed or failed"
