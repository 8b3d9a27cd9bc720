/* alert: the record of one alert — its type, key, severity, history and
 * evidence — as the detectors assert it and the lifecycle keeps it. */
#ifndef RSTMON_ALERT_H
#define RSTMON_ALERT_H

#include <stdint.h>

#include "cause.h"
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

struct alert {
	enum alert_type type;
	char key[96];
	enum severity severity;
	uint64_t since_ms;
	int64_t since_wall;
	uint64_t asserted_ms; /* last tick its condition held */
	uint64_t summary_ms;  /* last raise or update */
	uint64_t updates;
	union {
		struct {
			uint8_t family;
			uint8_t remote[16];
			uint32_t ports; /* distinct, estimated */
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

#endif
