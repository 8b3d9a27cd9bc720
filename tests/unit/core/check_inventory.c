/* check_inventory: listeners with history, wildcards, IPv6 listeners for
 * IPv4, and the bounded table of recent connections. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "inventory.h"
#include "unit.h"

static struct inventory *inv;

static void setup(void)
{
	inv = malloc(sizeof(*inv));
	ck_assert_ptr_nonnull(inv);
	inventory_init(inv);
}

static void teardown(void)
{
	free(inv);
}

static struct sockinfo sock(int family, const char *src, uint16_t sport,
			    const char *dst, uint16_t dport, int state,
			    uint64_t inode)
{
	struct sockinfo si;

	memset(&si, 0, sizeof(si));
	si.family = (uint8_t)family;
	si.state = (uint8_t)state;
	ck_assert_int_eq(inet_pton(family, src, si.src), 1);
	ck_assert_int_eq(inet_pton(family, dst, si.dst), 1);
	si.sport = sport;
	si.dport = dport;
	si.uid = 1234;
	si.inode = inode;
	si.wqueue = 128;
	return si;
}

static void addr(int family, const char *s, uint8_t *out)
{
	memset(out, 0, 16);
	ck_assert_int_eq(inet_pton(family, s, out), 1);
}

/* One complete listener dump of the given sockets. */
static void dump(const struct sockinfo *si, int n, uint64_t now)
{
	int i;

	inventory_listeners_begin(inv);
	for (i = 0; i < n; i++)
		ck_assert_ptr_nonnull(inventory_listener_add(inv, &si[i], now));
	inventory_listeners_end(inv, now, (int64_t)now / 1000);
}

START_TEST(t_listener_history)
{
	struct sockinfo redis =
		sock(AF_INET, "0.0.0.0", 6379, "0.0.0.0", 0, 10, 812);
	struct listener *l;
	uint8_t a[16];

	addr(AF_INET, "10.0.0.1", a);
	dump(&redis, 1, 1000);
	l = inventory_listener(inv, AF_INET, a, 6379, true);
	ck_assert_ptr_nonnull(l);
	ck_assert(l->alive);
	ck_assert_uint_eq(l->backlog, 128);
	/* Gone at the next dump; still remembered. */
	dump(NULL, 0, 2000);
	ck_assert_ptr_null(inventory_listener(inv, AF_INET, a, 6379, true));
	l = inventory_listener(inv, AF_INET, a, 6379, false);
	ck_assert_ptr_nonnull(l);
	ck_assert(!l->alive);
	ck_assert_uint_eq(l->gone_ms, 2000);
	ck_assert_int_eq(l->gone_wall, 2);
	ck_assert_uint_eq(l->inode, 812);
	/* Back with a new socket: alive again, a new owner to find. */
	l->has_owner = true;
	redis.inode = 900;
	dump(&redis, 1, 3000);
	l = inventory_listener(inv, AF_INET, a, 6379, true);
	ck_assert_ptr_nonnull(l);
	ck_assert(!l->has_owner);
	ck_assert_uint_eq(l->gone_ms, 0);
	ck_assert_uint_eq(inv->nls, 1);
}
END_TEST

START_TEST(t_listener_match)
{
	struct sockinfo s[3] = {
		sock(AF_INET, "10.0.0.1", 80, "0.0.0.0", 0, 10, 1),
		sock(AF_INET, "0.0.0.0", 80, "0.0.0.0", 0, 10, 2),
		sock(AF_INET6, "::", 443, "::", 0, 10, 3),
	};
	struct listener *l;
	uint8_t a[16], b[16], c6[16];

	addr(AF_INET, "10.0.0.1", a);
	addr(AF_INET, "10.0.0.2", b);
	addr(AF_INET6, "fd00::1", c6);
	dump(s, 3, 1);
	l = inventory_listener(inv, AF_INET, a, 80, true);
	ck_assert_uint_eq(l->inode, 1); /* exact beats wildcard */
	l = inventory_listener(inv, AF_INET, b, 80, true);
	ck_assert_uint_eq(l->inode, 2);
	/* A dual-stack [::] listener covers IPv4 too… */
	l = inventory_listener(inv, AF_INET, a, 443, true);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(l->inode, 3);
	l = inventory_listener(inv, AF_INET6, c6, 443, true);
	ck_assert_uint_eq(l->inode, 3);
	ck_assert_ptr_null(inventory_listener(inv, AF_INET6, c6, 80, true));
	/* …unless it is v6only. */
	s[2].v6only = true;
	dump(s, 3, 2);
	ck_assert_ptr_null(inventory_listener(inv, AF_INET, a, 443, true));
}
END_TEST

