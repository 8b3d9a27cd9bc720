/* pidinfo: pid -> comm, uid and cgroup, read from /proc and cached briefly. */
#ifndef RSTMON_PIDINFO_H
#define RSTMON_PIDINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "procscan.h"

#define PIDINFO_SLOTS 256
#define PIDINFO_TTL_MS 5000

struct pidinfo_slot {
	uint32_t pid;
	bool ok; /* the process existed when read */
	uint64_t expires_ms;
	struct proc_owner o; /* o.uid: effective uid */
};

struct pidinfo {
	struct pidinfo_slot slot[PIDINFO_SLOTS];
	uint64_t reads;
};

void pidinfo_init(struct pidinfo *p);
/*
 * What /proc says of pid (comm, effective uid, cgroup, unit, container),
 * cached for a few seconds; false when the process is gone.  The cgroup
 * part is read through procscan_fill_cgroup (same proc root).
 */
bool pidinfo_get(struct pidinfo *p, struct procscan *ps, uint32_t pid,
		 uint64_t now_ms, struct proc_owner *out);

#endif
