/* nlreq: one netlink request and its answer over libmnl — the loop that
 * sock_diag, nf_tables and rtnetlink requests share. */
#ifndef RSTMON_NLREQ_H
#define RSTMON_NLREQ_H

#include <stdbool.h>
#include <stddef.h>

#include <libmnl/libmnl.h>

/*
 * Send req, then receive datagrams into buf and run cb over each message
 * (checked first: nlcheck.h) until the answer ends (NLMSG_DONE, an ack)
 * or done(arg) says it has what it wanted (a lookup's one answer; done
 * may be NULL).  req may live in buf.  Returns 0, or -1 with errno (the
 * kernel's error, EPROTO for a datagram libmnl must not walk).
 */
int nlreq_run(struct mnl_socket *nl, const struct nlmsghdr *req, void *buf,
	      size_t buflen, mnl_cb_t cb, void *arg, bool (*done)(void *arg));

#endif
