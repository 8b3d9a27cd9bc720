/* cause: the taxonomy of why a reset was sent (stable names, DESIGN.md). */
#ifndef RSTMON_CAUSE_H
#define RSTMON_CAUSE_H

enum cause {
	CAUSE_UNKNOWN = 0,
	CAUSE_CLOSED_PORT,
	CAUSE_STRAY_SEGMENT,
	CAUSE_APP_ABORT,
	CAUSE_UNREAD_CLOSE,
	CAUSE_DATA_AFTER_CLOSE,
	CAUSE_TIME_WAIT,
	CAUSE_FIN_WAIT_ABORT,
	CAUSE_MEMORY_ABORT,
	CAUSE_KEEPALIVE_TIMEOUT,
	CAUSE_LISTEN_OVERFLOW,
	CAUSE_LISTENER_CLOSED,
	CAUSE_BAD_SEGMENT,
	CAUSE_FIREWALL,
	CAUSE_MAX
};

/* "closed_port", …; "unknown" for anything out of range. */
const char *cause_name(enum cause c);
/* CAUSE_MAX when the name is not one of ours. */
enum cause cause_from_name(const char *name);

/*
 * The kernel's own reasons (enum sk_rst_reason, as the tcp:tcp_send_reset
 * tracepoint prints them).  The numbers are not ABI, so records carry
 * the reason by name, resolved once from the tracepoint's format file.
 */
enum kreason {
	KREASON_NONE = 0, /* no record, or a reason we do not know */
	KREASON_NOT_SPECIFIED,
	KREASON_NO_SOCKET,
	KREASON_TCP_INVALID_ACK_SEQUENCE,
	KREASON_TCP_RFC7323_PAWS,
	KREASON_TCP_TOO_OLD_ACK,
	KREASON_TCP_ACK_UNSENT_DATA,
	KREASON_TCP_FLAGS,
	KREASON_TCP_OLD_ACK,
	KREASON_TCP_ABORT_ON_DATA,
	KREASON_TCP_TIMEWAIT_SOCKET,
	KREASON_INVALID_SYN,
	KREASON_TCP_ABORT_ON_CLOSE,
	KREASON_TCP_ABORT_ON_LINGER,
	KREASON_TCP_ABORT_ON_MEMORY,
	KREASON_TCP_STATE,
	KREASON_TCP_KEEPALIVE_TIMEOUT,
	KREASON_TCP_DISCONNECT_WITH_DATA,
	KREASON_MPTCP, /* any MPTCP_RST_* */
	KREASON_ERROR,
	KREASON_MAX
};

/* "NO_SOCKET", … as the kernel spells them; NULL for KREASON_NONE. */
const char *kreason_name(enum kreason r);
/* KREASON_NONE when unknown; MPTCP_RST_* map to KREASON_MPTCP. */
enum kreason kreason_from_name(const char *name);

#endif
