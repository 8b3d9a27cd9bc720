/* seqtrack: pure loss accounting for one NFLOG instance (F_SEQ numbers). */
#include "seqtrack.h"

#define HALF_RANGE 0x80000000u

void seqtrack_init(struct seqtrack *t)
{
	t->next = 0;
	t->declared = 0;
	t->received = 0;
	t->lost = 0;
	t->late = 0;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* A message counted as lost arrived after all: take it back. */
static void seqtrack_take_back(struct seqtrack *t)
{
	if (t->lost > 0)
		t->lost--;
	t->late++;
}

uint64_t seqtrack_seen(struct seqtrack *t, uint32_t seq)
{
	uint32_t ahead = seq - (uint32_t)t->next;
	uint64_t s, from, newly = 0;

	t->received++;
	if (ahead >= HALF_RANGE) {
		/* Behind what we expected: it was counted in a gap. */
		seqtrack_take_back(t);
		return 0;
	}
	s = t->next + ahead;
	if (s < t->declared) {
		seqtrack_take_back(t);
	} else {
		/* Messages between next and s, minus those declared. */
		from = max_u64(t->next, t->declared);
		newly = s - from;
		t->lost += newly;
	}
	t->next = s + 1;
	return newly;
}

uint64_t seqtrack_reconcile(struct seqtrack *t, uint64_t logged)
{
	uint64_t from = max_u64(t->next, t->declared);
	uint64_t newly;

	if (logged <= from)
		return 0;
	newly = logged - from;
	t->lost += newly;
	t->declared = logged;
	return newly;
}