START_TEST(t_listener_v4mapped)
{
	struct sockinfo s =
		sock(AF_INET6, "::ffff:10.0.0.1", 8080, "::", 0, 10, 7);
	uint8_t a[16], b[16];

	addr(AF_INET, "10.0.0.1", a);
	addr(AF_INET, "10.0.0.9", b);
	dump(&s, 1, 1);
	ck_assert_ptr_nonnull(inventory_listener(inv, AF_INET, a, 8080, true));
	ck_assert_ptr_null(inventory_listener(inv, AF_INET, b, 8080, true));
}
END_TEST

START_TEST(t_listener_capacity)
{
	struct sockinfo s = sock(AF_INET, "0.0.0.0", 1, "0.0.0.0", 0, 10, 1);
	unsigned int i;
	uint8_t a[16];

	addr(AF_INET, "10.0.0.1", a);
	/* Fill the table with listeners that then go away one by one. */
	for (i = 0; i < INV_LISTENERS; i++) {
		s.sport = (uint16_t)(1 + i);
		s.inode = i + 1;
		dump(&s, 1, 10 + i);
	}
	ck_assert_uint_eq(inv->nls, INV_LISTENERS);
	/* The next new port evicts the one gone longest ago (port 1). */
	s.sport = 60000;
	dump(&s, 1, 100000);
	ck_assert_uint_eq(inv->nls, INV_LISTENERS);
	ck_assert_ptr_null(inventory_listener(inv, AF_INET, a, 1, false));
	ck_assert_ptr_nonnull(inventory_listener(inv, AF_INET, a, 2, false));
	ck_assert_ptr_nonnull(inventory_listener(inv, AF_INET, a, 60000, true));
	ck_assert_uint_eq(inv->listeners_dropped, 0);
}
END_TEST

START_TEST(t_listener_all_alive_full)
{
	struct sockinfo *s = calloc(INV_LISTENERS + 1, sizeof(*s));
	unsigned int i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i <= INV_LISTENERS; i++) {
		s[i] = sock(AF_INET, "0.0.0.0", (uint16_t)(1 + i), "0.0.0.0", 0,
			    10, i + 1);
	}
	inventory_listeners_begin(inv);
	for (i = 0; i < INV_LISTENERS; i++)
		ck_assert_ptr_nonnull(inventory_listener_add(inv, &s[i], 1));
	/* No gone entry to evict: refused and counted, never grown. */
	ck_assert_ptr_null(inventory_listener_add(inv, &s[INV_LISTENERS], 1));
	ck_assert_uint_eq(inv->listeners_dropped, 1);
	free(s);
}
END_TEST

START_TEST(t_conn_lookup)
{
	struct sockinfo c =
		sock(AF_INET, "10.0.0.1", 45015, "10.0.0.2", 7015, 5, 4242);
	const struct conn *k;
	uint8_t l[16], r[16];

	addr(AF_INET, "10.0.0.1", l);
	addr(AF_INET, "10.0.0.2", r);
	inventory_conn_add(inv, &c, 1000);
	inventory_conns_end(inv);
	k = inventory_conn(inv, AF_INET, l, 45015, r, 7015, 1500, 60000);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k->inode, 4242);
	ck_assert_int_eq(k->state, 5);
	/* Too old, or another tuple: nothing. */
	ck_assert_ptr_null(
		inventory_conn(inv, AF_INET, l, 45015, r, 7015, 70000, 60000));
	ck_assert_ptr_null(
		inventory_conn(inv, AF_INET, l, 45016, r, 7015, 1500, 60000));
	/* A timewait dump (inode 0) keeps the owner we knew. */
	c.inode = 0;
	c.uid = 0;
	c.state = 5;
	inventory_conn_add(inv, &c, 2000);
	k = inventory_conn(inv, AF_INET, l, 45015, r, 7015, 2000, 60000);
	ck_assert_uint_eq(k->inode, 4242);
	ck_assert_uint_eq(k->uid, 1234);
	ck_assert_uint_eq(inv->nconns, 1);
}
END_TEST

/* Our reset ends a connection: remembered until a listing sees the tuple
 * alive again (a new connection on the same ports). */
