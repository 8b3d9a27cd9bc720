/* detect: the lifecycle of alerts (raise, summarise, clear; room for each
 * type), driving the detectors of its table.  Pure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"
#include "detector.h"
#include "hash.h"

#define ALERTS_MAX 256
/* Of max_alerts, each type keeps this fraction for itself. */
#define ALERT_RESERVE_DIV 16
#define REFUSED_SLOTS 64

/*
 * The detectors, in the order of their ticks: reset_rate last, so that
 * the specific alerts of a tick explain what they claim first.
 */
static const struct detector_ops *const detectors[] = {
	&det_scan, &det_flood, &det_down, &det_overflow, &det_storm, &det_rate,
};

#define NDETECTORS (sizeof(detectors) / sizeof(detectors[0]))

struct detect {
	struct detect_params p;
	struct alert alerts[ALERTS_MAX];
	bool used[ALERTS_MAX];
	bool asserted[ALERTS_MAX]; /* held during this tick */
	bool raised[ALERTS_MAX];   /* new in this tick */
	bool resolved[ALERTS_MAX]; /* to end in this tick */
	uint64_t dropped;
	uint64_t now_ms;
	/* Raises refused for want of room, each (type, key) counted once per
	 * summary period. */
	struct refusal {
		uint64_t hash;
		uint64_t ms;
	} refused[REFUSED_SLOTS];
	struct claim_pool pool; /* resets no detector claims */
	void *state[NDETECTORS];
};

struct detect *detect_new(const struct detect_params *p)
{
	struct detect *d = calloc(1, sizeof(*d));
	unsigned int i;

	if (d == NULL)
		return NULL;
	for (i = 0; i < NDETECTORS; i++) {
		d->state[i] = calloc(1, detectors[i]->state_size);
		if (d->state[i] == NULL) {
			detect_free(d);
			errno = ENOMEM;
			return NULL;
		}
	}
	detect_set_params(d, p);
	return d;
}

void detect_free(struct detect *d)
{
	unsigned int i;

	if (d == NULL)
		return;
	for (i = 0; i < NDETECTORS; i++)
		free(d->state[i]);
	free(d);
}

void detect_set_params(struct detect *d, const struct detect_params *p)
{
	d->p = *p;
	if (d->p.max_alerts == 0 || d->p.max_alerts > ALERTS_MAX)
		d->p.max_alerts = ALERTS_MAX;
}

static int alert_find(const struct detect *d, enum alert_type t,
		      const char *key)
{
	int i;

	for (i = 0; i < ALERTS_MAX; i++)
		if (d->used[i] && d->alerts[i].type == t &&
		    strcmp(d->alerts[i].key, key) == 0)
			return i;
	return -1;
}

/* Count a refused raise once per (type, key) and summary period. */
static void refuse(struct detect *d, const struct alert *a)
{
	uint64_t h = hash_bytes(a->key, strlen(a->key)) ^ (uint64_t)a->type;
	struct refusal *r = &d->refused[h % REFUSED_SLOTS];

	if (r->hash == h && d->now_ms - r->ms < d->p.summary_s * 1000ull)
		return;
	r->hash = h;
	r->ms = d->now_ms;
	d->dropped++;
}

/*
 * The slots kept for type t: max_alerts / ALERT_RESERVE_DIV (at least 1),
 * 1 for the types with a single key, none when max_alerts is too small
 * to keep one for every type.
 */
static unsigned int reserved(const struct detect *d, unsigned int t)
{
	unsigned int r = d->p.max_alerts / ALERT_RESERVE_DIV;

	if (d->p.max_alerts < ALERT_TYPE_MAX)
		return 0;
	if (r == 0 || t == ALERT_SYN_FLOOD || t == ALERT_RESET_RATE)
		return 1;
	return r;
}

/*
 * May a new alert of type t be raised?  Never beyond max_alerts; within
 * t's reserved slots, always; beyond them only while as many slots stay
 * free as the other types still lack of theirs.  So a flood of one type
 * (port_scan keys are the attacker's choice), or of two, never refuses a
 * raise of another type.
 */
static bool admit(const struct detect *d, enum alert_type t)
{
	unsigned int n[ALERT_TYPE_MAX] = { 0 }, active = 0, owed = 0, u;
	int k;

	for (k = 0; k < ALERTS_MAX; k++)
		if (d->used[k]) {
			n[d->alerts[k].type]++;
			active++;
		}
	if (active >= d->p.max_alerts)
		return false;
	if (n[t] < reserved(d, t))
		return true;
	for (u = 0; u < ALERT_TYPE_MAX; u++)
		if (u != (unsigned int)t && n[u] < reserved(d, u))
			owed += reserved(d, u) - n[u];
	return d->p.max_alerts - active > owed;
}

