#!/bin/sh
# tests/prefetch.sh: builds the heavy test inputs ahead of the tests that need them — every
# debootstrap root of tests/roots.txt — so that .ci/run can make them in the background
# while the first suite runs (mostly network and disk, while the tests are mostly CPU). Each
# builder takes its input's lock, so a test that needs one meanwhile waits for it, and a
# cached one is only checked. Never fails the run: a test that finds no input says why.
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/tests/rootfs.sh" --all || echo "prefetch.sh: a root could not be built (the tests that need it say why)"
exit 0
