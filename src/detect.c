/* detect: pure detectors over the reset stream and the statistics, and the
 * lifecycle of the alerts they raise (raise, summarise, clear). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "detect_int.h"
#include "events.h"
#include "hash.h"

void detect_defaults(struct detect_params *p)
{
	p->scan_ports = 10;
	p->scan_window_s = 10;
	p->flood_rate = 500;
	p->flood_sources = 200;
	p->down_window_s = 600;
	p->down_grace_ms = 2000;
	p->storm_rate = 50;
	p->rate_floor = 50;
	p->rate_factor = 3;
	p->rate_warmup_s = 60;
	p->quiet_s = 30;
	p->summary_s = 60;
	p->max_alerts = 64;
}

struct detect *detect_new(const struct detect_params *p)
{
	struct detect *d = calloc(1, sizeof(*d));

	if (d != NULL)
		detect_set_params(d, p);
	return d;
}

void detect_free(struct detect *d)
{
	free(d);
}

void detect_set_params(struct detect *d, const struct detect_params *p)
{
	d->p = *p;
	if (d->p.max_alerts == 0 || d->p.max_alerts > ALERTS_MAX)
		d->p.max_alerts = ALERTS_MAX;
}

void secring_add(struct secring *r, unsigned int n, uint64_t sec, uint32_t v)
{
	struct secring *s = &r[sec % n];

	if (s->sec != sec) {
		s->sec = sec;
		s->count = 0;
	}
	s->count += v;
}

uint64_t secring_sum(const struct secring *r, unsigned int n, uint64_t sec,
		     unsigned int last, unsigned int skip)
{
	uint64_t sum = 0;
	unsigned int i;

	/* Seconds sec-skip-last+1 .. sec-skip, each if its stamp is right. */
	for (i = skip; i < skip + last && i < n && i <= sec; i++) {
		const struct secring *s = &r[(sec - i) % n];

		if (s->sec == sec - i)
			sum += s->count;
	}
	return sum;
}

