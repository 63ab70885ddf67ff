/* zip.c: a strict reader for the zip archives wheels are (PKWARE APPNOTE 6.3: stored and
 * deflate, ZIP64, data descriptors, UTF-8 names). The archive is hostile until proven
 * otherwise: the central directory must agree with every local header, entries must tile
 * the file exactly (no prepended, trailing, overlapping or hidden data, no comments), and
 * every inflated byte is checked against its CRC and size. What it accepts, Python's zipfile
 * (pip's reader) reads alike: tests/t_zip_diff.sh holds it to that. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "fmt/fmt.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_LOC64 0x07064b50u
#define SIG_DESC 0x08074b50u

/* Defaults sized for real wheels (the largest are a few hundred MB unpacked); the applet
 * may change them before opening. */
void ziplimits_default(struct ziplimits *l)
{
	l->max_archive = 4ull << 30;
	l->max_total = 4ull << 30;
	l->max_entry = 2ull << 30;
	l->max_ratio = 250;
	l->min_ratio_size = 1 << 20;
	l->max_entries = 500000;
	l->max_name = 4000;
}

static uint16_t le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Is [off, off+len) inside the archive? */
static int within(const struct zip *z, uint64_t off, uint64_t len)
{
	return off <= z->size && len <= z->size - off;
}

static int bad(const struct zip *z, struct err *e, const char *what)
{
	return err_set(e, "%s: not a valid wheel archive: %s", z->path, what);
}

static int bad_entry(const struct zip *z, const char *name, struct err *e, const char *what)
{
	return err_set(e, "%s: entry %s: %s", z->path, name, what);
}

/* The extra field: blocks that fill it exactly, at most one ZIP64 block, which supplies each
 * 0xFFFFFFFF field in order (centrally exactly those, as APPNOTE 4.5.3 says: Python 2.7's and
 * 3.6's zipfile refuse other lengths), and no Info-ZIP Unicode Path block (zipfile 3.12 and
 * later takes the entry's name from it). NULL when it is sound, else what is wrong; *SEEN
 * says whether there was a ZIP64 block. */
static const char *extra_fields(const unsigned char *x, size_t xlen, struct zipent *ze, int need_u,
				int need_c, int need_o, int central, int *seen)
{
	size_t i = 0, k, len;

	for (; i < xlen; i += 4 + len) {
		if (xlen - i < 4 || (len = le16(x + i + 2)) > xlen - i - 4)
			return "malformed extra field";
		if (le16(x + i) == 0x7075)
			return "Unicode Path extra field (another name to Python's zipfile)";
		if (le16(x + i) != 0x0001)
			continue;
		if ((*seen)++)
			return "two ZIP64 extra fields";
		if (len < 8u * (need_u + need_c + need_o) || (central && len != 8u * (need_u + need_c + need_o)))
			return "ZIP64 extra field of the wrong size";
		k = i + 4;
		if (need_u) {
			ze->usize = le64(x + k);
			k += 8;
		}
		if (need_c) {
			ze->csize = le64(x + k);
			k += 8;
		}
		if (need_o)
			ze->lho = le64(x + k);
	}
	return *seen || !(need_u || need_c || need_o) ? NULL : "ZIP64 extra field missing";
}

