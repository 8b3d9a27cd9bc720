/* det_flood: syn_flood — closed-port resets at a high rate toward many
 * remotes: the backscatter of a flood with spoofed sources. */
#include <stdio.h>
#include <string.h>

#include "detector.h"

struct flood_state {
	struct secring ring[DET_WIN]; /* closed-port resets */
	/* The ring's sum of the 9 seconds before past_sec, made once per
	 * second: the ring's past never changes. */
	uint64_t past_sec;
	uint64_t past;
	bool on; /* a flood by rate and sources, last tick */
	struct claim_burst burst;
};

static bool flood_event(void *state, const struct detect_event *e, bool claimed,
			struct detect_ctx *c)
{
	struct flood_state *st = state;
	uint64_t sec = c->now_ms / 1000, n;

	if (e->cause != CAUSE_CLOSED_PORT)
		return false;
	secring_add(st->ring, DET_WIN, sec, 1);
	if (st->on)
		return true;
	/* Another detector's already (a dead service's): not to hold. */
	if (claimed)
		return false;
	/* The last 10 s with this reset: the past once per second. */
	if (st->past_sec != sec + 1) {
		st->past = secring_sum(st->ring, DET_WIN, sec, DET_WIN - 1, 1);
		st->past_sec = sec + 1;
	}
	n = st->past + secring_sum(st->ring, DET_WIN, sec, 1, 0);
	return claim_hold(&st->burst, n,
			  claim_line(c->p->flood_rate, c->p->rate_floor),
			  c->now_ms);
}

static void flood_tick(void *state, struct detect_ctx *c)
{
	struct flood_state *st = state;
	const struct detect_env *env = c->env;
	uint64_t line = claim_line(c->p->flood_rate, c->p->rate_floor);
	uint64_t n =
		secring_sum(st->ring, DET_WIN, c->now_ms / 1000, DET_WIN, 0);
	struct stats_item top[3];
	double rate, sources;
	struct alert a;
	bool on;
	int i;

	rate = (double)n / DET_WIN;
	sources =
		env->stats != NULL && n >= line ?
			stats_distinct_remotes(env->stats, c->now_ms, WIN_10S) :
			0;
	/*
	 * From now until the next tick, closed-port resets are the flood's
	 * when it is on its way (by rate, and by sources: a few remotes
	 * hammering is not backscatter); what it sent until now is taken
	 * back from the generic rate.
	 */
	on = n >= line && sources * 2 >= c->p->flood_sources;
	if (on && !st->on)
		claim_takeback(&st->burst, c->pool);
	st->on = on;
	/* Rate and sources are known now: a burst that is no flood by its
	 * sources gives its held resets back at once, in their seconds. */
	if (on)
		claim_keep(&st->burst);
	else
		claim_release(&st->burst, c->pool);
	if (rate < c->p->flood_rate || sources < c->p->flood_sources)
		return;
	memset(&a, 0, sizeof(a));
	a.type = ALERT_SYN_FLOOD;
	a.severity = SEV_CRITICAL;
	snprintf(a.key, sizeof(a.key), "all");
	a.ev.flood.rate = rate;
	a.ev.flood.sources = sources;
	a.ev.flood.ntop =
		stats_top(env->stats, c->now_ms, DIM_PORTS, WIN_10S, top, 3);
	for (i = 0; i < a.ev.flood.ntop; i++)
		a.ev.flood.top_ports[i] = top[i].port;
	c->alert_on(c->lc, &a);
}

const struct detector_ops det_flood = {
	.type = ALERT_SYN_FLOOD,
	.state_size = sizeof(struct flood_state),
	.burst = true,
	.event = flood_event,
	.tick = flood_tick,
};
