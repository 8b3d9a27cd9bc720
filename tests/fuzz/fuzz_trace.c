/*
 * fuzz_trace: perf ring contents (samples of tcp:tcp_send_reset and the
 * COMM, FORK, NAMESPACES, LOST records around them) through
 * trace_drain(), over a ring in memory laid out as the kernel maps it:
 * a metadata page, then a power-of-two data area.  Input: u16 position
 * of the first record in the ring (records may wrap), u16 tracepoint id,
 * then the records as the ring holds them.
 *
 * The field layout is the one trace_parse_format() reads from the
 * kernel's format file (6.18, tests/fuzz/README.md).  That parser is
 * static and trace_open() needs tracefs and perf_event_open(), so it is
 * not fuzzed here.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/perf_event.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGE 4096

/* __print_symbolic(REC->reason, …) of the format file, in order. */
static const char *const reasons[] = {
	"NOT_SPECIFIED", "NO_SOCKET", "TCP_INVALID_ACK_SEQUENCE",
	"TCP_RFC7323_PAWS", "TCP_TOO_OLD_ACK", "TCP_ACK_UNSENT_DATA",
	"TCP_FLAGS", "TCP_OLD_ACK", "TCP_ABORT_ON_DATA",
	"TCP_TIMEWAIT_SOCKET", "INVALID_SYN", "TCP_ABORT_ON_CLOSE",
	"TCP_ABORT_ON_LINGER", "TCP_ABORT_ON_MEMORY", "TCP_STATE",
	"TCP_KEEPALIVE_TIMEOUT", "TCP_DISCONNECT_WITH_DATA",
	"MPTCP_RST_EUNSPEC", "MPTCP_RST_EMPTCP", "MPTCP_RST_ERESOURCE",
	"MPTCP_RST_EPROHIBIT", "MPTCP_RST_EWQ2BIG", "MPTCP_RST_EBADPERF",
	"MPTCP_RST_EMIDDLEBOX", "ERROR", "MAX",
};

static struct trace t;
static struct trace layout;

static void on_record(const struct trace_record *r, void *arg)
{
	const char *comm;
	uint64_t ino;

	(void)arg;
	if (r->family != AF_INET && r->family != AF_INET6)
		abort();
	if ((unsigned int)r->reason >= KREASON_MAX)
		abort();
	if (!r->in_task && (r->pid != 0 || r->tid != 0))
		abort();
	/* What attrib.c asks next about the actor. */
	comm = trace_comm(&t, r->pid);
	if (comm != NULL && strnlen(comm, 16) == 16)
		abort();
	(void)trace_task_netns(&t, r->tid, &ino);
	(void)kreason_name(r->reason);
}

/* What trace_parse_format() finds in this kernel's format file. */
static void layout_init(void)
{
	size_t i;

	layout.off_type = 0;
	layout.off_flags = 2;
	layout.off_pc = 3;
	layout.off_state = 24;
	layout.sz_state = 4;
	layout.off_reason = 28;
	layout.sz_reason = 4;
	layout.off_saddr = 32;
	layout.off_daddr = 60;
	layout.raw_min = 88;
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		layout.reason_map[i] = kreason_from_name(reasons[i]);
	layout.fd = -1;
	layout.enabled = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perf_event_mmap_page *meta;
	size_t len, ring_len, off, first;
	uint64_t tail, head, records;
	uint8_t *base;
	void *rings[1];

	if (size < 4)
		return 0;
	if (layout.raw_min == 0)
		layout_init();
	len = size - 4;
	for (ring_len = 64; ring_len < len; ring_len *= 2)
		;
	off = (size_t)(data[0] | data[1] << 8) & (ring_len - 1);

	/* Exactly the metadata page and the data area: ASan watches the
	 * rest.  Unused ring bytes are the kernel's stale data. */
	base = malloc(PAGE + ring_len);
	if (base == NULL)
		abort();
	memset(base, 0, PAGE);
	memset(base + PAGE, 0xa5, ring_len);
	first = ring_len - off < len ? ring_len - off : len;
	memcpy(base + PAGE + off, data + 4, first);
	memcpy(base + PAGE, data + 4 + first, len - first);
	/* Positions are free-running 64-bit counters. */
	tail = (3ull << 32) + ring_len * 5 + off;
	head = tail + len;
	meta = (struct perf_event_mmap_page *)(void *)base;
	meta->data_tail = tail;
	meta->data_head = head;

	t = layout;
	t.type_id = (uint32_t)(data[2] | data[3] << 8);
	t.page = PAGE;
	t.ring_len = ring_len;
	t.ring = base;
	rings[0] = base;
	t.rings = rings;
	t.ncpus = 1;
	trace_drain(&t, on_record, NULL);
	if (meta->data_tail != head)
		abort();
	records = t.records;
	/* Every record is at least a header. */
	if (records + t.malformed > len / sizeof(struct perf_event_header) + 1)
		abort();
	t.rings = NULL;
	free(base);
	return 0;
}
