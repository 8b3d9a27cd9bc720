/* localaddr: the addresses of this network namespace, refreshed now and
 * then, to tell our own resets from ones a firewall forged for a peer. */
#ifndef RSTMON_LOCALADDR_H
#define RSTMON_LOCALADDR_H

#include <stdbool.h>
#include <stdint.h>

#define LOCALADDR_MAX 512

struct localaddr {
	unsigned int n;
	bool ok;		/* the last refresh worked */
	uint8_t family[LOCALADDR_MAX];
	uint8_t addr[LOCALADDR_MAX][16];
};

/* Re-read the interface addresses (getifaddrs).  -1 + errno. */
int localaddr_refresh(struct localaddr *la);
/* Ours?  Loopback ranges always are; unknown (refresh failed) counts
 * as ours, so that nothing is called foreign on a guess. */
bool localaddr_has(const struct localaddr *la, uint8_t family,
		   const uint8_t *addr);

#endif
