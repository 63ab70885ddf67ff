# tests/setup.sh: installs what the test suite needs when missing (as root); otherwise lists it.
# Tests whose tools are still missing SKIP with the reason, so this never fails the run.
set -u

# Commands whose Debian package has the same name (ksh is ksh93).
cmds="bash dash zsh ksh mksh yash busybox fish tcsh hyperfine clang"
# Packages checked with dpkg: Debian's /usr/bin/python3, its venv and wheels in
# /usr/share/python-wheels, and libFuzzer's runtime for clang 14.
debs="python3 python3-venv python3-virtualenv python3-installer python3-pip-whl
	python3-setuptools-whl debootstrap libclang-rt-14-dev"

missing=""
for c in $cmds; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
# shellcheck disable=SC2086 # $debs is a list
have=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $debs 2>/dev/null |
	awk '$1 == "ii" { printf "%s ", $2 }')"
for p in $debs; do
	case $have in *" $p "*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "setup.sh: missing$missing: tests that need them will SKIP;" \
		"to install: sudo apt-get install --no-install-recommends$missing" >&2
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp) || exit 0
apt-get update >"$log" 2>&1 || echo "setup.sh: apt-get update: failed (log: $log)" >&2
# One package this release lacks must not stop the others.
pkgs=""
for p in $missing; do
	if apt-cache show "$p" >/dev/null 2>&1; then pkgs="$pkgs $p"; else
		echo "setup.sh: installing $p: not available from apt: tests that need it will SKIP" >&2; fi
done
[ -z "$pkgs" ] && exit 0
# shellcheck disable=SC2086 # $pkgs is a list
if apt-get install -y --no-install-recommends $pkgs >>"$log" 2>&1; then
	rm -f "$log"
else
	tail -n 20 "$log" >&2
	echo "setup.sh: installing$pkgs: apt-get failed (log: $log): tests that need them will SKIP" >&2
fi
exit 0
