/*
 * fuzz_trace: perf ring contents (samples of tcp:tcp_send_reset and the
 * COMM, FORK, NAMESPACES, LOST records around them) through
 * trace_drain(), over a ring in memory laid out as the kernel maps it:
 * a metadata page, then a power-of-two data area.  Input: u16 position
 * of the first record in the ring (records may wrap), u16 tracepoint id
 * (its low two bits also pick the layout: 6.18, 5.10, 4.19 or with a
 * family field, tests/unit/core/tracefmt_fixtures.h), then the records as the
 * ring holds them.  The layouts come from tracefmt_parse() on the format
 * files; odd ids read the records as --kernel-trace=actor-only does.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/perf_event.h>

#include "trace.h"
#include "../unit/core/tracefmt_fixtures.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGE 4096

static struct trace t;
static struct trace_layout layouts[4];
static bool parsed;

static void on_record(const struct trace_record *r, void *arg)
{
	const char *comm;
	uint64_t ino;

	(void)arg;
	if (r->family != AF_INET && r->family != AF_INET6)
		abort();
	if ((unsigned int)r->reason >= KREASON_MAX)
		abort();
	/* actor-only: never a reason; as before 6.10: full sockets only. */
	if (t.mode != TRACE_MODE_REASON && r->reason != KREASON_NONE)
		abort();
	if (t.as_before_reason && !r->full_socket)
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

static void layouts_init(void)
{
	const char *fmts[4] = { FMT_6_18, FMT_5_10, FMT_4_19, FMT_FAMILY };
	char err[128];
	int i;

	for (i = 0; i < 4; i++)
		if (tracefmt_parse(&layouts[i], fmts[i], err, sizeof(err)) < 0)
			abort();
	parsed = true;
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
	if (!parsed)
		layouts_init();
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

	memset(&t, 0, sizeof(t));
	t.lay = layouts[data[2] & 3];
	t.lay.type_id = (uint32_t)(data[2] | data[3] << 8);
	t.mode = tracefmt_has_reason(&t.lay) && !(data[2] & 4) ?
			 TRACE_MODE_REASON :
			 TRACE_MODE_ACTOR_ONLY;
	t.as_before_reason = tracefmt_has_reason(&t.lay) && (data[2] & 4);
	t.fd = -1;
	t.enabled = true;
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
	if (records + t.malformed + t.not_full >
	    len / sizeof(struct perf_event_header) + 1)
		abort();
	t.rings = NULL;
	free(base);
	return 0;
}
