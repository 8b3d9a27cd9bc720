/* claim: whose a reset is, a detector's or the generic rate's.  Pure. */
#include "claim.h"

void claim_pool_add(struct claim_pool *pool, uint64_t sec, uint32_t n)
{
	secring_add(pool->ring, CLAIM_POOL, sec, n);
}

void claim_pool_take(struct claim_pool *pool, uint64_t sec, uint64_t n)
{
	struct secring *r = &pool->ring[sec % CLAIM_POOL];

	if (r->sec == sec)
		r->count -= n < r->count ? (uint32_t)n : r->count;
}

uint64_t claim_pool_sum(const struct claim_pool *pool, uint64_t sec,
			unsigned int last, unsigned int skip)
{
	return secring_sum(pool->ring, CLAIM_POOL, sec, last, skip);
}

uint64_t claim_line(uint32_t alert_rate, uint32_t rate_floor)
{
	uint64_t quarter = ((uint64_t)alert_rate * CLAIM_WIN + 3) / 4;
	uint64_t half_floor = (uint64_t)rate_floor * CLAIM_WIN / 2;

	return half_floor > 0 && half_floor < quarter ? half_floor : quarter;
}

bool claim_hold(struct claim_burst *b, uint64_t n, uint64_t line,
		uint64_t now_ms)
{
	uint64_t sec = now_ms / 1000;

	if (n < line) {
		secring_add(b->freed, CLAIM_WIN, sec, 1);
		return false;
	}
	secring_add(b->held, CLAIM_WIN, sec, 1);
	if (b->held_ms == 0)
		b->held_ms = now_ms;
	return true;
}

void claim_takeback(struct claim_burst *b, struct claim_pool *pool)
{
	unsigned int i;

	/* Exactly what it let through, from the seconds it went to (those
	 * the pool still holds). */
	for (i = 0; i < CLAIM_WIN; i++) {
		if (b->freed[i].count > 0)
			claim_pool_take(pool, b->freed[i].sec,
					b->freed[i].count);
		b->freed[i].count = 0;
	}
}

void claim_keep(struct claim_burst *b)
{
	unsigned int i;

	for (i = 0; i < CLAIM_WIN; i++)
		b->held[i].count = 0;
	b->held_ms = 0;
}

void claim_release(struct claim_burst *b, struct claim_pool *pool)
{
	unsigned int i;

	for (i = 0; i < CLAIM_WIN; i++) {
		if (b->held[i].count > 0)
			claim_pool_add(pool, b->held[i].sec, b->held[i].count);
		b->held[i].count = 0;
	}
	b->held_ms = 0;
}

void claim_settle(struct claim_burst *b, struct claim_pool *pool, bool alert,
		  uint64_t now_ms)
{
	unsigned int i;

	if (alert) {
		claim_keep(b);
		return;
	}
	if (b->held_ms == 0 || now_ms - b->held_ms < CLAIM_WIN * 1000ull)
		return;
	for (i = 0; i < CLAIM_WIN; i++) {
		if (b->held[i].count > 0)
			claim_pool_add(pool, now_ms / 1000, b->held[i].count);
		b->held[i].count = 0;
	}
	b->held_ms = 0;
}
