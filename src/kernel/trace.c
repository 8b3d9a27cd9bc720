/* trace: the tcp:tcp_send_reset tracepoint read through perf_event_open. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "trace.h"

#define TRACE_FMT_MAX (64 * 1024)
#define TRACE_CPUS_MAX 4096
/* Data pages per CPU: all CPUs together stay near 1 MiB of locked memory. */
#define TRACE_PAGES_TOTAL 256
#define TRACE_PAGES_MAX 64
#define TRACE_PAGES_MIN 2
/* A record is copied out whole up to this; ours take 120 bytes. */
#define TRACE_COPY_MAX 1024
/* Sample body: u32 pid, tid; u64 time; u32 raw size; raw bytes. */
#define TRACE_SAMPLE_FIXED (sizeof(struct perf_event_header) + 20)

static const char *const trace_roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

#define TRACE_EVENT_DIR "events/tcp/tcp_send_reset"

static int trace_fail(char *err, size_t errlen, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int trace_fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	errno = e;
	return -1;
}

/* Whole small file into buf, NUL-terminated; -1 + errno. */
static int read_small(const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		if (len + 1 >= cap) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	buf[len] = '\0';
	return 0;
}

/* The format file under any tracefs root; -1 + errno, *mounted set. */
static int trace_find_format(char *buf, size_t cap, bool *mounted)
{
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(trace_roots) / sizeof(trace_roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", trace_roots[i]);
		if (access(path, F_OK) == 0)
			*mounted = true;
		snprintf(path, sizeof(path), "%s/" TRACE_EVENT_DIR "/format",
			 trace_roots[i]);
		if (read_small(path, buf, cap) == 0)
			return 0;
		if (errno != ENOENT)
			return -1;
	}
	errno = ENOENT;
	return -1;
}

static int trace_read_format(char *buf, size_t cap, char *err, size_t errlen)
{
	bool mounted = false;
	int tries;

	/*
	 * Not mounted: mount it once ourselves (we are root until the
	 * privilege drop).  `ip netns exec` gives its command a fresh /sys
	 * in a private mount namespace, without tracefs; the mount then
	 * stays in that namespace.
	 */
	for (tries = 0; tries < 2; tries++) {
		if (trace_find_format(buf, cap, &mounted) == 0)
			return 0;
		if (errno != ENOENT)
			return trace_fail(err, errlen, errno, "%s: %s",
					  "tracefs", strerror(errno));
		if (mounted ||
		    mount("nodev", trace_roots[0], "tracefs", 0, NULL) < 0)
			break;
	}
	if (!mounted)
		return trace_fail(err, errlen, ENOENT,
				  "tracefs is not mounted (mount -t tracefs "
				  "nodev /sys/kernel/tracing)");
	return trace_fail(err, errlen, ENOENT,
			  "the kernel has no tcp:tcp_send_reset tracepoint");
}

/* Online CPU ids ("0-3,8-11"); the count, or -1 + errno. */
static int cpus_online(int **out)
{
	char buf[4096];
	int *cpus, n = 0, pass, a, b;
	const char *p;
	char *end;

	if (read_small("/sys/devices/system/cpu/online", buf, sizeof(buf)) < 0)
		return -1;
	cpus = NULL;
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		for (p = buf; *p && *p != '\n';) {
			a = (int)strtol(p, &end, 10);
			if (end == p || a < 0)
				goto bad;
			b = a;
			if (*end == '-') {
				p = end + 1;
				b = (int)strtol(p, &end, 10);
				if (end == p || b < a)
					goto bad;
			}
			for (; a <= b; a++, n++) {
				if (n >= TRACE_CPUS_MAX)
					goto bad;
				if (cpus)
					cpus[n] = a;
			}
			p = end;
			if (*p == ',')
				p++;
		}
		if (n == 0)
			goto bad;
		if (!cpus) {
			cpus = calloc((size_t)n, sizeof(*cpus));
			if (!cpus)
				return -1;
		}
	}
	*out = cpus;
	return n;
