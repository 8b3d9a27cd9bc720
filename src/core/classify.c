/* classify: pure — evidence about one reset -> one cause of the taxonomy. */
#include "classify.h"
#include "packet.h"
#include "tcp_states.h"

static bool answers_syn(const struct evidence *e)
{
	/* Stateless RST|ACK with seq 0: the segment had no ACK (a SYN). */
	return (e->tcp_flags & TCPF_ACK) && e->seq == 0;
}

static bool active_reset(const struct evidence *e)
{
	/* tcp_send_active_reset: RST|ACK with the socket's real seq. */
	return (e->tcp_flags & TCPF_ACK) && e->seq != 0;
}

static enum cause from_kernel(const struct evidence *e)
{
	switch (e->kreason) {
	case KREASON_NO_SOCKET:
		return answers_syn(e) ? CAUSE_CLOSED_PORT : CAUSE_STRAY_SEGMENT;
	case KREASON_TCP_FLAGS:
		return CAUSE_STRAY_SEGMENT;
	case KREASON_INVALID_SYN:
		return CAUSE_LISTEN_OVERFLOW;
	case KREASON_TCP_ABORT_ON_CLOSE:
		return CAUSE_UNREAD_CLOSE;
	case KREASON_TCP_ABORT_ON_DATA:
		return CAUSE_DATA_AFTER_CLOSE;
	case KREASON_TCP_TIMEWAIT_SOCKET:
		return answers_syn(e) ? CAUSE_TIME_WAIT :
					CAUSE_DATA_AFTER_CLOSE;
	case KREASON_TCP_ABORT_ON_LINGER:
		return CAUSE_FIN_WAIT_ABORT;
	case KREASON_TCP_ABORT_ON_MEMORY:
		return CAUSE_MEMORY_ABORT;
	case KREASON_TCP_KEEPALIVE_TIMEOUT:
		return CAUSE_KEEPALIVE_TIMEOUT;
	case KREASON_TCP_STATE:
		return e->has_uid ? CAUSE_APP_ABORT : CAUSE_LISTENER_CLOSED;
	case KREASON_TCP_DISCONNECT_WITH_DATA:
		return CAUSE_APP_ABORT;
	case KREASON_TCP_INVALID_ACK_SEQUENCE:
	case KREASON_TCP_RFC7323_PAWS:
	case KREASON_TCP_TOO_OLD_ACK:
	case KREASON_TCP_OLD_ACK:
	case KREASON_TCP_ACK_UNSENT_DATA:
		return CAUSE_BAD_SEGMENT;
	default:
		return CAUSE_MAX; /* not decisive: infer */
	}
}

/*
 * A SYN answered with RST|ACK on the tuple of one of our connections: a
 * live connection would have answered with a challenge ACK, a vanished
 * one would leave nothing to find; what answers is the timewait sock of
 * a connection we closed (FIN_WAIT2 substate).  The last listing may
 * have seen it in that state, or still established just before.
 */
static bool recent_timewait(const struct evidence *e)
{
	if (!e->recent_conn || e->recent_reset)
		return false;
	return e->recent_fresh || e->recent_state == TCPS_FIN_WAIT2 ||
	       e->recent_state == TCPS_TIME_WAIT;
}

/* RST|ACK with the socket's seq: an abort.  Counters tell which. */
static enum cause active_cause(const struct evidence *e, struct credits *cr)
{
	if (e->has_uid) {
		if (credits_take(cr, CR_ABORT_ON_CLOSE))
			return CAUSE_UNREAD_CLOSE;
		if (credits_take(cr, CR_ABORT_ON_TIMEOUT))
			return CAUSE_KEEPALIVE_TIMEOUT;
		/* SO_LINGER {1,0} bumps TCPAbortOnData; connect(AF_UNSPEC)
		 * and ss -K bump nothing: all are the application's. */
		credits_take(cr, CR_ABORT_ON_DATA);
		return CAUSE_APP_ABORT;
	}
	/* Orphans (the file is closed already). */
	if (credits_take(cr, CR_ABORT_ON_MEMORY))
		return CAUSE_MEMORY_ABORT;
	if (credits_take(cr, CR_ABORT_ON_LINGER))
		return CAUSE_FIN_WAIT_ABORT;
	return CAUSE_LISTENER_CLOSED;
}

enum cause classify(const struct evidence *e, struct credits *cr)
{
	enum cause c;