void detect_event(struct detect *d, uint64_t now_ms,
		  const struct detect_event *e)
{
	if (now_ms < d->now_ms)
		now_ms = d->now_ms;	/* time never goes back */
	d->now_ms = now_ms;
	/* What no specific detector claims is the generic rate's. */
	if (!detectors_event(d, now_ms, e))
		secring_add(d->rate, RATE_RING, now_ms / 1000, 1);
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
	struct refusal *r = &d->refused[h % 64];

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

void alert_assert(struct detect *d, const struct alert *a)
{
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

void alert_resolve(struct detect *d, enum alert_type t, const char *key)
{
	int i = alert_find(d, t, key);

	if (i >= 0)
		d->resolved[i] = true;
}

void detect_tick(struct detect *d, uint64_t now_ms, int64_t wall,
		 const struct detect_env *env, detect_fn fn, void *arg)
{
	int i;

	if (now_ms < d->now_ms)
		now_ms = d->now_ms;
	d->now_ms = now_ms;
	/* The warm-up and the baseline count from the first tick: the
	 * daemon's start, not the first reset (a quiet host has none). */
	if (!d->started) {
		d->started = true;
		d->first_sec = now_ms / 1000;
	}
	memset(d->raised, 0, sizeof(d->raised));
	memset(d->resolved, 0, sizeof(d->resolved));
	memset(d->asserted, 0, sizeof(d->asserted));
	detectors_evaluate(d, now_ms, wall, env);
	for (i = 0; i < ALERTS_MAX; i++) {
		struct alert *a = &d->alerts[i];

		if (!d->used[i])
			continue;
		if (d->raised[i]) {
			a->since_wall = wall;
			fn(ALERT_RAISED, a, arg);
		} else if (d->resolved[i] ||
			   (!d->asserted[i] &&
			    now_ms - a->asserted_ms >= d->p.quiet_s * 1000ull)) {
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

const char *alert_type_name(enum alert_type t)
{
	static const char *const names[ALERT_TYPE_MAX] = {
		"port_scan", "syn_flood", "service_down", "listen_overflow",
		"abort_storm", "reset_rate",
	};

	return (unsigned int)t < ALERT_TYPE_MAX ? names[t] : "unknown";
}

int alert_type_from_name(const char *name, size_t len)
{
	int t;

	for (t = 0; t < ALERT_TYPE_MAX; t++) {
		const char *n = alert_type_name((enum alert_type)t);

		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return t;
	}
	return -1;
}

const char *alert_change_name(enum alert_change c)
{
	return c == ALERT_RAISED ? "raised" : c == ALERT_UPDATED ? "update" :
								    "cleared";
}

const char *severity_name(enum severity s)
{
	return s == SEV_CRITICAL ? "critical" : s == SEV_WARNING ? "warning" :
								   "info";
}

/* Append " key=value" to buf, quoting a value with blanks or quotes. */
static void kv(char *buf, size_t len, const char *key, const char *val)
{
	size_t n = strlen(buf);
	bool quote = strpbrk(val, " \t\"=") != NULL || *val == '\0';
	size_t i;

	if (n + 1 >= len)
		return;
	n += (size_t)snprintf(buf + n, len - n, " %s=%s", key,
			      quote ? "\"" : "");
	/* Cut short, the line stays a prefix of the whole one: a cut
	 * value is never closed or followed by another key. */
	for (i = 0; val[i] && n + 1 < len; i++) {
		char c = val[i] == '"' || val[i] == '\n' ? '\'' : val[i];

		buf[n++] = c;
	}
	if (quote && n + 1 < len)
		buf[n++] = '"';
	buf[n < len ? n : len - 1] = '\0';
}

static void kv_u64(char *buf, size_t len, const char *key, uint64_t v)
{
	char t[24];

	snprintf(t, sizeof(t), "%llu", (unsigned long long)v);
	kv(buf, len, key, t);
}

static void kv_rate(char *buf, size_t len, const char *key, double v)
{
	char t[32];

	snprintf(t, sizeof(t), v >= 10 ? "%.0f/s" : "%.1f/s", v);
	kv(buf, len, key, t);
}

static void kv_time(char *buf, size_t len, const char *key, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	gmtime_r(&tt, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	kv(buf, len, key, s);
}

void alert_format_kv(const struct alert *a, enum alert_change ch,
		     char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN], t[64];
	int i;

	snprintf(buf, len, "alert=%s state=%s", alert_type_name(a->type),
		 alert_change_name(ch));
	switch (a->type) {
	case ALERT_PORT_SCAN:
		kv(buf, len, "remote", events_addr_str(a->ev.scan.family,
						       a->ev.scan.remote, addr));
		kv_u64(buf, len, "ports", a->ev.scan.ports);
		kv_u64(buf, len, "first_port", a->ev.scan.first_port);
		kv_u64(buf, len, "last_port", a->ev.scan.last_port);
		kv_rate(buf, len, "rate", a->ev.scan.rate);
		break;
	case ALERT_SYN_FLOOD:
		kv_rate(buf, len, "rate", a->ev.flood.rate);
		kv_u64(buf, len, "sources", (uint64_t)a->ev.flood.sources);
		t[0] = '\0';
		for (i = 0; i < a->ev.flood.ntop; i++)
			snprintf(t + strlen(t), sizeof(t) - strlen(t), "%s%u",
				 i ? "," : "", a->ev.flood.top_ports[i]);
		if (t[0])
			kv(buf, len, "top_ports", t);
		break;
	case ALERT_SERVICE_DOWN:
		kv_u64(buf, len, "port", a->ev.down.port);
		kv(buf, len, "family", a->ev.down.family == AF_INET6 ? "6" : "4");
		if (a->ev.down.comm[0])
			kv(buf, len, "last_owner", a->ev.down.comm);
		if (a->ev.down.pid)
			kv_u64(buf, len, "pid", a->ev.down.pid);
		if (a->ev.down.unit[0])
			kv(buf, len, "unit", a->ev.down.unit);
		kv_time(buf, len, "since", a->ev.down.gone_wall);
		kv_u64(buf, len, "attempts", a->ev.down.attempts);
		break;
	case ALERT_LISTEN_OVERFLOW:
		kv_u64(buf, len, "port", a->ev.overflow.port);
		if (a->ev.overflow.owner[0])
			kv(buf, len, "owner", a->ev.overflow.owner);
		kv_u64(buf, len, "backlog", a->ev.overflow.backlog);
		kv_u64(buf, len, "queue", a->ev.overflow.queue);
		kv_u64(buf, len, "resets", a->ev.overflow.resets);
		break;
	case ALERT_ABORT_STORM:
		kv(buf, len, "owner", a->ev.storm.owner);
		if (a->ev.storm.pid)
			kv_u64(buf, len, "pid", a->ev.storm.pid);
		kv_rate(buf, len, "rate", a->ev.storm.rate);
		for (i = 0; i < CAUSE_MAX; i++)
			if (a->ev.storm.by_cause[i])
				kv_u64(buf, len, cause_name((enum cause)i),
				       a->ev.storm.by_cause[i]);
		break;
	case ALERT_RESET_RATE:
		kv_rate(buf, len, "rate", a->ev.rate.rate);
		kv_rate(buf, len, "baseline", a->ev.rate.baseline);
		kv_rate(buf, len, "threshold", a->ev.rate.threshold);
		break;
	default:
		break;
	}
}

void alert_format_json(struct json *j, const struct alert *a)
{
	alert_format_json_open(j, a, NULL);
	json_obj_end(j);
}

void alert_format_json_open(struct json *j, const struct alert *a,
			    const char *state)
{
	char addr[INET6_ADDRSTRLEN];
	int i;

	json_obj_begin(j, NULL);
	json_str(j, "type", alert_type_name(a->type));
	json_str(j, "key", a->key);
	json_str(j, "state", state ? state : a->updates ? "active" : "raised");
	json_i64(j, "since", a->since_wall);
	json_str(j, "severity", severity_name(a->severity));
	json_obj_begin(j, "evidence");
	switch (a->type) {
	case ALERT_PORT_SCAN:
		json_str(j, "remote", events_addr_str(a->ev.scan.family,
						      a->ev.scan.remote, addr));
		json_u64(j, "ports", a->ev.scan.ports);
		json_u64(j, "first_port", a->ev.scan.first_port);
		json_u64(j, "last_port", a->ev.scan.last_port);
		json_u64(j, "resets", a->ev.scan.resets);
		json_fixed(j, "rate", a->ev.scan.rate, 1);
		break;
	case ALERT_SYN_FLOOD:
		json_fixed(j, "rate", a->ev.flood.rate, 1);
		json_fixed(j, "sources", a->ev.flood.sources, 0);
		json_arr_begin(j, "top_ports");
		for (i = 0; i < a->ev.flood.ntop; i++)
			json_u64(j, NULL, a->ev.flood.top_ports[i]);
		json_arr_end(j);
		break;
	case ALERT_SERVICE_DOWN:
		json_u64(j, "port", a->ev.down.port);
		json_u64(j, "family", a->ev.down.family == AF_INET6 ? 6 : 4);
		json_obj_begin(j, "last_owner");
		if (a->ev.down.comm[0])
			json_str(j, "comm", a->ev.down.comm);
		if (a->ev.down.pid)
			json_u64(j, "pid", a->ev.down.pid);
		if (a->ev.down.unit[0])
			json_str(j, "unit", a->ev.down.unit);
		json_obj_end(j);
		json_i64(j, "down_since", a->ev.down.gone_wall);
		json_u64(j, "attempts", a->ev.down.attempts);
		break;
	case ALERT_LISTEN_OVERFLOW:
		json_u64(j, "port", a->ev.overflow.port);
		if (a->ev.overflow.owner[0])
			json_str(j, "owner", a->ev.overflow.owner);
		json_u64(j, "backlog", a->ev.overflow.backlog);
		json_u64(j, "queue", a->ev.overflow.queue);
		json_u64(j, "resets", a->ev.overflow.resets);
		break;
	case ALERT_ABORT_STORM:
		json_str(j, "owner", a->ev.storm.owner);
		if (a->ev.storm.pid)
			json_u64(j, "pid", a->ev.storm.pid);
		json_fixed(j, "rate", a->ev.storm.rate, 1);
		json_obj_begin(j, "causes");
		for (i = 0; i < CAUSE_MAX; i++)
			if (a->ev.storm.by_cause[i])
				json_u64(j, cause_name((enum cause)i),
					 a->ev.storm.by_cause[i]);
		json_obj_end(j);
		break;
	case ALERT_RESET_RATE:
		json_fixed(j, "rate", a->ev.rate.rate, 1);
		json_fixed(j, "baseline", a->ev.rate.baseline, 2);
		json_fixed(j, "threshold", a->ev.rate.threshold, 1);
		break;
	default:
		break;
	}
	json_obj_end(j);
}
