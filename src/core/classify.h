/* classify: pure — evidence about one reset -> one cause of the taxonomy. */
#ifndef RSTMON_CLASSIFY_H
#define RSTMON_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "cause.h"
#include "credits.h"

/* What an exact sock_diag lookup of the reset's tuple found. */
enum lookup_result {
	LOOKUP_NOT_DONE = 0, /* skipped (budget, or not needed) */
	LOOKUP_NONE,	     /* ENOENT */
	LOOKUP_LISTEN,	     /* the listener fallback */
	LOOKUP_SYN_RECV,     /* a request socket */
	LOOKUP_SYN_SENT,
	LOOKUP_TIMEWAIT, /* timewait sock, either substate */
	LOOKUP_LIVE,	 /* a synchronized full socket on the tuple */
};

struct evidence {
	uint8_t tcp_flags;
	uint32_t seq;
	bool has_uid; /* NFLOG: the sending socket had a file */
	enum lookup_result lookup;
	bool listener;	      /* a live listener covers the local port */
	bool listener_uid;    /* ... and its uid equals the NFLOG uid */
	bool recent_conn;     /* the 4-tuple was one of our connections */
	int recent_state;     /* its last state seen (TCPS_*) */
	bool recent_fresh;    /* ... and it was there at the last listing */
	bool recent_reset;    /* ... and we reset it already: it is gone */
	bool foreign_source;  /* source address is not one of ours */
	bool traced;	      /* the tracepoint saw it: the stack sent it */
	bool trace_complete;  /* the tracepoint sees every reset the stack
				 * sends (6.10+) and lost none lately */
	enum kreason kreason; /* KREASON_NONE when unknown */
	bool firewall;	      /* chosen as firewall by the batch pass */
};

/*
 * The cause.  The kernel's reason, when known, decides (refined by the
 * packet: TCP_STATE with a uid is an application's abort, without one a
 * closing listener's children); a reset the tracepoint saw is never a
 * firewall's.  Otherwise the batch's firewall choice, then the evidence
 * of rstmond(8)'s CAUSES decides, and the TcpExt credits split the
 * active resets (consumed here).  Pure.
 */
enum cause classify(const struct evidence *e, struct credits *cr);

/*
 * How likely this reset is to come from a firewall `reject with tcp
 * reset` rather than the TCP stack: 0 = impossible (traced by the
 * kernel, a socket with a file, an active reset), 100 = a source address
 * that is not ours, values between order the candidates.  Resets the
 * tracepoint missed while it saw everything rank higher.
 */
int classify_firewall_rank(const struct evidence *e);

#define FIREWALL_CERTAIN 95

/*
 * The batch's firewall resets.  budget: how many resets of the batch the
 * TCP stack did not count (logged minus Tcp: OutRsts), or -1 when the
 * counter is unreadable.  With a budget, that many are chosen, highest
 * rank first (in arrival order among equals), never one of rank 0; without
 * one, only ranks >= FIREWALL_CERTAIN.  chosen[i] is set for each; returns
 * how many.  Pure.
 */
unsigned int classify_firewall_pick(const int *rank, unsigned int n,
				    long long budget, bool *chosen);

#endif