static int find_eocd(struct zip *z, uint64_t *cdoff, uint64_t *cdsize, uint64_t *count,
		     uint64_t *cdend, struct err *e)
{
	const unsigned char *p, *q;
	uint64_t i, floor;

	if (z->size < 22)
		return bad(z, e, "too short");
	floor = z->size > 22 + 65535 ? z->size - 22 - 65535 : 0;
	for (i = z->size - 22;; i--) {
		p = z->map + i;
		if (le32(p) == SIG_EOCD && i + 22 + le16(p + 20) == z->size)
			break;
		if (i == floor)
			return bad(z, e, "no end of central directory record");
	}
	p = z->map + i;
	*cdend = i;
	/* zipfile takes the last end-record signature of the file's tail, and would read another
	 * directory than ours if one hid in the comment (or in the record's own fields) */
	for (q = p + 1; q + 4 <= z->map + z->size; q++)
		if (q[0] == 'P' && q[1] == 'K' && ((q[2] == 5 && q[3] == 6) || (q[2] == 6 && (q[3] == 6 || q[3] == 7))))
			return bad(z, e, "an end record hidden after the end record (in the archive comment)");
	/* nor any comment: a wheel needs none, and the end record is then the file's last 22
	 * bytes, where every reader looks first */
	if (le16(p + 20))
		return bad(z, e, "an archive comment (a wheel has none)");
	if (le16(p + 4) || le16(p + 6) || le16(p + 8) != le16(p + 10))
		return bad(z, e, "multi-disk archives are not supported");
	*count = le16(p + 10);
	*cdsize = le32(p + 12);
	*cdoff = le32(p + 16);
	/* ZIP64: a locator just before the record points at the ZIP64 end record, which
	 * rules even where the classic fields did not overflow (as zipfile reads it) */
	if (i < 20 || le32(p - 20) != SIG_LOC64) {
		if (*count == 0xffff || *cdsize == 0xffffffff || *cdoff == 0xffffffff)
			return bad(z, e, "ZIP64 fields without a ZIP64 locator");
		return 0;
	}
	q = p - 20;
	if (le32(q + 4) != 0 || le32(q + 16) != 1)
		return bad(z, e, "multi-disk archives are not supported");
	i = le64(q + 8);
	if (!within(z, i, 56) || le32(z->map + i) != SIG_EOCD64 || i + 56 > (uint64_t)(q - z->map))
		return bad(z, e, "bad ZIP64 end of central directory record");
	p = z->map + i;
	if (le32(p + 16) || le32(p + 20) || le64(p + 24) != le64(p + 32))
		return bad(z, e, "multi-disk archives are not supported");
	*count = le64(p + 32);
	*cdsize = le64(p + 40);
	*cdoff = le64(p + 48);
	*cdend = i;
	/* the ZIP64 record ends exactly at the locator, with no extensible data: zipfile reads the
	 * 56 bytes before the locator whatever the record's size says, so data there could hold a
	 * record of its own */
	if (le64(p + 4) != 44)
		return bad(z, e, "ZIP64 end record with extensible data");
	if (i + 56 != (uint64_t)(q - z->map))
		return bad(z, e, "data between the ZIP64 records");
	return 0;
}

/* The entry at P into ZE, its name copied to *NAMES, which moves past it. */
static int ascii(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++ >= 0x80)
			return 0;
	return 1;
}

