/* check_netif: the interface and address table, fed rtnetlink messages as
 * the kernel sends them (built here as libmnl would). */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "netif.h"
#include "nlbuild.h"
#include "unit.h"

static char buf[512] __attribute__((aligned(8)));

static struct nlmsghdr *link_msg(uint16_t type, int ifindex, const char *name)
{
	struct nlmsghdr *nlh = nlb_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	ifi = nlb_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (name != NULL)
		nlb_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

/* An address message; peer (IFA_ADDRESS) as a point-to-point link has it. */
static const struct nlmsghdr *addr_msg(uint16_t type, int ifindex,
				       const char *local, const char *peer)
{
	struct nlmsghdr *nlh = nlb_put_header(buf);
	uint8_t a[16], p[16];
	struct ifaddrmsg *ifa;
	int fam = strchr(local, ':') ? AF_INET6 : AF_INET;
	size_t len = fam == AF_INET6 ? 16 : 4;

	nlh->nlmsg_type = type;
	ifa = nlb_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)fam;
	ifa->ifa_index = (uint32_t)ifindex;
	ck_assert_int_eq(inet_pton(fam, local, a), 1);
	if (peer != NULL) {
		ck_assert_int_eq(inet_pton(fam, peer, p), 1);
		nlb_attr_put(nlh, IFA_LOCAL, len, a);
		nlb_attr_put(nlh, IFA_ADDRESS, len, p);
	} else {
		nlb_attr_put(nlh, IFA_ADDRESS, len, a);
	}
	return nlh;
}

static bool local(const struct netif *n, const char *s, uint64_t now)
{
	uint8_t a[16] = { 0 };
	int fam = strchr(s, ':') ? AF_INET6 : AF_INET;

	ck_assert_int_eq(inet_pton(fam, s, a), 1);
	return netif_is_local(n, (uint8_t)fam, a, now);
}

/* A host as rstmond finds it at start: lo and eth0, listed in full. */
static struct netif *host(void)
{
	struct netif *n = netif_new();

	ck_assert_ptr_nonnull(n);
	netif_sync_begin(n);
	netif_apply(n, link_msg(RTM_NEWLINK, 1, "lo"), 0);
	netif_apply(n, link_msg(RTM_NEWLINK, 2, "eth0"), 0);
	netif_apply(n, addr_msg(RTM_NEWADDR, 1, "127.0.0.1", NULL), 0);
	netif_apply(n, addr_msg(RTM_NEWADDR, 2, "192.0.2.10", NULL), 0);
	netif_apply(n, addr_msg(RTM_NEWADDR, 2, "2001:db8::10", NULL), 0);
	netif_sync_end(n, true, 0);
	return n;
}

START_TEST(t_incomplete_is_all_local)
{
	struct netif *n = netif_new();

	/* Before a listing: nothing is called foreign on a guess. */
	ck_assert(local(n, "198.51.100.7", 0));
	netif_sync_begin(n);
	netif_sync_end(n, false, 0);
	ck_assert(local(n, "198.51.100.7", 0));
	free(n);
}
END_TEST

START_TEST(t_listing)
{
	struct netif *n = host();

	ck_assert(n->complete);
	ck_assert(local(n, "192.0.2.10", 5));
	ck_assert(local(n, "2001:db8::10", 5));
	ck_assert(local(n, "127.0.0.53", 5)); /* loopback ranges */
	ck_assert(local(n, "::1", 5));
	ck_assert(!local(n, "192.0.2.11", 5));
	ck_assert(!local(n, "2001:db8::11", 5));
	ck_assert_str_eq(netif_name(n, 2, 5), "eth0");
	ck_assert_ptr_null(netif_name(n, 3, 5));
	ck_assert_ptr_null(netif_name(n, 0, 5));
	free(n);
}
END_TEST

/* A tun device for one connection: added, used, removed — its address
 * and name stay known for the resets still queued. */
START_TEST(t_comes_and_goes)
{
	struct netif *n = host();

	ck_assert_int_eq(netif_apply(n, link_msg(RTM_NEWLINK, 9, "tun0"), 100),
			 1);
	ck_assert_int_eq(
		netif_apply(n, addr_msg(RTM_NEWADDR, 9, "10.8.0.1", "10.8.0.2"),
			    100),
		1);
	ck_assert(local(n, "10.8.0.1", 101));
	ck_assert(!local(n, "10.8.0.2", 101)); /* the peer is not ours */
	ck_assert_str_eq(netif_name(n, 9, 101), "tun0");
	ck_assert_int_eq(
		netif_apply(n, addr_msg(RTM_DELADDR, 9, "10.8.0.1", "10.8.0.2"),
			    200),
		1);
	ck_assert_int_eq(netif_apply(n, link_msg(RTM_DELLINK, 9, "tun0"), 200),
			 1);
	ck_assert(local(n, "10.8.0.1", 200 + NETIF_GONE_MS - 1));
	ck_assert_str_eq(netif_name(n, 9, 200 + NETIF_GONE_MS - 1), "tun0");
	ck_assert(!local(n, "10.8.0.1", 200 + NETIF_GONE_MS));
	ck_assert_ptr_null(netif_name(n, 9, 200 + NETIF_GONE_MS));
	/* Back again (a VRRP address moving back). */
	netif_apply(n, addr_msg(RTM_NEWADDR, 2, "10.8.0.1", NULL), 50000);
	ck_assert(local(n, "10.8.0.1", 50000 + NETIF_GONE_MS * 2));
	free(n);
}
END_TEST

