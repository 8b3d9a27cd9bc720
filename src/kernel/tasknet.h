/* tasknet: is a task in our network namespace?  The tcp_send_reset
 * tracepoint is global and carries no namespace: a record made in
 * process context is checked through its task, so that another
 * namespace's reset (same addresses, same ports) is never joined to
 * ours. */
#ifndef RSTMON_TASKNET_H
#define RSTMON_TASKNET_H

#include <stdbool.h>
#include <stdint.h>

#define TASKNET_CACHE 64
/* A verdict is reused this long (a task rarely changes namespace; a tid
 * is rarely reused within it). */
#define TASKNET_TTL_MS 1000

enum tasknet_verdict {
	TASKNET_UNKNOWN = -1, /* task gone, or /proc unreadable */
	TASKNET_FOREIGN = 0,
	TASKNET_OURS = 1,
};

struct tasknet {
	bool ok;	   /* our own namespace is known */
	uint64_t dev, ino; /* of /proc/self/ns/net */
	/* Who reads another task's namespace (it needs ptrace access):
	 * NULL for stat() of proc/TID/ns/net here, else the helper.
	 * 0, or -1 + errno. */
	int (*ns_of)(void *arg, uint32_t tid, uint64_t *dev, uint64_t *ino);
	void *ns_arg;
	struct {
		uint32_t tid;
		int8_t verdict;
		uint64_t at_ms;
	} cache[TASKNET_CACHE];
};

/* Learn our namespace (call after entering --netns).  -1 + errno. */
int tasknet_init(struct tasknet *t, const char *proc);
enum tasknet_verdict tasknet_check(struct tasknet *t, const char *proc,
				   uint32_t tid, uint64_t now_ms);

#endif
