/* alerts: where the detectors' alert changes go (syslog, actions), and
 * the detectors' settings from the configuration. */
#ifndef RSTMON_ALERTS_H
#define RSTMON_ALERTS_H

#include <stdint.h>

#include "config.h"
#include "detect.h"
#include "json.h"

struct daemon;

/* Route detect's changes to the log and the actions. */
void alerts_setup(struct daemon *d);
/* The detectors' thresholds of c (start and reload). */
void alerts_params(const struct config *c, struct detect_params *p);
/* Every tick: detectors' time-driven work, summaries, clears. */
void alerts_tick(struct daemon *d, int64_t wall);
void alerts_status(struct json *j, const struct daemon *d);
void alerts_metrics(struct json *out, const struct daemon *d);

#endif
