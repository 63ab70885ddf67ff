/* unpack.c: a wheel's members written into the venv (or its stage), each checked against
 * RECORD as it is written: taken from the cache of unpacked wheels when it has them and
 * they are known by their signatures or verify, else inflated from the archive; a large
 * wheel by two threads. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pkg/pkg.h"

#ifndef FICLONE	/* the kernel ABI (linux/fs.h, which musl's toolchain need not have) */
#define FICLONE _IOW(0x94, 9, int)
#endif

/* A reflink of the cached FD as K's file, where the filesystem has them: 1 made. */
static int reflink(struct inst *s, struct hashsink *k, int fd)
{
	if (s->o->link_mode != LINK_CLONE || k->mem || s->noclone)
		return 0;
	if (ioctl(k->fd, FICLONE, fd) == 0)
		return 1;
	/* a filesystem that cannot (ext4, tmpfs), or the cache on another one */
	if (errno == EOPNOTSUPP || errno == ENOTTY || errno == EXDEV || errno == EINVAL || errno == ENOSYS)
		s->noclone = 1;
	return 0;
}

/* The cached FD as ST found it: not written (nor, unless LINKING, touched) since. */
static int unchanged(int fd, const struct stat *st, int linking)
{
	struct stat now;

	return fstat(fd, &now) == 0 && wsig_same(st, &now, linking);
}

/* K's file made again from nothing. */
static int rewind_sink(struct hashsink *k, struct wfile *f, struct err *e)
{
	if (!k->mem && (ftruncate(k->fd, 0) < 0 || lseek(k->fd, 0, SEEK_SET) < 0))
		return err_sys(e, "cannot rewrite %s", f->dest);
	return 0;
}

/* The cached FD (ST) known by its signature, taken into K unread: a reflink or a copy the
 * kernel makes. 1 done; 0 not (K is to be written again: the file changed meanwhile, or
 * could not be read), -1 and E. */
static int take(struct inst *s, struct wfile *f, struct hashsink *k, int fd, const struct stat *st,
		struct err *e)
{
	int64_t n = reflink(s, k, fd) ? (int64_t)f->ze->usize : file_copy_fd(fd, k->fd, f->ze->usize,
										    s->o->link_mode == LINK_CLONE);
	int r = n >= 0 && (uint64_t)n == f->ze->usize;

	/* a read error, or the file written while it was copied: hashed after all (an error
	 * writing the venv is met again there, and said) */
	if (r == 1 && !unchanged(fd, st, 0))
		r = 0;
	if (r == 1) {
		k->n = f->ze->usize;
		wcache_verified(s->wc, f, st, NULL);
		return 1;
	}
	return rewind_sink(k, f, e) < 0 || lseek(fd, 0, SEEK_SET) < 0 ? -1 : 0;
}

/* F's content into K: from the cache when it has F and that copy is known or verifies, else
 * inflated from the archive and checked against RECORD. */
static int pull(struct inst *s, struct wfile *f, struct hashsink *k, struct err *e)
{
	struct stat st;
	int r = 0, fd;

	if (wcache_reading(s->wc) && f->hashed) {	/* what RECORD does not hash, the cache cannot vouch for */
		fd = wcache_open(s->wc, &s->cdc, f->member, f->ze->usize, &st);
		if (fd >= 0 && !k->mem && wcache_trusts(s->wc, f, &st, 0, k->digest) &&
		    (r = take(s, f, k, fd, &st, e)) != 0) {
			close(fd);
			return r < 0 ? -1 : 0;
		}
		if (fd >= 0) {	/* a reflink where it can be had; either way, read and hashed */
			k->nowrite = reflink(s, k, fd);
			r = file_feed(fd, f->ze->usize, sink_write, k, e);
			k->nowrite = 0;
			if (r == 1 && !unchanged(fd, &st, 0))
				r = 0;	/* changed while it was read (or after the reflink) */
			close(fd);
		}
		if (r < 0)
			return -1;
		if (r == 1 && sink_matches(k, f)) {
			wcache_verified(s->wc, f, &st, k->digest);
			return 0;
		}
		wcache_spoiled(s->wc);	/* edited, truncated, replaced or gone: the entry is dropped */
		/* start again: what the cache gave is not to be trusted */
		if (rewind_sink(k, f, e))
			return -1;
	}
	sink_start(k);
	if (zip_extract(s->z, f->ze, sink_write, k, e))
		return -1;
	if (!sink_matches(k, f))
		return err_set(e, "%s: entry %s: content does not match its RECORD hash", s->w->path, f->member);
	return 0;
}

