/* check_banlist: the bounded ban table, its expiry, and its deletion
 * checked against a plain array under random load. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "banlist.h"
#include "unit.h"

static struct banlist b;

static struct ban mkban(const char *addr, uint64_t expires_ms, uint8_t reason)
{
	struct ban ban;

	memset(&ban, 0, sizeof(ban));
	if (inet_pton(AF_INET, addr, ban.addr) == 1) {
		ban.family = AF_INET;
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, addr, ban.addr), 1);
		ban.family = AF_INET6;
	}
	ban.expires_ms = expires_ms;
	ban.expires_wall = (int64_t)(1700000000 + expires_ms / 1000);
	ban.reason = reason;
	return ban;
}

static int add(uint64_t now, const char *addr, uint64_t expires_ms)
{
	struct ban ban = mkban(addr, expires_ms, 1);

	return banlist_add(&b, now, &ban);
}

static const struct ban *find(uint64_t now, const char *addr)
{
	struct ban ban = mkban(addr, 0, 0);

	return banlist_find(&b, now, ban.family, ban.addr);
}

static void teardown(void)
{
	banlist_fini(&b);
}

START_TEST(t_init)
{
	ck_assert_int_eq(banlist_init(&b, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(banlist_init(&b, BANLIST_MAX + 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(banlist_init(&b, BANLIST_MAX), 0);
	ck_assert_uint_gt(b.cap, BANLIST_MAX);
	banlist_fini(&b);
	ck_assert_int_eq(banlist_init(&b, 1), 0);
	ck_assert_uint_eq(b.n, 0);
}
END_TEST

START_TEST(t_add_find)
{
	struct ban in = mkban("192.0.2.7", 1000, 3);
	const struct ban *e;

	ck_assert_int_eq(banlist_init(&b, 16), 0);
	ck_assert_ptr_null(find(0, "192.0.2.7"));
	ck_assert_int_eq(banlist_add(&b, 0, &in), 1);
	ck_assert_uint_eq(b.n, 1);
	e = find(0, "192.0.2.7");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->family, AF_INET);
	ck_assert_mem_eq(e->addr, in.addr, 4);
	ck_assert_uint_eq(e->reason, 3);
	ck_assert_uint_eq(e->expires_ms, 1000);
	ck_assert_int_eq(e->expires_wall, in.expires_wall);
	ck_assert_ptr_nonnull(find(999, "192.0.2.7"));
	/* Expired at expires_ms itself. */
	ck_assert_ptr_null(find(1000, "192.0.2.7"));
	ck_assert_ptr_null(find(0, "192.0.2.8"));
	ck_assert_ptr_null(find(0, "2001:db8::7"));

	ck_assert_int_eq(add(0, "2001:db8::7", 500), 1);
	ck_assert_ptr_nonnull(find(0, "2001:db8::7"));
	ck_assert_uint_eq(b.n, 2);
}
END_TEST

/* An IPv4 ban ignores whatever follows the 4 bytes of its address. */
START_TEST(t_add_v4_tail)
{
	struct ban in = mkban("192.0.2.7", 1000, 1);
	uint8_t key[16];

	ck_assert_int_eq(banlist_init(&b, 16), 0);
	memset(in.addr + 4, 0xaa, 12);
	ck_assert_int_eq(banlist_add(&b, 0, &in), 1);
	memcpy(key, in.addr, 4);
	memset(key + 4, 0x55, 12);
	ck_assert_ptr_nonnull(banlist_find(&b, 0, AF_INET, key));
	memset(in.addr + 4, 0x11, 12);
	ck_assert_int_eq(banlist_add(&b, 0, &in), 0);
	ck_assert_uint_eq(b.n, 1);
}
END_TEST

