/*
 * fuzz_sockdiag: inet_diag answers (one received datagram) through the
 * callbacks sockdiag_run() hands to mnl_cb_run(), as a dump and as a
 * lookup, and each socket into the inventory as attrib.c's dump does.
 *
 * parse_msg() and msg_cb() are static and sockdiag_run() needs the
 * socket, so the file itself is compiled in here: the real functions,
 * not copies.  An exported sockdiag_input(buf, len, seq, portid, ctx),
 * like capture_input(), would make this include unnecessary.
 */
#include "nlcheck.h"
#include "../../src/kernel/sockdiag.c"

#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Connection slots filled by one input, to undo them cheaply. */
#define TOUCHED_MAX 4096

static struct inventory *inv;
static struct conn *touched[TOUCHED_MAX];
static unsigned int ntouched;
static bool touched_overflow;
static uint64_t fuzz_now_ms = 1000000;

/*
 * inventory_init() clears 2.5 MB: far too slow per input.  Undo what
 * one input did instead, which leaves the same state (checked once in
 * a while against a fresh inventory while fuzzing).
 */
static void inventory_undo(void)
{
	unsigned int i;

	if (touched_overflow || inv->nls > INV_LISTENERS / 2) {
		inventory_init(inv);
	} else {
		for (i = 0; i < inv->nls; i++)
			inv->port_head[inv->ls[i].port] = -1;
		memset(inv->ls, 0, inv->nls * sizeof(inv->ls[0]));
		for (i = 0; i < ntouched; i++) {
			inv->conn_tag[touched[i] - inv->conns] = 0;
			memset(touched[i], 0, sizeof(*touched[i]));
		}
		memset(inv->conn_ports, 0, sizeof(inv->conn_ports));
		inv->nls = 0;
		inv->nconns = 0;
		inv->gen = inv->conn_gen = 0;
		inv->listeners_dropped = inv->conns_evicted = 0;
	}
	ntouched = 0;
	touched_overflow = false;
}

static void check_sockinfo(const struct sockinfo *si)
{
	const struct listener *l;
	const struct conn *c;
	uint8_t fam = si->family, a[16], b[16];

	/* What attrib.c asks of the inventory for a reset on this tuple. */
	memcpy(a, si->src, 16);
	memcpy(b, si->dst, 16);
	inventory_unmap(&fam, a, b);
	l = inventory_listener(inv, fam, a, si->sport, false);
	if (l != NULL && l->port != si->sport)
		abort();
	(void)inventory_port_listening(inv, fam, si->sport);
	c = inventory_conn(inv, fam, a, si->sport, b, si->dport, fuzz_now_ms,
			   2000);
	if (c != NULL && (c->lport != si->sport || c->rport != si->dport))
		abort();
	(void)tcp_state_name(si->state);
}

/* on_listener() and on_conn() of attrib.c, less the /proc walk. */
static void on_sock(const struct sockinfo *si, void *arg)
{
	struct conn *c;

	(void)arg;
	if (si->state == TCPS_LISTEN) {
		inventory_listener_add(inv, si, fuzz_now_ms);
	} else {
		c = inventory_conn_add(inv, si, fuzz_now_ms);
		if (ntouched < TOUCHED_MAX)
			touched[ntouched++] = c;
		else
			touched_overflow = true;
	}
	check_sockinfo(si);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned long runs;
	struct dump_ctx dump = { on_sock, NULL, NULL, 0 };
	struct sockinfo one;
	struct dump_ctx lookup = { NULL, NULL, &one, 0 };
	uint8_t *copy;

	if (inv == NULL) {
		inv = malloc(sizeof(*inv));
		if (inv == NULL)
			abort();
		inventory_init(inv);
	}
	/* The kernel pads each message to 4 bytes and sockdiag's buffer
	 * holds any datagram: see fuzz_nflog.c. */
	/* As sockdiag_run() does before mnl_cb_run(). */
	if (!nl_datagram_ok(data, size))
		return 0;
	copy = calloc(1, MNL_ALIGN(size) ? MNL_ALIGN(size) : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);

	/* seq and portid 0: every message is ours, as with the kernel's
	 * answers to our own requests. */
	inventory_listeners_begin(inv);
	mnl_cb_run(copy, size, 0, 0, msg_cb, &dump);
	inventory_listeners_end(inv, fuzz_now_ms + 1, 1700000000);
	inventory_conns_end(inv);
	if (dump.count < 0 || (size_t)dump.count > size / MNL_NLMSG_HDRLEN)
		abort();

	memset(&one, 0xa5, sizeof(one));
	if (mnl_cb_run(copy, size, 0, 0, msg_cb, &lookup) >= 0 &&
	    lookup.count > 0) {
		/* A lookup's answer feeds the same inventory. */
		on_sock(&one, NULL);
	}
	free(copy);

	inventory_undo();
	/* The undo must leave what inventory_init() leaves. */
	if (++runs % 4096 == 0) {
		struct inventory *fresh = malloc(sizeof(*fresh));

		if (fresh == NULL)
			abort();
		inventory_init(fresh);
		if (memcmp(fresh, inv, sizeof(*inv)) != 0)
			abort();
		free(fresh);
	}
	return 0;
}