	c = from_kernel(e);
	if (c != CAUSE_MAX) {
		/* Keep the credits in step with what they explained. */
		if (c == CAUSE_UNREAD_CLOSE)
			credits_take(cr, CR_ABORT_ON_CLOSE);
		else if (c == CAUSE_KEEPALIVE_TIMEOUT)
			credits_take(cr, CR_ABORT_ON_TIMEOUT);
		else if (c == CAUSE_MEMORY_ABORT)
			credits_take(cr, CR_ABORT_ON_MEMORY);
		else if (c == CAUSE_FIN_WAIT_ABORT)
			credits_take(cr, CR_ABORT_ON_LINGER);
		else if (c == CAUSE_LISTEN_OVERFLOW)
			credits_take(cr, CR_LISTEN_OVERFLOWS);
		else if (c == CAUSE_APP_ABORT || c == CAUSE_DATA_AFTER_CLOSE)
			credits_take(cr, CR_ABORT_ON_DATA);
		return c;
	}
	if (e->firewall && !e->traced)
		return CAUSE_FIREWALL;

	/* A socket that survives sending a reset: SYN_SENT refusing a bad
	 * SYN-ACK; a request socket refusing a bad final ACK. */
	if (e->lookup == LOOKUP_SYN_SENT)
		return CAUSE_BAD_SEGMENT;
	if (e->lookup == LOOKUP_SYN_RECV)
		return CAUSE_STRAY_SEGMENT;
	if (e->lookup == LOOKUP_LIVE)
		return CAUSE_BAD_SEGMENT;

	if (active_reset(e))
		return active_cause(e, cr);
	if (answers_syn(e)) {
		if (recent_timewait(e))
			return CAUSE_TIME_WAIT;
		/* The stack answers a SYN with a reset only when nothing
		 * listens: a listener the inventory still lists has just died
		 * (the caller learns it from this). */
		return e->has_uid ? CAUSE_STRAY_SEGMENT : CAUSE_CLOSED_PORT;
	}
	/* RST alone, seq = the peer's ack: a reply to an ACKed segment. */
	if (e->has_uid) {
		/* Sent by the listener of the port: an overflow if the
		 * accept queue just overflowed, else a bad segment. */
		if (credits_take(cr, CR_LISTEN_OVERFLOWS))
			return CAUSE_LISTEN_OVERFLOW;
		return CAUSE_STRAY_SEGMENT;
	}
	/* The connection we reset is gone for good (no orphan, no timewait
	 * sock): the peer's late segment meets no socket (NO_SOCKET). */
	if (e->recent_reset && !e->listener)
		return CAUSE_STRAY_SEGMENT;
	if (e->listener || e->recent_conn) {
		/* Data reached a port whose socket we closed (an orphan or
		 * timewait sock): server side, or our client port. */
		credits_take(cr, CR_ABORT_ON_DATA);
		return CAUSE_DATA_AFTER_CLOSE;
	}
	return CAUSE_STRAY_SEGMENT;
}

int classify_firewall_rank(const struct evidence *e)
{
	int r;

	/* The kernel's word wins over any address table: a reset from an
	 * address added a moment ago is still the stack's. */
	if (e->traced || e->kreason != KREASON_NONE || e->has_uid ||
	    active_reset(e))
		return 0;
	if (e->foreign_source)
		return 100;
	if (e->lookup == LOOKUP_LIVE)
		r = 90;
	else if (answers_syn(e))
		r = e->listener ? 80 : 20;
	else
		r = e->listener ? 50 : 20;
	/* Missed by a tracepoint that sees every reset: likelier, but perf
	 * may drop a sample now and then, so it never decides alone. */
	if (e->trace_complete)
		r += (FIREWALL_CERTAIN - r) / 2;
	return r;
}

unsigned int classify_firewall_pick(const int *rank, unsigned int n,
				    long long budget, bool *chosen)
{
	unsigned int i, picked = 0;
	int r;

	for (i = 0; i < n; i++)
		chosen[i] = budget < 0 && rank[i] >= FIREWALL_CERTAIN;
	if (budget < 0) {
		for (i = 0; i < n; i++)
			picked += chosen[i];
		return picked;
	}
	/* Highest rank first; among equals, in arrival order. */
	for (r = 100; r > 0 && picked < (unsigned long long)budget; r--)
		for (i = 0; i < n && picked < (unsigned long long)budget; i++)
			if (rank[i] == r) {
				chosen[i] = true;
				picked++;
			}
	return picked;
}
