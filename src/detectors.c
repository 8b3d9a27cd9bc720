/* detectors: the six detectors of DESIGN.md — what each follows per reset
 * (bounded tables) and when its condition holds.  Pure. */
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "detect_int.h"
#include "events.h"
#include "hash.h"

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

/*
 * A burst (closed ports, one owner's aborts) on its way to an alert would
 * raise reset_rate first.  So once it is a quarter of the way to its
 * alert, or half-way to reset_rate's floor if that comes first, its
 * resets are held back from the generic rate.  If it becomes its alert,
 * they were the alert's (and what it let through before is taken back);
 * if it has not after a whole window, they are given back to the generic
 * rate: a burst that is no flood and no storm is the classic alert's.
 */
static uint64_t claim_at(const struct detect *d, uint32_t rate)
{
	uint64_t quarter = ((uint64_t)rate * WIN10 + 3) / 4;
	uint64_t half_floor = (uint64_t)d->p.rate_floor * WIN10 / 2;

	return half_floor > 0 && half_floor < quarter ? half_floor : quarter;
}

/* Give held resets back to the generic rate, in their own seconds. */
static void rate_giveback(struct detect *d, struct secring *held)
{
	unsigned int i;

	for (i = 0; i < WIN10; i++) {
		if (held[i].count > 0)
			secring_add(d->rate, RATE_RING, held[i].sec,
				    held[i].count);
		held[i].count = 0;
	}
}

/*
 * ...or, after a long hold, in the current second: the seconds they came
 * in have left the 10 s window meanwhile, and they must still count.
 */
static void rate_giveback_now(struct detect *d, struct secring *held,
			      uint64_t sec)
{
	unsigned int i;

	for (i = 0; i < WIN10; i++) {
		if (held[i].count > 0)
			secring_add(d->rate, RATE_RING, sec, held[i].count);
		held[i].count = 0;
	}
}

/* Held resets of a burst that became its alert: they stay claimed. */
static void held_keep(struct secring *held)
{
	unsigned int i;

	for (i = 0; i < WIN10; i++)
		held[i].count = 0;
}

/* After a tick: keep, give back, or go on holding. */
static void held_settle(struct detect *d, struct secring *held,
			uint64_t *held_ms, bool alert, uint64_t now_ms)
{
	if (alert) {
		held_keep(held);
		*held_ms = 0;
	} else if (*held_ms != 0 && now_ms - *held_ms >= WIN10 * 1000ull) {
		rate_giveback_now(d, held, now_ms / 1000);
		*held_ms = 0;
	}
}

/*
 * One more reset of a burst that may become an alert, n in its last 10 s
 * with this one.  Below the claim line it goes to the generic rate (and
 * is counted as let through, `freed`); from the line on it is held back
 * until the detector decides (held_settle, rate_unclaim).  True: held.
 */
static bool hold_or_free(struct detect *d, uint64_t n, uint64_t rate,
			 struct secring *freed, struct secring *held,
			 uint64_t *held_ms, uint64_t now_ms)
{
	uint64_t sec = now_ms / 1000;

	if (n < claim_at(d, rate)) {
		secring_add(freed, WIN10, sec, 1);
		return false;
	}
	secring_add(held, WIN10, sec, 1);
	if (*held_ms == 0)
		*held_ms = now_ms;
	return true;
}

/*
 * A burst became its alert: what it let through to the generic rate in
 * the last seconds (its `free` counts, exactly) is taken back.
 */
static void rate_unclaim(struct detect *d, struct secring *freed)
{
	unsigned int i;

	for (i = 0; i < WIN10; i++) {
		struct secring *f = &freed[i];
		struct secring *t = &d->rate[f->sec % RATE_RING];

		if (f->count > 0 && t->sec == f->sec)
			t->count -= f->count < t->count ? f->count : t->count;
		f->count = 0;
	}
}

