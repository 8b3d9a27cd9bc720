/* reconcile: compare NFLOG deliveries with the rule's nft counter. */
#include "reconcile.h"

void reconcile_start(struct reconcile *r, bool available, uint64_t counter)
{
	r->available = available;
	r->foreign = false;
	r->offset = -(int64_t)counter;
	r->last_counter = counter;
	r->prev_logged = 0;
	r->have_prev = false;
	r->rebases = 0;
}

/* Assume nothing was lost up to now and count from here. */
static void reconcile_rebase(struct reconcile *r, const struct seqtrack *t,
			     uint64_t counter)
{
	r->offset = (int64_t)t->next - (int64_t)counter;
	r->have_prev = false;
	r->rebases++;
}

uint64_t reconcile_logged(const struct reconcile *r)
{
	int64_t v = (int64_t)r->last_counter + r->offset;

	return v > 0 ? (uint64_t)v : 0;
}

enum reconcile_note reconcile_tick(struct reconcile *r, struct seqtrack *t,
				   bool ok, uint64_t counter, bool idle)
{
	enum reconcile_note note = RECONCILE_QUIET;
	uint64_t logged;

	if (!ok) {
		if (!r->available)
			return RECONCILE_QUIET;
		r->available = false;
		r->have_prev = false;
		return RECONCILE_GONE;
	}
	if (!r->available) {
		r->available = true;
		r->last_counter = counter;
		reconcile_rebase(r, t, counter);
		return RECONCILE_FOUND;
	}
	if (counter < r->last_counter) {
		r->last_counter = counter;
		reconcile_rebase(r, t, counter);
		return RECONCILE_RESET;
	}
	r->last_counter = counter;
	if (r->foreign)
		return RECONCILE_QUIET;
	/* Everything counted a tick ago has arrived by now, or is lost. */
	if (r->have_prev && idle)
		seqtrack_reconcile(t, r->prev_logged);
	logged = reconcile_logged(r);
	/* Deliveries never run ahead of the count of their own rule. */
	if (t->next > logged) {
		r->foreign = true;
		return RECONCILE_FOREIGN;
	}
	r->prev_logged = logged;
	r->have_prev = true;
	return note;
}
