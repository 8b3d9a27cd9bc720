/* check_allowlist: CIDR parsing and matching at the edge prefixes. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "allowlist.h"
#include "unit.h"

static struct allowlist al;

/* cidr_parse must succeed and print back as want. */
static void parse_ok(const char *s, const char *want)
{
	struct cidr c;
	char buf[INET6_ADDRSTRLEN + 8];

	ck_assert_msg(cidr_parse(s, &c) == 0, "'%s' refused", s);
	ck_assert_str_eq(cidr_str(&c, buf, sizeof(buf)), want);
}

static void parse_bad(const char *s)
{
	struct cidr c;

	ck_assert_msg(cidr_parse(s, &c) == -1, "'%.40s' accepted", s);
}

/* A list holding only s. */
static void only(const char *s)
{
	struct cidr c;

	allowlist_init(&al);
	ck_assert_int_eq(cidr_parse(s, &c), 0);
	ck_assert_int_eq(allowlist_add(&al, &c), 0);
}

/* Is the address text (IPv4 or IPv6) covered by al? */
static bool covers(const char *addr)
{
	uint8_t a[16];

	if (inet_pton(AF_INET, addr, a) == 1)
		return allowlist_match(&al, AF_INET, a);
	ck_assert_int_eq(inet_pton(AF_INET6, addr, a), 1);
	return allowlist_match(&al, AF_INET6, a);
}

#define IN(addr) ck_assert_msg(covers(addr), "%s not covered", addr)
#define OUT(addr) ck_assert_msg(!covers(addr), "%s covered", addr)

START_TEST(t_parse_ok)
{
	struct cidr c;

	parse_ok("10.0.0.0/8", "10.0.0.0/8");
	parse_ok("192.0.2.7", "192.0.2.7/32");
	parse_ok("::1", "::1/128");
	parse_ok("2001:db8::/32", "2001:db8::/32");
	parse_ok("0.0.0.0/0", "0.0.0.0/0");
	parse_ok("::/0", "::/0");
	ck_assert_int_eq(cidr_parse("192.0.2.7", &c), 0);
	ck_assert_uint_eq(c.family, AF_INET);
	ck_assert_uint_eq(c.plen, 32);
	ck_assert_int_eq(cidr_parse("::1", &c), 0);
	ck_assert_uint_eq(c.family, AF_INET6);
	ck_assert_uint_eq(c.plen, 128);
}
END_TEST

/* Host bits are cleared, so that matching is a plain compare. */
START_TEST(t_parse_clears_host_bits)
{
	parse_ok("10.1.2.3/8", "10.0.0.0/8");
	parse_ok("10.255.255.255/9", "10.128.0.0/9");
	parse_ok("192.0.2.7/31", "192.0.2.6/31");
	parse_ok("203.0.113.255/0", "0.0.0.0/0");
	parse_ok("2001:db8:ffff::1/32", "2001:db8::/32");
	parse_ok("2001:db8:0:1:ffff::/65", "2001:db8:0:1:8000::/65");
	parse_ok("2001:db8::3/127", "2001:db8::2/127");
	parse_ok("ffff::/0", "::/0");
}
END_TEST

