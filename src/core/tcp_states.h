/* tcp_states: the kernel's TCP state numbers and their names. */
#ifndef RSTMON_TCP_STATES_H
#define RSTMON_TCP_STATES_H

/* TCP states as the kernel numbers them (include/net/tcp_states.h). */
enum {
	TCPS_ESTABLISHED = 1,
	TCPS_SYN_SENT,
	TCPS_SYN_RECV,
	TCPS_FIN_WAIT1,
	TCPS_FIN_WAIT2,
	TCPS_TIME_WAIT,
	TCPS_CLOSE,
	TCPS_CLOSE_WAIT,
	TCPS_LAST_ACK,
	TCPS_LISTEN,
	TCPS_CLOSING,
	TCPS_NEW_SYN_RECV,
	TCPS_MAX
};

/* "ESTABLISHED", "LISTEN"…; "UNKNOWN" out of range. */
const char *tcp_state_name(int state);

#endif
