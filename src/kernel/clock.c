/* clock: monotonic time for windows and timeouts, wall time for people. */
#include <time.h>

#include "clock.h"

uint64_t clock_mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

uint64_t clock_mono_ms(void)
{
	return clock_mono_ns() / 1000000u;
}

int64_t clock_wall(void)
{
	return (int64_t)time(NULL);
}
