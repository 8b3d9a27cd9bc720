/* attribution: what is known of one reset beyond its packet — cause,
 * kernel reason, actor, owner.  A core type: attrib fills it, the event
 * line, statistics and detectors read it. */
#ifndef RSTMON_ATTRIBUTION_H
#define RSTMON_ATTRIBUTION_H

#include <stdbool.h>
#include <stdint.h>

#include "cause.h"
#include "owner.h"

/* Everything known about one reset beyond the packet. */
struct attribution {
	enum cause cause;
	enum kreason kreason;
	bool has_actor;
	uint32_t actor_pid;
	char actor_comm[16];

	bool has_owner; /* any owner field below is set */
	bool has_pid;
	bool has_uid;
	uint32_t uid;
	const char *user;	 /* NULL when unknown */
	int state;		 /* TCPS_* of the socket named, 0 none */
	struct proc_owner owner; /* pid, comm, unit, container, cgroup */

	bool has_listener; /* the port's listener (alive) */
	uint32_t backlog;
	uint32_t queue;

	bool has_last_owner; /* closed port: who listened there last */
	uint32_t last_uid;
	int64_t last_seen;     /* epoch seconds it was last seen */
	uint64_t last_gone_ms; /* monotonic: when it was found gone */
	struct proc_owner last;
};

#endif
