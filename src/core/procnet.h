/* procnet: the counters of /proc/net/snmp and /proc/net/netstat, parsed. */
#ifndef RSTMON_PROCNET_H
#define RSTMON_PROCNET_H

#include <stddef.h>
#include <stdint.h>

/*
 * Both files hold pairs of lines, "Tcp: Name1 Name2 …" then
 * "Tcp: 1 2 …".  procnet_parse() looks up names[i] in the section
 * `prefix` (e.g. "Tcp", "TcpExt") of text and stores each value in
 * out[i]; a name not found leaves out[i] untouched.  Pure.  Returns the
 * number of names found.
 */
int procnet_parse(const char *text, const char *prefix,
		  const char *const *names, int n, uint64_t *out);

#endif
