/* detect: pure detectors over the reset stream and the statistics, and the
 * lifecycle of the alerts they raise (raise, summarise, clear). */
#ifndef RSTMON_DETECT_H
#define RSTMON_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "cause.h"
#include "stats.h"

/* Thresholds; their defaults are the config's (config_defaults(),
 * documented in rstmond(8)). */
struct detect_params {
	uint32_t scan_ports; /* distinct closed ports from one remote */
	uint32_t scan_window_s;
	uint32_t flood_rate;	/* closed-port resets per second… */
	uint32_t flood_sources; /* …from at least this many remotes */
	uint32_t down_window_s; /* a listener gone at most this long */
	uint32_t down_grace_ms; /* gone at least this long (restarts) */
	uint32_t storm_rate;	/* aborts per second by one owner */
	uint32_t rate_floor;	/* resets per second, at least */
	uint32_t rate_factor;	/* × the 5-minute baseline */
	uint32_t rate_warmup_s; /* history needed before reset_rate */
	uint32_t quiet_s;	/* condition false this long: cleared */
	uint32_t summary_s;	/* an active alert is summarised this often */
	uint32_t max_alerts;	/* active at once, at most */
};

/* What the detectors see of one reset. */
struct detect_event {
	uint8_t family;
	uint8_t remote[16];
	uint16_t lport;
	enum cause cause;
	bool has_owner;
	char owner[STATS_OWNER_LEN]; /* label: "comm (unit)", "uid N" */
	uint32_t owner_pid;
	int64_t wall; /* now, epoch seconds */
	/* A closed port whose listener went away (owner.last_owner): */
	bool had_listener;
	int64_t gone_wall; /* epoch seconds it was last seen */
	uint64_t gone_ms;  /* monotonic ms it was found gone */
	char last_comm[16];
	uint32_t last_pid;
	char last_unit[64];
	/* The port's listener, for listen_overflow: */
	uint32_t backlog;
	uint32_t queue;
};

/* Questions a detector asks of the daemon (a fake in unit tests). */
struct detect_env {
	bool (*listener_alive)(uint8_t family, uint16_t port, void *arg);
	void *arg;
	struct stats *stats;
};

typedef void (*detect_fn)(enum alert_change ch, const struct alert *a,
			  void *arg);

struct detect;

/* NULL with errno (ENOMEM) when it cannot be allocated. */
struct detect *detect_new(const struct detect_params *p);
void detect_free(struct detect *d);
void detect_set_params(struct detect *d, const struct detect_params *p);

/* Feed one reset (cheap: table updates, no evaluation). */
void detect_event(struct detect *d, uint64_t now_ms,
		  const struct detect_event *e);

/*
 * Evaluate every detector and move the alerts along their lifecycle,
 * calling fn for each raise, update and clear.  Call about once a second
 * (detection latency is at most the interval between calls).
 */
void detect_tick(struct detect *d, uint64_t now_ms, int64_t wall,
		 const struct detect_env *env, detect_fn fn, void *arg);

/* The active alerts (at most max), oldest first. */
int detect_alerts(const struct detect *d, const struct alert **out, int max);
unsigned int detect_active(const struct detect *d, enum alert_type t);
/* Raises refused because max_alerts were active. */
uint64_t detect_dropped(const struct detect *d);

#endif