START_TEST(t_readd)
{
	struct ban in;
	const struct ban *e;

	ck_assert_int_eq(banlist_init(&b, 16), 0);
	in = mkban("192.0.2.7", 1000, 1);
	ck_assert_int_eq(banlist_add(&b, 0, &in), 1);
	/* An earlier expiry does not shorten the ban. */
	in = mkban("192.0.2.7", 500, 2);
	ck_assert_int_eq(banlist_add(&b, 100, &in), 0);
	e = find(100, "192.0.2.7");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->expires_ms, 1000);
	ck_assert_int_eq(e->expires_wall, 1700000001);
	/* A later one extends it, wall clock included. */
	in = mkban("192.0.2.7", 5000, 2);
	ck_assert_int_eq(banlist_add(&b, 200, &in), 0);
	e = find(200, "192.0.2.7");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->expires_ms, 5000);
	ck_assert_int_eq(e->expires_wall, 1700000005);
	ck_assert_ptr_nonnull(find(4999, "192.0.2.7"));
	ck_assert_uint_eq(b.n, 1);
	/* Expired but not yet reclaimed: added anew, same slot. */
	in = mkban("192.0.2.7", 9000, 4);
	ck_assert_int_eq(banlist_add(&b, 6000, &in), 1);
	ck_assert_uint_eq(b.n, 1);
	e = find(6000, "192.0.2.7");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->expires_ms, 9000);
	ck_assert_uint_eq(e->reason, 4);
}
END_TEST

START_TEST(t_expire)
{
	ck_assert_int_eq(banlist_init(&b, 16), 0);
	ck_assert_int_eq(add(0, "192.0.2.1", 100), 1);
	ck_assert_int_eq(add(0, "192.0.2.2", 200), 1);
	ck_assert_int_eq(add(0, "2001:db8::3", 300), 1);
	ck_assert_uint_eq(banlist_expire(&b, 99), 0);
	ck_assert_uint_eq(banlist_expire(&b, 150), 1);
	ck_assert_uint_eq(b.n, 2);
	ck_assert_uint_eq(banlist_expire(&b, 150), 0);
	ck_assert_ptr_null(find(0, "192.0.2.1"));
	ck_assert_ptr_nonnull(find(150, "192.0.2.2"));
	ck_assert_ptr_nonnull(find(150, "2001:db8::3"));
	ck_assert_uint_eq(banlist_expire(&b, 300), 2);
	ck_assert_uint_eq(b.n, 0);
	ck_assert_ptr_null(find(0, "192.0.2.2"));
	ck_assert_ptr_null(find(0, "2001:db8::3"));
}
END_TEST

START_TEST(t_full)
{
	ck_assert_int_eq(banlist_init(&b, 4), 0);
	ck_assert_int_eq(add(0, "192.0.2.1", 100), 1);
	ck_assert_int_eq(add(0, "192.0.2.2", 200), 1);
	ck_assert_int_eq(add(0, "192.0.2.3", 1000), 1);
	ck_assert_int_eq(add(0, "2001:db8::4", 1000), 1);
	/* Full of unexpired bans: refused and counted. */
	ck_assert_int_eq(add(50, "192.0.2.5", 1000), -1);
	ck_assert_uint_eq(b.refused, 1);
	ck_assert_int_eq(add(99, "192.0.2.5", 1000), -1);
	ck_assert_uint_eq(b.refused, 2);
	ck_assert_ptr_null(find(99, "192.0.2.5"));
	ck_assert_uint_eq(b.n, 4);
	/* One already there may still be extended. */
	ck_assert_int_eq(add(99, "192.0.2.3", 2000), 0);
	ck_assert_uint_eq(b.refused, 2);
	/* Once one has expired, add makes room by itself. */
	ck_assert_int_eq(add(100, "192.0.2.5", 1000), 1);
	ck_assert_uint_eq(b.refused, 2);
	ck_assert_uint_eq(b.n, 4);
	ck_assert_ptr_null(find(100, "192.0.2.1"));
	ck_assert_ptr_nonnull(find(100, "192.0.2.2"));
	ck_assert_ptr_nonnull(find(100, "192.0.2.5"));
	/* Both expired ones went, not just one. */
	ck_assert_int_eq(add(200, "192.0.2.6", 1000), 1);
	ck_assert_uint_eq(b.n, 4);
	ck_assert_ptr_null(find(200, "192.0.2.2"));
}
END_TEST

