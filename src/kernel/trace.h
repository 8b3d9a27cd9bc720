/* trace: optional kernel assistance — the tcp:tcp_send_reset tracepoint
 * read through perf_event_open (no BPF), one shared ring buffer. */
#ifndef RSTMON_TRACE_H
#define RSTMON_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracefmt.h"

/* What the tracepoint gives: see trace_open(). */
enum trace_mode {
	TRACE_MODE_OFF = 0,
	TRACE_MODE_ACTOR_ONLY, /* 4.15–6.9: actor and tuple, full sockets */
	TRACE_MODE_REASON, /* 6.10+: every reset, with the kernel's reason */
};

/* Implementation state; callers only pass it around. */
struct trace {
	int fd; /* the one fd to poll: epoll over the CPUs */
	int *cpu_fds;
	int ncpus;
	void *ring;	 /* mmap'd ring buffer of the first CPU */
	size_t ring_len; /* data area bytes per CPU (power of two) */
	size_t page;
	struct trace_layout lay; /* from the format file */
	enum trace_mode mode;
	/* Asked to ignore the reason on a kernel that has it: also drop the
	 * records a kernel without it never makes (not a full socket's), so
	 * that the mode behaves as it does on 4.15–6.9. */
	bool as_before_reason;
	bool enabled;
	uint64_t records;
	uint64_t lost; /* PERF_RECORD_LOST totals */
	uint64_t malformed;
	/* Process names from the kernel's own COMM/FORK records, so that an
	 * actor that exited before we read /proc still has a name. */
	struct trace_comm {
		uint32_t pid;
		char comm[16];
		uint64_t time; /* of the record: rings are read in turn */
	} comms[1024];
	/* Network namespaces of tasks from PERF_RECORD_NAMESPACES (on fork,
	 * setns, unshare), to tell our resets from those of other
	 * namespaces even when the task is gone.  By tid. */
	struct trace_netns {
		uint32_t tid;
		uint64_t ino; /* of the task's net namespace */
		uint64_t time;
	} netns[1024];
	bool has_netns;	   /* the kernel gives those records */
	uint64_t not_full; /* dropped by as_before_reason */
	/* private */
	void **rings; /* one per CPU; ring == rings[0] */
};

/*
 * Open the tracepoint on every online CPU, sample times on
 * CLOCK_MONOTONIC.  The kernel refuses to share a ring between CPUs
 * (PERF_EVENT_IOC_SET_OUTPUT across CPUs is EINVAL), so each CPU has its
 * own ring and t->fd is an epoll fd over all of them: poll it for POLLIN.
 * It wakes when a ring is a quarter full, not per record.  Sampling is
 * on when it returns.
 * tracefs is looked up at /sys/kernel/tracing then
 * /sys/kernel/debug/tracing.  t->mode is TRACE_MODE_REASON where the
 * kernel has the `reason` field (6.10+) and use_reason is set, else
 * TRACE_MODE_ACTOR_ONLY (4.15–6.9, or use_reason false: records then
 * come as that kernel would make them).  Returns 0, or -1 with errno and
 * a message in err: ENOENT when the kernel has no tcp:tcp_send_reset
 * (before 4.15, or no tracefs), EACCES/EPERM without CAP_PERFMON or
 * CAP_SYS_ADMIN.
 */
int trace_open(struct trace *t, bool use_reason, char *err, size_t errlen);
/* Safe on a zeroed struct and after a failed trace_open. */
void trace_close(struct trace *t);

/*
 * The name of process pid as the kernel last reported it (exec, rename,
 * fork) since trace_open, or NULL.  A bounded table: old entries are
 * overwritten.
 */
/*
 * The network namespace (its inode) a task entered last, from the
 * kernel's records; false when none was seen (a task older than the
 * trace, or records unavailable): ask /proc then.
 */
bool trace_task_netns(const struct trace *t, uint32_t tid, uint64_t *ino);
const char *trace_comm(const struct trace *t, uint32_t pid);

/* Start or stop sampling (cheap ioctls on every CPU).  0, or -1 + errno. */
int trace_enable(struct trace *t, bool on);

/*
 * Read every record waiting in the rings, without a system call, and
 * pass each to cb.  Returns the number of records.  Safe to call at any
 * time (e.g. before each NFLOG batch, since records precede their
 * packets).  Records come in the order each CPU wrote them; CPUs are not
 * merged by time.
 */
int trace_drain(struct trace *t,
		void (*cb)(const struct trace_record *r, void *arg), void *arg);

#endif
