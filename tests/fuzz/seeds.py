#!/usr/bin/python3
"""seeds.py OUTDIR: writes the seed corpora and dictionaries of the fuzz targets (tests/fuzz/)
into OUTDIR/{zip,wheel,text} and OUTDIR/{zip,wheel,text}.dict, from what is on the machine:

  zip    tests/mkwheels.py's fixtures as written (valid and hostile archives), and the real
         wheels (/usr/share/python-wheels, pyenv's ensurepip) cut down to a few members and
         written stored, deflated, streamed (data descriptors) and with ZIP64 extras
  wheel  the same cut-down real wheels and the zipfile-readable fixtures, renamed to the
         distribution fuzz_wheel names (fuzz 1.0), RECORD rewritten to match; the fixtures
         as written too
  text   the .dist-info files of all of them (RECORD, METADATA, WHEEL, entry_points.txt) and
         small hand-written cases, with "SPEC\\0VERSION" pairs for PEP 440
  toml   the TOML conformance documents (tests/toml/) and the lock files of tests/pylock/

Nothing generated is committed: make fuzz runs this into build/out/fuzz/. Standard library only.
"""
import base64
import glob
import hashlib
import io
import os
import re
import subprocess
import sys
import warnings
import zipfile

MAX_BYTES = 60000	# under the targets' -max_len, so no seed is cut short
MAX_TEXT = 8000
KEEP = 6	# members besides the .dist-info kept from a real wheel
PYENV = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
REAL = ["/usr/share/python-wheels/*.whl", PYENV + "/versions/*/lib/python3*/ensurepip/_bundled/*.whl"]
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DI = re.compile(rb"^([^/]+)-([^/-]+)\.(dist-info|data)(/|$)")


def put(d, name, data):
	if len(data) <= (MAX_TEXT if d.endswith("text") else MAX_BYTES):
		with open(os.path.join(d, name), "wb") as f:
			f.write(data)


def digest(data):
	return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def members(path):
	"""[(ZipInfo, bytes)] of an archive zipfile can read, or None."""
	try:
		with zipfile.ZipFile(path) as z:
			return [(i, z.read(i)) for i in z.infolist()]
	except Exception:
		return None


def rename(name, stem):
	"""NAME-VER.dist-info/... and NAME-VER.data/... moved under STEM."""
	return DI.sub(lambda m: stem + b"." + m.group(3) + m.group(4), name.encode("utf-8", "surrogateescape"), 1)


def renamed(ms):
	"""The members under fuzz-1.0, METADATA naming it; RECORD's paths renamed alike and its
	METADATA row updated, so that only what the fixture meant to break stays broken."""
	out, meta = [], None
	for info, data in ms:
		name = rename(info.filename, b"fuzz-1.0")
		if name.endswith(b".dist-info/METADATA"):
			data = re.sub(rb"(?mi)^Name:.*$", b"Name: fuzz", data, 1)
			data = re.sub(rb"(?mi)^Version:.*$", b"Version: 1.0", data, 1)
			meta = (name, data)
		out.append([info, name, data])
	for m in out:
		if m[1].endswith(b".dist-info/RECORD"):
			lines = [rename(l.decode("utf-8", "surrogateescape"), b"fuzz-1.0") for l in m[2].split(b"\n")]
			if meta:
				lines = [b"%s,%s,%d" % (meta[0], digest(meta[1]).encode(), len(meta[1]))
					 if l.startswith(meta[0] + b",") else l for l in lines]
			m[2] = b"\n".join(lines)
	return [(i, n.decode("utf-8", "surrogateescape"), d) for i, n, d in out]


def with_record(ms):
	"""Members (info, name, data) with a RECORD that lists them all, as a wheel must."""
	di = next((n.split("/")[0] for _, n, _ in ms if ".dist-info/" in n), None)
	if di is None:
		return ms
	ms = [m for m in ms if m[1] != di + "/RECORD"]
	rows = ["%s,%s,%d" % (n, digest(d), len(d)) for _, n, d in ms if not n.endswith("/")]
	info = zipfile.ZipInfo(di + "/RECORD", (1980, 1, 1, 0, 0, 0))
	info.compress_type = zipfile.ZIP_DEFLATED
	return ms + [(info, di + "/RECORD", ("\n".join(rows + [di + "/RECORD,,"]) + "\n").encode())]


class Stream(io.RawIOBase):
	"""Write-only and unseekable, so zipfile writes data descriptors."""

	def __init__(self):
		self.b = bytearray()

	def writable(self):
		return True

	def write(self, b):
		self.b += b
		return len(b)


def pack(ms, method=None, stream=False, zip64=False):
	f = Stream() if stream else io.BytesIO()
	with zipfile.ZipFile(f, "w") as z:
		for info, name, data in ms:
			i = zipfile.ZipInfo(name, info.date_time)
			i.compress_type = info.compress_type if method is None else method
			i.external_attr = info.external_attr
			i.create_system = info.create_system
			with z.open(i, "w", force_zip64=zip64) as w:
				w.write(data)
	return bytes(f.b if stream else f.getvalue())


