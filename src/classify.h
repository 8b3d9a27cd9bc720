/* classify: pure — evidence about one reset -> one cause of the taxonomy. */
#ifndef RSTMON_CLASSIFY_H
#define RSTMON_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "cause.h"
#include "credits.h"

/* What an exact sock_diag lookup of the reset's tuple found. */
enum lookup_result {
	LOOKUP_NOT_DONE = 0,	/* skipped (budget, or not needed) */
	LOOKUP_NONE,		/* ENOENT */
	LOOKUP_LISTEN,		/* the listener fallback */
	LOOKUP_SYN_RECV,	/* a request socket */
	LOOKUP_SYN_SENT,
	LOOKUP_TIMEWAIT,	/* timewait sock, either substate */
	LOOKUP_LIVE,		/* a synchronized full socket on the tuple */
};

struct evidence {
	uint8_t tcp_flags;
	uint32_t seq;
	bool has_uid;		/* NFLOG: the sending socket had a file */
	enum lookup_result lookup;
	bool listener;		/* a live listener covers the local port */
	bool listener_uid;	/* ... and its uid equals the NFLOG uid */
	bool recent_conn;	/* the 4-tuple was one of our connections */
	int recent_state;	/* its last state seen (TCPS_*) */
	bool recent_fresh;	/* ... and it was there at the last listing */
	bool foreign_source;	/* source address is not one of ours */
	enum kreason kreason;	/* KREASON_NONE when unknown */
	bool firewall;		/* chosen as firewall by the batch pass */
};

/*
 * The cause.  The kernel's reason, when known, decides (refined by the
 * packet: TCP_STATE with a uid is an application's abort, without one a
 * closing listener's children).  Otherwise the evidence of
 * notes/kernel-facts.md §5 decides, and the TcpExt credits split the
 * active resets (consumed here).  Pure.
 */
enum cause classify(const struct evidence *e, struct credits *cr);

/*
 * How likely this reset is to come from a firewall `reject with tcp
 * reset` rather than the TCP stack: 0 = impossible (a kernel reason, a
 * socket with a file, an active reset), 100 = certain (foreign source),
 * values between order candidates when the batch shows more resets
 * logged than the stack counted (Tcp: OutRsts).
 */
int classify_firewall_rank(const struct evidence *e);

#define FIREWALL_CERTAIN 95

#endif
