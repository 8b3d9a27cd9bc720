/* det_overflow: listen_overflow — a listener's full accept queue
 * resetting its clients. */
#include <stdio.h>
#include <string.h>

#include "detector.h"

#define OVF_SLOTS 64 /* listeners overflowing */

struct ovf_entry {
	bool used;
	uint16_t port;
	char owner[STATS_OWNER_LEN];
	uint32_t backlog;
	uint32_t queue;
	uint64_t last_ms;
	uint64_t resets;
};

struct ovf_state {
	struct ovf_entry slot[OVF_SLOTS];
};

static bool ovf_event(void *state, const struct detect_event *e, bool claimed,
		      struct detect_ctx *c)
{
	struct ovf_state *st = state;
	struct ovf_entry *s, *victim = NULL;
	int i;

	(void)claimed; /* claims for sure: asked first */
	if (e->cause != CAUSE_LISTEN_OVERFLOW)
		return false;
	for (i = 0; i < OVF_SLOTS; i++) {
		s = &st->slot[i];
		if (s->used && s->port == e->lport)
			goto found;
		if (victim == NULL ||
		    (victim->used &&
		     (!s->used || s->last_ms < victim->last_ms)))
			victim = s;
	}
	s = victim;
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->port = e->lport;
found:
	s->resets++;
	s->last_ms = c->now_ms;
	s->backlog = e->backlog;
	s->queue = e->queue;
	if (e->has_owner)
		memcpy(s->owner, e->owner, sizeof(s->owner));
	return true;
}

static void ovf_tick(void *state, struct detect_ctx *c)
{
	struct ovf_state *st = state;
	struct alert a;
	int i;

	for (i = 0; i < OVF_SLOTS; i++) {
		struct ovf_entry *s = &st->slot[i];

		if (!s->used)
			continue;
		if (c->now_ms - s->last_ms > DET_WIN * 1000ull) {
			/* Its alert clears after the quiet period; the entry
			 * is not needed for that. */
			s->used = false;
			continue;
		}
		memset(&a, 0, sizeof(a));
		a.type = ALERT_LISTEN_OVERFLOW;
		a.severity = SEV_WARNING;
		snprintf(a.key, sizeof(a.key), "port %u", s->port);
		a.ev.overflow.port = s->port;
		memcpy(a.ev.overflow.owner, s->owner, sizeof(s->owner));
		a.ev.overflow.backlog = s->backlog;
		a.ev.overflow.queue = s->queue;
		a.ev.overflow.resets = s->resets;
		c->alert_on(c->lc, &a);
	}
}

const struct detector_ops det_overflow = {
	.type = ALERT_LISTEN_OVERFLOW,
	.state_size = sizeof(struct ovf_state),
	.burst = false,
	.event = ovf_event,
	.tick = ovf_tick,
};