static int parse_central(struct zip *z, const unsigned char *p, uint64_t left, struct zipent *ze,
			 size_t *used, char **names, const struct ziplimits *lim, struct err *e)
{
	uint16_t nlen, xlen, clen;
	uint32_t cs, us, lo;
	const char *why;
	int z64 = 0;

	if (left < 46 || le32(p) != SIG_CENTRAL)
		return bad(z, e, "corrupt central directory");
	ze->made_by = le16(p + 4);
	ze->flags = le16(p + 8);
	ze->method = le16(p + 10);
	ze->crc = le32(p + 16);
	cs = le32(p + 20);
	us = le32(p + 24);
	nlen = le16(p + 28);
	xlen = le16(p + 30);
	clen = le16(p + 32);
	lo = le32(p + 42);
	ze->ext_attr = le32(p + 38);
	if (le16(p + 34) != 0)
		return bad(z, e, "multi-disk archives are not supported");
	if (46 + (uint64_t)nlen + xlen + clen > left)
		return bad(z, e, "central directory entry overruns the directory");
	*used = 46 + nlen + xlen + clen;
	if (nlen == 0 || nlen > lim->max_name)
		return bad(z, e, nlen ? "entry name too long" : "empty entry name");
	ze->name = memcpy(*names, p + 46, nlen);
	ze->name[nlen] = 0;
	*names += nlen + 1;
	if (memchr(p + 46, 0, nlen))
		return bad_entry(z, "(with a NUL byte)", e, "name contains a NUL byte");
	if (!utf8_valid(p + 46, nlen))
		return bad_entry(z, "(not UTF-8)", e, "name is not valid UTF-8");
	/* without the UTF-8 flag (bit 11) zipfile decodes a name as cp437: another name */
	if (!(ze->flags & 0x800) && !ascii(p + 46, nlen))
		return bad_entry(z, ze->name, e, "non-ASCII name without the UTF-8 flag (read as cp437 by Python's zipfile)");
	ze->csize = cs;
	ze->usize = us;
	ze->lho = lo;
	why = extra_fields(p + 46 + nlen, xlen, ze, us == 0xffffffff, cs == 0xffffffff, lo == 0xffffffff, 1, &z64);
	if (why)
		return bad_entry(z, ze->name, e, why);
	if (clen)	/* bytes no reader interprets: a wheel has no comments */
		return bad_entry(z, ze->name, e, "entry comment (a wheel has none)");
	if (ze->flags & 0x41)
		return bad_entry(z, ze->name, e, "encrypted entries are not supported");
	/* only the deflate options, the data descriptor and UTF-8: zipfile refuses patched data
	 * (bit 5), and the rest means what neither reader implements */
	if (ze->flags & ~0x080eu)
		return bad_entry(z, ze->name, e, "unsupported general purpose flags");
	if (p[6] > 63)	/* zipfile refuses what needs a later APPNOTE than 6.3 */
		return bad_entry(z, ze->name, e, "needs a later zip version than 6.3");
	if (ze->method != 0 && ze->method != 8)
		return bad_entry(z, ze->name, e, "compression method not supported (only stored and deflate)");
	if (ze->method == 0 && ze->csize != ze->usize)
		return bad_entry(z, ze->name, e, "stored entry whose sizes differ");
	if (ze->usize > lim->max_entry)
		return bad_entry(z, ze->name, e, "larger than the size limit");
	if (ze->usize > lim->min_ratio_size && ze->usize / (ze->csize ? ze->csize : 1) > lim->max_ratio)
		return bad_entry(z, ze->name, e, "compression ratio past the limit (a zip bomb?)");
	return 0;
}

/* The local header must repeat the central directory; its data (and data descriptor) ends
 * exactly where the next entry begins. Returns the offset just past the entry. */
static int check_local(struct zip *z, struct zipent *ze, uint64_t *end, struct err *e)
{
	const unsigned char *p;
	uint64_t off = ze->lho, d;
	uint16_t nlen, xlen;
	struct zipent l = { 0 };
	const char *why;
	int z64 = 0;

	if (!within(z, off, 30) || le32(z->map + off) != SIG_LOCAL)
		return bad_entry(z, ze->name, e, "local header missing");
	p = z->map + off;
	nlen = le16(p + 26);
	xlen = le16(p + 28);
	if (!within(z, off + 30, (uint64_t)nlen + xlen))
		return bad_entry(z, ze->name, e, "local header overruns the archive");
	if (nlen != strlen(ze->name) || memcmp(p + 30, ze->name, nlen))
		return bad_entry(z, ze->name, e, "local header names another file");
	if (le16(p + 6) != ze->flags || le16(p + 8) != ze->method)
		return bad_entry(z, ze->name, e, "local header disagrees with the central directory (flags or method)");
	l.crc = le32(p + 14);
	l.csize = le32(p + 18);
	l.usize = le32(p + 22);
	/* with a ZIP64 block (z64), a data descriptor has 8-byte sizes */
	why = extra_fields(p + 30 + nlen, xlen, &l, l.usize == 0xffffffff, l.csize == 0xffffffff, 0, 0, &z64);
	if (why)
		return bad_entry(z, ze->name, e, why);
	ze->data = off + 30 + nlen + xlen;
	if (!within(z, ze->data, ze->csize))
		return bad_entry(z, ze->name, e, "data overruns the archive");
	d = ze->data + ze->csize;
	if (ze->flags & 0x08) {
		/* data descriptor: optional signature, CRC, then 4- or 8-byte sizes */
		uint64_t at = d;

		if (within(z, at, 4) && le32(z->map + at) == SIG_DESC)
			at += 4;
		if (!within(z, at, 12) || le32(z->map + at) != ze->crc)
			return bad_entry(z, ze->name, e, "data descriptor disagrees with the central directory");
		if (z64 || ze->csize >= 0xffffffff || ze->usize >= 0xffffffff) {
			if (within(z, at, 20) && le64(z->map + at + 4) == ze->csize
			    && le64(z->map + at + 12) == ze->usize)
				d = at + 20;
			else
				return bad_entry(z, ze->name, e, "data descriptor disagrees with the central directory");
		} else if (le32(z->map + at + 4) == ze->csize && le32(z->map + at + 8) == ze->usize)
			d = at + 12;
		else
			return bad_entry(z, ze->name, e, "data descriptor disagrees with the central directory");
		if ((l.crc && l.crc != ze->crc) || (l.csize && l.csize != ze->csize)
		    || (l.usize && l.usize != ze->usize))
			return bad_entry(z, ze->name, e, "local header disagrees with the central directory");
	} else if (l.crc != ze->crc || l.csize != ze->csize || l.usize != ze->usize) {
		return bad_entry(z, ze->name, e, "local header disagrees with the central directory (CRC or sizes)");
	}
	*end = d;
	return 0;
}

