/* check_detect: the six detectors and the alert lifecycle on synthetic
 * reset streams, a fake clock and a fake daemon (listener_alive, stats). */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"
#include "detect.h"
#include "unit.h"
#include "alertfmt.h"

#define T0 1000000ULL	/* now_ms at second 0 */
#define W0 1700000000LL /* wall at second 0: 2023-11-14T22:13:20Z */
#define REC_MAX 512

/* One alert change as the callback saw it. */
struct rec {
	enum alert_change ch;
	enum alert_type type;
	char key[96];
	uint64_t at_ms; /* the tick's now_ms */
	struct alert a;
};

/* The daemon as the detectors see it, and what they told it. */
struct harness {
	struct detect_params p;
	struct detect *d;
	struct stats *st;
	struct detect_env env;
	bool alive; /* listener_alive's answer, any port */
	unsigned int alive_calls;
	uint64_t now_ms;
	struct rec rec[REC_MAX];
	int n;
	uint64_t last_asserted; /* of the alert followed by track() */
};

static struct harness h;

static bool fake_alive(uint8_t family, uint16_t port, void *arg)
{
	struct harness *hh = arg;

	(void)family;
	(void)port;
	hh->alive_calls++;
	return hh->alive;
}

static void on_change(enum alert_change ch, const struct alert *a, void *arg)
{
	struct harness *hh = arg;
	struct rec *r;

	ck_assert_ptr_nonnull(a);
	if (hh->n >= REC_MAX) {
		hh->n++;
		return;
	}
	r = &hh->rec[hh->n++];
	r->ch = ch;
	r->type = a->type;
	snprintf(r->key, sizeof(r->key), "%s", a->key);
	r->at_ms = hh->now_ms;
	r->a = *a;
}

/* The daemon's defaults (config_defaults(), their one source), as
 * alerts_params() hands them to the detectors. */
static void params_defaults(struct detect_params *p)
{
	struct config c;

	config_defaults(&c);
	p->scan_ports = (uint32_t)c.scan_ports;
	p->scan_window_s = (uint32_t)c.scan_window;
	p->flood_rate = (uint32_t)c.flood_rate;
	p->flood_sources = (uint32_t)c.flood_sources;
	p->down_window_s = (uint32_t)c.down_window;
	p->down_grace_ms = (uint32_t)c.down_grace;
	p->storm_rate = (uint32_t)c.storm_rate;
	p->rate_floor = (uint32_t)c.rate_floor;
	p->rate_factor = (uint32_t)c.rate_factor;
	p->rate_warmup_s = (uint32_t)c.rate_warmup;
	p->quiet_s = (uint32_t)c.alert_quiet;
	p->summary_s = (uint32_t)c.alert_summary;
	p->max_alerts = (uint32_t)c.max_alerts;
}

static void setup(void)
{
	memset(&h, 0, sizeof(h));
	params_defaults(&h.p);
	/* Most tests start from a cold daemon on purpose: no warm-up. */
	h.p.rate_warmup_s = 0;
	h.d = detect_new(&h.p);
	ck_assert_ptr_nonnull(h.d);
	h.st = stats_new();
	ck_assert_ptr_nonnull(h.st);
	h.env.listener_alive = fake_alive;
	h.env.arg = &h;
	h.env.stats = h.st;
}

static void teardown(void)
{
	detect_free(h.d);
	stats_free(h.st);
}

static void params_apply(void)
{
	detect_set_params(h.d, &h.p);
}

/* now_ms of second sec (from T0), plus ms. */
static uint64_t at(unsigned int sec, unsigned int ms)
{
	return T0 + (uint64_t)sec * 1000 + ms;
}

/* One reset, to the detectors and to the statistics, as rstmond does. */
static void feed(const struct detect_event *e, uint64_t ms)
{
	struct stats_key k;
	struct detect_event c = *e;

	/* The daemon stamps each reset with the wall clock. */
	c.wall = W0 + ((int64_t)ms - (int64_t)T0) / 1000;
	memset(&k, 0, sizeof(k));
	k.family = e->family;
	memcpy(k.remote, e->remote, sizeof(k.remote));
	k.lport = e->lport;
	k.cause = e->cause;
	k.has_owner = e->has_owner;
	memcpy(k.owner, e->owner, sizeof(k.owner));
	stats_add(h.st, ms, &k);
	detect_event(h.d, ms, &c);
}

/* n copies of e spread evenly over second sec. */
static void burst(const struct detect_event *e, unsigned int sec,
		  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		feed(e, at(sec, i * 1000 / n));
}

static void tick(uint64_t ms)
{
	int64_t wall = W0 + ((int64_t)ms - (int64_t)T0) / 1000;

	h.now_ms = ms;
	detect_tick(h.d, ms, wall, &h.env, on_change, &h);
}

/* The daemon's once-a-second tick, at the end of second sec. */
static void tick_sec(unsigned int sec)
{
	tick(at(sec, 999));
}

/* Remember when the one active alert of type t was last asserted. */
static void track(enum alert_type t)
{
	const struct alert *list[8];
	int n = detect_alerts(h.d, list, 8), i;

	for (i = 0; i < n; i++)
		if (list[i]->type == t)
			h.last_asserted = list[i]->asserted_ms;
}

static void set_ip4(struct detect_event *e, uint32_t ip)
{
	e->family = AF_INET;
	memset(e->remote, 0, sizeof(e->remote));
	e->remote[0] = (uint8_t)(ip >> 24);
	e->remote[1] = (uint8_t)(ip >> 16);
	e->remote[2] = (uint8_t)(ip >> 8);
	e->remote[3] = (uint8_t)ip;
}

static struct detect_event ev4(uint32_t ip, uint16_t port, enum cause c)
{
	struct detect_event e;

	memset(&e, 0, sizeof(e));
	set_ip4(&e, ip);
	e.lport = port;
	e.cause = c;
	return e;
}

static struct detect_event ev6(const char *addr, uint16_t port, enum cause c)
{
	struct detect_event e;

	memset(&e, 0, sizeof(e));
	e.family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, addr, e.remote), 1);
	e.lport = port;
	e.cause = c;
	return e;
}

static struct detect_event ev_owner(uint32_t ip, uint16_t port, enum cause c,
				    const char *owner, uint32_t pid)
{
	struct detect_event e = ev4(ip, port, c);

	e.has_owner = true;
	snprintf(e.owner, sizeof(e.owner), "%s", owner);
	e.owner_pid = pid;
	return e;
}

/* A closed port whose listener (redis) was last seen at gone_wall. */
static struct detect_event ev_down(uint32_t ip, uint16_t port,
				   int64_t gone_wall)
{
	struct detect_event e = ev4(ip, port, CAUSE_CLOSED_PORT);

	e.had_listener = true;
	e.gone_wall = gone_wall;
	snprintf(e.last_comm, sizeof(e.last_comm), "redis-server");
	e.last_pid = 812;
	snprintf(e.last_unit, sizeof(e.last_unit), "redis-server.service");
	return e;
}

static void expect(int i, enum alert_change ch, enum alert_type t,
		   const char *key, uint64_t at_ms)
{
	ck_assert_msg(i < h.n, "record %d of %d", i, h.n);
	ck_assert_msg(h.rec[i].ch == ch && h.rec[i].type == t,
		      "record %d: %s %s, expected %s %s", i,
		      alert_change_name(h.rec[i].ch),
		      alert_type_name(h.rec[i].type), alert_change_name(ch),
		      alert_type_name(t));
	ck_assert_str_eq(h.rec[i].key, key);
	ck_assert_msg(h.rec[i].at_ms == at_ms,
		      "record %d at second %lld, expected %lld", i,
		      (long long)(h.rec[i].at_ms - T0) / 1000,
		      (long long)(at_ms - T0) / 1000);
}

