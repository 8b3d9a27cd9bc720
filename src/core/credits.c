/* credits: kernel counter increments waiting to explain resets (pure). */
#include <string.h>

#include "credits.h"

const char *const credit_fields[CR_MAX] = {
	[CR_ABORT_ON_CLOSE] = "TCPAbortOnClose",
	[CR_ABORT_ON_DATA] = "TCPAbortOnData",
	[CR_ABORT_ON_TIMEOUT] = "TCPAbortOnTimeout",
	[CR_ABORT_ON_LINGER] = "TCPAbortOnLinger",
	[CR_ABORT_ON_MEMORY] = "TCPAbortOnMemory",
	[CR_LISTEN_OVERFLOWS] = "ListenOverflows",
};

void credits_init(struct credits *c, uint64_t max_age_ms)
{
	memset(c, 0, sizeof(*c));
	c->max_age_ms = max_age_ms;
}

void credits_add(struct credits *c, enum credit k, uint64_t n, uint64_t now_ms)
{
	if (n == 0)
		return;
	if (c->n[k] == 0)
		c->since_ms[k] = now_ms;
	/* Bounded: a counter storm must not buy credits for ever. */
	c->n[k] = n > 100000 || c->n[k] + n > 100000 ? 100000 :
						       c->n[k] + (uint32_t)n;
}

void credits_expire(struct credits *c, uint64_t now_ms)
{
	int k;

	for (k = 0; k < CR_MAX; k++)
		if (c->n[k] > 0 && now_ms - c->since_ms[k] > c->max_age_ms)
			c->n[k] = 0;
}

bool credits_take(struct credits *c, enum credit k)
{
	if (c->n[k] == 0)
		return false;
	c->n[k]--;
	return true;
}
