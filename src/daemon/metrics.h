/* metrics: the Prometheus text exposition of the daemon's counters. */
#ifndef RSTMON_METRICS_H
#define RSTMON_METRICS_H

#include "json.h"

struct daemon;

/* Append the whole exposition (HELP, TYPE and samples) to out. */
void metrics_text(struct json *out, struct daemon *d);

/*
 * Write the exposition to path atomically (a temporary file in the same
 * directory, then rename), as node_exporter's textfile collector needs.
 * Returns 0, or -1 with errno.
 */
int metrics_write_file(struct daemon *d, const char *path);

#endif
