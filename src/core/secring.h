/* secring: counts per second over the last n seconds, in a ring whose
 * slots carry their second (a stale slot counts for nothing).  Pure. */
#ifndef RSTMON_SECRING_H
#define RSTMON_SECRING_H

#include <stdint.h>

struct secring {
	uint64_t sec;
	uint32_t count;
};

/* Add v to second sec of the n-slot ring r (the slot's old second goes). */
void secring_add(struct secring *r, unsigned int n, uint64_t sec, uint32_t v);
/* The seconds sec-skip-last+1 .. sec-skip, those the ring still holds. */
uint64_t secring_sum(const struct secring *r, unsigned int n, uint64_t sec,
		     unsigned int last, unsigned int skip);

#endif
