/* check_hll: HyperLogLog estimates within 3 standard errors, duplicates,
 * and merge as union. */
#include <check.h>
#include <string.h>
#include <sys/socket.h>

#include "hash.h"
#include "hll.h"
#include "unit.h"

/* 3 standard errors of 1.04 / sqrt(1024), rounded up. */
#define TOLERANCE 0.10

/*
 * Items are consecutive IPv4 addresses, hashed as stats hashes remotes:
 * the most regular input a flood of spoofed sources can give.
 */
static void add_range(struct hll *h, uint64_t from, uint64_t to)
{
	uint64_t i;

	for (i = from; i < to; i++)
		hll_add(h, hash_pair(i, (uint64_t)AF_INET << 56));
}

static void assert_near(double got, double want)
{
	ck_assert_msg(got >= want * (1 - TOLERANCE) &&
			      got <= want * (1 + TOLERANCE),
		      "estimate %.1f for %.0f distinct", got, want);
}

START_TEST(test_empty)
{
	struct hll h;

	hll_reset(&h);
	ck_assert(hll_estimate(&h) == 0.0);
}
END_TEST

START_TEST(test_one)
{
	struct hll h;

	hll_reset(&h);
	add_range(&h, 42, 43);
	assert_near(hll_estimate(&h), 1);
}
END_TEST

START_TEST(test_sizes)
{
	static const uint64_t sizes[] = { 100, 10000, 1000000 };
	struct hll h;
	unsigned int i;
	uint64_t base;

	/* Several disjoint sets per size: not one lucky draw. */
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (base = 0; base < 4; base++) {
			hll_reset(&h);
			add_range(&h, base << 28, (base << 28) + sizes[i]);
			assert_near(hll_estimate(&h), (double)sizes[i]);
		}
	}
}
END_TEST

START_TEST(test_duplicates)
{
	struct hll h;
	double once;
	int i;

	hll_reset(&h);
	add_range(&h, 0, 10000);
	once = hll_estimate(&h);
	for (i = 0; i < 5; i++)
		add_range(&h, 0, 10000);
	ck_assert(hll_estimate(&h) == once);
	add_range(&h, 5000, 7000);
	ck_assert(hll_estimate(&h) == once);
}
END_TEST

START_TEST(test_merge_is_union)
{
	struct hll a, b, u;

	hll_reset(&a);
	hll_reset(&b);
	hll_reset(&u);
	add_range(&a, 0, 60000);
	add_range(&b, 40000, 100000);
	add_range(&u, 0, 100000);
	hll_merge(&a, &b);
	ck_assert_mem_eq(a.reg, u.reg, sizeof(u.reg));
	assert_near(hll_estimate(&a), 100000);
	/* Merging with itself or an empty sketch changes nothing. */
	hll_merge(&a, &a);
	hll_reset(&b);
	hll_merge(&a, &b);
	ck_assert_mem_eq(a.reg, u.reg, sizeof(u.reg));
}
END_TEST

Suite *hll_suite(void)
{
	Suite *s = suite_create("hll");
	TCase *tc = tcase_create("hyperloglog");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_one);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_merge_is_union);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
