# tests/setup.sh: installs what the test suite needs when missing (as root); otherwise lists it.
# Then makes the tools venv (build/out/tools) from PyPI: tests/tools.txt and tests/seed-wheels.txt,
# pinned and hashed. Tests whose tools are still missing SKIP with the reason, so this never
# fails the run. Works on Debian 12 and 13: nothing here names a Python or clang version.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/out
mkdir -p "$out" || exit 0

# Commands whose Debian package has the same name (ksh is ksh93).
cmds="bash dash zsh ksh mksh yash busybox fish tcsh clang setpriv gnuplot mkfs.xfs filefrag"
# Packages checked with dpkg: Debian's /usr/bin/python3, its venv and wheels in
# /usr/share/python-wheels, Debian's own virtualenv and installer, its PyPy, debootstrap, and
# mmdebstrap (the arm64 root of tests/roots.txt).
debs="python3 python3-venv python3-virtualenv python3-installer python3-pip-whl
	python3-setuptools-whl pypy3 pypy3-venv debootstrap mmdebstrap"

# missing_debs PKG...: the packages of the list that are not installed
missing_debs() {
	# shellcheck disable=SC2068 # a list
	_have=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $@ 2>/dev/null |
		awk '$1 == "ii" { printf "%s ", $2 }')"
	for _p; do
		case $_have in *" $_p "*) ;; *) printf ' %s' "$_p" ;; esac
	done
}
# pkg_of CMD: the Debian package that brings CMD, where it is not named after it
pkg_of() {
	case $1 in setpriv) echo util-linux ;; gnuplot) echo gnuplot-nox ;; mkfs.xfs) echo xfsprogs ;;
	filefrag) echo e2fsprogs ;; *) echo "$1" ;; esac
}

# apt_install PKG...: installs what apt has, one missing package not stopping the others
apt_install() {
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "setup.sh: missing$*: tests that need them will SKIP;" \
			"to install: sudo apt-get install --no-install-recommends$*" >&2
		return 0
	fi
	export DEBIAN_FRONTEND=noninteractive
	log=$(mktemp) || return 0
	if [ -z "${updated:-}" ]; then
		apt-get update >"$log" 2>&1 || echo "setup.sh: apt-get update: failed (log: $log)" >&2
		updated=1
	fi
	pkgs=""
	for p; do
		if apt-cache show "$p" >/dev/null 2>&1; then pkgs="$pkgs $p"; else
			echo "setup.sh: installing $p: not available from apt: tests that need it will SKIP" >&2; fi
	done
	[ -z "$pkgs" ] && return 0
	# shellcheck disable=SC2086 # $pkgs is a list
	if apt-get install -y --no-install-recommends $pkgs >>"$log" 2>&1; then
		rm -f "$log"
	else
		tail -n 20 "$log" >&2
		echo "setup.sh: installing$pkgs: apt-get failed (log: $log): tests that need them will SKIP" >&2
	fi
}

missing=""
for c in $cmds; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $(pkg_of "$c")"
done
# shellcheck disable=SC2086 # $debs is a list
missing="$missing$(missing_debs $debs)"
[ -z "$missing" ] || apt_install $missing
# The emulator of t_arm64, copied into the arm64 root, so statically linked: Debian 12's
# qemu-user-static, else qemu-user (static itself from Debian 13 on).
if ! command -v qemu-aarch64-static >/dev/null 2>&1 && ! command -v qemu-aarch64 >/dev/null 2>&1; then
	apt_install qemu-user-static
	command -v qemu-aarch64-static >/dev/null 2>&1 || apt_install qemu-user
fi
# libFuzzer's runtime belongs to clang's major version (14 on Debian 12, 19 on Debian 13).
if command -v clang >/dev/null 2>&1; then
	rt="libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
	[ -z "$(missing_debs "$rt")" ] || apt_install "$rt"
fi

# ---- the tools venv: made once per requirements, interpreter and CPU, kept in the cache of
# fetched test inputs and linked as build/out/tools. A complete one has .complete; when it
# cannot be made, build/out/tools.skip holds the one-line reason the tests report.
tools_venv() {
	py=/usr/bin/python3
	skipfile=$out/tools.skip
	rm -f "$skipfile"
	why=""
	if ! [ -x "$py" ] || ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
		why="no Debian python3 with venv and ensurepip (python3-venv)"
	elif ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
		why="Debian's python3 is older than 3.11, which tests/tools.txt needs"
	fi
	if [ -z "$why" ]; then
		key=$({ cat "$top/tests/tools.txt" "$top/tests/seed-wheels.txt" "$top/tests/seed-wheels-old.txt"; "$py" -VV; uname -m; } |
			sha256sum | cut -c 1-16)
		cache=${XDG_CACHE_HOME:-$HOME/.cache}/venvbox-tests/tools-$key
		mkdir -p "${cache%/*}" || why="creating ${cache%/*}: failed"
	fi
	if [ -z "$why" ]; then
		exec 8>"$cache.lock"
		command -v flock >/dev/null 2>&1 && flock 8
		if [ ! -f "$cache/.complete" ]; then
			rm -rf "$cache"
			log=$out/tools.log
			{
				"$py" -m venv "$cache" &&
					"$cache/bin/python" -m pip install -q --disable-pip-version-check --retries 2 \
						--timeout 30 --only-binary :all: --require-hashes -r "$top/tests/tools.txt" &&
					"$cache/bin/python" -m pip download -q --disable-pip-version-check --retries 2 \
						--timeout 30 --only-binary :all: --no-deps --require-hashes \
						-r "$top/tests/seed-wheels.txt" -d "$cache/wheels" &&
					"$cache/bin/python" -m pip download -q --disable-pip-version-check --retries 2 \
						--timeout 30 --only-binary :all: --no-deps --require-hashes --python-version 3.9 \
						-r "$top/tests/seed-wheels-old.txt" -d "$cache/wheels-old" &&
					"$cache/bin/python" -c 'import installer, virtualenv' && "$cache/bin/uv" --version
			} >"$log" 2>&1 && : >"$cache/.complete"
			if [ ! -f "$cache/.complete" ]; then
				r=$(grep -m 1 -E '^(ERROR|error):' "$log" | cut -c 1-160)
				why="making it from PyPI failed (${r:-see $log})"
				rm -rf "$cache"
			fi
		fi
		exec 8>&-
	fi
	if [ -n "$why" ]; then
		rm -f "$out/tools"
		echo "the tools venv (tests/tools.txt): $why" >"$skipfile"
		echo "setup.sh: the tools venv (tests/tools.txt): $why: tests that need installer, virtualenv, uv or the current pip will SKIP" >&2
		return 0
	fi
	ln -sfn "$cache" "$out/tools.new" && mv -T "$out/tools.new" "$out/tools"
}
tools_venv

