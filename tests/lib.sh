# tests/lib.sh: sourced by every tests/t_*.sh. Results go to $RESULTS, one line each.
set -u
T=${0##*/}; T=${T%.sh}
SCRATCH="$TMPROOT/$T"
rm -rf "$SCRATCH"; mkdir -p "$SCRATCH"
export PATH="$VBBIN:$PATH"

pass() { echo "pass $T/$1" >>"$RESULTS"; }
fail() { echo "fail $T/$1: $2" >>"$RESULTS"; echo "FAIL $T/$1: $2" >&2; }
skip() { echo "skip $T/$1: $2" >>"$RESULTS"; }

# check NAME CMD...: passes when CMD exits 0
check() {
	_n=$1; shift
	if "$@" >"$SCRATCH/.out" 2>&1; then pass "$_n"; else fail "$_n" "exit $?: $(head -c 600 "$SCRATCH/.out")"; fi
}
# check_fails NAME STATUS CMD...: passes when CMD exits with STATUS
check_fails() {
	_n=$1 _want=$2; shift 2
	"$@" >"$SCRATCH/.out" 2>&1; _st=$?
	if [ "$_st" -eq "$_want" ]; then pass "$_n"; else fail "$_n" "exit $_st, wanted $_want: $(head -c 600 "$SCRATCH/.out")"; fi
}
# same NAME EXPECTED ACTUAL
same() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}
# same_files NAME A B: diff of two files
same_files() {
	if diff -u "$2" "$3" >"$SCRATCH/.diff" 2>&1; then pass "$1"; else fail "$1" "$(head -c 1500 "$SCRATCH/.diff")"; fi
}

# Every CPython 3 on the machine, as "path" lines: pyenv's versions (wherever pyenv keeps
# them: $PYENV_VERSIONS, set by tests/run) and Debian's python3. None is named by version.
pythons() {
	for d in "$PYENV_VERSIONS"/3.*; do
		[ -x "$d/bin/python" ] && [ ! -e "$d/pyvenv.cfg" ] && echo "$d/bin/python"
	done
	[ -x /usr/bin/python3 ] && echo /usr/bin/python3
	return 0
}
# pyenv_pythons: pyenv's CPython 3 installations only, oldest first, as "X.Y PREFIX" lines
pyenv_pythons() {
	for d in "$PYENV_VERSIONS"/3.*; do
		[ -x "$d/bin/python" ] && [ ! -e "$d/pyvenv.cfg" ] && echo "${d##*/} $d"
	done | sort -V | while read -r v d; do echo "${v%.*} $d"; done
}
# pyenv_prefix PATTERN: the newest pyenv installation whose X.Y matches the shell PATTERN
pyenv_prefix() {
	pyenv_pythons | while read -r xy d; do
		case $xy in $1) echo "$d" ;; esac
	done | tail -n 1
}
# shell_helpers KIND FILE: starts FILE, a driver script for the shells of KIND (sh, fish, csh),
# with the helpers every driver uses; the test appends the rest (cat >>FILE). snap prints the
# environment (and the prompt) sorted, to compare before activation and after; isfn (sh) is
# true while the deactivate function is defined.
shell_helpers() {
	case $1 in
	sh) cat >"$2" <<'EOF'
# (ksh93 exports _AST_FEATURES of its own accord at some point: not ours to compare)
# (zsh: psvar too, where activation keeps the prompt text)
snap() {
	env | grep -v -e '^_=' -e '^_AST_FEATURES=' | LC_ALL=C sort; printf 'PS1=%s:%s\n' "${PS1+set}" "${PS1-}"
	if [ -n "${ZSH_VERSION-}" ]; then eval 'printf "psvar=%s\n" "${#psvar}:${(j:|:)psvar}"'; fi
}
isfn() { [ "$(command -v deactivate 2>/dev/null || :)" = deactivate ]; }
EOF
	;;
	fish) cat >"$2" <<'EOF'
function snap
	env | grep -v '^_=' | env LC_ALL=C sort
	functions --no-details fish_prompt | string replace -r '^function \S+' function
end
EOF
	;;
	csh) cat >"$2" <<'EOF'
