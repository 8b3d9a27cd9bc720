/* netif: pure — the interfaces and addresses of one network namespace, as
 * rtnetlink reports them (a full listing, then every change). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "hash.h"
#include "netif.h"
#include "nlattr.h"

#define NIL 0xffffu

_Static_assert(NETIF_ADDRS < NIL && NETIF_LINKS < NIL &&
		       (NETIF_ADDRS & (NETIF_ADDRS - 1)) == 0 &&
		       (NETIF_LINKS & (NETIF_LINKS - 1)) == 0,
	       "tables: powers of two that fit the uint16_t chains");

static unsigned int addr_slot(uint8_t family, const uint8_t *a)
{
	uint64_t w0, w1;

	memcpy(&w0, a, 8);
	memcpy(&w1, a + 8, 8);
	return (unsigned int)(hash_pair(w0, w1 ^ family) &
			      (2 * NETIF_ADDRS - 1));
}

static unsigned int link_slot(uint32_t ifindex)
{
	return (unsigned int)(hash_u64(ifindex) & (2 * NETIF_LINKS - 1));
}

static size_t alen(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

struct netif *netif_new(void)
{
	/* calloc: the entries' pages stay out of the RSS until used. */
	struct netif *n = calloc(1, sizeof(*n));

	if (n != NULL) {
		memset(n->addr_bucket, 0xff, sizeof(n->addr_bucket));
		memset(n->link_bucket, 0xff, sizeof(n->link_bucket));
	}
	return n;
}

static bool gone_for_good(uint64_t gone_ms, uint64_t now_ms)
{
	return gone_ms != 0 && now_ms - gone_ms >= NETIF_GONE_MS;
}

/* --- addresses -------------------------------------------------------- */

static uint16_t *addr_link_to(struct netif *n, unsigned int i)
{
	const struct netif_addr *e = &n->addr[i];
	uint16_t *l = &n->addr_bucket[addr_slot(e->family, e->addr)];

	while (*l != i)
		l = &n->addr[*l].next;
	return l;
}

/* Unhash entry i and move the last entry into its place. */
static void addr_remove(struct netif *n, unsigned int i)
{
	unsigned int last = n->naddr - 1;

	*addr_link_to(n, i) = n->addr[i].next;
	if (i != last) {
		*addr_link_to(n, last) = (uint16_t)i;
		n->addr[i] = n->addr[last];
	}
	n->naddr--;
}

/* Room for one more: forget an address gone for good if need be. */
static bool addr_room(struct netif *n, uint64_t now_ms)
{
	unsigned int i;

	if (n->naddr < NETIF_ADDRS)
		return true;
	for (i = 0; i < n->naddr; i++)
		if (gone_for_good(n->addr[i].gone_ms, now_ms)) {
			addr_remove(n, i);
			return true;
		}
	return false;
}

static struct netif_addr *addr_find(struct netif *n, uint8_t family,
				    const uint8_t *a, uint32_t ifindex)
{
	unsigned int i;

	for (i = n->addr_bucket[addr_slot(family, a)]; i != NIL;
	     i = n->addr[i].next)
		if (n->addr[i].family == family &&
		    n->addr[i].ifindex == ifindex &&
		    memcmp(n->addr[i].addr, a, 16) == 0)
			return &n->addr[i];
	return NULL;
}

static int addr_set(struct netif *n, uint8_t family, const uint8_t *a,
		    uint32_t ifindex, bool present, uint64_t now_ms)
{
	struct netif_addr *e = addr_find(n, family, a, ifindex);
	unsigned int slot;

	if (e != NULL) {
		e->gen = n->gen;
		if (present == (e->gone_ms == 0))
			return 0;
		e->gone_ms = present ? 0 : now_ms;
		return 1;
	}
	if (!present)
		return 0;
	if (!addr_room(n, now_ms)) {
		n->refused++;
		n->complete = false;
		return 0;
	}
	e = &n->addr[n->naddr];
	memset(e, 0, sizeof(*e));
	e->family = family;
	memcpy(e->addr, a, 16);
	e->ifindex = ifindex;
	e->gen = n->gen;
	slot = addr_slot(family, a);
	e->next = n->addr_bucket[slot];
	n->addr_bucket[slot] = (uint16_t)n->naddr;
	n->naddr++;
	return 1;
}

/* --- interfaces ------------------------------------------------------- */

static uint16_t *link_link_to(struct netif *n, unsigned int i)
{
	uint16_t *l = &n->link_bucket[link_slot(n->link[i].ifindex)];

	while (*l != i)
		l = &n->link[*l].next;
	return l;
}

static void link_remove(struct netif *n, unsigned int i)
{
	unsigned int last = n->nlink - 1;

	*link_link_to(n, i) = n->link[i].next;
	if (i != last) {
		*link_link_to(n, last) = (uint16_t)i;
		n->link[i] = n->link[last];
	}
	n->nlink--;
}

/* The entry of ifindex, or NIL. */
static unsigned int link_find(const struct netif *n, uint32_t ifindex)
{
	unsigned int i;

	for (i = n->link_bucket[link_slot(ifindex)]; i != NIL;
	     i = n->link[i].next)
		if (n->link[i].ifindex == ifindex)
			return i;
	return NIL;
}

