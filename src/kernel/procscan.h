/* procscan: socket inode -> owning process, by walking /proc/PID/fd/N in
 * small budgeted steps, with a bounded cache. */
#ifndef RSTMON_PROCSCAN_H
#define RSTMON_PROCSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "owner.h"
#include "procfd.h"

struct procscan;

/*
 * proc_root is normally "/proc"; tests pass a fake tree (a replay seam,
 * like ss's PROC_ROOT).  capacity bounds the inode cache.  Returns NULL
 * on allocation failure.
 */
struct procscan *procscan_new(const char *proc_root, unsigned int capacity);
void procscan_free(struct procscan *p);

/* Ask ops to list each process's sockets (the privileged helper, when
 * the daemon has given up the privilege to read /proc/PID/fd). */
void procscan_set_fd_ops(struct procscan *p, const struct procfd_ops *ops);

/* Cache only, never a system call: true and *out when inode is known. */
bool procscan_lookup(struct procscan *p, uint64_t inode,
		     struct proc_owner *out);

/*
 * Ask for an inode to be resolved by the coming steps.  Wanted inodes
 * are bounded; the oldest wish is forgotten when full.
 */
void procscan_want(struct procscan *p, uint64_t inode);

/* True when wishes are pending (the caller then schedules steps). */
bool procscan_busy(const struct procscan *p);

/*
 * Do at most `budget` readlink()s of the walk over /proc/PID/fd/N,
 * caching every socket inode seen (not only the wanted ones) with its
 * owner, and resuming where the last step stopped.  A walk starts only
 * when something is wanted and ends when every wish is met or /proc has
 * been walked once (then unmet wishes are dropped: the socket is gone or
 * not visible).  Entries not seen again for ttl_ms are evicted.
 * Returns the number of readlinks done.
 */
unsigned int procscan_step(struct procscan *p, uint64_t now_ms,
			   unsigned int budget, uint64_t ttl_ms);

/* The proc root it was made with. */
const char *procscan_root(const struct procscan *p);

/* Fill unit/container/cgroup of o from /proc/PID/cgroup (one read). */
void procscan_fill_cgroup(struct procscan *p, struct proc_owner *o);

/* Counters for status. */
struct procscan_stats {
	uint64_t readlinks;
	uint64_t walks;
	uint64_t cached; /* entries now */
	uint64_t evicted;
	uint64_t wishes_dropped;
};
void procscan_get_stats(const struct procscan *p, struct procscan_stats *s);

#endif