static int count(enum alert_type t, enum alert_change ch)
{
	int i, n = 0;

	for (i = 0; i < h.n && i < REC_MAX; i++)
		n += h.rec[i].type == t && h.rec[i].ch == ch;
	return n;
}

static int count_type(enum alert_type t)
{
	return count(t, ALERT_RAISED) + count(t, ALERT_UPDATED) +
	       count(t, ALERT_CLEARED);
}

/* --- a small strict JSON checker (apart from json.c) ----------------- */

static bool jv_value(const char **p, int depth);

static void jv_ws(const char **p)
{
	while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
		(*p)++;
}

static bool jv_string(const char **p)
{
	if (*(*p)++ != '"')
		return false;
	while (**p != '"') {
		if ((unsigned char)**p < 0x20)
			return false;
		if (**p == '\\') {
			(*p)++;
			if (**p == '\0' || strchr("\"\\/bfnrtu", **p) == NULL)
				return false;
		}
		(*p)++;
	}
	(*p)++;
	return true;
}

static bool jv_number(const char **p)
{
	const char *s;

	if (**p == '-')
		(*p)++;
	s = *p;
	while (**p >= '0' && **p <= '9')
		(*p)++;
	if (*p == s || (s[0] == '0' && *p - s > 1))
		return false;
	if (**p == '.') {
		s = ++(*p);
		while (**p >= '0' && **p <= '9')
			(*p)++;
		if (*p == s)
			return false;
	}
	return true;
}

static bool jv_value(const char **p, int depth)
{
	bool obj;

	jv_ws(p);
	if (depth > 16)
		return false;
	if (**p == '{' || **p == '[') {
		obj = *(*p)++ == '{';
		jv_ws(p);
		if (**p == (obj ? '}' : ']')) {
			(*p)++;
			return true;
		}
		for (;;) {
			jv_ws(p);
			if (obj) {
				if (!jv_string(p))
					return false;
				jv_ws(p);
				if (*(*p)++ != ':')
					return false;
			}
			if (!jv_value(p, depth + 1))
				return false;
			jv_ws(p);
			if (**p == ',') {
				(*p)++;
				continue;
			}
			return *(*p)++ == (obj ? '}' : ']');
		}
	}
	if (**p == '"')
		return jv_string(p);
	if (strncmp(*p, "true", 4) == 0 || strncmp(*p, "null", 4) == 0) {
		*p += 4;
		return true;
	}
	if (strncmp(*p, "false", 5) == 0) {
		*p += 5;
		return true;
	}
	return jv_number(p);
}

static bool json_valid(const char *s)
{
	if (s == NULL || !jv_value(&s, 0))
		return false;
	jv_ws(&s);
	return *s == '\0';
}

/* --- port_scan ------------------------------------------------------- */

START_TEST(test_scan_raise_update_clear)
{
	struct detect_event e = ev4(0xcb007107, 0, CAUSE_CLOSED_PORT);
	unsigned int sec, i, k = 0;
	int j;

	/* Ports 1000..1009, one every 500 ms: the tenth is in second 4. */
	for (sec = 0; sec < 5; sec++) {
		for (i = 0; i < 2; i++) {
			e.lport = (uint16_t)(1000 + k++);
			feed(&e, at(sec, i * 500));
		}
		tick_sec(sec);
		if (sec < 4)
			ck_assert_int_eq(h.n, 0);
	}
	ck_assert_int_eq(h.n, 1);
	expect(0, ALERT_RAISED, ALERT_PORT_SCAN, "203.0.113.7", at(4, 999));
	ck_assert_uint_eq(h.rec[0].a.ev.scan.family, AF_INET);
	ck_assert_uint_eq(h.rec[0].a.ev.scan.ports, 10);
	ck_assert_uint_eq(h.rec[0].a.ev.scan.first_port, 1000);
	ck_assert_uint_eq(h.rec[0].a.ev.scan.last_port, 1009);
	ck_assert_uint_eq(h.rec[0].a.ev.scan.resets, 10);
	ck_assert(h.rec[0].a.ev.scan.rate > 1.9 &&
		  h.rec[0].a.ev.scan.rate < 2.1);
	ck_assert_int_eq(h.rec[0].a.severity, SEV_WARNING);
	ck_assert_int_eq(h.rec[0].a.since_wall, W0 + 4);
	ck_assert_uint_eq(detect_active(h.d, ALERT_PORT_SCAN), 1);

	/* It keeps scanning (10 ports a second) until second 154. */
	for (sec = 5; sec < 155; sec++) {
		for (i = 0; i < 10; i++) {
			e.lport = (uint16_t)(2000 + k++);
			feed(&e, at(sec, i * 100));
		}
		tick_sec(sec);
		track(ALERT_PORT_SCAN);
	}
	/* Then stops; it clears quiet_s after its condition last held. */
	for (sec = 155; sec < 240; sec++) {
		tick_sec(sec);
		if (detect_active(h.d, ALERT_PORT_SCAN))
			track(ALERT_PORT_SCAN);
	}
	ck_assert_int_eq(h.n, 4);
	for (j = 1; j < 3; j++) {
		ck_assert_int_eq(h.rec[j].ch, ALERT_UPDATED);
		ck_assert_int_eq(h.rec[j].type, ALERT_PORT_SCAN);
		/* At most one summary per period, and not much later. */
		ck_assert_uint_ge(h.rec[j].at_ms - h.rec[j - 1].at_ms, 60000);
		ck_assert_uint_le(h.rec[j].at_ms - h.rec[j - 1].at_ms, 62000);
		ck_assert_uint_eq(h.rec[j].a.updates, (uint64_t)j);
		ck_assert_uint_ge(h.rec[j].a.ev.scan.ports, 10);
		ck_assert_int_eq(h.rec[j].a.since_wall, W0 + 4);
	}
	ck_assert_int_eq(h.rec[3].ch, ALERT_CLEARED);
	ck_assert_int_eq(h.rec[3].type, ALERT_PORT_SCAN);
	ck_assert_str_eq(h.rec[3].key, "203.0.113.7");
	ck_assert_uint_ge(h.rec[3].at_ms, at(154, 999) + 30000);
	ck_assert_uint_ge(h.rec[3].at_ms - h.last_asserted, 30000);
	ck_assert_uint_lt(h.rec[3].at_ms - h.last_asserted, 31000);
	ck_assert_uint_eq(detect_active(h.d, ALERT_PORT_SCAN), 0);
}
END_TEST

START_TEST(test_scan_ipv6)
{
	struct detect_event e = ev6("2001:db8::bad:1", 0, CAUSE_CLOSED_PORT);
	char line[256];
	unsigned int i;

	for (i = 0; i < 12; i++) {
		e.lport = (uint16_t)(1000 + i);
		feed(&e, at(0, i * 50));
	}
	tick_sec(0);
	ck_assert_int_eq(h.n, 1);
	expect(0, ALERT_RAISED, ALERT_PORT_SCAN, "2001:db8::bad:1", at(0, 999));
	ck_assert_uint_eq(h.rec[0].a.ev.scan.family, AF_INET6);
	alert_format_kv(&h.rec[0].a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=port_scan state=raised "
			       "remote=2001:db8::bad:1 ports=12 "
			       "first_port=1000 last_port=1011 rate=12/s");
}
END_TEST

