/* topk: Space-Saving heavy hitters in fixed memory, mergeable. */
#include <errno.h>
#include <string.h>

#include "topk.h"

/*
 * Four times the capacity keeps linear probing (and the backward shift of
 * every eviction) short.  Homes come from the hash's high bits.
 */
#define TOPK_INDEX_BITS 8
#define TOPK_INDEX (1U << TOPK_INDEX_BITS)
#define TOPK_NONE 0xff

_Static_assert(TOPK_CAP < TOPK_NONE, "entry numbers must fit a byte");
_Static_assert(TOPK_INDEX >= 2 * TOPK_CAP, "index at most half full");

/*
 * Entries never move: the heap and the hash index hold entry numbers, so
 * the hot path shuffles bytes, not keys of up to 64 bytes.  Counts live
 * in heap order next to each other, so a sift reads one array.
 */
struct topk {
	uint64_t total;
	size_t keylen;
	unsigned int n;
	uint64_t count[TOPK_CAP + 1]; /* by place: a min-heap; UINT64_MAX
					 * past the end, see sift_down */
	uint8_t heap[TOPK_CAP];	      /* by place: the entry there */
	uint8_t pos[TOPK_CAP];	      /* by entry: its place */
	uint8_t index[TOPK_INDEX];    /* hash -> entry, linear probing */
	uint64_t error[TOPK_CAP];     /* by entry */
	uint64_t hash[TOPK_CAP];      /* by entry */
	unsigned char keys[];	      /* by entry: keylen bytes each */
};

static const unsigned char *key_of(const struct topk *t, unsigned int e)
{
	return t->keys + (size_t)e * t->keylen;
}

static unsigned char *key_slot(struct topk *t, unsigned int e)
{
	return t->keys + (size_t)e * t->keylen;
}

static unsigned int home(uint64_t hash)
{
	return (unsigned int)(hash >> (64 - TOPK_INDEX_BITS));
}

static unsigned int find(const struct topk *t, const void *key, uint64_t hash)
{
	unsigned int i = home(hash), e;

	while ((e = t->index[i]) != TOPK_NONE) {
		if (t->hash[e] == hash &&
		    memcmp(key_of(t, e), key, t->keylen) == 0)
			return e;
		i = (i + 1) & (TOPK_INDEX - 1);
	}
	return TOPK_NONE;
}

static void index_insert(struct topk *t, unsigned int e)
{
	unsigned int i = home(t->hash[e]);

	while (t->index[i] != TOPK_NONE)
		i = (i + 1) & (TOPK_INDEX - 1);
	t->index[i] = (uint8_t)e;
}

/* Backward-shift deletion: no tombstones, so probes stay short forever. */
static void index_remove(struct topk *t, unsigned int e)
{
	unsigned int i = home(t->hash[e]), j, h;

	while (t->index[i] != e)
		i = (i + 1) & (TOPK_INDEX - 1);
	j = i;
	for (;;) {
		j = (j + 1) & (TOPK_INDEX - 1);
		if (t->index[j] == TOPK_NONE)
			break;
		h = home(t->hash[t->index[j]]);
		/* Move j back into the hole unless its home lies in (i, j]. */
		if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
			continue;
		t->index[i] = t->index[j];
		i = j;
	}
	t->index[i] = TOPK_NONE;
}

static void put(struct topk *t, unsigned int p, uint64_t c, unsigned int e)
{
	t->count[p] = c;
	t->heap[p] = (uint8_t)e;
	t->pos[e] = (uint8_t)p;
}

/*
 * Entry e with count c goes to place p or below.  Moving a hole down
 * rather than swapping halves the stores; a unit increment among many
 * equal counts walks the whole height, so this is the hot loop.
 */
static void sift_down(struct topk *t, unsigned int p, uint64_t c,
		      unsigned int e)
{
	unsigned int ch;

	while ((ch = 2 * p + 1) < t->n) {
		/* Branchless: with equal counts the choice is a coin toss. */
		ch += t->count[ch + 1] < t->count[ch];
		if (c <= t->count[ch])
			break;
		put(t, p, t->count[ch], t->heap[ch]);
		p = ch;
	}
	put(t, p, c, e);
}

static void sift_up(struct topk *t, unsigned int p, uint64_t c, unsigned int e)
{
	while (p > 0 && c < t->count[(p - 1) / 2]) {
		put(t, p, t->count[(p - 1) / 2], t->heap[(p - 1) / 2]);
		p = (p - 1) / 2;
	}
	put(t, p, c, e);
}

/*
 * A new key in a free entry, or in place of the minimum when full; then
 * count must be above that minimum, as both callers ensure.
 */
