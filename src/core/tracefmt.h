/* tracefmt: pure — the tcp:tcp_send_reset format file -> a layout, and a
 * raw sample -> a record, for every generation of the tracepoint. */
#ifndef RSTMON_TRACEFMT_H
#define RSTMON_TRACEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cause.h"

/* One reset as the kernel's tracepoint saw it. */
struct trace_record {
	uint64_t mono_ns;  /* sample time, CLOCK_MONOTONIC */
	uint8_t family;	   /* AF_INET or AF_INET6 (of the addresses) */
	uint8_t saddr[16]; /* network order; IPv4 in the first 4 bytes */
	uint8_t daddr[16];
	uint16_t sport; /* host order */
	uint16_t dport;
	int state;	     /* TCP_* state of the socket; 0 = none */
	bool full_socket;    /* sent by a full socket (not timewait,
				 * request or none) */
	enum kreason reason; /* KREASON_NONE when the layout has none */
	bool in_task;	     /* process context: pid/comm are the actor */
	uint32_t pid;	     /* tgid of the task, when in_task */
	uint32_t tid;
};

/*
 * Where the fields are.  The record changed over the years (read from
 * the format file, never assumed):
 *   4.15–6.9  sport, dport, saddr[4], daddr[4], saddr_v6[16],
 *             daddr_v6[16] (+ state from 4.16, family from 5.x); fired
 *             only for resets sent by a full socket;
 *   6.10+     saddr[28], daddr[28] (struct sockaddr_in6 images), state,
 *             reason (enum sk_rst_reason); fired for every reset the
 *             stack sends.
 */
struct trace_layout {
	uint32_t type_id; /* the tracepoint's id */
	int off_type, off_flags, off_skaddr, sz_skaddr;
	int off_state, sz_state;     /* sz_state 0: no state field */
	int off_reason, sz_reason;   /* sz_reason 0: no reason field */
	bool sockaddrs;		     /* saddr/daddr are sockaddr images */
	int off_saddr, off_daddr;    /* sockaddrs, or the in6 arrays */
	int off_sport, off_dport;    /* in6 arrays only */
	size_t raw_min;		     /* raw bytes the fields above need */
	enum kreason reason_map[64]; /* kernel enum value -> ours */
};

/*
 * Parse the format file's text.  Returns 0, or -1 with a message in err
 * when a field we need is missing or unexpected (errno ENOENT).
 */
int tracefmt_parse(struct trace_layout *l, const char *fmt, char *err,
		   size_t errlen);

/* Does the layout carry the kernel's reason (6.10 and later)? */
bool tracefmt_has_reason(const struct trace_layout *l);

/*
 * Decode one raw sample (the PERF_SAMPLE_RAW bytes) into r: addresses,
 * ports, state, reason, whether a full socket sent it, whether it ran in
 * process context.  pid/tid/time are the caller's.  -1 when the bytes
 * are not one of our records.
 */
int tracefmt_decode(const struct trace_layout *l, const uint8_t *raw,
		    size_t len, struct trace_record *r);

#endif