START_TEST(test_scan_spoofed_flood_keeps_scanner)
{
	struct detect_event sc = ev4(0xc6336409, 0, CAUSE_CLOSED_PORT);
	struct detect_event sp = ev4(0, 80, CAUSE_CLOSED_PORT);
	unsigned int sec, i;

	/* A real scanner half-way (5 ports) ... */
	for (i = 0; i < 5; i++) {
		sc.lport = (uint16_t)(2000 + i);
		feed(&sc, at(0, i));
	}
	tick_sec(0);
	/* ... then 100,000 spoofed one-port sources (backscatter) ... */
	for (sec = 1; sec < 5; sec++) {
		for (i = 0; i < 25000; i++) {
			set_ip4(&sp, 0x0a000000u + (sec - 1) * 25000 + i);
			feed(&sp, at(sec, i / 25));
		}
		tick_sec(sec);
	}
	/* ... and the scanner goes on: it was not pushed out. */
	for (i = 5; i < 10; i++) {
		sc.lport = (uint16_t)(2000 + i);
		feed(&sc, at(5, i));
	}
	tick_sec(5);
	ck_assert_int_eq(h.n, 2);
	expect(0, ALERT_RAISED, ALERT_SYN_FLOOD, "all", at(1, 999));
	expect(1, ALERT_RAISED, ALERT_PORT_SCAN, "198.51.100.9", at(5, 999));
	ck_assert_uint_eq(h.rec[1].a.ev.scan.first_port, 2000);
	ck_assert_uint_eq(h.rec[1].a.ev.scan.last_port, 2009);
	ck_assert_uint_eq(h.rec[1].a.ev.scan.ports, 10);
	ck_assert_uint_eq(detect_active(h.d, ALERT_PORT_SCAN), 1);
	ck_assert_uint_eq(detect_active(h.d, ALERT_RESET_RATE), 0);
	ck_assert_uint_eq(detect_dropped(h.d), 0);
}
END_TEST

START_TEST(test_scan_benign_retry)
{
	struct detect_event e = ev4(0xc000020a, 8080, CAUSE_CLOSED_PORT);
	unsigned int sec;

	/* A client's SYN and its retransmissions to one closed port. */
	for (sec = 0; sec < 60; sec++) {
		if (sec == 0 || sec == 1 || sec == 3)
			feed(&e, at(sec, 0));
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 0);
}
END_TEST

START_TEST(test_scan_slow_no_raise)
{
	struct detect_event e = ev4(0xc000020b, 0, CAUSE_CLOSED_PORT);
	unsigned int sec;

	/* One port every 2 s: never 10 within 10 s. */
	for (sec = 0; sec < 60; sec++) {
		if (sec % 2 == 0) {
			e.lport = (uint16_t)(3000 + sec);
			feed(&e, at(sec, 0));
		}
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 0);
}
END_TEST

START_TEST(test_benign_busy_server)
{
	struct detect_event e;
	unsigned int sec, i, r = 0, c = 0;

	/* Five minutes of a busy web server: late segments from clients,
	 * a few aborts, keepalive timeouts, the odd probe of a closed
	 * port and one quick restart of a side service. */
	for (sec = 0; sec < 300; sec++) {
		for (i = 0; i < 20; i++) {
			e = ev_owner(0x64400000u + r++ % 5000, 443,
				     CAUSE_STRAY_SEGMENT,
				     "nginx (nginx.service)", 0);
			feed(&e, at(sec, i * 50));
		}
		for (i = 0; i < 5; i++) {
			e = ev_owner(0x64500000u + r++ % 5000, 443,
				     CAUSE_APP_ABORT, "nginx (nginx.service)",
				     900);
			feed(&e, at(sec, i * 200 + 7));
		}
		e = ev_owner(0x64600000u + sec, 22, CAUSE_KEEPALIVE_TIMEOUT,
			     "sshd (ssh.service)", 700);
		feed(&e, at(sec, 500));
		for (i = 0; i < 2; i++) {
			e = ev4(0xac100000u + c, (uint16_t)(1 + c * 7 % 65000),
				CAUSE_CLOSED_PORT);
			c++;
			feed(&e, at(sec, i * 500 + 3));
		}
		if (sec == 100) {
			h.alive = false;
			e = ev_down(0x64700001u, 9000, W0 + 100);
			burst(&e, sec, 20);
		}
		if (sec == 101)
			h.alive = true;
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 0);
}
END_TEST

/* --- syn_flood --------------------------------------------------------- */

/* 500 closed-port resets a second from `sources` remotes, one port each
 * (80, 443 or 22 in proportions 6:3:1). */
static void flood_second(unsigned int sec, unsigned int sources)
{
	struct detect_event e = ev4(0, 0, CAUSE_CLOSED_PORT);
	unsigned int i, r;

	for (i = 0; i < 500; i++) {
		r = (sec * 500 + i) % sources;
		set_ip4(&e, 0x64400000u + r);
		e.lport = r % 10 < 6 ? 80 : r % 10 < 9 ? 443 : 22;
		feed(&e, at(sec, i * 2));
	}
}

START_TEST(test_flood_raises)
{
	unsigned int sec;

	for (sec = 0; sec < 70; sec++) {
		if (sec < 20)
			flood_second(sec, 1000);
		tick_sec(sec);
		if (sec < 9)
			ck_assert_int_eq(h.n, 0);
	}
	ck_assert_int_eq(h.n, 2);
	/* Ten full seconds at 500/s: the tick that sees them raises. */
	expect(0, ALERT_RAISED, ALERT_SYN_FLOOD, "all", at(9, 999));
	ck_assert_int_eq(h.rec[0].a.severity, SEV_CRITICAL);
	ck_assert(h.rec[0].a.ev.flood.rate == 500.0);
	ck_assert(h.rec[0].a.ev.flood.sources >= 900 &&
		  h.rec[0].a.ev.flood.sources <= 1100);
	ck_assert_int_eq(h.rec[0].a.ev.flood.ntop, 3);
	ck_assert_uint_eq(h.rec[0].a.ev.flood.top_ports[0], 80);
	ck_assert_uint_eq(h.rec[0].a.ev.flood.top_ports[1], 443);
	ck_assert_uint_eq(h.rec[0].a.ev.flood.top_ports[2], 22);
	/* Held while seconds 10..19 average 500/s; quiet 30 s after. */
	expect(1, ALERT_CLEARED, ALERT_SYN_FLOOD, "all", at(49, 999));
	ck_assert_int_eq(count_type(ALERT_RESET_RATE), 0);
	ck_assert_int_eq(count_type(ALERT_PORT_SCAN), 0);
}
END_TEST

/* A spoofed flood over `stray` unexplained resets a second. */
static void flood_with_stray(unsigned int stray)
{
	struct detect_event st =
		ev_owner(0x0a000002, 443, CAUSE_STRAY_SEGMENT, "nginx", 7);
	unsigned int sec;

	for (sec = 0; sec < 12; sec++) {
		flood_second(sec, 1000);
		burst(&st, sec, stray);
		tick_sec(sec);
	}
}

START_TEST(test_flood_quiet_background)
{
	/* 40/s of others is below the floor: the flood adds nothing. */
	flood_with_stray(40);
	ck_assert_int_eq(h.n, 1);
	expect(0, ALERT_RAISED, ALERT_SYN_FLOOD, "all", at(9, 999));
}
END_TEST

START_TEST(test_flood_busy_background)
{
	/* The flood explains its own resets, not 60/s of others. */
	flood_with_stray(60);
	ck_assert_int_eq(h.n, 2);
	expect(0, ALERT_RAISED, ALERT_RESET_RATE, "all", at(8, 999));
	ck_assert(h.rec[0].a.ev.rate.rate == 54.0);
	expect(1, ALERT_RAISED, ALERT_SYN_FLOOD, "all", at(9, 999));
}
END_TEST