START_TEST(t_parse_bad)
{
	char s[4096];

	parse_bad("");
	parse_bad("/8");
	parse_bad("10.0.0.0/33");
	parse_bad("::/129");
	parse_bad("10.0.0.0/");
	parse_bad("10.0.0.0/-1");
	parse_bad("10.0.0.0/+8");
	parse_bad("10.0.0.0/ 8");
	parse_bad("10.0.0.0/8x");
	parse_bad("10.0.0.0/8/8");
	parse_bad("10.0.0.0/99999999999999999999999");
	parse_bad("1.2.3");
	parse_bad("1.2.3.4.5");
	parse_bad("256.0.0.0");
	parse_bad("hello");
	parse_bad("2001:db8::/");
	parse_bad(" 10.0.0.0/8");
	/* Over-long: refused whole, never cut to something valid. */
	snprintf(s, sizeof(s), "10.0.0.0/%060d", 8);
	parse_bad(s);
	memset(s, '1', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	parse_bad(s);
}
END_TEST

START_TEST(t_match_zero)
{
	only("0.0.0.0/0");
	IN("0.0.0.0");
	IN("10.1.2.3");
	IN("255.255.255.255");
	OUT("::");
	OUT("2001:db8::1");
	only("::/0");
	IN("::");
	IN("2001:db8::1");
	IN("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	OUT("0.0.0.0");
	OUT("10.1.2.3");
	/* A mapped address is also an IPv6 address: ::/0 covers it. */
	IN("::ffff:10.1.2.3");
	only("::ffff:0:0/96");
	IN("::ffff:10.1.2.3");
	OUT("10.1.2.3");
}
END_TEST

START_TEST(t_match_host)
{
	only("192.0.2.7/32");
	IN("192.0.2.7");
	OUT("192.0.2.6");
	OUT("192.0.2.8");
	OUT("193.0.2.7");
	only("2001:db8::7/128");
	IN("2001:db8::7");
	OUT("2001:db8::6");
	OUT("2001:db8::8");
	OUT("2001:db9::7");
}
END_TEST

START_TEST(t_match_31_127)
{
	only("192.0.2.6/31");
	IN("192.0.2.6");
	IN("192.0.2.7");
	OUT("192.0.2.5");
	OUT("192.0.2.8");
	only("2001:db8::2/127");
	IN("2001:db8::2");
	IN("2001:db8::3");
	OUT("2001:db8::1");
	OUT("2001:db8::4");
}
END_TEST

/* Prefixes that end inside a byte. */
START_TEST(t_match_odd_prefix)
{
	only("10.0.0.0/9");
	IN("10.0.0.0");
	IN("10.127.255.255");
	OUT("10.128.0.0");
	OUT("9.255.255.255");
	OUT("11.0.0.0");
	only("192.0.2.64/27");
	IN("192.0.2.64");
	IN("192.0.2.95");
	OUT("192.0.2.63");
	OUT("192.0.2.96");
	only("2001:db8:0:1::/65");
	IN("2001:db8:0:1::");
	IN("2001:db8:0:1:7fff:ffff:ffff:ffff");
	OUT("2001:db8:0:1:8000::");
	OUT("2001:db8:0:0:ffff:ffff:ffff:ffff");
	OUT("2001:db8:0:2::");
}
END_TEST

START_TEST(t_match_families)
{
	only("10.0.0.0/8");
	IN("10.1.2.3");
	IN("::ffff:10.1.2.3");
	OUT("::ffff:11.1.2.3");
	/* Same leading bytes, but not IPv4-mapped. */
	OUT("a01:203::");
	OUT("::10.1.2.3");
	OUT("::ffff:0:a01:203");
	only("2001:db8::/32");
	IN("2001:db8::1");
	OUT("32.1.13.184");
}
END_TEST

START_TEST(t_loopback)
{
	allowlist_init(&al);
	OUT("127.0.0.1");
	OUT("::1");
	allowlist_add_loopback(&al);
	ck_assert_uint_eq(al.n, 2);
	IN("127.0.0.1");
	IN("127.255.255.254");
	IN("::1");
	IN("::ffff:127.0.0.1");
	OUT("128.0.0.1");
	OUT("126.255.255.255");
	OUT("::2");
	OUT("::");
	OUT("192.0.2.7");
}
END_TEST

START_TEST(t_several)
{
	struct cidr c;

	allowlist_init(&al);
	allowlist_add_loopback(&al);
	ck_assert_int_eq(cidr_parse("192.0.2.0/24", &c), 0);
	ck_assert_int_eq(allowlist_add(&al, &c), 0);
	ck_assert_int_eq(cidr_parse("2001:db8::/32", &c), 0);
	ck_assert_int_eq(allowlist_add(&al, &c), 0);
	IN("127.0.0.1");
	IN("192.0.2.200");
	IN("2001:db8:1::1");
	OUT("198.51.100.1");
	OUT("2001:db9::1");
	/* init empties it. */
	allowlist_init(&al);
	OUT("192.0.2.200");
}
END_TEST

START_TEST(t_full)
{
	struct cidr c;
	unsigned int i;

	allowlist_init(&al);
	for (i = 0; i < ALLOW_MAX; i++) {
		char s[32];

		snprintf(s, sizeof(s), "10.%u.%u.0/24", i / 256, i % 256);
		ck_assert_int_eq(cidr_parse(s, &c), 0);
		ck_assert_int_eq(allowlist_add(&al, &c), 0);
	}
	ck_assert_uint_eq(al.n, ALLOW_MAX);
	ck_assert_int_eq(cidr_parse("192.0.2.7", &c), 0);
	ck_assert_int_eq(allowlist_add(&al, &c), -1);
	ck_assert_uint_eq(al.n, ALLOW_MAX);
	OUT("192.0.2.7");
	IN("10.0.255.1");
	IN("10.0.0.1");
}
END_TEST

Suite *allowlist_suite(void)
{
	Suite *s = suite_create("allowlist");
	TCase *tp = tcase_create("parse");
	TCase *tm = tcase_create("match");

	tcase_add_test(tp, t_parse_ok);
	tcase_add_test(tp, t_parse_clears_host_bits);
	tcase_add_test(tp, t_parse_bad);
	suite_add_tcase(s, tp);
	tcase_add_test(tm, t_match_zero);
	tcase_add_test(tm, t_match_host);
	tcase_add_test(tm, t_match_31_127);
	tcase_add_test(tm, t_match_odd_prefix);
	tcase_add_test(tm, t_match_families);
	tcase_add_test(tm, t_loopback);
	tcase_add_test(tm, t_several);
	tcase_add_test(tm, t_full);
	suite_add_tcase(s, tm);
	return s;
}
