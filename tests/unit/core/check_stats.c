/* check_stats: windowed counts and rates on a fake clock, idle gaps, time
 * going back, causes and families, top talkers and distinct remotes. */
#include <check.h>
#include <string.h>
#include <sys/socket.h>

#include "stats.h"
#include "unit.h"

#define SEC 1000ULL /* now_ms per second */

static struct stats_key key4(uint32_t ip, uint16_t port, enum cause c)
{
	struct stats_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.remote[0] = (uint8_t)(ip >> 24);
	k.remote[1] = (uint8_t)(ip >> 16);
	k.remote[2] = (uint8_t)(ip >> 8);
	k.remote[3] = (uint8_t)ip;
	k.lport = port;
	k.cause = c;
	return k;
}

static struct stats_key key_owner(uint16_t port, const char *owner)
{
	struct stats_key k = key4(0x0a000001, port, CAUSE_CLOSED_PORT);

	k.has_owner = true;
	strncpy(k.owner, owner, sizeof(k.owner) - 1);
	return k;
}

static void add_n(struct stats *s, uint64_t now_ms, int n,
		  const struct stats_key *k)
{
	int i;

	for (i = 0; i < n; i++)
		stats_add(s, now_ms, k);
}

static struct stats *stats_alloc(void)
{
	struct stats *s = stats_new();

	ck_assert_ptr_nonnull(s);
	return s;
}

START_TEST(test_second_boundaries)
{
	struct stats *s = stats_alloc();
	struct stats_key k = key4(0x0a000001, 80, CAUSE_CLOSED_PORT);

	add_n(s, 999, 5, &k);  /* second 0 */
	add_n(s, 1000, 5, &k); /* second 1 */
	ck_assert_uint_eq(stats_count(s, 1000, WIN_10S), 10);
	ck_assert(stats_rate(s, 1000, WIN_10S) == 1.0);
	ck_assert(stats_rate(s, 1000, WIN_60S) == 10.0 / 60);
	ck_assert(stats_rate(s, 1000, WIN_300S) == 10.0 / 300);
	/* The 10 s window at second 9 is seconds 0..9, at 10 it is 1..10. */
	ck_assert_uint_eq(stats_count(s, 9 * SEC + 999, WIN_10S), 10);
	ck_assert_uint_eq(stats_count(s, 10 * SEC, WIN_10S), 5);
	ck_assert_uint_eq(stats_count(s, 10 * SEC + 999, WIN_10S), 5);
	ck_assert_uint_eq(stats_count(s, 11 * SEC, WIN_10S), 0);
	ck_assert_uint_eq(stats_count(s, 59 * SEC + 999, WIN_60S), 10);
	ck_assert_uint_eq(stats_count(s, 60 * SEC, WIN_60S), 5);
	ck_assert_uint_eq(stats_count(s, 61 * SEC, WIN_60S), 0);
	ck_assert_uint_eq(stats_count(s, 299 * SEC, WIN_300S), 10);
	ck_assert_uint_eq(stats_count(s, 300 * SEC, WIN_300S), 5);
	ck_assert_uint_eq(stats_count(s, 301 * SEC, WIN_300S), 0);
	ck_assert_uint_eq(stats_total(s), 10);
	stats_free(s);
}
END_TEST

START_TEST(test_partial_second)
{
	struct stats *s = stats_alloc();
	struct stats_key k = key4(0x0a000001, 80, CAUSE_CLOSED_PORT);

	add_n(s, 20 * SEC + 100, 3, &k);
	ck_assert_uint_eq(stats_count(s, 20 * SEC + 100, WIN_10S), 3);
	add_n(s, 20 * SEC + 900, 2, &k);
	ck_assert_uint_eq(stats_count(s, 20 * SEC + 950, WIN_10S), 5);
	ck_assert(stats_rate(s, 20 * SEC + 950, WIN_10S) == 0.5);
	ck_assert(stats_rate(s, 20 * SEC + 950, WIN_60S) == 5.0 / 60);
	stats_free(s);
}
END_TEST

