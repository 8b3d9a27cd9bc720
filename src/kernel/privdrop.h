/* privdrop: give up root once the sockets are open (libcap-ng). */
#ifndef RSTMON_PRIVDROP_H
#define RSTMON_PRIVDROP_H

#include <stddef.h>

/*
 * The privileged helper (privops.c): keep only CAP_NET_ADMIN
 * (nf_tables requests, removing its table at exit), CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH (reading other users' /proc/PID/fd to name socket
 * owners).  As root: the bounding set too, and with a user name, switch
 * to that user.  Without root (systemd's AmbientCapabilities=): keep
 * those of them it has, drop every other (ambient ones included).  Then
 * no_new_privs, for whatever it executes.  Returns 0 or -1 with a
 * message in err.
 */
int privdrop(const char *user, char *err, size_t errlen);

/*
 * Keep no capability at all — permitted, effective, inheritable,
 * ambient and (as root) bounding sets empty — switching to user when
 * given, then no_new_privs: the daemon that parses packets, netlink,
 * /proc and requests.  Returns 0 or -1 with a message in err.
 */
int privdrop_all(const char *user, char *err, size_t errlen);

#endif
