/* secring: counts per second over the last n seconds, without clearing. */
#include "secring.h"

void secring_add(struct secring *r, unsigned int n, uint64_t sec, uint32_t v)
{
	struct secring *s = &r[sec % n];

	if (s->sec != sec) {
		s->sec = sec;
		s->count = 0;
	}
	s->count += v;
}

uint64_t secring_sum(const struct secring *r, unsigned int n, uint64_t sec,
		     unsigned int last, unsigned int skip)
{
	uint64_t sum = 0;
	unsigned int i;

	/* Each second only if its stamp is right: a slot not written since
	 * its second left the window holds an older one. */
	for (i = skip; i < skip + last && i < n && i <= sec; i++) {
		const struct secring *s = &r[(sec - i) % n];

		if (s->sec == sec - i)
			sum += s->count;
	}
	return sum;
}
