/* ratelimit: a token bucket, so an attack cannot flood the log.  Pure. */
#include "ratelimit.h"

void ratelimit_init(struct ratelimit *r, double per_s, double burst)
{
	r->tokens = burst;
	r->per_s = per_s;
	r->burst = burst;
	r->last_ms = 0;
	r->suppressed = 0;
	r->suppressed_total = 0;
}

bool ratelimit_take(struct ratelimit *r, uint64_t now_ms)
{
	if (now_ms > r->last_ms) {
		r->tokens += (double)(now_ms - r->last_ms) * r->per_s / 1000.0;
		if (r->tokens > r->burst)
			r->tokens = r->burst;
		r->last_ms = now_ms;
	}
	if (r->tokens >= 1.0) {
		r->tokens -= 1.0;
		return true;
	}
	r->suppressed++;
	r->suppressed_total++;
	return false;
}
