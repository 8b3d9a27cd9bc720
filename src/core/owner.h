/* owner: who holds a socket — the process behind a reset, as the event
 * line's "owner" reports it.  A core type: the kernel-facing parts fill
 * it, the pure ones read it. */
#ifndef RSTMON_OWNER_H
#define RSTMON_OWNER_H

#include <stdint.h>

/* Who holds a socket: what the event line's "owner" reports. */
struct proc_owner {
	uint32_t pid;
	uint32_t uid; /* the process's real uid */
	char comm[16];
	char unit[128];	    /* systemd unit, "" if none */
	char container[80]; /* container id (short) or name, "" if none */
	char cgroup[256];   /* cgroup v2 path, "" if unknown */
};

#endif
