#!/bin/sh
# tests/rootfs.sh: builds (once) and caches Debian roots made by debootstrap, for tests that
# run venvbox inside a chroot (t_rescue, t_distro).
#
#   sh tests/rootfs.sh KEY             prints the cached root's path; builds it first if absent
#   sh tests/rootfs.sh --all           builds (or finds) every root; a line for each
#   sh tests/rootfs.sh --mirror        prints the Debian mirror that would be used
#
# KEY is a line of tests/roots.txt, which gives its suite and packages (and an architecture).
# A root is `debootstrap --variant=minbase --include=PACKAGES $SUITE ROOT MIRROR`, or for
# another architecture than the machine's `mmdebstrap --variant=extract --arch=ARCH` of the
# packages and their dependencies: unpacked, no maintainer script run, so no emulator and no
# binfmt registration is needed to make it (t_arm64 runs its programs through qemu), kept in
# $ROOTS/SUITE-KEY ($ROOTS/KEY when KEY starts with its suite); ROOTS defaults to the cache of fetched test inputs
# (${XDG_CACHE_HOME:-~/.cache}/venvbox-tests/roots, outside the clone, so runs on one machine
# share it) and SUITE to this machine's own release. ROOT.stamp is written last, once the
# root is complete; a root without its stamp (an interrupted build), or whose stamp records
# other packages, is built again. The debootstrap output goes to ROOT.log.
# The mirror is the first `deb` URI in the machine's apt sources (sources.list, *.list and
# deb822 *.sources) that serves $SUITE from a Debian archive, else the one that serves this
# machine's own release (a Debian archive carries every suite: that is how a sid root is
# made on a stable machine); $VENVBOX_DEBIAN_MIRROR overrides it. debootstrap itself does
# not check a Release file's Valid-Until, so an old sid snapshot mirror works too.
# Exit status: 0 built or reused, 1 the build failed (log tail on stderr), 2 it cannot be
# built here (not root, no debootstrap, no mirror).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
ROOTS=${ROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/venvbox-tests/roots}
# shellcheck disable=SC1091 # the machine's own file
OWN=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
OWN=${OWN:-bookworm}
SUITE=${SUITE:-$OWN}

