/* check_detectors: detectors one at a time through their ops, with a fake
 * lifecycle and no detect.c: what each claims, asserts and ends. */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "detector.h"
#include "unit.h"

#define T0 1000000ULL /* now_ms at second 0 */
#define W0 1700000000LL

/* The lifecycle as a detector sees it, recording what it was told. */
struct fake {
	int on;
	int off;
	struct alert last;
	char off_key[96];
	unsigned int count; /* alert_count's answer */
	bool alive;	    /* listener_alive's answer */
};

static struct fake fk;
static struct claim_pool pool;
static struct detect_params p;
static struct detect_env env;
static void *st;

static void fake_on(void *lc, const struct alert *a)
{
	struct fake *f = lc;

	f->on++;
	f->last = *a;
}

static void fake_off(void *lc, enum alert_type t, const char *key)
{
	struct fake *f = lc;

	ck_assert_int_eq(t, ALERT_SERVICE_DOWN);
	f->off++;
	memcpy(f->off_key, key, strlen(key) + 1);
}

static unsigned int fake_count(void *lc, enum alert_type t)
{
	(void)t;
	return ((struct fake *)lc)->count;
}

static bool fake_alive(uint8_t family, uint16_t port, void *arg)
{
	(void)family;
	(void)port;
	return ((struct fake *)arg)->alive;
}

static void setup(void)
{
	memset(&fk, 0, sizeof(fk));
	memset(&pool, 0, sizeof(pool));
	memset(&p, 0, sizeof(p));
	p.scan_ports = 10;
	p.scan_window_s = 10;
	p.flood_rate = 500;
	p.flood_sources = 200;
	p.down_window_s = 600;
	p.down_grace_ms = 2000;
	p.storm_rate = 50;
	p.rate_floor = 50;
	p.rate_factor = 3;
	p.rate_warmup_s = 60;
	p.quiet_s = 30;
	env.listener_alive = fake_alive;
	env.arg = &fk;
	env.stats = NULL;
	st = NULL;
}

static void teardown(void)
{
	free(st);
}

static void *state_of(const struct detector_ops *ops)
{
	st = calloc(1, ops->state_size);
	ck_assert_ptr_nonnull(st);
	return st;
}

static struct detect_ctx ctx(uint64_t now_ms, bool tick)
{
	struct detect_ctx c;

	memset(&c, 0, sizeof(c));
	c.now_ms = now_ms;
	c.wall = W0 + (int64_t)(now_ms - T0) / 1000;
	c.p = &p;
	c.pool = &pool;
	if (tick) {
		c.env = &env;
		c.alert_on = fake_on;
		c.alert_off = fake_off;
		c.alert_count = fake_count;
		c.lc = &fk;
	}
	return c;
}

/* One reset to ops, pooled when unclaimed, as the lifecycle does. */
static bool feed(const struct detector_ops *ops, const struct detect_event *e,
		 uint64_t now_ms)
{
	struct detect_ctx c = ctx(now_ms, false);
	bool mine = ops->event(st, e, false, &c);

	if (!mine)
		claim_pool_add(&pool, now_ms / 1000, 1);
	return mine;
}

static void tick(const struct detector_ops *ops, uint64_t now_ms)
{
	struct detect_ctx c = ctx(now_ms, true);

	ops->tick(st, &c);
}

START_TEST(test_ops)
{
	const struct detector_ops *all[] = {
		&det_scan,     &det_flood, &det_down,
		&det_overflow, &det_storm, &det_rate,
	};
	bool seen[ALERT_TYPE_MAX] = { false };
	unsigned int i;

	/* One detector per alert type, each with a state and a tick; only
	 * the bursts hold resets until they know. */
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		ck_assert_int_lt(all[i]->type, ALERT_TYPE_MAX);
		ck_assert(!seen[all[i]->type]);
		seen[all[i]->type] = true;
		ck_assert_uint_gt(all[i]->state_size, 0);
		ck_assert_ptr_nonnull(all[i]->tick);
		ck_assert_int_eq(all[i]->burst,
				 all[i] == &det_flood || all[i] == &det_storm);
	}
	ck_assert_ptr_null(det_rate.event);
}
END_TEST

