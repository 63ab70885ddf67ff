/* zipmut.c: a structure-aware mutator linked into fuzz_zip to make fuzz_zipmut (APPNOTE 6.3).
 * The input is read as a zip archive into a model (each entry's name, flags, method, sizes,
 * extra fields, comment and data, their local and central order, the end records), one to
 * three things in it are changed, and it is written out again with offsets, sizes, counts
 * and CRCs made to agree, so that many mutants are archives the reader accepts: those are
 * kept for tests/t_zip_diff.sh, which compares them with Python's zipfile. An input it cannot
 * read, and one mutant in eight after writing, go through libFuzzer's byte mutator. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);

#define MAXENT 64
#define MAXNAME 512
#define MAXX 256
#define OUTMAX (1 << 20)

struct ment {
	unsigned char name[MAXNAME], lx[MAXX], cx[MAXX], cc[MAXX];	/* extras besides ZIP64; comment */
	size_t nlen, lxlen, cxlen, cclen;
	const unsigned char *data;	/* the stored bytes, csize of them */
	uint64_t csize, usize, lho;
	uint32_t crc, ext;
	uint16_t flags, method, time, date, made_by, need, lver;
	int l64, c64, dd;	/* ZIP64 blocks in the local and central header; descriptor 0, 1 with sig, 2 without */
};

struct model {
	struct ment e[MAXENT];	/* central directory order */
	int lorder[MAXENT];	/* the order of the local entries in the file */
	size_t n, clen;
	int z64end;
	unsigned char comment[MAXX];
};

struct out {
	unsigned char *p;
	size_t n, max;
};

static struct model m;
static unsigned char arena[4 << 20], outbuf[OUTMAX];
static size_t arena_used;
static uint64_t rs;

static uint32_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 16);
}

static uint64_t g16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint64_t g32(const unsigned char *p) { return g16(p) | g16(p + 2) << 16; }
static uint64_t g64(const unsigned char *p) { return g32(p) | g32(p + 4) << 32; }

/* The extra field X without its ZIP64 block into OUT; the block's fields into *U, *C, *O where
 * they were saturated. Returns whether there was one, -1 if it does not fit. */
static int split_extra(const unsigned char *x, size_t xlen, unsigned char *out, size_t *olen,
		       uint64_t *u, uint64_t *c, uint64_t *o)
{
	size_t i = 0, len, k;
	int z = 0;

	*olen = 0;
	while (i + 4 <= xlen) {
		len = g16(x + i + 2);
		if (i + 4 + len > xlen)
			break;
		if (g16(x + i) == 1) {
			z = 1;
			k = i + 4;
			if (*u == 0xffffffff && k + 8 <= i + 4 + len)
				*u = g64(x + k), k += 8;
			if (*c == 0xffffffff && k + 8 <= i + 4 + len)
				*c = g64(x + k), k += 8;
			if (o && *o == 0xffffffff && k + 8 <= i + 4 + len)
				*o = g64(x + k);
		} else {
			if (*olen + 4 + len > MAXX)
				return -1;
			memcpy(out + *olen, x + i, 4 + len);
			*olen += 4 + len;
		}
		i += 4 + len;
	}
	return z;
}

