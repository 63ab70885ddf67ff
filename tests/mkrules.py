# tests/mkrules.py OUTDIR MINOR: the wheels of tests/t_wheel_rules.sh (the installer rules of
# a 2026 installer), written with zipfile; one "NAME<TAB>FILE" line each in OUTDIR/list.
import base64, hashlib, os, stat, sys, zipfile

OUT, MINOR = sys.argv[1], int(sys.argv[2])
os.makedirs(OUT, exist_ok=True)
LIST = []


def b64(d, alg="sha256"):
	return base64.urlsafe_b64encode(hashlib.new(alg, d).digest()).rstrip(b"=").decode()


def wheel(case, dist, files=(), *, fname=None, wheel_version="1.0", meta=None, eps=None,
	  alg="sha256", unlisted=()):
	"""FILES: (member, bytes, unix mode or None for a directory entry)."""
	di = "%s-1.0.dist-info" % dist
	ents = [("%s/__init__.py" % dist, b"def main():\n    print('%s-ok')\n" % dist.encode(), 0o100644)]
	ents += list(files)
	ents.append((di + "/WHEEL", ("Wheel-Version: %s\nGenerator: mkrules.py\nRoot-Is-Purelib: true\n"
				     "Tag: py3-none-any\n" % wheel_version).encode(), 0o100644))
	ents.append((di + "/METADATA", (meta or "Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % dist).encode(), 0o100644))
	if eps:
		ents.append((di + "/entry_points.txt", eps.encode(), 0o100644))
	rows = []
	for n, d, m in ents:
		if m is None or n in unlisted:
			continue
		a = alg if n.endswith("__init__.py") and n.startswith(dist + "/") else "sha256"
		rows.append("%s,%s=%s,%d" % (n, a, b64(d, a), len(d)))
	rows.append(di + "/RECORD,,")
	ents.append((di + "/RECORD", ("\n".join(rows) + "\n").encode(), 0o100644))
	fname = fname or "%s-1.0-py3-none-any.whl" % dist
	with zipfile.ZipFile(os.path.join(OUT, fname), "w", zipfile.ZIP_DEFLATED) as z:
		for n, d, m in ents:
			zi = zipfile.ZipInfo(n, (2026, 1, 1, 0, 0, 0))
			zi.create_system = 3
			zi.compress_type = zipfile.ZIP_DEFLATED
			zi.external_attr = ((m if m is not None else 0o40755) << 16) | (0x10 if m is None else 0)
			z.writestr(zi, d)
	LIST.append("%s\t%s" % (case, fname))


R, X = 0o100644, 0o100755
# -- refused: what would replace the venv's interpreter or its own files, case variants too
for i, (rel, mode) in enumerate([
		("scripts/Python", X), ("scripts/PYTHON3", X), ("scripts/python3.%d" % MINOR, X),
		("scripts/Python3.%d" % MINOR, X), ("scripts/python3.99", X), ("scripts/python3.%dt" % MINOR, X),
		("scripts/python", X), ("scripts/pypy3", X), ("data/bin/python", X), ("data/bin/Python", X),
		("data/BIN/python3", X), ("scripts/activate", R), ("scripts/Activate", R),
		("scripts/ACTIVATE.FISH", R), ("data/bin/activate.ps1", R), ("scripts/activate_this.py", R),
		("data/pyvenv.cfg", R), ("data/PyVenv.Cfg", R), ("data/.GITIGNORE", R), ("data/Lib64/x", R)]):
	d = "rsv%d" % i
	wheel("reserved:%s" % rel, d, [("%s-1.0.data/%s" % (d, rel), b"#!/bin/sh\necho pwned\n", mode)])
for i, name in enumerate(["Python", "PYTHON3", "python3.%d" % MINOR, "pypy", "Activate.PS1", "activate.csh",
			  "../x", "a/b", "/tmp/x", "..", "."]):
	d = "rep%d" % i
	wheel("ep:%s" % name, d, eps="[console_scripts]\n%s = %s:main\n" % (name, d))
wheel("ep:member-case", "rmc", [("rmc-1.0.data/scripts/Tool", b"#!python\n", X)], eps="[console_scripts]\ntool = rmc:main\n")
# -- refused: .data/scripts holds regular files only
wheel("scripts:subdir-entry", "rsd", [("rsd-1.0.data/scripts/", b"", None), ("rsd-1.0.data/scripts/sub/", b"", None)])
wheel("scripts:fifo", "rfi", [("rfi-1.0.data/scripts/fifo", b"", stat.S_IFIFO | 0o644)])
wheel("member:dir-mode", "rdm", [("rdm/notadir", b"x\n", stat.S_IFDIR | 0o755)])
wheel("member:chardev", "rcd", [("rcd-1.0.data/data/share/tty", b"", stat.S_IFCHR | 0o644)])
# -- refused: weak RECORD hashes, variant wheels, newer major versions
wheel("record:md5", "rmd", alg="md5")
wheel("record:sha1", "rsh", alg="sha1")
wheel("name:variant", "rva", fname="rva-1.0-py3-none-any-x86_64_v3.whl")
wheel("name:variant-build", "rvb", fname="rvb-1.0-1-py3-none-any-cuda12.whl")
wheel("name:build-not-digit", "rbd", fname="rbd-1.0-b1-py3-none-any.whl")
wheel("wheel:2.0", "rw2", wheel_version="2.0")
wheel("wheel:junk", "rwj", wheel_version="one")
wheel("meta:3.0", "rm3", meta="Metadata-Version: 3.0\nName: rm3\nVersion: 1.0\n")
# -- installed
S = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) + b"#!python\n"
wheel("ok:scripts", "oks", [
	("oks-1.0.data/scripts/", b"", None),
	("oks-1.0.data/scripts/s-py", b"#!python\nimport sys; print('s-py-ok')\n", X),
	("oks-1.0.data/scripts/s-pyw-crlf", b"#!pythonw\r\nprint('s-pyw-ok')\r\n", X),
	("oks-1.0.data/scripts/s-py3-args", b"#!python3 -E\nprint('s-py3-ok')\n", X),
	("oks-1.0.data/scripts/s-nonl", b"#!python", X),
	("oks-1.0.data/scripts/s-upper", b"#!Python\nprint(1)\n", X),
	("oks-1.0.data/scripts/s-space", b"#! python\nprint(1)\n", X),
	("oks-1.0.data/scripts/s-bom", b"\xef\xbb\xbf#!python\nprint(1)\n", X),
	("oks-1.0.data/scripts/s-env", b"#!/usr/bin/env python3\nprint('s-env-ok')\n", X),
	("oks-1.0.data/scripts/s-native", S, X),
	("oks-1.0.data/scripts/s-plain", b"#!python\nprint('not executable')\n", R),
	("oks-1.0.data/scripts/python-config-like", b"#!/bin/sh\necho ok\n", X)])
wheel("ok:meta", "okm", meta="Metadata-Version: 2.7\nName: okm\nVersion: 1.0\nRequires-Python: >=3\n"
      "Import-Name: okm\nFuture-Field: something new\nSummary: a newer minor version\n\nbody\n")
wheel("ok:wheel1.9", "okw", wheel_version="1.9")
wheel("ok:licenses", "okl", [
	("okl-1.0.dist-info/licenses/LICENSE", b"MIT\n", R),
	("okl-1.0.dist-info/licenses/vendor/NOTICE.txt", b"vendored\n", R),
	("okl-1.0.dist-info/sboms/okl.cdx.json", b'{"bomFormat": "CycloneDX"}\n', R),
	("okl-1.0.dist-info/RECORD.jws", b"signature\n", R),
	("okl-1.0.dist-info/RECORD.p7s", b"signature\n", R)],
      unlisted=("okl-1.0.dist-info/RECORD.jws", "okl-1.0.dist-info/RECORD.p7s"))
wheel("ok:pycache", "okp", [
	("okp/m.py", b"M = 1\n", R),
	("okp/__pycache__/m.cpython-3%d.pyc" % MINOR, b"\x00not bytecode at all", R),
	("okp/sub/__pycache__/x.pyc", b"\x00", R),
	("okp-1.0.data/data/share/okp/__pycache__/y.pyc", b"\x00", R),
	("okp/__pycache__.py", b"P = 1\n", R)])
wheel("ok:startup", "okh", [
	("okh.pth", b"# a comment\nimport okh; okh.__name__\n../not-a-hook\nimport\tos\n", R),
	("okh.start", b"# PEP 829\nokh:main\n\nokh.sub:go\n", R),
	("okh_paths.pth", b"okh_paths_dir\n# import nothing\n", R),
	(".hidden.pth", b"import os\n", R)])
with open(os.path.join(OUT, "list"), "w") as f:
	f.write("\n".join(LIST) + "\n")
