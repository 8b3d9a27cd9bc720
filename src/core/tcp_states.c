/* tcp_states: the kernel's TCP state numbers and their names. */
#include "tcp_states.h"

const char *tcp_state_name(int state)
{
	static const char *const names[TCPS_MAX] = {
		[0] = "UNKNOWN",
		[TCPS_ESTABLISHED] = "ESTABLISHED",
		[TCPS_SYN_SENT] = "SYN_SENT",
		[TCPS_SYN_RECV] = "SYN_RECV",
		[TCPS_FIN_WAIT1] = "FIN_WAIT1",
		[TCPS_FIN_WAIT2] = "FIN_WAIT2",
		[TCPS_TIME_WAIT] = "TIME_WAIT",
		[TCPS_CLOSE] = "CLOSE",
		[TCPS_CLOSE_WAIT] = "CLOSE_WAIT",
		[TCPS_LAST_ACK] = "LAST_ACK",
		[TCPS_LISTEN] = "LISTEN",
		[TCPS_CLOSING] = "CLOSING",
		[TCPS_NEW_SYN_RECV] = "SYN_RECV",
	};

	if (state <= 0 || state >= TCPS_MAX)
		return "UNKNOWN";
	return names[state];
}