START_TEST(test_flood_few_sources)
{
	unsigned int sec;

	/* 500/s, but from 10 remotes: not backscatter to spoofed ones. */
	for (sec = 0; sec < 40; sec++) {
		if (sec < 20)
			flood_second(sec, 10);
		tick_sec(sec);
	}
	ck_assert_int_eq(count_type(ALERT_SYN_FLOOD), 0);
	ck_assert_int_eq(count_type(ALERT_PORT_SCAN), 0);
}
END_TEST

START_TEST(test_flood_without_stats)
{
	unsigned int sec;

	/* No statistics to count sources with: no verdict, no crash. */
	h.env.stats = NULL;
	for (sec = 0; sec < 15; sec++) {
		flood_second(sec, 1000);
		tick_sec(sec);
	}
	ck_assert_int_eq(count_type(ALERT_SYN_FLOOD), 0);
}
END_TEST

/* --- service_down ------------------------------------------------------ */

START_TEST(test_down_raise_clear)
{
	struct detect_event e = ev_down(0x0a010203, 6379, W0);
	char line[256];
	unsigned int sec;

	/* redis went away at second 0; clients retry 100 times a second. */
	for (sec = 0; sec < 30; sec++) {
		if (sec == 21)
			h.alive = true; /* back */
		if (sec < 21)
			burst(&e, sec, 100);
		tick_sec(sec);
		if (sec < 2)
			ck_assert_int_eq(h.n, 0);
	}
	ck_assert_uint_gt(h.alive_calls, 0);
	ck_assert_int_eq(h.n, 2);
	/* Gone 2 s (down_grace_ms): raised at that tick. */
	expect(0, ALERT_RAISED, ALERT_SERVICE_DOWN, "ipv4:6379", at(2, 999));
	ck_assert_int_eq(h.rec[0].a.severity, SEV_CRITICAL);
	ck_assert_uint_eq(h.rec[0].a.ev.down.port, 6379);
	ck_assert_uint_eq(h.rec[0].a.ev.down.family, AF_INET);
	ck_assert_str_eq(h.rec[0].a.ev.down.comm, "redis-server");
	ck_assert_uint_eq(h.rec[0].a.ev.down.pid, 812);
	ck_assert_str_eq(h.rec[0].a.ev.down.unit, "redis-server.service");
	ck_assert_int_eq(h.rec[0].a.ev.down.gone_wall, W0);
	ck_assert_uint_eq(h.rec[0].a.ev.down.attempts, 300);
	alert_format_kv(&h.rec[0].a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line,
			 "alert=service_down state=raised port=6379 family=4 "
			 "last_owner=redis-server pid=812 "
			 "unit=redis-server.service "
			 "since=2023-11-14T22:13:20Z attempts=300");
	/* The listener is back: cleared at once, not after quiet_s. */
	expect(1, ALERT_CLEARED, ALERT_SERVICE_DOWN, "ipv4:6379", at(21, 999));
	ck_assert_uint_eq(h.rec[1].a.ev.down.attempts, 2100);
	/* 100/s for 21 s, all of them the outage's. */
	ck_assert_int_eq(count_type(ALERT_RESET_RATE), 0);
}
END_TEST

START_TEST(test_down_ipv6_key)
{
	struct detect_event e = ev_down(0, 443, W0);

	e.family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::5", e.remote), 1);
	feed(&e, at(3, 0));
	tick_sec(3);
	ck_assert_int_eq(h.n, 1);
	expect(0, ALERT_RAISED, ALERT_SERVICE_DOWN, "ipv6:443", at(3, 999));
	ck_assert_uint_eq(h.rec[0].a.ev.down.attempts, 1);
}
END_TEST

START_TEST(test_down_attempts_stop)
{
	struct detect_event e = ev_down(0x0a010203, 6379, W0);
	unsigned int sec;

	/* Still down, but the clients give up after second 9 (last at
	 * 9.9 s): once no attempt is more recent than quiet_s (second 39)
	 * nobody is being reset any more and the alert clears at once. */
	for (sec = 0; sec < 90; sec++) {
		if (sec < 10)
			burst(&e, sec, 10);
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 2);
	expect(0, ALERT_RAISED, ALERT_SERVICE_DOWN, "ipv4:6379", at(2, 999));
	expect(1, ALERT_CLEARED, ALERT_SERVICE_DOWN, "ipv4:6379", at(39, 999));
	ck_assert_uint_eq(h.rec[1].a.ev.down.attempts, 100);
}
END_TEST

START_TEST(test_down_window_passed)
{
	struct detect_event e = ev_down(0x0a010203, 6379, W0 - 3600);
	unsigned int sec;

	/* Gone an hour (down_window_s is 10 min): not service_down. */
	for (sec = 0; sec < 30; sec++) {
		burst(&e, sec, 10);
		tick_sec(sec);
	}
	ck_assert_int_eq(count_type(ALERT_SERVICE_DOWN), 0);
}
END_TEST

START_TEST(test_down_quick_restart)
{
	struct detect_event e = ev_down(0x0a010203, 8080, W0);
	unsigned int sec;

	/* A restart: gone for a second or so, 2,000 resets meanwhile. */
	for (sec = 0; sec < 90; sec++) {
		if (sec < 2)
			burst(&e, sec, 1000);
		if (sec == 2)
			h.alive = true;
		tick_sec(sec);
	}
	/* Neither service_down nor reset_rate: nothing at all. */
	ck_assert_int_eq(h.n, 0);
	ck_assert_uint_eq(detect_dropped(h.d), 0);
}
END_TEST

/* --- listen_overflow --------------------------------------------------- */

START_TEST(test_overflow)
{
	struct detect_event e = ev_owner(0x0a000009, 8080,
					 CAUSE_LISTEN_OVERFLOW,
					 "nginx (nginx.service)", 900);
	char line[256];
	unsigned int sec;

	e.backlog = 128;
	e.queue = 129;
	feed(&e, at(0, 0));
	for (sec = 0; sec < 60; sec++) {
		tick_sec(sec);
		if (sec == 38)
			ck_assert_int_eq(h.n, 1);
	}
	ck_assert_int_eq(h.n, 2);
	expect(0, ALERT_RAISED, ALERT_LISTEN_OVERFLOW, "port 8080", at(0, 999));
	ck_assert_uint_eq(h.rec[0].a.ev.overflow.port, 8080);
	ck_assert_uint_eq(h.rec[0].a.ev.overflow.backlog, 128);
	ck_assert_uint_eq(h.rec[0].a.ev.overflow.queue, 129);
	ck_assert_uint_eq(h.rec[0].a.ev.overflow.resets, 1);
	ck_assert_str_eq(h.rec[0].a.ev.overflow.owner, "nginx (nginx.service)");
	alert_format_kv(&h.rec[0].a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=listen_overflow state=raised port=8080 "
			       "owner=\"nginx (nginx.service)\" backlog=128 "
			       "queue=129 resets=1");
	/* Its condition (a reset within 10 s) last held at second 9. */
	expect(1, ALERT_CLEARED, ALERT_LISTEN_OVERFLOW, "port 8080",
	       at(39, 999));
}
END_TEST

/* --- abort_storm ------------------------------------------------------- */

