"""zipls.py LISTFILE: lists archives as this interpreter's zipfile reads them (pip's reader), in
the format of tests/zipls.c, for tests/t_zip_diff.sh. LISTFILE names one archive a line. For
each: "== FILE", then "NAME SIZE SHA256" per entry of infolist() (NAME as UTF-8, its bytes
outside '!'..'~' and the backslash as \\xNN; the size and SHA-256 of every byte read), or one
"refused: REASON" line when zipfile refuses the archive or any entry (a CRC error too).
Runs on Python 2.7 and every Python 3; standard library only."""
import hashlib
import sys
import warnings
import zipfile


def shown(name):
	if not isinstance(name, bytes):
		name = name.encode("utf-8", "surrogateescape" if sys.version_info[0] > 2 else "strict")
	return "".join(chr(c) if 0x20 < c < 0x7f and c != 0x5c else "\\x%02x" % c for c in bytearray(name))


def listing(path):
	lines = []
	with zipfile.ZipFile(path) as z:
		for info in z.infolist():
			h, n = hashlib.sha256(), 0
			f = z.open(info)
			while True:
				b = f.read(65536)
				if not b:
					break
				h.update(b)
				n += len(b)
			f.close()
			lines.append("%s %d %s" % (shown(info.filename), n, h.hexdigest()))
	return lines


def main():
	warnings.simplefilter("ignore")	# duplicate names, empty Unicode Path fields
	out = sys.stdout
	for path in open(sys.argv[1]).read().splitlines():
		out.write("== %s\n" % path)
		try:
			lines = listing(path)
		except Exception as x:	# whatever zipfile raises is a refusal
			lines = ["refused: %s: %s" % (type(x).__name__, str(x).replace("\n", " "))]
		out.write("".join(l + "\n" for l in lines))


main()