# ---- the corpus (tests/corpus.txt): real wheels for tests/t_corpus.sh, downloaded once per
# list and CPU by the tools venv's pip into the cache, linked as build/out/corpus. Complete
# when .complete is there; no network: build/out/corpus.skip says why and the test SKIPs; a
# wheel whose hash differs: build/out/corpus.error says which and the test FAILs.
# corpus_flags TARGET...: the pip download options of a `# target:` line (tests/corpus.txt)
corpus_flags() {
	case $1 in
	host) ;;
	cp[0-9]*)
		_v=${1#cp}
		printf -- '--implementation cp --python-version %s.%s --abi %s --abi abi3 --abi none' \
			"${_v%"${_v#?}"}" "${_v#?}" "$1"
		case $2 in
		manylinux_x86_64)
			_i=36
			while [ $_i -ge 5 ]; do printf ' --platform manylinux_2_%s_x86_64' $_i; _i=$((_i - 1)); done
			printf ' --platform manylinux2014_x86_64 --platform manylinux2010_x86_64 --platform manylinux1_x86_64' ;;
		*) printf ' --platform %s' "$2" ;;
		esac ;;
	esac
	case " $* " in *" refused "*) printf ' --ignore-requires-python' ;; esac
}
corpus() {
	list=$top/tests/corpus.txt
	rm -f "$out/corpus.skip" "$out/corpus.error"
	if [ ! -f "$out/tools/.complete" ]; then
		rm -f "$out/corpus"
		echo "the corpus: no tools venv to download it with ($(cat "$out/tools.skip" 2>/dev/null))" >"$out/corpus.skip"
		return 0
	fi
	key=$({ cat "$list"; uname -m; } | sha256sum | cut -c 1-16)
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/venvbox-tests/corpus-$key
	exec 8>"$cache.lock"
	command -v flock >/dev/null 2>&1 && flock 8
	if [ ! -f "$cache/.complete" ]; then
		# what an interrupted download left is kept: pip checks each file's hash again
		mkdir -p "$cache/sections" && log=$out/corpus.log && : >"$log"
		ok=1 n=0
		# one requirements file per section, then one pip run each
		awk -v d="$cache/sections" '/^# target: / { n++; f = sprintf("%s/%02d.txt", d, n); print > f; next }
			n && /^[^#]/ { print > f }' "$list"
		for s in "$cache"/sections/*.txt; do
			n=$((n + 1))
			# shellcheck disable=SC2046 # the options are words
			"$out/tools/bin/python" -m pip download -q --disable-pip-version-check --retries 2 --timeout 30 \
				--no-deps --only-binary=:all: --require-hashes -d "$cache/wheels" \
				$(corpus_flags $(sed -n '1s/^# target: //p' "$s")) -r "$s" >>"$log" 2>&1 || { ok=0; break; }
		done
		if [ $ok = 1 ]; then
			: >"$cache/.complete"
		elif grep -q 'DO NOT MATCH THE HASHES' "$log"; then
			echo "the corpus: a wheel's sha256 is not the one tests/corpus.txt pins: $(grep -m 1 -A 3 'DO NOT MATCH' "$log" | grep -m 1 -i -e expected -e '\.whl' | sed 's/^ *//' | cut -c 1-200) (log: $log)" >"$out/corpus.error"
		else
			r=$(grep -m 1 -E '^(ERROR|error):' "$log" | cut -c 1-160)
			echo "the corpus (tests/corpus.txt): downloading section $n failed (${r:-see $log})" >"$out/corpus.skip"
		fi
	fi
	exec 8>&-
	if [ ! -f "$cache/.complete" ]; then
		rm -f "$out/corpus"
		echo "setup.sh: $(cat "$out/corpus.error" "$out/corpus.skip" 2>/dev/null): t_corpus will say so" >&2
		return 0
	fi
	ln -sfn "$cache" "$out/corpus.new" && mv -T "$out/corpus.new" "$out/corpus"
}
corpus
exit 0
