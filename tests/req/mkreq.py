#!/usr/bin/python3
"""mkreq.py OUTDIR MINOR ARCH: the synthetic wheels of tests/t_requirements.sh, for a CPython
3.MINOR on ARCH: several versions, tags, build tags and pre-releases of a few projects, and
Requires-Dist cases for the closure check. Standard library only; written with zipfile."""
import base64, hashlib, os, sys, zipfile

out, minor, arch = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
cp = "cp3%d" % minor

def wheel(name, version, tags="py3-none-any", build=None, requires=(), requires_python=None):
    esc = name.replace("-", "_")
    dist = "%s-%s" % (esc, version)
    meta = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)
    if requires_python:
        meta += "Requires-Python: %s\n" % requires_python
    for r in requires:
        meta += "Requires-Dist: %s\n" % r
    files = {
        "%s/__init__.py" % esc: ("VERSION = %r\nTAGS = %r\n" % (version, tags)).encode(),
        "%s.dist-info/METADATA" % dist: meta.encode(),
        "%s.dist-info/WHEEL" % dist: ("Wheel-Version: 1.0\nGenerator: mkreq\nRoot-Is-Purelib: true\n"
                                      + "".join("Tag: %s\n" % t for t in expand(tags))).encode(),
    }
    rec = ["%s,sha256=%s,%d" % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode(), len(d))
           for n, d in files.items()] + ["%s.dist-info/RECORD,," % dist]
    parts = [esc, version] + ([build] if build else []) + [tags]
    with zipfile.ZipFile(os.path.join(out, "-".join(parts) + ".whl"), "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            z.writestr(n, d)
        z.writestr("%s.dist-info/RECORD" % dist, "\n".join(rec) + "\n")

def expand(tags):
    py, abi, plat = (p.split(".") for p in tags.split("-"))
    return ["%s-%s-%s" % (a, b, c) for a in py for b in abi for c in plat]

# newest allowed; a pre-release newer than all
for v in ("1.0", "1.5", "2.0", "2.1rc1"):
    wheel("alpha", v)
# of one version, the best tag: native before abi3 before none; manylinux before linux
wheel("beta", "1.0")
wheel("beta", "1.0", "%s-abi3-manylinux_2_17_%s" % (cp, arch))
wheel("beta", "1.0", "%s-%s-manylinux_2_17_%s" % (cp, cp, arch))
wheel("beta", "1.0", "%s-%s-linux_%s" % (cp, cp, arch))
wheel("beta", "0.9", "%s-%s-manylinux_2_28_%s" % (cp, cp, arch))
# a wheel for another interpreter only, and one other newer that does run
wheel("gamma", "3.0", "cp2%d-cp2%d-manylinux_2_17_%s" % (minor, minor, arch))
wheel("gamma", "2.0", "py2.py3-none-any")
# build tags: the higher wins
wheel("delta", "1.0", build="1")
wheel("delta", "1.0", build="2")
# Requires-Python excluding the newest
wheel("epsilon", "2.0", requires_python=">=3.%d" % (minor + 1))
wheel("epsilon", "1.0", requires_python=">=3.0")
# only pre-releases
wheel("zeta", "1.0b1")
wheel("zeta", "1.0b2")
# closure cases
wheel("needs", "1.0", requires=["beta>=1", "gamma (<3) ; python_version >= '3'",
                                "nowhere ; python_version < '3'", "alpha[extra1] ; extra == 'never'"])
wheel("wants-newer", "1.0", requires=["alpha>=3"])
wheel("wants-missing", "1.0", requires=["absent-project>=1", "delta ; os_name == 'posix'"])
wheel("with-extra", "1.0", requires=["delta ; extra == 'more'", "epsilon>=1; extra == 'more'"])