static int by_offset(const void *a, const void *b)
{
	const struct zipent *x = a, *y = b;

	return x->lho < y->lho ? -1 : x->lho > y->lho;
}

int zip_open(struct zip *z, const char *path, const struct ziplimits *lim, struct err *e)
{
	uint64_t cdoff = 0, cdsize = 0, count = 0, cdend = 0, pos, end = 0, total = 0;
	struct zipent *sorted;
	struct stat st;
	size_t i, used = 0;
	char *names;
	int fd;

	memset(z, 0, sizeof *z);
	z->path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);	/* a FIFO must not hang us */
	if (fd < 0)
		return err_sys(e, "%s", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, "%s: not a regular file", path);
	}
	z->size = st.st_size;
	z->st = st;
	if (z->size > lim->max_archive) {
		close(fd);
		return bad(z, e, "larger than the size limit");
	}
	/* a small archive is read whole, so its pages are faulted in at once; a big one is read
	 * a window at a time and each window given back once read (zip_done) */
	z->map = z->size ? mmap(NULL, z->size, PROT_READ,
				MAP_PRIVATE | (z->size > ZIP_BIG ? 0 : MAP_POPULATE), fd, 0) : MAP_FAILED;
	close(fd);
	if (z->map == MAP_FAILED) {
		z->map = NULL;
		return z->size ? err_sys(e, "%s", path) : bad(z, e, "empty file");
	}
	if (find_eocd(z, &cdoff, &cdsize, &count, &cdend, e))
		return -1;
	if (cdoff + cdsize != cdend || !within(z, cdoff, cdsize))
		return bad(z, e, "central directory is not where the end record says");
	if (count > lim->max_entries || count > cdsize / 46)
		return bad(z, e, count > lim->max_entries ? "too many entries" : "entry count does not fit the directory");
	z->ent = calloc(count ? count : 1, sizeof *z->ent);
	z->names = names = malloc(cdsize + count + 1);	/* names are inside the directory */
	if (!z->ent || !names)
		return err_set(e, "%s: out of memory", path);
	for (pos = cdoff; z->n < count; pos += used) {
		if (parse_central(z, z->map + pos, cdoff + cdsize - pos, &z->ent[z->n], &used, &names, lim, e)) {
			z->n++;
			return -1;
		}
		total += z->ent[z->n].usize;
		z->n++;
		if (total > lim->max_total)
			return bad(z, e, "unpacked size past the limit (a zip bomb?)");
	}
	if (pos != cdoff + cdsize)
		return bad(z, e, "central directory holds more than its entry count");
	for (i = 0; i < z->n; i++)	/* every local header where the directory says */
		if (!within(z, z->ent[i].lho, 30) || le32(z->map + z->ent[i].lho) != SIG_LOCAL)
			return bad_entry(z, z->ent[i].name, e, "local header missing");
	/* entries tile the file from offset 0 to the directory: nothing hidden, nothing shared */
	sorted = xmalloc((z->n ? z->n : 1) * sizeof *sorted);
	memcpy(sorted, z->ent, z->n * sizeof *sorted);
	qsort(sorted, z->n, sizeof *sorted, by_offset);
	for (i = 0, pos = 0; i < z->n; i++) {
		if (sorted[i].lho != pos) {
			bad_entry(z, sorted[i].name, e, sorted[i].lho < pos ? "overlaps the entry before it"
				  : "follows data that belongs to no entry (prepended or hidden)");
			free(sorted);
			return -1;
		}
		if (check_local(z, &sorted[i], &end, e)) {
			free(sorted);
			return -1;
		}
		pos = end;
	}
	free(sorted);
	if (pos != cdoff)
		return bad(z, e, "data between the last entry and the central directory");
	for (i = 0; i < z->n; i++)	/* data offsets were computed on the sorted copy */
		z->ent[i].data = z->ent[i].lho + 30 + le16(z->map + z->ent[i].lho + 26)
				 + le16(z->map + z->ent[i].lho + 28);
	zip_done(z, 0, z->size);	/* the headers read: none of it need stay resident */
	return 0;
}

