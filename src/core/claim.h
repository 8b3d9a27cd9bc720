/* claim: whose a reset is — a specific detector's, or the generic rate's
 * (the pool reset_rate watches) — and a burst's claim while undecided. */
#ifndef RSTMON_CLAIM_H
#define RSTMON_CLAIM_H

#include <stdbool.h>
#include <stdint.h>

#include "secring.h"

#define CLAIM_WIN 10 /* s: a burst is judged over this window */
#define CLAIM_POOL \
	300 /* s of generic rate kept: 10 s and a
				 * 290 s baseline (reset_rate) */

/* The generic rate: per second, the resets no detector claims. */
struct claim_pool {
	struct secring ring[CLAIM_POOL];
};

void claim_pool_add(struct claim_pool *pool, uint64_t sec, uint32_t n);
/* Take n back from second sec, as far as it holds them (never below 0). */
void claim_pool_take(struct claim_pool *pool, uint64_t sec, uint64_t n);
/* secring_sum() over the pool. */
uint64_t claim_pool_sum(const struct claim_pool *pool, uint64_t sec,
			unsigned int last, unsigned int skip);

/*
 * A burst (closed ports, one owner's aborts) on its way to an alert
 * would raise reset_rate first.  So once it is a quarter of the way to
 * its alert, or half-way to reset_rate's floor if that comes first, its
 * resets are held back from the pool.  If it becomes its alert, they
 * were the alert's (and what it let through before is taken back); if
 * not, they are given back: a burst that is no flood and no storm is
 * the classic alert's.
 */
struct claim_burst {
	struct secring freed[CLAIM_WIN]; /* let through to the pool */
	struct secring held[CLAIM_WIN];	 /* held back, not yet its */
	uint64_t held_ms;		 /* since when it holds (0: none) */
};

/* Resets in CLAIM_WIN from which a burst toward alert_rate (per second)
 * holds them back. */
uint64_t claim_line(uint32_t alert_rate, uint32_t rate_floor);

/*
 * One more reset of burst b, n in its last CLAIM_WIN seconds with this
 * one.  Below line it is let through (counted in freed; the caller adds
 * it to the pool); from line on it is held.  True: held.
 */
bool claim_hold(struct claim_burst *b, uint64_t n, uint64_t line,
		uint64_t now_ms);
/* b became its alert: what it let through is taken back from the pool. */
void claim_takeback(struct claim_burst *b, struct claim_pool *pool);
/* The held resets stay claimed (the burst is its alert). */
void claim_keep(struct claim_burst *b);
/* The held resets go back to the pool, in their own seconds. */
void claim_release(struct claim_burst *b, struct claim_pool *pool);
/*
 * After a tick: keep (alert), or after a whole window still undecided,
 * give the held resets back in the current second (theirs have left the
 * 10 s window meanwhile, and they must still count); else go on holding.
 */
void claim_settle(struct claim_burst *b, struct claim_pool *pool, bool alert,
		  uint64_t now_ms);

#endif
