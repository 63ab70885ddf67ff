# t_distro.sh: mkvenv against Debian's own interpreters' `X -m venv`, in debootstrap roots
# of bullseye, trixie and sid (cached by tests/rootfs.sh) whose Python versions change over time:
# every python3.X, debug python3.Xd, python3.X-pie and pypy3.X found in a root's /usr/bin
# is compared, none named here; each one's version is read from its files, never by running
# it. Both venvs are made inside the root (the static binary copied in, a clean environment,
# so the C locale), and compared as t_mkvenv_diff does: the tree (names, types, modes, link
# targets), pyvenv.cfg (but `command` and our own key), and sys, site and sysconfig seen
# from inside, with the venv's path normalised; with the locale variants that decide 3.14's
# alias. Then each is seeded with pip (Debian's python3-pip-whl) as its own venv seeds it:
# the same top level and distributions, pip driven (install --no-index, uninstall), and the
# wheel tags venvbox accepts compared with the ones that pip lists (t_tags_pip's way).
. "$TESTS/lib.sh"
need_chroot || exit 0
S=$SCRATCH
TAGCHECK=${TAGCHECK:-${VENVBOX%/*}/tagcheck}
HELLO=$(hello_wheel "$S/wheels")

R=$S/root
cleanup() {
	if ! awk -v d="$R" '$5 == d || index($5, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
		rm -rf --one-file-system "$R"
	fi
}
trap cleanup EXIT

# use_root SUITE: the cached root SUITE-py of tests/roots.txt, copied to $R with venvbox in
# it; 1 (said) when it cannot be had
use_root() {
	cleanup
	CACHE=$(sh "$TESTS/rootfs.sh" "$1-py" 2>"$S/rootfs.err")
	case $? in
	0) ;;
	2) skip "$1" "cannot build the $1 root: $(cat "$S/rootfs.err")"; return 1 ;;
	*) fail "$1/debootstrap" "$(tail -c 1500 "$S/rootfs.err")"; return 1 ;;
	esac
	# (hard links where the cache shares our file system, else a copy; nothing run inside
	# rewrites an existing file in place)
	if ! cp -al "$CACHE" "$R" 2>/dev/null && ! { rm -rf --one-file-system "$R"; cp -a "$CACHE" "$R" 2>"$S/cp.err"; }; then
		fail "$1/copy" "$(head -c 600 "$S/cp.err")"
		return 1
	fi
	cp "$VENVBOX" "$R/usr/local/bin/venvbox" && ln -s venvbox "$R/usr/local/bin/mkvenv" &&
		cp "$TAGCHECK" "$R/usr/local/bin/tagcheck" && cp "$HELLO" "$R/root/" ||
		{ fail "$1/copy" "cp into the root failed"; return 1; }
}

# inroot [VAR=VALUE...] CMD...: CMD in the root, clean environment plus the VARs, from /root
inroot() {
	chroot "$R" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root \
		/bin/sh -c 'cd /root && exec env "$@"' sh "$@"
}

# quiet CMD...: CMD's output, and its errors only when it fails (PyPy warns on stderr in a
# root without /proc)
quiet() { "$@" 2>"$S/quiet.err" || { cat "$S/quiet.err"; return 1; }; }

# compare NAME PY [VAR=VALUE...] -- OPTS...: /root/ref-NAME by PY -m venv, /root/vb-NAME by mkvenv
compare() {
	name=$1 py=$2; shift 2
	envs=""
	while [ "$1" != -- ]; do envs="$envs $1"; shift; done
	shift
	ref=/root/ref-${name##*/} vb=/root/vb-${name##*/}
	# shellcheck disable=SC2086 # the VAR=VALUE words
	if ! inroot $envs "$py" -m venv --without-pip "$@" "$ref" >"$S/ref.err" 2>&1; then
		fail "$name/ref" "$py -m venv failed: $(head -c 600 "$S/ref.err")"
		return
	fi
	# shellcheck disable=SC2086
	if ! inroot $envs mkvenv -q --without-pip -p "$py" "$@" "$vb" >"$S/vb.err" 2>&1; then
		fail "$name/mkvenv" "mkvenv failed: $(head -c 600 "$S/vb.err")"
		return
	fi
	tree "$R$ref" >"$S/ref.tree"
	# (.gitignore: venvbox writes it for every version, as 3.13's venv does; README)
	tree "$R$vb" | { grep -q '^f [0-7]* \./\.gitignore -> $' "$S/ref.tree" && cat || grep -v ' \./\.gitignore -> $'; } >"$S/vb.tree"
	same_files "$name/tree" "$S/ref.tree" "$S/vb.tree"
	grep -v -e '^command = ' -e '^venvbox = ' "$R$ref/pyvenv.cfg" >"$S/ref.cfg"
	grep -v -e '^command = ' -e '^venvbox = ' "$R$vb/pyvenv.cfg" >"$S/vb.cfg"
	same_files "$name/pyvenv.cfg" "$S/ref.cfg" "$S/vb.cfg"
	same_inside "$name" "$ref" "$vb" inroot
}

# version NAME X: -v says what the interpreter itself reports, read from its files
version() {
	want=$(inroot "/usr/bin/$2" -c 'import sys; print("%sPython %d.%d.%d%s" % (("PyPy, " if sys.implementation.name == "pypy" else "",) + sys.version_info[:3] + ((", ABI flags " + sys.abiflags) if getattr(sys, "abiflags", "") else "",)))')
	inroot mkvenv -v --without-pip -p "/usr/bin/$2" "/root/v-$2" >"$S/v.err" 2>&1
	case $(head -n 1 "$S/v.err") in
	"mkvenv: $want at /usr/bin/$2 "*"; version from "*) pass "$1/version" ;;
	*) fail "$1/version" "wanted [$want], from its files: $(head -c 600 "$S/v.err")" ;;
	esac
	grep -q 'running it' "$S/v.err" && fail "$1/not-run" "the interpreter was executed" || pass "$1/not-run"
}

