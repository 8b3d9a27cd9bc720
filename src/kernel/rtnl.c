/* rtnl: keeps a netif table current from rtnetlink (NETLINK_ROUTE). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "nlcheck.h"
#include "nlreq.h"
#include "rtnl.h"

/* As large as the kernel sends one datagram of a dump (MNL_SOCKET_DUMP_SIZE). */
#define RTNL_BUFLEN 32768
/* Room for bursts of changes (a container runtime creating many veths):
 * an overflow costs a full listing. */
#define RTNL_RCVBUF (1 << 20)
/* A listing the kernel says was disturbed (NLM_F_DUMP_INTR) is retried. */
#define RTNL_LIST_TRIES 3
/* Datagrams read per drain: the rest waits for the next wakeup. */
#define RTNL_DRAIN_MAX 10000

struct apply_arg {
	struct netif *n;
	uint64_t now_ms;
};

static int apply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct apply_arg *a = data;

	netif_apply(a->n, nlh, a->now_ms);
	return MNL_CB_OK;
}

/* One dump of type (RTM_GETLINK, RTM_GETADDR) into n; 0 or -1 + errno. */
static int list_one(struct mnl_socket *nl, char *buf, uint16_t type,
		    struct apply_arg *a)
{
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = type; /* a socket of its own: any number will do */
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	return nlreq_run(nl, nlh, buf, RTNL_BUFLEN, apply_cb, a, NULL);
}

/* Everything, on a socket of its own so that the dump's answers do not
 * mix with the notifications; 0 or -1 + errno. */
static int list_all(struct rtnl *r, struct netif *n, uint64_t now_ms)
{
	struct apply_arg a = { n, now_ms };
	struct mnl_socket *nl;
	int tries, ret = -1, e = 0;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (nl == NULL)
		return -1;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	for (tries = 0; tries < RTNL_LIST_TRIES; tries++) {
		netif_sync_begin(n);
		ret = list_one(nl, r->buf, RTM_GETLINK, &a);
		if (ret == 0)
			ret = list_one(nl, r->buf, RTM_GETADDR, &a);
		e = errno;
		netif_sync_end(n, ret == 0, now_ms);
		if (ret == 0 || e != EINTR)
			break;
	}
	r->listings++;
	errno = e;
out:
	e = errno;
	mnl_socket_close(nl);
	errno = e;
	return ret;
}

int rtnl_open(struct rtnl *r, char *err, size_t errlen)
{
	unsigned int groups[] = { RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
				  RTNLGRP_IPV6_IFADDR };
	int rcvbuf = RTNL_RCVBUF, e;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->buf = malloc(RTNL_BUFLEN);
	r->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (r->buf == NULL || r->nl == NULL ||
	    mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (mnl_socket_setsockopt(r->nl, NETLINK_ADD_MEMBERSHIP,
					  &groups[i], sizeof(groups[i])) < 0)
			goto fail;
	/* FORCE needs CAP_NET_ADMIN (we have it now); else what rmem_max
	 * allows. */
	if (setsockopt(mnl_socket_get_fd(r->nl), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(mnl_socket_get_fd(r->nl), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	return 0;
fail:
	e = errno;
	snprintf(err, errlen, "rtnetlink (interfaces and addresses): %s",
		 strerror(e));
	rtnl_close(r);
	errno = e;
	return -1;
}

void rtnl_close(struct rtnl *r)
{
	if (r->nl != NULL)
		mnl_socket_close(r->nl);
	r->nl = NULL;
	free(r->buf);
	r->buf = NULL;
}

int rtnl_sync(struct rtnl *r, struct netif *n, uint64_t now_ms)
{
	if (r->nl == NULL) {
		errno = EBADF;
		return -1;
	}
	return list_all(r, n, now_ms);
}

int rtnl_fd(const struct rtnl *r)
{
	return r->nl != NULL ? mnl_socket_get_fd(r->nl) : -1;
}

int rtnl_drain(struct rtnl *r, struct netif *n, uint64_t now_ms)
{
	struct apply_arg a = { n, now_ms };
	bool lost = false;
	ssize_t len;
	int i;

	if (r->nl == NULL)
		return 0;
	for (i = 0; i < RTNL_DRAIN_MAX; i++) {
		len = mnl_socket_recvfrom(r->nl, r->buf, RTNL_BUFLEN);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				r->overflows++;
				lost = true;
				continue;
			}
			if (errno == EAGAIN)
				break;
			return -1;
		}
		if (!nl_datagram_ok(r->buf, (size_t)len))
			continue;
		r->notifications++;
		/* Notifications are not answers: no sequence, no port. */
		mnl_cb_run(r->buf, (size_t)len, 0, 0, apply_cb, &a);
	}
	/* What was lost may have been anything: list it all again. */
	if (lost)
		return list_all(r, n, now_ms);
	return 0;
}