/* detect_ctx.alert_on: a detector's condition holds in this tick. */
static void alert_on(void *lc, const struct alert *a)
{
	struct detect *d = lc;
	int i = alert_find(d, a->type, a->key);

	if (i < 0) {
		if (!admit(d, a->type)) {
			refuse(d, a);
			return;
		}
		for (i = 0; i < ALERTS_MAX && d->used[i]; i++)
			;
		d->alerts[i] = *a;
		d->alerts[i].since_ms = d->now_ms;
		d->alerts[i].summary_ms = d->now_ms;
		d->alerts[i].updates = 0;
		d->used[i] = true;
		d->raised[i] = true;
	} else {
		/* Fresh evidence; the history stays. */
		uint64_t since = d->alerts[i].since_ms;
		int64_t since_wall = d->alerts[i].since_wall;
		uint64_t summary = d->alerts[i].summary_ms;
		uint64_t updates = d->alerts[i].updates;

		d->alerts[i] = *a;
		d->alerts[i].since_ms = since;
		d->alerts[i].since_wall = since_wall;
		d->alerts[i].summary_ms = summary;
		d->alerts[i].updates = updates;
	}
	d->alerts[i].asserted_ms = d->now_ms;
	d->asserted[i] = true;
}

/* detect_ctx.alert_off: it ends in this tick, quiet period or not. */
static void alert_off(void *lc, enum alert_type t, const char *key)
{
	struct detect *d = lc;
	int i = alert_find(d, t, key);

	if (i >= 0)
		d->resolved[i] = true;
}

static unsigned int alert_count(void *lc, enum alert_type t)
{
	return detect_active(lc, t);
}

static void ctx_init(struct detect *d, struct detect_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->now_ms = d->now_ms;
	c->p = &d->p;
	c->pool = &d->pool;
}

/* Offer e to the detectors of one kind (burst or not), in table order. */
static bool offer(struct detect *d, struct detect_ctx *c,
		  const struct detect_event *e, bool burst, bool claimed)
{
	unsigned int i;

	for (i = 0; i < NDETECTORS; i++)
		if (detectors[i]->burst == burst && detectors[i]->event != NULL)
			claimed |=
				detectors[i]->event(d->state[i], e, claimed, c);
	return claimed;
}

void detect_event(struct detect *d, uint64_t now_ms,
		  const struct detect_event *e)
{
	struct detect_ctx c;
	bool claimed;

	if (now_ms < d->now_ms)
		now_ms = d->now_ms; /* time never goes back */
	d->now_ms = now_ms;
	ctx_init(d, &c);
	/* Every detector sees every reset; any may claim it.  Those that
	 * claim for sure go first, so that the bursts (which only hold a
	 * reset until they know) do not hold what is already explained. */
	claimed = offer(d, &c, e, false, false);
	claimed = offer(d, &c, e, true, claimed);
	/* What no specific detector claims is the generic rate's. */
	if (!claimed)
		claim_pool_add(&d->pool, now_ms / 1000, 1);
}

void detect_tick(struct detect *d, uint64_t now_ms, int64_t wall,
		 const struct detect_env *env, detect_fn fn, void *arg)
{
	struct detect_ctx c;
	unsigned int k;
	int i;

	if (now_ms < d->now_ms)
		now_ms = d->now_ms;
	d->now_ms = now_ms;
	memset(d->raised, 0, sizeof(d->raised));
	memset(d->resolved, 0, sizeof(d->resolved));
	memset(d->asserted, 0, sizeof(d->asserted));
	ctx_init(d, &c);
	c.wall = wall;
	c.env = env;
	c.alert_on = alert_on;
	c.alert_off = alert_off;
	c.alert_count = alert_count;
	c.lc = d;
	for (k = 0; k < NDETECTORS; k++)
		detectors[k]->tick(d->state[k], &c);
	for (i = 0; i < ALERTS_MAX; i++) {
		struct alert *a = &d->alerts[i];

		if (!d->used[i])
			continue;
		if (d->raised[i]) {
			a->since_wall = wall;
			fn(ALERT_RAISED, a, arg);
		} else if (d->resolved[i] || (!d->asserted[i] &&
					      now_ms - a->asserted_ms >=
						      d->p.quiet_s * 1000ull)) {
			fn(ALERT_CLEARED, a, arg);
			d->used[i] = false;
		} else if (d->asserted[i] &&
			   now_ms - a->summary_ms >= d->p.summary_s * 1000ull) {
			a->summary_ms = now_ms;
			a->updates++;
			fn(ALERT_UPDATED, a, arg);
		}
	}
}

int detect_alerts(const struct detect *d, const struct alert **out, int max)
{
	int i, j, n = 0;

	for (i = 0; i < ALERTS_MAX && n < max; i++)
		if (d->used[i])
			out[n++] = &d->alerts[i];
	/* Oldest first: a few entries, insertion sort. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && out[j]->since_ms < out[j - 1]->since_ms;
		     j--) {
			const struct alert *t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

unsigned int detect_active(const struct detect *d, enum alert_type t)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < ALERTS_MAX; i++)
		n += d->used[i] && d->alerts[i].type == t;
	return n;
}

uint64_t detect_dropped(const struct detect *d)
{
	return d->dropped;
}
