/* detect_int: the state shared by the lifecycle (detect.c) and the
 * detectors (detectors.c).  Not for other modules. */
#ifndef RSTMON_DETECT_INT_H
#define RSTMON_DETECT_INT_H

#include "detect.h"

#define ALERTS_MAX 256
/* Of max_alerts, each type keeps this fraction for itself (detect.c). */
#define ALERT_RESERVE_DIV 16
#define SCAN_SLOTS 4096		/* remotes followed for port scans */
#define SCAN_PROBES 8
#define SCAN_EXACT 32		/* ports counted exactly, then estimated */
#define DOWN_SLOTS 256		/* ports whose listener went away */
#define OVF_SLOTS 64		/* listeners overflowing */
#define STORM_SLOTS 256		/* owners aborting */
#define STORM_PROBES 8
#define WIN10 10
#define RATE_RING 300

/* Per-second counters over the last n seconds, stamped (no clearing). */
struct secring {
	uint64_t sec;
	uint32_t count;
};

struct scan_entry {
	bool used;
	bool hot;		/* reached the threshold in this window */
	uint8_t family;
	uint8_t remote[16];
	uint64_t start_ms;	/* of its current window */
	uint64_t last_ms;
	uint64_t bits[4];	/* ports seen, hashed (linear counting) */
	uint16_t exact[SCAN_EXACT];	/* the first ports, counted exactly */
	uint8_t nexact;
	uint16_t first_port;
	uint16_t last_port;
	uint64_t resets;
};

struct down_entry {
	bool used;
	uint8_t family;
	uint16_t port;
	char comm[16];
	uint32_t pid;
	char unit[64];
	int64_t gone_wall;
	uint64_t gone_ms;
	uint64_t first_ms;	/* first reset since it went away */
	uint64_t last_ms;
	uint64_t attempts;
};

struct ovf_entry {
	bool used;
	uint16_t port;
	char owner[STATS_OWNER_LEN];
	uint32_t backlog;
	uint32_t queue;
	uint64_t last_ms;
	uint64_t resets;
};

struct storm_entry {
	bool used;
	char owner[STATS_OWNER_LEN];
	uint32_t pid;
	struct secring ring[WIN10];
	uint64_t last_ms;
	uint64_t by_cause[CAUSE_MAX];
	bool storming;		/* at its alert's rate at the last tick */
	struct secring held[WIN10];	/* claimed on the way up, not yet its */
	uint64_t held_ms;	/* since when it holds (0: none) */
	struct secring free[WIN10];	/* let through to the generic rate */
};

struct detect {
	struct detect_params p;
	struct alert alerts[ALERTS_MAX];
	bool used[ALERTS_MAX];
	bool asserted[ALERTS_MAX];	/* held during this tick */
	bool raised[ALERTS_MAX];	/* new in this tick */
	bool resolved[ALERTS_MAX];	/* to end in this tick */
	uint64_t dropped;
	uint64_t now_ms;

	struct scan_entry scan[SCAN_SLOTS];
	struct down_entry down[DOWN_SLOTS];
	struct ovf_entry ovf[OVF_SLOTS];
	struct storm_entry storm[STORM_SLOTS];
	struct secring flood[WIN10];	/* closed-port resets */
	/* The flood ring's sum of the 9 seconds before flood_past_sec,
	 * made once per second: the ring's past never changes. */
	uint64_t flood_past_sec;
	uint64_t flood_past;
	bool flood_on;		/* a flood by rate and sources, last tick */
	struct secring flood_held[WIN10];
	uint64_t flood_held_ms;
	struct secring flood_free[WIN10];
	uint64_t first_sec;	/* when the first reset was seen */
	bool started;
	/* Raises refused for want of room, each (type, key) counted once per
	 * summary period. */
	struct refusal {
		uint64_t hash;
		uint64_t ms;
	} refused[64];
	struct secring rate[RATE_RING];	/* resets no specific alert claims */
};

void secring_add(struct secring *r, unsigned int n, uint64_t sec,
		 uint32_t v);
uint64_t secring_sum(const struct secring *r, unsigned int n, uint64_t sec,
		     unsigned int last, unsigned int skip);

/*
 * Lifecycle hooks the detectors call from their evaluation: the condition
 * of (type, key) holds now (evidence copied from `a`), or the alert must
 * end now whatever the quiet period (e.g. the listener is back).
 */
void alert_assert(struct detect *d, const struct alert *a);
void alert_resolve(struct detect *d, enum alert_type t, const char *key);

/* detectors.c */
bool detectors_event(struct detect *d, uint64_t now_ms,
		     const struct detect_event *e);
void detectors_evaluate(struct detect *d, uint64_t now_ms, int64_t wall,
			const struct detect_env *env);

#endif
