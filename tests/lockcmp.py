#!/usr/bin/python3
"""lockcmp.py DUMP FILE...: checks what `tomldump --lock` (venvbox's lock reader) printed into
DUMP for each lock FILE, one line per FILE: "ok FILE" or "differ FILE: WHY".
A FILE whose first line is "# line N: TEXT" must be refused at line N with TEXT in the
message. Any other FILE must be read, to what the pylock.toml specification says its
packages and wheels are, worked out here from Python's tomllib: each package's name,
version, marker and requires-python; each wheel's file name (its name, else the last
component of its path or of its URL's path, %-decoded), path, url, size, upload-time and
hashes (lower case). Its "# no-wheel NAME: TEXT" lines name the packages that must be
refused for having no wheel (TEXT in the message), its "# warning: TEXT" lines the warnings
expected; no other warning may come. Standard library only (3.11+); tomlcmp.py beside it."""
import json
import os
import posixpath
import re
import sys
import tomllib
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tomlcmp import read_dump	# noqa: E402 (beside this file)


def wheel_name(w):
	if "name" in w:
		return w["name"]
	if "path" in w:
		return posixpath.basename(w["path"])
	return urllib.parse.unquote(posixpath.basename(urllib.parse.urlsplit(w["url"]).path))


def expect(doc):
	pk = []
	for p in doc["packages"]:
		ws = []
		for w in p.get("wheels", []):
			ws.append({"name": wheel_name(w), "path": w.get("path"), "url": w.get("url"),
				   "size": w.get("size", -1),
				   "upload-time": w["upload-time"] if "upload-time" in w else None,
				   "hashes": {k.lower(): v.lower() for k, v in w["hashes"].items()}})
		pk.append({"name": p["name"], "version": p.get("version"), "marker": p.get("marker"),
			   "requires-python": p.get("requires-python"), "wheels": ws})
	return {"lock-version": doc["lock-version"], "created-by": doc["created-by"],
		"requires-python": doc.get("requires-python"), "environments": doc.get("environments", []),
		"extras": doc.get("extras", []), "dependency-groups": doc.get("dependency-groups", []),
		"default-groups": doc.get("default-groups", []), "packages": pk}


def ours(got):
	"""the dump as expect() puts it (upload-time read back as the datetime it was written as)"""
	for p in got["packages"]:
		for w in p["wheels"]:
			del w["line"], w["tags"]
			if w["upload-time"] is not None:
				w["upload-time"] = tomllib.loads("x = " + w["upload-time"])["x"]
		for k in ("line", "no-wheel"):
			del p[k]
	del got["warnings"]
	return got


def check(path, line):
	data = open(path, "rb").read()
	head = [l.decode("utf-8", "replace") for l in data.split(b"\n") if l.startswith(b"# ")]
	first = head[0] if head and data.startswith(b"# ") else ""
	m = re.match(r"# line (\d+): (.*)", first)
	if line.startswith("refused: "):
		msg = line[9:]
		if not m:
			return "refused: " + msg
		if not msg.startswith("%s:%s: " % (path, m.group(1))):
			return "refused, but not at line %s: %s" % (m.group(1), msg)
		if m.group(2) not in msg:
			return "refused, but the message lacks %r: %s" % (m.group(2), msg)
		return None
	if m:
		return "accepted, where line %s should have been refused (%s)" % (m.group(1), m.group(2))
	got = json.loads(line)
	nowheel = {p["name"]: p["no-wheel"] for p in got["packages"]}
	warns = [w for w in got["warnings"].split("\n") if w]
	for h in head:
		n = re.match(r"# no-wheel (\S+): (.*)", h)
		if n:
			if not nowheel.get(n.group(1)) or n.group(2) not in nowheel[n.group(1)]:
				return "package %s: no-wheel message %r lacks %r" % (n.group(1), nowheel.get(n.group(1)), n.group(2))
			del nowheel[n.group(1)]
		n = re.match(r"# warning: (.*)", h)
		if n:
			hit = [w for w in warns if n.group(1) in w]
			if not hit:
				return "no warning with %r (warnings: %r)" % (n.group(1), warns)
			warns.remove(hit[0])
	if any(nowheel.values()):
		return "unexpected no-wheel refusals: %r" % {k: v for k, v in nowheel.items() if v}
	if warns:
		return "unexpected warnings: %r" % warns
	for w in [w for p in got["packages"] for w in p["wheels"]]:
		if w["line"] < 1:
			return "a wheel without its line"
	a, b = ours(got), expect(tomllib.loads(data.decode()))
	return None if a == b else "differs from the spec's reading: venvbox %r, expected %r" % (a, b)


def main():
	got = read_dump(sys.argv[1])
	for path in sys.argv[2:]:
		why = check(path, got[path]) if path in got else "tomldump printed nothing for it"
		print("ok %s" % path if why is None else "differ %s: %s" % (path, why))


main()
