/* tracejoin: pure — match NFLOG events with tracepoint records by tuple
 * and time, to learn the kernel's reason and the actor task. */
#ifndef RSTMON_TRACEJOIN_H
#define RSTMON_TRACEJOIN_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "tracefmt.h"

#define TRACEJOIN_SLOTS 4096
/* Index by local port, so that a take costs the records of one port. */
#define TRACEJOIN_BUCKET_BITS 10
#define TRACEJOIN_BUCKETS (1u << TRACEJOIN_BUCKET_BITS)

/*
 * A bounded window of recent records.  A record older than max_age_ns
 * (relative to the newest time seen) is dropped; when full, the oldest
 * record goes.  Each record is joined at most once.
 *
 * Matching (see notes/kernel-facts.md): a reset built without a full
 * socket, or by a connected socket, carries the packet's own tuple:
 * source = the event's local end.  A reset sent by a listener on behalf
 * of its port carries the listener's bound address and a zero peer
 * (0.0.0.0:0 or [::]:0), and an IPv6 listener answering IPv4 shows its
 * :: or v4-mapped address; those match on the local port alone.  An
 * exact tuple match always wins over a listener-shaped one; among equals
 * the oldest record wins (records come in the order packets were made).
 */
struct tracejoin {
	struct trace_record rec[TRACEJOIN_SLOTS];
	bool used[TRACEJOIN_SLOTS];
	unsigned int head;  /* next slot to write */
	unsigned int count; /* slots from the oldest kept to head */
	uint64_t max_age_ns;
	uint64_t newest_ns;
	uint64_t joined;
	uint64_t expired; /* dropped unjoined (age or overflow) */
	/* private: doubly linked slot chains per port bucket, 0xffff ends */
	uint16_t bucket[TRACEJOIN_BUCKETS];
	uint16_t next[TRACEJOIN_SLOTS];
	uint16_t prev[TRACEJOIN_SLOTS];
};

void tracejoin_init(struct tracejoin *j, uint64_t max_age_ns);
/* A new, empty one (free() it), its pages touched only as used. */
struct tracejoin *tracejoin_new(uint64_t max_age_ns);
void tracejoin_add(struct tracejoin *j, const struct trace_record *r);
/*
 * Find and consume the record of this event (ev->mono_ns is its receipt
 * time; the record must not be later than that).  Returns true and
 * fills *out when found.
 */
bool tracejoin_take(struct tracejoin *j, const struct rst_event *ev,
		    struct trace_record *out);

#endif
