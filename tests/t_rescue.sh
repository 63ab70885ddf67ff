# t_rescue.sh: the rescue scenario (SPEC §0, §2.3) end to end, in two roots of this machine's
# Debian release made by debootstrap (cached by tests/rootfs.sh):
#   py3     --include=python3          full standard library, but no python3-venv, so
#                                      `python3 -m venv` fails for want of ensurepip
#   py3min  --include=python3-minimal  no venv module at all
# Into a throwaway copy of each root go only the venvbox binary and one pip wheel (plus, for
# py3, a small test wheel); everything then runs under chroot with a clean environment and
# no /proc, as in a bare rescue chroot. Nothing is mounted; the cached roots stay untouched.
. "$TESTS/lib.sh"
need_chroot || exit 0
S=$SCRATCH
PIPWHL=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | tail -n 1)
[ -n "$PIPWHL" ] || { skip all "needs a pip wheel in /usr/share/python-wheels (python3-pip-whl)"; exit 0; }
PIPBASE=${PIPWHL##*/}

# The copies live in $S, on the same file system as the cache, as hard-linked trees: cheap,
# and safe because nothing run inside rewrites an existing file in place (new files, links
# and Python's atomic .pyc writes all make new inodes). The cached tree is checked against its
# stamp at the end to prove it.
COPIES=""
cleanup() {
	for r in $COPIES; do
		# only ever our own copy, and never across a mount point
		if ! awk -v d="$r" '$5 == d || index($5, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
			rm -rf --one-file-system "$r"
		fi
	done
}
trap cleanup EXIT

# prepare NAME: the cached root NAME of tests/roots.txt (built on first use) copied to
# $S/NAME; sets R, CACHE
prepare() {
	R="" CACHE=""
	CACHE=$(sh "$TESTS/rootfs.sh" "$1" 2>"$S/$1.rootfs.err")
	case $? in
	0) ;;
	2) skip "$1" "cannot build the root: $(cat "$S/$1.rootfs.err")"; return 1 ;;
	*) fail "$1/debootstrap" "$(tail -c 1500 "$S/$1.rootfs.err")"; return 1 ;;
	esac
	pass "$1/root"
	R=$S/$1
	COPIES="$COPIES $R"
	# (hard links where the cache shares our file system, else a copy)
	if ! cp -al "$CACHE" "$R" 2>/dev/null && ! { rm -rf --one-file-system "$R"; cp -a "$CACHE" "$R" 2>"$S/$1.cp.err"; }; then
		fail "$1/copy" "$(head -c 600 "$S/$1.cp.err")"
		return 1
	fi
	cp "$VENVBOX" "$R/root/venvbox" && cp "$PIPWHL" "$R/root/$PIPBASE" || { fail "$1/copy" "cp into the root failed"; return 1; }
}

# inroot ROOT CMD...: CMD in the root, clean environment, from /root
inroot() {
	_r=$1; shift
	chroot "$_r" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root \
		/bin/sh -c 'cd /root && exec "$@"' sh "$@"
}
# run ROOT CMD...: inroot, stdout to $S/out, stderr to $S/err; returns CMD's status
run() {
	inroot "$@" >"$S/out" 2>"$S/err"
}
outerr() { head -c 700 "$S/out"; head -c 700 "$S/err"; }
# unimplemented APPLET NAME: skips NAME when the last run said APPLET is not written yet
unimplemented() {
	grep -q "^$1: not implemented yet" "$S/err" && skip "$2" "$1 is not implemented yet"
}

# install_links NAME: `venvbox --install -s /usr/local/bin` in the root, the way the SPEC's
# Dockerfile line does it. A rescue chroot has no /proc; should --install fail there, the
# links are made by hand so the rest of the scenario still runs.
install_links() {
	if run "$R" /root/venvbox --install -s /usr/local/bin &&
		[ "$(readlink "$R/usr/local/bin/mkvenv")" = /root/venvbox ]; then
		pass "$1/install"
	else
		fail "$1/install" "venvbox --install -s /usr/local/bin in a chroot without /proc: exit $?: $(outerr)"
		for a in activate deactivate mkvenv venvinfo; do
			ln -sfn /root/venvbox "$R/usr/local/bin/$a"
		done
	fi
	run "$R" mkvenv --version && pass "$1/mkvenv-runs" || fail "$1/mkvenv-runs" "$(outerr)"
}

