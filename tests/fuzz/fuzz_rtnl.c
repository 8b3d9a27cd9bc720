/*
 * fuzz_rtnl: rtnetlink datagrams (a listing's answers, link and address
 * notifications) through the path rtnl.c gives them: nl_datagram_ok(),
 * mnl_cb_run(), netif_apply().  Input: u8 flags (bit 0: inside a
 * listing, ended at the end of the datagram; bit 1: the listing failed),
 * then the datagram.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netif.h"
#include "nlcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct netif *n;

static int apply_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	if (netif_apply(n, nlh, 1000) > 1)
		abort();
	return MNL_CB_OK;
}

/* Everything the table answers must be what it holds. */
static void check(void)
{
	static const uint8_t zero[16];
	unsigned int i;
	const char *name;

	if (n->naddr > NETIF_ADDRS || n->nlink > NETIF_LINKS)
		abort();
	for (i = 0; i < n->naddr; i++) {
		if (n->addr[i].family != AF_INET &&
		    n->addr[i].family != AF_INET6)
			abort();
		if (n->complete && !netif_is_local(n, n->addr[i].family,
						   n->addr[i].addr, 1000))
			abort();
	}
	for (i = 0; i < n->nlink; i++) {
		name = netif_name(n, n->link[i].ifindex, 1000);
		if (name != NULL && strnlen(name, IF_NAMESIZE) == IF_NAMESIZE)
			abort();
	}
	(void)netif_is_local(n, AF_INET6, zero, 1000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *buf;

	if (size < 1)
		return 0;
	n = netif_new();
	if (n == NULL)
		abort();
	/* Aligned, exactly the datagram's size: ASan watches the rest. */
	buf = malloc(size - 1 ? size - 1 : 1);
	if (buf == NULL)
		abort();
	memcpy(buf, data + 1, size - 1);
	if (data[0] & 1)
		netif_sync_begin(n);
	if (nl_datagram_ok(buf, size - 1))
		mnl_cb_run(buf, size - 1, 0, 0, apply_cb, NULL);
	if (data[0] & 1)
		netif_sync_end(n, !(data[0] & 2), 1000);
	check();
	free(buf);
	free(n);
	return 0;
}
