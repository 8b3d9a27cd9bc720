/* privdrop: give up root once the sockets are open (libcap-ng). */
#ifndef RSTMON_PRIVDROP_H
#define RSTMON_PRIVDROP_H

#include <stddef.h>

/*
 * Keep only the capabilities the running daemon needs: CAP_NET_ADMIN
 * (nf_tables requests, removing its table at exit), CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH (reading other users' /proc/PID/fd to name socket
 * owners).  With a user name, also switch to that user.  Does nothing
 * when not running as root.  Returns 0 or -1 with a message in err.
 */
int privdrop(const char *user, char *err, size_t errlen);

#endif
