# t_arm64.sh: the aarch64 release binary (build/out/dist/venvbox-aarch64) under qemu-user: the
# multicall tests of t_multicall, then, in the arm64 root of tests/roots.txt (arm64-py: Debian's
# python3, python3-venv and python3-pip-whl, unpacked by mmdebstrap), against that root's
# python3 run under emulation too: mkvenv seeding pip makes the tree, pyvenv.cfg and the
# sys/site/sysconfig view of `python3 -m venv`; its pip runs (--version, an install of a local
# wheel with --no-index, the wheel's script); venvinfo and activate work there; and the
# wheel tags follow the interpreter: a manylinux aarch64 wheel installs, an x86_64 one is
# refused, and the reverse for the x86-64 binary with the machine's own python3.
# qemu is called explicitly (the emulator is copied into the root, so a static one): a binfmt
# registration is not needed. Where it is missing (no nested exec of arm64 programs), the
# reference venv's pip is installed as venv does it (`python -m ensurepip --upgrade
# --default-pip` in the new venv), with the one subprocess ensurepip starts prefixed with
# the emulator; scripts are run through the interpreter their #! line names, as the kernel does.
. "$TESTS/lib.sh"
[ -z "${VENVBOX_ASAN:-}" ] || { skip all "the sanitizer build has no aarch64 twin (make test runs this)"; exit 0; }
S=$SCRATCH HOST_VB=$VENVBOX
A64=$TOP/build/out/dist/venvbox-aarch64
[ -f "$A64" ] || { skip all "no $A64: make dist was not run (make test runs it)"; exit 0; }
QEMU=""
for q in qemu-aarch64-static qemu-aarch64; do
	q=$(command -v $q 2>/dev/null) || continue
	readelf -l "$q" 2>/dev/null | grep -q INTERP && continue	# a dynamic one cannot run in the root
	QEMU=$q; break
done
[ -n "$QEMU" ] || { skip all "no static qemu-aarch64 (Debian's qemu-user-static, or qemu-user from Debian 13; tests/setup.sh installs it)"; exit 0; }

# ---- the multicall tests, for the aarch64 binary run by the emulator
VENVBOX=$A64 EMU=$QEMU
. "$TESTS/t_multicall.sh"
S=$SCRATCH

# ---- in the arm64 root
[ "$(id -u)" = 0 ] || { skip root "needs root for mmdebstrap/chroot"; exit 0; }
CACHE=$(sh "$TESTS/rootfs.sh" arm64-py 2>"$S/rootfs.err")
case $? in
0) ;;
2) skip root "cannot build the arm64 root: $(cat "$S/rootfs.err")"; exit 0 ;;
*) fail root/mmdebstrap "$(tail -c 1500 "$S/rootfs.err")"; exit 0 ;;
esac
R=$S/root
cleanup() { rm -rf --one-file-system "$R"; }
trap cleanup EXIT
if ! cp -al "$CACHE" "$R" 2>/dev/null && ! { rm -rf --one-file-system "$R"; cp -a "$CACHE" "$R" 2>"$S/cp.err"; }; then
	fail root/copy "$(head -c 600 "$S/cp.err")"; exit 0
fi
mkdir -p "$R/root" "$R/usr/local/bin" && cp "$QEMU" "$R/qemu" && cp "$A64" "$R/usr/local/bin/venvbox" &&
	ln -s venvbox "$R/usr/local/bin/mkvenv" && cp "$HOST_VB" "$R/usr/local/bin/venvbox-x86_64" &&
	AW=$(hello_wheel "$S/wa" py3-none-manylinux_2_17_aarch64) && XW=$(hello_wheel "$S/wx" py3-none-manylinux_2_17_x86_64) &&
	cp "$AW" "$XW" "$R/root/" || { fail root/copy "cp into the root failed"; exit 0; }