bad:
	free(cpus);
	errno = EINVAL;
	return -1;
}

static int perf_open(uint32_t id, int cpu, size_t wakeup_bytes, bool namespaces)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = id;
	a.sample_period = 1;
	a.sample_type = PERF_SAMPLE_RAW | PERF_SAMPLE_TID | PERF_SAMPLE_TIME;
	a.disabled = 1;
	a.use_clockid = 1;
	a.clockid = CLOCK_MONOTONIC;
	/* Side-band records of every task on the CPU: exec and rename
	 * (COMM) and fork, to name actors that are gone by the time we
	 * could read /proc. */
	a.comm = 1;
	a.comm_exec = 1;
	a.task = 1;
	a.namespaces = namespaces;
	/* ...each ending with pid, tid and time (sample_type's TID|TIME),
	 * to apply them in time order across the per-CPU rings. */
	a.sample_id_all = 1;
	/*
	 * The loop drains before each NFLOG batch anyway (records precede
	 * their packets); the fd only has to wake it before a ring fills,
	 * e.g. with resets of other network namespaces that NFLOG never
	 * shows.  Waking per record would cost a wakeup per reset.
	 */
	a.watermark = 1;
	a.wakeup_watermark = (uint32_t)wakeup_bytes;
	return (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static void trace_close_cpus(struct trace *t)
{
	int i;

	for (i = 0; i < t->ncpus; i++) {
		if (t->rings && t->rings[i]) {
			munmap(t->rings[i], t->page + t->ring_len);
			t->rings[i] = NULL;
		}
		if (t->cpu_fds && t->cpu_fds[i] >= 0) {
			close(t->cpu_fds[i]);
			t->cpu_fds[i] = -1;
		}
	}
	t->ring = NULL;
}

/* Open and map every CPU with rings of `pages` data pages; undone on error. */
static int trace_open_cpus(struct trace *t, const int *cpus, size_t pages,
			   char *err, size_t errlen)
{
	struct epoll_event ev;
	void *m;
	int i, e;

	t->ring_len = pages * t->page;
	for (i = 0; i < t->ncpus; i++) {
		t->cpu_fds[i] = perf_open(t->lay.type_id, cpus[i],
					  t->ring_len / 4, t->has_netns);
		/* Namespace records need CAP_PERFMON or CAP_SYS_ADMIN (or
		 * a kernel that has them): without, /proc answers alone. */
		if (t->cpu_fds[i] < 0 && t->has_netns && i == 0 &&
		    (errno == EACCES || errno == EPERM || errno == EINVAL)) {
			t->has_netns = false;
			t->cpu_fds[i] = perf_open(t->lay.type_id, cpus[i],
						  t->ring_len / 4, false);
		}
		if (t->cpu_fds[i] < 0) {
			e = errno;
			trace_close_cpus(t);
			return trace_fail(err, errlen, e,
					  "perf_event_open on CPU %d: %s%s",
					  cpus[i], strerror(e),
					  e == EACCES || e == EPERM ?
						  " (needs CAP_PERFMON)" :
						  "");
		}
		m = mmap(NULL, t->page + t->ring_len, PROT_READ | PROT_WRITE,
			 MAP_SHARED, t->cpu_fds[i], 0);
		if (m == MAP_FAILED) {
			e = errno;
			trace_close_cpus(t);
			return trace_fail(err, errlen, e,
					  "mmap of a %zu KiB ring: %s",
					  t->ring_len / 1024, strerror(e));
		}
		t->rings[i] = m;
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(t->fd, EPOLL_CTL_ADD, t->cpu_fds[i], &ev) < 0) {
			e = errno;
			trace_close_cpus(t);
			return trace_fail(err, errlen, e, "epoll_ctl: %s",
					  strerror(e));
		}
	}
	t->ring = t->rings[0];
	return 0;
}