START_TEST(test_idle_gaps)
{
	struct stats *s = stats_alloc();
	struct stats_key k = key4(0x0a000001, 80, CAUSE_CLOSED_PORT);
	struct stats_item it[4];
	int d, w;

	/* 5 s: both bursts in the 10 s window, then only the second. */
	add_n(s, 1 * SEC, 4, &k);
	add_n(s, 6 * SEC, 6, &k);
	ck_assert_uint_eq(stats_count(s, 6 * SEC, WIN_10S), 10);
	ck_assert_uint_eq(stats_count(s, 11 * SEC, WIN_10S), 6);

	/* 70 s: out of the 60 s window, still in the 300 s one. */
	add_n(s, 100 * SEC, 7, &k);
	add_n(s, 170 * SEC, 3, &k);
	ck_assert_uint_eq(stats_count(s, 170 * SEC, WIN_10S), 3);
	ck_assert_uint_eq(stats_count(s, 170 * SEC, WIN_60S), 3);
	ck_assert_uint_eq(stats_count(s, 170 * SEC, WIN_300S), 20);
	ck_assert_int_eq(stats_top(s, 170 * SEC, DIM_PORTS, WIN_60S, it, 4), 1);
	ck_assert_uint_eq(it[0].count, 3);
	ck_assert_int_eq(stats_top(s, 170 * SEC, DIM_PORTS, WIN_300S, it, 4),
			 1);
	ck_assert_uint_eq(it[0].count, 20);

	/* 10 min: every window empty, summaries included, then clean. */
	add_n(s, 1000 * SEC, 5, &k);
	for (w = 0; w < WIN_MAX; w++) {
		ck_assert_uint_eq(stats_count(s, 1600 * SEC, w), 0);
		ck_assert(stats_distinct_remotes(s, 1600 * SEC, w) == 0);
		for (d = 0; d < DIM_MAX; d++)
			ck_assert_int_eq(stats_top(s, 1600 * SEC, d, w, it, 4),
					 0);
	}
	add_n(s, 1600 * SEC, 2, &k);
	for (w = 0; w < WIN_MAX; w++) {
		ck_assert_uint_eq(stats_count(s, 1600 * SEC, w), 2);
		ck_assert_int_eq(stats_top(s, 1600 * SEC, DIM_PORTS, w, it, 4),
				 1);
		ck_assert_uint_eq(it[0].count, 2);
	}
	ck_assert_uint_eq(stats_total(s), 27);
	stats_free(s);
}
END_TEST

/* 300 s later the same ring slots come round again: no stale data. */
START_TEST(test_ring_wrap)
{
	struct stats *s = stats_alloc();
	struct stats_key a = key4(0x0a000001, 80, CAUSE_CLOSED_PORT);
	struct stats_key b = key4(0x0a000002, 81, CAUSE_CLOSED_PORT);
	struct stats_item it[4];

	/* Seconds 0 and 9: ring slots 0 and 9, fine slots 0 and 9, coarse
	 * slot 0.  Second 300 reuses ring, fine and coarse slot 0. */
	add_n(s, 0, 2, &a);
	add_n(s, 9 * SEC, 2, &a);
	ck_assert_uint_eq(stats_count(s, 299 * SEC, WIN_300S), 4);
	ck_assert_uint_eq(stats_count(s, 300 * SEC, WIN_300S), 2);
	add_n(s, 300 * SEC, 1, &b);
	ck_assert_uint_eq(stats_count(s, 300 * SEC, WIN_300S), 3);
	ck_assert_uint_eq(stats_count(s, 300 * SEC, WIN_10S), 1);
	/* Top over 300 s at second 300 covers slots 1..30 (aligned). */
	ck_assert_int_eq(stats_top(s, 300 * SEC, DIM_PORTS, WIN_300S, it, 4),
			 1);
	ck_assert_uint_eq(it[0].port, 81);
	ck_assert_uint_eq(it[0].count, 1);
	add_n(s, 301 * SEC, 1, &b);
	ck_assert_int_eq(stats_top(s, 301 * SEC, DIM_PORTS, WIN_300S, it, 4),
			 1);
	ck_assert_uint_eq(it[0].count, 2);
	ck_assert_int_eq(stats_top(s, 301 * SEC, DIM_REMOTES, WIN_10S, it, 4),
			 1);
	ck_assert_uint_eq(it[0].remote[3], 2);
	ck_assert_uint_eq(it[0].count, 2);
	ck_assert(stats_distinct_remotes(s, 301 * SEC, WIN_300S) < 1.5);
	/* And everything gone 300 s after the last event. */
	ck_assert_uint_eq(stats_count(s, 601 * SEC, WIN_300S), 0);
	ck_assert_int_eq(stats_top(s, 611 * SEC, DIM_PORTS, WIN_300S, it, 4),
			 0);
	ck_assert(stats_distinct_remotes(s, 611 * SEC, WIN_300S) == 0);
	stats_free(s);
}
END_TEST

