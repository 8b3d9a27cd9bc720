/* banlist: the addresses rstmond has put in its nft sets, and until
 * when, so that they can be put back after a firewall reload.  Pure,
 * bounded. */
#ifndef RSTMON_BANLIST_H
#define RSTMON_BANLIST_H

#include <stdbool.h>
#include <stdint.h>

/* As many as one rate-limit set holds (rules/rstmon.nft: size 65536). */
#define BANLIST_MAX 65536

struct ban {
	uint8_t family;	      /* AF_INET, AF_INET6; 0: free slot */
	uint8_t addr[16];     /* network order */
	uint8_t reason;	      /* enum alert_type that asked for it */
	bool drop;	      /* also in the drop set (a proven scanner) */
	uint64_t expires_ms;  /* monotonic */
	int64_t expires_wall; /* epoch seconds, for people */
};

struct banlist {
	struct ban *v;	  /* open addressing, linear probing */
	unsigned int cap; /* a power of two, > max */
	unsigned int max; /* entries at most */
	unsigned int n;
	uint64_t next_expiry; /* no ban expires before this (ms) */
	uint64_t refused;     /* full of unexpired bans */
};

/* max entries (at most BANLIST_MAX).  -1 + errno. */
int banlist_init(struct banlist *b, unsigned int max);
void banlist_fini(struct banlist *b);

/*
 * Record addr until expires_ms (a later expiry wins over an earlier one).
 * Expired entries are dropped on the way.  Returns 1 when new, 0 when it
 * was there already (expiry maybe extended), -1 when full (counted).
 */
int banlist_add(struct banlist *b, uint64_t now_ms, const struct ban *ban);
/* Forget addr (an unban).  Returns 1 when it was there, 0 when not. */
int banlist_remove(struct banlist *b, uint8_t family, const uint8_t *addr);
/* The entry for addr, if recorded and unexpired. */
const struct ban *banlist_find(const struct banlist *b, uint64_t now_ms,
			       uint8_t family, const uint8_t *addr);
/* Drop expired entries; returns how many. */
unsigned int banlist_expire(struct banlist *b, uint64_t now_ms);

/*
 * Walk the unexpired entries: fn for each; *it starts at 0.  Returns
 * the next entry or NULL at the end.
 */
const struct ban *banlist_next(const struct banlist *b, uint64_t now_ms,
			       unsigned int *it);

#endif