alias snap 'env | grep -v "^_=" | env LC_ALL=C sort; if ($?prompt) eval '\''printf "prompt=%s\n" "${prompt}"'\''; if (! $?prompt) echo prompt-unset'
EOF
	;;
	esac
}
# site_set VENV: each installed distribution's .dist-info name and the tags of its WHEEL
site_set() {
	for d in "$1"/lib/*/site-packages/*.dist-info; do
		[ -d "$d" ] || continue
		case ${d##*/} in pip-*|setuptools-*|wheel-*) continue ;; esac	# the seeds of the pip twin
		printf '%s %s\n' "${d##*/}" "$(sed -n 's/^Tag: //p' "$d/WHEEL" | LC_ALL=C sort | tr '\n' ' ')"
	done | LC_ALL=C sort
}
# The tools venv that tests/setup.sh makes from PyPI (installer, virtualenv, uv, current pip)
TOOLS=$TOP/build/out/tools
# need_tools NAME: true when the tools venv is complete; else NAME is a skip, with the reason
need_tools() {
	[ -f "$TOOLS/.complete" ] && return 0
	skip "$1" "$(cat "$TOP/build/out/tools.skip" 2>/dev/null || echo "no tools venv: run sh tests/setup.sh")"
	return 1
}
# minor version of an interpreter, read from its lib directory (tests may run Python)
py_minor() { "$1" -c 'import sys; print(sys.version_info[1])'; }

# tag_candidates PIPTAGS: pip's tags (a file, one a line) and their neighbours: other python
# tags (the next and previous minor, the other implementation, py2, bare cp3/pp3), ABIs
# (abi3, none, the debug, free-threaded and PyPy ones) and platforms (a newer glibc, musl,
# another machine, Windows, macOS), one tag a line, made with /usr/bin/python3
tag_candidates() {
	/usr/bin/python3 - "$1" <<'PY'
import re, sys
tags = [l.strip() for l in open(sys.argv[1]) if l.strip()]
py, abi, plat = (set(t.split("-")[i] for t in tags) for i in range(3))
own = next(t.split("-")[0] for t in tags if re.match(r"^(cp|pp)\d+$", t.split("-")[0]))
impl, x, y = own[:2], own[2], int(own[3:])
other = "pp" if impl == "cp" else "cp"
py |= {f"{i}{x}{m}" for i in (impl, other, "py") for m in (y - 1, y, y + 1)}
py |= {"py2", "cp3", "pp3", f"{other}{x}{y}"}
abi |= {"abi3", "abi3t", "none", f"cp{x}{y}", f"cp{x}{y}t", f"cp{x}{y}d", f"cp{x}{y}m", f"cp{x}{y - 1}",
        f"pypy{x}{y}_pp73", f"pypy{x}{y}_pp74", f"pypy{x}{y - 1}_pp73"}
glibc = max([int(m.group(1)) for p in plat for m in [re.match(r"manylinux_2_(\d+)_", p)] if m] or [17])
arch = next((p.split("_", 3)[3] for p in plat if p.startswith("manylinux_2_")), "x86_64")
plat = {p for p in plat if not re.match(r"manylinux_2_([0-9]|1[0-6])_", p)}	# fewer, the rest kept
plat |= {"any", f"linux_{arch}", f"manylinux_2_17_{arch}", f"manylinux_2_{glibc + 1}_{arch}",
         f"manylinux2014_{arch}", f"musllinux_1_2_{arch}", "manylinux_2_17_aarch64" if arch != "aarch64"
         else "manylinux_2_17_x86_64", "win_amd64", "macosx_11_0_arm64", "linux_i686"}
out = set(tags) | {f"{a}-{b}-{c}" for a in py for b in abi for c in plat}
print("\n".join(sorted(out)))
PY
}

# tags_vs_pip NAME PY VENV TAGCHECK [CMD...]: venvbox's tag rules (TAGCHECK, run through CMD,
# e.g. a chroot) for interpreter PY accept each candidate exactly when the pip in VENV lists
# it (`pip debug --verbose`); 1 (a skip or fail said) when it cannot be compared
tags_vs_pip() {
	_n=$1 _py=$2 _v=$3 _tc=$4; shift 4
	if ! "$@" "$_v/bin/python" -m pip debug --verbose >"$SCRATCH/debug" 2>&1; then
		skip "$_n/tags" "its pip ($("$@" "$_v/bin/python" -m pip --version 2>&1 | cut -d' ' -f1-2)) has no debug command: $(head -c 200 "$SCRATCH/debug")"
		return 1
	fi
	awk '/^Compatible tags:/ { on = 1; next } on && /^  / { print $1 }' "$SCRATCH/debug" >"$SCRATCH/pip.tags"
	[ -s "$SCRATCH/pip.tags" ] || { fail "$_n/pip-debug" "pip debug listed no tags"; return 1; }
	tag_candidates "$SCRATCH/pip.tags" >"$SCRATCH/cand" || { fail "$_n/candidates" "making them failed"; return 1; }
	"$@" "$_tc" "$_py" <"$SCRATCH/cand" >"$SCRATCH/ours" 2>"$SCRATCH/tc.err" || { fail "$_n/tagcheck" "$(head -c 600 "$SCRATCH/tc.err")"; return 1; }
	awk 'NR == FNR { ok[$1] = 1; next } { print (($1 in ok) ? 1 : 0), $1 }' "$SCRATCH/pip.tags" "$SCRATCH/cand" >"$SCRATCH/theirs"
	cut -d: -f1 "$SCRATCH/ours" >"$SCRATCH/ours.v"
	if cmp -s "$SCRATCH/theirs" "$SCRATCH/ours.v"; then
		pass "$_n/tags"
	else
		fail "$_n/tags" "$(wc -l <"$SCRATCH/cand") candidates; differ (pip, then ours): $(diff "$SCRATCH/theirs" "$SCRATCH/ours.v" | grep '^[<>]' | head -n 8 | tr '\n' ' ')"
	fi
}

