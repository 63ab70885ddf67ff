# t_mkvenv_diff.sh: mkvenv against `python -m venv --without-pip` of the same interpreter,
# for every CPython 3 on the machine and every option venv has: the same tree (names,
# types, modes, link targets), the same pyvenv.cfg lines (but `command` and our own key),
# and the same view of the world from inside (sys, site, sysconfig, isolation).
. "$TESTS/lib.sh"

probe='import sys, site, sysconfig, json
try:
    import six_is_not_here
except ImportError:
    pass
gsp = site.getsitepackages() if hasattr(site, "getsitepackages") else None
print(json.dumps({"prefix": sys.prefix, "base_prefix": sys.base_prefix,
    "executable": sys.executable, "PREFIXES": site.PREFIXES, "sitepackages": gsp,
    "paths": sysconfig.get_paths(), "ENABLE_USER_SITE": site.ENABLE_USER_SITE,
    "path": [p for p in sys.path if p]}, sort_keys=True, indent=1))'

# cfg_lines FILE: pyvenv.cfg without the lines that are meant to differ
cfg_lines() { grep -v -e '^command = ' -e '^venvbox = ' "$1"; }

# compare NAME PY MINOR OPTS...: one venv each way in $SCRATCH/{ref,vb}/NAME
compare() {
	name=$1 py=$2 minor=$3; shift 3
	ref="$SCRATCH/ref/$name" vb="$SCRATCH/vb/$name"
	refopts=()
	for o in "$@"; do	# venv before 3.13 writes no .gitignore and lacks the option
		[ "$o" = --without-scm-ignore-files ] && [ "$minor" -lt 13 ] || refopts+=("$o")
	done
	if ! (cd "$SCRATCH" && "$py" -m venv --without-pip "${refopts[@]}" "$ref") >"$SCRATCH/ref.err" 2>&1; then
		fail "$name/ref" "python -m venv failed: $(cat "$SCRATCH/ref.err")"
		return
	fi
	if ! (cd "$SCRATCH" && mkvenv -q --without-pip -p "$py" "$@" "$vb") >"$SCRATCH/vb.err" 2>&1; then
		fail "$name/mkvenv" "mkvenv failed: $(cat "$SCRATCH/vb.err")"
		return
	fi
	tree "$ref" >"$SCRATCH/ref.tree"
	tree "$vb" >"$SCRATCH/vb.tree"
	if [ "$minor" -lt 13 ]; then
		# our one intended difference: .gitignore for every version (SPEC §2.2)
		case " $* " in
		*" --without-scm-ignore-files "*) ;;
		*) grep -q '^f 644 ./.gitignore ' "$SCRATCH/vb.tree" || fail "$name/gitignore" "no .gitignore"
		   sed -i '/ \.\/\.gitignore /d' "$SCRATCH/vb.tree" ;;
		esac
	fi
	same_files "$name/tree" "$SCRATCH/ref.tree" "$SCRATCH/vb.tree"
	cfg_lines "$ref/pyvenv.cfg" >"$SCRATCH/ref.cfg"
	cfg_lines "$vb/pyvenv.cfg" >"$SCRATCH/vb.cfg"
	case " $* " in
	*" --prompt . "*) [ "$minor" -lt 9 ] && [ "$minor" -ge 8 ] &&
		sed -i "s/^prompt = '.'\$/prompt = '$(basename "$SCRATCH")'/" "$SCRATCH/ref.cfg" ;;
	esac
	same_files "$name/pyvenv.cfg" "$SCRATCH/ref.cfg" "$SCRATCH/vb.cfg"
	grep -q "^venvbox = " "$vb/pyvenv.cfg" && pass "$name/venvbox-key" || fail "$name/venvbox-key" "missing"
	if [ "$minor" -ge 11 ]; then
		grep -q "^command = .* mkvenv .*$vb\$" "$vb/pyvenv.cfg" && pass "$name/command" ||
			fail "$name/command" "$(grep '^command' "$vb/pyvenv.cfg")"
	fi
	"$ref/bin/python" -c "$probe" 2>&1 | sed "s|$ref|ENV|g" >"$SCRATCH/ref.probe"
	"$vb/bin/python" -c "$probe" 2>&1 | sed "s|$vb|ENV|g" >"$SCRATCH/vb.probe"
	same_files "$name/inside" "$SCRATCH/ref.probe" "$SCRATCH/vb.probe"
}

n=0
for py in $(pythons); do
	minor=$(py_minor "$py")
	case $py in /usr/bin/*) id=debian ;; *) id=${py%/bin/*}; id=${id##*/} ;; esac
	n=$((n + 1))
	compare "$id-default" "$py" "$minor"
	compare "$id-copies" "$py" "$minor" --copies
	compare "$id-system" "$py" "$minor" --system-site-packages
	compare "$id-prompt" "$py" "$minor" --prompt "my prompt"
	compare "$id-promptdot" "$py" "$minor" --prompt .
	compare "$id-noscm" "$py" "$minor" --without-scm-ignore-files
	# --clear: an existing venv with a package in it, cleared by each tool
	for side in ref vb; do
		d="$SCRATCH/$side/$id-clear"
		"$py" -m venv --without-pip "$d" && touch "$d/lib/python3.$minor/site-packages/junk.py"
	done
	compare "$id-clear" "$py" "$minor" --clear
	# --upgrade: an existing venv upgraded in place; site-packages kept
	for side in ref vb; do
		d="$SCRATCH/$side/$id-upgrade"
		"$py" -m venv --without-pip "$d" && touch "$d/lib/python3.$minor/site-packages/kept.py"
	done
	compare "$id-upgrade" "$py" "$minor" --upgrade
	[ -e "$SCRATCH/vb/$id-upgrade/lib/python3.$minor/site-packages/kept.py" ] &&
		pass "$id-upgrade/kept" || fail "$id-upgrade/kept" "site-packages lost"
done
[ "$n" -ge 1 ] && pass interpreters-found || fail interpreters-found "no CPython 3 on this machine"
