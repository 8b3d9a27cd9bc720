/* check_claim: the per-second rings, the generic rate's pool and a burst's
 * claim on its resets (hold or let through, keep, give back, take back). */
#include <check.h>
#include <string.h>

#include "claim.h"
#include "secring.h"
#include "unit.h"

#define S0 1000ULL /* a second far from 0 */

static struct claim_pool pool;
static struct claim_burst burst;

static void setup(void)
{
	memset(&pool, 0, sizeof(pool));
	memset(&burst, 0, sizeof(burst));
}

/* The pool's count of second sec alone. */
static uint64_t in_pool(uint64_t sec)
{
	return claim_pool_sum(&pool, sec, 1, 0);
}

static uint64_t held(const struct claim_burst *b)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < CLAIM_WIN; i++)
		n += b->held[i].count;
	return n;
}

static uint64_t freed(const struct claim_burst *b)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < CLAIM_WIN; i++)
		n += b->freed[i].count;
	return n;
}

START_TEST(test_secring)
{
	struct secring r[4];

	memset(r, 0, sizeof(r));
	secring_add(r, 4, 10, 1);
	secring_add(r, 4, 10, 2);
	secring_add(r, 4, 11, 5);
	ck_assert_uint_eq(secring_sum(r, 4, 11, 4, 0), 8);
	ck_assert_uint_eq(secring_sum(r, 4, 11, 1, 0), 5);
	ck_assert_uint_eq(secring_sum(r, 4, 11, 1, 1), 3);
	/* Second 14 takes 10's slot: 10 is gone, not added to. */
	secring_add(r, 4, 14, 7);
	ck_assert_uint_eq(secring_sum(r, 4, 14, 4, 0), 12);
	ck_assert_uint_eq(secring_sum(r, 4, 10, 1, 0), 0);
	/* Seconds the ring cannot hold, or before 0, count for nothing. */
	ck_assert_uint_eq(secring_sum(r, 4, 14, 10, 0), 12);
	ck_assert_uint_eq(secring_sum(r, 4, 15, 1, 0), 0);
	memset(r, 0, sizeof(r));
	secring_add(r, 4, 0, 3);
	ck_assert_uint_eq(secring_sum(r, 4, 1, 4, 0), 3);
	ck_assert_uint_eq(secring_sum(r, 4, 0, 4, 1), 0);
}
END_TEST

START_TEST(test_line)
{
	/* A quarter of the way to the alert (rounded up)... */
	ck_assert_uint_eq(claim_line(50, 50), 125);
	ck_assert_uint_eq(claim_line(1, 1), 3);
	ck_assert_uint_eq(claim_line(10, 0), 25);
	/* ...or half-way to reset_rate's floor, if that comes first. */
	ck_assert_uint_eq(claim_line(500, 50), 250);
	ck_assert_uint_eq(claim_line(500, 1), 5);
}
END_TEST

START_TEST(test_pool)
{
	claim_pool_add(&pool, S0, 5);
	claim_pool_add(&pool, S0 + 1, 2);
	ck_assert_uint_eq(in_pool(S0), 5);
	claim_pool_take(&pool, S0, 3);
	ck_assert_uint_eq(in_pool(S0), 2);
	/* Never below 0; a second the pool no longer holds is left be. */
	claim_pool_take(&pool, S0, 10);
	ck_assert_uint_eq(in_pool(S0), 0);
	claim_pool_add(&pool, S0 + CLAIM_POOL + 1, 4);
	claim_pool_take(&pool, S0 + 1, 1);
	ck_assert_uint_eq(in_pool(S0 + CLAIM_POOL + 1), 4);
	ck_assert_uint_eq(
		claim_pool_sum(&pool, S0 + CLAIM_POOL + 1, CLAIM_POOL, 0), 4);
}
END_TEST

START_TEST(test_hold_or_free)
{
	uint64_t n;

	/* Below the line each reset is let through (the caller pools it),
	 * from the line on it is held, and held_ms says since when. */
	for (n = 1; n < 5; n++)
		ck_assert(!claim_hold(&burst, n, 5, S0 * 1000 + n));
	ck_assert_uint_eq(freed(&burst), 4);
	ck_assert_uint_eq(burst.held_ms, 0);
	ck_assert(claim_hold(&burst, 5, 5, S0 * 1000 + 500));
	ck_assert(claim_hold(&burst, 6, 5, (S0 + 1) * 1000));
	ck_assert_uint_eq(held(&burst), 2);
	ck_assert_uint_eq(freed(&burst), 4);
	ck_assert_uint_eq(burst.held_ms, S0 * 1000 + 500);
	/* Line 0: everything is held. */
	ck_assert(claim_hold(&burst, 0, 0, (S0 + 1) * 1000));
}
END_TEST