/* The same address on two interfaces: removing one leaves it ours. */
START_TEST(t_same_address_twice)
{
	struct netif *n = host();

	netif_apply(n, addr_msg(RTM_NEWADDR, 3, "192.0.2.10", NULL), 10);
	netif_apply(n, addr_msg(RTM_DELADDR, 2, "192.0.2.10", NULL), 20);
	ck_assert(local(n, "192.0.2.10", 20 + 2 * NETIF_GONE_MS));
	/* Deleting what was never there changes nothing. */
	ck_assert_int_eq(
		netif_apply(n, addr_msg(RTM_DELADDR, 2, "192.0.2.99", NULL),
			    30),
		0);
	free(n);
}
END_TEST

/* A listing after lost notifications: what it no longer names is gone. */
START_TEST(t_resync)
{
	struct netif *n = host();

	netif_sync_begin(n);
	netif_apply(n, link_msg(RTM_NEWLINK, 1, "lo"), 1000);
	netif_apply(n, link_msg(RTM_NEWLINK, 2, "wan0"), 1000); /* renamed */
	netif_apply(n, addr_msg(RTM_NEWADDR, 2, "192.0.2.20", NULL), 1000);
	netif_sync_end(n, true, 1000);
	ck_assert(local(n, "192.0.2.20", 1001));
	ck_assert(!local(n, "192.0.2.10", 1000 + NETIF_GONE_MS));
	ck_assert_str_eq(netif_name(n, 2, 1001), "wan0");
	free(n);
}
END_TEST

START_TEST(t_malformed)
{
	struct netif *n = host();
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	uint8_t three[3] = { 1, 2, 3 };
	char long_name[40];

	/* Address of the wrong length for its family. */
	nlh = nlb_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = nlb_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_index = 2;
	nlb_attr_put(nlh, IFA_ADDRESS, sizeof(three), three);
	ck_assert_int_eq(netif_apply(n, nlh, 1), -1);
	/* No address at all. */
	nlh = nlb_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlb_put_extra_header(nlh, sizeof(*ifa));
	ck_assert_int_eq(netif_apply(n, nlh, 1), 0); /* family 0: ignored */
	/* Shorter than its header. */
	nlh = nlb_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ck_assert_int_eq(netif_apply(n, nlh, 1), -1);
	/* A name longer than IF_NAMESIZE, or not terminated. */
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ck_assert_int_eq(netif_apply(n, link_msg(RTM_NEWLINK, 5, long_name), 1),
			 -1);
	nlh = link_msg(RTM_NEWLINK, 5, NULL);
	nlb_attr_put(nlh, IFLA_IFNAME, 3, "abc");
	ck_assert_int_eq(netif_apply(n, nlh, 1), -1);
	ck_assert_uint_eq(n->malformed, 4);
	/* Nothing of it stuck. */
	ck_assert_ptr_null(netif_name(n, 5, 2));
	ck_assert(!local(n, "1.2.3.0", 2));
	free(n);
}
END_TEST

/* Bounded: a table full of live addresses refuses the next one and then
 * calls nothing foreign; addresses gone for good make room. */
START_TEST(t_bounded)
{
	struct netif *n = host();
	char a[INET6_ADDRSTRLEN];
	unsigned int i, start = n->naddr;

	for (i = start; i < NETIF_ADDRS; i++) {
		snprintf(a, sizeof(a), "10.%u.%u.1", i / 256, i % 256);
		netif_apply(n, addr_msg(RTM_NEWADDR, 2, a, NULL), 10);
	}
	ck_assert_uint_eq(n->naddr, NETIF_ADDRS);
	ck_assert(n->complete);
	ck_assert(!local(n, "203.0.113.1", 10));
	netif_apply(n, addr_msg(RTM_NEWADDR, 2, "203.0.113.9", NULL), 10);
	ck_assert_uint_eq(n->refused, 1);
	ck_assert(!n->complete);
	ck_assert(local(n, "203.0.113.1", 10));
	/* One gone for good makes room; a listing makes it complete. */
	netif_apply(n, addr_msg(RTM_DELADDR, 2, "10.0.200.1", NULL), 20);
	netif_apply(n, addr_msg(RTM_NEWADDR, 2, "203.0.113.9", NULL),
		    20 + NETIF_GONE_MS);
	ck_assert_uint_eq(n->naddr, NETIF_ADDRS);
	ck_assert(local(n, "203.0.113.9", 20 + NETIF_GONE_MS));
	ck_assert(local(n, "10.0.201.1", 20 + NETIF_GONE_MS));
	free(n);
}
END_TEST

Suite *netif_suite(void)
{
	Suite *s = suite_create("netif");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, t_incomplete_is_all_local);
	tcase_add_test(tc, t_listing);
	tcase_add_test(tc, t_comes_and_goes);
	tcase_add_test(tc, t_same_address_twice);
	tcase_add_test(tc, t_resync);
	tcase_add_test(tc, t_malformed);
	tcase_add_test(tc, t_bounded);
	suite_add_tcase(s, tc);
	return s;
}
