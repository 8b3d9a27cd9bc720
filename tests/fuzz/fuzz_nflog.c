/* fuzz_nflog: whole NFLOG datagrams through capture_input(), as
 * capture_drain() hands each one received, and every event it yields
 * through events_line(), whose line must be valid JSON. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>

#include "capture.h"
#include "events.h"

#include "jansson_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct timespec fuzz_now = { 1700000000, 0 };

static struct capture cap;

/* What the daemon does first with a batch: one JSON line per event. */
static void on_event(const struct rst_event *evs, unsigned int n, void *arg)
{
	struct event_extra x = { "eth0", NULL };
	char line[EVENTS_LINE_MAX];
	unsigned int i;
	size_t len;

	(void)arg;
	if (n == 0 || n > CAPTURE_MAX_BATCH)
		abort();
	for (i = 0; i < n; i++) {
		if (evs[i].family != AF_INET && evs[i].family != AF_INET6)
			abort();
		if (!(evs[i].tcp_flags & TCPF_RST))
			abort();
		len = events_line(line, &evs[i], i % 2 ? &x : NULL);
		if (len == 0 || len >= sizeof(line) || line[len] != '\0')
			abort();
		/* A few per batch: jansson's allocations would otherwise
		 * take most of the time. */
		if (i < 4)
			jansson_require_valid(line, len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	uint64_t before;
	uint8_t *copy;

	if (!ready) {
		/* capture_open() without the socket: what capture_input()
		 * uses.  portid 0 accepts every sender, as the kernel's
		 * messages (pid 0) are. */
		memset(&cap, 0, sizeof(cap));
		seqtrack_init(&cap.seq);
		cap.on_event = on_event;
		cap.batch = calloc(CAPTURE_MAX_BATCH, sizeof(*cap.batch));
		if (cap.batch == NULL)
			abort();
		ready = 1;
	}
	/*
	 * The daemon's buffer is 4-byte aligned and larger than any
	 * datagram, and the kernel pads every message to 4 bytes: libmnl
	 * reads attributes up to the aligned end of nlmsg_len.  A copy of
	 * exactly MNL_ALIGN(size) bytes keeps ASan's eye on the rest.
	 */
	copy = calloc(1, MNL_ALIGN(size) ? MNL_ALIGN(size) : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	seqtrack_init(&cap.seq);
	before = cap.events;
	capture_input(&cap, copy, size, &fuzz_now, 42);
	if (cap.nbatch != 0)
		abort();
	/* Every event counted was handed on; counters stay consistent. */
	if (cap.events - before > size / MNL_NLMSG_HDRLEN)
		abort();
	free(copy);
	return 0;
}
