/* sockdiag: NETLINK_SOCK_DIAG (inet_diag) — exact lookups and dumps. */
#ifndef RSTMON_SOCKDIAG_H
#define RSTMON_SOCKDIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "sockinfo.h"

struct mnl_socket;

struct sockdiag {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char *buf;
	uint64_t lookups;
	uint64_t dumps;
	uint64_t dumped; /* sockets seen by dumps */
	uint64_t errors;
};

/* Open in the current network namespace.  -1 + errno. */
int sockdiag_open(struct sockdiag *sd);
void sockdiag_close(struct sockdiag *sd);

/*
 * Exact 4-tuple lookup (addresses in network order, ports host order).
 * Beware: with no socket on the tuple the kernel answers with the
 * LISTENER of local:lport if there is one (check out->state).  Returns 0,
 * or -1 with errno (ENOENT: nothing).
 */
int sockdiag_lookup(struct sockdiag *sd, uint8_t family, const uint8_t *local,
		    uint16_t lport, const uint8_t *remote, uint16_t rport,
		    struct sockinfo *out);

/*
 * Dump every TCP socket of `family` whose state bit (1 << state) is in
 * `states`, calling cb for each.  Returns the number seen, or -1 + errno.
 */
int sockdiag_dump(struct sockdiag *sd, uint8_t family, uint32_t states,
		  void (*cb)(const struct sockinfo *si, void *arg), void *arg);

#endif