/* --- port_scan: one remote, many closed ports ------------------------ */

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
		return 1500;	/* saturated: "very many" */
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
static struct scan_entry *scan_slot(struct detect *d, uint8_t family,
				    const uint8_t *remote)
{
	uint64_t h = remote_hash(family, remote);
	struct scan_entry *s, *victim = NULL;
	uint32_t vports = 0, ports;
	int i;

	for (i = 0; i < SCAN_PROBES; i++) {
		s = &d->scan[(h + (uint64_t)i) % SCAN_SLOTS];
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

static bool scan_event(struct detect *d, uint64_t now_ms,
		       const struct detect_event *e)
{
	struct scan_entry *s;
	struct secring *r;
	uint64_t sec = now_ms / 1000;

	if (!scan_cause(e->cause))
		return false;
	s = scan_slot(d, e->family, e->remote);
	/* A new entry (not start_ms 0: time 0 is a time like any other). */
	if (s->resets == 0 ||
	    now_ms - s->start_ms > d->p.scan_window_s * 1000ull) {
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
	if (scan_ports(s) < d->p.scan_ports)
		return false;
	/* A scan now: what it sent before is the scan's too (taken back
	 * from this second's generic count, as far as it holds it). */
	s->hot = true;
	r = &d->rate[sec % RATE_RING];
	if (r->sec == sec)
		r->count -= s->resets - 1 < r->count ? (uint32_t)(s->resets - 1) :
						       r->count;
	return true;
}

static void scan_evaluate(struct detect *d, uint64_t now_ms)
{
	struct alert a;
	char addr[INET6_ADDRSTRLEN];
	double secs;
	int i;

	for (i = 0; i < SCAN_SLOTS; i++) {
		struct scan_entry *s = &d->scan[i];

		if (!s->used ||
		    now_ms - s->start_ms > d->p.scan_window_s * 1000ull ||
		    scan_ports(s) < d->p.scan_ports)
			continue;
		memset(&a, 0, sizeof(a));
		a.type = ALERT_PORT_SCAN;
		a.severity = SEV_WARNING;
		snprintf(a.key, sizeof(a.key), "%s",
			 events_addr_str(s->family, s->remote, addr));
		a.ev.scan.family = s->family;
		memcpy(a.ev.scan.remote, s->remote, 16);
		a.ev.scan.ports = scan_ports(s);
		a.ev.scan.first_port = s->first_port;
		a.ev.scan.last_port = s->last_port;
		a.ev.scan.resets = s->resets;
		secs = (double)(now_ms - s->start_ms) / 1000.0;
		a.ev.scan.rate = (double)s->resets / (secs < 1 ? 1 : secs);
		alert_assert(d, &a);
	}
}

/* --- syn_flood: backscatter to many (spoofed) sources ---------------- */

static bool flood_event(struct detect *d, uint64_t now_ms,
			const struct detect_event *e, bool claimed)
{
	uint64_t sec = now_ms / 1000, n;

	if (e->cause != CAUSE_CLOSED_PORT)
		return false;
	secring_add(d->flood, WIN10, sec, 1);
	if (d->flood_on)
		return true;
	/* Another detector's already (a dead service's): not to hold. */
	if (claimed)
		return false;
	/* The last 10 s with this reset: the past once per second. */
	if (d->flood_past_sec != sec + 1) {
		d->flood_past = secring_sum(d->flood, WIN10, sec, WIN10 - 1, 1);
		d->flood_past_sec = sec + 1;
	}
	n = d->flood_past + secring_sum(d->flood, WIN10, sec, 1, 0);
	return hold_or_free(d, n, d->p.flood_rate, d->flood_free,
			    d->flood_held, &d->flood_held_ms, now_ms);
}

static void flood_evaluate(struct detect *d, uint64_t now_ms,
			   const struct detect_env *env)
{
	struct stats_item top[3];
	struct alert a;
	double rate, sources;
	int i;

	uint64_t n = secring_sum(d->flood, WIN10, now_ms / 1000, WIN10, 0);
	bool on;

	rate = (double)n / WIN10;
	sources = env->stats != NULL && n >= claim_at(d, d->p.flood_rate) ?
			  stats_distinct_remotes(env->stats, now_ms, WIN_10S) :
			  0;
	/*
	 * From now until the next tick, closed-port resets are the flood's
	 * when it is on its way (by rate, and by sources: a few remotes
	 * hammering is not backscatter); what it sent until now is taken
	 * back from the generic rate.
	 */
	on = n >= claim_at(d, d->p.flood_rate) &&
	     sources * 2 >= d->p.flood_sources;
	if (on && !d->flood_on)
		rate_unclaim(d, d->flood_free);
	d->flood_on = on;
	/* Rate and sources are known now: a burst that is no flood by its
	 * sources gives its held resets back at once, in their seconds. */
	if (on) {
		held_keep(d->flood_held);
	} else {
		rate_giveback(d, d->flood_held);
	}
	d->flood_held_ms = 0;
	if (rate < d->p.flood_rate || sources < d->p.flood_sources)
		return;
	memset(&a, 0, sizeof(a));
	a.type = ALERT_SYN_FLOOD;
	a.severity = SEV_CRITICAL;
	snprintf(a.key, sizeof(a.key), "all");
	a.ev.flood.rate = rate;
	a.ev.flood.sources = sources;
	a.ev.flood.ntop = stats_top(env->stats, now_ms, DIM_PORTS, WIN_10S,
				    top, 3);
	for (i = 0; i < a.ev.flood.ntop; i++)
		a.ev.flood.top_ports[i] = top[i].port;
	alert_assert(d, &a);
}

/* --- service_down: resets for a port that had a listener ------------ */

static struct down_entry *down_slot(struct detect *d, uint8_t family,
				    uint16_t port, bool create)
{
	struct down_entry *s, *victim = NULL;
	int i;

	for (i = 0; i < DOWN_SLOTS; i++) {
		s = &d->down[(port + i) % DOWN_SLOTS];
		if (s->used && s->port == port && s->family == family)
			return s;
		if (i < 8 && (victim == NULL ||
			      (victim->used &&
			       (!s->used || s->last_ms < victim->last_ms))))
			victim = s;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->family = family;
	victim->port = port;
	return victim;
}

static bool down_event(struct detect *d, uint64_t now_ms,
		       const struct detect_event *e)
{
	struct down_entry *s;

	if (e->cause != CAUSE_CLOSED_PORT || !e->had_listener ||
	    e->wall - e->gone_wall > (int64_t)d->p.down_window_s)
		return false;
	s = down_slot(d, e->family, e->lport, true);
	if (s->attempts == 0 || s->gone_wall != e->gone_wall) {
		/* A new outage (or a new owner gone): start counting. */
		s->first_ms = now_ms;
		s->attempts = 0;
	}
	s->attempts++;
	s->last_ms = now_ms;
	s->gone_wall = e->gone_wall;
	s->gone_ms = e->gone_ms;
	s->pid = e->last_pid;
	memcpy(s->comm, e->last_comm, sizeof(s->comm));
	memcpy(s->unit, e->last_unit, sizeof(s->unit));
	/* Every reset of a service's outage is the outage's, from the
	 * first: a restart must never look like a rising reset rate. */
	return true;
}

static void down_evaluate(struct detect *d, uint64_t now_ms, int64_t wall,
			  const struct detect_env *env)
{
	struct alert a;
	int i;

	for (i = 0; i < DOWN_SLOTS; i++) {
		struct down_entry *s = &d->down[i];
		char key[32];

		if (!s->used)
			continue;
		snprintf(key, sizeof(key), "%s:%u",
			 s->family == AF_INET6 ? "ipv6" : "ipv4", s->port);
		if (env->listener_alive != NULL &&
		    env->listener_alive(s->family, s->port, env->arg)) {
			/* The service is back: over now, not in 30 s. */
			alert_resolve(d, ALERT_SERVICE_DOWN, key);
			s->used = false;
			continue;
		}
		if (wall - s->gone_wall > (int64_t)d->p.down_window_s ||
		    now_ms - s->last_ms > d->p.quiet_s * 1000ull) {
			/* Nobody knocks any more: nothing left to say. */
			alert_resolve(d, ALERT_SERVICE_DOWN, key);
			s->used = false;
			continue;
		}
		/* A restart takes a moment: only an outage that lasts (to the
		 * millisecond when the caller knows it, else the second). */
		if (s->gone_ms != 0 ? now_ms - s->gone_ms < d->p.down_grace_ms :
		    (wall - s->gone_wall) * 1000 < (int64_t)d->p.down_grace_ms)
			continue;
		memset(&a, 0, sizeof(a));
		a.type = ALERT_SERVICE_DOWN;
		a.severity = SEV_CRITICAL;
		memcpy(a.key, key, sizeof(key));
		a.ev.down.family = s->family;
		a.ev.down.port = s->port;
		memcpy(a.ev.down.comm, s->comm, sizeof(s->comm));
		a.ev.down.pid = s->pid;
		memcpy(a.ev.down.unit, s->unit, sizeof(s->unit));
		a.ev.down.gone_wall = s->gone_wall;
		a.ev.down.attempts = s->attempts;
		alert_assert(d, &a);
	}
}

/* --- listen_overflow: a full accept queue resetting clients ---------- */

static bool ovf_event(struct detect *d, uint64_t now_ms,
		      const struct detect_event *e)
{
	struct ovf_entry *s, *victim = NULL;
	int i;

	if (e->cause != CAUSE_LISTEN_OVERFLOW)
		return false;
	for (i = 0; i < OVF_SLOTS; i++) {
		s = &d->ovf[i];
		if (s->used && s->port == e->lport)
			goto found;
		if (victim == NULL ||
		    (victim->used && (!s->used || s->last_ms < victim->last_ms)))
			victim = s;
	}
	s = victim;
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->port = e->lport;
found:
	s->resets++;
	s->last_ms = now_ms;
	s->backlog = e->backlog;
	s->queue = e->queue;
	if (e->has_owner)
		memcpy(s->owner, e->owner, sizeof(s->owner));
	return true;
}

static void ovf_evaluate(struct detect *d, uint64_t now_ms)
{
	struct alert a;
	int i;

	for (i = 0; i < OVF_SLOTS; i++) {
		struct ovf_entry *s = &d->ovf[i];

		if (!s->used)
			continue;
		if (now_ms - s->last_ms > WIN10 * 1000ull) {
			/* Its alert clears after the quiet period; the entry
			 * is not needed for that. */
			s->used = false;
			continue;
		}
		memset(&a, 0, sizeof(a));
		a.type = ALERT_LISTEN_OVERFLOW;
		a.severity = SEV_WARNING;
		snprintf(a.key, sizeof(a.key), "port %u", s->port);
		a.ev.overflow.port = s->port;
		memcpy(a.ev.overflow.owner, s->owner, sizeof(s->owner));
		a.ev.overflow.backlog = s->backlog;
		a.ev.overflow.queue = s->queue;
		a.ev.overflow.resets = s->resets;
		alert_assert(d, &a);
	}
}

/* --- abort_storm: one owner aborting many connections ---------------- */

static bool storm_cause(enum cause c)
{
	return c == CAUSE_APP_ABORT || c == CAUSE_UNREAD_CLOSE ||
	       c == CAUSE_FIN_WAIT_ABORT || c == CAUSE_MEMORY_ABORT ||
	       c == CAUSE_KEEPALIVE_TIMEOUT || c == CAUSE_LISTENER_CLOSED;
}

static struct storm_entry *storm_slot(struct detect *d, const char *owner,
				      uint64_t now_ms)
{
	uint64_t h = hash_bytes(owner, strlen(owner));
	struct storm_entry *s, *victim = NULL;
	uint64_t vsum = 0, sum;
	int i;

	for (i = 0; i < STORM_PROBES; i++) {
		s = &d->storm[(h + (uint64_t)i) % STORM_SLOTS];
		if (s->used && strcmp(s->owner, owner) == 0)
			return s;
		if (!s->used) {
			if (victim == NULL || victim->used)
				victim = s;
			continue;
		}
		if (victim != NULL && !victim->used)
			continue;
		sum = secring_sum(s->ring, WIN10, now_ms / 1000, WIN10, 0);
		if (victim == NULL || sum < vsum) {
			victim = s;
			vsum = sum;
		}
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	snprintf(victim->owner, sizeof(victim->owner), "%s", owner);
	return victim;
}

static bool storm_event(struct detect *d, uint64_t now_ms,
			const struct detect_event *e, bool claimed)
{
	struct storm_entry *s;
	uint64_t sec = now_ms / 1000, n;

	if (!storm_cause(e->cause) || !e->has_owner)
		return false;
	s = storm_slot(d, e->owner, now_ms);
	/* An owner quiet for a while starts a new story. */
	if (now_ms - s->last_ms > d->p.quiet_s * 1000ull)
		memset(s->by_cause, 0, sizeof(s->by_cause));
	n = secring_sum(s->ring, WIN10, sec, WIN10, 0);
	secring_add(s->ring, WIN10, sec, 1);
	s->by_cause[e->cause]++;
	s->last_ms = now_ms;
	if (e->owner_pid)
		s->pid = e->owner_pid;
	if (s->storming)
		return true;
	if (claimed)
		return false;
	return hold_or_free(d, n + 1, d->p.storm_rate, s->free, s->held,
			    &s->held_ms, now_ms);
}

/* Seconds of the last ten in which the owner aborted anything. */
static unsigned int storm_seconds(const struct storm_entry *s, uint64_t sec)
{
	unsigned int i, n = 0;

	for (i = 0; i < WIN10 && i <= sec; i++)
		if (s->ring[(sec - i) % WIN10].sec == sec - i &&
		    s->ring[(sec - i) % WIN10].count > 0)
			n++;
	return n > 0 ? n : 1;
}

static void storm_evaluate(struct detect *d, uint64_t now_ms)
{
	struct alert a;
	uint64_t n;
	int i;

	for (i = 0; i < STORM_SLOTS; i++) {
		struct storm_entry *s = &d->storm[i];

		if (!s->used)
			continue;
		n = secring_sum(s->ring, WIN10, now_ms / 1000, WIN10, 0);
		/* Storming owners' aborts are theirs until the next tick;
		 * those before are taken back from the generic rate. */
		if (n < (uint64_t)d->p.storm_rate * WIN10) {
			s->storming = false;
			held_settle(d, s->held, &s->held_ms, false, now_ms);
			continue;
		}
		if (!s->storming)
			rate_unclaim(d, s->free);
		s->storming = true;
		held_settle(d, s->held, &s->held_ms, true, now_ms);
		memset(&a, 0, sizeof(a));
		a.type = ALERT_ABORT_STORM;
		a.severity = SEV_WARNING;
		snprintf(a.key, sizeof(a.key), "%s", s->owner);
		memcpy(a.ev.storm.owner, s->owner, sizeof(s->owner));
		a.ev.storm.pid = s->pid;
		/* Per second of the storm (not diluted by the quiet seconds
		 * of the window before it started). */
		a.ev.storm.rate = (double)n / storm_seconds(s, now_ms / 1000);
		memcpy(a.ev.storm.by_cause, s->by_cause, sizeof(s->by_cause));
		alert_assert(d, &a);
	}
}

/* --- reset_rate: the classic alert, against an adaptive baseline ----- */

static void rate_evaluate(struct detect *d, uint64_t now_ms)
{
	uint64_t sec = now_ms / 1000;
	double rate, baseline, threshold;
	struct alert a;
	uint64_t hist;
	bool active;

	/* What no specific detector explains, over 10 s, against the
	 * 290 s before them (so a surge does not raise its own bar). */
	rate = (double)secring_sum(d->rate, RATE_RING, sec, WIN10, 0) / WIN10;
	/* Over the history there is (up to 290 s), not over 290 s of it. */
	hist = d->started && sec > d->first_sec + WIN10 ?
		       sec - d->first_sec - WIN10 : 0;
	if (hist > RATE_RING - WIN10)
		hist = RATE_RING - WIN10;
	baseline = hist == 0 ? 0 :
		(double)secring_sum(d->rate, RATE_RING, sec,
				    RATE_RING - WIN10, WIN10) / (double)hist;
	threshold = baseline * d->p.rate_factor;
	if (threshold < d->p.rate_floor)
		threshold = d->p.rate_floor;
	active = detect_active(d, ALERT_RESET_RATE) > 0;
	/* No baseline yet: a daemon started on a busy host must not call
	 * the usual level a surge.  A minute of history first. */
	if (!d->started || sec - d->first_sec < d->p.rate_warmup_s)
		return;
	/* Hysteresis: once raised, it holds down to half the bar. */
	if (rate < (active ? threshold / 2 : threshold))
		return;
	memset(&a, 0, sizeof(a));
	a.type = ALERT_RESET_RATE;
	a.severity = SEV_WARNING;
	snprintf(a.key, sizeof(a.key), "all");
	a.ev.rate.rate = rate;
	a.ev.rate.baseline = baseline;
	a.ev.rate.threshold = threshold;
	alert_assert(d, &a);
}

bool detectors_event(struct detect *d, uint64_t now_ms,
		     const struct detect_event *e)
{
	bool claimed = false;

	/* Every detector sees every reset; any may claim it.  Those that
	 * claim for sure go first, so that the bursts (which only hold a
	 * reset until they know) do not hold what is already explained. */
	claimed |= scan_event(d, now_ms, e);
	claimed |= down_event(d, now_ms, e);
	claimed |= ovf_event(d, now_ms, e);
	claimed |= storm_event(d, now_ms, e, claimed);
	claimed |= flood_event(d, now_ms, e, claimed);
	return claimed;
}

void detectors_evaluate(struct detect *d, uint64_t now_ms, int64_t wall,
			const struct detect_env *env)
{
	scan_evaluate(d, now_ms);
	flood_evaluate(d, now_ms, env);
	down_evaluate(d, now_ms, wall, env);
	ovf_evaluate(d, now_ms);
	storm_evaluate(d, now_ms);
	/* Last: the specific alerts of this tick explain what they claim. */
	rate_evaluate(d, now_ms);
}