static int parse(const unsigned char *d, size_t n)
{
	uint64_t i, cdoff, cdsize, count, pos, floor, u, c;
	const unsigned char *p, *l;
	struct ment *e;
	size_t k, j, nl, xl, cl;

	if (n < 22)
		return -1;
	floor = n > 22 + 65535 ? n - 22 - 65535 : 0;
	for (i = n - 22;; i--) {
		if (g32(d + i) == 0x06054b50 && i + 22 + g16(d + i + 20) == n)
			break;
		if (i == floor)
			return -1;
	}
	p = d + i;
	m.clen = g16(p + 20);
	if (m.clen > MAXX)
		return -1;
	memcpy(m.comment, p + 22, m.clen);
	count = g16(p + 10), cdsize = g32(p + 12), cdoff = g32(p + 16);
	m.z64end = 0;
	if (i >= 20 && g32(p - 20) == 0x07064b50) {
		uint64_t z = g64(p - 12);

		if (z > n || n - z < 56 || g32(d + z) != 0x06064b50)
			return -1;
		count = g64(d + z + 32), cdsize = g64(d + z + 40), cdoff = g64(d + z + 48);
		m.z64end = 1;
	}
	if (cdoff > n || cdsize > n - cdoff || count > MAXENT)
		return -1;
	m.n = 0;
	for (pos = cdoff; m.n < count; pos += 46 + nl + xl + cl) {
		if (pos + 46 > cdoff + cdsize || g32(d + pos) != 0x02014b50)
			return -1;
		p = d + pos;
		e = &m.e[m.n];
		nl = g16(p + 28), xl = g16(p + 30), cl = g16(p + 32);
		if (pos + 46 + nl + xl + cl > cdoff + cdsize || nl > MAXNAME || cl > MAXX)
			return -1;
		e->made_by = g16(p + 4), e->need = g16(p + 6), e->flags = g16(p + 8), e->method = g16(p + 10);
		e->time = g16(p + 12), e->date = g16(p + 14), e->crc = g32(p + 16);
		e->csize = g32(p + 20), e->usize = g32(p + 24), e->ext = g32(p + 38), e->lho = g32(p + 42);
		memcpy(e->name, p + 46, e->nlen = nl);
		memcpy(e->cc, p + 46 + nl + xl, e->cclen = cl);
		e->c64 = split_extra(p + 46 + nl, xl, e->cx, &e->cxlen, &e->usize, &e->csize, &e->lho);
		if (e->c64 < 0 || e->lho > n || n - e->lho < 30 || g32(d + e->lho) != 0x04034b50)
			return -1;
		l = d + e->lho;
		e->lver = g16(l + 4);
		if (e->lho + 30 + g16(l + 26) + g16(l + 28) > n)
			return -1;
		u = c = 0;
		e->l64 = split_extra(l + 30 + g16(l + 26), g16(l + 28), e->lx, &e->lxlen, &u, &c, NULL);
		e->data = l + 30 + g16(l + 26) + g16(l + 28);
		if (e->l64 < 0 || e->csize > (uint64_t)(d + n - e->data))
			return -1;
		e->dd = !(e->flags & 8) ? 0 : e->data + e->csize + 4 <= d + n && g32(e->data + e->csize) == 0x08074b50 ? 1 : 2;
		m.n++;
	}
	for (k = 0; k < m.n; k++) {	/* the local entries by offset: insertion sort */
		for (j = k; j > 0 && m.e[m.lorder[j - 1]].lho > m.e[k].lho; j--)
			m.lorder[j] = m.lorder[j - 1];
		m.lorder[j] = (int)k;
	}
	return 0;
}

static void put(struct out *o, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++, v >>= 8)
		if (o->n < o->max)
			o->p[o->n++] = (unsigned char)v;
		else
			o->n = o->max + 1;
}

static void putb(struct out *o, const unsigned char *b, size_t len)
{
	if (o->n <= o->max && len <= o->max - o->n) {
		memcpy(o->p + o->n, b, len);
		o->n += len;
	} else {
		o->n = o->max + 1;
	}
}