# no_pip_warning NAME: $S/err holds the warning that no pip wheel was found, naming the
# places searched and the ways to supply one
no_pip_warning() {
	_e=$(cat "$S/err")
	case $_e in
	*"no pip wheel"*) ;;
	*) fail "$1" "no warning about the missing pip wheel: [$_e]"; return ;;
	esac
	for w in /usr/share/python-wheels ensurepip/_bundled --wheel --find-links MKVENV_WHEEL_DIR; do
		case $_e in *"$w"*) ;; *) fail "$1" "the warning does not mention $w: [$_e]"; return ;; esac
	done
	pass "$1"
}

# prefix_is NAME VENV: the venv's python reports VENV as sys.prefix
prefix_is() {
	if run "$R" "$2/bin/python" -c 'import sys; print(sys.prefix)'; then
		same "$1" "$2" "$(cat "$S/out")"
	else
		fail "$1" "$(outerr)"
	fi
}

# finish NAME: nothing left running in the root or mounted in it; the cache unchanged
finish() {
	left=""
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] && left="$left ${p#/proc/}"
	done
	[ -z "$left" ] && pass "$1/no-process-left" || fail "$1/no-process-left" "still running in $R:$left"
	if awk -v d="$R" '$5 == d || index($5, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
		fail "$1/nothing-mounted" "$(awk -v d="$R" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo)"
	else
		pass "$1/nothing-mounted"
	fi
	changed=$(find "$CACHE" -newer "$CACHE.stamp" -print 2>/dev/null | head -n 5)
	if [ -z "$changed" ]; then
		pass "$1/cache-untouched"
	else
		rm -f "$CACHE.stamp"	# built again on the next run
		fail "$1/cache-untouched" "the cached root was modified (it will be rebuilt): $changed"
	fi
}

HELLO=$(hello_wheel "$S/wheels") || HELLO=""

# ---- python3 without python3-venv --------------------------------------------------------
# Debian's pip reads the system CA bundle when it imports requests (python3-pip depends on
# ca-certificates for that; the wheel alone cannot): a root with python3 has it too.
if prepare py3; then
	# the scenario itself: venv is there, ensurepip and Debian's wheels are not
	if run "$R" python3 -m venv /root/sanity; then
		fail py3/python-m-venv-fails "python3 -m venv succeeded: the root is not the rescue scenario"
	else
		case $(cat "$S/out" "$S/err") in
		*ensurepip*) pass py3/python-m-venv-fails ;;
		*) fail py3/python-m-venv-fails "failed, but not for want of ensurepip: $(outerr)" ;;
		esac
	fi
	rm -rf "$R/root/sanity"
	minor=$(ls -d "$R"/usr/lib/python3.[0-9]* | sed -n 's|.*/python3\.\([0-9]*\)$|\1|p' | sort -n | tail -n 1)
	if [ -n "$(ls -d "$R"/usr/lib/python3*/ensurepip "$R"/usr/share/python-wheels 2>/dev/null)" ]; then
		fail py3/no-wheels "the root has ensurepip or /usr/share/python-wheels"
	else
		pass py3/no-wheels
	fi

	install_links py3

	# no wheel anywhere: created all the same, with a warning saying how to supply one
	if run "$R" mkvenv /root/nopip; then
		pass py3/nopip-created
		no_pip_warning py3/nopip-warning
		[ -x "$R/root/nopip/bin/python" ] && [ ! -e "$R/root/nopip/bin/pip" ] &&
			pass py3/nopip-tree || fail py3/nopip-tree "$(ls "$R/root/nopip/bin")"
		prefix_is py3/nopip-prefix /root/nopip
	else
		fail py3/nopip-created "exit $?: $(outerr)"
	fi

	# the wheel copied in beside venvbox
	if run "$R" mkvenv --find-links /root .venv; then
		pass py3/find-links
		case $(cat "$S/err") in
		*"no pip wheel"*) fail py3/find-links-quiet "warned although a pip wheel was given: $(cat "$S/err")" ;;
		*) pass py3/find-links-quiet ;;
		esac
		if run "$R" /root/.venv/bin/pip --version --disable-pip-version-check; then
			case $(cat "$S/out") in
			*"from /root/.venv/lib/python3.$minor/site-packages/pip "*) pass py3/pip-version ;;
			*) fail py3/pip-version "$(outerr)" ;;
			esac
		else
			fail py3/pip-version "exit $?: $(outerr)"
		fi
		prefix_is py3/venv-prefix /root/.venv
		if [ -n "$HELLO" ]; then
			cp "$HELLO" "$R/root/"
			if run "$R" /root/.venv/bin/pip install -q --no-index --disable-pip-version-check \
				/root/hello-1.0-py3-none-any.whl; then
				pass py3/pip-install
				run "$R" /root/.venv/bin/hello
				same py3/console-script "hello from the wheel" "$(cat "$S/out" "$S/err")"
				run "$R" /root/.venv/bin/pip list --disable-pip-version-check
				grep -q '^hello  *1\.0' "$S/out" && pass py3/pip-list || fail py3/pip-list "$(outerr)"
			else
				fail py3/pip-install "exit $?: $(outerr)"
			fi
		else
			skip py3/pip-install "no /usr/bin/python3 on the host to build the test wheel"
		fi
		# the other applets, inside the root
		if run "$R" venvinfo --check /root/.venv; then
			pass py3/venvinfo-check
		else
			unimplemented venvinfo py3/venvinfo-check || fail py3/venvinfo-check "$(outerr)"
		fi
		if run "$R" activate /root/.venv -- python -c 'import sys; print(sys.prefix)'; then
			same py3/activate-run /root/.venv "$(cat "$S/out" "$S/err")"
		else
			unimplemented activate py3/activate-run || fail py3/activate-run "$(outerr)"
		fi
	else
		fail py3/find-links "exit $?: $(outerr)"
	fi

	# -w names the wheel itself
	if run "$R" mkvenv -w "/root/$PIPBASE" /root/w; then
		grep -q "pip will not run" "$S/err" && fail py3/wheel-no-stdlib-warning "$(cat "$S/err")" || pass py3/wheel-no-stdlib-warning
		run "$R" /root/w/bin/python -m pip --version --disable-pip-version-check &&
			pass py3/wheel-option || fail py3/wheel-option "pip does not run: $(outerr)"
	else
		fail py3/wheel-option "exit $?: $(outerr)"
	fi
	finish py3
