/* stats: pure windowed statistics — rates over 10 s / 60 s / 300 s,
 * cause and family totals, bounded top talkers, distinct remotes. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "hash.h"
#include "hll.h"
#include "stats.h"
#include "topk.h"

#define RING_SECS 300  /* the longest window, in 1-second slots */
#define FINE_SLOTS 10  /* per-second summaries: the 10 s window */
#define COARSE_SECS 10 /* seconds merged into one coarse slot */
#define COARSE_SLOTS (RING_SECS / COARSE_SECS)
#define NO_STAMP UINT64_MAX /* a slot that holds no second yet */
#define REMOTE_KEY_LEN 17   /* family, then 16 address bytes */

_Static_assert(STATS_TOPK == TOPK_CAP, "one capacity for both headers");

/* Exact counters of one second. */
struct stats_sec {
	uint64_t sec;
	uint32_t total;
	uint32_t cause[CAUSE_MAX];
};

/* The summaries of one second (fine) or of COARSE_SECS seconds (coarse). */
struct stats_slot {
	uint64_t stamp; /* second or coarse slot number held */
	struct topk *top[DIM_MAX];
	struct hll hll;
};

struct stats {
	uint64_t now; /* latest second seen: time never goes back */
	uint64_t total;
	uint64_t cause_total[CAUSE_MAX];
	uint64_t family_total[2]; /* AF_INET, AF_INET6 */
	size_t size;		  /* bytes allocated, this struct included */
	struct stats_sec ring[RING_SECS];
	struct stats_slot fine[FINE_SLOTS];
	struct stats_slot coarse[COARSE_SLOTS];
	struct stats_slot query; /* scratch for the merges of a query */
	uint64_t pool[];	 /* the top-K summaries of every slot */
};

static const size_t key_len[DIM_MAX] = {
	[DIM_PORTS] = sizeof(uint16_t),
	[DIM_REMOTES] = REMOTE_KEY_LEN,
	[DIM_OWNERS] = STATS_OWNER_LEN,
};

static const unsigned int window_secs[WIN_MAX] = {
	[WIN_10S] = 10,
	[WIN_60S] = 60,
	[WIN_300S] = 300,
};

static const char *const window_names[WIN_MAX] = {
	[WIN_10S] = "10s",
	[WIN_60S] = "60s",
	[WIN_300S] = "300s",
};

static size_t slot_pool_size(void)
{
	size_t n = 0;
	int d;

	for (d = 0; d < DIM_MAX; d++)
		n += topk_size(key_len[d]);
	return n;
}

static unsigned char *slot_init(struct stats_slot *sl, unsigned char *mem)
{
	int d;

	sl->stamp = NO_STAMP;
	for (d = 0; d < DIM_MAX; d++) {
		sl->top[d] = topk_init(mem, key_len[d]);
		mem += topk_size(key_len[d]);
	}
	hll_reset(&sl->hll);
	return mem;
}

static void slot_reset(struct stats_slot *sl, uint64_t stamp)
{
	int d;

	sl->stamp = stamp;
	for (d = 0; d < DIM_MAX; d++)
		topk_reset(sl->top[d]);
	hll_reset(&sl->hll);
}

static void slot_merge(struct stats_slot *dst, const struct stats_slot *src)
{
	int d;

	for (d = 0; d < DIM_MAX; d++)
		topk_merge(dst->top[d], src->top[d]);
	hll_merge(&dst->hll, &src->hll);
}

struct stats *stats_new(void)
{
	size_t size = sizeof(struct stats) +
		      (FINE_SLOTS + COARSE_SLOTS + 1) * slot_pool_size();
	struct stats *s = calloc(1, size);
	unsigned char *mem;
	int i;

	if (s == NULL)
		return NULL;
	s->size = size;
	mem = (unsigned char *)s->pool;
	for (i = 0; i < RING_SECS; i++)
		s->ring[i].sec = NO_STAMP;
	for (i = 0; i < FINE_SLOTS; i++)
		mem = slot_init(&s->fine[i], mem);
	for (i = 0; i < COARSE_SLOTS; i++)
		mem = slot_init(&s->coarse[i], mem);
	slot_init(&s->query, mem);
	return s;
}

void stats_free(struct stats *s)
{
	free(s);
}

size_t stats_size(const struct stats *s)
{
	return s->size;
}