START_TEST(test_causes)
{
	struct stats *s = stats_alloc();
	struct stats_key k = key4(0x0a000001, 80, CAUSE_CLOSED_PORT);
	uint64_t out[CAUSE_MAX];

	add_n(s, 0, 3, &k);
	k.cause = CAUSE_APP_ABORT;
	add_n(s, 30 * SEC, 2, &k);
	k.cause = CAUSE_FIREWALL;
	add_n(s, 35 * SEC, 1, &k);
	k.cause = (enum cause)99; /* out of range: unknown */
	add_n(s, 35 * SEC, 1, &k);

	stats_causes(s, 35 * SEC, WIN_10S, out);
	ck_assert_uint_eq(out[CAUSE_CLOSED_PORT], 0);
	ck_assert_uint_eq(out[CAUSE_APP_ABORT], 2);
	ck_assert_uint_eq(out[CAUSE_FIREWALL], 1);
	ck_assert_uint_eq(out[CAUSE_UNKNOWN], 1);
	stats_causes(s, 35 * SEC, WIN_60S, out);
	ck_assert_uint_eq(out[CAUSE_CLOSED_PORT], 3);
	ck_assert_uint_eq(out[CAUSE_APP_ABORT], 2);
	ck_assert_uint_eq(out[CAUSE_TIME_WAIT], 0);
	stats_causes(s, 60 * SEC, WIN_60S, out);
	ck_assert_uint_eq(out[CAUSE_CLOSED_PORT], 0);
	ck_assert_uint_eq(out[CAUSE_APP_ABORT], 2);

	ck_assert_uint_eq(stats_total_cause(s, CAUSE_CLOSED_PORT), 3);
	ck_assert_uint_eq(stats_total_cause(s, CAUSE_APP_ABORT), 2);
	ck_assert_uint_eq(stats_total_cause(s, CAUSE_UNKNOWN), 1);
	ck_assert_uint_eq(stats_total_cause(s, CAUSE_MAX), 0);
	ck_assert_uint_eq(stats_total(s), 7);
	stats_free(s);
}
END_TEST

START_TEST(test_families)
{
	struct stats *s = stats_alloc();
	struct stats_key k = key4(0x0a000001, 80, CAUSE_CLOSED_PORT);

	add_n(s, 0, 3, &k);
	k.family = AF_INET6;
	add_n(s, 400 * SEC, 2, &k);
	k.family = AF_UNSPEC;
	add_n(s, 400 * SEC, 1, &k);
	/* Since start: no window forgets them. */
	ck_assert_uint_eq(stats_total_family(s, AF_INET), 3);
	ck_assert_uint_eq(stats_total_family(s, AF_INET6), 2);
	ck_assert_uint_eq(stats_total_family(s, AF_UNSPEC), 0);
	ck_assert_uint_eq(stats_total(s), 6);
	stats_free(s);
}
END_TEST