/* A script, kept in memory: its #!python line made the venv's, then written and recorded. */
static int put_script(struct inst *s, struct wfile *f, const struct buf *mem, struct err *e)
{
	const char *body = mem->s ? mem->s : "";
	size_t len = mem->len;
	int rc = 0;

	if (len >= 8 && !memcmp(body, "#!python", 8)) {	/* #!python and #!pythonw */
		const char *nl = memchr(body, '\n', len);

		rc = launcher_shebang(s, &s->tmp, e);
		if (nl)
			buf_add(&s->tmp, nl + 1, len - (nl + 1 - body));
		body = s->tmp.s;
		len = s->tmp.len;
	}
	return rc ? rc : inst_put(s, f->dest, body, len, f->mode, e);
}

/* --link-mode hardlink: F, as the cache holds it, linked into the venv as BASE in DFD once
 * it is known by its signature or has been read and matched its RECORD hash, and with the
 * mode a new file would have: 1 done, 0 not (the caller writes it), -1 and E. */
static int link_member(struct inst *s, struct wfile *f, int dfd, const char *base,
		       struct hashsink *k, struct err *e)
{
	struct stat st;
	int fd, r;

	if (wcache_stat(s->wc, &s->cdc, f->member, f->ze->usize, &st) < 0 ||
	    (st.st_mode & 07777) != (f->mode & ~s->mask & 07777))
		return 0;
	if (wcache_trusts(s->wc, f, &st, 1, k->digest)) {	/* linked unread, by its name */
		r = wcache_link(s->wc, &s->cdc, f->member, &st, dfd, base);
		if (r == 1) {
			k->n = f->ze->usize;
			wcache_verified(s->wc, f, &st, NULL);
		}
		return r;	/* linked; or the copying path takes it */
	}
	fd = wcache_open(s->wc, &s->cdc, f->member, f->ze->usize, &st);
	if (fd < 0)
		return 0;
	k->nowrite = 1;
	sink_start(k);
	r = file_feed(fd, f->ze->usize, sink_write, k, e);
	k->nowrite = 0;
	close(fd);
	if (r == 1 && sink_matches(k, f)) {
		r = wcache_link(s->wc, &s->cdc, f->member, &st, dfd, base);
		if (r == 1)
			wcache_verified(s->wc, f, &st, k->digest);
	} else if (r == 1) {
		r = 0;	/* spoiled: the copying path below finds it so too, and drops the entry */
	}
	return r;
}

static int write_member(struct inst *s, struct wfile *f, struct err *e)
{
	struct hashsink k = { -1, -1, s->wc, f->hashed && f->bits ? f->bits : 256, .dest = f->dest };
	struct buf mem;
	const char *base = NULL;
	int dfd = -1, rc, filling = wcache_filling(s->wc);

	if (s->o->interruptible && signals_stopped(e))
		return -1;	/* a termination signal: the install is undone */
	buf_init(&mem);
	if (f->kind == W_SCRIPT) {
		k.mem = &mem;
	} else {
		dfd = dircache_parent(&s->dc, f->dest, 1, &base, e);
		if (dfd < 0 || fault_point(e))
			return -1;
		if (s->o->link_mode == LINK_HARDLINK && wcache_reading(s->wc) && f->hashed) {
			rc = link_member(s, f, dfd, base, &k, e);
			if (rc) {
				if (rc > 0)
					inst_record(s, f->dest, k.digest, k.n);
				return rc < 0 ? -1 : 0;
			}
		}
		k.fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f->mode);
		if (k.fd < 0)
			return err_sys(e, "cannot create %s", f->dest);
		if (filling && !wcache_linking(s->wc))
			k.cfd = wcache_create(s->wc, &s->cdc, f->member);
	}
	sink_start(&k);
	rc = pull(s, f, &k, e);
	if (k.fd >= 0 && close(k.fd) < 0 && !rc)
		rc = err_sys(e, "cannot write %s", f->dest);
	wcache_close(s->wc, k.cfd);
	if (rc == 0 && filling) {	/* kept for the next install: the member as the wheel has it */
		if (f->kind == W_SCRIPT) {
			int cfd = wcache_create(s->wc, &s->cdc, f->member);

			wcache_copy(s->wc, cfd, mem.s ? mem.s : "", mem.len);
			wcache_close(s->wc, cfd);
		} else if (wcache_linking(s->wc)) {
			wcache_keep_link(s->wc, &s->cdc, f->member, dfd, base);
		}
	}
	if (rc == 0 && f->kind == W_SCRIPT)
		rc = put_script(s, f, &mem, e);
	else if (rc == 0)
		inst_record(s, f->dest, k.digest, k.n);
	buf_free(&mem);
	return rc;
}

