/* det_storm: abort_storm — one owner aborting many connections a second. */
#include <stdio.h>
#include <string.h>

#include "detector.h"
#include "hash.h"

#define STORM_SLOTS 256 /* owners aborting */
#define STORM_PROBES 8

struct storm_entry {
	bool used;
	char owner[STATS_OWNER_LEN];
	uint32_t pid;
	struct secring ring[DET_WIN];
	uint64_t last_ms;
	uint64_t by_cause[CAUSE_MAX];
	bool storming; /* at its alert's rate at the last tick */
	struct claim_burst burst;
};

struct storm_state {
	struct storm_entry slot[STORM_SLOTS];
};

static bool storm_cause(enum cause c)
{
	return c == CAUSE_APP_ABORT || c == CAUSE_UNREAD_CLOSE ||
	       c == CAUSE_FIN_WAIT_ABORT || c == CAUSE_MEMORY_ABORT ||
	       c == CAUSE_KEEPALIVE_TIMEOUT || c == CAUSE_LISTENER_CLOSED;
}

/* The owner's entry, or a new one in place of the quietest probed. */
static struct storm_entry *storm_slot(struct storm_state *st, const char *owner,
				      uint64_t now_ms)
{
	uint64_t h = hash_bytes(owner, strlen(owner));
	struct storm_entry *s, *victim = NULL;
	uint64_t vsum = 0, sum;
	int i;

	for (i = 0; i < STORM_PROBES; i++) {
		s = &st->slot[(h + (uint64_t)i) % STORM_SLOTS];
		if (s->used && strcmp(s->owner, owner) == 0)
			return s;
		if (!s->used) {
			if (victim == NULL || victim->used)
				victim = s;
			continue;
		}
		if (victim != NULL && !victim->used)
			continue;
		sum = secring_sum(s->ring, DET_WIN, now_ms / 1000, DET_WIN, 0);
		if (victim == NULL || sum < vsum) {
			victim = s;
			vsum = sum;
		}
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	snprintf(victim->owner, sizeof(victim->owner), "%s", owner);
	return victim;
}

static bool storm_event(void *state, const struct detect_event *e, bool claimed,
			struct detect_ctx *c)
{
	struct storm_entry *s;
	uint64_t now_ms = c->now_ms, sec = now_ms / 1000, n;

	if (!storm_cause(e->cause) || !e->has_owner)
		return false;
	s = storm_slot(state, e->owner, now_ms);
	/* An owner quiet for a while starts a new story. */
	if (now_ms - s->last_ms > c->p->quiet_s * 1000ull)
		memset(s->by_cause, 0, sizeof(s->by_cause));
	n = secring_sum(s->ring, DET_WIN, sec, DET_WIN, 0);
	secring_add(s->ring, DET_WIN, sec, 1);
	s->by_cause[e->cause]++;
	s->last_ms = now_ms;
	if (e->owner_pid)
		s->pid = e->owner_pid;
	if (s->storming)
		return true;
	if (claimed)
		return false;
	return claim_hold(&s->burst, n + 1,
			  claim_line(c->p->storm_rate, c->p->rate_floor),
			  now_ms);
}

/* Seconds of the last ten in which the owner aborted anything. */
static unsigned int storm_seconds(const struct storm_entry *s, uint64_t sec)
{
	unsigned int i, n = 0;

	for (i = 0; i < DET_WIN && i <= sec; i++)
		if (s->ring[(sec - i) % DET_WIN].sec == sec - i &&
		    s->ring[(sec - i) % DET_WIN].count > 0)
			n++;
	return n > 0 ? n : 1;
}

static void storm_tick(void *state, struct detect_ctx *c)
{
	struct storm_state *st = state;
	uint64_t sec = c->now_ms / 1000, n;
	struct alert a;
	int i;

	for (i = 0; i < STORM_SLOTS; i++) {
		struct storm_entry *s = &st->slot[i];

		if (!s->used)
			continue;
		n = secring_sum(s->ring, DET_WIN, sec, DET_WIN, 0);
		/* Storming owners' aborts are theirs until the next tick;
		 * those before are taken back from the generic rate. */
		if (n < (uint64_t)c->p->storm_rate * DET_WIN) {
			s->storming = false;
			claim_settle(&s->burst, c->pool, false, c->now_ms);
			continue;
		}
		if (!s->storming)
			claim_takeback(&s->burst, c->pool);
		s->storming = true;
		claim_settle(&s->burst, c->pool, true, c->now_ms);
		memset(&a, 0, sizeof(a));
		a.type = ALERT_ABORT_STORM;
		a.severity = SEV_WARNING;
		snprintf(a.key, sizeof(a.key), "%s", s->owner);
		memcpy(a.ev.storm.owner, s->owner, sizeof(s->owner));
		a.ev.storm.pid = s->pid;
		/* Per second of the storm (not diluted by the quiet seconds
		 * of the window before it started). */
		a.ev.storm.rate = (double)n / storm_seconds(s, sec);
		memcpy(a.ev.storm.by_cause, s->by_cause, sizeof(s->by_cause));
		c->alert_on(c->lc, &a);
	}
}

const struct detector_ops det_storm = {
	.type = ALERT_ABORT_STORM,
	.state_size = sizeof(struct storm_state),
	.burst = true,
	.event = storm_event,
	.tick = storm_tick,
};