START_TEST(t_conn_reset)
{
	struct sockinfo c =
		sock(AF_INET, "10.0.0.1", 45016, "10.0.0.2", 7016, 1, 4243);
	const struct conn *k;
	uint8_t l[16], r[16];

	addr(AF_INET, "10.0.0.1", l);
	addr(AF_INET, "10.0.0.2", r);
	inventory_conn_add(inv, &c, 1000);
	inventory_conns_end(inv);
	k = inventory_conn(inv, AF_INET, l, 45016, r, 7016, 1500, 60000);
	ck_assert(!k->reset);
	inventory_conn_reset(inv, k);
	k = inventory_conn(inv, AF_INET, l, 45016, r, 7016, 1600, 60000);
	ck_assert(k->reset);
	inventory_conn_add(inv, &c, 2000);
	inventory_conns_end(inv);
	k = inventory_conn(inv, AF_INET, l, 45016, r, 7016, 2000, 60000);
	ck_assert(!k->reset);
}
END_TEST

START_TEST(t_conn_v4mapped)
{
	struct sockinfo c = sock(AF_INET6, "::ffff:10.0.0.1", 80,
				 "::ffff:10.0.0.2", 5555, 1, 77);
	uint8_t l[16], r[16];

	addr(AF_INET, "10.0.0.1", l);
	addr(AF_INET, "10.0.0.2", r);
	inventory_conn_add(inv, &c, 1);
	ck_assert_ptr_nonnull(
		inventory_conn(inv, AF_INET, l, 80, r, 5555, 1, 10));
}
END_TEST

START_TEST(t_conn_bounded)
{
	struct sockinfo c = sock(AF_INET, "10.0.0.1", 1, "10.0.0.2", 1, 1, 1);
	unsigned int i;

	/* Four times the capacity: the table never grows past it. */
	for (i = 0; i < 4 * INV_CONNS; i++) {
		c.sport = (uint16_t)(1024 + i % 60000);
		c.dport = (uint16_t)(1 + i / 60000);
		inventory_conn_add(inv, &c, i);
	}
	ck_assert_uint_le(inv->nconns, INV_CONNS);
	ck_assert_uint_gt(inv->conns_evicted, 0);
}
END_TEST

/* Half the capacity fits: every tuple added is found again, the newest
 * entry always, and a tuple never added is not. */
START_TEST(t_conn_found_after_churn)
{
	struct sockinfo c = sock(AF_INET, "10.0.0.1", 1, "10.0.0.2", 1, 1, 1);
	uint8_t l[16], r[16];
	unsigned int i, found = 0;

	addr(AF_INET, "10.0.0.1", l);
	addr(AF_INET, "10.0.0.2", r);
	for (i = 0; i < INV_CONNS / 2; i++) {
		c.sport = (uint16_t)(1024 + i);
		inventory_conn_add(inv, &c, 100);
	}
	for (i = 0; i < INV_CONNS / 2; i++)
		found += inventory_conn(inv, AF_INET, l, (uint16_t)(1024 + i),
					r, 1, 100, 10) != NULL;
	/* A group may overflow (16 ways): evictions lose a few. */
	ck_assert_uint_ge(found + inv->conns_evicted, INV_CONNS / 2);
	ck_assert_uint_ge(found, INV_CONNS / 2 - INV_CONNS / 64);
	ck_assert_ptr_null(inventory_conn(inv, AF_INET, l, 80, r, 2, 100, 10));
	/* Many more: the last one added is always there. */
	for (i = 0; i < 2 * INV_CONNS; i++) {
		c.sport = (uint16_t)(20000 + i % 40000);
		c.dport = (uint16_t)(2 + i / 40000);
		inventory_conn_add(inv, &c, 200 + i);
		ck_assert_ptr_nonnull(inventory_conn(inv, AF_INET, l, c.sport,
						     r, c.dport, 200 + i, 10));
	}
	ck_assert_uint_le(inv->nconns, INV_CONNS);
}
END_TEST

Suite *inventory_suite(void)
{
	Suite *s = suite_create("inventory");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_listener_history);
	tcase_add_test(tc, t_listener_match);
	tcase_add_test(tc, t_listener_v4mapped);
	tcase_add_test(tc, t_listener_capacity);
	tcase_add_test(tc, t_listener_all_alive_full);
	tcase_add_test(tc, t_conn_lookup);
	tcase_add_test(tc, t_conn_reset);
	tcase_add_test(tc, t_conn_v4mapped);
	tcase_add_test(tc, t_conn_bounded);
	tcase_add_test(tc, t_conn_found_after_churn);
	suite_add_tcase(s, tc);
	return s;
}