# The apt source files, in the order apt reads them.
source_files() {
	[ -f /etc/apt/sources.list ] && echo /etc/apt/sources.list
	for f in /etc/apt/sources.list.d/*; do
		case $f in *.list | *.sources) [ -f "$f" ] && echo "$f" ;; esac
	done
	return 0
}

# Candidate URIs, one per line: `deb` entries listing $SUITE itself (not SUITE-updates or
# SUITE-security), in file order.
candidates() {
	source_files | while read -r f; do
		case $f in
		*.sources)
			awk -v suite="$SUITE" '
			function flush(   n, a, k, ok) {
				if (tolower(enabled) != "no" && (" " types " ") ~ / deb /) {
					n = split(suites, a, /[ \t]+/); ok = 0
					for (k = 1; k <= n; k++) if (a[k] == suite || a[k] == suite "/") ok = 1
					if (ok) { n = split(uris, a, /[ \t]+/); for (k = 1; k <= n; k++) if (a[k] != "") print a[k] }
				}
				types = uris = suites = enabled = last = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[ \t]/ {	# a continuation line belongs to the field before it
				v = $0; gsub(/^[ \t]+|[ \t]+$/, "", v)
				if (last == "types") types = types " " v; else if (last == "uris") uris = uris " " v
				else if (last == "suites") suites = suites " " v
				next
			}
			{
				i = index($0, ":"); if (!i) next
				k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1); gsub(/^[ \t]+|[ \t]+$/, "", v)
				if (k == "types") types = v; else if (k == "uris") uris = v
				else if (k == "suites") suites = v; else if (k == "enabled") enabled = v
				last = k
			}
			END { flush() }' "$f"
			;;
		*)
			awk -v suite="$SUITE" '
			/^[ \t]*#/ { next }
			$1 == "deb" {
				i = 2
				if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }	# [ options ]
				if ($(i + 1) == suite || $(i + 1) == suite "/") print $i
			}' "$f"
			;;
		esac
	done
}

# The first candidate for suite $1 that is a Debian archive. apt's own copy of its Release file, when
# there is one, must say `Origin: Debian` (that leaves out third-party archives that reuse
# the codename); with no copy (apt lists cleaned), the entry is taken as it is.
mirror() {
	if [ -n "${VENVBOX_DEBIAN_MIRROR:-}" ]; then
		echo "$VENVBOX_DEBIAN_MIRROR"
		return 0
	fi
	{ archive "$SUITE"; [ "$SUITE" = "$OWN" ] || archive "$OWN"; } | head -n 1
}
archive() {
	SUITE=$1 candidates | while read -r uri; do
		case $uri in http://* | https://*) ;; *) continue ;; esac
		base=${uri#*://}
		base=$(printf '%s' "${base%/}" | tr / _)
		rel=""
		for r in "/var/lib/apt/lists/${base}_dists_${1}_InRelease" \
			"/var/lib/apt/lists/${base}_dists_${1}_Release"; do
			[ -f "$r" ] && rel=$r && break
		done
		if [ -z "$rel" ] || grep -q '^Origin: Debian$' "$rel"; then
			echo "$uri"
			break
		fi
	done
}

if [ "${1:-}" = --mirror ]; then
	m=$(mirror)
	[ -n "$m" ] || { echo "rootfs.sh: no deb source for a Debian $SUITE archive in /etc/apt" >&2; exit 2; }
	echo "$m"
	exit 0
fi

if [ "${1:-}" = --all ]; then
	rc=0
	for key in $(awk '!/^#/ && (NF == 3 || NF == 4) { print $1 }' "$top/tests/roots.txt"); do
		sh "$0" "$key" || rc=1
	done
	exit $rc
fi
[ $# -eq 1 ] || { echo "usage: rootfs.sh KEY | rootfs.sh --all | rootfs.sh --mirror" >&2; exit 2; }
line=$(awk -v k="$1" '!/^#/ && $1 == k && (NF == 3 || NF == 4)' "$top/tests/roots.txt")
[ -n "$line" ] || { echo "rootfs.sh: no root $1 in tests/roots.txt" >&2; exit 2; }
name=$1
set -- $line
s=$2 pkgs=$3 arch=${4:-}
[ "$s" = - ] || SUITE=$s
case $name in "$SUITE"-*) root=$ROOTS/$name ;; *) root=$ROOTS/$SUITE-$name ;; esac
stamp=$root.stamp log=$root.log
want="suite=$SUITE variant=minbase include=$pkgs"
[ -z "$arch" ] || [ "$arch" = "$(dpkg --print-architecture 2>/dev/null)" ] || want="suite=$SUITE arch=$arch variant=extract include=$pkgs"

[ "$(id -u)" = 0 ] || { echo "rootfs.sh: needs root for debootstrap" >&2; exit 2; }
tool=debootstrap
case $want in *variant=extract*) tool=mmdebstrap ;; esac
command -v $tool >/dev/null 2>&1 || { echo "rootfs.sh: $tool is not installed (tests/setup.sh installs it)" >&2; exit 2; }
mkdir -p "$ROOTS" || exit 1

# One builder at a time per root: another test run may be building the same one.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$root.lock"
	flock 9
fi

if [ -d "$root" ] && [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$want" ]; then
	echo "$root"
	exit 0
fi

# Remove a partial root (or one for other packages). debootstrap mounts /proc and /sys in the
# target while it works; if it was killed, those may still be mounted: unmount them first,
# and never let rm cross into another file system.
scrub() {
	[ -e "$1" ] || return 0
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r mp; do umount "$mp" 2>/dev/null || umount -l "$mp"; done
	if awk -v d="$1" '$5 == d || index($5, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
		echo "rootfs.sh: $1: something is still mounted inside; not removing it" >&2
		return 1
	fi
	rm -rf --one-file-system "$1"
}
rm -f "$stamp"
scrub "$root" && scrub "$root.new" || exit 1

m=$(mirror)
[ -n "$m" ] || { echo "rootfs.sh: no deb source for a Debian $SUITE archive in /etc/apt" >&2; exit 2; }

# a suite the mirror no longer serves (an old release moved to the archive) cannot be built
# here: said as such, not as a failed build
if command -v wget >/dev/null 2>&1 && ! wget -q -T 30 -t 2 --spider "${m%/}/dists/$SUITE/Release" 2>/dev/null &&
	! wget -q -T 30 -t 2 --spider "${m%/}/dists/$SUITE/InRelease" 2>/dev/null; then
	echo "rootfs.sh: $m does not serve $SUITE (no dists/$SUITE/Release)" >&2
	exit 2
fi
start=$(date +%s)
if [ $tool = mmdebstrap ]; then
	set -- mmdebstrap --variant=extract --arch="$arch" --include="$pkgs" "$SUITE" "$root.new" "$m"
else
	set -- debootstrap --variant=minbase --include="$pkgs" "$SUITE" "$root.new" "$m"
fi
{
	echo "# $(date -u '+%Y-%m-%dT%H:%M:%SZ') $*"
	"$@"
} >"$log" 2>&1
st=$?
if [ "$st" -ne 0 ]; then
	echo "rootfs.sh: $tool of $name ($pkgs from $m) failed with status $st; log: $log" >&2
	tail -n 25 "$log" >&2
	# keep the log (and the partial root under $root.new for inspection until the next run)
	exit 1
fi
# debootstrap unmounts what it mounted; check, since a cached root must be inert
if awk -v d="$root.new" '$5 == d || index($5, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
	echo "rootfs.sh: $root.new: debootstrap left file systems mounted" >&2
	exit 1
fi
mv "$root.new" "$root" || exit 1
# the stamp goes last: a root is complete only once it exists
printf '%s\nmirror=%s\nbuilt=%s seconds=%s\n' "$want" "$m" "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" \
	"$(( $(date +%s) - start ))" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp" || exit 1
echo "$root"
