/* cause: the taxonomy of why a reset was sent (stable names, DESIGN.md). */
#include <string.h>

#include "cause.h"

static const char *const cause_names[CAUSE_MAX] = {
	[CAUSE_UNKNOWN] = "unknown",
	[CAUSE_CLOSED_PORT] = "closed_port",
	[CAUSE_STRAY_SEGMENT] = "stray_segment",
	[CAUSE_APP_ABORT] = "app_abort",
	[CAUSE_UNREAD_CLOSE] = "unread_close",
	[CAUSE_DATA_AFTER_CLOSE] = "data_after_close",
	[CAUSE_TIME_WAIT] = "time_wait",
	[CAUSE_FIN_WAIT_ABORT] = "fin_wait_abort",
	[CAUSE_MEMORY_ABORT] = "memory_abort",
	[CAUSE_KEEPALIVE_TIMEOUT] = "keepalive_timeout",
	[CAUSE_LISTEN_OVERFLOW] = "listen_overflow",
	[CAUSE_LISTENER_CLOSED] = "listener_closed",
	[CAUSE_BAD_SEGMENT] = "bad_segment",
	[CAUSE_FIREWALL] = "firewall",
};

static const char *const kreason_names[KREASON_MAX] = {
	[KREASON_NONE] = NULL,
	[KREASON_NOT_SPECIFIED] = "NOT_SPECIFIED",
	[KREASON_NO_SOCKET] = "NO_SOCKET",
	[KREASON_TCP_INVALID_ACK_SEQUENCE] = "TCP_INVALID_ACK_SEQUENCE",
	[KREASON_TCP_RFC7323_PAWS] = "TCP_RFC7323_PAWS",
	[KREASON_TCP_TOO_OLD_ACK] = "TCP_TOO_OLD_ACK",
	[KREASON_TCP_ACK_UNSENT_DATA] = "TCP_ACK_UNSENT_DATA",
	[KREASON_TCP_FLAGS] = "TCP_FLAGS",
	[KREASON_TCP_OLD_ACK] = "TCP_OLD_ACK",
	[KREASON_TCP_ABORT_ON_DATA] = "TCP_ABORT_ON_DATA",
	[KREASON_TCP_TIMEWAIT_SOCKET] = "TCP_TIMEWAIT_SOCKET",
	[KREASON_INVALID_SYN] = "INVALID_SYN",
	[KREASON_TCP_ABORT_ON_CLOSE] = "TCP_ABORT_ON_CLOSE",
	[KREASON_TCP_ABORT_ON_LINGER] = "TCP_ABORT_ON_LINGER",
	[KREASON_TCP_ABORT_ON_MEMORY] = "TCP_ABORT_ON_MEMORY",
	[KREASON_TCP_STATE] = "TCP_STATE",
	[KREASON_TCP_KEEPALIVE_TIMEOUT] = "TCP_KEEPALIVE_TIMEOUT",
	[KREASON_TCP_DISCONNECT_WITH_DATA] = "TCP_DISCONNECT_WITH_DATA",
	[KREASON_MPTCP] = "MPTCP",
	[KREASON_ERROR] = "ERROR",
};

const char *cause_name(enum cause c)
{
	if ((unsigned int)c >= CAUSE_MAX)
		return "unknown";
	return cause_names[c];
}

enum cause cause_from_name(const char *name)
{
	int i;

	for (i = 0; i < CAUSE_MAX; i++)
		if (strcmp(cause_names[i], name) == 0)
			return (enum cause)i;
	return CAUSE_MAX;
}

const char *kreason_name(enum kreason r)
{
	if ((unsigned int)r >= KREASON_MAX)
		return NULL;
	return kreason_names[r];
}

enum kreason kreason_from_name(const char *name)
{
	int i;

	if (strncmp(name, "MPTCP_RST_", 10) == 0)
		return KREASON_MPTCP;
	for (i = 1; i < KREASON_MAX; i++)
		if (strcmp(kreason_names[i], name) == 0)
			return (enum kreason)i;
	return KREASON_NONE;
}
