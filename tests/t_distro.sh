# t_distro.sh: mkvenv against Debian's own interpreters' `X -m venv --without-pip`, in a
# debootstrap root of sid (cached by tests/rootfs.sh) whose Python versions change over
# time: every python3.X, debug python3.Xd and python3.X-pie found in the root's /usr/bin is
# compared, none named here; each one's version is read from its files, never by running it. Both venvs are made inside the root (the static binary copied in, a clean
# environment, so the C locale), and compared as t_mkvenv_diff does: the tree (names, types,
# modes, link targets), pyvenv.cfg (but `command` and our own key), and sys, site and
# sysconfig seen from inside, with the venv's path normalised.
# Left out until mkvenv does it (issue 13): pypy3 (refused as "not a Python interpreter").
. "$TESTS/lib.sh"
need_chroot || exit 0
S=$SCRATCH

PKGS=python3.13,python3.13-venv,python3.14,python3.14-venv,python3.14-dbg,python3.14-nopie,python3.15,python3.15-venv,python3.15-dbg,pypy3,pypy3-venv
CACHE=$(SUITE=sid sh "$TESTS/rootfs.sh" py "$PKGS" 2>"$S/rootfs.err")
case $? in
0) ;;
2) skip all "cannot build the sid root: $(cat "$S/rootfs.err")"; exit 0 ;;
*) fail debootstrap "$(tail -c 1500 "$S/rootfs.err")"; exit 0 ;;
esac
R=$S/root
cleanup() {
	if ! awk -v d="$R" '$5 == d || index($5, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
		rm -rf --one-file-system "$R"
	fi
}
trap cleanup EXIT
# (hard links where the cache shares our file system, else a copy; nothing run inside
# rewrites an existing file in place)
if ! cp -al "$CACHE" "$R" 2>/dev/null && ! { rm -rf --one-file-system "$R"; cp -a "$CACHE" "$R" 2>"$S/cp.err"; }; then
	fail copy "$(head -c 600 "$S/cp.err")"
	exit 0
fi
cp "$VENVBOX" "$R/usr/local/bin/venvbox" && ln -s venvbox "$R/usr/local/bin/mkvenv" || { fail copy "cp into the root failed"; exit 0; }

# inroot [VAR=VALUE...] CMD...: CMD in the root, clean environment plus the VARs, from /root
inroot() {
	chroot "$R" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root \
		/bin/sh -c 'cd /root && exec env "$@"' sh "$@"
}

# compare NAME PY [VAR=VALUE...] -- OPTS...: /root/ref-NAME by PY -m venv, /root/vb-NAME by mkvenv
compare() {
	name=$1 py=$2; shift 2
	envs=""
	while [ "$1" != -- ]; do envs="$envs $1"; shift; done
	shift
	ref=/root/ref-$name vb=/root/vb-$name
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
	tree "$R$vb" >"$S/vb.tree"
	same_files "$name/tree" "$S/ref.tree" "$S/vb.tree"
	grep -v -e '^command = ' -e '^venvbox = ' "$R$ref/pyvenv.cfg" >"$S/ref.cfg"
	grep -v -e '^command = ' -e '^venvbox = ' "$R$vb/pyvenv.cfg" >"$S/vb.cfg"
	same_files "$name/pyvenv.cfg" "$S/ref.cfg" "$S/vb.cfg"
	same_inside "$name" "$ref" "$vb" inroot
}

n=0
for f in "$R"/usr/bin/python3.*; do
	x=${f##*/}
	v=${x#python3.}
	case ${v%-pie} in "" | d* | *[!0-9d]* | *d?*) continue ;; esac	# python3.X[d][-pie] only
	n=$((n + 1))
	# -v: the version and ABI flags the interpreter itself reports, read from its files
	want=$(inroot "/usr/bin/$x" -c 'import sys; print("Python %d.%d.%d%s" % (sys.version_info[:3] + ((", ABI flags " + sys.abiflags) if sys.abiflags else "",)))')
	inroot mkvenv -v --without-pip -p "/usr/bin/$x" "/root/v-$x" >"$S/v.err" 2>&1
	case $(head -n 1 "$S/v.err") in
	"mkvenv: $want at /usr/bin/$x "*) pass "$x/version" ;;
	*) fail "$x/version" "wanted [$want]: $(head -c 600 "$S/v.err")" ;;
	esac
	grep -q 'running it' "$S/v.err" && fail "$x/not-run" "the interpreter was executed" || pass "$x/not-run"
	case $v in	# -p 3.Xd: the debug build, as a version
	*d) inroot mkvenv -v --without-pip -p "3.$v" "/root/p-$x" >"$S/v.err" 2>&1
	    case $(head -n 1 "$S/v.err") in
	    "mkvenv: $want at /usr/bin/$x "*) pass "$x/p-version" ;;
	    *) fail "$x/p-version" "-p 3.$v: wanted [$want] at /usr/bin/$x: $(head -c 600 "$S/v.err")" ;;
	    esac ;;
	esac
	compare "$x" "/usr/bin/$x" --
	compare "$x-copies" "/usr/bin/$x" -- --copies
	# the file system encoding, which decides 3.14's alias: not UTF-8 where neither UTF-8
	# mode nor locale coercion applies (LC_ALL is never coerced), else UTF-8
	compare "$x-ascii" "/usr/bin/$x" LC_ALL=C PYTHONUTF8=0 --
	compare "$x-nocoerce" "/usr/bin/$x" LANG=C PYTHONUTF8=0 PYTHONCOERCECLOCALE=0 --
	compare "$x-utf8" "/usr/bin/$x" LC_ALL=C PYTHONUTF8=1 PYTHONCOERCECLOCALE=0 -- --copies
	compare "$x-coerced" "/usr/bin/$x" LANG=C PYTHONUTF8=0 --
	compare "$x-utf8mode" "/usr/bin/$x" LC_ALL=POSIX --
	compare "$x-ctype" "/usr/bin/$x" LANG=C.ISO-8859-1 LC_CTYPE=C.UTF-8 PYTHONUTF8=0 --
	# --upgrade of a venv made without the alias (a non-UTF-8 start): 3.14 adds it then
	for d in "ref-$x-upgrade" "vb-$x-upgrade"; do
		inroot LC_ALL=C PYTHONUTF8=0 "/usr/bin/$x" -m venv --without-pip "/root/$d"
	done
	compare "$x-upgrade" "/usr/bin/$x" -- --upgrade
done
# -p 3 where there is no python3 (sid has none): the newest python3.X on PATH
newest=$(ls "$R/usr/bin" | grep -E '^python3\.[0-9]+$' | sort -t. -k2,2n | tail -n 1)
if [ -e "$R/usr/bin/python3" ]; then
	fail p-3 "the root has a python3: the case is not tested"
elif inroot mkvenv -q --without-pip -p 3 /root/p3 >"$S/p3.err" 2>&1; then
	same p-3 "executable = /usr/bin/$newest" "$(grep '^executable = ' "$R/root/p3/pyvenv.cfg")"
else
	fail p-3 "$(head -c 600 "$S/p3.err")"
fi
[ "$n" -ge 2 ] && pass interpreters-found || fail interpreters-found "$n python3.X in the sid root: $(ls "$R/usr/bin" | grep python)"
