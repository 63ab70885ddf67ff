# demo.sh: the main job, shown: a venv made by mkvenv with the default interpreter, used.
set -eu
cd "$(dirname "$0")/.."
out=build/out/demo
rm -rf "$out" && mkdir -p "$out"
export PATH="$PWD/build/out/bin:$PATH"
echo "\$ mkvenv $out/.venv"
mkvenv "$out/.venv"
echo "\$ cat $out/.venv/pyvenv.cfg"
cat "$out/.venv/pyvenv.cfg"
echo "\$ $out/.venv/bin/python -c 'import sys; print(sys.prefix)'"
"$out/.venv/bin/python" -c 'import sys; print(sys.prefix)'
echo "\$ . $out/.venv/bin/activate && python -c 'import sys; print(sys.prefix != sys.base_prefix)'"
# shellcheck disable=SC1091
. "$out/.venv/bin/activate" && python -c 'import sys; print(sys.prefix != sys.base_prefix)'
echo "\$ $out/.venv/bin/pip --version"
"$out/.venv/bin/pip" --version || echo "(no pip wheel was found; see the warning above)"
echo "\$ venvinfo $out/.venv"
venvinfo "$out/.venv"