/* Gives back the pages of the archive's bytes OFF..OFF+LEN, read and no longer needed, so a
 * big wheel is never resident whole (SPEC: peak memory bounded whatever the archive's size).
 * The map is private and never written: a page given back is read again from the page cache
 * if anyone (another member sharing the page, the digest's thread) touches it later. */
void zip_done(const struct zip *z, uint64_t off, uint64_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t a, b;

	if (z->size <= ZIP_BIG || !z->map || off >= z->size || pg <= 0)
		return;
	if (len > z->size - off)
		len = z->size - off;
	a = off - off % (uint64_t)pg;
	b = off + len;
	madvise((void *)(z->map + a), b - a, MADV_DONTNEED);
}

void zip_digest(const struct zip *z, const char *alg, char hex[129])
{
	struct digest d;
	uint64_t off, n;

	digest_init(&d, alg);
	for (off = 0; off < z->size; off += n) {	/* a window at a time, each given back */
		n = z->size - off > ZIP_WINDOW ? ZIP_WINDOW : z->size - off;
		digest_update(&d, z->map + off, (size_t)n);
		zip_done(z, off, n);
	}
	digest_hex(&d, hex);
}

/* One inflate state (some 40 KiB, its window included) kept for the next archive of the
 * run: each would otherwise be allocated and freed again, which musl's malloc does with an
 * mmap and a munmap each time. Exchanged atomically: the unpacking threads use it too. */
static z_stream *spare;

/* Frees the inflate state only: for a copy of a struct zip that shares the archive. */
void zip_release(struct zip *z)
{
	z_stream *old;

	if (z->zs) {
		old = __atomic_exchange_n(&spare, (z_stream *)z->zs, __ATOMIC_ACQ_REL);
		if (old) {
			inflateEnd(old);
			free(old);
		}
		z->zs = NULL;
	}
}

void zip_close(struct zip *z)
{
	free(z->names);
	free(z->ent);
	if (z->map)
		munmap((void *)z->map, z->size);
	zip_release(z);
	memset(z, 0, sizeof *z);
}

