# tests/corpus.py: the helpers of tests/t_corpus.sh, run by the tools venv's Python (packaging and
# installer), each over all the wheels in one process:
#   meta CORPUS.TXT DIR          one line per wheel: FILE SECTION NAME REQUIRES-PYTHON TOPS SCRIPTS NATIVE
#   pick META TAGCHECK-OUT X.Y.Z the wheels an interpreter takes: tags (venvbox's tagcheck) and
#                                Requires-Python fit; of one project, the one its own section chose
#   install VENV X.Y WHEEL...    pypa/installer's API into VENV (the twin of venvbox's install)
#   listing VENV META WHEEL...   files, modes and contents but the documented differences
import base64, csv, hashlib, io, os, re, stat, sys, zipfile

def norm(n):
    return re.sub(r"[-_.]+", "-", n).lower()

def headers(z, dist):
    raw = z.read(dist + "/METADATA").decode("utf-8", "replace")
    return raw.split("\n\n", 1)[0]

def field(hdr, key):
    for line in hdr.splitlines():
        k, _, v = line.partition(":")
        if k.strip().lower() == key.lower():
            return v.strip()
    return ""

def meta(corpus, d):
    section = None
    for line in open(corpus):
        if line.startswith("# target: "):
            section = "-".join(line[10:].split())
        elif line.strip() and not line.startswith("#"):
            f = line.rsplit("# ", 1)[1].strip()
            z = zipfile.ZipFile(os.path.join(d, f))
            names = z.namelist()
            dist = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
            hdr = headers(z, dist)
            tops = set()
            if dist + "/top_level.txt" in names:
                tops = {t.strip().replace("/", ".") for t in z.read(dist + "/top_level.txt").decode().split()}
            else:
                for n in names:
                    t = n.split("/")[0]
                    if t.endswith((".dist-info", ".data", ".libs", ".pth")) or t.startswith(("_", ".")):
                        continue
                    if "/" in n or t.endswith(".py") or ".so" in t:
                        tops.add(t.split(".")[0])
            tops = {t for t in tops if t and not t.startswith("_") and t.isidentifier()}
            scripts, native = set(), set()
            if dist + "/entry_points.txt" in names:
                sect = None
                for l in z.read(dist + "/entry_points.txt").decode().splitlines():
                    l = l.strip()
                    if l.startswith("["):
                        sect = l.strip("[]").strip()
                    elif "=" in l and sect in ("console_scripts", "gui_scripts"):
                        scripts.add(l.split("=")[0].strip())
            for n in names:
                p = n.split("/")
                if len(p) == 3 and p[0].endswith(".data") and p[1] == "scripts":
                    (native if z.read(n)[:4] == b"\x7fELF" else scripts).add(p[2])
            rp = field(hdr, "Requires-Python").replace(" ", "") or "-"
            print(f, section, norm(field(hdr, "Name")), rp, ",".join(sorted(tops)) or "-",
                  ",".join(sorted(scripts)) or "-", ",".join(sorted(native)) or "-")

def pick(metafile, tagout, version):
    from packaging.specifiers import SpecifierSet, InvalidSpecifier
    from packaging.version import Version
    ok = set()
    for line in open(tagout):
        fit, tags = line.split(None, 1)
        if fit == "1":
            ok.add(tags.split(":")[0].strip())
    v, x, y = Version(version), version.split(".")[0], version.split(".")[1]
    own = "cp%s%s-" % (x, y)
    best = {}
    for line in open(metafile):
        f, section, name, rp = line.split()[:4]
        if section.endswith("-refused") or "-".join(f[:-4].split("-")[-3:]) not in ok:
            continue
        try:
            if rp != "-" and v not in SpecifierSet(rp):
                continue
        except InvalidSpecifier:
            pass
        rank = 2 if section.startswith(own) else 1 if section == "host" else 0
        if name not in best or rank > best[name][0]:
            best[name] = (rank, f)
    for name in sorted(best):
        print(best[name][1])

def install(venv, xy, wheels):
    from installer import install as inst
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile
    site = os.path.join(venv, "lib", "python" + xy, "site-packages")
    for w in wheels:
        with WheelFile.open(w) as src:
            name = field(src.read_dist_info("METADATA").split("\n\n", 1)[0], "Name")
            scheme = {"purelib": site, "platlib": site, "scripts": os.path.join(venv, "bin"), "data": venv,
                      "headers": os.path.join(venv, "include", "site", "python" + xy, name)}
            dest = SchemeDictionaryDestination(scheme, os.path.join(venv, "bin", "python"), "posix",
                                               bytecode_optimization_levels=[])
            inst(src, dest, {})

def listing(venv, metafile, wheels):
    chosen = {os.path.basename(w) for w in wheels}
    launchers = set()
    for line in open(metafile):
        p = line.split()
        if p[0] in chosen and p[5] != "-":
            launchers |= set(p[5].split(","))
    skip = {"INSTALLER", "REQUESTED", "RECORD"}
    out = []
    for root, dirs, files in os.walk(venv):
        rel = os.path.relpath(root, venv)
        out.append("d %s" % rel)
        for f in files:
            p = os.path.join(root, f)
            r = os.path.normpath(os.path.join(rel, f))
            if r in ("pyvenv.cfg", ".gitignore") or f in skip and rel.endswith(".dist-info"):
                continue
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out.append("l %s -> %s" % (r, os.readlink(p)))
                continue
            data = open(p, "rb").read()
            if rel == "bin":
                if f in launchers or f.startswith(("activate", "Activate", "python", "pip")):
                    data = b"(launcher)"
                data = data.replace(venv.encode(), b"VENV")
            out.append("f %o %s %s" % (stat.S_IMODE(st.st_mode), hashlib.sha256(data).hexdigest()[:16], r))
        # RECORD: the same rows in any order, but launchers and INSTALLER/REQUESTED/RECORD's own
        if rel.endswith(".dist-info") and "RECORD" in files:
            for row in sorted(csv.reader(open(os.path.join(root, "RECORD"), newline=""))):
                base = row[0].rsplit("/", 1)[-1]
                if row[0].startswith("../../../bin/"):
                    if base in launchers:
                        continue
                    row = row[:1] + ["(script)"]
                elif base in skip and row[0].split("/")[0].endswith(".dist-info"):
                    continue
                out.append("r %s %s" % (rel, ",".join(row)))
    print("\n".join(sorted(out)))

cmd = sys.argv[1]
if cmd == "meta":
    meta(sys.argv[2], sys.argv[3])
elif cmd == "pick":
    pick(*sys.argv[2:5])
elif cmd == "install":
    install(sys.argv[2], sys.argv[3], sys.argv[4:])
elif cmd == "listing":
    listing(sys.argv[2], sys.argv[3], sys.argv[4:])
