/* det_scan: port_scan — one remote, many closed ports within a window. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addrfmt.h"
#include "detector.h"
#include "hash.h"

#define SCAN_SLOTS 4096 /* remotes followed */
#define SCAN_PROBES 8
#define SCAN_EXACT 32 /* ports counted exactly, then estimated */

struct scan_entry {
	bool used;
	bool hot; /* reached the threshold in this window */
	uint8_t family;
	uint8_t remote[16];
	uint64_t start_ms; /* of its current window */
	uint64_t last_ms;
	uint64_t bits[4];	    /* ports seen, hashed (linear counting) */
	uint16_t exact[SCAN_EXACT]; /* the first ports, counted exactly */
	uint8_t nexact;
	uint16_t first_port;
	uint16_t last_port;
	uint64_t resets;
};

struct scan_state {
	struct scan_entry slot[SCAN_SLOTS];
};

static uint64_t remote_hash(uint8_t family, const uint8_t *a)
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, a + 8, 8);
	return hash_pair(x ^ family, y);
}

static size_t alen(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

static bool scan_cause(enum cause c)
{
	/* What a probe of a port with nothing behind it gets. */
	return c == CAUSE_CLOSED_PORT || c == CAUSE_STRAY_SEGMENT ||
	       c == CAUSE_FIREWALL;
}

/* Distinct ports seen: exactly up to SCAN_EXACT (thresholds live there),
 * then by linear counting over 256 hashed bits. */
static uint32_t scan_ports(const struct scan_entry *s)
{
	int zero = 256, i;
	uint32_t est;

	if (s->nexact < SCAN_EXACT)
		return s->nexact;
	for (i = 0; i < 4; i++)
		zero -= __builtin_popcountll(s->bits[i]);
	if (zero == 0)
		return 1500; /* saturated: "very many" */
	est = (uint32_t)(256.0 * log(256.0 / zero) + 0.5);
	return est > SCAN_EXACT ? est : SCAN_EXACT;
}

static void scan_note_port(struct scan_entry *s, uint16_t port)
{
	uint64_t bit = hash_u64(port) & 255;
	unsigned int i;

	s->bits[bit / 64] |= 1ull << (bit % 64);
	if (s->nexact >= SCAN_EXACT)
		return;
	for (i = 0; i < s->nexact; i++)
		if (s->exact[i] == port)
			return;
	s->exact[s->nexact++] = port;
}

/*
 * The entry of this remote, or a new one.  When the probed slots are full
 * the weakest goes (fewest ports, then the stalest), so a spoofed flood of
 * one-port sources cannot push a real scanner out.
 */
static struct scan_entry *scan_slot(struct scan_state *st, uint8_t family,
				    const uint8_t *remote)
{
	uint64_t h = remote_hash(family, remote);
	struct scan_entry *s, *victim = NULL;
	uint32_t vports = 0, ports;
	int i;

	for (i = 0; i < SCAN_PROBES; i++) {
		s = &st->slot[(h + (uint64_t)i) % SCAN_SLOTS];
		if (s->used && s->family == family &&
		    memcmp(s->remote, remote, alen(family)) == 0)
			return s;
		if (!s->used) {
			if (victim == NULL || victim->used)
				victim = s;
			continue;
		}
		if (victim != NULL && !victim->used)
			continue;
		ports = scan_ports(s);
		if (victim == NULL || ports < vports ||
		    (ports == vports && s->last_ms < victim->last_ms)) {
			victim = s;
			vports = ports;
		}
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->family = family;
	memcpy(victim->remote, remote, alen(family));
	return victim;
}

static bool scan_event(void *state, const struct detect_event *e, bool claimed,
		       struct detect_ctx *c)
{
	struct scan_state *st = state;
	struct scan_entry *s;
	uint64_t now_ms = c->now_ms;

	(void)claimed; /* claims for sure: asked first */
	if (!scan_cause(e->cause))
		return false;
	s = scan_slot(st, e->family, e->remote);
	/* A new entry (not start_ms 0: time 0 is a time like any other). */
	if (s->resets == 0 ||
	    now_ms - s->start_ms > c->p->scan_window_s * 1000ull) {
		memset(s->bits, 0, sizeof(s->bits));
		s->nexact = 0;
		s->start_ms = now_ms;
		s->first_port = e->lport;
		s->resets = 0;
		s->hot = false;
	}
	scan_note_port(s, e->lport);
	s->last_port = e->lport;
	s->last_ms = now_ms;
	s->resets++;
	if (s->hot)
		return true;
	if (scan_ports(s) < c->p->scan_ports)
		return false;
	/* A scan now: what it sent before is the scan's too (taken back
	 * from this second's generic count, as far as it holds it). */
	s->hot = true;
	claim_pool_take(c->pool, now_ms / 1000, s->resets - 1);
	return true;
}

static void scan_tick(void *state, struct detect_ctx *c)
{
	struct scan_state *st = state;
	char addr[ADDRFMT_LEN];
	struct alert a;
	double secs;
	int i;

	for (i = 0; i < SCAN_SLOTS; i++) {
		struct scan_entry *s = &st->slot[i];

		if (!s->used ||
		    c->now_ms - s->start_ms > c->p->scan_window_s * 1000ull ||
		    scan_ports(s) < c->p->scan_ports)
			continue;
		memset(&a, 0, sizeof(a));
		a.type = ALERT_PORT_SCAN;
		a.severity = SEV_WARNING;
		snprintf(a.key, sizeof(a.key), "%s",
			 addrfmt_str(s->family, s->remote, addr));
		a.ev.scan.family = s->family;
		memcpy(a.ev.scan.remote, s->remote, 16);
		a.ev.scan.ports = scan_ports(s);
		a.ev.scan.first_port = s->first_port;
		a.ev.scan.last_port = s->last_port;
		a.ev.scan.resets = s->resets;
		secs = (double)(c->now_ms - s->start_ms) / 1000.0;
		a.ev.scan.rate = (double)s->resets / (secs < 1 ? 1 : secs);
		c->alert_on(c->lc, &a);
	}
}

const struct detector_ops det_scan = {
	.type = ALERT_PORT_SCAN,
	.state_size = sizeof(struct scan_state),
	.burst = false,
	.event = scan_event,
	.tick = scan_tick,
};