START_TEST(test_window_names)
{
	int w;

	for (w = 0; w < WIN_MAX; w++)
		ck_assert_int_eq(stats_window_from_name(stats_window_name(w)),
				 w);
	ck_assert_str_eq(stats_window_name(WIN_10S), "10s");
	ck_assert_str_eq(stats_window_name(WIN_60S), "60s");
	ck_assert_str_eq(stats_window_name(WIN_300S), "300s");
	ck_assert_str_eq(stats_window_name(WIN_MAX), "unknown");
	ck_assert_int_eq(stats_window_from_name("5m"), WIN_MAX);
	ck_assert_int_eq(stats_window_from_name(""), WIN_MAX);
	ck_assert_uint_eq(stats_window_seconds(WIN_10S), 10);
	ck_assert_uint_eq(stats_window_seconds(WIN_60S), 60);
	ck_assert_uint_eq(stats_window_seconds(WIN_300S), 300);
	ck_assert_uint_eq(stats_window_seconds(WIN_MAX), 0);
}
END_TEST

START_TEST(test_top_exact)
{
	struct stats *s = stats_alloc();
	struct stats_key k = key4(0x0a000001, 80, CAUSE_CLOSED_PORT);
	struct stats_item it[STATS_TOPK];
	char longname[STATS_OWNER_LEN];
	int n;

	/* Ports, spread over seconds 0..9 of the 10 s window. */
	add_n(s, 0, 10, &k);
	add_n(s, 5 * SEC, 20, &k);
	k.lport = 443;
	add_n(s, 5 * SEC, 20, &k);
	k.lport = 22;
	add_n(s, 9 * SEC, 10, &k);
	n = stats_top(s, 9 * SEC, DIM_PORTS, WIN_10S, it, STATS_TOPK);
	ck_assert_int_eq(n, 3);
	ck_assert_uint_eq(it[0].port, 80);
	ck_assert_uint_eq(it[0].count, 30);
	ck_assert_uint_eq(it[1].port, 443);
	ck_assert_uint_eq(it[1].count, 20);
	ck_assert_uint_eq(it[2].port, 22);
	ck_assert_uint_eq(it[2].count, 10);
	ck_assert_uint_eq(it[0].error + it[1].error + it[2].error, 0);
	ck_assert_int_eq(stats_top(s, 9 * SEC, DIM_PORTS, WIN_10S, it, 2), 2);
	ck_assert_int_eq(stats_top(s, 9 * SEC, DIM_PORTS, WIN_10S, it, 0), 0);
	ck_assert_int_eq(stats_top(s, 9 * SEC, DIM_MAX, WIN_10S, it, 4), 0);

	/* Remotes: what follows an IPv4 address does not count; the same
	 * bytes as IPv6 are another remote. */
	ck_assert_int_eq(
		stats_top(s, 9 * SEC, DIM_REMOTES, WIN_10S, it, STATS_TOPK), 1);
	ck_assert_uint_eq(it[0].count, 60);
	k.remote[9] = 0xee;
	add_n(s, 9 * SEC, 1, &k);
	k.family = AF_INET6;
	add_n(s, 9 * SEC, 4, &k);
	n = stats_top(s, 9 * SEC, DIM_REMOTES, WIN_10S, it, STATS_TOPK);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(it[0].family, AF_INET);
	ck_assert_uint_eq(it[0].count, 61);
	ck_assert_uint_eq(it[0].remote[0], 10);
	ck_assert_uint_eq(it[0].remote[3], 1);
	ck_assert_uint_eq(it[0].remote[9], 0);
	ck_assert_uint_eq(it[1].family, AF_INET6);
	ck_assert_uint_eq(it[1].count, 4);
	ck_assert_uint_eq(it[1].remote[9], 0xee);

	/* Owners: only events that have one; labels cut to fit. */
	ck_assert_int_eq(
		stats_top(s, 9 * SEC, DIM_OWNERS, WIN_10S, it, STATS_TOPK), 0);
	k = key_owner(80, "redis-server (redis.service)");
	add_n(s, 9 * SEC, 3, &k);
	k = key_owner(80, "nginx");
	add_n(s, 9 * SEC, 1, &k);
	memset(k.owner, 'x', sizeof(k.owner));
	add_n(s, 9 * SEC, 2, &k);
	k.has_owner = false;
	add_n(s, 9 * SEC, 5, &k);
	n = stats_top(s, 9 * SEC, DIM_OWNERS, WIN_300S, it, STATS_TOPK);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(it[0].owner, "redis-server (redis.service)");
	ck_assert_uint_eq(it[0].count, 3);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_str_eq(it[1].owner, longname);
	ck_assert_uint_eq(it[1].count, 2);
	ck_assert_str_eq(it[2].owner, "nginx");
	ck_assert_uint_eq(it[2].error, 0);
	stats_free(s);
}
END_TEST