static int link_set(struct netif *n, uint32_t ifindex, const char *name,
		    bool present, uint64_t now_ms)
{
	unsigned int slot, i = link_find(n, ifindex);
	struct netif_link *e = i != NIL ? &n->link[i] : NULL;
	int changed = 0;

	if (e == NULL) {
		if (!present)
			return 0;
		if (n->nlink == NETIF_LINKS) {
			for (i = 0; i < n->nlink; i++)
				if (gone_for_good(n->link[i].gone_ms, now_ms))
					break;
			if (i == n->nlink) {
				n->refused++;
				return 0;
			}
			link_remove(n, i);
		}
		e = &n->link[n->nlink];
		memset(e, 0, sizeof(*e));
		e->ifindex = ifindex;
		slot = link_slot(ifindex);
		e->next = n->link_bucket[slot];
		n->link_bucket[slot] = (uint16_t)n->nlink;
		n->nlink++;
		changed = 1;
	}
	e->gen = n->gen;
	if (name != NULL && strcmp(e->name, name) != 0) {
		/* A rename: the resets to come carry the new name. */
		snprintf(e->name, sizeof(e->name), "%s", name);
		changed = 1;
	}
	if (present != (e->gone_ms == 0)) {
		e->gone_ms = present ? 0 : now_ms;
		changed = 1;
	}
	return changed;
}

/* --- messages --------------------------------------------------------- */

static int apply_link(struct netif *n, const struct nlmsghdr *nlh,
		      uint64_t now_ms)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	const struct ifinfomsg *ifi;
	const char *name = NULL;
	uint16_t len;

	if (nlattr_parse(nlh, sizeof(*ifi), tb, IFLA_MAX) < 0)
		return -1;
	ifi = nlattr_msg_payload(nlh);
	if (ifi->ifi_index <= 0)
		return -1;
	if (tb[IFLA_IFNAME] != NULL) {
		/* A NUL-terminated name that fits IF_NAMESIZE. */
		len = (uint16_t)nlattr_len(tb[IFLA_IFNAME]);
		name = nlattr_payload(tb[IFLA_IFNAME]);
		if (len == 0 || len > IF_NAMESIZE || name[len - 1] != '\0')
			return -1;
	}
	return link_set(n, (uint32_t)ifi->ifi_index, name,
			nlh->nlmsg_type == RTM_NEWLINK, now_ms);
}

static int apply_addr(struct netif *n, const struct nlmsghdr *nlh,
		      uint64_t now_ms)
{
	const struct nlattr *tb[IFA_MAX + 1] = { NULL };
	const struct ifaddrmsg *ifa;
	const struct nlattr *at;
	uint8_t a[16] = { 0 };

	if (nlattr_parse(nlh, sizeof(*ifa), tb, IFA_MAX) < 0)
		return -1;
	ifa = nlattr_msg_payload(nlh);
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	/* IFA_LOCAL is ours; IFA_ADDRESS is the peer's on a point-to-point
	 * link (a VPN's tun), ours otherwise. */
	at = tb[IFA_LOCAL] != NULL ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (at == NULL || nlattr_len(at) != alen(ifa->ifa_family))
		return -1;
	memcpy(a, nlattr_payload(at), alen(ifa->ifa_family));
	return addr_set(n, ifa->ifa_family, a, ifa->ifa_index,
			nlh->nlmsg_type == RTM_NEWADDR, now_ms);
}

int netif_apply(struct netif *n, const struct nlmsghdr *nlh, uint64_t now_ms)
{
	int r;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		r = apply_link(n, nlh, now_ms);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		r = apply_addr(n, nlh, now_ms);
		break;
	default:
		return 0;
	}
	if (r < 0)
		n->malformed++;
	else
		n->changes += (uint64_t)r;
	return r;
}

void netif_sync_begin(struct netif *n)
{
	n->gen++;
	n->refused_before_sync = n->refused;
}

void netif_sync_end(struct netif *n, bool ok, uint64_t now_ms)
{
	unsigned int i;

	if (!ok) {
		n->complete = false;
		return;
	}
	for (i = 0; i < n->naddr; i++)
		if (n->addr[i].gen != n->gen && n->addr[i].gone_ms == 0)
			n->addr[i].gone_ms = now_ms;
	for (i = 0; i < n->nlink; i++)
		if (n->link[i].gen != n->gen && n->link[i].gone_ms == 0)
			n->link[i].gone_ms = now_ms;
	/* Something that found no room is missing: everything stays ours. */
	n->complete = n->refused == n->refused_before_sync;
}

bool netif_is_local(const struct netif *n, uint8_t family, const uint8_t *addr,
		    uint64_t now_ms)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };
	uint8_t key[16] = { 0 };
	unsigned int i;

	if (!n->complete)
		return true;
	if (family == AF_INET && addr[0] == 127)
		return true;
	if (family == AF_INET6 && memcmp(addr, v6_loopback, 16) == 0)
		return true;
	if (family != AF_INET && family != AF_INET6)
		return false;
	memcpy(key, addr, alen(family));
	for (i = n->addr_bucket[addr_slot(family, key)]; i != NIL;
	     i = n->addr[i].next)
		if (n->addr[i].family == family &&
		    memcmp(n->addr[i].addr, key, 16) == 0 &&
		    !gone_for_good(n->addr[i].gone_ms, now_ms))
			return true;
	return false;
}

const char *netif_name(const struct netif *n, uint32_t ifindex, uint64_t now_ms)
{
	const struct netif_link *e;
	unsigned int i;

	if (ifindex == 0 || (i = link_find(n, ifindex)) == NIL)
		return NULL;
	e = &n->link[i];
	if (e->name[0] == '\0' || gone_for_good(e->gone_ms, now_ms))
		return NULL;
	return e->name;
}
