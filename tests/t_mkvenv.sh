# t_mkvenv.sh: mkvenv's interpreter discovery (shims, -p forms, MKVENV_PYTHON), its error
# paths (each must name the culprit, exit non-zero and create nothing), output discipline,
# multiple ENV_DIRs and reproducible trees.
. "$TESTS/lib.sh"
S=$SCRATCH
home_of() { sed -n 's/^home = //p' "$1/pyvenv.cfg"; }
version_of() { sed -n 's/^version = //p' "$1/pyvenv.cfg"; }

# ---- a pyenv of our own: versions linked from the machine's, shims in pyenv's format
P=$S/pyenv
mkdir -p "$P/versions" "$P/shims" "$S/proj/sub"
vers=$(ls -d "$PYENV_VERSIONS"/3.* 2>/dev/null | while read -r d; do [ -x "$d/bin/python3" ] && [ ! -e "$d/pyvenv.cfg" ] && echo "${d##*/}"; done | sort -V)
v1=$(echo "$vers" | tail -n 1) v2=$(echo "$vers" | head -n 1)
for v in $vers; do ln -s "$PYENV_VERSIONS/$v" "$P/versions/$v"; done
for cmd in python3 python $(for v in $vers; do echo "python${v%.*}"; done | sort -u); do
	cat >"$P/shims/$cmd" <<SHIM
#!/usr/bin/env bash
set -e
program="\${0##*/}"
export PYENV_ROOT="$P"
exec "$P/libexec/pyenv" exec "\$program" "\$@"
SHIM
	chmod +x "$P/shims/$cmd"
done
SPATH="$P/shims:/usr/bin:/bin"
MK=$VBBIN/mkvenv
shimtest() {	# shimtest NAME EXPECTED_HOME [VAR=VALUE...] [MKVENV ARGS...]
	name=$1 want=$2; shift 2
	rm -rf "$S/sv"
	if (cd "$S/proj/sub" && env -u PYENV_VERSION PATH="$SPATH" "$@" "$S/sv") 2>"$S/err"; then
		same "$name" "$want" "$(home_of "$S/sv")"
	else
		fail "$name" "$(cat "$S/err")"
	fi
}
if [ -n "$v1" ] && [ "$v1" != "$v2" ]; then
	echo "$v1" >"$P/version"
	shimtest pyenv-global "$P/versions/$v1/bin" "$MK" -q --without-pip
	shimtest pyenv-env "$P/versions/$v2/bin" PYENV_VERSION="$v2" "$MK" -q --without-pip
	echo "$v2" >"$S/proj/.python-version"
	shimtest pyenv-local-file "$P/versions/$v2/bin" "$MK" -q --without-pip
	shimtest pyenv-env-beats-file "$P/versions/$v1/bin" PYENV_VERSION="$v1" "$MK" -q --without-pip
	printf '# comment\n\n%s\n' "${v1%.*}" >"$S/proj/.python-version"
	shimtest pyenv-prefix "$P/versions/$v1/bin" "$MK" -q --without-pip
	printf 'system\n' >"$S/proj/.python-version"
	[ -x /usr/bin/python3 ] && shimtest pyenv-system /usr/bin "$MK" -q --without-pip
	printf '3.0.99\n' >"$S/proj/.python-version"
	(cd "$S/proj/sub" && env -u PYENV_VERSION PATH="$SPATH" "$MK" -q --without-pip "$S/nv") 2>"$S/err"
	st=$?
	[ $st = 1 ] && grep -q "pyenv shim finds no python3 .*$S/proj/.python-version" "$S/err" && [ ! -e "$S/nv" ] &&
		pass pyenv-missing-version || fail pyenv-missing-version "status $st: $(cat "$S/err")"
	rm -f "$S/proj/.python-version"
	# the versioned shim with two versions set: the first that has the command wins
	shimtest pyenv-multi "$P/versions/$v2/bin" PYENV_VERSION="$v1:$v2" "$MK" -q --without-pip -p "python${v2%.*}"
	# version requests search PATH, then pyenv's versions
	shimtest version-request "$P/versions/$v2/bin" PYENV_ROOT="$P" PYENV_VERSION=system "$MK" -q --without-pip -p "${v2%.*}"
	rm -rf "$S/sv"
	(PYENV_ROOT="$P" PATH=/bin "$MK" -q --without-pip -p 3.99 "$S/sv") 2>"$S/err"
	st=$?
	[ $st = 1 ] && grep -q 'no Python 3.99 found' "$S/err" && [ ! -e "$S/sv" ] && pass version-missing || fail version-missing "$st $(cat "$S/err")"
else
	skip pyenv "fewer than two pyenv CPython versions on this machine"
fi

