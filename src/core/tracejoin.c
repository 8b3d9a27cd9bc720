/* tracejoin: pure — match NFLOG events with tracepoint records. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tracejoin.h"

#define NIL 0xffffu
#define SLOT_MASK (TRACEJOIN_SLOTS - 1u)

_Static_assert((TRACEJOIN_SLOTS & SLOT_MASK) == 0 && TRACEJOIN_SLOTS < NIL,
	       "slots: a power of two that fits the uint16_t chains");

static unsigned int port_bucket(uint16_t port)
{
	/* Fibonacci hashing: neighbouring ports land in distant buckets. */
	return ((uint32_t)port * 2654435761u) >> (32 - TRACEJOIN_BUCKET_BITS);
}

static void chain_link(struct tracejoin *j, unsigned int i)
{
	unsigned int b = port_bucket(j->rec[i].sport);
	uint16_t first = j->bucket[b];

	j->next[i] = first;
	j->prev[i] = NIL;
	if (first != NIL)
		j->prev[first] = (uint16_t)i;
	j->bucket[b] = (uint16_t)i;
	j->used[i] = true;
}

/* The slot stays in the window as a hole until the tail passes it. */
static void chain_unlink(struct tracejoin *j, unsigned int i)
{
	unsigned int b = port_bucket(j->rec[i].sport);

	if (j->prev[i] != NIL)
		j->next[j->prev[i]] = j->next[i];
	else
		j->bucket[b] = j->next[i];
	if (j->next[i] != NIL)
		j->prev[j->next[i]] = j->prev[i];
	j->used[i] = false;
}

static bool too_old(const struct tracejoin *j, uint64_t t)
{
	return j->newest_ns > j->max_age_ns && t < j->newest_ns - j->max_age_ns;
}

static void see_time(struct tracejoin *j, uint64_t t)
{
	if (t > j->newest_ns)
		j->newest_ns = t;
}

/*
 * Drop holes and too old records at the tail.  Records arrive nearly in
 * time order (one ring per CPU), so an old record behind a newer one
 * waits here; take() refuses it meanwhile.
 */
static void trim_tail(struct tracejoin *j)
{
	unsigned int i;

	while (j->count > 0) {
		i = (j->head - j->count) & SLOT_MASK;
		if (j->used[i]) {
			if (!too_old(j, j->rec[i].mono_ns))
				break;
			chain_unlink(j, i);
			j->expired++;
		}
		j->count--;
	}
}

/* What an all-zero join lacks to be empty: no bucket has a chain. */
static void tracejoin_start(struct tracejoin *j, uint64_t max_age_ns)
{
	memset(j->bucket, 0xff, sizeof(j->bucket));
	j->max_age_ns = max_age_ns;
}

void tracejoin_init(struct tracejoin *j, uint64_t max_age_ns)
{
	memset(j, 0, sizeof(*j));
	tracejoin_start(j, max_age_ns);
}

struct tracejoin *tracejoin_new(uint64_t max_age_ns)
{
	/* calloc: records' pages stay out of the RSS until used. */
	struct tracejoin *j = calloc(1, sizeof(*j));

	if (j != NULL)
		tracejoin_start(j, max_age_ns);
	return j;
}

void tracejoin_add(struct tracejoin *j, const struct trace_record *r)
{
	unsigned int i;

	see_time(j, r->mono_ns);
	trim_tail(j);
	if (j->count == TRACEJOIN_SLOTS) {
		/* Full of live records: the oldest goes unjoined. */
		i = (j->head - j->count) & SLOT_MASK;
		if (j->used[i]) {
			chain_unlink(j, i);
			j->expired++;
		}
		j->count--;
	}
	i = j->head;
	j->rec[i] = *r;
	chain_link(j, i);
	j->head = (j->head + 1) & SLOT_MASK;
	j->count++;
}

static bool is_zero(const uint8_t *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

/* Record address (rfam) against event address (efam). */
static bool addr_eq(uint8_t rfam, const uint8_t *ra, uint8_t efam,
		    const uint8_t *ea)
{
	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (rfam == efam)
		return memcmp(ra, ea, efam == AF_INET ? 4 : 16) == 0;
	/* A dual-stack socket shows IPv4 addresses as ::ffff:a.b.c.d. */
	if (rfam == AF_INET6 && efam == AF_INET)
		return memcmp(ra, v4mapped, 12) == 0 &&
		       memcmp(ra + 12, ea, 4) == 0;
	return false;
}

static bool addr_any(uint8_t fam, const uint8_t *a)
{
	return is_zero(a, fam == AF_INET ? 4 : 16);
}

static bool fam_ok(const struct trace_record *r, const struct rst_event *ev)
{
	if (ev->family != AF_INET && ev->family != AF_INET6)
		return false;
	return r->family == ev->family ||
	       (r->family == AF_INET6 && ev->family == AF_INET);
}

static bool match_exact(const struct trace_record *r,
			const struct rst_event *ev)
{
	return r->dport == ev->rport &&
	       addr_eq(r->family, r->saddr, ev->family, ev->local) &&
	       addr_eq(r->family, r->daddr, ev->family, ev->remote);
}

/* Sent by a listener for its port: its bound address and a zero peer. */
static bool match_listener(const struct trace_record *r,
			   const struct rst_event *ev)
{
	return r->dport == 0 && addr_any(r->family, r->daddr) &&
	       (addr_any(r->family, r->saddr) ||
		addr_eq(r->family, r->saddr, ev->family, ev->local));
}

/* Is i older than best (NIL: none yet)?  Chains run newest first. */
static bool older(const struct tracejoin *j, unsigned int i, unsigned int best)
{
	return best == NIL || j->rec[i].mono_ns <= j->rec[best].mono_ns;
}

bool tracejoin_take(struct tracejoin *j, const struct rst_event *ev,
		    struct trace_record *out)
{
	unsigned int i, nx, exact = NIL, listener = NIL, pick;
	const struct trace_record *r;

	/* Both clocks are CLOCK_MONOTONIC: an event's time ages records too. */
	see_time(j, ev->mono_ns);
	trim_tail(j);
	for (i = j->bucket[port_bucket(ev->lport)]; i != NIL; i = nx) {
		nx = j->next[i];
		r = &j->rec[i];
		if (r->sport != ev->lport || r->mono_ns > ev->mono_ns ||
		    !fam_ok(r, ev))
			continue;
		if (too_old(j, r->mono_ns)) {
			chain_unlink(j, i);
			j->expired++;
			continue;
		}
		if (match_exact(r, ev)) {
			if (older(j, i, exact))
				exact = i;
		} else if (match_listener(r, ev)) {
			if (older(j, i, listener))
				listener = i;
		}
	}
	pick = exact != NIL ? exact : listener;
	if (pick == NIL)
		return false;
	*out = j->rec[pick];
	chain_unlink(j, pick);
	j->joined++;
	trim_tail(j);
	return true;
}
