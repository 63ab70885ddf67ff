#!/bin/sh
# tests/prefetch.sh: builds the heavy test inputs ahead of the tests that need them — every
# root of tests/roots.txt (debootstrap's, and mmdebstrap's arm64 one for t_arm64), and the
# free-threaded CPython of tests/ftpython.sh (3.14's, else 3.13's, as t_freethreaded asks) —
# so that .ci/run can make them in the background while the first suite runs (mostly network
# and disk, while the tests are mostly CPU). Each
# builder takes its input's lock, so a test that needs one meanwhile waits for it, and a
# cached one is only checked. Never fails the run: a test that finds no input says why.
top=$(cd "$(dirname "$0")/.." && pwd)
# (the interpreter first and beside the roots: the sanitizer suite reaches t_freethreaded
# early, the roots are for make test's t_distro and t_rescue)
{ sh "$top/tests/ftpython.sh" 3.14 || sh "$top/tests/ftpython.sh" 3.13 ||
	echo "prefetch.sh: no free-threaded CPython (t_freethreaded says why)"; } &
sh "$top/tests/rootfs.sh" --all || echo "prefetch.sh: a root could not be built (the tests that need it say why)"
wait
exit 0