/*
 * Only the latest second can hold summaries not yet merged into its
 * coarse slot: every earlier one was closed when time moved past it.
 * Idle seconds hold nothing; stale slots are told apart by their stamp.
 */
static void close_second(struct stats *s, uint64_t sec)
{
	struct stats_slot *f = &s->fine[sec % FINE_SLOTS];
	struct stats_slot *c = &s->coarse[(sec / COARSE_SECS) % COARSE_SLOTS];

	if (f->stamp != sec)
		return;
	if (c->stamp != sec / COARSE_SECS)
		slot_reset(c, sec / COARSE_SECS);
	slot_merge(c, f);
}

/* The second of now_ms, or the latest one seen when time went back. */
static uint64_t advance(struct stats *s, uint64_t now_ms)
{
	uint64_t sec = now_ms / 1000;

	if (sec <= s->now)
		return s->now;
	close_second(s, s->now);
	s->now = sec;
	return sec;
}

void stats_add(struct stats *s, uint64_t now_ms, const struct stats_key *k)
{
	uint64_t sec = advance(s, now_ms), h, a, b;
	struct stats_sec *r = &s->ring[sec % RING_SECS];
	struct stats_slot *f = &s->fine[sec % FINE_SLOTS];
	unsigned int c = (unsigned int)k->cause;
	unsigned char remote[REMOTE_KEY_LEN];
	char owner[STATS_OWNER_LEN];
	size_t len;

	if (c >= CAUSE_MAX)
		c = CAUSE_UNKNOWN;
	if (r->sec != sec) {
		memset(r, 0, sizeof(*r));
		r->sec = sec;
	}
	r->total++;
	r->cause[c]++;
	s->total++;
	s->cause_total[c]++;
	if (k->family == AF_INET)
		s->family_total[0]++;
	else if (k->family == AF_INET6)
		s->family_total[1]++;

	if (f->stamp != sec)
		slot_reset(f, sec);
	topk_add(f->top[DIM_PORTS], &k->lport, hash_u64(k->lport));

	/* Whatever follows an IPv4 address is not part of its identity. */
	memset(remote, 0, sizeof(remote));
	remote[0] = k->family;
	memcpy(remote + 1, k->remote, k->family == AF_INET ? 4 : 16);
	memcpy(&a, remote + 1, sizeof(a));
	memcpy(&b, remote + 9, sizeof(b));
	h = hash_pair(a, b ^ ((uint64_t)k->family << 56));
	topk_add(f->top[DIM_REMOTES], remote, h);
	hll_add(&f->hll, h);

	if (!k->has_owner)
		return;
	/* Zero-padded, so that equal labels compare equal byte for byte. */
	memset(owner, 0, sizeof(owner));
	len = strnlen(k->owner, sizeof(owner) - 1);
	memcpy(owner, k->owner, len);
	topk_add(f->top[DIM_OWNERS], owner, hash_bytes(owner, len));
}

static bool window_ok(enum stats_window w)
{
	return (unsigned int)w < WIN_MAX;
}

/* Visit the per-second counters of the window: exact, any alignment. */
static const struct stats_sec *ring_at(const struct stats *s, uint64_t sec,
				       unsigned int ago)
{
	const struct stats_sec *r;

	if (ago > sec)
		return NULL;
	r = &s->ring[(sec - ago) % RING_SECS];
	return r->sec == sec - ago ? r : NULL;
}

uint64_t stats_count(struct stats *s, uint64_t now_ms, enum stats_window w)
{
	uint64_t sec = advance(s, now_ms), n = 0;
	const struct stats_sec *r;
	unsigned int i;

	if (!window_ok(w))
		return 0;
	for (i = 0; i < window_secs[w]; i++)
		if ((r = ring_at(s, sec, i)) != NULL)
			n += r->total;
	return n;
}

double stats_rate(struct stats *s, uint64_t now_ms, enum stats_window w)
{
	if (!window_ok(w))
		return 0;
	return (double)stats_count(s, now_ms, w) / window_secs[w];
}

void stats_causes(struct stats *s, uint64_t now_ms, enum stats_window w,
		  uint64_t out[CAUSE_MAX])
{
	uint64_t sec = advance(s, now_ms);
	const struct stats_sec *r;
	unsigned int i;
	int c;

	memset(out, 0, CAUSE_MAX * sizeof(out[0]));
	if (!window_ok(w))
		return;
	for (i = 0; i < window_secs[w]; i++)
		if ((r = ring_at(s, sec, i)) != NULL)
			for (c = 0; c < CAUSE_MAX; c++)
				out[c] += r->cause[c];
}

