/* clock: the monotonic clock every window and timeout uses, and the wall
 * clock only printed timestamps use.  Read once per wakeup by the loop
 * (loop.h) and passed down; read here directly only where a function
 * waits for real time (a drain bounded in time, a wait at exit). */
#ifndef RSTMON_CLOCK_H
#define RSTMON_CLOCK_H

#include <stdint.h>

uint64_t clock_mono_ms(void);
uint64_t clock_mono_ns(void);
/* Epoch seconds, for people. */
int64_t clock_wall(void);

#endif