/* Streams the entry's bytes to SINK in chunks, checking size and CRC at the end. */
int zip_extract(struct zip *z, const struct zipent *ze,
		int (*sink)(void *ctx, const unsigned char *p, size_t n, struct err *e),
		void *ctx, struct err *e)
{
	unsigned char out[65536];
	uLong crc = crc32(0, Z_NULL, 0);
	uint64_t done = 0;
	z_stream *s;
	int r;

	if (ze->method == 0) {
		const unsigned char *p = z->map + ze->data;
		uint64_t left = ze->usize;

		const unsigned char *from = p;	/* the window not given back yet */

		while (left) {
			size_t n = left > sizeof out ? sizeof out : (size_t)left;

			crc = crc32(crc, p, n);
			if (sink(ctx, p, n, e))
				return -1;
			p += n;
			left -= n;
			if (p - from >= ZIP_WINDOW || !left) {
				zip_done(z, from - z->map, p - from);
				from = p;
			}
		}
		if (crc != ze->crc)
			return bad_entry(z, ze->name, e, "CRC mismatch (corrupt data)");
		return 0;
	}
	/* one inflate state per archive, reset per entry: no allocation per member */
	if (!z->zs)	/* the spare, reset below */
		z->zs = __atomic_exchange_n(&spare, NULL, __ATOMIC_ACQ_REL);
	if (!z->zs) {
		z->zs = calloc(1, sizeof(z_stream));
		if (!z->zs || inflateInit2((z_stream *)z->zs, -15) != Z_OK) {
			free(z->zs);
			z->zs = NULL;
			return err_set(e, "%s: cannot start inflating", z->path);
		}
	} else if (inflateReset((z_stream *)z->zs) != Z_OK) {
		return err_set(e, "%s: cannot start inflating", z->path);
	}
	s = z->zs;
	s->next_in = (unsigned char *)z->map + ze->data;
	s->avail_in = 0;
	{
		uint64_t in_left = ze->csize, win = 0;	/* where the window being read starts */

		do {
			if (!s->avail_in && in_left) {	/* a window read: given back, the next one fed */
				zip_done(z, ze->data + win, ze->csize - in_left - win);
				win = ze->csize - in_left;
				s->avail_in = in_left > ZIP_WINDOW ? ZIP_WINDOW : (uInt)in_left;
				in_left -= s->avail_in;
			}
			s->next_out = out;
			s->avail_out = sizeof out;
			r = inflate(s, Z_NO_FLUSH);
			if (r != Z_OK && r != Z_STREAM_END) {
				return bad_entry(z, ze->name, e, "corrupt deflate data");
			}
			done += sizeof out - s->avail_out;
			if (done > ze->usize) {
				return bad_entry(z, ze->name, e, "inflates past its recorded size");
			}
			crc = crc32(crc, out, sizeof out - s->avail_out);
			if (sink(ctx, out, sizeof out - s->avail_out, e)) {
				return -1;
			}
			if (r == Z_OK && !s->avail_in && !in_left && s->avail_out) {
				return bad_entry(z, ze->name, e, "deflate data ends early");
			}
		} while (r != Z_STREAM_END);
		r = s->avail_in != 0 || in_left != 0;
		zip_done(z, ze->data + win, ze->csize - win);
	}
	if (r)
		return bad_entry(z, ze->name, e, "trailing bytes after the deflate stream");
	if (done != ze->usize)
		return bad_entry(z, ze->name, e, "inflates to a size other than recorded");
	if (crc != ze->crc)
		return bad_entry(z, ze->name, e, "CRC mismatch (corrupt data)");
	return 0;
}

int zip_is_symlink(const struct zipent *ze)
{
	return zip_unix_type(ze) == S_IFLNK;
}

/* The Unix file type the archive records (S_IFREG, S_IFLNK, ...), when made on Unix; 0
 * otherwise, or when it records none. */
unsigned zip_unix_type(const struct zipent *ze)
{
	return (ze->made_by >> 8) == 3 ? (ze->ext_attr >> 16) & S_IFMT : 0;
}

/* Unix mode bits the archive records, when made on Unix; 0 otherwise. */
unsigned zip_unix_mode(const struct zipent *ze)
{
	return (ze->made_by >> 8) == 3 ? (ze->ext_attr >> 16) & 07777 : 0;
}