/*
 * Count what banlist_next yields at now; bad counts those expired or
 * not what banlist_find returns for their address.  Plain C in the
 * loop: every passing ck_assert costs a write to Check's channel.
 */
static unsigned int walk_bad(uint64_t now, unsigned int *seen4,
			     unsigned int *bad)
{
	const struct ban *e;
	unsigned int it = 0, n = 0;

	*seen4 = 0;
	*bad = 0;
	while ((e = banlist_next(&b, now, &it)) != NULL) {
		if (e->expires_ms <= now ||
		    banlist_find(&b, now, e->family, e->addr) != e)
			(*bad)++;
		if (e->family == AF_INET)
			(*seen4)++;
		n++;
	}
	/* Stays at the end. */
	if (banlist_next(&b, now, &it) != NULL)
		(*bad)++;
	return n;
}

static unsigned int walk(uint64_t now, unsigned int *seen4)
{
	unsigned int bad, n = walk_bad(now, seen4, &bad);

	ck_assert_uint_eq(bad, 0);
	return n;
}

/* An unban: gone at once, its neighbours in the cluster still found; a
 * drop flag, once set, survives a re-listing that does not ask for it. */
START_TEST(t_remove_and_drop)
{
	struct ban x = mkban("192.0.2.77", 5000, 1);
	uint8_t a[16] = { 0 };
	int i;
	char s[32];

	ck_assert_int_eq(banlist_init(&b, 1024), 0);
	for (i = 0; i < 200; i++) {
		snprintf(s, sizeof(s), "198.51.100.%d", i);
		add(0, s, 9000);
	}
	x.drop = true;
	ck_assert_int_eq(banlist_add(&b, 0, &x), 1);
	x.drop = false;
	ck_assert_int_eq(banlist_add(&b, 0, &x), 0);
	ck_assert(find(0, "192.0.2.77")->drop);
	inet_pton(AF_INET, "192.0.2.77", a);
	ck_assert_int_eq(banlist_remove(&b, AF_INET, a), 1);
	ck_assert_ptr_null(find(0, "192.0.2.77"));
	ck_assert_int_eq(banlist_remove(&b, AF_INET, a), 0);
	for (i = 0; i < 200; i++) {
		snprintf(s, sizeof(s), "198.51.100.%d", i);
		ck_assert_ptr_nonnull(find(0, s));
	}
	ck_assert_uint_eq(b.n, 200);
}
END_TEST

START_TEST(t_next)
{
	unsigned int v4;

	ck_assert_int_eq(banlist_init(&b, 16), 0);
	ck_assert_uint_eq(walk(0, &v4), 0);
	ck_assert_int_eq(add(0, "192.0.2.1", 100), 1);
	ck_assert_int_eq(add(0, "192.0.2.2", 200), 1);
	ck_assert_int_eq(add(0, "2001:db8::3", 300), 1);
	ck_assert_uint_eq(walk(0, &v4), 3);
	ck_assert_uint_eq(v4, 2);
	/* Expired entries are skipped before banlist_expire drops them. */
	ck_assert_uint_eq(walk(100, &v4), 2);
	ck_assert_uint_eq(v4, 1);
	ck_assert_uint_eq(walk(250, &v4), 1);
	ck_assert_uint_eq(v4, 0);
	ck_assert_uint_eq(walk(300, &v4), 0);
	ck_assert_uint_eq(b.n, 3);
}
END_TEST