int trace_open(struct trace *t, bool use_reason, char *err, size_t errlen)
{
	char *fmt;
	int *cpus = NULL;
	size_t pages;
	long page;
	int n, i, e, r;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	fmt = malloc(TRACE_FMT_MAX);
	if (!fmt)
		return trace_fail(err, errlen, ENOMEM, "out of memory");
	r = trace_read_format(fmt, TRACE_FMT_MAX, err, errlen);
	if (r == 0)
		r = tracefmt_parse(&t->lay, fmt, err, errlen);
	e = errno;
	free(fmt);
	if (r < 0) {
		errno = e;
		return -1;
	}
	if (t->lay.raw_min + TRACE_SAMPLE_FIXED > TRACE_COPY_MAX)
		return trace_fail(err, errlen, ENOENT,
				  "tcp:tcp_send_reset: record too large");
	if (tracefmt_has_reason(&t->lay) && use_reason)
		t->mode = TRACE_MODE_REASON;
	else
		t->mode = TRACE_MODE_ACTOR_ONLY;
	t->as_before_reason = tracefmt_has_reason(&t->lay) && !use_reason;

	n = cpus_online(&cpus);
	if (n < 0)
		return trace_fail(err, errlen, errno,
				  "/sys/devices/system/cpu/online: %s",
				  strerror(errno));
	page = sysconf(_SC_PAGESIZE);
	t->page = page > 0 ? (size_t)page : 4096;
	t->cpu_fds = calloc((size_t)n, sizeof(*t->cpu_fds));
	t->rings = calloc((size_t)n, sizeof(*t->rings));
	if (!t->cpu_fds || !t->rings) {
		r = trace_fail(err, errlen, ENOMEM, "out of memory");
		goto out;
	}
	t->ncpus = n;
	for (i = 0; i < n; i++)
		t->cpu_fds[i] = -1;
	t->fd = epoll_create1(EPOLL_CLOEXEC);
	if (t->fd < 0) {
		r = trace_fail(err, errlen, errno, "epoll_create1: %s",
			       strerror(errno));
		goto out;
	}

	/* A power of two per CPU, smaller with many CPUs. */
	for (pages = TRACE_PAGES_MAX;
	     pages > TRACE_PAGES_MIN && pages * (size_t)n > TRACE_PAGES_TOTAL;)
		pages /= 2;
	t->has_netns = true;
	/* Over the locked-memory limit (no CAP_IPC_LOCK): try smaller. */
	while ((r = trace_open_cpus(t, cpus, pages, err, errlen)) < 0 &&
	       errno == EPERM && pages > TRACE_PAGES_MIN)
		pages /= 2;
	if (r == 0 && trace_enable(t, true) < 0)
		r = trace_fail(err, errlen, errno, "PERF_EVENT_IOC_ENABLE: %s",
			       strerror(errno));
out:
	e = errno;
	free(cpus);
	if (r < 0) {
		trace_close(t);
		errno = e;
	}
	return r;
}