START_TEST(test_storm_raise)
{
	struct detect_event ab = ev_owner(0x0a000001, 8443, CAUSE_APP_ABORT,
					  "java (app.service)", 4242);
	struct detect_event uc = ev_owner(0x0a000002, 8443, CAUSE_UNREAD_CLOSE,
					  "java (app.service)", 4242);
	char line[256];
	unsigned int sec;

	for (sec = 0; sec < 60; sec++) {
		if (sec < 15) {
			burst(&ab, sec, 40);
			burst(&uc, sec, 10);
		}
		tick_sec(sec);
		if (sec < 9)
			ck_assert_int_eq(h.n, 0);
	}
	ck_assert_int_eq(h.n, 2);
	expect(0, ALERT_RAISED, ALERT_ABORT_STORM, "java (app.service)",
	       at(9, 999));
	ck_assert(h.rec[0].a.ev.storm.rate == 50.0);
	ck_assert_uint_eq(h.rec[0].a.ev.storm.pid, 4242);
	ck_assert_uint_eq(h.rec[0].a.ev.storm.by_cause[CAUSE_APP_ABORT], 400);
	ck_assert_uint_eq(h.rec[0].a.ev.storm.by_cause[CAUSE_UNREAD_CLOSE],
			  100);
	alert_format_kv(&h.rec[0].a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=abort_storm state=raised "
			       "owner=\"java (app.service)\" pid=4242 "
			       "rate=50/s app_abort=400 unread_close=100");
	/* Seconds 5..14 were the last ten at 50/s. */
	expect(1, ALERT_CLEARED, ALERT_ABORT_STORM, "java (app.service)",
	       at(44, 999));
	ck_assert_int_eq(count_type(ALERT_RESET_RATE), 0);
}
END_TEST

START_TEST(test_storm_two_owners)
{
	struct detect_event a = ev_owner(0x0a000001, 8443, CAUSE_APP_ABORT,
					 "java (app.service)", 4242);
	struct detect_event b = ev_owner(0x0a000002, 5432, CAUSE_APP_ABORT,
					 "postgres (postgresql.service)", 99);
	unsigned int sec;

	/* 60/s in all, but no single owner at 50/s. */
	for (sec = 0; sec < 40; sec++) {
		if (sec < 30) {
			burst(&a, sec, 30);
			burst(&b, sec, 30);
		}
		tick_sec(sec);
	}
	ck_assert_int_eq(count_type(ALERT_ABORT_STORM), 0);
}
END_TEST

START_TEST(test_storm_busy_background)
{
	struct detect_event ab = ev_owner(0x0a000001, 8443, CAUSE_APP_ABORT,
					  "java (app.service)", 4242);
	struct detect_event st =
		ev_owner(0x0a000002, 443, CAUSE_STRAY_SEGMENT, "nginx", 7);
	unsigned int sec;

	/* 35/s of unexplained resets (below the floor of 50), then an
	 * owner storms at 60/s: only the storm. */
	for (sec = 0; sec < 40; sec++) {
		burst(&st, sec, 35);
		if (sec >= 20 && sec < 35)
			burst(&ab, sec, 60);
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 1);
	expect(0, ALERT_RAISED, ALERT_ABORT_STORM, "java (app.service)",
	       at(28, 999));
}
END_TEST

START_TEST(test_storm_high_rate_no_reset_rate)
{
	struct detect_event ab = ev_owner(0x0a000001, 8443, CAUSE_APP_ABORT,
					  "haproxy (haproxy.service)", 77);
	unsigned int sec;

	/* A storm threshold far above reset_rate's floor: the storm's
	 * aborts on its way up are still its own. */
	h.p.storm_rate = 400;
	params_apply();
	for (sec = 0; sec < 12; sec++) {
		burst(&ab, sec, 450);
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 1);
	expect(0, ALERT_RAISED, ALERT_ABORT_STORM, "haproxy (haproxy.service)",
	       at(8, 999));
}
END_TEST

/* --- reset_rate -------------------------------------------------------- */

/* n stray segments in second sec, from rotating remotes, to a listener. */
static void stray_second(unsigned int sec, unsigned int n)
{
	struct detect_event e = ev_owner(0, 443, CAUSE_STRAY_SEGMENT,
					 "nginx (nginx.service)", 0);
	unsigned int i;

	for (i = 0; i < n; i++) {
		set_ip4(&e, 0x64400000u + (sec * 997 + i) % 20000);
		feed(&e, at(sec, i * 1000 / n));
	}
}

START_TEST(test_rate_floor)
{
	unsigned int sec;

	for (sec = 0; sec < 70; sec++) {
		if (sec < 20)
			stray_second(sec, 60);
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 2);
	/* 9 s × 60 = 540 ≥ 10 s × 50. */
	expect(0, ALERT_RAISED, ALERT_RESET_RATE, "all", at(8, 999));
	ck_assert(h.rec[0].a.ev.rate.rate == 54.0);
	ck_assert(h.rec[0].a.ev.rate.baseline == 0.0);
	ck_assert(h.rec[0].a.ev.rate.threshold == 50.0);
	/* Started cold, the burst soon is its own baseline (the average of
	 * the history there is): at second 10 the bar is 3 × 60 and the
	 * hold-down 90, above 60: cleared quiet_s later. */
	expect(1, ALERT_CLEARED, ALERT_RESET_RATE, "all", at(40, 999));
}
END_TEST

START_TEST(test_rate_aborts_many_owners)
{
	struct detect_event e;
	char owner[32];
	unsigned int sec, o;

	/* 60 aborts/s from 20 owners at 3/s each: no storm, but a rate. */
	for (sec = 0; sec < 20; sec++) {
		for (o = 0; o < 20; o++) {
			snprintf(owner, sizeof(owner), "worker%u", o);
			e = ev_owner(0x0a000001 + o, 8000, CAUSE_APP_ABORT,
				     owner, 1000 + o);
			burst(&e, sec, 3);
		}
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 1);
	expect(0, ALERT_RAISED, ALERT_RESET_RATE, "all", at(8, 999));
	ck_assert_int_eq(count_type(ALERT_ABORT_STORM), 0);
}
END_TEST

START_TEST(test_rate_hysteresis)
{
	unsigned int sec;

	/* Five quiet minutes (1/s) make the baseline; then 60/s for 20 s,
	 * 30/s for a minute, 10/s. */
	for (sec = 0; sec < 440; sec++) {
		stray_second(sec, sec < 300 ? 1 :
				  sec < 320 ? 60 :
				  sec < 380 ? 30 :
					      10);
		tick_sec(sec);
		if (sec == 299)
			ck_assert_int_eq(h.n, 0);
		if (sec == 410)
			ck_assert_int_eq(h.n, 2);
	}
	ck_assert_int_eq(h.n, 3);
	expect(0, ALERT_RAISED, ALERT_RESET_RATE, "all", at(308, 999));
	/* 30/s is below the bar (50) but above half of it: held. */
	expect(1, ALERT_UPDATED, ALERT_RESET_RATE, "all", at(368, 999));
	ck_assert(h.rec[1].a.ev.rate.rate == 30.0);
	ck_assert(h.rec[1].a.ev.rate.threshold == 50.0);
	/* Below 25/s from second 382; cleared 30 s after second 381. */
	expect(2, ALERT_CLEARED, ALERT_RESET_RATE, "all", at(411, 999));
}
END_TEST

START_TEST(test_rate_baseline)
{
	unsigned int sec;

	/* A busy server at 100/s, rstmond started with its default warm-up:
	 * 100/s is the host's normal, never an alert. */
	h.p.rate_warmup_s = 60;
	params_apply();
	for (sec = 0; sec < 600; sec++) {
		stray_second(sec, 100);
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 0);
	/* A jump to 400/s: over 3 × 100 once the 10 s average is. */
	for (sec = 600; sec < 620; sec++) {
		stray_second(sec, 400);
		tick_sec(sec);
		if (sec < 606)
			ck_assert_int_eq(h.n, 0);
	}
	ck_assert_int_eq(h.n, 1);
	expect(0, ALERT_RAISED, ALERT_RESET_RATE, "all", at(606, 999));
	ck_assert(h.rec[0].a.ev.rate.rate == 310.0);
	ck_assert(h.rec[0].a.ev.rate.baseline == 100.0);
	ck_assert(h.rec[0].a.ev.rate.threshold == 300.0);
}
END_TEST