# seeded NAME X: /root/rs-X by X -m venv (pip from the system's wheels), /root/vs-X by mkvenv
seeded() {
	ref=/root/rs-$2 vb=/root/vs-$2
	if ! inroot "/usr/bin/$2" -m venv "$ref" >"$S/ref.err" 2>&1; then
		fail "$1/seeded-ref" "$(head -c 600 "$S/ref.err")"
		return
	fi
	if ! inroot mkvenv -q -p "/usr/bin/$2" "$vb" >"$S/vb.err" 2>&1; then
		fail "$1/seeded" "$(head -c 600 "$S/vb.err")"
		return
	fi
	same "$1/seeded-top" "$(ls "$R$ref")" "$(ls "$R$vb")"
	if [ -d "$R$ref/share" ]; then	# Debian's ensurepip that copies the system's wheels
		tree "$R$ref/share" >"$S/ref.share"
		tree "$R$vb/share" >"$S/vb.share" 2>&1
		same_files "$1/share" "$S/ref.share" "$S/vb.share"
		for w in "$R$ref"/share/python-wheels/*; do
			cmp -s "$w" "$R$vb/share/python-wheels/${w##*/}" || fail "$1/share-bytes" "${w##*/} differs"
		done
		pass "$1/share-bytes"
	fi
	inroot "$ref/bin/python" -m pip list --format=freeze >"$S/ref.list" 2>&1
	inroot "$vb/bin/python" -m pip list --format=freeze >"$S/vb.list" 2>&1
	same_files "$1/seeded-distributions" "$S/ref.list" "$S/vb.list"
	# venvinfo: healthy, and the distributions pip shows, as pip shows them
	check "$1/venvinfo-check" inroot venvbox venvinfo --check "$vb"
	# its base version read as mkvenv reads it (build-details.json first), never by running it
	bv=$(echo "$want" | sed 's/^\(PyPy, \)\{0,1\}Python \([0-9.]*\).*/\2/')
	case $want in *"ABI flags "*t*) bv=${bv}t ;; esac
	same "$1/venvinfo-base" "\"base_version\": \"$bv\"," "$(inroot venvbox venvinfo --json "$vb" | grep -o '"base_version": [^,]*,')"
	# (pip before 21.3 shows names as pkg_resources' safe_name does: - for _)
	inroot "$vb/bin/python" -m pip list 2>/dev/null | tr _ - >"$S/pip.list"
	inroot venvbox venvinfo --list "$vb" 2>&1 | tr _ - >"$S/vi.list"
	same_files "$1/venvinfo-list" "$S/pip.list" "$S/vi.list"
	check "$1/pip-install" inroot "$vb/bin/pip" install -q --no-index "/root/${HELLO##*/}"
	same "$1/hello" "hello from the wheel" "$(quiet inroot "$vb/bin/hello")"
	check "$1/pip-uninstall" inroot "$vb/bin/pip" uninstall -q -y hello
	tags_vs_pip "$1" "/usr/bin/$2" "$vb" tagcheck inroot
}

