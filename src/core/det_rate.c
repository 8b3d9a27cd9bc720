/* det_rate: reset_rate — the classic alert done right: the resets no
 * specific detector explains, against their own adaptive baseline. */
#include <stdio.h>
#include <string.h>

#include "detector.h"

struct rate_state {
	bool started;
	uint64_t first_sec; /* of the first tick */
};

static void rate_tick(void *state, struct detect_ctx *c)
{
	struct rate_state *st = state;
	uint64_t sec = c->now_ms / 1000, hist;
	double rate, baseline, threshold;
	struct alert a;
	bool active;

	/* The warm-up and the baseline count from the first tick: the
	 * daemon's start, not the first reset (a quiet host has none). */
	if (!st->started) {
		st->started = true;
		st->first_sec = sec;
	}
	/* What no specific detector explains, over 10 s, against the
	 * 290 s before them (so a surge does not raise its own bar). */
	rate = (double)claim_pool_sum(c->pool, sec, DET_WIN, 0) / DET_WIN;
	/* Over the history there is (up to 290 s), not over 290 s of it. */
	hist = sec > st->first_sec + DET_WIN ? sec - st->first_sec - DET_WIN :
					       0;
	if (hist > CLAIM_POOL - DET_WIN)
		hist = CLAIM_POOL - DET_WIN;
	baseline = hist == 0 ? 0 :
			       (double)claim_pool_sum(c->pool, sec,
						      CLAIM_POOL - DET_WIN,
						      DET_WIN) /
				       (double)hist;
	threshold = baseline * c->p->rate_factor;
	if (threshold < c->p->rate_floor)
		threshold = c->p->rate_floor;
	active = c->alert_count(c->lc, ALERT_RESET_RATE) > 0;
	/* No baseline yet: a daemon started on a busy host must not call
	 * the usual level a surge.  A minute of history first. */
	if (sec - st->first_sec < c->p->rate_warmup_s)
		return;
	/* Hysteresis: once raised, it holds down to half the bar. */
	if (rate < (active ? threshold / 2 : threshold))
		return;
	memset(&a, 0, sizeof(a));
	a.type = ALERT_RESET_RATE;
	a.severity = SEV_WARNING;
	snprintf(a.key, sizeof(a.key), "all");
	a.ev.rate.rate = rate;
	a.ev.rate.baseline = baseline;
	a.ev.rate.threshold = threshold;
	c->alert_on(c->lc, &a);
}

/* No event: the lifecycle puts in the pool what no detector claims. */
const struct detector_ops det_rate = {
	.type = ALERT_RESET_RATE,
	.state_size = sizeof(struct rate_state),
	.burst = false,
	.event = NULL,
	.tick = rate_tick,
};