/* --- the lifecycle ----------------------------------------------------- */

START_TEST(test_rate_warmup)
{
	unsigned int sec;

	/* A daemon started on a host already at 100/s: that level is the
	 * host's normal, not a surge, and the first minute has no baseline
	 * to tell: nothing until the warm-up is over, and nothing after. */
	h.p.rate_warmup_s = 60;
	params_apply();
	track(ALERT_RESET_RATE);
	for (sec = 0; sec < 400; sec++) {
		stray_second(sec, 100);
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 0);
	/* After it, a jump is a surge. */
	for (; sec < 420; sec++) {
		stray_second(sec, 400);
		tick_sec(sec);
	}
	ck_assert_int_eq(count(ALERT_RESET_RATE, ALERT_RAISED), 1);
}
END_TEST

START_TEST(test_bounded_alerts)
{
	const struct alert *list[16];
	struct detect_event e;
	unsigned int s, i;

	h.p.max_alerts = 3;
	params_apply();
	for (s = 0; s < 10; s++)
		for (i = 0; i < 12; i++) {
			e = ev4(0xc6120001 + s, (uint16_t)(1000 + i),
				CAUSE_CLOSED_PORT);
			feed(&e, at(0, s * 12 + i));
		}
	tick_sec(0);
	ck_assert_int_eq(h.n, 3);
	ck_assert_int_eq(count(ALERT_PORT_SCAN, ALERT_RAISED), 3);
	ck_assert_uint_eq(detect_dropped(h.d), 7);
	ck_assert_uint_eq(detect_active(h.d, ALERT_PORT_SCAN), 3);
	ck_assert_int_eq(detect_alerts(h.d, list, 16), 3);
	ck_assert_int_eq(detect_alerts(h.d, list, 2), 2);
}
END_TEST

/* n scanners, 198.51.x.y, each 12 closed ports within second sec. */
static void scanners(unsigned int n, unsigned int sec)
{
	struct detect_event e;
	unsigned int s, i;

	for (s = 0; s < n; s++)
		for (i = 0; i < 12; i++) {
			e = ev4(0xc6330000 + s, (uint16_t)(1000 + i),
				CAUSE_CLOSED_PORT);
			feed(&e, at(sec, s));
		}
}

static unsigned int active_all(void)
{
	unsigned int t, n = 0;

	for (t = 0; t < ALERT_TYPE_MAX; t++)
		n += detect_active(h.d, (enum alert_type)t);
	return n;
}

/*
 * 64 spoofed scanners (the default --max-alerts) must not refuse a
 * service_down: each type keeps max_alerts / 16 slots (1 for syn_flood
 * and reset_rate), so port_scan gets 64 - 14 = 50 of them.
 */
START_TEST(test_reserve_scan_flood)
{
	struct detect_event down = ev_down(0x0a010203, 6379, W0);
	unsigned int sec;

	ck_assert_uint_eq(h.p.max_alerts, 64);
	for (sec = 0; sec < 5; sec++) {
		if (sec == 0)
			scanners(64, 0);
		burst(&down, sec, 10);
		tick_sec(sec);
	}
	ck_assert_int_eq(count(ALERT_SERVICE_DOWN, ALERT_RAISED), 1);
	ck_assert_uint_eq(detect_active(h.d, ALERT_SERVICE_DOWN), 1);
	ck_assert_int_eq(count(ALERT_PORT_SCAN, ALERT_RAISED), 50);
	ck_assert_uint_ge(detect_dropped(h.d), 14);
	ck_assert_uint_le(active_all(), 64);
	/* 200 more scanners change nothing: port_scan has its share. */
	scanners(200, 5);
	tick_sec(5);
	ck_assert_int_eq(count(ALERT_PORT_SCAN, ALERT_RAISED), 50);
	ck_assert_uint_eq(active_all(), 51);
}
END_TEST

/*
 * A second type's flood (60 owners aborting 50 connections a second)
 * after the scanners' cannot refuse a third type's raise either, and
 * gets the slots kept for it itself.
 */
START_TEST(test_reserve_two_floods)
{
	struct detect_event ab[60];
	struct detect_event ov =
		ev_owner(0x0a000009, 8080, CAUSE_LISTEN_OVERFLOW, "nginx", 1);
	char owner[32];
	unsigned int sec, i, k;

	for (k = 0; k < 60; k++) {
		snprintf(owner, sizeof(owner), "app%02u (app.service)", k);
		ab[k] = ev_owner(0x0a000100 + k, 8443, CAUSE_APP_ABORT, owner,
				 1000 + k);
	}
	for (sec = 0; sec < 12; sec++) {
		if (sec == 0)
			scanners(64, 0);
		for (i = 0; i < 50; i++)
			for (k = 0; k < 60; k++)
				feed(&ab[k], at(sec, 100 + i * 10));
		if (sec == 10)
			feed(&ov, at(sec, 999));
		tick_sec(sec);
	}
	ck_assert_int_eq(count(ALERT_LISTEN_OVERFLOW, ALERT_RAISED), 1);
	ck_assert_int_eq(count(ALERT_ABORT_STORM, ALERT_RAISED), 4);
	ck_assert_int_eq(count(ALERT_PORT_SCAN, ALERT_RAISED), 50);
	ck_assert_uint_le(active_all(), 64);
}
END_TEST

/* Too few slots to keep one for each type: first come, first served. */
START_TEST(test_reserve_too_few_slots)
{
	struct detect_event down = ev_down(0x0a010203, 6379, W0);
	unsigned int sec;

	h.p.max_alerts = 5;
	params_apply();
	for (sec = 0; sec < 5; sec++) {
		if (sec == 0)
			scanners(10, 0);
		burst(&down, sec, 10);
		tick_sec(sec);
	}
	ck_assert_int_eq(count(ALERT_PORT_SCAN, ALERT_RAISED), 5);
	ck_assert_int_eq(count(ALERT_SERVICE_DOWN, ALERT_RAISED), 0);
	ck_assert_uint_eq(active_all(), 5);
}
END_TEST

START_TEST(test_alerts_oldest_first)
{
	const struct alert *list[4];
	struct detect_event x = ev4(0xcb007107, 0, CAUSE_CLOSED_PORT);
	struct detect_event y = ev4(0xcb007108, 0, CAUSE_CLOSED_PORT);
	struct detect_event ov =
		ev_owner(0x0a000009, 8080, CAUSE_LISTEN_OVERFLOW, "nginx", 1);
	unsigned int sec, i;

	/* Scanner x (second 0) and an overflow (second 1, kept alive);
	 * x clears, and scanner y (second 50) takes its slot: the list
	 * still comes oldest first. */
	for (sec = 0; sec < 51; sec++) {
		for (i = 0; i < 12 && (sec == 0 || sec == 50); i++) {
			(sec == 0 ? &x : &y)->lport = (uint16_t)(1000 + i);
			feed(sec == 0 ? &x : &y, at(sec, i));
		}
		if (sec % 5 == 1)
			feed(&ov, at(sec, 0));
		tick_sec(sec);
	}
	ck_assert_int_eq(h.n, 4);
	expect(0, ALERT_RAISED, ALERT_PORT_SCAN, "203.0.113.7", at(0, 999));
	expect(1, ALERT_RAISED, ALERT_LISTEN_OVERFLOW, "port 8080", at(1, 999));
	expect(2, ALERT_CLEARED, ALERT_PORT_SCAN, "203.0.113.7", at(39, 999));
	expect(3, ALERT_RAISED, ALERT_PORT_SCAN, "203.0.113.8", at(50, 999));
	ck_assert_int_eq(detect_alerts(h.d, list, 4), 2);
	ck_assert_int_eq(list[0]->type, ALERT_LISTEN_OVERFLOW);
	ck_assert_str_eq(list[1]->key, "203.0.113.8");
	ck_assert_uint_eq(list[0]->since_ms, at(1, 999));
	ck_assert_uint_eq(list[1]->since_ms, at(50, 999));
	ck_assert_uint_eq(detect_active(h.d, ALERT_LISTEN_OVERFLOW), 1);
	ck_assert_uint_eq(detect_active(h.d, ALERT_PORT_SCAN), 1);
	ck_assert_uint_eq(detect_active(h.d, ALERT_SYN_FLOOD), 0);
}
END_TEST

