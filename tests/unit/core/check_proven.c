/* check_proven: addresses that completed a handshake lately, bounded. */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "proven.h"
#include "unit.h"

static void addr(const char *s, uint8_t *fam, uint8_t *a)
{
	if (inet_pton(AF_INET, s, a) == 1) {
		*fam = AF_INET;
		return;
	}
	ck_assert_int_eq(inet_pton(AF_INET6, s, a), 1);
	*fam = AF_INET6;
}

static bool has(const struct proven *p, const char *s, uint64_t now,
		uint64_t window)
{
	uint8_t a[16] = { 0 }, fam;

	addr(s, &fam, a);
	return proven_has(p, fam, a, now, window);
}

static void see(struct proven *p, const char *s, uint64_t now)
{
	uint8_t a[16] = { 0 }, fam;

	addr(s, &fam, a);
	proven_see(p, fam, a, now);
}

START_TEST(t_window)
{
	struct proven *p = proven_new();

	see(p, "192.0.2.1", 1000);
	see(p, "2001:db8::1", 1000);
	ck_assert(has(p, "192.0.2.1", 5000, 12000));
	ck_assert(has(p, "2001:db8::1", 13000, 12000));
	ck_assert(!has(p, "192.0.2.1", 13001, 12000));
	ck_assert(!has(p, "192.0.2.2", 1000, 12000));
	/* 192.0.2.1 as IPv6 is another address. */
	ck_assert(!has(p, "::ffff:192.0.2.1", 1000, 12000));
	/* Seen again: the window starts again. */
	see(p, "192.0.2.1", 20000);
	ck_assert(has(p, "192.0.2.1", 30000, 12000));
	free(p);
}
END_TEST

/* 100,000 real handshakes (a busy server) keep
 * the table at its size; the latest are there. */
START_TEST(t_bounded)
{
	struct proven *p = proven_new();
	char s[32];
	unsigned int i, found = 0;

	for (i = 0; i < 100000; i++) {
		snprintf(s, sizeof(s), "10.%u.%u.%u", i >> 16, (i >> 8) & 255,
			 i & 255);
		see(p, s, i);
	}
	ck_assert_uint_ge(p->replaced, 100000 - PROVEN_SLOTS);
	for (i = 100000 - 100; i < 100000; i++) {
		snprintf(s, sizeof(s), "10.%u.%u.%u", i >> 16, (i >> 8) & 255,
			 i & 255);
		found += has(p, s, 100000, 1000000);
	}
	ck_assert_uint_eq(found, 100);
	free(p);
}
END_TEST

Suite *proven_suite(void)
{
	Suite *s = suite_create("proven");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, t_window);
	tcase_add_test(tc, t_bounded);
	suite_add_tcase(s, tc);
	return s;
}
