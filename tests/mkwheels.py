#!/usr/bin/python3
"""mkwheels.py OUTDIR: writes the wheel fixtures of tests/t_wheel_hostile.sh into OUTDIR,
and OUTDIR/cases.tsv, one line per wheel the test loops over:

    good  FILE  ENV  DISTINFO  MODULE      installs; MODULE imports, its VALUE is its dist
    bad   FILE  ENV  EXPECT                refused; the message contains every '|'-separated
                                           part of EXPECT (besides the wheel's file name)
    relax FILE  ENV  EXPECT                refused, but installs with --allow-missing-hashes

ENV is '-' or VAR=VALUE for mkvenv. Wheels the test uses by name (base_a, upg, faulty,
deep_*, sym_*, reinstalled ones) are written too but not listed.

Python 3 standard library only. Most archives are assembled byte by byte (struct) so that
every header field can be set; a few are written with zipfile, as real tools write them.
Names encode the case: good_* must install, bad_* must be refused.
"""
import base64
import hashlib
import io
import os
import platform
import struct
import sys
import zipfile
import zlib

MINOR = sys.version_info[1]
CP = "cp3%d" % MINOR
ARCH = platform.machine()
DOSTIME, DOSDATE = 0, (0 << 9) | (1 << 5) | 1	# 1980-01-01 00:00:00
OUT = None
CASES = []


def by(s):
	return s if isinstance(s, bytes) else s.encode("utf-8")


def deflate(data, level=9):
	c = zlib.compressobj(level, zlib.DEFLATED, -15)
	return c.compress(data) + c.flush()


def modsrc(dist):
	return ('VALUE = "%s"\n\ndef main():\n    print("%s-main-ok")\n    return 0\n\n'
		'def gui():\n    print("%s-gui-ok")\n    return 0\n' % (dist, dist, dist)).encode()


class E:
	"""One archive member, and how to lie about it."""

	def __init__(self, name, data=b"", method=8, mode=0o644, **kw):
		self.name = by(name)
		self.data = by(data)
		self.method = method
		self.is_dir = self.name.endswith(b"/")
		self.flags = 0x800 if any(c >= 0x80 for c in self.name) else 0
		self.made_by = (3 << 8) | 30	# Unix, APPNOTE 3.0
		self.ext = ((0o40755 << 16) | 0x10) if self.is_dir else ((0o100000 | mode) << 16)
		self.comp = None	# the stored bytes, instead of the (deflated) data
		self.crc = self.csize = self.usize = None	# both headers
		self.local = {}	# local header only: name, flags, method, crc, csize, usize
		self.dd = None	# data descriptor: 'sig', 'nosig', 'sig64', 'nosig64'
		self.dd_over = {}	# descriptor fields: crc, csize, usize
		self.z64_local = False	# sizes 0xffffffff + ZIP64 extra in the local header
		self.z64_central = False	# sizes and offset 0xffffffff + ZIP64 extra centrally
		self.lho_delta = 0	# the central directory's offset is off by this
		self.need = None	# "version needed to extract" in the central directory
		self.cextra = b""	# more central extra field blocks, after the ZIP64 one
		self.z64_pad = b""	# bytes at the end of the central ZIP64 block
		self.ccomment = b""	# the entry's comment
		self.in_record = not self.is_dir
		self.rec_name = None	# the name RECORD gives it
		for k, v in kw.items():
			if not hasattr(self, k):
				raise AttributeError(k)
			setattr(self, k, v)
		if self.dd and "flags" not in kw:
			self.flags |= 0x08

	def fields(self):
		comp = self.comp if self.comp is not None else (deflate(self.data) if self.method == 8 else self.data)
		crc = self.crc if self.crc is not None else zlib.crc32(self.data)
		cs = self.csize if self.csize is not None else len(comp)
		us = self.usize if self.usize is not None else len(self.data)
		return comp, crc, cs, us

	def local_bytes(self):
		comp, crc, cs, us = self.fields()
		L = dict(name=self.name, flags=self.flags, method=self.method, crc=crc, csize=cs, usize=us)
		if self.dd:
			L.update(crc=0, csize=0, usize=0)
		extra = b""
		if self.z64_local:
			extra = struct.pack("<HHQQ", 1, 16, L["usize"], L["csize"])
			L["csize"] = L["usize"] = 0xffffffff
		L.update(self.local)
		hdr = struct.pack("<IHHHHHIIIHH", 0x04034b50, 45 if self.z64_local else 20, L["flags"],
				  L["method"], DOSTIME, DOSDATE, L["crc"], L["csize"], L["usize"],
				  len(L["name"]), len(extra)) + L["name"] + extra
		desc = b""
		if self.dd:
			d = dict(crc=crc, csize=cs, usize=us)
			d.update(self.dd_over)
			desc = b"" if self.dd.startswith("nosig") else struct.pack("<I", 0x08074b50)
			fmt = "<IQQ" if self.dd.endswith("64") else "<III"
			desc += struct.pack(fmt, d["crc"], d["csize"], d["usize"])
		return hdr + comp + desc

	def central_bytes(self, lho):
		comp, crc, cs, us = self.fields()
		extra = b""
		if self.z64_central:
			extra = struct.pack("<HHQQQ", 1, 24 + len(self.z64_pad), us, cs, lho) + self.z64_pad
			cs = us = lho = 0xffffffff
		extra += self.cextra
		need = self.need if self.need is not None else 45 if self.z64_central else 20
		return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, self.made_by, need,
				   self.flags, self.method, DOSTIME, DOSDATE, crc, cs, us, len(self.name),
				   len(extra), len(self.ccomment), 0, 0, self.ext, lho) + self.name + extra + self.ccomment


