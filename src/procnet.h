/* procnet: read counters from /proc/net/snmp and /proc/net/netstat. */
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

/*
 * Read a whole file into buf (NUL-terminated).  The files are per network
 * namespace: /proc/net follows the reading thread's namespace.  Returns
 * the length, or -1 with errno.
 */
long procnet_read(const char *path, char *buf, size_t buflen);

#define PROCNET_SNMP "/proc/net/snmp"
#define PROCNET_NETSTAT "/proc/net/netstat"

#endif