AW=/root/${AW##*/} XW=/root/${XW##*/}
BINFMT=""
grep -qs '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 && BINFMT=1

# inroot PROGRAM ARGS...: an aarch64 PROGRAM (absolute, in the root) run by the emulator in
# the root, from /root, with a clean environment
inroot() {
	env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LC_ALL=C "$(command -v chroot)" "$R" /qemu "$@"
}
# script FILE ARGS...: a #! script of the root run as the kernel would: its interpreter and the file
script() {
	_i=$(head -n 1 "$R$1" | sed -n 's/^#!//p')
	case $_i in /root/*/bin/python*) ;; *) echo "script $1: #! line [$_i] is not a venv's python"; return 1 ;; esac
	inroot $_i "$@"
}
# ensurepip_in VENV: pip installed into VENV as venv does it, its subprocess run by the emulator
ensurepip_in() {
	inroot "$1/bin/python" -c 'import runpy, subprocess, sys
run = subprocess.run
subprocess.run = lambda cmd, *a, **k: run(["/qemu"] + list(cmd), *a, **k)
sys.argv = ["ensurepip", "--upgrade", "--default-pip"]
runpy.run_module("ensurepip", run_name="__main__", alter_sys=True)'
}

# the reference: the root's python3 -m venv (with pip: binfmt needed for its ensurepip run)
if [ -n "$BINFMT" ]; then
	inroot /usr/bin/python3 -m venv /root/ref >"$S/ref.err" 2>&1
else
	inroot /usr/bin/python3 -m venv --without-pip /root/ref >"$S/ref.err" 2>&1 && ensurepip_in /root/ref >>"$S/ref.err" 2>&1
fi || { fail venv/ref "$(tail -c 800 "$S/ref.err")"; exit 0; }
check mkvenv inroot /usr/local/bin/mkvenv -q -p /usr/bin/python3 /root/vb
# (bytecode left out: ensurepip's pip compiles what it installs, mkvenv writes none)
tree "$R/root/ref" | grep -v '/__pycache__' >"$S/ref.tree"
tree "$R/root/vb" | grep -v '/__pycache__' |
	{ grep -q '^f [0-7]* \./\.gitignore -> $' "$S/ref.tree" && cat || grep -v ' \./\.gitignore -> $'; } >"$S/vb.tree"
same_files venv/tree "$S/ref.tree" "$S/vb.tree"
grep -v -e '^command = ' -e '^venvbox = ' "$R/root/ref/pyvenv.cfg" >"$S/ref.cfg"
grep -v -e '^command = ' -e '^venvbox = ' "$R/root/vb/pyvenv.cfg" >"$S/vb.cfg"
same_files venv/pyvenv.cfg "$S/ref.cfg" "$S/vb.cfg"
same_inside venv /root/ref /root/vb inroot
# (pip list of each, once: pip is slow under emulation)
inroot /root/ref/bin/python -m pip list >"$S/ref.list" 2>&1
inroot /root/vb/bin/python -m pip list >"$S/pip.list" 2>&1
same_files venv/distributions "$S/ref.list" "$S/pip.list"
inroot /usr/local/bin/venvbox venvinfo --list /root/vb >"$S/vi.list" 2>&1
same_files venvinfo-list "$S/pip.list" "$S/vi.list"

# its pip, its launcher, an install of a local wheel, and the wheel's script
script /root/vb/bin/pip --version >"$S/pipv" 2>&1
grep -q '^pip [0-9].* from /root/vb/lib/python3\.[0-9]*/site-packages/pip ' "$S/pipv" && pass pip-version ||
	fail pip-version "$(head -c 600 "$S/pipv")"
check pip-install script /root/vb/bin/pip install -q --no-index "$AW"
same hello "hello from the wheel" "$(script /root/vb/bin/hello 2>&1)"

# venvinfo and activate, in the root
check venvinfo-check inroot /usr/local/bin/venvbox venvinfo --check /root/vb
same venvinfo-base 3 "$(inroot /usr/local/bin/venvbox venvinfo --get base_version /root/vb | cut -d. -f1)"
# (activate's command is the emulator, which runs the venv's python in the environment it made)
same activate "/root/vb /root/vb/bin /root/vb" "$(inroot /usr/local/bin/venvbox activate /root/vb -- /qemu /root/vb/bin/python -c \
	'import os, sys; print(os.environ["VIRTUAL_ENV"], os.environ["PATH"].split(":")[0], sys.prefix)' 2>&1)"

# tags: the interpreter's machine decides
check tags/aarch64-accepted inroot /usr/local/bin/mkvenv -q --without-pip -w "$AW" /root/ta
check_fails tags/x86_64-refused 1 inroot /usr/local/bin/mkvenv -q --without-pip -w "$XW" /root/tx
grep -q 'manylinux_2_17_x86_64' "$SCRATCH/.out" && pass tags/x86_64-says-why || fail tags/x86_64-says-why "$(head -c 600 "$SCRATCH/.out")"
[ ! -e "$R/root/tx" ] && pass tags/x86_64-nothing-made || fail tags/x86_64-nothing-made "$(ls "$R/root/tx")"
# the x86-64 binary: in this root (the arm64 interpreter's tags), and with the machine's own python3
check tags/x86_64-binary-arm64-python env -i "$(command -v chroot)" "$R" /usr/local/bin/venvbox-x86_64 mkvenv -q --without-pip -p /usr/bin/python3 -w "$AW" /root/tb
if [ -x /usr/bin/python3 ] && [ "$(uname -m)" = x86_64 ]; then
	check tags/x86_64-binary-accepts-x86_64 "$HOST_VB" mkvenv -q --without-pip -p /usr/bin/python3 -w "$S/wx/${XW##*/}" "$S/hx"
	check_fails tags/x86_64-binary-refuses-aarch64 1 "$HOST_VB" mkvenv -q --without-pip -p /usr/bin/python3 -w "$S/wa/${AW##*/}" "$S/ha"
else
	skip tags/x86_64-binary "no x86-64 /usr/bin/python3 here"
fi
