/* sockinfo: one socket as sock_diag (inet_diag) describes it.  A core
 * type: sockdiag fills it, the inventory keeps what it needs of it. */
#ifndef RSTMON_SOCKINFO_H
#define RSTMON_SOCKINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "tcp_states.h"

/*
 * One socket as inet_diag describes it.  Addresses follow the answer's
 * own family: a dual-stack IPv6 socket talking IPv4 answers AF_INET6
 * with v4-mapped addresses.  For a listener, rqueue is the accept queue
 * length and wqueue its backlog.  TIME_WAIT entries report the timewait
 * substate (FIN_WAIT2 or TIME_WAIT) with uid and inode 0.
 */
struct sockinfo {
	uint8_t family;
	uint8_t state;
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport;
	uint16_t dport;
	uint32_t uid;
	uint32_t rqueue;
	uint32_t wqueue;
	uint64_t inode;
	uint64_t cookie;
	uint64_t cgroup_id;
	bool has_cgroup;
	bool v6only;
};

#endif
