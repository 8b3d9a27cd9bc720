/* ifcache: interface index -> name, cached so a flood costs no syscall. */
#ifndef RSTMON_IFCACHE_H
#define RSTMON_IFCACHE_H

#include <net/if.h>
#include <stdint.h>

#define IFCACHE_SLOTS 64
#define IFCACHE_TTL_MS 10000

struct ifcache_slot {
	uint32_t ifindex;
	uint64_t expires_ms;
	char name[IF_NAMESIZE];
};

struct ifcache {
	struct ifcache_slot slot[IFCACHE_SLOTS];
	unsigned int next;	/* round-robin replacement */
	uint64_t lookups;	/* if_indextoname calls made */
};

void ifcache_init(struct ifcache *c);
/* Name of ifindex, or NULL if the interface is gone (or index 0). */
const char *ifcache_name(struct ifcache *c, uint32_t ifindex,
			 uint64_t now_ms);

#endif