START_TEST(test_time_backwards)
{
	struct detect_event e = ev4(0xcb007107, 0, CAUSE_CLOSED_PORT);
	unsigned int i;

	for (i = 0; i < 6; i++) {
		e.lport = (uint16_t)(1000 + i);
		feed(&e, at(100, i));
	}
	/* The clock steps back 50 s: these count at second 100. */
	for (i = 6; i < 12; i++) {
		e.lport = (uint16_t)(1000 + i);
		feed(&e, at(50, i));
	}
	tick(at(40, 0));
	ck_assert_int_eq(h.n, 1);
	ck_assert_int_eq(h.rec[0].ch, ALERT_RAISED);
	ck_assert_uint_eq(h.rec[0].a.since_ms, at(100, 5));
	ck_assert_uint_eq(h.rec[0].a.asserted_ms, at(100, 5));
	ck_assert_uint_eq(h.rec[0].a.ev.scan.resets, 12);
	/* Not yet 30 s quiet; a step back is no time at all. */
	tick(at(130, 4));
	tick(at(0, 0));
	tick(at(1, 0));
	ck_assert_int_eq(h.n, 1);
	tick(at(130, 5));
	ck_assert_int_eq(h.n, 2);
	ck_assert_int_eq(h.rec[1].ch, ALERT_CLEARED);
}
END_TEST

START_TEST(test_clock_from_zero)
{
	struct detect_event e = ev4(0xcb007107, 0, CAUSE_CLOSED_PORT);
	unsigned int i;

	/* A monotonic clock may start at 0 like anywhere else. */
	for (i = 0; i < 12; i++) {
		e.lport = (uint16_t)(1000 + i);
		feed(&e, 0);
	}
	tick(999);
	ck_assert_int_eq(h.n, 1);
	expect(0, ALERT_RAISED, ALERT_PORT_SCAN, "203.0.113.7", 999);
	ck_assert_uint_eq(h.rec[0].a.ev.scan.resets, 12);
	ck_assert_uint_eq(h.rec[0].a.ev.scan.first_port, 1000);
}
END_TEST

START_TEST(test_resolve_unknown_quiet)
{
	unsigned int sec;

	/* Nothing at all for a while: no callback, no alert. */
	for (sec = 0; sec < 400; sec += 7)
		tick_sec(sec);
	ck_assert_int_eq(h.n, 0);
	ck_assert_int_eq(detect_alerts(h.d, NULL, 0), 0);
}
END_TEST

/* --- formatting -------------------------------------------------------- */

static struct alert scan_alert(void)
{
	struct alert a;

	memset(&a, 0, sizeof(a));
	a.type = ALERT_PORT_SCAN;
	a.severity = SEV_WARNING;
	snprintf(a.key, sizeof(a.key), "203.0.113.7");
	a.since_wall = W0;
	a.ev.scan.family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, "203.0.113.7", a.ev.scan.remote),
			 1);
	a.ev.scan.ports = 812;
	a.ev.scan.first_port = 1;
	a.ev.scan.last_port = 1000;
	a.ev.scan.resets = 900;
	a.ev.scan.rate = 540;
	return a;
}

/*
 * Into any smaller buffer the line is cut, never overrun, and what is
 * left is a prefix of the whole: a cut value cannot read as another.
 */
static void kv_cut(const struct alert *a, const char *whole)
{
	char small[256];
	size_t len;

	for (len = 1; len <= strlen(whole) + 1; len++) {
		memset(small, 'x', sizeof(small));
		alert_format_kv(a, ALERT_RAISED, small, len);
		ck_assert_uint_eq(strlen(small), len - 1);
		ck_assert_msg(strncmp(small, whole, len - 1) == 0,
			      "cut at %zu: %s", len, small);
		ck_assert_int_eq(small[len], 'x');
	}
}

START_TEST(test_format_kv)
{
	struct alert a = scan_alert();
	char line[512];

	alert_format_kv(&a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=port_scan state=raised "
			       "remote=203.0.113.7 ports=812 first_port=1 "
			       "last_port=1000 rate=540/s");
	alert_format_kv(&a, ALERT_CLEARED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=port_scan state=cleared "
			       "remote=203.0.113.7 ports=812 first_port=1 "
			       "last_port=1000 rate=540/s");
	alert_format_kv(&a, ALERT_UPDATED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=port_scan state=update "
			       "remote=203.0.113.7 ports=812 first_port=1 "
			       "last_port=1000 rate=540/s");
	alert_format_kv(&a, ALERT_RAISED, line, sizeof(line));
	kv_cut(&a, line);

	/* A value with blanks is quoted; a quote in it cannot end it. */
	memset(&a, 0, sizeof(a));
	a.type = ALERT_ABORT_STORM;
	snprintf(a.key, sizeof(a.key), "java (app.service)");
	snprintf(a.ev.storm.owner, sizeof(a.ev.storm.owner),
		 "java (app.service)");
	a.ev.storm.pid = 4242;
	a.ev.storm.rate = 62.5;
	a.ev.storm.by_cause[CAUSE_APP_ABORT] = 600;
	a.ev.storm.by_cause[CAUSE_KEEPALIVE_TIMEOUT] = 25;
	alert_format_kv(&a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=abort_storm state=raised "
			       "owner=\"java (app.service)\" pid=4242 "
			       "rate=62/s app_abort=600 "
			       "keepalive_timeout=25");
	kv_cut(&a, line);
	snprintf(a.ev.storm.owner, sizeof(a.ev.storm.owner),
		 "evil\" state=cleared");
	a.ev.storm.pid = 0;
	memset(a.ev.storm.by_cause, 0, sizeof(a.ev.storm.by_cause));
	a.ev.storm.rate = 5.25;
	alert_format_kv(&a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=abort_storm state=raised "
			       "owner=\"evil' state=cleared\" rate=5.2/s");
	a.ev.storm.owner[0] = '\0';
	alert_format_kv(&a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=abort_storm state=raised owner=\"\" "
			       "rate=5.2/s");

	/* The other types, as rstmond(8) shows them. */
	memset(&a, 0, sizeof(a));
	a.type = ALERT_SYN_FLOOD;
	alert_format_kv(&a, ALERT_CLEARED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=syn_flood state=cleared rate=0.0/s "
			       "sources=0");
	a.ev.flood.rate = 812.4;
	a.ev.flood.sources = 3021.7;
	a.ev.flood.ntop = 3;
	a.ev.flood.top_ports[0] = 80;
	a.ev.flood.top_ports[1] = 443;
	a.ev.flood.top_ports[2] = 22;
	alert_format_kv(&a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=syn_flood state=raised rate=812/s "
			       "sources=3021 top_ports=80,443,22");

	memset(&a, 0, sizeof(a));
	a.type = ALERT_SERVICE_DOWN;
	a.ev.down.port = 6379;
	snprintf(a.ev.down.comm, sizeof(a.ev.down.comm), "redis-server");
	a.ev.down.pid = 812;
	snprintf(a.ev.down.unit, sizeof(a.ev.down.unit),
		 "redis-server.service");
	a.ev.down.gone_wall = 1795435387; /* 2026-11-23T12:03:07Z */
	a.ev.down.attempts = 42;
	alert_format_kv(&a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line,
			 "alert=service_down state=raised port=6379 family=4 "
			 "last_owner=redis-server pid=812 "
			 "unit=redis-server.service "
			 "since=2026-11-23T12:03:07Z attempts=42");

	memset(&a, 0, sizeof(a));
	a.type = ALERT_RESET_RATE;
	a.ev.rate.rate = 310;
	a.ev.rate.baseline = 2.5;
	a.ev.rate.threshold = 50;
	alert_format_kv(&a, ALERT_RAISED, line, sizeof(line));
	ck_assert_str_eq(line, "alert=reset_rate state=raised rate=310/s "
			       "baseline=2.5/s threshold=50/s");
}
END_TEST