/* The model as an archive whose offsets, sizes and counts agree; 0 when it is larger than MAX. */
static size_t write_zip(unsigned char *buf, size_t max)
{
	struct out o = { buf, 0, max };
	uint64_t cdstart, cdsize, z64at;
	size_t k;

	for (k = 0; k < m.n; k++) {
		struct ment *e = &m.e[m.lorder[k]];
		uint64_t cs = e->dd ? 0 : e->csize, us = e->dd ? 0 : e->usize;

		e->lho = o.n;
		put(&o, 0x04034b50, 4), put(&o, e->lver, 2), put(&o, e->flags, 2), put(&o, e->method, 2);
		put(&o, e->time, 2), put(&o, e->date, 2), put(&o, e->dd ? 0 : e->crc, 4);
		put(&o, e->l64 ? 0xffffffff : cs, 4), put(&o, e->l64 ? 0xffffffff : us, 4);
		put(&o, e->nlen, 2), put(&o, e->lxlen + (e->l64 ? 20 : 0), 2);
		putb(&o, e->name, e->nlen);
		if (e->l64)
			put(&o, 0x00100001, 4), put(&o, us, 8), put(&o, cs, 8);
		putb(&o, e->lx, e->lxlen);
		putb(&o, e->data, e->csize);
		if (e->dd == 1)
			put(&o, 0x08074b50, 4);
		if (e->dd)
			put(&o, e->crc, 4), put(&o, e->csize, e->l64 ? 8 : 4), put(&o, e->usize, e->l64 ? 8 : 4);
	}
	cdstart = o.n;
	for (k = 0; k < m.n; k++) {
		struct ment *e = &m.e[k];

		put(&o, 0x02014b50, 4), put(&o, e->made_by, 2), put(&o, e->need, 2), put(&o, e->flags, 2);
		put(&o, e->method, 2), put(&o, e->time, 2), put(&o, e->date, 2), put(&o, e->crc, 4);
		put(&o, e->c64 ? 0xffffffff : e->csize, 4), put(&o, e->c64 ? 0xffffffff : e->usize, 4);
		put(&o, e->nlen, 2), put(&o, e->cxlen + (e->c64 ? 28 : 0), 2), put(&o, e->cclen, 2);
		put(&o, 0, 4), put(&o, e->ext, 4), put(&o, e->c64 ? 0xffffffff : e->lho, 4);
		putb(&o, e->name, e->nlen);
		if (e->c64)
			put(&o, 0x00180001, 4), put(&o, e->usize, 8), put(&o, e->csize, 8), put(&o, e->lho, 8);
		putb(&o, e->cx, e->cxlen);
		putb(&o, e->cc, e->cclen);
	}
	cdsize = o.n - cdstart;
	z64at = o.n;
	if (m.z64end) {
		put(&o, 0x06064b50, 4), put(&o, 44, 8), put(&o, 45, 2), put(&o, 45, 2), put(&o, 0, 8);
		put(&o, m.n, 8), put(&o, m.n, 8), put(&o, cdsize, 8), put(&o, cdstart, 8);
		put(&o, 0x07064b50, 4), put(&o, 0, 4), put(&o, z64at, 8), put(&o, 1, 4);
	}
	put(&o, 0x06054b50, 4), put(&o, 0, 4);
	put(&o, m.z64end ? 0xffff : m.n, 2), put(&o, m.z64end ? 0xffff : m.n, 2);
	put(&o, m.z64end ? 0xffffffff : cdsize, 4), put(&o, m.z64end ? 0xffffffff : cdstart, 4);
	put(&o, m.clen, 2), putb(&o, m.comment, m.clen);
	return o.n <= max ? o.n : 0;
}

static unsigned char *alloc(size_t n)
{
	unsigned char *p;

	if (n > sizeof arena - arena_used)
		return NULL;
	p = arena + arena_used;
	arena_used += n;
	return p;
}

/* The entry's inflated bytes (at most MAX), in the arena; -1 when they do not inflate. */
static long raw(const struct ment *e, unsigned char **to, size_t max)
{
	z_stream s = { 0 };
	long n;

	if (!(*to = alloc(max)))
		return -1;
	if (e->method == 0) {
		n = e->csize < max ? (long)e->csize : (long)max;
		memcpy(*to, e->data, n);
		return n;
	}
	if (e->method != 8 || inflateInit2(&s, -15) != Z_OK)
		return -1;
	s.next_in = (unsigned char *)e->data, s.avail_in = (uInt)e->csize;
	s.next_out = *to, s.avail_out = (uInt)max;
	n = inflate(&s, Z_FINISH) == Z_STREAM_END ? (long)s.total_out : -1;
	inflateEnd(&s);
	return n;
}

