/* proven: pure — remote addresses that completed a TCP handshake with this
 * host lately.  A forged source cannot: it never sees our SYN-ACK.  What
 * an action may do to an address (drop everything it sends) depends on
 * it.  Bounded: set-associative, the stalest of a group goes. */
#ifndef RSTMON_PROVEN_H
#define RSTMON_PROVEN_H

#include <stdbool.h>
#include <stdint.h>

#define PROVEN_SLOTS 8192 /* power of two */
#define PROVEN_WAYS 8

struct proven_entry {
	uint8_t family; /* 0: free */
	uint8_t addr[16];
	uint64_t seen_ms; /* when the handshake was seen (monotonic) */
};

struct proven {
	struct proven_entry e[PROVEN_SLOTS];
	uint64_t replaced; /* entries pushed out by newer ones */
};

/* A new, empty table (free() it). */
struct proven *proven_new(void);
/* A connection with addr, new since the last listing, is synchronized. */
void proven_see(struct proven *p, uint8_t family, const uint8_t *addr,
		uint64_t now_ms);
/* Did addr complete a handshake within window_ms before now_ms? */
bool proven_has(const struct proven *p, uint8_t family, const uint8_t *addr,
		uint64_t now_ms, uint64_t window_ms);

#endif
