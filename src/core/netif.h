/* netif: pure — the interfaces and addresses of one network namespace, as
 * rtnetlink reports them (a full listing, then every change). */
#ifndef RSTMON_NETIF_H
#define RSTMON_NETIF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>

#define NETIF_ADDRS 4096 /* power of two */
#define NETIF_LINKS 1024 /* power of two */
/*
 * An address or interface removed stays known this long: resets it sent
 * may still wait in NFLOG's queue (up to the flush timeout) when the
 * removal is read, and a tun device brought up for one connection is
 * often gone before its reset is attributed.
 */
#define NETIF_GONE_MS 10000

struct netif_addr {
	uint8_t family;
	uint8_t addr[16]; /* IPv4 in the first 4 bytes */
	uint32_t ifindex;
	uint32_t gen;	  /* the listing that last saw it */
	uint64_t gone_ms; /* monotonic; 0 while present */
	uint16_t next;	  /* hash chain */
};

struct netif_link {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
	uint32_t gen;
	uint64_t gone_ms;
	uint16_t next;
};

struct netif {
	struct netif_addr addr[NETIF_ADDRS];
	struct netif_link link[NETIF_LINKS];
	unsigned int naddr, nlink;
	uint16_t addr_bucket[2 * NETIF_ADDRS];
	uint16_t link_bucket[2 * NETIF_LINKS];
	uint32_t gen;
	/* A full listing was applied and nothing was refused since: an
	 * address it does not hold is not ours.  Until then every address
	 * counts as ours (nothing is called foreign on a guess). */
	bool complete;
	uint64_t refused_before_sync;
	uint64_t changes; /* messages that changed something */
	uint64_t refused; /* entries that found no room */
	uint64_t malformed;
};

/* A new, empty table (free() it); incomplete until a listing is applied. */
struct netif *netif_new(void);

/*
 * A full listing: begin, the dump's messages through netif_apply(), end.
 * What the listing did not name is gone from now_ms (a notification lost
 * to an overflow is repaired this way).  end() with ok false (the dump
 * failed) leaves the table incomplete.
 */
void netif_sync_begin(struct netif *n);
void netif_sync_end(struct netif *n, bool ok, uint64_t now_ms);

/*
 * One rtnetlink message: RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR,
 * RTM_DELADDR (others are ignored).  Returns 1 when it changed the
 * table, 0 when not, -1 when malformed (counted).
 */
int netif_apply(struct netif *n, const struct nlmsghdr *nlh, uint64_t now_ms);

/*
 * Is addr one of ours (present, or removed less than NETIF_GONE_MS
 * ago)?  Loopback ranges always are, and so is everything while the
 * table is incomplete.
 */
bool netif_is_local(const struct netif *n, uint8_t family, const uint8_t *addr,
		    uint64_t now_ms);

/* The name of ifindex (also of an interface removed less than
 * NETIF_GONE_MS ago), or NULL. */
const char *netif_name(const struct netif *n, uint32_t ifindex,
		       uint64_t now_ms);

#endif
