/* events: one JSON line per reset (the -e output and the events verb). */
#ifndef RSTMON_EVENTS_H
#define RSTMON_EVENTS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attribution.h"
#include "packet.h"

/* What is known about an event beyond the packet itself. */
struct event_extra {
	const char *ifname;	      /* NULL when unknown */
	const struct attribution *at; /* NULL when not attributed */
};

/* Room for the longest event line and its NUL. */
#define EVENTS_LINE_MAX 8192

/*
 * The event's JSON object (no newline) into buf, which holds
 * EVENTS_LINE_MAX bytes; returns its length.  Pure.  Field names are the
 * interface contract of DESIGN.md; absent when unknown.
 */
size_t events_line(char *buf, const struct rst_event *ev,
		   const struct event_extra *x);

#endif