fi

# ---- python3-minimal: no venv module -----------------------------------------------------
if prepare py3min; then
	if run "$R" python3 -m venv /root/sanity; then
		fail py3min/python-m-venv-fails "python3 -m venv succeeded: the root is not the rescue scenario"
	else
		case $(cat "$S/out" "$S/err") in
		*"No module named venv"*) pass py3min/python-m-venv-fails ;;
		*) fail py3min/python-m-venv-fails "failed, but not with \"No module named venv\": $(outerr)" ;;
		esac
	fi
	rm -rf "$R/root/sanity"

	install_links py3min

	if run "$R" mkvenv --without-pip .venv; then
		pass py3min/without-pip
		grep -qi warning "$S/err" && fail py3min/without-pip-no-warning "$(cat "$S/err")" || pass py3min/without-pip-no-warning
		prefix_is py3min/prefix /root/.venv
		[ -x "$R/root/.venv/bin/python" ] && [ ! -e "$R/root/.venv/bin/pip" ] &&
			pass py3min/tree || fail py3min/tree "$(ls "$R/root/.venv/bin")"
	else
		fail py3min/without-pip "exit $?: $(outerr)"
	fi

	# no wheel: created, with the warning
	if run "$R" mkvenv .venv3; then
		pass py3min/nopip-created
		no_pip_warning py3min/nopip-warning
		prefix_is py3min/nopip-prefix /root/.venv3
	else
		fail py3min/nopip-created "exit $?: $(outerr)"
	fi

	# a wheel given: seeding is a file operation and must succeed; pip itself cannot run
	# here, and the warning says why and what to install
	if run "$R" mkvenv -w "/root/$PIPBASE" .venv2; then
		pass py3min/wheel-seeded
		case $(cat "$S/err") in
		*"warning: pip will not run: the standard library of Python 3."*"lacks shutil"*"pprint"*"apt-get install python3"*)
			pass py3min/stdlib-warning ;;
		*) fail py3min/stdlib-warning "[$(cat "$S/err")]" ;;
		esac
		run "$R" /root/.venv2/bin/pip --version && fail py3min/pip-cannot-run "pip runs: the warning is wrong" ||
			pass py3min/pip-cannot-run
		sp=$(ls -d "$R"/root/.venv2/lib/python3*/site-packages 2>/dev/null | head -n 1)
		[ -x "$R/root/.venv2/bin/pip" ] && [ -f "$sp/pip/__init__.py" ] && ls -d "$sp"/pip-*.dist-info >/dev/null 2>&1 &&
			pass py3min/wheel-files || fail py3min/wheel-files "$(ls "$R/root/.venv2/bin" "$sp" 2>&1)"
	else
		fail py3min/wheel-seeded "exit $?: $(outerr)"
	fi
	finish py3min
fi
