/* alertfmt: an alert as text — its names, the key=value line for syslog
 * (a contract: fail2ban and tests read it) and its JSON object.  Pure. */
#ifndef RSTMON_ALERTFMT_H
#define RSTMON_ALERTFMT_H

#include <stddef.h>

#include "alert.h"
#include "json.h"

const char *alert_type_name(enum alert_type t);
/* The enum alert_type named by name[0..len), or -1. */
int alert_type_from_name(const char *name, size_t len);
const char *alert_change_name(enum alert_change c);
const char *severity_name(enum severity s);

/*
 * "alert=port_scan state=raised remote=203.0.113.7 ports=812 rate=540/s":
 * one key=value line (values with spaces quoted), for syslog.  Cut short
 * to fit len, the line stays a prefix of the whole one.
 */
void alert_format_kv(const struct alert *a, enum alert_change ch, char *buf,
		     size_t len);
/* The alert as a JSON object (type, key, state, since, severity, …). */
void alert_format_json(struct json *j, const struct alert *a);
/* The same, left open for the caller to add members and close; state
 * overrides the alert's own (e.g. "cleared"), NULL keeps it. */
void alert_format_json_open(struct json *j, const struct alert *a,
			    const char *state);

#endif