START_TEST(test_takeback)
{
	unsigned int i;

	/* Three let through in S0, two in S0+1, and pooled as the caller
	 * does; others' resets are in the pool too. */
	for (i = 0; i < 5; i++) {
		uint64_t ms = (S0 + (i >= 3)) * 1000 + i;

		ck_assert(!claim_hold(&burst, i, 10, ms));
		claim_pool_add(&pool, ms / 1000, 1);
	}
	claim_pool_add(&pool, S0, 7);
	claim_takeback(&burst, &pool);
	ck_assert_uint_eq(in_pool(S0), 7);
	ck_assert_uint_eq(in_pool(S0 + 1), 0);
	ck_assert_uint_eq(freed(&burst), 0);
	/* Taken once: a second time takes nothing. */
	claim_takeback(&burst, &pool);
	ck_assert_uint_eq(in_pool(S0), 7);
}
END_TEST

START_TEST(test_takeback_bounded)
{
	unsigned int i;

	/* The pool lost track of some (a scan took them back first): the
	 * burst takes what is left, never below 0, never another second. */
	for (i = 0; i < 4; i++)
		ck_assert(!claim_hold(&burst, i, 10, S0 * 1000 + i));
	claim_pool_add(&pool, S0, 2);
	claim_pool_add(&pool, S0 + 1, 9);
	claim_takeback(&burst, &pool);
	ck_assert_uint_eq(in_pool(S0), 0);
	ck_assert_uint_eq(in_pool(S0 + 1), 9);
}
END_TEST

START_TEST(test_keep)
{
	ck_assert(claim_hold(&burst, 9, 1, S0 * 1000));
	ck_assert(claim_hold(&burst, 9, 1, S0 * 1000 + 1));
	claim_keep(&burst);
	ck_assert_uint_eq(held(&burst), 0);
	ck_assert_uint_eq(burst.held_ms, 0);
	ck_assert_uint_eq(claim_pool_sum(&pool, S0 + 5, CLAIM_POOL, 0), 0);
}
END_TEST

START_TEST(test_release)
{
	/* Given back in the seconds they came in. */
	ck_assert(claim_hold(&burst, 9, 1, S0 * 1000));
	ck_assert(claim_hold(&burst, 9, 1, (S0 + 2) * 1000));
	ck_assert(claim_hold(&burst, 9, 1, (S0 + 2) * 1000 + 5));
	claim_release(&burst, &pool);
	ck_assert_uint_eq(in_pool(S0), 1);
	ck_assert_uint_eq(in_pool(S0 + 1), 0);
	ck_assert_uint_eq(in_pool(S0 + 2), 2);
	ck_assert_uint_eq(held(&burst), 0);
	ck_assert_uint_eq(burst.held_ms, 0);
	claim_release(&burst, &pool);
	ck_assert_uint_eq(in_pool(S0 + 2), 2);
}
END_TEST

START_TEST(test_settle)
{
	uint64_t t = S0 * 1000 + 300;

	ck_assert(claim_hold(&burst, 9, 1, t));
	ck_assert(claim_hold(&burst, 9, 1, t + 2000));
	/* Undecided, less than a window: it goes on holding. */
	claim_settle(&burst, &pool, false, t + CLAIM_WIN * 1000 - 1);
	ck_assert_uint_eq(held(&burst), 2);
	ck_assert_uint_eq(burst.held_ms, t);
	/* A whole window undecided: given back now, in this second (theirs
	 * have left the window). */
	claim_settle(&burst, &pool, false, t + CLAIM_WIN * 1000);
	ck_assert_uint_eq(held(&burst), 0);
	ck_assert_uint_eq(burst.held_ms, 0);
	ck_assert_uint_eq(in_pool(S0 + CLAIM_WIN), 2);
	ck_assert_uint_eq(in_pool(S0), 0);
	/* Nothing held: nothing to give. */
	claim_settle(&burst, &pool, false, t + 60000);
	ck_assert_uint_eq(claim_pool_sum(&pool, S0 + 60, CLAIM_POOL, 0), 2);
	/* Its alert: they stay claimed. */
	ck_assert(claim_hold(&burst, 9, 1, t + 61000));
	claim_settle(&burst, &pool, true, t + 90000);
	ck_assert_uint_eq(held(&burst), 0);
	ck_assert_uint_eq(burst.held_ms, 0);
	ck_assert_uint_eq(claim_pool_sum(&pool, S0 + 90, CLAIM_POOL, 0), 2);
}
END_TEST

Suite *claim_suite(void)
{
	Suite *s = suite_create("claim");
	TCase *tc = tcase_create("claim");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_secring);
	tcase_add_test(tc, test_line);
	tcase_add_test(tc, test_pool);
	tcase_add_test(tc, test_hold_or_free);
	tcase_add_test(tc, test_takeback);
	tcase_add_test(tc, test_takeback_bounded);
	tcase_add_test(tc, test_keep);
	tcase_add_test(tc, test_release);
	tcase_add_test(tc, test_settle);
	suite_add_tcase(s, tc);
	return s;
}
