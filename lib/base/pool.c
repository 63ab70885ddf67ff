/* pool.c: strings that live and die together (a wheel's destinations), carved from large
 * blocks: one allocation for hundreds of them, which matters when two threads would
 * otherwise queue on the allocator's lock for each. */
#include <stdlib.h>
#include <string.h>
#include "base/base.h"

#define POOL_BLOCK 16384

struct poolblk {
	struct poolblk *next;
	size_t used, cap;
	char data[];
};

char *pool_strdup(struct pool *p, const char *s)
{
	size_t n = strlen(s) + 1;
	struct poolblk *b = p->blk;
	char *r;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > POOL_BLOCK ? n : POOL_BLOCK;

		b = xmalloc(sizeof *b + cap);
		b->next = p->blk;
		b->used = 0;
		b->cap = cap;
		p->blk = b;
	}
	r = memcpy(b->data + b->used, s, n);
	b->used += n;
	return r;
}

void pool_free(struct pool *p)
{
	struct poolblk *b, *next;

	for (b = p->blk; b; b = next) {
		next = b->next;
		free(b);
	}
	p->blk = NULL;
}