# run_root SUITE: every interpreter of the root in $R
run_root() {
	suite=$1 n=0
	for f in "$R"/usr/bin/python3.* "$R"/usr/bin/pypy3.*; do
		[ -e "$f" ] || continue
		x=${f##*/}
		case $x in
		pypy3.*) v=${x#pypy3.}; case $v in "" | *[!0-9]*) continue ;; esac ;;
		*) v=${x#python3.}; case ${v%-pie} in "" | d* | *[!0-9d]* | *d?*) continue ;; esac ;;	# python3.X[d][-pie] only
		esac
		n=$((n + 1))
		version "$suite/$x" "$x"
		case $v in	# -p 3.Xd: the debug build, as a version
		*d) inroot mkvenv -v --without-pip -p "3.$v" "/root/p-$x" >"$S/v.err" 2>&1
		    case $(head -n 1 "$S/v.err") in
		    "mkvenv: $want at /usr/bin/$x "*) pass "$suite/$x/p-version" ;;
		    *) fail "$suite/$x/p-version" "-p 3.$v: wanted [$want] at /usr/bin/$x: $(head -c 600 "$S/v.err")" ;;
		    esac ;;
		esac
		compare "$suite/$x" "/usr/bin/$x" --
		compare "$suite/$x-system" "/usr/bin/$x" -- --system-site-packages
		compare "$suite/$x-prompt" "/usr/bin/$x" -- --prompt "my prompt"
		case $x in
		pypy3.*)	# PyPy's own --copies takes all of /usr/lib (README): ours, alone
			compare "$suite/pypy3" /usr/bin/pypy3 --
			check "$suite/$x-copies" inroot mkvenv -q --without-pip --copies -p "/usr/bin/$x" "/root/vc-$x"
			same "$suite/$x-copies/lib" "pypy3.$v" "$(ls "$R/root/vc-$x/lib")"
			same "$suite/$x-copies/runs" "/root/vc-$x" "$(quiet inroot "/root/vc-$x/bin/python" -c 'import sys; print(sys.prefix)')"
			seeded "$suite/$x" "$x"
			continue ;;
		esac
		compare "$suite/$x-copies" "/usr/bin/$x" -- --copies
		[ "${v%%[!0-9]*}" -lt 13 ] || compare "$suite/$x-noscm" "/usr/bin/$x" -- --without-scm-ignore-files
		# --clear: an existing venv with a file in site-packages, cleared by each
		for d in "ref-$x-clear" "vb-$x-clear"; do
			inroot "/usr/bin/$x" -m venv --without-pip "/root/$d" && : >"$(echo "$R/root/$d"/lib/python3*/site-packages)/junk.py"
		done
		compare "$suite/$x-clear" "/usr/bin/$x" -- --clear
		# --upgrade of a venv made without the alias (a non-UTF-8 start): 3.14 adds it then
		for d in "ref-$x-upgrade" "vb-$x-upgrade"; do
			inroot LC_ALL=C PYTHONUTF8=0 "/usr/bin/$x" -m venv --without-pip "/root/$d"
		done
		compare "$suite/$x-upgrade" "/usr/bin/$x" -- --upgrade
		# the file system encoding, which decides 3.14's alias: not UTF-8 where neither UTF-8
		# mode nor locale coercion applies (LC_ALL is never coerced), else UTF-8; every
		# variant where the interpreter's own venv makes the alias, one elsewhere
		compare "$suite/$x-ascii" "/usr/bin/$x" LC_ALL=C PYTHONUTF8=0 --
		if [ -n "$(ls "$R/root/ref-$x/bin" | grep thon | grep -v '^python')" ]; then
			compare "$suite/$x-nocoerce" "/usr/bin/$x" LANG=C PYTHONUTF8=0 PYTHONCOERCECLOCALE=0 --
			compare "$suite/$x-utf8" "/usr/bin/$x" LC_ALL=C PYTHONUTF8=1 PYTHONCOERCECLOCALE=0 -- --copies
			compare "$suite/$x-coerced" "/usr/bin/$x" LANG=C PYTHONUTF8=0 --
			compare "$suite/$x-utf8mode" "/usr/bin/$x" LC_ALL=POSIX --
			compare "$suite/$x-ctype" "/usr/bin/$x" LANG=C.ISO-8859-1 LC_CTYPE=C.UTF-8 PYTHONUTF8=0 --
		fi
		seeded "$suite/$x" "$x"
	done
	# -p 3 where there is no python3: the newest python3.X on PATH
	newest=$(ls "$R/usr/bin" | grep -E '^python3\.[0-9]+$' | sort -t. -k2,2n | tail -n 1)
	if [ -e "$R/usr/bin/python3" ]; then
		skip "$suite/p-3" "the $suite root has a python3"
	elif inroot mkvenv -q --without-pip -p 3 /root/p3 >"$S/p3.err" 2>&1; then
		same "$suite/p-3" "executable = /usr/bin/$newest" "$(grep '^executable = ' "$R/root/p3/pyvenv.cfg")"
	else
		fail "$suite/p-3" "$(head -c 600 "$S/p3.err")"
	fi
	[ "$n" -ge 1 ] && pass "$suite/interpreters-found" ||
		fail "$suite/interpreters-found" "$n interpreters in the $suite root: $(ls "$R/usr/bin" | grep -e python -e pypy)"
}

