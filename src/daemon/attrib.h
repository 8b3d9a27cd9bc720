/* attrib: who sent each reset and why — gathers the evidence (inventory,
 * sock_diag, /proc, counters, tracepoint), classifies, names the owner. */
#ifndef RSTMON_ATTRIB_H
#define RSTMON_ATTRIB_H

#include <stdbool.h>
#include <stdint.h>

#include "attribution.h"
#include "cause.h"
#include "classify.h"
#include "credits.h"
#include "inventory.h"
#include "kcounters.h"
#include "netif.h"
#include "packet.h"
#include "procscan.h"
#include "sockdiag.h"
#include "trace.h"
#include "tracejoin.h"
#include "users.h"

/* The most resets of one datagram given evidence together. */
#define ATTRIB_BATCH 2048

/*
 * Where attrib asks sock_diag: the real socket of the namespace, or, in
 * tests, recorded answers (a replay seam).  As sockdiag_lookup() and
 * sockdiag_dump().
 */
struct sockdiag_source {
	void *arg;
	int (*lookup)(void *arg, uint8_t family, const uint8_t *local,
		      uint16_t lport, const uint8_t *remote, uint16_t rport,
		      struct sockinfo *out);
	int (*dump)(void *arg, uint8_t family, uint32_t states,
		    void (*cb)(const struct sockinfo *si, void *cbarg),
		    void *cbarg);
};

struct attrib_params {
	bool kernel_trace; /* try the tracepoint */
	bool use_reason;   /* ... and its reason where the kernel has it */
	const struct netif *netif; /* our addresses (kept by the caller) */
	/* Replay seams; NULL: "/proc" and the namespace's sock_diag. */
	const char *proc_root;
	const struct sockdiag_source *sockdiag;
	/* Who reads other users' /proc/PID/fd and /proc/TID/ns/net (the
	 * privileged helper); NULL members: this process itself. */
	struct procfd_ops fds;
	int (*ns_of)(void *arg, uint32_t tid, uint64_t *dev, uint64_t *ino);
	void *ns_arg;
	uint64_t trace_max_rate; /* resets/s above which it pauses */
	uint64_t inventory_ms;	 /* sock_diag dump interval */
	unsigned int lookups_per_batch;
	unsigned int procscan_budget; /* readlinks per tick */
};

struct attrib_stats {
	uint64_t lookups;
	uint64_t lookups_skipped; /* over the per-batch budget */
	uint64_t dumps;
	uint64_t counter_reads;
	uint64_t trace_records;
	uint64_t trace_joined;
	uint64_t trace_lost;
	uint64_t trace_malformed;
	uint64_t trace_foreign;	    /* another namespace's task: dropped */
	uint64_t trace_unverified;  /* task gone before it was checked */
	uint64_t firewall_by_count; /* logged > OutRsts */
};

struct attrib;

/* Create in the current network namespace (before dropping privileges).
 * A missing tracepoint is not an error (note in err, trace off). */
struct attrib *attrib_new(const struct attrib_params *p, char *note,
			  size_t notelen);
void attrib_free(struct attrib *a);

/* The trace fd to poll (-1 when tracing is off). */
int attrib_trace_fd(const struct attrib *a);
bool attrib_trace_active(const struct attrib *a);
/* "on", "paused" (above --trace-max-rate), "off" (--kernel-trace=off),
 * "unavailable" (auto, but the kernel or the privileges lack it). */
const char *attrib_trace_state(const struct attrib *a);
/* What the tracepoint gives: "reason", "actor-only" or "off", and why
 * (NULL for "reason"). */
const char *attrib_trace_mode(const struct attrib *a);
const char *attrib_trace_why(const struct attrib *a);
/* Drain tracepoint records into the join window. */
void attrib_trace_drain(struct attrib *a);

/* Timer work: inventory dumps, /proc walk steps, gating.  now: monotonic
 * ms, wall: epoch seconds. */
void attrib_tick(struct attrib *a, uint64_t now_ms, int64_t wall);

typedef void (*attrib_fn)(const struct rst_event *ev,
			  const struct attribution *at, void *arg);

/*
 * Attribute the resets of one datagram (they arrived together) and call
 * fn for each, in order.
 */
void attrib_batch(struct attrib *a, const struct rst_event *evs, unsigned int n,
		  uint64_t now_ms, attrib_fn fn, void *arg);

void attrib_get_stats(const struct attrib *a, struct attrib_stats *s);
const struct inventory *attrib_inventory(const struct attrib *a);
/* Tcp: OutRsts of this namespace now (the one reader of it); false when
 * /proc/net/snmp could not be read. */
bool attrib_out_rsts(struct attrib *a, uint64_t *v);
/*
 * Did remote complete a handshake with this host within window_ms (a
 * connection first listed then, in a synchronized state)?  A forged
 * source never can.  Connections already there at start prove nothing.
 */
bool attrib_remote_proven(const struct attrib *a, uint8_t family,
			  const uint8_t *remote, uint64_t now_ms,
			  uint64_t window_ms);
void attrib_procscan_stats(const struct attrib *a, struct procscan_stats *s);

#endif
