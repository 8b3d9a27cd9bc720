/* tasknet: is a task in our network namespace?  By the device and inode
 * of /proc/TID/ns/net, compared with our own; a small cache spares the
 * stat for a task that sends many resets. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tasknet.h"

int tasknet_init(struct tasknet *t, const char *proc)
{
	char path[PATH_MAX];
	struct stat st;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/self/ns/net", proc);
	if (stat(path, &st) < 0)
		return -1;
	t->dev = (uint64_t)st.st_dev;
	t->ino = (uint64_t)st.st_ino;
	t->ok = true;
	return 0;
}

enum tasknet_verdict tasknet_check(struct tasknet *t, const char *proc,
				   uint32_t tid, uint64_t now_ms)
{
	unsigned int slot = tid % TASKNET_CACHE;
	enum tasknet_verdict v;
	uint64_t dev, ino;
	char path[PATH_MAX];
	struct stat st;

	if (!t->ok || tid == 0)
		return TASKNET_UNKNOWN;
	if (t->cache[slot].tid == tid &&
	    now_ms - t->cache[slot].at_ms < TASKNET_TTL_MS)
		return (enum tasknet_verdict)t->cache[slot].verdict;
	if (t->ns_of != NULL) {
		if (t->ns_of(t->ns_arg, tid, &dev, &ino) < 0)
			return TASKNET_UNKNOWN;
	} else {
		snprintf(path, sizeof(path), "%s/%u/ns/net", proc, tid);
		if (stat(path, &st) < 0)
			return TASKNET_UNKNOWN; /* not cached: maybe a new tid */
		dev = (uint64_t)st.st_dev;
		ino = (uint64_t)st.st_ino;
	}
	v = dev == t->dev && ino == t->ino ? TASKNET_OURS : TASKNET_FOREIGN;
	t->cache[slot].tid = tid;
	t->cache[slot].verdict = (int8_t)v;
	t->cache[slot].at_ms = now_ms;
	return v;
}