# (what each root holds: tests/roots.txt)
use_root trixie && run_root trixie
use_root sid && run_root sid
# Debian 11: its ensurepip's share/python-wheels (above, in seeded). Its pip is Debian's
# de-vendored one, which loads its dependencies from the system's /usr/share/python-wheels
# (not the venv's copy): a --relocatable venv says so. With an upstream pip given, such a
# venv copied (cp -a) to another path of a root that has python3 but no python3-pip-whl
# installs a wheel there.
if use_root bullseye; then
	run_root bullseye
	if inroot mkvenv --relocatable /root/rel0 >"$S/rel.err" 2>&1; then
		case $(cat "$S/rel.err") in
		*"warning: /usr/share/python-wheels/pip-"*"is Debian's de-vendored pip"*"--find-links"*) pass bullseye/relocatable-warns ;;
		*) fail bullseye/relocatable-warns "$(head -c 600 "$S/rel.err")" ;;
		esac
	else
		fail bullseye/relocatable "$(head -c 600 "$S/rel.err")"
	fi
	if need_tools bullseye/moved && mkdir -p "$R/root/old" && cp "$TOOLS"/wheels-old/pip-*.whl "$R/root/old/" &&
		inroot mkvenv --relocatable --find-links /root/old /root/rel >"$S/rel.err" 2>&1; then
		grep -q "de-vendored" "$S/rel.err" && fail bullseye/upstream-quiet "$(head -c 600 "$S/rel.err")" || pass bullseye/upstream-quiet
		R1=$R R=$S/root2
		CACHE2=$(sh "$TESTS/rootfs.sh" bullseye-py3 2>"$S/rootfs.err") &&
			{ cp -al "$CACHE2" "$R" 2>/dev/null || cp -a "$CACHE2" "$R"; } &&
			cp -a "$R1/root/rel" "$R/opt/moved" && cp "$HELLO" "$R/root/"
		case $? in
		0)	[ ! -e "$R/usr/share/python-wheels" ] || fail bullseye/no-wheels "the root has /usr/share/python-wheels"
			check bullseye/moved-pip inroot /opt/moved/bin/pip install -q --no-index "/root/${HELLO##*/}"
			same bullseye/moved-hello "hello from the wheel" "$(quiet inroot /opt/moved/bin/hello)" ;;
		*)	fail bullseye/moved "the second root: $(tail -c 600 "$S/rootfs.err")" ;;
		esac
		awk -v d="$R" '$5 == d || index($5, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo ||
			rm -rf --one-file-system "$R"
		R=$R1
	elif [ -f "$TOOLS/.complete" ]; then
		fail bullseye/relocatable-upstream "$(head -c 600 "$S/rel.err")"
	fi
fi