def cut(ms):
	"""The .dist-info members and the KEEP smallest others: a real wheel, small enough."""
	meta = [m for m in ms if ".dist-info/" in m[0].filename]
	rest = sorted((m for m in ms if ".dist-info/" not in m[0].filename), key=lambda m: len(m[1]))
	out = []
	for info, data in meta:
		if info.filename.endswith("/RECORD"):
			data = data[:MAX_TEXT]
		out.append((info, data))
	return out + rest[:KEEP]


def texts(tdir, tag, ms):
	for info, data in ms:
		base = info.filename.rsplit("/", 1)[-1]
		if ".dist-info/" in info.filename and base in ("RECORD", "METADATA", "WHEEL", "entry_points.txt"):
			put(tdir, "%s-%s" % (tag, base), data[:MAX_TEXT])


HAND = [
	b"pkg/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\npkg-1.0.dist-info/RECORD,,\n",
	b'"a,b.py",sha256=x,1\r\n"q""uote",,\r\n"new\nline",,\n\n\nlast,,',
	b'"unterminated,,\n',
	b'a"b,,\n',
	b"a,b\n",
	b"a,b,c,d\n",
	b"Metadata-Version: 2.1\nName: fuzz\nVersion: 1.0\nRequires-Python: >=3.8,\n  !=3.9.*\n\nName: body\n",
	b"Wheel-Version: 1.0\r\nRoot-Is-Purelib: true\r\nTag: py3-none-any\r\n\r\n",
	b"NAME:   spaced\t\nname: second\n",
	b"[console_scripts]\nfoo = pkg.mod:main\nbar=pkg:cli.run [extra1, extra2]\n# comment\n; other\n"
	b"[gui_scripts]\r\ngui = pkg.gui:start\r\n[other]\nx = not a reference!\n",
	b"[console_scripts]\n= pkg:main\n",
	b"[console_scripts]\nfoo = pkg-mod:main\n",
	b"[console_scripts\nfoo = a:b\n",
	b">=3.8\x003.11.2",
	b"~=1.4.2,!=1.4.5\x001.4.6rc1",
	b"===foo\x00foo",
	b"==1.0.*\x001.0.post1+local.7",
	b"<2.0.dev0,>1.0.post1\x00v1!1.5-1.dev2",
	b"!=3.0.*, >=2.7 ,<4\x003.13.0a1+Ubuntu-01",
	b">1.0\x001.0+local",
	b"<=  1.0rc1\x001.0c1",
	b"==1.0+abc.5\x001.0+ABC.05",
]

ZIP_DICT = [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07", b"PK\x07\x08",
	    b"\x01\x00\x10\x00", b"\x01\x00\x18\x00", b"\xff\xff\xff\xff", b"\xff\xff", b"\x08\x00",
	    b"\x14\x00", b"\x2d\x00", b"\x00\x08", b"\xa4\x81", b"\xed\x41", b"\xff\xa1",
	    b".dist-info/", b".data/", b"fuzz-1.0.dist-info/", b"fuzz-1.0.data/"]
WHEEL_DICT = ZIP_DICT + [b"fuzz-1.0.dist-info/RECORD", b"fuzz-1.0.dist-info/WHEEL",
			 b"fuzz-1.0.dist-info/METADATA", b"fuzz-1.0.dist-info/entry_points.txt",
			 b"fuzz-1.0.data/scripts/", b"fuzz-1.0.data/headers/", b"fuzz-1.0.data/data/",
			 b"fuzz-1.0.data/purelib/", b"fuzz-1.0.data/platlib/", b"RECORD.jws", b"bin/python",
			 b"pyvenv.cfg", b"lib64/", b"../", b"//", b"\\"]
TEXT_DICT = [b"sha256=", b"sha1=", b"[console_scripts]", b"[gui_scripts]", b"Name:", b"Version:",
	     b"Requires-Python:", b"Wheel-Version:", b"Root-Is-Purelib:", b"\r\n", b'""', b'","',
	     b"===", b"~=", b"==", b"!=", b"<=", b">=", b".*", b"!", b"+", b"post", b"rev", b"dev",
	     b"alpha", b"beta", b"preview", b"rc", b"\x00", b"18446744073709551615", b"9223372036854775808"]


TOML_DICT = [b"[[packages]]", b"[[packages.wheels]]", b"lock-version", b"created-by", b"hashes",
	     b"sha256", b'"""', b"'''", b"\\u", b"\\U", b"0x", b"0o", b"0b", b"inf", b"nan", b"true",
	     b"false", b"1979-05-27T07:32:00Z", b"07:32:00", b"\r\n", b" = ", b"{", b"}", b"[", b"]",
	     b"[[", b"]]", b".", b",", b"#", b"_", b"e+", b"9223372036854775807", b"-9223372036854775808"]
