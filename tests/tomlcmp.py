#!/usr/bin/python3
"""tomlcmp.py DUMP FILE...: compares what tests/tomldump (venvbox's TOML reader) printed into
DUMP for each FILE with what Python's tomllib reads from it, one line per FILE:
  ok FILE            both accept it with the same values, or both refuse it
  differ FILE: WHY   one accepts what the other refuses, or the values differ
A file under an "invalid" directory must be refused, one under "valid" accepted; an invalid
file whose first line is "# tomllib accepts: REASON" must be accepted by tomllib (and refused
by venvbox: TOML 1.0 says so, REASON says where tomllib is laxer). An invalid file whose
first line holds "line N" must be refused at that line. Any other file (the fuzzer's corpus)
is read alike by both, or refused by both, but where venvbox refuses what TOML 1.0 lets it
(an integer beyond 64 bits) or what is past its bounds (nesting, parts of a key).
Standard library only (3.11+)."""
import datetime
import json
import math
import re
import sys
import tomllib


def theirs(v):
	"""tomllib's value, in the tagged form tomldump prints, decoded"""
	if isinstance(v, dict):
		return {k: theirs(x) for k, x in v.items()}
	if isinstance(v, list):
		return [theirs(x) for x in v]
	if isinstance(v, bool):
		return ("bool", v)
	if isinstance(v, int):
		return ("integer", v)
	if isinstance(v, float):
		return ("float", "nan" if math.isnan(v) else v)
	if isinstance(v, str):
		return ("string", v)
	if isinstance(v, datetime.datetime):
		return ("datetime" if v.tzinfo else "datetime-local", v)
	if isinstance(v, datetime.date):
		return ("date-local", v)
	if isinstance(v, datetime.time):
		return ("time-local", v)
	raise ValueError("unexpected %r" % (v,))


def ours(v):
	"""tomldump's tagged JSON, decoded: floats and date-times as the text they kept denotes"""
	if isinstance(v, list):
		return [ours(x) for x in v]
	if set(v) == {"type", "value"} and isinstance(v["type"], str) and isinstance(v["value"], str):
		t, s = v["type"], v["value"]
		if t == "integer":
			return (t, int(s))
		if t == "bool":
			return (t, s == "true")
		if t == "float":
			f = float(s.replace("_", ""))
			return (t, "nan" if math.isnan(f) else f)
		if t == "string":
			return (t, s)
		# the text kept must be one date-time literal, the same value as tomllib read there
		return (t, tomllib.loads("x = " + s)["x"])
	return {k: ours(x) for k, x in v.items()}


def read_dump(path):
	"""{FILE: the line printed for it} of tomldump's output (also with --lock)"""
	got, cur = {}, None
	with open(path, encoding="utf-8") as f:
		for line in f:
			line = line.rstrip("\n")
			if line.startswith("== "):
				cur = line[3:]
			elif cur is not None:
				got[cur] = line
	return got


def main():
	files = sys.argv[2:]
	got = read_dump(sys.argv[1])
	for path in files:
		data = open(path, "rb").read()
		first = data.split(b"\n", 1)[0].decode("utf-8", "replace")
		try:
			ref, why = tomllib.loads(data.decode("utf-8")), None
		except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
			ref, why = None, str(e)
		mine = got.get(path)
		invalid = "/invalid/" in path
		free = not invalid and "/valid/" not in path
		lax = first.startswith("# tomllib accepts:")
		if mine is None:
			print("differ %s: tomldump printed nothing for it" % path)
		elif mine.startswith("refused: "):
			msg = mine[9:]
			m = re.match(r"(.*?):(\d+): ", msg)
			want = re.search(r"\bline (\d+)\b", first) if invalid else None
			if not m or m.group(1) != path:
				print("differ %s: the message does not start with FILE:LINE: %s" % (path, msg))
			elif free:
				limit = any(x in msg for x in ("out of the 64-bit range", "nested more than", "a key of more than"))
				print("ok %s" % path if ref is None or limit else "differ %s: tomllib accepts it, venvbox refuses it: %s" % (path, msg))
			elif not invalid:
				print("differ %s: refused a valid document: %s" % (path, msg))
			elif ref is not None and not lax:
				print("differ %s: tomllib accepts it, venvbox refuses it: %s" % (path, msg))
			elif ref is None and lax:
				print("differ %s: marked as one tomllib accepts, but it refuses it: %s" % (path, why))
			elif want and want.group(1) != m.group(2):
				print("differ %s: refused at line %s, expected line %s: %s" % (path, m.group(2), want.group(1), msg))
			else:
				print("ok %s" % path)
		elif ref is None:
			print("differ %s: venvbox accepts it, tomllib refuses it: %s" % (path, why))
		elif invalid:
			print("differ %s: accepted an invalid document" % path)
		else:
			a, b = ours(json.loads(mine)), theirs(ref)
			print("ok %s" % path if a == b else "differ %s: values differ: venvbox %r, tomllib %r" % (path, a, b))


if __name__ == "__main__":
	main()