# ---- -p forms and MKVENV_PYTHON
if [ -x /usr/bin/python3 ]; then
	rm -rf "$S/a"; MKVENV_PYTHON=/usr/bin/python3 mkvenv -q --without-pip "$S/a" && same mkvenv-python-env /usr/bin "$(home_of "$S/a")"
	rm -rf "$S/a"; PATH=/usr/bin:/bin "$MK" -q --without-pip -p python3 "$S/a" && same p-command /usr/bin "$(home_of "$S/a")"
	rm -rf "$S/a"; PATH=/usr/bin:/bin "$MK" -q --without-pip "$S/a" && same default-python3 /usr/bin "$(home_of "$S/a")"
	rm -rf "$S/a"; PATH=/usr/bin:/bin "$MK" -q --without-pip -p 3 "$S/a" && same p-version-3 /usr/bin "$(home_of "$S/a")"
	same version-matches-python "$(/usr/bin/python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')" "$(version_of "$S/a")"
	rm -rf "$S/a"; mkvenv -q --without-pip -p /usr/bin/../bin/python3 "$S/a" && same p-path-normalised /usr/bin "$(home_of "$S/a")"
fi
# the version every interpreter reports equals what mkvenv read from its files
for py in $(pythons); do
	rm -rf "$S/a"
	if mkvenv -v --without-pip -p "$py" "$S/a" 2>"$S/err"; then
		same "version-$py" "$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')" "$(version_of "$S/a")"
		grep -q 'running it' "$S/err" && fail "not-run-$py" "the interpreter was executed" || pass "not-run-$py"
	else
		fail "version-$py" "$(cat "$S/err")"
	fi
done

# a lone link to an interpreter (~/.local/bin style): home is resolved to the installation
if [ -n "$v1" ]; then
	mkdir -p "$S/lbin"
	real=$(readlink -f "$PYENV_VERSIONS/$v1/bin/python3")
	ln -sf "$real" "$S/lbin/python3"
	rm -rf "$S/a"; mkvenv -q --without-pip -p "$S/lbin/python3" "$S/a" && same lone-link "$(dirname "$real")" "$(home_of "$S/a")"
	"$S/a/bin/python" -c 'import sys; assert sys.prefix != sys.base_prefix, sys.prefix' && pass lone-link-works || fail lone-link-works "venv python broken"
fi

