/* seqtrack: pure loss accounting for one NFLOG instance (F_SEQ numbers). */
#ifndef RSTMON_SEQTRACK_H
#define RSTMON_SEQTRACK_H

#include <stdint.h>

/*
 * The kernel numbers the messages of an instance 0, 1, 2… from the bind.
 * A gap in the numbers is a loss (the batch was dropped on a full socket);
 * a loss at the tail shows no gap until the next message, so the owner
 * also reports, on a timer, how many messages the kernel logged by a time
 * when all of them must have arrived (the nft counter): anything short of
 * that is declared lost.  A message that turns up after being declared
 * lost is taken back, so `lost` is exact in both directions.
 *
 * Counts are 64-bit; the 32-bit sequence numbers may wrap.
 */
struct seqtrack {
	uint64_t next;	   /* messages accounted for: seq of the next */
	uint64_t declared; /* tail loss declared up to this count */
	uint64_t received; /* messages that arrived with a number */
	uint64_t lost;	   /* gaps + declared tail - late arrivals */
	uint64_t late;	   /* arrived after being declared lost */
};

void seqtrack_init(struct seqtrack *t);

/* Message `seq` arrived; returns how many were newly found lost. */
uint64_t seqtrack_seen(struct seqtrack *t, uint32_t seq);

/*
 * The kernel had logged `logged` messages since the bind by a time when
 * all of them must have been delivered.  Returns how many were newly
 * declared lost.  A count below what arrived means someone else logs to
 * the same group (or the counter was reset): nothing is declared.
 */
uint64_t seqtrack_reconcile(struct seqtrack *t, uint64_t logged);

#endif