def build_zip(ents, comment=b"", prepend=b"", prepend_adjust=True, trailing=b"", count_delta=0,
	      cdoff_delta=0, zip64=None, gaps=None, dup_central=(), zip64_ext=b""):
	"""zip64: None, 'saturated' (classic record all 0xff) or 'real' (ZIP64 records present,
	the classic record holding the true values)."""
	out = bytearray(prepend)
	shift = 0 if prepend_adjust else len(prepend)
	offs = []
	for i, e in enumerate(ents):
		if gaps and i in gaps:
			out += gaps[i]
		offs.append(len(out) - shift)
		out += e.local_bytes()
	cdstart = len(out) - shift
	cd = b"".join(e.central_bytes(offs[i] + e.lho_delta) for i, e in enumerate(ents))
	cd += b"".join(ents[i].central_bytes(offs[i]) for i in dup_central)
	out += cd
	count = len(ents) + len(dup_central) + count_delta
	cdoff = cdstart + cdoff_delta
	ecount, ecdsize, ecdoff = count, len(cd), cdoff
	if zip64:
		z64at = len(out) - shift
		out += struct.pack("<IQHHIIQQQQ", 0x06064b50, 44 + len(zip64_ext), 45, 45, 0, 0, count, count, len(cd), cdoff)
		out += zip64_ext	# "extensible data": where zipfile reads a record venvbox would not
		out += struct.pack("<IIQI", 0x07064b50, 0, z64at, 1)
		if zip64 == "saturated":
			ecount, ecdsize, ecdoff = 0xffff, 0xffffffff, 0xffffffff
		elif zip64 == "nolocator":
			del out[-20:]
			ecount, ecdsize, ecdoff = 0xffff, 0xffffffff, 0xffffffff
	if comment == "EOCD":	# a second end record in the comment, whose own comment length
		# does not reach the end: zipfile takes the last signature anyway
		comment = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, ecount, ecount, ecdsize, ecdoff, 7)
	out += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, ecount, ecount, ecdsize, ecdoff, len(comment))
	out += comment + trailing
	return bytes(out)


def record_field(s):
	if any(c in s for c in b',"\r\n'):
		return b'"' + s.replace(b'"', b'""') + b'"'
	return s


def digest(data):
	return b"sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")


def record_of(ents, distinfo):
	"""[name, hash, size] rows, as bytes, for every file member, then RECORD's own."""
	rows = []
	for e in ents:
		if e.in_record:
			rows.append([e.rec_name if e.rec_name is not None else e.name, digest(e.data),
				     str(len(e.data)).encode()])
	rows.append([by(distinfo + "/RECORD"), b"", b""])
	return rows


def record_bytes(rows, eol=b"\n"):
	return b"".join(b",".join(record_field(f) for f in r) + eol for r in rows)


def wheel(stem, files=None, *, version="1.0", tags="py3-none-any", fname=None, name=None,
	  meta_version=None, distinfo=None, wheel_txt=None, metadata=None, rip="true",
	  entry_points=None, meta_extra="", record=None, record_rows=None, no_record=False,
	  no_wheel=False, no_metadata=False, extra=(), zipkw=None, method=8, kind=None,
	  expect="", env="-", module=None, record_edit=None):
	"""Writes STEM-VERSION-TAGS.whl. FILES: E members (default: STEM/__init__.py)."""
	dist = stem
	fname = fname or "%s-%s-%s.whl" % (stem, version, tags)
	distinfo = distinfo or "%s-%s.dist-info" % (stem, version)
	if files is None:
		files = [E("%s/__init__.py" % stem, modsrc(stem), method=method)]
	ents = list(files)
	if not no_wheel:
		ents.append(E(distinfo + "/WHEEL", wheel_txt if wheel_txt is not None else
			      "Wheel-Version: 1.0\nGenerator: mkwheels.py\nRoot-Is-Purelib: %s\nTag: %s\n\n"
			      % (rip, tags.split("-")[0].split(".")[0] + "-" + "-".join(tags.split("-")[1:])),
			      method=method))
	if not no_metadata:
		ents.append(E(distinfo + "/METADATA", metadata if metadata is not None else
			      "Metadata-Version: 2.1\nName: %s\nVersion: %s\n%s\n" %
			      (name or stem, meta_version or version, meta_extra), method=method))
	if entry_points is not None:
		ents.append(E(distinfo + "/entry_points.txt", entry_points, method=method))
	ents.extend(extra)
	if not no_record:
		if record is None:
			rows = record_of(ents, distinfo)
			if record_rows:
				rows = record_rows(rows)
			record = record_bytes(rows)
			if record_edit:
				record = record_edit(record)
		ents.append(E(distinfo + "/RECORD", record, method=method))
	data = build_zip(ents, **(zipkw or {}))
	with open(os.path.join(OUT, fname), "wb") as f:
		f.write(data)
	if kind == "good":
		CASES.append("good\t%s\t%s\t%s\t%s" % (fname, env, distinfo, module or stem))
	elif kind:
		CASES.append("%s\t%s\t%s\t%s" % (kind, fname, env, expect))
	return ents


def bad(stem, expect="", **kw):
	return wheel(stem, kind="bad", expect=expect, **kw)


def good(stem, **kw):
	return wheel(stem, kind="good", **kw)


def mod(stem, **kw):
	return E("%s/__init__.py" % stem, modsrc(stem), **kw)