/* Per-second summaries merged into 10-s slots, and slots into windows. */
START_TEST(test_top_after_merges)
{
	struct stats *s = stats_alloc();
	struct stats_key k;
	struct stats_item it[STATS_TOPK];
	uint64_t t;
	uint32_t r;

	for (t = 0; t <= 65; t++) {
		k = key_owner(80, "a");
		add_n(s, t * SEC + 300, 3, &k);
		k = key_owner(443, "b");
		add_n(s, t * SEC + 700, 1, &k);
		for (r = 0; r < 50; r++) {
			k = key4(0xc0a80000 + r, 80, CAUSE_CLOSED_PORT);
			stats_add(s, t * SEC + 800, &k);
		}
		if (t != 54)
			continue;
		/* Seconds 0..54: slots 0..4 whole, slot 5 partial. */
		ck_assert_int_eq(stats_top(s, t * SEC + 900, DIM_PORTS, WIN_60S,
					   it, STATS_TOPK),
				 2);
		ck_assert_uint_eq(it[0].port, 80);
		ck_assert_uint_eq(it[0].count, 53 * 55);
		ck_assert_uint_eq(it[0].error, 0);
		ck_assert_uint_eq(it[1].port, 443);
		ck_assert_uint_eq(it[1].count, 55);
		ck_assert_int_eq(stats_top(s, t * SEC + 900, DIM_OWNERS,
					   WIN_300S, it, STATS_TOPK),
				 2);
		ck_assert_str_eq(it[0].owner, "a");
		ck_assert_uint_eq(it[0].count, 3 * 55);
		ck_assert_int_eq(stats_top(s, t * SEC + 900, DIM_PORTS, WIN_10S,
					   it, STATS_TOPK),
				 2);
		ck_assert_uint_eq(it[0].count, 53 * 10);
	}
	/* At second 65 the 60 s top covers slots 1..6: seconds 10..65; the
	 * exact count covers seconds 6..65. */
	ck_assert_int_eq(stats_top(s, 65 * SEC + 900, DIM_PORTS, WIN_60S, it,
				   STATS_TOPK),
			 2);
	ck_assert_uint_eq(it[0].count, 53 * 56);
	ck_assert_uint_eq(it[1].count, 56);
	ck_assert_uint_eq(stats_count(s, 65 * SEC + 900, WIN_60S), 54 * 60);
	ck_assert_int_eq(stats_top(s, 65 * SEC + 900, DIM_PORTS, WIN_300S, it,
				   STATS_TOPK),
			 2);
	ck_assert_uint_eq(it[0].count, 53 * 66);
	/* 51 remotes, fewer than the capacity: exact too. */
	ck_assert_int_eq(stats_top(s, 65 * SEC + 900, DIM_REMOTES, WIN_300S, it,
				   STATS_TOPK),
			 51);
	ck_assert_uint_eq(it[0].remote[0], 10); /* a and b: 4 a second */
	ck_assert_uint_eq(it[0].count, 66 * 4);
	ck_assert_uint_eq(it[50].count, 66);
	ck_assert_uint_eq(it[50].error, 0);
	ck_assert(stats_distinct_remotes(s, 65 * SEC + 900, WIN_60S) > 45);
	ck_assert(stats_distinct_remotes(s, 65 * SEC + 900, WIN_60S) < 57);
	stats_free(s);
}
END_TEST