# ---- errors: a clear message naming the culprit, exit 1, nothing created
err_case() {	# err_case NAME PATTERN MKVENV-ARGS... (ENV_DIR is $S/e)
	name=$1 pat=$2; shift 2
	rm -rf "$S/e"
	mkvenv --without-pip "$@" >"$S/out" 2>"$S/err"
	st=$?
	if [ $st -ne 1 ]; then fail "$name" "status $st, wanted 1: $(cat "$S/err")"
	elif ! grep -q -- "^mkvenv: .*$pat" "$S/err"; then fail "$name" "message: $(cat "$S/err")"
	elif [ -e "$S/e" ] || ls -a "$S" | grep -q '\.mkvenv-'; then fail "$name" "left something behind"
	elif [ -s "$S/out" ]; then fail "$name" "wrote to stdout"
	else pass "$name"; fi
}
err_case missing-python "/nonexistent/python3: No such file" -p /nonexistent/python3 "$S/e"
err_case missing-command "python9.9: not found on PATH" -p python9.9 "$S/e"
err_case not-python "/bin/ls: not a Python interpreter" -p /bin/ls "$S/e"
printf '#!/bin/sh\necho hi\n' >"$S/script"; chmod +x "$S/script"
err_case script "is a script, not a Python interpreter" -p "$S/script" "$S/e"
printf 'hello\n' >"$S/text"; chmod +x "$S/text"
err_case not-elf "not a Python interpreter" -p "$S/text" "$S/e"
printf 'hello\n' >"$S/noexec"
err_case not-executable "not an executable file" -p "$S/noexec" "$S/e"
py2=$(ls "$PYENV_VERSIONS"/2.*/bin/python2.[0-9]* /usr/bin/python2.[0-9]* 2>/dev/null | head -n 1)
if [ -n "$py2" ]; then
	m=${py2##*/python}
	err_case python2 "Python $m is not supported" -p "$py2" "$S/e"
else
	skip python2 "no Python 2 on this machine"
fi
if [ -x /usr/bin/python3 ]; then
	# an interpreter copied away from its standard library (one Debian does not have in /lib)
	dm=$(py_minor /usr/bin/python3)
	for v in $vers; do
		m=${v#3.}; m=${m%%.*}
		[ "$m" = "$dm" ] && continue
		mkdir -p "$S/broken/bin"; cp "$PYENV_VERSIONS/$v/bin/python3.$m" "$S/broken/bin/"
		err_case broken-install "broken Python 3.$m installation" -p "$S/broken/bin/python3.$m" "$S/e"
		break
	done
	err_case colon-path "cannot contain ':'" -p /usr/bin/python3 "$S/e:x"
	err_case newline-path "venv path" -p /usr/bin/python3 "$S/e
x"
	err_case newline-prompt "prompt" -p /usr/bin/python3 --prompt "a
b" "$S/e"
	err_case tab-prompt "prompt" -p /usr/bin/python3 --prompt "a	b" "$S/e"
	err_case bad-utf8-prompt "prompt" -p /usr/bin/python3 --prompt "$(printf 'a\377b')" "$S/e"
	touch "$S/file"
	mkvenv -q --without-pip -p /usr/bin/python3 "$S/file" 2>"$S/err"
	[ $? = 1 ] && grep -q "$S/file: exists and is not a directory" "$S/err" && [ -f "$S/file" ] && pass not-a-dir || fail not-a-dir "$(cat "$S/err")"
	# --clear never wipes a directory that is not a venv
	mkdir -p "$S/home/docs"; echo precious >"$S/home/docs/f"
	mkvenv -q --without-pip -p /usr/bin/python3 --clear "$S/home" 2>"$S/err"
	[ $? = 1 ] && grep -q 'not a virtual environment (no pyvenv.cfg); refusing to clear it' "$S/err" &&
		[ "$(cat "$S/home/docs/f")" = precious ] && pass clear-refuses || fail clear-refuses "$(cat "$S/err")"
	# --clear removes links inside the venv, never what they point to
	rm -rf "$S/cv"; mkvenv -q --without-pip -p /usr/bin/python3 "$S/cv"
	mkdir -p "$S/outside"; echo keep >"$S/outside/f"
	ln -s "$S/outside" "$S/cv/lib/link-out"; ln -s "$S/outside/f" "$S/cv/flink"
	mkvenv -q --without-pip -p /usr/bin/python3 --clear "$S/cv" && [ "$(cat "$S/outside/f")" = keep ] &&
		[ ! -e "$S/cv/flink" ] && [ ! -e "$S/cv/lib/link-out" ] && pass clear-links || fail clear-links "outside touched or links kept"
	# a venv in an existing, non-empty directory, as venv allows (and --clear of a link to one)
	mkdir -p "$S/proj2"; echo code >"$S/proj2/main.py"
	(cd "$S/proj2" && mkvenv -q --without-pip -p /usr/bin/python3 .) && [ -e "$S/proj2/pyvenv.cfg" ] &&
		[ "$(cat "$S/proj2/main.py")" = code ] && pass in-place || fail in-place "not created in place"
	ln -sfn "$S/cv" "$S/cvlink"
	mkvenv -q --without-pip -p /usr/bin/python3 --clear "$S/cvlink" && [ -L "$S/cvlink" ] && [ -e "$S/cv/pyvenv.cfg" ] &&
		pass clear-through-link || fail clear-through-link "link replaced"

	# ---- output: nothing on stdout, one line on stderr, -q silent
	rm -rf "$S/o"; mkvenv --without-pip -p /usr/bin/python3 "$S/o" >"$S/out" 2>"$S/err"
	[ ! -s "$S/out" ] && [ "$(wc -l <"$S/err")" = 1 ] && grep -q "^mkvenv: created $S/o with Python 3" "$S/err" &&
		pass output || fail output "stdout: $(cat "$S/out") stderr: $(cat "$S/err")"
	rm -rf "$S/o"; mkvenv -q --without-pip -p /usr/bin/python3 "$S/o" >"$S/out" 2>"$S/err"
	[ ! -s "$S/out" ] && [ ! -s "$S/err" ] && pass quiet || fail quiet "$(cat "$S/err")"
	rm -rf "$S/m1" "$S/m2"; mkvenv -q --without-pip -p /usr/bin/python3 "$S/m1" "$S/m2" &&
		[ -e "$S/m1/pyvenv.cfg" ] && [ -e "$S/m2/pyvenv.cfg" ] && pass several-dirs || fail several-dirs "not both"
	rm -rf "$S/nest"; mkvenv -q --without-pip -p /usr/bin/python3 "$S/nest/a/b" && [ -e "$S/nest/a/b/pyvenv.cfg" ] &&
		pass parents || fail parents "parents not made"
	(cd "$S" && rm -rf .venv && mkvenv -q --without-pip -p /usr/bin/python3) && [ -e "$S/.venv/pyvenv.cfg" ] &&
		pass default-dir || fail default-dir "no .venv"

	# ---- SOURCE_DATE_EPOCH: the same path twice gives identical trees, mtimes included
	rm -rf "$S/r"; SOURCE_DATE_EPOCH=1700000000 mkvenv -q --without-pip -p /usr/bin/python3 "$S/r" && hashtree "$S/r" >"$S/r1"
	sleep 1.1
	rm -rf "$S/r"; SOURCE_DATE_EPOCH=1700000000 mkvenv -q --without-pip -p /usr/bin/python3 "$S/r" && hashtree "$S/r" >"$S/r2"
	same_files reproducible "$S/r1" "$S/r2"
	grep -q '^d 755 1700000000' "$S/r1" && pass epoch-mtime || fail epoch-mtime "$(head -3 "$S/r1")"
fi