def write_with_zipfile(stem, mode, force_zip64=False, stream=False):
	fname = "%s-1.0-py3-none-any.whl" % stem
	di = "%s-1.0.dist-info" % stem
	members = [("%s/__init__.py" % stem, modsrc(stem)),
		   ("%s/data.bin" % stem, bytes(range(256)) * 40),
		   (di + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: zipfile\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n"),
		   (di + "/METADATA", ("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n\n" % stem).encode())]
	rows = [[n.encode(), digest(d), str(len(d)).encode()] for n, d in members]
	rows.append([(di + "/RECORD").encode(), b"", b""])
	members.append((di + "/RECORD", record_bytes(rows)))

	class Unseekable(io.RawIOBase):
		def __init__(self):
			self.buf = bytearray()

		def writable(self):
			return True

		def write(self, b):
			self.buf += b
			return len(b)

	sink = Unseekable() if stream else io.BytesIO()
	with zipfile.ZipFile(sink, "w", compression=mode) as zf:
		for n, d in members:
			zi = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
			zi.compress_type = mode
			zi.external_attr = 0o100644 << 16
			zi.create_system = 3
			with zf.open(zi, "w", force_zip64=force_zip64) as w:
				w.write(d)
	data = bytes(sink.buf) if stream else sink.getvalue()
	with open(os.path.join(OUT, fname), "wb") as f:
		f.write(data)
	CASES.append("good\t%s\t-\t%s\t%s" % (fname, di, stem))


# ---------------------------------------------------------------- valid corner cases

def make_good():
	good("good_stored", method=0)
	good("good_deflate", method=8)
	write_with_zipfile("good_zipfile", zipfile.ZIP_DEFLATED)
	write_with_zipfile("good_zipfile_stored", zipfile.ZIP_STORED)
	write_with_zipfile("good_zipfile_zip64", zipfile.ZIP_DEFLATED, force_zip64=True)
	write_with_zipfile("good_zipfile_stream", zipfile.ZIP_DEFLATED, stream=True)
	write_with_zipfile("good_zipfile_stream64", zipfile.ZIP_DEFLATED, force_zip64=True, stream=True)

	# data descriptors, by hand: every member, with and without the signature
	for stem, dd, m in (("good_dd_sig", "sig", 8), ("good_dd_nosig", "nosig", 8),
			    ("good_dd_stored", "sig", 0)):
		ents = [E("%s/__init__.py" % stem, modsrc(stem), method=m, dd=dd),
			E("%s/more.txt" % stem, b"x" * 5000, method=m, dd=dd)]
		good(stem, files=ents)
	good("good_dd_zip64", files=[E("good_dd_zip64/__init__.py", modsrc("good_dd_zip64"), dd="sig64", z64_local=True),
				     E("good_dd_zip64/b.txt", b"b" * 3000, dd="nosig64", z64_local=True)])

	# ZIP64: extra fields in local and central headers, ZIP64 end records
	good("good_zip64_local", files=[E("good_zip64_local/__init__.py", modsrc("good_zip64_local"), z64_local=True)])
	good("good_zip64_central", files=[E("good_zip64_central/__init__.py", modsrc("good_zip64_central"),
					    z64_local=True, z64_central=True),
					  E("good_zip64_central/s.txt", b"s" * 100, method=0, z64_central=True)])
	good("good_zip64_eocd", zipkw=dict(zip64="saturated"))
	good("good_zip64_eocd_real", zipkw=dict(zip64="real"))

	# every .data category, launchers, executable bits, an empty file
	st = "good_alldata"
	dd = st + "-1.0.data"
	good(st, files=[
		E(st + "/__init__.py", modsrc(st)),
		E(st + "/cli.py", b'def main():\n    print("good_alldata-cli-ok")\n    return 0\n'),
		E(st + "/tool.sh", b"#!/bin/sh\necho tool-ok\n", mode=0o755),
		E(st + "/data.txt", b"plain data\n", mode=0o644),
		E(st + "/py.typed", b""),
		E(dd + "/scripts/gd-py", b"#!python\nprint('gd-py-ok')\n", mode=0o755),
		E(dd + "/scripts/gd-pyw", b"#!pythonw\nprint('gd-pyw-ok')\n", method=0, mode=0o755),
		E(dd + "/scripts/gd-plain", b"echo gd-plain-ok\n", mode=0o644),
		E(dd + "/scripts/gd-sh", b"#!/bin/sh\necho gd-sh-ok\n", mode=0o755),
		E(dd + "/headers/gd.h", b"#define GOOD_ALLDATA 1\n"),
		E(dd + "/headers/sub/gd2.h", b"#define GOOD_ALLDATA2 1\n"),
		E(dd + "/data/share/good_alldata/d.txt", b"data file\n"),
		E(dd + "/purelib/gd_pure.py", b'VALUE = "gd_pure"\n'),
		E(dd + "/platlib/gd_plat.py", b'VALUE = "gd_plat"\n'),
	], entry_points="[console_scripts]\ngood-alldata-cli = good_alldata.cli:main [extra1, extra2]\n"
		       "good-alldata-plain = good_alldata:main\n\n"
		       "[gui_scripts]\ngood-alldata-gui = good_alldata:gui\n\n"
		       "[other.group]\nwhatever = not a : valid / ref\n")

	good("good_unicode", files=[mod("good_unicode"),
				    E("good_unicode/café.py", 'VALUE = "café"\n'),
				    E("good_unicode/données/ü.txt", "ü\n", method=0)])
	good("good_platlib", rip="false")
	good("good_dirs", files=[E("good_dirs/"), E("good_dirs/sub/"), mod("good_dirs"),
				 E("good_dirs/sub/x.txt", b"x\n"), E("good_dirs-1.0.dist-info/")])
	good("good_record_csv", files=[mod("good_record_csv"), E("good_record_csv/a,b.txt", b"comma\n"),
				       E('good_record_csv/q"uote.txt', b"quote\n")],
	     )
	# the same, but every field quoted and CRLF line ends (what csv.writer may produce)
	ents = [mod("good_record_crlf"), E("good_record_crlf/a b.txt", b"space\n")]
	di = "good_record_crlf-1.0.dist-info"
	tmp = ents + [E(di + "/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
		      E(di + "/METADATA", "Metadata-Version: 2.1\nName: good_record_crlf\nVersion: 1.0\n\n")]
	rows = record_of(tmp, di)
	rec = b"".join(b",".join(b'"' + f.replace(b'"', b'""') + b'"' for f in r) + b"\r\n" for r in rows)
	good("good_record_crlf", files=ents, wheel_txt="Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
	     metadata="Metadata-Version: 2.1\nName: good_record_crlf\nVersion: 1.0\n\n", record=rec)
	good("good_norm", name="Good.Norm", meta_version="1.0.0")
	good("good_build", fname="good_build-1.0-1b-py3-none-any.whl")
	good("good_multitag", tags="py2.py3-none-any")
	good("good_cptag", tags="%s-%s-manylinux_2_17_%s.manylinux2014_%s" % (CP, CP, ARCH, ARCH))
	good("good_abi3", tags="cp36-abi3-linux_%s" % ARCH)
	good("good_reqpy", meta_extra="Requires-Python: >=3.6, !=3.0.*\n")
	good("good_signed", extra=[E("good_signed-1.0.dist-info/RECORD.jws", b"{}", in_record=False)])
	good("good_crlf_meta", metadata="Metadata-Version: 2.1\r\nName: good_crlf_meta\r\nVersion: 1.0\r\n\r\n",
	     wheel_txt="Wheel-Version: 1.0\r\nRoot-Is-Purelib: true\r\nTag: py3-none-any\r\n\r\n")


# ---------------------------------------------------------------- wheels used by name

def make_named():
	# installed into the hostile-test venv first: other wheels may not touch its files
	wheel("base_a", files=[E("pkg_a/__init__.py", modsrc("base_a")), E("pkg_a/sub/m.py", b"M = 1\n")],
	      entry_points="[console_scripts]\nbase-a-cmd = pkg_a:main\n")
	# version 1 and 2 of one distribution; 3 fails while being written; 4 fails its checks
	up = "upg"
	wheel(up, version="1.0", files=[
		E("upg/__init__.py", 'VALUE = "upg1"\n'), E("upg/old_only.py", b"OLD = 1\n"),
		E("upg/oldsub/x.py", b"X = 1\n"), E("upg/common.txt", b"v1\n"),
		E("upg-1.0.data/scripts/upg-old-script", b"#!python\nprint('old')\n"),
		E("upg-1.0.data/data/share/upg/old.txt", b"old\n"),
		E("upg-1.0.data/headers/old.h", b"/* old */\n")],
	      entry_points="[console_scripts]\nupg-old = upg:main\nupg-both = upg:main\n")
	wheel(up, version="2.0", files=[
		E("upg/__init__.py", 'VALUE = "upg2"\ndef main():\n    print("upg2-ok")\n'),
		E("upg/new_only.py", b"NEW = 1\n"), E("upg/common.txt", b"v2\n"),
		E("upg-2.0.data/data/share/upg/new.txt", b"new\n")],
	      entry_points="[console_scripts]\nupg-new = upg:main\nupg-both = upg:main\n")
	wheel(up, version="3.0", files=[E("upg/__init__.py", 'VALUE = "upg3"\n'),
					E("upg/zz_late.py", b"LATE = 1\n", crc=0x12345678)])
	wheel(up, version="4.0", files=[E("upg/__init__.py", 'VALUE = "upg4"\n'), E("upg/../escape.py", b"E = 1\n")])
	# for the fault-injection loops
	for v in ("1.0", "2.0"):
		dd = "faulty-%s.data" % v
		wheel("faulty", version=v, files=[
			E("faulty/__init__.py", modsrc("faulty") + ("VALUE = \"faulty%s\"\n" % v).encode()),
			E("faulty/v%s.py" % v[0], b"V = 1\n"), E("faulty/sub/common.py", b"C = 1\n"),
			E(dd + "/scripts/faulty-s%s" % v[0], b"#!python\nprint(1)\n"),
			E(dd + "/data/share/faulty/d%s.txt" % v[0], b"d\n"),
			E(dd + "/headers/f.h", b"/* f */\n")],
		      entry_points="[console_scripts]\nfaulty-cmd = faulty:main\n[gui_scripts]\nfaulty-gui = faulty:gui\n")
	# deeper than install.c's merge recursion limit (64): other distributions' files in the
	# shared directories must survive
	deep = "/".join(["d%d" % i for i in range(70)])
	wheel("deep_a", files=[E("deep/%s/a.py" % deep, b"A = 1\n"), E("deep/%s/__init__.py" % deep, b"")])
	wheel("deep_b", files=[E("deep/%s/b.py" % deep, b"B = 1\n")])
	# pre-existing symbolic links in the venv
	wheel("sym_dir", files=[E("symlinked_pkg/mod.py", b'VALUE = "sym_dir"\n')])
	wheel("sym_file", files=[E("symlinked_file/mod.py", b'VALUE = "sym_file"\n')])


# ---------------------------------------------------------------- hostile wheels

def make_bad():
	# -- the zip structure: central directory against local headers
	bad("bad_cd_name", "bad_cd_name/__init__.py", files=[E("bad_cd_name/__init__.py", modsrc("x"), local=dict(name=b"bad_cd_name/__init__.pz"))])
	bad("bad_cd_method", "bad_cd_method/__init__.py", files=[E("bad_cd_method/__init__.py", modsrc("x"), method=0, local=dict(method=8))])
	bad("bad_cd_csize", "bad_cd_csize/__init__.py", files=[E("bad_cd_csize/__init__.py", modsrc("x"), local=dict(csize=7))])
	bad("bad_cd_usize", "bad_cd_usize/__init__.py", files=[E("bad_cd_usize/__init__.py", modsrc("x"), local=dict(usize=7))])
	bad("bad_cd_crc", "bad_cd_crc/__init__.py", files=[E("bad_cd_crc/__init__.py", modsrc("x"), local=dict(crc=1))])
	bad("bad_cd_flags", "bad_cd_flags/__init__.py", files=[E("bad_cd_flags/__init__.py", modsrc("x"), local=dict(flags=0x800))])
	bad("bad_cd_dd_crc", "bad_cd_dd_crc/__init__.py", files=[E("bad_cd_dd_crc/__init__.py", modsrc("x"), dd="sig", dd_over=dict(crc=5))])
	bad("bad_cd_dd_size", "bad_cd_dd_size/__init__.py", files=[E("bad_cd_dd_size/__init__.py", modsrc("x"), dd="nosig", dd_over=dict(usize=5))])
	bad("bad_cd_dd_flag", "bad_cd_dd_flag/__init__.py", files=[E("bad_cd_dd_flag/__init__.py", modsrc("x"), dd="sig", local=dict(flags=0))])
	bad("bad_z64_extra", "bad_z64_extra/__init__.py", files=[E("bad_z64_extra/__init__.py", modsrc("x"), local=dict(usize=0xffffffff))])

	# overlapping entries: the second member's local header lies inside the first's data
	st = "bad_overlap"
	di = st + "-1.0.dist-info"
	inner = E(st + "/inner.py", b"INNER = 1\n", method=0)
	outer_data = inner.local_bytes() + b"padding\n"
	outer = E(st + "/outer.bin", outer_data, method=0)
	meta = [E(di + "/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
		E(di + "/METADATA", "Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % st)]
	ents = [outer] + meta
	rows = record_of(ents + [inner], di)
	ents.append(E(di + "/RECORD", record_bytes(rows)))
	z = bytearray()
	offs = []
	for e in ents:
		offs.append(len(z))
		z += e.local_bytes()
	cd = b"".join(e.central_bytes(offs[i]) for i, e in enumerate(ents))
	cd += inner.central_bytes(30 + len(outer.name))	# inside outer.bin's data
	cdoff = len(z)
	z += cd + struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(ents) + 1, len(ents) + 1, len(cd), cdoff, 0)
	open(os.path.join(OUT, st + "-1.0-py3-none-any.whl"), "wb").write(z)
	CASES.append("bad\t%s-1.0-py3-none-any.whl\t-\t%s" % (st, st + "/inner.py"))

	# two central entries for one local header (the classic overlapping zip bomb)
	bad("bad_dup_lho", "bad_dup_lho/__init__.py", zipkw=dict(dup_central=(0,)))
	# two members of one name
	bad("bad_dup_name", "bad_dup_name/__init__.py|twice", files=[mod("bad_dup_name"), E("bad_dup_name/__init__.py", b"EVIL = 1\n")],
	    record_rows=lambda rows: rows[1:])
	bad("bad_count_low", "", zipkw=dict(count_delta=-1))
	bad("bad_count_high", "", zipkw=dict(count_delta=1))
	bad("bad_cdoff", "", zipkw=dict(cdoff_delta=1))
	bad("bad_cdoff_low", "", zipkw=dict(cdoff_delta=-1))
	bad("bad_lho", "bad_lho/__init__.py", files=[mod("bad_lho", lho_delta=1)])
	bad("bad_lho_far", "bad_lho_far/__init__.py", files=[mod("bad_lho_far", lho_delta=10 ** 6)])
	bad("bad_trailing", "", zipkw=dict(trailing=b"trailing garbage"))
	bad("bad_trailing_eocd", "", zipkw=dict(trailing=b"PK\x05\x06" + b"\0" * 18))
	bad("bad_prepended", "", zipkw=dict(prepend=b"#!/bin/sh\necho self-extracting\n"))
	bad("bad_prepended_cat", "", zipkw=dict(prepend=b"#!/bin/sh\necho self-extracting\n", prepend_adjust=False))
	bad("bad_gap", "", zipkw=dict(gaps={1: b"hidden data between members"}))
	bad("bad_encrypted", "bad_encrypted/__init__.py|encrypt", files=[mod("bad_encrypted", flags=1)])
	bad("bad_strong_enc", "bad_strong_enc/__init__.py|encrypt", files=[mod("bad_strong_enc", flags=0x41)])
	bad("bad_bzip2", "bad_bzip2/__init__.py|method", files=[mod("bad_bzip2", method=12, comp=b"BZh91AY&SY")])
	bad("bad_method99", "bad_method99/__init__.py|method", files=[mod("bad_method99", method=99, comp=b"zz")])
	bad("bad_stored_sizes", "bad_stored_sizes/__init__.py", files=[mod("bad_stored_sizes", method=0, usize=5)])
	bad("bad_zip64_nolocator", "", zipkw=dict(zip64="nolocator"))
	# parser differentials: archives that Python's zipfile (pip's reader) would read otherwise
	bad("bad_zip64_extensible", "extensible", zipkw=dict(zip64="real", zip64_ext=b"\0" * 56))
	bad("bad_comment_eocd", "comment", zipkw=dict(comment="EOCD"))
	bad("bad_comment_eocd64", "comment", zipkw=dict(comment=b"xPK\x06\x07" + b"\0" * 16))
	bad("bad_cp437_name", "cp437", files=[mod("bad_cp437_name"),
					       E("bad_cp437_name/\u00e9t\u00e9.py", b"X = 1\n", flags=0)])
	# zipfile 3.12 and later names the entry after an Info-ZIP Unicode Path field whose CRC
	# matches the name; older ones refuse patched data (3.11), later zip versions (3.6),
	# ZIP64 fields of another length (2.7, 3.6), a malformed block after the ZIP64 one
	other = b"bad_unicode_path/other.py"
	upath = struct.pack("<BI", 1, zlib.crc32(b"bad_unicode_path/__init__.py")) + other
	bad("bad_unicode_path", "Unicode Path", files=[mod("bad_unicode_path", cextra=struct.pack("<HH", 0x7075, len(upath)) + upath)])
	bad("bad_flag_patched", "bad_flag_patched/__init__.py|flags", files=[mod("bad_flag_patched", flags=0x20)])
	bad("bad_version_needed", "bad_version_needed/__init__.py|version", files=[mod("bad_version_needed", need=64)])
	bad("bad_z64_size", "bad_z64_size/__init__.py|ZIP64", files=[mod("bad_z64_size", z64_central=True, z64_pad=b"\0" * 4)])
	bad("bad_z64_two", "bad_z64_two/__init__.py|ZIP64", files=[mod("bad_z64_two", z64_central=True, cextra=struct.pack("<HHQ", 1, 8, 1))])
	bad("bad_extra_after_z64", "bad_extra_after_z64/__init__.py|extra", files=[mod("bad_extra_after_z64", z64_central=True, cextra=b"\x99\x99\x10\x00abc")])
	# comments: bytes no reader interprets; a wheel has none
	bad("bad_comment", "comment", zipkw=dict(comment=b"a zip comment: built by mkwheels.py"))
	bad("bad_entry_comment", "bad_entry_comment/__init__.py|comment", files=[mod("bad_entry_comment", ccomment=b"an entry comment")])
	open(os.path.join(OUT, "bad_empty-1.0-py3-none-any.whl"), "wb").close()
	CASES.append("bad\tbad_empty-1.0-py3-none-any.whl\t-\t")
	open(os.path.join(OUT, "bad_notzip-1.0-py3-none-any.whl"), "wb").write(b"this is not a zip archive\n" * 10)
	CASES.append("bad\tbad_notzip-1.0-py3-none-any.whl\t-\t")

	# -- member data
	bad("bad_crc", "bad_crc/__init__.py|CRC", files=[mod("bad_crc", crc=0xdeadbeef)])
	bad("bad_crc_stored", "bad_crc_stored/__init__.py|CRC", files=[mod("bad_crc_stored", method=0, crc=0xdeadbeef)])
	ents = bad("bad_crc_meta", "METADATA|CRC")	# then written again with METADATA's CRC wrong
	for e in ents:
		if e.name.endswith(b"/METADATA"):
			e.crc = 0xdeadbeef
	open(os.path.join(OUT, "bad_crc_meta-1.0-py3-none-any.whl"), "wb").write(build_zip(ents))
	body = modsrc("bad_deflate") * 20
	full = deflate(body)
	bad("bad_deflate_corrupt", "bad_deflate_corrupt/__init__.py", files=[E("bad_deflate_corrupt/__init__.py", body, comp=b"\xff" * 40)])
	bad("bad_deflate_longer", "bad_deflate_longer/__init__.py", files=[E("bad_deflate_longer/__init__.py", body, usize=len(body) // 2)],
	    record_rows=lambda rows: [[r[0], r[1], str(len(body) // 2).encode()] if r[0].endswith(b"__init__.py") else r for r in rows])
	bad("bad_deflate_shorter", "bad_deflate_shorter/__init__.py", files=[E("bad_deflate_shorter/__init__.py", body, usize=len(body) + 100)],
	    record_rows=lambda rows: [[r[0], r[1], str(len(body) + 100).encode()] if r[0].endswith(b"__init__.py") else r for r in rows])
	bad("bad_deflate_truncated", "bad_deflate_truncated/__init__.py", files=[E("bad_deflate_truncated/__init__.py", body, comp=full[:len(full) // 2])])
	bad("bad_deflate_trailing", "bad_deflate_trailing/__init__.py", files=[E("bad_deflate_trailing/__init__.py", body, comp=full + b"junk")])
	# a member that inflates past the limit: ratio, size limit, total, and a lying header
	zeros = b"\0" * (2 << 20)
	bad("bad_bomb_ratio", "bad_bomb_ratio/zeros.bin|ratio", files=[mod("bad_bomb_ratio"), E("bad_bomb_ratio/zeros.bin", zeros)])
	bad("bad_bomb_limit", "bad_bomb_limit/big.bin|limit", env="MKVENV_MAX_UNPACKED=1000000",
	    files=[mod("bad_bomb_limit"), E("bad_bomb_limit/big.bin", b"\0" * 1040000)])
	bad("bad_bomb_total", "limit", env="MKVENV_MAX_UNPACKED=1000000",
	    files=[mod("bad_bomb_total"), E("bad_bomb_total/a.bin", b"\0" * 600000), E("bad_bomb_total/b.bin", b"\1" * 600000)])
	big = b"\0" * (10 << 20)
	bad("bad_bomb_lying", "bad_bomb_lying/small.bin", files=[mod("bad_bomb_lying"), E("bad_bomb_lying/small.bin", big[:1000], comp=deflate(big))])

	# -- RECORD
	def row_edit(stem, fn):
		return lambda rows: [fn(r) if r[0] == ("%s/__init__.py" % stem).encode() else r for r in rows]

	bad("bad_record_missing", "RECORD", no_record=True)
	bad("bad_record_hash", "bad_record_hash/__init__.py|RECORD", record_rows=row_edit("bad_record_hash", lambda r: [r[0], digest(b"other"), r[2]]))
	bad("bad_record_size", "bad_record_size/__init__.py|size", record_rows=row_edit("bad_record_size", lambda r: [r[0], r[1], b"1"]))
	bad("bad_record_size_text", "bad_record_size_text/__init__.py|size", record_rows=row_edit("bad_record_size_text", lambda r: [r[0], r[1], r[2] + b"abc"]))
	wheel("bad_record_nohash", kind="relax", expect="bad_record_nohash/__init__.py|hash",
	      record_rows=row_edit("bad_record_nohash", lambda r: [r[0], b"", b""]))
	md5 = lambda r: [r[0], b"md5=" + base64.urlsafe_b64encode(hashlib.md5(b"x").digest()).rstrip(b"="), r[2]]
	sha1 = lambda r: [r[0], b"sha1=" + base64.urlsafe_b64encode(hashlib.sha1(b"x").digest()).rstrip(b"="), r[2]]
	bad("bad_record_md5", "bad_record_md5/__init__.py|md5", record_rows=row_edit("bad_record_md5", md5))
	bad("bad_record_sha1", "bad_record_sha1/__init__.py|sha1", record_rows=row_edit("bad_record_sha1", sha1))
	bad("bad_record_algo", "bad_record_algo/__init__.py|blake", record_rows=row_edit("bad_record_algo", lambda r: [r[0], b"blake3=" + r[1][7:], r[2]]))
	bad("bad_record_b64", "bad_record_b64/__init__.py", record_rows=row_edit("bad_record_b64", lambda r: [r[0], r[1][:-3] + b"!!!", r[2]]))
	bad("bad_record_ghost", "bad_record_ghost/ghost.py", record_rows=lambda rows: rows + [[b"bad_record_ghost/ghost.py", digest(b""), b"0"]])
	bad("bad_record_ghost_nl", "bad_record_ghost_nl/gho", record_rows=lambda rows: rows + [[b"bad_record_ghost_nl/gho\nst.py", digest(b""), b"0"]])
	wheel("bad_record_unlisted", kind="relax", expect="bad_record_unlisted/extra.py|RECORD",
	      files=[mod("bad_record_unlisted"), E("bad_record_unlisted/extra.py", b"X = 1\n", in_record=False)])
	bad("bad_record_dup", "bad_record_dup/__init__.py", record_rows=lambda rows: rows[:1] + rows)
	bad("bad_record_quoting", "RECORD|quot", record_edit=lambda r: b'"' + r)	# a quote that never closes
	bad("bad_record_quoting2", "RECORD|quot", record_edit=lambda r: b'"bad_record_quoting2/__init__.py"x' + r[r.index(b","):])
	bad("bad_record_fields", "RECORD", record_rows=lambda rows: [rows[0] + [b"extra"]] + rows[1:])

	# -- member names
	def name_case(stem, name, expect, **kw):
		bad(stem, expect, files=[mod(stem), E(name, b"X = 1\n", **kw)])

	name_case("bad_name_empty", b"", "")
	name_case("bad_name_abs", "/etc/x", "/etc/x|absolute")
	name_case("bad_name_dotdot", "bad_name_dotdot/../../../../../tmp/x", "bad_name_dotdot/../../../../../tmp/x")
	name_case("bad_name_dotdot_top", "../x.py", "../x.py")
	name_case("bad_name_dot", "bad_name_dot/./x.py", "bad_name_dot/./x.py")
	name_case("bad_name_dslash", "bad_name_dslash//x.py", "bad_name_dslash//x.py")
	name_case("bad_name_backslash", "bad_name_backslash\\..\\..\\x.py", "backslash")
	name_case("bad_name_nul", b"bad_name_nul/a\0.py", "NUL")
	name_case("bad_name_ctrl", b"bad_name_ctrl/a\x01.py", "control")
	name_case("bad_name_newline", b"bad_name_newline/a\nb.py", "control")
	name_case("bad_name_esc", b"bad_name_esc/\x1b[2J\x1b[31mred.py", "control")
	name_case("bad_name_del", b"bad_name_del/a\x7f.py", "control")
	name_case("bad_name_utf8", b"bad_name_utf8/\xff.py", "UTF-8")
	name_case("bad_name_overlong", b"bad_name_overlong/\xc0\xaf.py", "UTF-8")
	name_case("bad_name_surrogate", b"bad_name_surrogate/\xed\xa0\x80.py", "UTF-8")
	name_case("bad_name_longcomp", "bad_name_longcomp/" + "c" * 300 + ".py", "too long")
	name_case("bad_name_toolong", "bad_name_toolong/" + "/".join(["p" * 200] * 21), "too long")
	name_case("bad_name_destlong", "bad_name_destlong/" + "/".join(["p" * 197] * 20) + "/x.py", "too long")	# < 4000, installed > 4000
	bad("bad_case", "bad_case/A.py|bad_case/a.py", files=[mod("bad_case"), E("bad_case/A.py", b"A = 1\n"), E("bad_case/a.py", b"a = 1\n")])
	bad("bad_case_dir", "bad_case_dir/X/a.py|bad_case_dir/x/a.py", files=[mod("bad_case_dir"), E("bad_case_dir/X/a.py", b"A = 1\n"), E("bad_case_dir/x/a.py", b"a = 1\n")])
	bad("bad_case_filedir", "bad_case_filedir/X|bad_case_filedir/x/y", files=[mod("bad_case_filedir"), E("bad_case_filedir/X", b"A = 1\n"), E("bad_case_filedir/x/y", b"a = 1\n")])
	bad("bad_filedir", "bad_filedir/x", files=[mod("bad_filedir"), E("bad_filedir/x", b"file\n"), E("bad_filedir/x/y", b"y\n")])
	bad("bad_symlink", "bad_symlink/link|symbolic", files=[mod("bad_symlink"), E("bad_symlink/link", b"/etc/passwd", method=0, ext=(0o120777 << 16))])
	bad("bad_symlink_dir", "bad_symlink_dir/link|symbolic", files=[mod("bad_symlink_dir"), E("bad_symlink_dir/link", b"../../../../..", method=0, ext=(0o120755 << 16))])

	# -- .data
	def data_case(stem, rel, expect, data=b"X = 1\n"):
		bad(stem, expect, files=[mod(stem), E("%s-1.0.data/%s" % (stem, rel), data)])

	data_case("bad_data_unknown", "unknown/x", "bad_data_unknown-1.0.data/unknown/x")
	data_case("bad_data_nocat", "x", "bad_data_nocat-1.0.data/x")
	data_case("bad_data_scripts_sub", "scripts/sub/x", "bad_data_scripts_sub-1.0.data/scripts/sub/x")
	data_case("bad_data_escape", "data/../../x", "bad_data_escape-1.0.data/data/../../x")
	data_case("bad_data_pyvenv", "data/pyvenv.cfg", "bad_data_pyvenv-1.0.data/data/pyvenv.cfg", b"home = /tmp/evil\n")
	data_case("bad_data_python", "scripts/python", "bad_data_python-1.0.data/scripts/python", b"#!/bin/sh\necho pwned\n")
	data_case("bad_data_python3", "scripts/python3", "bad_data_python3-1.0.data/scripts/python3", b"#!/bin/sh\necho pwned\n")
	data_case("bad_data_pythonver", "scripts/python3.%d" % MINOR, "bad_data_pythonver-1.0.data/scripts/python3.%d" % MINOR, b"#!/bin/sh\n")
	data_case("bad_data_binpython", "data/bin/python", "bad_data_binpython-1.0.data/data/bin/python", b"#!/bin/sh\n")
	data_case("bad_data_activate", "scripts/activate", "bad_data_activate-1.0.data/scripts/activate", b"echo pwned\n")
	data_case("bad_data_lib64", "data/lib64/x", "bad_data_lib64-1.0.data/data/lib64/x")
	data_case("bad_data_gitignore", "data/.gitignore", "bad_data_gitignore-1.0.data/data/.gitignore")
	# a file where the venv has a directory: it may not replace lib/, bin/ or include/
	data_case("bad_data_lib", "data/lib", "bad_data_lib-1.0.data/data/lib")
	data_case("bad_data_bin", "data/bin", "bad_data_bin-1.0.data/data/bin")
	data_case("bad_data_sitepkgs", "purelib/../site-packages", "bad_data_sitepkgs-1.0.data/purelib/../site-packages")
	bad("bad_data_collide", "bad_data_collide/m.py", files=[mod("bad_data_collide"), E("bad_data_collide/m.py", b"A = 1\n"),
							      E("bad_data_collide-1.0.data/purelib/bad_data_collide/m.py", b"B = 1\n")])
	bad("bad_data_collide_plat", "bad_data_collide_plat/m.py", files=[mod("bad_data_collide_plat"),
		E("bad_data_collide_plat-1.0.data/platlib/bad_data_collide_plat/m.py", b"A = 1\n"),
		E("bad_data_collide_plat-1.0.data/purelib/bad_data_collide_plat/m.py", b"B = 1\n")])

	# -- entry points
	def ep_case(stem, text, expect):
		bad(stem, expect, entry_points=text.replace("MOD", stem))

	ep_case("bad_ep_dotdot", "[console_scripts]\n../x = MOD:main\n", "../x")
	ep_case("bad_ep_slash", "[console_scripts]\na/b = MOD:main\n", "a/b")
	ep_case("bad_ep_abs", "[console_scripts]\n/tmp/x = MOD:main\n", "/tmp/x")
	ep_case("bad_ep_python", "[console_scripts]\npython = MOD:main\n", "python")
	ep_case("bad_ep_python3", "[console_scripts]\npython3 = MOD:main\n", "python3")
	ep_case("bad_ep_pythonver", "[gui_scripts]\npython3.%d = MOD:main\n" % MINOR, "python3.%d" % MINOR)
	ep_case("bad_ep_activate", "[console_scripts]\nactivate = MOD:main\n", "activate")
	ep_case("bad_ep_dot", "[console_scripts]\n.. = MOD:main\n", "..")
	ep_case("bad_ep_empty", "[console_scripts]\n = MOD:main\n", "entry")
	ep_case("bad_ep_noattr", "[console_scripts]\nx = MOD\n", "entry")
	ep_case("bad_ep_value", "[console_scripts]\nx = not a module:main\n", "entry")
	ep_case("bad_ep_value2", "[console_scripts]\nx = MOD:main()\n", "entry")
	ep_case("bad_ep_inject", "[console_scripts]\nx = MOD:main\"; import os; os.system('id') #\n", "entry")
	ep_case("bad_ep_esc", "[console_scripts]\nx\x1b[2J = MOD:main\n", "entry")
	ep_case("bad_ep_dup", "[console_scripts]\nbad-ep-dup = MOD:main\n[gui_scripts]\nbad-ep-dup = MOD:gui\n", "bad-ep-dup")
	bad("bad_ep_member", "bad-ep-member", files=[mod("bad_ep_member"), E("bad_ep_member-1.0.data/scripts/bad-ep-member", b"#!python\n")],
	    entry_points="[console_scripts]\nbad-ep-member = bad_ep_member:main\n")

	# -- WHEEL, METADATA, .dist-info
	bad("bad_meta_name", "other", name="other")
	bad("bad_meta_version", "2.0", meta_version="2.0")
	bad("bad_meta_noname", "Name", metadata="Metadata-Version: 2.1\nVersion: 1.0\n\n")
	bad("bad_distinfo_name", "other-1.0.dist-info", distinfo="other-1.0.dist-info")
	bad("bad_distinfo_version", "bad_distinfo_version-2.0.dist-info", distinfo="bad_distinfo_version-2.0.dist-info")
	bad("bad_two_distinfo", ".dist-info", extra=[E("other-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: other\nVersion: 1.0\n\n")])
	bad("bad_no_distinfo", ".dist-info", files=[mod("bad_no_distinfo")], distinfo="bad_no_distinfo-1.0.distinfo")
	bad("bad_no_wheel", "WHEEL", no_wheel=True)
	bad("bad_no_metadata", "METADATA", no_metadata=True)
	bad("bad_wheel_v2", "Wheel-Version", wheel_txt="Wheel-Version: 2.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
	bad("bad_wheel_noversion", "Wheel-Version", wheel_txt="Root-Is-Purelib: true\nTag: py3-none-any\n")
	bad("bad_no_rip", "Root-Is-Purelib", wheel_txt="Wheel-Version: 1.0\nTag: py3-none-any\n")
	bad("bad_rip_yes", "Root-Is-Purelib", wheel_txt="Wheel-Version: 1.0\nRoot-Is-Purelib: yes\nTag: py3-none-any\n")
	bad("bad_fname", "file name", fname="bad_fname-1.0-py3-none.whl")
	bad("bad_fname_ext", "file name", fname="bad_fname_ext-1.0-py3-none-any.zip")

	# -- compatibility
	bad("bad_tag_cp27", "cp27", tags="cp27-cp27mu-manylinux1_x86_64")
	bad("bad_tag_win", "win_amd64", tags="py3-none-win_amd64")
	bad("bad_tag_cp399", "cp399", tags="cp399-cp399-linux_x86_64")
	bad("bad_tag_musl", "musllinux", tags="%s-%s-musllinux_1_1_%s" % (CP, CP, ARCH))
	bad("bad_tag_glibc", "manylinux_2_99", tags="%s-%s-manylinux_2_99_%s" % (CP, CP, ARCH))
	bad("bad_tag_arch", "aarch64" if ARCH != "aarch64" else "x86_64", tags="py3-none-linux_%s" % ("aarch64" if ARCH != "aarch64" else "x86_64"))
	bad("bad_tag_py2", "py2", tags="py2-none-any")
	bad("bad_tag_pypy", "pp3", tags="pp310-pypy310_pp73-linux_x86_64")
	bad("bad_reqpy", "<3", meta_extra="Requires-Python: <3\n")
	bad("bad_reqpy_next", ">=3.%d" % (MINOR + 1), meta_extra="Requires-Python: >=3.%d\n" % (MINOR + 1))

	# -- another distribution's files (base_a is installed in the venv first)
	bad("bad_owner_file", "pkg_a/__init__.py|base", files=[mod("bad_owner_file"), E("pkg_a/__init__.py", b"EVIL = 1\n")])
	bad("bad_owner_nested", "pkg_a/sub/m.py|base", files=[mod("bad_owner_nested"), E("bad_owner_nested-1.0.data/platlib/pkg_a/sub/m.py", b"EVIL = 1\n")])
	bad("bad_owner_script", "base-a-cmd", files=[mod("bad_owner_script"), E("bad_owner_script-1.0.data/scripts/base-a-cmd", b"#!python\nprint('pwned')\n")])
	bad("bad_owner_ep", "base-a-cmd", entry_points="[console_scripts]\nbase-a-cmd = bad_owner_ep:main\n")
	bad("bad_owner_record", "base_a-1.0.dist-info/RECORD", files=[mod("bad_owner_record"), E("bad_owner_record-1.0.data/purelib/base_a-1.0.dist-info/RECORD", b"")])
	bad("bad_owner_dir", "pkg_a", files=[mod("bad_owner_dir"), E("pkg_a", b"a file where base_a has a directory\n")])
	bad("bad_owner_under", "pkg_a/__init__.py", files=[mod("bad_owner_under"), E("pkg_a/__init__.py/x", b"under base_a's file\n")])


def main():
	global OUT
	OUT = sys.argv[1]
	os.makedirs(OUT, exist_ok=True)
	make_good()
	make_named()
	make_bad()
	with open(os.path.join(OUT, "cases.tsv"), "w") as f:
		f.write("\n".join(CASES) + "\n")


if __name__ == "__main__":
	main()
