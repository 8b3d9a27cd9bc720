/* det_down: service_down — resets for a port whose listener went away a
 * while ago (not a quick restart), until it is back or nobody knocks. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "detector.h"

#define DOWN_SLOTS 256 /* ports whose listener went away */
#define DOWN_PROBES 8

struct down_entry {
	bool used;
	uint8_t family;
	uint16_t port;
	char comm[16];
	uint32_t pid;
	char unit[64];
	int64_t gone_wall;
	uint64_t gone_ms;
	uint64_t last_ms;
	uint64_t attempts;
};

struct down_state {
	struct down_entry slot[DOWN_SLOTS];
};

static struct down_entry *down_slot(struct down_state *st, uint8_t family,
				    uint16_t port)
{
	struct down_entry *s, *victim = NULL;
	int i;

	for (i = 0; i < DOWN_SLOTS; i++) {
		s = &st->slot[(port + i) % DOWN_SLOTS];
		if (s->used && s->port == port && s->family == family)
			return s;
		if (i < DOWN_PROBES &&
		    (victim == NULL ||
		     (victim->used &&
		      (!s->used || s->last_ms < victim->last_ms))))
			victim = s;
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->family = family;
	victim->port = port;
	return victim;
}

static bool down_event(void *state, const struct detect_event *e, bool claimed,
		       struct detect_ctx *c)
{
	struct down_entry *s;

	(void)claimed; /* claims for sure: asked first */
	if (e->cause != CAUSE_CLOSED_PORT || !e->had_listener ||
	    e->wall - e->gone_wall > (int64_t)c->p->down_window_s)
		return false;
	s = down_slot(state, e->family, e->lport);
	if (s->gone_wall != e->gone_wall)
		s->attempts = 0; /* a new outage (or owner gone) */
	s->attempts++;
	s->last_ms = c->now_ms;
	s->gone_wall = e->gone_wall;
	s->gone_ms = e->gone_ms;
	s->pid = e->last_pid;
	memcpy(s->comm, e->last_comm, sizeof(s->comm));
	memcpy(s->unit, e->last_unit, sizeof(s->unit));
	/* Every reset of a service's outage is the outage's, from the
	 * first: a restart must never look like a rising reset rate. */
	return true;
}

static void down_tick(void *state, struct detect_ctx *c)
{
	struct down_state *st = state;
	const struct detect_env *env = c->env;
	struct alert a;
	int i;

	for (i = 0; i < DOWN_SLOTS; i++) {
		struct down_entry *s = &st->slot[i];
		char key[32];

		if (!s->used)
			continue;
		snprintf(key, sizeof(key), "%s:%u",
			 s->family == AF_INET6 ? "ipv6" : "ipv4", s->port);
		if (env->listener_alive != NULL &&
		    env->listener_alive(s->family, s->port, env->arg)) {
			/* The service is back: over now, not in 30 s. */
			c->alert_off(c->lc, ALERT_SERVICE_DOWN, key);
			s->used = false;
			continue;
		}
		if (c->wall - s->gone_wall > (int64_t)c->p->down_window_s ||
		    c->now_ms - s->last_ms > c->p->quiet_s * 1000ull) {
			/* Nobody knocks any more: nothing left to say. */
			c->alert_off(c->lc, ALERT_SERVICE_DOWN, key);
			s->used = false;
			continue;
		}
		/* A restart takes a moment: only an outage that lasts (to the
		 * millisecond when the caller knows it, else the second). */
		if (s->gone_ms != 0 ?
			    c->now_ms - s->gone_ms < c->p->down_grace_ms :
			    (c->wall - s->gone_wall) * 1000 <
				    (int64_t)c->p->down_grace_ms)
			continue;
		memset(&a, 0, sizeof(a));
		a.type = ALERT_SERVICE_DOWN;
		a.severity = SEV_CRITICAL;
		memcpy(a.key, key, sizeof(key));
		a.ev.down.family = s->family;
		a.ev.down.port = s->port;
		memcpy(a.ev.down.comm, s->comm, sizeof(s->comm));
		a.ev.down.pid = s->pid;
		memcpy(a.ev.down.unit, s->unit, sizeof(s->unit));
		a.ev.down.gone_wall = s->gone_wall;
		a.ev.down.attempts = s->attempts;
		c->alert_on(c->lc, &a);
	}
}

const struct detector_ops det_down = {
	.type = ALERT_SERVICE_DOWN,
	.state_size = sizeof(struct down_state),
	.burst = false,
	.event = down_event,
	.tick = down_tick,
};
