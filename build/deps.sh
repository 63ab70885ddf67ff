# build/deps.sh [demo|layers|dist ARCH...]: checks the build tools (run by every make); installs
# missing ones as root, else says how. With "demo": also the python3 that the demo makes a venv
# for; with "layers": Graphviz, which draws the layer graph; with "dist ARCH": Debian's cross
# compiler for ARCH (make dist), and dpkg-source to unpack musl's source package.
set -u
cd "$(dirname "$0")/.." || { echo "deps.sh: cd to the repo top: failed" >&2; exit 1; }

cmds="" pkgs=""
need() { command -v "$1" >/dev/null 2>&1 || { cmds="$cmds $1" pkgs="$pkgs $2"; }; }
need musl-gcc musl-tools
need make make
[ "${1:-}" = demo ] && need python3 python3
[ "${1:-}" = layers ] && need dot graphviz
if [ "${1:-}" = dist ]; then
	shift
	for a; do	# (Debian names the package after the triplet, with x86-64 for x86_64)
		need "$a-linux-gnu-gcc" "gcc-$(echo "$a" | tr _ -)-linux-gnu"
	done
	need apt-get apt
	need dpkg-source dpkg-dev
fi
# Fetching zlib's source package needs apt; a given tarball or a cached download does not.
if [ -z "${ZLIB_SRC:-}" ] && [ ! -d build/out/zlib-src ]; then
	need apt-get apt
	need dpkg-source dpkg-dev
fi
[ -z "$cmds" ] && exit 0

install="apt-get install -y --no-install-recommends$pkgs"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: missing$cmds: no apt-get here: install them (Debian packages:$pkgs)," \
		"and set ZLIB_SRC=/path/to/zlib-1.3.1.tar.gz (from https://zlib.net/)" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing$cmds: run: sudo $install" >&2
	exit 1
fi
echo "deps.sh: installing$pkgs" >&2
log=$(mktemp) || exit 1
export DEBIAN_FRONTEND=noninteractive
# (another apt run, such as a test's in the background, is waited for, not failed on)
wait_lock="-o DPkg::Lock::Timeout=600"
if ! { apt-get $wait_lock update && $install $wait_lock; } >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "deps.sh: installing$pkgs: apt-get failed (log: $log)" >&2
	exit 1
fi
rm -f "$log"
for c in $cmds; do
	command -v "$c" >/dev/null 2>&1 || { echo "deps.sh: $c: still missing after installing$pkgs" >&2; exit 1; }
done
