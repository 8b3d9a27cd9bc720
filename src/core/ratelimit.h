/* ratelimit: a token bucket, so an attack cannot flood the log.  Pure. */
#ifndef RSTMON_RATELIMIT_H
#define RSTMON_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	double tokens;
	double per_s;
	double burst;
	uint64_t last_ms;
	uint64_t suppressed; /* refused since the last report */
	uint64_t suppressed_total;
};

void ratelimit_init(struct ratelimit *r, double per_s, double burst);
/* May one more go out at now_ms?  Counts the refusals. */
bool ratelimit_take(struct ratelimit *r, uint64_t now_ms);

#endif
