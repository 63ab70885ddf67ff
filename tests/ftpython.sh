#!/bin/sh
# tests/ftpython.sh [X.Y]: prints the path of a free-threaded CPython X.Y (.../bin/pythonX.Yt;
# 3.14 unless told) for the tests (t_freethreaded), building it once when the cache of fetched
# test inputs lacks it.
#
# pyenv's own free-threaded build ($PYENV_ROOT/versions/X.Y*t*) is used when there is one.
# Else the source is Debian's pythonX.Y source package of sid, fetched with apt into a
# private apt state (the system's apt state and sources are only read, never changed) from a
# `deb-src MIRROR sid main` entry, MIRROR being what `SUITE=sid tests/rootfs.sh --mirror`
# prints; dpkg-source -x unpacks it, without Debian's patches, and it is built as upstream
# builds it: ./configure --disable-gil --prefix=DIR --without-ensurepip, make, make install.
# Debian's patches are left out because they are made for Debian's own builds, which have
# no free-threaded one: with them, site.py looks for a venv's packages in lib/python3.X
# rather than lib/python3.Xt, so no venv of the build (its own -m venv's too) sees its
# site-packages. The build is checked before it is kept: it runs without the GIL, and a
# venv it makes has its lib/python3.Xt/site-packages on sys.path.
#
# DIR is $CACHE/cpython-ft-VERSION-KEY: VERSION the Debian source version, KEY a hash of the
# configure options, the patches (none) and the machine; DIR.stamp is written last, so a build that was killed
# is never taken for a complete one (it is removed and built again). Once one is built it is
# reused without asking apt again (the newest complete one for these options);
# FTPYTHON_REFRESH=1 asks apt for sid's current version and builds it when it is new.
# One build at a time (flock on $CACHE/cpython-ft.lock). The build log is DIR.log.
# Exit status: 0 the path printed; 1 a build failed (log path on stderr); 2 it cannot be had
# here (reason on stderr): no apt or compiler, missing build dependencies and not root,
# no network or no such source package.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/venvbox-tests
OPTS="--disable-gil --without-ensurepip"
SERIES=${1:-3.14}
case $SERIES in 3.[0-9] | 3.[0-9][0-9]) ;; *) echo "usage: sh tests/ftpython.sh [3.Y]" >&2; exit 2 ;; esac

say() { printf 'ftpython.sh: %s\n' "$*" >&2; }
cannot() { say "$*"; exit 2; }
failed() { say "$*"; exit 1; }

# pyenv's build, when it has one
for d in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/$SERIES*t*; do
	[ -x "$d/bin/python${SERIES}t" ] && [ ! -e "$d/pyvenv.cfg" ] && { echo "$d/bin/python${SERIES}t"; exit 0; }
done

key=$(printf '%s\n' "$OPTS" "patches=none" "$(uname -m)" | sha256sum | cut -c 1-12)
apt=$CACHE/cpython-ft-apt
mkdir -p "$CACHE" || cannot "creating $CACHE: failed"