static void place(struct topk *t, const void *key, uint64_t hash,
		  uint64_t count, uint64_t error)
{
	bool full = t->n == TOPK_CAP;
	unsigned int e = full ? t->heap[0] : t->n++;

	if (full)
		index_remove(t, e);
	else
		t->count[t->n] = UINT64_MAX;
	memcpy(key_slot(t, e), key, t->keylen);
	t->hash[e] = hash;
	t->error[e] = error;
	index_insert(t, e);
	/* A new entry takes the last place, a replacement the root's. */
	if (full)
		sift_down(t, 0, count, e);
	else
		sift_up(t, e, count, e);
}

size_t topk_size(size_t keylen)
{
	size_t n = sizeof(struct topk) + TOPK_CAP * keylen;

	/* Rounded up so that summaries can sit side by side in one block. */
	return (n + sizeof(uint64_t) - 1) & ~(sizeof(uint64_t) - 1);
}

struct topk *topk_init(void *mem, size_t keylen)
{
	struct topk *t = mem;

	if (keylen == 0) {
		errno = EINVAL;
		return NULL;
	}
	t->keylen = keylen;
	topk_reset(t);
	return t;
}

void topk_reset(struct topk *t)
{
	t->total = 0;
	t->n = 0;
	t->count[0] = UINT64_MAX;
	memset(t->index, TOPK_NONE, sizeof(t->index));
}

void topk_add(struct topk *t, const void *key, uint64_t hash)
{
	unsigned int e = find(t, key, hash), p;
	uint64_t min;

	t->total++;
	if (e != TOPK_NONE) {
		p = t->pos[e];
		sift_down(t, p, t->count[p] + 1, e);
		return;
	}
	/* Space-Saving: the newcomer inherits the evicted minimum as error. */
	min = topk_floor(t);
	place(t, key, hash, min + 1, min);
}

/*
 * A key absent from one side may have occurred there up to that side's
 * floor: add the floor to its count (to stay an over-estimate) and to its
 * error.  Then keep the TOPK_CAP largest.  Counts then still sum to at
 * most N, so the new floor stays <= N / TOPK_CAP.
 */
int topk_merge(struct topk *dst, const struct topk *src)
{
	bool matched[TOPK_CAP] = { false };
	uint64_t floor_d = topk_floor(dst), floor_s = topk_floor(src), c;
	unsigned int p, e, s;

	if (dst->keylen != src->keylen) {
		errno = EINVAL;
		return -1;
	}
	for (p = 0; p < dst->n; p++) {
		e = dst->heap[p];
		s = find(src, key_of(dst, e), dst->hash[e]);
		if (s == TOPK_NONE) {
			dst->count[p] += floor_s;
			dst->error[e] += floor_s;
			continue;
		}
		matched[s] = true;
		dst->count[p] += src->count[src->pos[s]];
		dst->error[e] += src->error[s];
	}
	/* Counts changed unevenly: rebuild the heap, bottom up. */
	for (p = dst->n / 2; p-- > 0;)
		sift_down(dst, p, dst->count[p], dst->heap[p]);
	for (s = 0; s < src->n; s++) {
		if (matched[s])
			continue;
		c = src->count[src->pos[s]] + floor_d;
		if (dst->n == TOPK_CAP && c <= dst->count[0])
			continue;
		place(dst, key_of(src, s), src->hash[s], c,
		      src->error[s] + floor_d);
	}
	dst->total += src->total;
	return 0;
}

uint64_t topk_total(const struct topk *t)
{
	return t->total;
}

uint64_t topk_floor(const struct topk *t)
{
	return t->n < TOPK_CAP ? 0 : t->count[0];
}

int topk_list(const struct topk *t, struct topk_view *out, int max)
{
	uint8_t order[TOPK_CAP]; /* places, largest count first */
	unsigned int i, j, n = t->n;

	/* Insertion sort: at most 64 entries, and only on queries. */
	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && t->count[order[j - 1]] < t->count[i]; j--)
			order[j] = order[j - 1];
		order[j] = (uint8_t)i;
	}
	if (max < 0)
		max = 0;
	if (n > (unsigned int)max)
		n = (unsigned int)max;
	for (i = 0; i < n; i++) {
		out[i].count = t->count[order[i]];
		out[i].error = t->error[t->heap[order[i]]];
		out[i].key = key_of(t, t->heap[order[i]]);
	}
	return (int)n;
}

bool topk_find(const struct topk *t, const void *key, uint64_t hash,
	       struct topk_view *out)
{
	unsigned int e = find(t, key, hash);

	if (e == TOPK_NONE)
		return false;
	out->count = t->count[t->pos[e]];
	out->error = t->error[e];
	out->key = key_of(t, e);
	return true;
}