/* 10.0.0.1 and 0a00:0001:: share their first four bytes. */
START_TEST(t_families_apart)
{
	const struct ban *e;
	struct ban v4 = mkban("10.0.0.1", 1000, 1);
	struct ban v6 = mkban("a00:1::", 2000, 2);

	ck_assert_mem_eq(v4.addr, v6.addr, 4);
	ck_assert_int_eq(banlist_init(&b, 16), 0);
	ck_assert_int_eq(banlist_add(&b, 0, &v4), 1);
	ck_assert_ptr_null(find(0, "a00:1::"));
	ck_assert_int_eq(banlist_add(&b, 0, &v6), 1);
	ck_assert_uint_eq(b.n, 2);
	e = find(0, "10.0.0.1");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->reason, 1);
	e = find(0, "a00:1::");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->reason, 2);
	ck_assert_uint_eq(banlist_expire(&b, 1000), 1);
	ck_assert_ptr_null(find(1000, "10.0.0.1"));
	ck_assert_ptr_nonnull(find(1000, "a00:1::"));
}
END_TEST

/*
 * The reference model: a plain array of what should be in the table,
 * expired-but-not-reclaimed entries included (they count towards max).
 */
struct model {
	struct ban ban;
	bool in; /* in the table, maybe expired */
};

static uint64_t rng = 0x853c49e6748fea9bULL;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, so a failure can be replayed. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* Address i of a pool: distinct for distinct i, half IPv4, half IPv6. */
static void pool_addr(struct ban *ban, uint32_t i)
{
	uint32_t x = (i >> 1) * 2654435761u ^ 0x5bd1e995u;
	uint64_t r = rnd();

	memset(ban, 0, sizeof(*ban));
	if (i % 2 == 0) {
		ban->family = AF_INET;
		memcpy(ban->addr, &x, 4);
	} else {
		/* Random leading bytes, some all-zero (like ::x), some
		 * equal to an IPv4 entry's bytes; x keeps them apart. */
		ban->family = AF_INET6;
		if (r % 4 == 0)
			memcpy(ban->addr, &x, 4);
		else if (r % 4 == 1)
			memcpy(ban->addr, &r, 8);
		memcpy(ban->addr + 12, &x, 4);
	}
}

static void model_check(const struct model *m, unsigned int n, uint64_t now)
{
	unsigned int i, live = 0, in = 0, v4, wrong = 0, first = n;

	for (i = 0; i < n; i++) {
		const struct ban *e =
			banlist_find(&b, now, m[i].ban.family, m[i].ban.addr);
		bool want = m[i].in && m[i].ban.expires_ms > now;

		if ((e != NULL) != want ||
		    (e != NULL && e->expires_ms != m[i].ban.expires_ms)) {
			wrong++;
			if (first == n)
				first = i;
		}
		live += want;
		in += m[i].in;
	}
	ck_assert_msg(wrong == 0, "%u entries wrong at %llu, first %u", wrong,
		      (unsigned long long)now, first);
	ck_assert_uint_eq(b.n, in);
	ck_assert_uint_eq(walk(now, &v4), live);
}

/* Drop the model's expired entries as banlist_expire should. */
static unsigned int model_expire(struct model *m, unsigned int n, uint64_t now)
{
	unsigned int i, gone = 0;

	for (i = 0; i < n; i++) {
		if (m[i].in && m[i].ban.expires_ms <= now) {
			m[i].in = false;
			gone++;
		}
	}
	return gone;
}

/*
 * 60,000 addresses, then expiry in steps: after each step every lookup
 * must still reach its entry, which fails if the backward shift of a
 * deletion ever breaks a probe chain.
 */