void trace_close(struct trace *t)
{
	/* Zeroed struct: nothing was opened (fd 0 is not ours). */
	if (t->cpu_fds || t->rings) {
		trace_close_cpus(t);
		if (t->fd >= 0)
			close(t->fd);
	}
	free(t->cpu_fds);
	free(t->rings);
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

int trace_enable(struct trace *t, bool on)
{
	unsigned long req = on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE;
	int i;

	if (!t->cpu_fds) {
		errno = EBADF;
		return -1;
	}
	for (i = 0; i < t->ncpus; i++)
		if (ioctl(t->cpu_fds[i], req, 0) < 0)
			return -1;
	t->enabled = on;
	return 0;
}

/* One PERF_RECORD_SAMPLE: len bytes copied out of size in the ring.
 * Returns 1 for a record, 0 for one dropped on purpose, -1 if malformed. */
static int trace_sample(struct trace *t, const uint8_t *p, size_t len,
			size_t size, struct trace_record *r)
{
	uint32_t pid, tid, raw_size;

	if (len < TRACE_SAMPLE_FIXED)
		return -1;
	memcpy(&pid, p + 8, 4);
	memcpy(&tid, p + 12, 4);
	memcpy(&r->mono_ns, p + 16, 8);
	memcpy(&raw_size, p + 24, 4);
	if (raw_size > size - TRACE_SAMPLE_FIXED)
		return -1;
	if (raw_size > len - TRACE_SAMPLE_FIXED)
		raw_size = (uint32_t)(len - TRACE_SAMPLE_FIXED);
	if (tracefmt_decode(&t->lay, p + TRACE_SAMPLE_FIXED, raw_size, r) < 0)
		return -1;
	if (t->mode != TRACE_MODE_REASON)
		r->reason = KREASON_NONE;
	if (t->as_before_reason && !r->full_socket) {
		t->not_full++;
		return 0;
	}
	/* In interrupt context the sample names whoever was interrupted. */
	if (r->in_task) {
		r->pid = pid;
		r->tid = tid;
	}
	return 1;
}

/* len bytes at ring position pos, across the end of the ring if need be. */
static void ring_copy(const uint8_t *data, size_t size, uint64_t pos, void *dst,
		      size_t len)
{
	size_t off = (size_t)(pos & (size - 1)), first = size - off;

	if (first >= len) {
		memcpy(dst, data + off, len);
	} else {
		memcpy(dst, data + off, first);
		memcpy((uint8_t *)dst + first, data, len - first);
	}
}

static struct trace_comm *comm_slot(struct trace *t, uint32_t pid)
{
	return &t->comms[pid % (sizeof(t->comms) / sizeof(t->comms[0]))];
}

const char *trace_comm(const struct trace *t, uint32_t pid)
{
	const struct trace_comm *c =
		&t->comms[pid % (sizeof(t->comms) / sizeof(t->comms[0]))];

	return pid != 0 && c->pid == pid && c->comm[0] ? c->comm : NULL;
}

/* PERF_RECORD_COMM: header, u32 pid, u32 tid, char comm[] (NUL-padded). */
static void trace_note_comm(struct trace *t, const uint8_t *rec, size_t len)
{
	struct trace_comm *c;
	uint32_t pid, tid;
	uint64_t time;
	size_t n;

	if (len < sizeof(struct perf_event_header) + 8 + 8 + 16)
		return;
	memcpy(&pid, rec + 8, 4);
	memcpy(&tid, rec + 12, 4);
	/* A thread renaming itself does not rename its process. */
	if (pid != tid)
		return;
	c = comm_slot(t, pid);
	/* The trailer (sample_id_all): u32 pid, u32 tid, u64 time. */
	memcpy(&time, rec + len - 8, 8);
	if (c->pid == pid && time < c->time)
		return; /* an older name, from another CPU's ring */
	n = strnlen((const char *)rec + 16, len - 16 - 16);
	if (n >= sizeof(c->comm))
		n = sizeof(c->comm) - 1;
	c->pid = pid;
	c->time = time;
	memcpy(c->comm, rec + 16, n);
	c->comm[n] = '\0';
}

bool trace_task_netns(const struct trace *t, uint32_t tid, uint64_t *ino)
{
	const struct trace_netns *n =
		&t->netns[tid % (sizeof(t->netns) / sizeof(t->netns[0]))];

	if (tid == 0 || n->tid != tid)
		return false;
	*ino = n->ino;
	return true;
}

/*
 * PERF_RECORD_NAMESPACES: header, u32 pid, u32 tid, u64 nr, then nr
 * { u64 dev, inode } (the network namespace first), then the trailer.
 */
static void trace_note_namespaces(struct trace *t, const uint8_t *rec,
				  size_t len)
{
	struct trace_netns *n;
	uint64_t nr, time;
	uint32_t tid;

	if (len < sizeof(struct perf_event_header) + 16 + 16 + 16)
		return;
	memcpy(&tid, rec + 12, 4);
	memcpy(&nr, rec + 16, 8);
	if (nr <= NET_NS_INDEX || nr > 64 ||
	    len < sizeof(struct perf_event_header) + 16 + nr * 16 + 16)
		return;
	memcpy(&time, rec + len - 8, 8);
	n = &t->netns[tid % (sizeof(t->netns) / sizeof(t->netns[0]))];
	if (n->tid == tid && time < n->time)
		return; /* an older one, from another CPU's ring */
	n->tid = tid;
	n->time = time;
	memcpy(&n->ino, rec + 16 + 8 + NET_NS_INDEX * 16 + 8, 8);
}

/* PERF_RECORD_FORK: header, u32 pid, ppid, tid, ptid; a new process
 * starts with its parent's name. */
static void trace_note_fork(struct trace *t, const uint8_t *rec, size_t len)
{
	uint32_t pid, ppid, tid;
	uint64_t time;
	const char *parent;
	struct trace_comm *c;

	if (len < sizeof(struct perf_event_header) + 24)
		return;
	memcpy(&pid, rec + 8, 4);
	memcpy(&ppid, rec + 12, 4);
	memcpy(&tid, rec + 16, 4);
	if (pid != tid || pid == ppid)
		return;
	parent = trace_comm(t, ppid);
	c = comm_slot(t, pid);
	memcpy(&time, rec + 24, 8);
	if (c->pid == pid && time < c->time)
		return; /* its exec was seen already (another ring) */
	if (parent == NULL) {
		if (c->pid == pid)
			c->pid = 0; /* a stale name of a reused pid */
		return;
	}
	c->pid = pid;
	c->time = time;
	memcpy(c->comm, parent, sizeof(c->comm));
}

static int trace_drain_ring(struct trace *t, void *base,
			    void (*cb)(const struct trace_record *r, void *arg),
			    void *arg)
{
	struct perf_event_mmap_page *meta = base;
	const uint8_t *data = (const uint8_t *)base + t->page;
	uint64_t buf[TRACE_COPY_MAX / 8];
	struct perf_event_header h;
	struct trace_record r;
	uint64_t head, tail, lost;
	size_t len;
	int n = 0, ok;

	/* Pairs with the kernel's barrier before it publishes data_head. */
	head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	tail = meta->data_tail;
	if (head - tail > t->ring_len) {
		t->malformed++;
		tail = head;
	}
	while (tail != head) {
		if (head - tail < sizeof(h)) {
			t->malformed++;
			break;
		}
		ring_copy(data, t->ring_len, tail, &h, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail) {
			/* No way to find the next record: drop the rest. */
			t->malformed++;
			break;
		}
		len = h.size < sizeof(buf) ? h.size : sizeof(buf);
		ring_copy(data, t->ring_len, tail, buf, len);
		tail += h.size;
		if (h.type == PERF_RECORD_LOST) {
			if (len < 24) {
				t->malformed++;
				continue;
			}
			memcpy(&lost, (const uint8_t *)buf + 16, 8);
			t->lost += lost;
		} else if (h.type == PERF_RECORD_SAMPLE) {
			memset(&r, 0, sizeof(r));
			ok = trace_sample(t, (const uint8_t *)buf, len, h.size,
					  &r);
			if (ok <= 0) {
				t->malformed += ok < 0;
				continue;
			}
			t->records++;
			n++;
			cb(&r, arg);
		} else if (h.type == PERF_RECORD_COMM)
			trace_note_comm(t, (const uint8_t *)buf, len);
		else if (h.type == PERF_RECORD_FORK)
			trace_note_fork(t, (const uint8_t *)buf, len);
		else if (h.type == PERF_RECORD_NAMESPACES)
			trace_note_namespaces(t, (const uint8_t *)buf, len);
		/* Others (EXIT, THROTTLE…) carry nothing for us. */
	}
	/* Our reads are done before the kernel may reuse the space. */
	__atomic_store_n(&meta->data_tail, head, __ATOMIC_RELEASE);
	return n;
}

int trace_drain(struct trace *t,
		void (*cb)(const struct trace_record *r, void *arg), void *arg)
{
	int i, n = 0;

	if (!t->rings)
		return 0;
	for (i = 0; i < t->ncpus; i++)
		if (t->rings[i])
			n += trace_drain_ring(t, t->rings[i], cb, arg);
	return n;
}