/* Stores RAW in the entry by its method (deflated at a random level), with CRC and sizes. */
static void encode(struct ment *e, const unsigned char *r, size_t n)
{
	z_stream s = { 0 };
	unsigned char *d;

	e->crc = crc32(crc32(0, Z_NULL, 0), r, (uInt)n);
	e->usize = n;
	if (e->method != 8) {
		e->data = r, e->csize = n;
		return;
	}
	if (deflateInit2(&s, (int)(rnd() % 10), Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	if ((d = alloc(deflateBound(&s, n)))) {
		s.next_in = (unsigned char *)r, s.avail_in = (uInt)n;
		s.next_out = d, s.avail_out = (uInt)deflateBound(&s, n);
		if (deflate(&s, Z_FINISH) == Z_STREAM_END)
			e->data = d, e->csize = s.total_out;
	}
	deflateEnd(&s);
}

/* A field of size LEN, mutated: libFuzzer's bytes, or a zip signature put in. */
static void mutate_bytes(unsigned char *b, size_t *len, size_t max)
{
	static const unsigned char sig[][4] = { "PK\5\6", "PK\6\6", "PK\6\7", "PK\1\2", "PK\3\4" };

	if (rnd() % 4 == 0 && *len + 4 <= max) {
		size_t at = rnd() % (*len + 1);

		memmove(b + at + 4, b + at, *len - at);
		memcpy(b + at, sig[rnd() % 5], 4);
		*len += 4;
	} else if (rnd() % 4 == 0) {
		*len = 0;
	} else {
		*len = LLVMFuzzerMutate(b, *len, max);
	}
}

static void add_extra(struct ment *e, int central)
{
	static const uint16_t ids[] = { 0x0001, 0x7075, 0x5455, 0x7875, 0x000a, 0x6375, 0xcafe };
	unsigned char *x = central ? e->cx : e->lx, b[64];
	size_t *xl = central ? &e->cxlen : &e->lxlen, n = rnd() % 24, i;
	uint16_t id = ids[rnd() % 7];
	uint32_t c;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)rnd();
	if (id == 0x7075 && e->nlen + 5 <= sizeof b - 8) {	/* another name, under the name's CRC */
		b[0] = 1;
		c = (uint32_t)crc32(0, e->name, (uInt)e->nlen);
		memcpy(b + 1, &c, 4);
		memcpy(b + 5, e->name, e->nlen < 50 ? e->nlen : 50);
		n = 5 + (e->nlen < 50 ? e->nlen : 50);
		b[n - 1] ^= 1 + rnd() % 0x3f;
	}
	if (*xl + 4 + n > MAXX)
		return;
	x[*xl] = (unsigned char)id, x[*xl + 1] = id >> 8;
	x[*xl + 2] = (unsigned char)n, x[*xl + 3] = 0;
	memcpy(x + *xl + 4, b, n);
	*xl += 4 + n;
	if (rnd() % 8 == 0)	/* a block that overruns the field */
		x[*xl - n - 2] += 1 + rnd() % 3;
}

static void mutate_one(void)
{
	struct ment *e = &m.e[rnd() % m.n], t;
	unsigned char *r, *c;
	long n;
	size_t i, j;

	switch (rnd() % 22) {
	case 0:
		e->nlen = LLVMFuzzerMutate(e->name, e->nlen, MAXNAME);
		break;
	case 1:	/* a non-ASCII character in the name, with or without the UTF-8 flag */
		if (e->nlen + 2 <= MAXNAME) {
			i = rnd() % (e->nlen + 1);
			memmove(e->name + i + 2, e->name + i, e->nlen - i);
			e->name[i] = 0xc3, e->name[i + 1] = 0x80 + rnd() % 0x40;
			e->nlen += 2;
		}
		if (rnd() % 2)
			e->flags ^= 0x800;
		break;
	case 2:
		e->flags ^= 1u << (rnd() % 16);
		break;
	case 3:
		e->flags ^= 0x800;
		break;
	case 4:	/* stored and deflated the other way */
		if ((n = raw(e, &r, 1 << 18)) >= 0) {
			e->method = e->method == 8 ? 0 : 8;
			encode(e, r, n);
		}
		break;
	case 5:	/* other content, correctly recorded */
		if ((n = raw(e, &r, 1 << 18)) >= 0 && (c = alloc(n + 4096))) {
			memcpy(c, r, n);
			encode(e, c, LLVMFuzzerMutate(c, n, n + 4096));
		}
		break;
	case 6:
		e->l64 = !e->l64;
		break;
	case 7:
		e->c64 = !e->c64;
		break;
	case 8:
		e->dd = (e->dd + 1) % 3;
		e->flags = e->dd ? e->flags | 8 : e->flags & ~8;
		break;
	case 9:
		m.z64end = !m.z64end;
		break;
	case 10:
		add_extra(e, 0);
		break;
	case 11:
		add_extra(e, 1);
		break;
	case 12:
		e->lxlen = e->cxlen = 0;
		break;
	case 13:
		mutate_bytes(m.comment, &m.clen, MAXX);
		break;
	case 14:
		mutate_bytes(e->cc, &e->cclen, MAXX);
		break;
	case 15:
		e->need = rnd() % 2 ? rnd() % 80 : 20;
		e->made_by = (rnd() % 2 ? 3 << 8 : 0) | rnd() % 64;
		e->ext = rnd() % 2 ? (0100000u | rnd() % 01000) << 16 : rnd();
		break;
	case 16:	/* the central order or the local order */
	case 17:
		i = rnd() % m.n, j = rnd() % m.n;
		if (rnd() % 2) {
			t = m.e[i], m.e[i] = m.e[j], m.e[j] = t;
		} else {
			int k = m.lorder[i];

			m.lorder[i] = m.lorder[j], m.lorder[j] = k;
		}
		break;
	case 18:	/* an entry twice, or one less */
		if (m.n < MAXENT) {
			m.e[m.n] = *e;
			m.lorder[m.n] = (int)m.n;
			m.n++;
		}
		break;
	case 19:
		if (m.n > 1) {
			i = e - m.e;
			memmove(e, e + 1, (m.n - i - 1) * sizeof *e);
			for (j = 0; j < m.n; j++)
				if (m.lorder[j] == (int)i)
					break;
			memmove(m.lorder + j, m.lorder + j + 1, (m.n - j - 1) * sizeof *m.lorder);
			m.n--;
			for (j = 0; j < m.n; j++)
				m.lorder[j] -= m.lorder[j] > (int)i;
		}
		break;
	case 20:	/* a recorded value that lies */
		if (rnd() % 2)
			e->crc ^= 1u << (rnd() % 32);
		else
			e->usize += (rnd() % 2 ? 1 : -1);
		break;
	default:
		e->time = (uint16_t)rnd(), e->date = (uint16_t)rnd();
		break;
	}
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed)
{
	size_t n;
	int k;

	rs = seed * 0x9e3779b97f4a7c15ull + 1;
	arena_used = 0;
	if (rnd() % 16 == 0 || parse(data, size) || m.n == 0)
		return LLVMFuzzerMutate(data, size, max);
	for (k = 1 + rnd() % 3; k > 0 && m.n; k--)
		mutate_one();
	n = write_zip(outbuf, max < OUTMAX ? max : OUTMAX);
	if (!n)
		return LLVMFuzzerMutate(data, size, max);
	memcpy(data, outbuf, n);
	if (rnd() % 8 == 0)
		n = LLVMFuzzerMutate(data, n, max);
	return n;
}