START_TEST(t_stress_expire)
{
	enum { N = 60000, HORIZON = 100000, STEP = 997 };
	struct model *m = calloc(N, sizeof(*m));
	uint64_t now = 0;
	unsigned int i;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(banlist_init(&b, BANLIST_MAX), 0);
	for (i = 0; i < N; i++) {
		pool_addr(&m[i].ban, i);
		m[i].ban.expires_ms = 1 + rnd() % HORIZON;
		m[i].ban.reason = (uint8_t)(i % 6);
		ck_assert_int_eq(banlist_add(&b, 0, &m[i].ban), 1);
		m[i].in = true;
	}
	ck_assert_uint_eq(b.n, N);
	model_check(m, N, 0);
	while (now <= HORIZON) {
		now += STEP;
		/* Expired but not yet dropped: find already hides them. */
		model_check(m, N, now);
		ck_assert_uint_eq(banlist_expire(&b, now),
				  model_expire(m, N, now));
		model_check(m, N, now);
	}
	ck_assert_uint_eq(b.n, 0);
	ck_assert_uint_eq(b.refused, 0);
	free(m);
}
END_TEST

/* What banlist_add should do, on the model; returns its result. */
static int model_add(struct model *m, unsigned int n, unsigned int max,
		     unsigned int i, const struct ban *ban, uint64_t now,
		     unsigned int *reclaims)
{
	unsigned int j, in = 0;

	if (m[i].in) {
		if (m[i].ban.expires_ms <= now) {
			m[i].ban = *ban;
			return 1;
		}
		if (ban->expires_ms > m[i].ban.expires_ms)
			m[i].ban.expires_ms = ban->expires_ms;
		return 0;
	}
	for (j = 0; j < n; j++)
		in += m[j].in;
	if (in >= max) {
		if (model_expire(m, n, now) == 0)
			return -1;
		(*reclaims)++;
	}
	m[i].ban = *ban;
	m[i].in = true;
	return 1;
}

/*
 * A small table under churn: re-adds, reclaim by add when full,
 * refusals, and expiry sweeps, all against the model.
 */
START_TEST(t_stress_churn)
{
	enum { POOL = 1500, MAX = 512, OPS = 100000 };
	struct model *m = calloc(POOL, sizeof(*m));
	unsigned int op, reclaims = 0, refused = 0, olds = 0;
	uint64_t now = 0;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(banlist_init(&b, MAX), 0);
	for (op = 0; op < POOL; op++)
		pool_addr(&m[op].ban, op);
	for (op = 0; op < OPS; op++) {
		unsigned int i = (unsigned int)(rnd() % POOL);
		struct ban ban = m[i].ban;
		int got, want;

		now += rnd() % 16;
		ban.expires_ms = now + 1 + rnd() % 12000;
		want = model_add(m, POOL, MAX, i, &ban, now, &reclaims);
		got = banlist_add(&b, now, &ban);
		ck_assert_int_eq(got, want);
		refused += got < 0;
		olds += got == 0;
		if (op % 1000 == 999) {
			model_check(m, POOL, now);
			ck_assert_uint_eq(banlist_expire(&b, now),
					  model_expire(m, POOL, now));
			model_check(m, POOL, now);
		}
	}
	ck_assert_uint_eq(b.refused, refused);
	/* The run did go through every path. */
	ck_assert_uint_gt(refused, 0);
	ck_assert_uint_gt(reclaims, 0);
	ck_assert_uint_gt(olds, 0);
	free(m);
}
END_TEST

Suite *banlist_suite(void)
{
	Suite *s = suite_create("banlist");
	TCase *tc = tcase_create("banlist");
	TCase *ts = tcase_create("stress");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, t_init);
	tcase_add_test(tc, t_add_find);
	tcase_add_test(tc, t_add_v4_tail);
	tcase_add_test(tc, t_readd);
	tcase_add_test(tc, t_expire);
	tcase_add_test(tc, t_full);
	tcase_add_test(tc, t_next);
	tcase_add_test(tc, t_remove_and_drop);
	tcase_add_test(tc, t_families_apart);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(ts, NULL, teardown);
	tcase_set_timeout(ts, 60);
	tcase_add_test(ts, t_stress_expire);
	tcase_add_test(ts, t_stress_churn);
	suite_add_tcase(s, ts);
	return s;
}
