/* detect: pure detectors over the reset stream and the statistics, and the
 * lifecycle of the alerts they raise (raise, summarise, clear). */
#ifndef RSTMON_DETECT_H
#define RSTMON_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "json.h"
#include "stats.h"

enum alert_type {
	ALERT_PORT_SCAN = 0,
	ALERT_SYN_FLOOD,
	ALERT_SERVICE_DOWN,
	ALERT_LISTEN_OVERFLOW,
	ALERT_ABORT_STORM,
	ALERT_RESET_RATE,
	ALERT_TYPE_MAX
};

enum alert_change { ALERT_RAISED = 0, ALERT_UPDATED, ALERT_CLEARED };
enum severity { SEV_INFO = 0, SEV_WARNING, SEV_CRITICAL };

/* Thresholds; defaults in detect_defaults() (documented in rstmond(8)). */
struct detect_params {
	uint32_t scan_ports;	/* distinct closed ports from one remote */
	uint32_t scan_window_s;
	uint32_t flood_rate;	/* closed-port resets per second… */
	uint32_t flood_sources;	/* …from at least this many remotes */
	uint32_t down_window_s;	/* a listener gone at most this long */
	uint32_t down_grace_ms;	/* gone at least this long (restarts) */
	uint32_t storm_rate;	/* aborts per second by one owner */
	uint32_t rate_floor;	/* resets per second, at least */
	uint32_t rate_factor;	/* × the 5-minute baseline */
	uint32_t rate_warmup_s;	/* history needed before reset_rate */
	uint32_t quiet_s;	/* condition false this long: cleared */
	uint32_t summary_s;	/* an active alert is summarised this often */
	uint32_t max_alerts;	/* active at once, at most */
};

void detect_defaults(struct detect_params *p);

/* What the detectors see of one reset. */
struct detect_event {
	uint8_t family;
	uint8_t remote[16];
	uint16_t lport;
	enum cause cause;
	bool has_owner;
	char owner[STATS_OWNER_LEN];	/* label: "comm (unit)", "uid N" */
	uint32_t owner_pid;
	int64_t wall;		/* now, epoch seconds */
	/* A closed port whose listener went away (owner.last_owner): */
	bool had_listener;
	int64_t gone_wall;	/* epoch seconds it was last seen */
	uint64_t gone_ms;	/* monotonic ms it was found gone */
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

struct alert {
	enum alert_type type;
	char key[96];
	enum severity severity;
	uint64_t since_ms;
	int64_t since_wall;
	uint64_t asserted_ms;	/* last tick its condition held */
	uint64_t summary_ms;	/* last raise or update */
	uint64_t updates;
	union {
		struct {
			uint8_t family;
			uint8_t remote[16];
			uint32_t ports;		/* distinct, estimated */
			uint16_t first_port;
			uint16_t last_port;
			uint64_t resets;
			double rate;
		} scan;
		struct {
			double rate;
			double sources;
			uint16_t top_ports[3];
			int ntop;
		} flood;
		struct {
			uint8_t family;
			uint16_t port;
			char comm[16];
			uint32_t pid;
			char unit[64];
			int64_t gone_wall;
			uint64_t gone_ms;
			uint64_t attempts;
		} down;
		struct {
			uint16_t port;
			char owner[STATS_OWNER_LEN];
			uint32_t backlog;
			uint32_t queue;
			uint64_t resets;
		} overflow;
		struct {
			char owner[STATS_OWNER_LEN];
			uint32_t pid;
			double rate;
			uint64_t by_cause[CAUSE_MAX];
		} storm;
		struct {
			double rate;
			double baseline;
			double threshold;
		} rate;
	} ev;
};

typedef void (*detect_fn)(enum alert_change ch, const struct alert *a,
			  void *arg);

struct detect;

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

const char *alert_type_name(enum alert_type t);
/* The enum alert_type named by name[0..len), or -1. */
int alert_type_from_name(const char *name, size_t len);
const char *alert_change_name(enum alert_change c);
const char *severity_name(enum severity s);

/*
 * "alert=port_scan state=raised remote=203.0.113.7 ports=812 rate=540/s":
 * one key=value line (values with spaces quoted), for syslog.
 */
void alert_format_kv(const struct alert *a, enum alert_change ch,
		     char *buf, size_t len);
/* The alert as a JSON object (type, key, state, since, severity, …). */
void alert_format_json(struct json *j, const struct alert *a);
/* The same, left open for the caller to add members and close; state
 * overrides the alert's own (e.g. "cleared"), NULL keeps it. */
void alert_format_json_open(struct json *j, const struct alert *a,
			    const char *state);

#endif
