/* rtnl: keeps a netif table current from rtnetlink (NETLINK_ROUTE): a full
 * listing at start, then the link and address notifications; no polling. */
#ifndef RSTMON_RTNL_H
#define RSTMON_RTNL_H

#include <stdint.h>

#include "netif.h"

struct rtnl {
	struct mnl_socket *nl; /* bound to the notification groups */
	char *buf;
	uint64_t notifications;
	uint64_t overflows; /* ENOBUFS: notifications lost */
	uint64_t listings;  /* full listings made */
};

/*
 * Subscribe to RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR
 * in the current network namespace.  Returns 0, or -1 with errno and a
 * message in err.
 */
int rtnl_open(struct rtnl *r, char *err, size_t errlen);
/*
 * List every interface and address into n (after rtnl_open: a change
 * made during the listing is read after it).  No privilege is needed.
 * 0, or -1 + errno; n is then left incomplete.
 */
int rtnl_sync(struct rtnl *r, struct netif *n, uint64_t now_ms);
void rtnl_close(struct rtnl *r);
/* The fd to poll (POLLIN), -1 when closed. */
int rtnl_fd(const struct rtnl *r);

/*
 * Apply every notification waiting, without blocking.  After a loss
 * (ENOBUFS) everything is listed again.  Called before each NFLOG batch
 * is attributed, so that an address added before a reset was sent is
 * known when the reset is classified.  0, or -1 + errno.
 */
int rtnl_drain(struct rtnl *r, struct netif *n, uint64_t now_ms);

#endif