static const char *json_of(struct json *j, char *buf, size_t len,
			   const struct alert *a)
{
	json_init_fixed(j, buf, len);
	alert_format_json(j, a);
	ck_assert(json_ok(j));
	return json_text(j);
}

START_TEST(test_format_json)
{
	struct alert a = scan_alert();
	struct json j;
	char buf[2048];
	const char *s;
	int t;

	s = json_of(&j, buf, sizeof(buf), &a);
	ck_assert_str_eq(s, "{\"type\":\"port_scan\",\"key\":\"203.0.113.7\","
			    "\"state\":\"raised\",\"since\":1700000000,"
			    "\"severity\":\"warning\",\"evidence\":{"
			    "\"remote\":\"203.0.113.7\",\"ports\":812,"
			    "\"first_port\":1,\"last_port\":1000,"
			    "\"resets\":900,\"rate\":540.0}}");
	ck_assert(json_valid(s));
	a.updates = 2;
	s = json_of(&j, buf, sizeof(buf), &a);
	ck_assert_ptr_nonnull(strstr(s, "\"state\":\"active\""));

	/* Every type, with awkward strings: still valid JSON. */
	for (t = 0; t < ALERT_TYPE_MAX; t++) {
		memset(&a, 0, sizeof(a));
		a.type = (enum alert_type)t;
		a.severity = SEV_CRITICAL;
		a.since_wall = W0;
		snprintf(a.key, sizeof(a.key), "k \"q\" \\ \x01");
		if (t == ALERT_ABORT_STORM) {
			snprintf(a.ev.storm.owner, sizeof(a.ev.storm.owner),
				 "java \"x\" (app.service)");
			a.ev.storm.by_cause[CAUSE_APP_ABORT] = 3;
		}
		if (t == ALERT_LISTEN_OVERFLOW)
			snprintf(a.ev.overflow.owner,
				 sizeof(a.ev.overflow.owner), "tab\there");
		if (t == ALERT_PORT_SCAN)
			a.ev.scan.family = AF_INET6;
		if (t == ALERT_SERVICE_DOWN) {
			snprintf(a.ev.down.comm, sizeof(a.ev.down.comm),
				 "a\"b");
			a.ev.down.pid = 1;
		}
		if (t == ALERT_SYN_FLOOD) {
			a.ev.flood.ntop = 2;
			a.ev.flood.top_ports[0] = 80;
			a.ev.flood.top_ports[1] = 443;
		}
		s = json_of(&j, buf, sizeof(buf), &a);
		ck_assert_msg(json_valid(s), "%s", s);
		ck_assert_ptr_nonnull(strstr(s, "\"type\":\""));
		ck_assert_ptr_nonnull(strstr(s, alert_type_name(a.type)));
		ck_assert_ptr_nonnull(strstr(s, "\"key\":\"k \\\"q\\\""));
		ck_assert_ptr_nonnull(strstr(s, "\"since\":1700000000"));
		ck_assert_ptr_nonnull(strstr(s, "\"severity\":\"critical\""));
		ck_assert_ptr_nonnull(strstr(s, "\"evidence\":{"));
	}
	/* The JSON checker itself can say no. */
	ck_assert(!json_valid("{\"a\":1,}"));
	ck_assert(!json_valid("{\"a\" 1}"));
	ck_assert(!json_valid("\"a\x01\""));
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(alert_type_name(ALERT_PORT_SCAN), "port_scan");
	ck_assert_str_eq(alert_type_name(ALERT_RESET_RATE), "reset_rate");
	ck_assert_str_eq(alert_type_name(ALERT_TYPE_MAX), "unknown");
	ck_assert_str_eq(alert_change_name(ALERT_RAISED), "raised");
	ck_assert_str_eq(alert_change_name(ALERT_CLEARED), "cleared");
	ck_assert_str_eq(severity_name(SEV_INFO), "info");
	ck_assert_str_eq(severity_name(SEV_WARNING), "warning");
	ck_assert_str_eq(severity_name(SEV_CRITICAL), "critical");
}
END_TEST

Suite *detect_suite(void)
{
	Suite *s = suite_create("detect");
	TCase *tc = tcase_create("detect");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_scan_raise_update_clear);
	tcase_add_test(tc, test_scan_ipv6);
	tcase_add_test(tc, test_scan_spoofed_flood_keeps_scanner);
	tcase_add_test(tc, test_scan_benign_retry);
	tcase_add_test(tc, test_scan_slow_no_raise);
	tcase_add_test(tc, test_benign_busy_server);
	tcase_add_test(tc, test_flood_raises);
	tcase_add_test(tc, test_flood_quiet_background);
	tcase_add_test(tc, test_flood_busy_background);
	tcase_add_test(tc, test_flood_few_sources);
	tcase_add_test(tc, test_flood_without_stats);
	tcase_add_test(tc, test_down_raise_clear);
	tcase_add_test(tc, test_down_ipv6_key);
	tcase_add_test(tc, test_down_attempts_stop);
	tcase_add_test(tc, test_down_window_passed);
	tcase_add_test(tc, test_down_quick_restart);
	tcase_add_test(tc, test_overflow);
	tcase_add_test(tc, test_storm_raise);
	tcase_add_test(tc, test_storm_two_owners);
	tcase_add_test(tc, test_storm_busy_background);
	tcase_add_test(tc, test_storm_high_rate_no_reset_rate);
	tcase_add_test(tc, test_rate_floor);
	tcase_add_test(tc, test_rate_aborts_many_owners);
	tcase_add_test(tc, test_rate_hysteresis);
	tcase_add_test(tc, test_rate_baseline);
	tcase_add_test(tc, test_rate_warmup);
	tcase_add_test(tc, test_bounded_alerts);
	tcase_add_test(tc, test_reserve_scan_flood);
	tcase_add_test(tc, test_reserve_two_floods);
	tcase_add_test(tc, test_reserve_too_few_slots);
	tcase_add_test(tc, test_alerts_oldest_first);
	tcase_add_test(tc, test_time_backwards);
	tcase_add_test(tc, test_clock_from_zero);
	tcase_add_test(tc, test_resolve_unknown_quiet);
	tcase_add_test(tc, test_format_kv);
	tcase_add_test(tc, test_format_json);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