/* Wheels of a megabyte and more are unpacked by two threads (inflating is most of the work
 * and a venv host has two cores or more); each has its own inflate state, directory cache
 * and RECORD rows. Fault injection counts steps, so it keeps to one thread. */
#define PARALLEL_MIN (1u << 20)

struct queue {
	struct wfile **v;	/* the members, in name order */
	size_t n, next;		/* next: the first not yet taken */
	int stop;
};
#define CHUNK 8	/* members taken at a time: neighbours share directories */

struct worker {
	struct inst s;
	struct zip z;
	struct queue *q;
	struct err e;
	int rc;
};

/* Takes chunks of members off the queue until it is empty (or a member failed), so two
 * workers finish together however the work is spread over the archive. */
static void *work(void *arg)
{
	struct worker *k = arg;
	struct queue *q = k->q;
	size_t i, end;

	while (!__atomic_load_n(&q->stop, __ATOMIC_RELAXED)) {
		i = __atomic_fetch_add(&q->next, CHUNK, __ATOMIC_RELAXED);
		if (i >= q->n)
			break;
		for (end = i + CHUNK < q->n ? i + CHUNK : q->n; i < end; i++)
			if (write_member(&k->s, q->v[i], &k->e)) {
				k->rc = -1;
				__atomic_store_n(&q->stop, 1, __ATOMIC_RELAXED);
				break;
			}
	}
	return NULL;
}

int unpack_members(struct inst *s, struct err *e)
{
	struct worker k[2];
	struct queue q = { xmalloc((s->w->nf + 1) * sizeof *q.v), 0, 0, 0 };
	uint64_t total = 0;
	size_t i, t;
	pthread_t th;
	int rc = 0, threaded;

	for (i = 0; i < s->w->nf; i++)
		if (inst_plain_member(s, &s->w->f[i]) && s->w->f[i].kind != W_SCRIPT) {
			q.v[q.n++] = &s->w->f[i];
			total += s->w->f[i].ze->usize;
		}
	threaded = total >= PARALLEL_MIN && !fault_armed();
	memset(k, 0, sizeof k);
	for (t = 0; t < 2; t++) {
		k[t].s = *s;
		inst_init(&k[t].s);
		k[t].z = s->w->z;
		k[t].z.zs = NULL;	/* its own inflate state; the map is shared, read-only */
		k[t].s.z = &k[t].z;
		k[t].q = &q;
	}
	if (threaded && pthread_create(&th, NULL, work, &k[1]) != 0)
		threaded = 0;	/* no thread to be had: all of it here */
	work(&k[0]);
	if (threaded)
		pthread_join(th, NULL);
	for (t = 0; t < 2; t++) {
		if (k[t].rc && !rc) {
			rc = -1;
			*e = k[t].e;
		}
		inst_merge(s, &k[t].s);
		zip_release(&k[t].z);
	}
	free(q.v);
	for (i = 0; i < s->w->nf && !rc; i++)	/* scripts: their #! lines are rewritten */
		if (s->w->f[i].kind == W_SCRIPT && inst_plain_member(s, &s->w->f[i]))
			rc = write_member(s, &s->w->f[i], e);
	return rc;
}