START_TEST(test_scan_alone)
{
	struct detect_event e;
	unsigned int i;

	state_of(&det_scan);
	memset(&e, 0, sizeof(e));
	e.family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, "192.0.2.7", e.remote), 1);
	e.cause = CAUSE_CLOSED_PORT;
	/* Nine ports are the generic rate's until the tenth makes a scan:
	 * then they are taken back, and the tenth is claimed. */
	for (i = 0; i < 9; i++) {
		e.lport = (uint16_t)(100 + i);
		ck_assert(!feed(&det_scan, &e, T0 + i));
	}
	ck_assert_uint_eq(claim_pool_sum(&pool, T0 / 1000, 1, 0), 9);
	e.lport = 109;
	ck_assert(feed(&det_scan, &e, T0 + 9));
	ck_assert_uint_eq(claim_pool_sum(&pool, T0 / 1000, 1, 0), 0);
	/* Another cause is none of its business. */
	e.cause = CAUSE_APP_ABORT;
	ck_assert(!feed(&det_scan, &e, T0 + 10));
	ck_assert_uint_eq(claim_pool_sum(&pool, T0 / 1000, 1, 0), 1);
	tick(&det_scan, T0 + 999);
	ck_assert_int_eq(fk.on, 1);
	ck_assert_int_eq(fk.last.type, ALERT_PORT_SCAN);
	ck_assert_str_eq(fk.last.key, "192.0.2.7");
	ck_assert_uint_eq(fk.last.ev.scan.ports, 10);
	ck_assert_uint_eq(fk.last.ev.scan.first_port, 100);
	ck_assert_uint_eq(fk.last.ev.scan.last_port, 109);
	/* Its window over, it says nothing more: the lifecycle clears. */
	tick(&det_scan, T0 + 10001);
	ck_assert_int_eq(fk.on, 1);
}
END_TEST

START_TEST(test_down_alone)
{
	struct detect_event e;

	state_of(&det_down);
	memset(&e, 0, sizeof(e));
	e.family = AF_INET;
	e.lport = 6379;
	e.cause = CAUSE_CLOSED_PORT;
	e.wall = W0;
	ck_assert(!feed(&det_down, &e, T0)); /* no listener went away */
	e.had_listener = true;
	e.gone_wall = W0 - 5;
	ck_assert(feed(&det_down, &e, T0));
	tick(&det_down, T0 + 999);
	ck_assert_int_eq(fk.on, 1);
	ck_assert_str_eq(fk.last.key, "ipv4:6379");
	ck_assert_uint_eq(fk.last.ev.down.attempts, 1);
	/* The listener is back: the alert ends now, and so does the entry. */
	fk.alive = true;
	tick(&det_down, T0 + 1999);
	ck_assert_int_eq(fk.off, 1);
	ck_assert_str_eq(fk.off_key, "ipv4:6379");
	ck_assert_int_eq(fk.on, 1);
	tick(&det_down, T0 + 2999);
	ck_assert_int_eq(fk.off, 1);
}
END_TEST

START_TEST(test_flood_not_held_when_claimed)
{
	struct detect_event e;
	struct detect_ctx c = ctx(T0, false);
	unsigned int i;

	state_of(&det_flood);
	memset(&e, 0, sizeof(e));
	e.family = AF_INET;
	e.cause = CAUSE_CLOSED_PORT;
	/* Past the claim line (250 in 10 s): held, unless another detector
	 * has the reset already. */
	for (i = 0; i < 249; i++)
		ck_assert(!det_flood.event(st, &e, false, &c));
	ck_assert(!det_flood.event(st, &e, true, &c));
	ck_assert(det_flood.event(st, &e, false, &c));
}
END_TEST

START_TEST(test_rate_alone)
{
	uint64_t s0 = T0 / 1000;
	unsigned int s;

	state_of(&det_rate);
	/* The first tick starts the warm-up: nothing for a minute, however
	 * loud. */
	tick(&det_rate, T0 + 999);
	for (s = 50; s < 60; s++)
		claim_pool_add(&pool, s0 + s, 1000);
	tick(&det_rate, T0 + 59999);
	ck_assert_int_eq(fk.on, 0);
	/* Long after (that burst out of the pool's 300 s): 100/s over 10 s
	 * against a quiet baseline, over the floor. */
	for (s = 390; s < 400; s++)
		claim_pool_add(&pool, s0 + s, 100);
	tick(&det_rate, T0 + 399999);
	ck_assert_int_eq(fk.on, 1);
	ck_assert_int_eq(fk.last.type, ALERT_RESET_RATE);
	ck_assert_str_eq(fk.last.key, "all");
	ck_assert(fk.last.ev.rate.rate > 99.9 && fk.last.ev.rate.rate < 100.1);
	ck_assert(fk.last.ev.rate.baseline == 0);
	ck_assert(fk.last.ev.rate.threshold == 50);
	/* 30/s: still on while active (half the bar), not raised anew. */
	for (s = 400; s < 410; s++)
		claim_pool_add(&pool, s0 + s, 30);
	fk.count = 1;
	tick(&det_rate, T0 + 409999);
	ck_assert_int_eq(fk.on, 2);
	ck_assert(fk.last.ev.rate.threshold == 50);
	fk.count = 0;
	tick(&det_rate, T0 + 409999);
	ck_assert_int_eq(fk.on, 2);
}
END_TEST

Suite *detectors_suite(void)
{
	Suite *s = suite_create("detectors");
	TCase *tc = tcase_create("detectors");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ops);
	tcase_add_test(tc, test_scan_alone);
	tcase_add_test(tc, test_down_alone);
	tcase_add_test(tc, test_flood_not_held_when_claimed);
	tcase_add_test(tc, test_rate_alone);
	suite_add_tcase(s, tc);
	return s;
}
