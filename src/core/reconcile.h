/* reconcile: compare NFLOG deliveries with the rule's nft counter. */
#ifndef RSTMON_RECONCILE_H
#define RSTMON_RECONCILE_H

#include <stdbool.h>
#include <stdint.h>

#include "seqtrack.h"

/*
 * The counter in table inet rstmon counts every packet its rule logs.
 * Sequence gaps show losses in the middle of a stream; a loss at the
 * tail (the last batches dropped, nothing after them) only shows against
 * the counter.  Each tick reads the counter; at the next tick, when the
 * socket is drained, everything counted at the previous reading must
 * have arrived: seqtrack_reconcile() declares the rest lost.
 *
 * The state machine is pure: the caller passes the counter reading (or
 * that it failed) and whether the socket is idle.
 */
struct reconcile {
	bool available; /* counter readable at the last tick */
	bool foreign;	/* more arrived than counted: disabled */
	int64_t offset; /* logged since bind = counter + offset */
	uint64_t last_counter;
	uint64_t prev_logged;
	bool have_prev;
	uint64_t rebases; /* counter reset or reappeared */
};

enum reconcile_note {
	RECONCILE_QUIET = 0,
	RECONCILE_FOUND,   /* counter became readable */
	RECONCILE_GONE,	   /* counter no longer readable */
	RECONCILE_RESET,   /* counter went backwards: rules reloaded */
	RECONCILE_FOREIGN, /* another rule logs to our group */
};

/* Start with a counter read right after the bind (seq numbers from 0). */
void reconcile_start(struct reconcile *r, bool available, uint64_t counter);

/*
 * One tick.  ok: the counter was read as `counter`.  idle: the NFLOG
 * socket had nothing queued.  May declare tail losses in t.  Returns
 * what changed, for the caller to log.
 */
enum reconcile_note reconcile_tick(struct reconcile *r, struct seqtrack *t,
				   bool ok, uint64_t counter, bool idle);

/* Messages the kernel logged since the bind, by the last reading. */
uint64_t reconcile_logged(const struct reconcile *r);

#endif