START_TEST(test_time_backwards)
{
	struct stats *s = stats_alloc();
	struct stats_key k = key4(0x0a000001, 80, CAUSE_CLOSED_PORT);
	struct stats_item it[2];

	add_n(s, 10 * SEC, 1, &k);
	add_n(s, 5 * SEC, 1, &k); /* counts as second 10 */
	ck_assert_uint_eq(stats_count(s, 10 * SEC, WIN_10S), 2);
	ck_assert_uint_eq(stats_count(s, 3 * SEC, WIN_10S), 2);
	ck_assert_uint_eq(stats_count(s, 19 * SEC, WIN_10S), 2);
	ck_assert_uint_eq(stats_count(s, 20 * SEC, WIN_10S), 0);
	/* A query moved the clock too: second 20 is now the latest. */
	add_n(s, 12 * SEC, 1, &k);
	ck_assert_uint_eq(stats_count(s, 20 * SEC, WIN_10S), 1);
	ck_assert_int_eq(stats_top(s, 0, DIM_PORTS, WIN_60S, it, 2), 1);
	ck_assert_uint_eq(it[0].count, 3);
	stats_free(s);
}
END_TEST

/* A flood of spoofed remotes: bounded memory, the real talker still on
 * top with honest bounds, the distinct estimate near the truth. */
START_TEST(test_flood)
{
	struct stats *s = stats_alloc();
	struct stats_key heavy = key4(0x0a0a0a0a, 80, CAUSE_CLOSED_PORT);
	struct stats_key k;
	struct stats_item it[1];
	size_t size = stats_size(s);
	uint32_t spoof = 0x64000000;
	uint64_t t;
	int i, w;
	double d;

	for (t = 0; t < 10; t++) {
		for (i = 0; i < 10000; i++) {
			if (i % 10 == 0) {
				stats_add(s, t * SEC + (uint64_t)i / 10,
					  &heavy);
				continue;
			}
			k = key4(spoof++, 80, CAUSE_CLOSED_PORT);
			stats_add(s, t * SEC + (uint64_t)i / 10, &k);
		}
	}
	for (w = 0; w < WIN_MAX; w++) {
		ck_assert_int_eq(
			stats_top(s, 9 * SEC + 999, DIM_REMOTES, w, it, 1), 1);
		ck_assert_uint_eq(it[0].remote[0], 10);
		ck_assert_uint_ge(it[0].count, 10000);
		ck_assert_uint_le(it[0].count - it[0].error, 10000);
		ck_assert_uint_le(it[0].error, 100000 / STATS_TOPK);
		d = stats_distinct_remotes(s, 9 * SEC + 999, w);
		ck_assert_msg(d > 90001 * 0.9 && d < 90001 * 1.1,
			      "distinct %.0f", d);
	}
	ck_assert_uint_eq(stats_size(s), size);
	stats_free(s);
}
END_TEST

Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("windows");

	tcase_add_test(tc, test_second_boundaries);
	tcase_add_test(tc, test_partial_second);
	tcase_add_test(tc, test_idle_gaps);
	tcase_add_test(tc, test_ring_wrap);
	tcase_add_test(tc, test_causes);
	tcase_add_test(tc, test_families);
	tcase_add_test(tc, test_window_names);
	tcase_add_test(tc, test_top_exact);
	tcase_add_test(tc, test_top_after_merges);
	tcase_add_test(tc, test_time_backwards);
	tcase_add_test(tc, test_flood);
	suite_add_tcase(s, tc);
	return s;
}