# same_inside NAME REF VB [CMD...]: sys, site and sysconfig seen from inside the venvs REF
# and VB (their bin/python run through CMD..., e.g. a chroot), the venvs' paths normalised,
# must be the same; REF's prefix must be itself
same_inside() {
	_n=$1 _r=$2 _v=$3; shift 3
	_probe='import sys, site, sysconfig, json
print(json.dumps({"prefix": sys.prefix, "base_prefix": sys.base_prefix,
    "executable": sys.executable, "sitepackages": site.getsitepackages(),
    "paths": sysconfig.get_paths(), "path": [p for p in sys.path if p]}, sort_keys=True, indent=1))'
	"$@" "$_r/bin/python" -c "$_probe" 2>&1 | sed "s|$_r|ENV|g" >"$SCRATCH/ref.probe"
	"$@" "$_v/bin/python" -c "$_probe" 2>&1 | sed "s|$_v|ENV|g" >"$SCRATCH/vb.probe"
	grep -q '"prefix": "ENV"' "$SCRATCH/ref.probe" || fail "$_n/probe" "$(head -c 600 "$SCRATCH/ref.probe")"
	same_files "$_n/inside" "$SCRATCH/ref.probe" "$SCRATCH/vb.probe"
}

# tree DIR: a listing of names, types, link targets and modes, sorted
tree() {
	(cd "$1" && find . -printf '%y %m %p -> %l\n' | LC_ALL=C sort -k3)
}
# hashtree DIR: tree plus content hashes and mtimes of regular files
hashtree() {
	(cd "$1" && find . -printf '%y %m %T@ %p -> %l\n' | LC_ALL=C sort -k4 &&
	 find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}

# ntree DIR: names, types, modes, link targets and contents (no mtimes)
ntree() {
	(cd "$1" && find . -printf '%y %m %p -> %l\n' | LC_ALL=C sort -k3 &&
	 find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}
# stages DIR: how many of venvbox's stages (.venvbox-*) are in DIR
stages() { ls -a "$1" | grep -c '\.venvbox-'; }
# lockwait NAME DIR ARGS...: mkvenv -v ARGS DIR, run while another process holds DIR's lock
# (flock), says that it waits and changes nothing (NAME-waits), and once the lock is let go
# does its work (NAME-then-done: exit 0, a pyvenv.cfg, no stage left); it said $SCRATCH/lk.out
lockwait() {
	_n=$1 _d=$2; shift 2
	ntree "$_d" >"$SCRATCH/lk.before"
	rm -f "$SCRATCH/held" "$SCRATCH/release"
	flock "$_d" sh -c ": >'$SCRATCH/held'; while [ ! -e '$SCRATCH/release' ]; do sleep 0.05; done" & _lk=$!
	_i=0; while [ ! -e "$SCRATCH/held" ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
	# (the old output goes first: the background job truncates it only once it runs, and
	# the loop below must not read the previous call's line meanwhile)
	rm -f "$SCRATCH/lk.out"
	mkvenv ${LKV--v} "$@" "$_d" >"$SCRATCH/lk.out" 2>&1 & _m=$!	# LKV: the options (-v)
	_i=0
	while ! grep -qs 'waiting for it to finish' "$SCRATCH/lk.out" && kill -0 $_m 2>/dev/null && [ $_i -lt 600 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	grep -qx "mkvenv: $_d: another mkvenv run is changing it; waiting for it to finish" "$SCRATCH/lk.out" &&
		[ "$(ntree "$_d")" = "$(cat "$SCRATCH/lk.before")" ] && pass "$_n-waits" ||
		fail "$_n-waits" "$(head -c 600 "$SCRATCH/lk.out")"
	: >"$SCRATCH/release"; wait $_lk; wait $_m; _st=$?
	[ $_st = 0 ] && [ -f "$_d/pyvenv.cfg" ] && [ "$(stages "$_d")" = 0 ] && pass "$_n-then-done" ||
		fail "$_n-then-done" "exit $_st: $(tail -c 400 "$SCRATCH/lk.out")"
}

# hello_wheel DIR [TAG]: writes DIR/hello-1.0-TAG.whl (TAG py3-none-any unless given; a module
# and a console script `hello`, correct RECORD) with /usr/bin/python3 and prints its path.
hello_wheel() {
	[ -x /usr/bin/python3 ] || return 1
	/usr/bin/python3 - "$1" "${2:-py3-none-any}" <<'PY' || return 1
import base64, hashlib, os, sys, zipfile
out, tag = sys.argv[1], sys.argv[2]; os.makedirs(out, exist_ok=True)
files = {
    "hello/__init__.py": b"def main():\n    print('hello from the wheel')\n",
    "hello-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: hello\nVersion: 1.0\n",
    "hello-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: %s\n" % tag.encode(),
    "hello-1.0.dist-info/entry_points.txt": b"[console_scripts]\nhello = hello:main\n",
}
rec = ["%s,sha256=%s,%d" % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode(), len(d))
       for n, d in files.items()] + ["hello-1.0.dist-info/RECORD,,"]
with zipfile.ZipFile(os.path.join(out, "hello-1.0-%s.whl" % tag), "w", zipfile.ZIP_DEFLATED) as z:
    for n, d in files.items():
        z.writestr(n, d)
    z.writestr("hello-1.0.dist-info/RECORD", "\n".join(rec) + "\n")
PY
	echo "$1/hello-1.0-${2:-py3-none-any}.whl"
}

# need_chroot: 0 where the static binary can be run in debootstrap roots (tests/rootfs.sh)
# under chroot; else the whole test is skipped with the reason and 1 returned
need_chroot() {
	[ -z "${VENVBOX_ASAN:-}" ] || { skip all "the sanitizer build is dynamic: it cannot run inside the chroot (make test runs this)"; return 1; }
	[ "$(id -u)" = 0 ] || { skip all "needs root for debootstrap/chroot"; return 1; }
	command -v debootstrap >/dev/null 2>&1 || { skip all "needs debootstrap (tests/setup.sh installs it)"; return 1; }
	command -v chroot >/dev/null 2>&1 || { skip all "needs chroot"; return 1; }
}

# ---- the real shells the activation tests run ---------------------------------------------
have() { command -v "$1" >/dev/null 2>&1; }
# find_shells: SHELLS is set to those installed; each missing one is a skip with its reason
find_shells() {
	SHELLS=""
	for s in bash dash zsh ksh mksh yash ash fish tcsh; do
		case $s in
		ash) have busybox && busybox ash -c : 2>/dev/null && SHELLS="$SHELLS ash" ||
			skip "$s" "busybox (with ash) is not installed" ;;
		ksh) if have ksh && [ "$(ksh -c 'echo ${.sh.version}' 2>/dev/null)" ]; then SHELLS="$SHELLS ksh"
			else skip ksh "ksh93 is not installed (ksh is missing or not ksh93)"; fi ;;
		*) have "$s" && SHELLS="$SHELLS $s" || skip "$s" "$s is not installed" ;;
		esac
	done
}
runner() {	# the command that runs a script file with each shell, without start-up files
	case $1 in
	ash) echo "busybox ash" ;;
	zsh) echo "zsh -f" ;;
	tcsh) echo "tcsh -f" ;;
	fish) echo "fish --no-config" ;;
	*) echo "$1" ;;
	esac
}
kind() {	# the activation script a shell sources: sh, fish or csh
	case $1 in
	fish) echo fish ;;
	tcsh) echo csh ;;
	*) echo sh ;;
	esac
}

# need_fuzzer NAME: true when clang links a libFuzzer target (make fuzz can run); else NAME is
# a skip, with the reason
need_fuzzer() {
	command -v clang >/dev/null 2>&1 || { skip "$1" "no clang (tests/setup.sh installs it)"; return 1; }
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' >"$SCRATCH/probe.c"
	clang -fsanitize=fuzzer,address,undefined -o "$SCRATCH/probe" "$SCRATCH/probe.c" >"$SCRATCH/probe.log" 2>&1 && return 0
	skip "$1" "clang -fsanitize=fuzzer does not link (libclang-rt-14-dev missing?): $(head -c 300 "$SCRATCH/probe.log" | tr '\n' ' ')"
	return 1
}