# complete: the newest complete build for these options, as a path; none: empty
complete() {
	best="" bestv=""
	for s in "$CACHE"/cpython-ft-"$SERIES".*-"$key".stamp; do
		[ -f "$s" ] || continue
		d=${s%.stamp}
		[ -x "$d/bin/python${SERIES}t" ] || continue
		v=${d#"$CACHE"/cpython-ft-}; v=${v%-"$key"}
		if [ -z "$bestv" ] || dpkg --compare-versions "$v" gt "$bestv"; then best=$d bestv=$v; fi
	done
	echo "$best"
}

if [ -z "${FTPYTHON_REFRESH:-}" ]; then
	d=$(complete)
	[ -n "$d" ] && { echo "$d/bin/python${SERIES}t"; exit 0; }
fi

# ---- what building needs
for c in apt-get apt-cache dpkg; do
	command -v "$c" >/dev/null 2>&1 || cannot "no $c here: the source comes from Debian's python$SERIES source package"
done
# dpkg-source, the tools and the libraries the interpreter needs to start, run -m venv and
# run pip (zlib for wheels, ssl and ffi for pip's imports), as Debian packages.
need="dpkg-dev gcc make pkg-config zlib1g-dev libssl-dev libffi-dev"
missing=""
for p in $need; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || cannot "missing build dependencies:$missing (not root: to install: sudo apt-get install --no-install-recommends$missing)"
	log=$CACHE/cpython-ft-deps.log
	say "installing$missing"
	# shellcheck disable=SC2086 # a list
	{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; } >"$log" 2>&1 ||
		cannot "installing$missing: apt-get failed (log: $log)"
fi

exec 9>"$CACHE/cpython-ft.lock"
command -v flock >/dev/null 2>&1 && flock 9
# another run may have built it while we waited
if [ -z "${FTPYTHON_REFRESH:-}" ]; then
	d=$(complete)
	[ -n "$d" ] && { echo "$d/bin/python${SERIES}t"; exit 0; }
fi

# ---- the source package, through a private apt state
mirror=$(SUITE=sid sh "$top/tests/rootfs.sh" --mirror) || cannot "no Debian mirror for sid in the apt sources"
apt_get() {
	"$@" -q -o Dir::State="$apt/state" -o Dir::State::status=/var/lib/dpkg/status \
		-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts="$apt/sources.list.d" \
		-o Dir::Cache="$apt/cache" -o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache=""
}
mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" ||
	cannot "creating $apt: failed"
echo "deb-src $mirror sid main" >"$apt/sources.list"
alog=$apt/log
apt_get apt-get update >"$alog" 2>&1 ||
	cannot "apt-get update of sid's sources from $mirror failed (no network?): $(grep -m 1 -e '^[EW]: ' -e '^Err' "$alog" | cut -c 1-300)"
# The versions apt knows, newest first (dpkg's ordering); a mirror may lack some of their
# files, so each is tried in turn until one downloads.
versions() {
	apt_get apt-cache showsrc "python$SERIES" 2>/dev/null | sed -n 's/^Version: *//p' | sort -u |
		while read -r v; do
			n=0
			for w in $(apt_get apt-cache showsrc "python$SERIES" 2>/dev/null | sed -n 's/^Version: *//p' | sort -u); do
				dpkg --compare-versions "$w" gt "$v" && n=$((n + 1))
			done
			echo "$n $v"
		done | sort -n | cut -d' ' -f2
}
list=$(versions)
[ -n "$list" ] || cannot "sid has no python$SERIES source package (at $mirror)"
tried=""
for ver in $list; do
	dir=$CACHE/cpython-ft-$ver-$key
	if [ -f "$dir.stamp" ] && [ -x "$dir/bin/python${SERIES}t" ]; then
		echo "$dir/bin/python${SERIES}t"
		exit 0
	fi
	log=$dir.log
	# anything left from a killed build goes first
	rm -rf "$dir" "$dir.stamp" "$dir.src" || failed "removing the partial build $dir: failed"
	mkdir -p "$dir.src" || failed "creating $dir.src: failed"
	if (cd "$dir.src" && apt_get apt-get source --download-only "python$SERIES=$ver") >"$log" 2>&1; then
		tried=""
		break
	fi
	why=$(grep -m 1 -e '^E: ' "$log" | cut -c 1-300)
	say "python$SERIES $ver's source package: download failed: $why; trying the next"
	tried="${tried:+$tried; }$ver: $why (log: $log)"
	rm -rf "$dir.src"
done
[ -z "$tried" ] || cannot "no version of python$SERIES's source package could be downloaded from $mirror: $tried"

# ---- the build
start=$(date +%s)
say "building the free-threaded CPython of Debian's python$SERIES $ver in $dir (log: $log)"
set -- "$dir.src"/python"$SERIES"_*.dsc
[ -f "$1" ] || failed "apt fetched no .dsc (log: $log)"
dpkg-source --require-strong-checksums --skip-patches -x "$1" "$dir.src/tree" >>"$log" 2>&1 ||
	failed "unpacking and verifying $1 with dpkg-source: failed (log: $log)"
(
	# a caller's make (make test) must not pass its flags down
	unset MAKEFLAGS MFLAGS MAKELEVEL
	cd "$dir.src/tree" &&
		echo "## ./configure $OPTS --prefix=$dir" &&
		# shellcheck disable=SC2086 # the options
		./configure $OPTS --prefix="$dir" &&
		make -j2 && make install
) >>"$log" 2>&1 || failed "building python$SERIES $ver: failed (log: $log)"
[ -x "$dir/bin/python${SERIES}t" ] || failed "make install made no $dir/bin/python${SERIES}t (log: $log)"
"$dir/bin/python${SERIES}t" -c 'import sys, sysconfig, venv, zlib
sys.exit(sys._is_gil_enabled() or not sysconfig.get_config_var("Py_GIL_DISABLED"))' >>"$log" 2>&1 ||
	failed "$dir/bin/python${SERIES}t does not run free-threaded with zlib and venv (log: $log)"
"$dir/bin/python${SERIES}t" -m venv --without-pip "$dir.src/venv" >>"$log" 2>&1 &&
	"$dir.src/venv/bin/python" -c 'import sys; sys.exit(sys.argv[1] not in sys.path)' \
		"$dir.src/venv/lib/python${SERIES}t/site-packages" >>"$log" 2>&1 ||
	failed "a venv of $dir/bin/python${SERIES}t has not its lib/python${SERIES}t/site-packages on sys.path (log: $log)"
rm -rf "$dir.src"
# the stamp goes last: the build is complete only once it exists
printf 'source=debian python%s %s (without its patches)\nconfigure=%s\nmirror=%s\nseconds=%s\n' "$SERIES" "$ver" "$OPTS" \
	"$mirror" "$(( $(date +%s) - start ))" >"$dir.stamp.tmp" && mv "$dir.stamp.tmp" "$dir.stamp" ||
	failed "writing $dir.stamp: failed"
say "built in $(( $(date +%s) - start ))s"
echo "$dir/bin/python${SERIES}t"
