/* detector: what a detector is to the lifecycle (detect.c) — an ops struct
 * in its table, with state of its own — and what the lifecycle is to it. */
#ifndef RSTMON_DETECTOR_H
#define RSTMON_DETECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "claim.h"
#include "detect.h"

/* s: the window of the detectors' rates, the one bursts are judged on. */
#define DET_WIN CLAIM_WIN

/*
 * What a detector is given in each call.  It reaches the lifecycle only
 * through the three functions here, so that it depends on nothing of
 * detect.c and can be driven alone (a fake lifecycle in tests).
 */
struct detect_ctx {
	uint64_t now_ms; /* monotonic, never going back */
	int64_t wall;	 /* epoch seconds; ticks only */
	const struct detect_params *p;
	const struct detect_env *env; /* ticks only */
	/* The generic rate: the resets no detector claims. */
	struct claim_pool *pool;
	/* Ticks only.  The condition of (a->type, a->key) holds now (a is
	 * copied: its evidence, fresh). */
	void (*alert_on)(void *lc, const struct alert *a);
	/* The alert of (t, key), if any, ends now, whatever the quiet
	 * period (the listener is back). */
	void (*alert_off)(void *lc, enum alert_type t, const char *key);
	/* Alerts of type t active now, this tick's raises included. */
	unsigned int (*alert_count)(void *lc, enum alert_type t);
	void *lc;
};

struct detector_ops {
	enum alert_type type; /* the alert it raises */
	size_t state_size;    /* zeroed when made, freed with detect */
	/*
	 * A burst detector only holds a reset until it knows (claim.h): it
	 * is asked after the others, told whether one of them claimed the
	 * reset already, so that it does not hold what is explained.
	 */
	bool burst;
	/* One reset (cheap: table updates).  True: the reset is this
	 * detector's, not the generic rate's.  NULL: resets unseen. */
	bool (*event)(void *st, const struct detect_event *e, bool claimed,
		      struct detect_ctx *c);
	/* Once a tick: say which alerts' conditions hold. */
	void (*tick)(void *st, struct detect_ctx *c);
};

/* One file each (det_*.c). */
extern const struct detector_ops det_scan;
extern const struct detector_ops det_flood;
extern const struct detector_ops det_down;
extern const struct detector_ops det_overflow;
extern const struct detector_ops det_storm;
extern const struct detector_ops det_rate;

#endif