REQ_DICT = [b"--hash=sha256:", b"--hash=sha512:", b"--hash=md5:", b" \\\n", b" #", b"${VAR}", b"${", b"-f ",
	    b"--find-links=", b"--no-index", b"--require-hashes", b"--only-binary :all:", b"--prefer-binary",
	    b"--pre", b"-e ", b" @ ", b"git+", b"://", b".whl", b".tar.gz", b"./", b"[", b"]", b";",
	    b"python_version", b"python_full_version", b"implementation_name", b"implementation_version",
	    b"platform_python_implementation", b"sys_platform", b"os_name", b"platform_system",
	    b"platform_machine", b"platform_release", b"platform_version", b"extra", b"extras",
	    b"dependency_groups", b" and ", b" or ", b" in ", b" not in ", b"(", b")", b"'", b'"',
	    b"===", b"~=", b"==", b"!=", b"<=", b">=", b"<", b">", b".*"]


def write_dict(path, words):
	with open(path, "w") as f:
		for w in words:
			f.write('"%s"\n' % "".join(chr(c) if 0x20 <= c < 0x7f and c not in b'"\\' else "\\x%02x" % c
						  for c in w))


def main():
	if len(sys.argv) != 2:
		sys.exit("usage: seeds.py OUTDIR")
	out = sys.argv[1]
	warnings.simplefilter("ignore")	# zipfile warns of the duplicate names fixtures hold
	dirs = {k: os.path.join(out, k) for k in ("zip", "wheel", "text", "toml", "req")}
	for d in dirs.values():
		os.makedirs(d, exist_ok=True)
	fix = os.path.join(out, "mkwheels")
	r = subprocess.run([sys.executable, os.path.join(TOP, "tests", "mkwheels.py"), fix],
			   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
	if r.returncode:
		sys.exit("seeds.py: tests/mkwheels.py failed: " + r.stderr.decode()[-600:])
	n = {k: 0 for k in dirs}
	for p in sorted(glob.glob(os.path.join(fix, "*.whl"))):
		tag = "mk-" + os.path.basename(p)[:-4]
		data = open(p, "rb").read()
		put(dirs["zip"], tag, data)
		put(dirs["wheel"], tag, data)
		ms = members(p)
		if ms is not None:
			put(dirs["wheel"], tag + "-renamed", pack(renamed(ms)))
			texts(dirs["text"], tag, ms)
	real = sorted(set(p for g in REAL for p in glob.glob(g)))
	for p in real:
		tag = "real-" + os.path.basename(p)[:-4] + "-" + hashlib.sha256(p.encode()).hexdigest()[:6]
		ms = members(p)
		if ms is None:
			continue
		small = cut(ms)
		texts(dirs["text"], tag, small)
		plain = with_record([(i, i.filename, d) for i, d in small])
		fuzz = with_record(renamed(small))
		for kind, kw in (("deflate", {}), ("stored", {"method": zipfile.ZIP_STORED}),
				 ("stream", {"stream": True}), ("zip64", {"zip64": True})):
			put(dirs["zip"], "%s-%s" % (tag, kind), pack(plain, **kw))
			put(dirs["wheel"], "%s-%s" % (tag, kind), pack(fuzz, **kw))
	for i, t in enumerate(HAND):
		put(dirs["text"], "hand-%02d" % i, t)
	write_dict(os.path.join(out, "zip.dict"), ZIP_DICT)
	write_dict(os.path.join(out, "wheel.dict"), WHEEL_DICT)
	write_dict(os.path.join(out, "text.dict"), TEXT_DICT)
	for p in sorted(glob.glob(os.path.join(TOP, "tests", "toml", "*", "*.toml"))
			+ glob.glob(os.path.join(TOP, "tests", "pylock", "*.toml"))):
		put(dirs["toml"], os.path.basename(os.path.dirname(p)) + "-" + os.path.basename(p),
		    open(p, "rb").read())
	write_dict(os.path.join(out, "toml.dict"), TOML_DICT)
	for p in sorted(glob.glob(os.path.join(TOP, "tests", "req", "*", "*.txt")) +
			glob.glob(os.path.join(TOP, "tests", "req", "*.txt")) +
			[os.path.join(TOP, "tests", n) for n in ("tools.txt", "seed-wheels.txt", "corpus.txt")]):
		if os.path.exists(p):
			put(dirs["req"], "req-" + os.path.relpath(p, TOP).replace("/", "-"), open(p, "rb").read()[:MAX_TEXT])
	write_dict(os.path.join(out, "req.dict"), REQ_DICT)
	for k, d in dirs.items():
		n[k] = len(os.listdir(d))
	print("seeds.py: %d real wheels; seeds: %s" % (len(real), ", ".join("%s %d" % kv for kv in n.items())))


main()