/*
 * The slots whose summaries make up window w at second sec: the fine ones
 * for 10 s; for 60 s and 300 s the coarse ones, the current (partial) one
 * included, plus the current second, which is not closed yet.
 */
static int cover(struct stats *s, uint64_t sec, enum stats_window w,
		 const struct stats_slot **out)
{
	const struct stats_slot *sl;
	unsigned int i, n;
	uint64_t at;
	int k = 0;

	if (w == WIN_10S) {
		for (i = 0; i < FINE_SLOTS && i <= sec; i++) {
			sl = &s->fine[(sec - i) % FINE_SLOTS];
			if (sl->stamp == sec - i)
				out[k++] = sl;
		}
		return k;
	}
	n = window_secs[w] / COARSE_SECS;
	at = sec / COARSE_SECS;
	for (i = 0; i < n && i <= at; i++) {
		sl = &s->coarse[(at - i) % COARSE_SLOTS];
		if (sl->stamp == at - i)
			out[k++] = sl;
	}
	sl = &s->fine[sec % FINE_SLOTS];
	if (sl->stamp == sec)
		out[k++] = sl;
	return k;
}

double stats_distinct_remotes(struct stats *s, uint64_t now_ms,
			      enum stats_window w)
{
	const struct stats_slot *sl[COARSE_SLOTS + 1];
	uint64_t sec = advance(s, now_ms);
	int i, n;

	if (!window_ok(w))
		return 0;
	n = cover(s, sec, w, sl);
	hll_reset(&s->query.hll);
	for (i = 0; i < n; i++)
		hll_merge(&s->query.hll, &sl[i]->hll);
	return hll_estimate(&s->query.hll);
}

static void item_fill(struct stats_item *it, enum stats_dim d,
		      const struct topk_view *v)
{
	const unsigned char *key = v->key;

	memset(it, 0, sizeof(*it));
	it->count = v->count;
	it->error = v->error;
	switch (d) {
	case DIM_PORTS:
		memcpy(&it->port, key, sizeof(it->port));
		break;
	case DIM_REMOTES:
		it->family = key[0];
		memcpy(it->remote, key + 1, sizeof(it->remote));
		break;
	default:
		memcpy(it->owner, key, sizeof(it->owner));
		break;
	}
}

int stats_top(struct stats *s, uint64_t now_ms, enum stats_dim d,
	      enum stats_window w, struct stats_item *out, int max)
{
	const struct stats_slot *sl[COARSE_SLOTS + 1];
	struct topk_view v[STATS_TOPK];
	uint64_t sec = advance(s, now_ms);
	struct topk *q;
	int i, n;

	if (!window_ok(w) || (unsigned int)d >= DIM_MAX || max <= 0)
		return 0;
	q = s->query.top[d];
	topk_reset(q);
	n = cover(s, sec, w, sl);
	for (i = 0; i < n; i++)
		topk_merge(q, sl[i]->top[d]);
	n = topk_list(q, v, max < STATS_TOPK ? max : STATS_TOPK);
	for (i = 0; i < n; i++)
		item_fill(&out[i], d, &v[i]);
	return n;
}

uint64_t stats_total(const struct stats *s)
{
	return s->total;
}

uint64_t stats_total_cause(const struct stats *s, enum cause c)
{
	if ((unsigned int)c >= CAUSE_MAX)
		return 0;
	return s->cause_total[c];
}

uint64_t stats_total_family(const struct stats *s, int family)
{
	if (family == AF_INET)
		return s->family_total[0];
	if (family == AF_INET6)
		return s->family_total[1];
	return 0;
}

const char *stats_window_name(enum stats_window w)
{
	if (!window_ok(w))
		return "unknown";
	return window_names[w];
}

enum stats_window stats_window_from_name(const char *name)
{
	int w;

	for (w = 0; w < WIN_MAX; w++)
		if (strcmp(window_names[w], name) == 0)
			return (enum stats_window)w;
	return WIN_MAX;
}

unsigned int stats_window_seconds(enum stats_window w)
{
	if (!window_ok(w))
		return 0;
	return window_secs[w];
}
