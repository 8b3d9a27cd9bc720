/* check_seqtrack: loss accounting from NFLOG sequence numbers. */
#include "seqtrack.h"
#include "unit.h"

/* Feed seq numbers from..to-1 (32-bit, may wrap); returns newly lost. */
static uint64_t feed(struct seqtrack *t, uint32_t from, uint32_t to)
{
	uint64_t lost = 0;
	uint32_t s;

	for (s = from; s != to; s++)
		lost += seqtrack_seen(t, s);
	return lost;
}

START_TEST(t_no_gaps)
{
	struct seqtrack t;

	seqtrack_init(&t);
	ck_assert_uint_eq(feed(&t, 0, 1000), 0);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_uint_eq(t.late, 0);
	ck_assert_uint_eq(t.received, 1000);
	ck_assert_uint_eq(t.next, 1000);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 1000), 0);
	ck_assert_uint_eq(t.lost, 0);
}
END_TEST

START_TEST(t_gap)
{
	struct seqtrack t;

	seqtrack_init(&t);
	feed(&t, 0, 2);
	/* 2, 3 and 4 never came. */
	ck_assert_uint_eq(seqtrack_seen(&t, 5), 3);
	ck_assert_uint_eq(t.lost, 3);
	ck_assert_uint_eq(t.next, 6);
	ck_assert_uint_eq(seqtrack_seen(&t, 6), 0);
	ck_assert_uint_eq(seqtrack_seen(&t, 100), 93);
	ck_assert_uint_eq(t.lost, 96);
	ck_assert_uint_eq(t.received, 5);
	/* A lost first message shows too. */
	seqtrack_init(&t);
	ck_assert_uint_eq(seqtrack_seen(&t, 1), 1);
	ck_assert_uint_eq(t.lost, 1);
}
END_TEST

START_TEST(t_tail)
{
	struct seqtrack t;

	seqtrack_init(&t);
	feed(&t, 0, 10);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 15), 5);
	ck_assert_uint_eq(t.lost, 5);
	ck_assert_uint_eq(t.declared, 15);
	/* Declared once only. */
	ck_assert_uint_eq(seqtrack_reconcile(&t, 15), 0);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 17), 2);
	ck_assert_uint_eq(t.lost, 7);
	/* The next message after the declared range: no new gap. */
	ck_assert_uint_eq(seqtrack_seen(&t, 17), 0);
	ck_assert_uint_eq(t.lost, 7);
	ck_assert_uint_eq(t.late, 0);
	ck_assert_uint_eq(t.next, 18);
}
END_TEST

START_TEST(t_late)
{
	struct seqtrack t;

	seqtrack_init(&t);
	feed(&t, 0, 10);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 15), 5);
	/* 10 was only slow: take it back. */
	ck_assert_uint_eq(seqtrack_seen(&t, 10), 0);
	ck_assert_uint_eq(t.lost, 4);
	ck_assert_uint_eq(t.late, 1);
	/* 11 really is lost; 12 is late. */
	ck_assert_uint_eq(seqtrack_seen(&t, 12), 0);
	ck_assert_uint_eq(t.lost, 3);
	ck_assert_uint_eq(t.late, 2);
	/* Past the declared range a gap counts only what was not declared:
	 * 13, 14 were, 15 was not. */
	ck_assert_uint_eq(seqtrack_seen(&t, 16), 1);
	ck_assert_uint_eq(t.lost, 4);
	ck_assert_uint_eq(t.late, 2);
	ck_assert_uint_eq(t.received, 13);
}
END_TEST

/* A message from inside an earlier gap. */
START_TEST(t_behind)
{
	struct seqtrack t;

	seqtrack_init(&t);
	seqtrack_seen(&t, 0);
	ck_assert_uint_eq(seqtrack_seen(&t, 3), 2);
	ck_assert_uint_eq(seqtrack_seen(&t, 1), 0);
	ck_assert_uint_eq(t.lost, 1);
	ck_assert_uint_eq(t.late, 1);
	ck_assert_uint_eq(t.next, 4);
}
END_TEST

START_TEST(t_reconcile_below)
{
	struct seqtrack t;

	seqtrack_init(&t);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 0), 0);
	feed(&t, 0, 10);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 5), 0);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 10), 0);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_uint_eq(t.declared, 0);
	/* Below what was already declared: nothing more either. */
	ck_assert_uint_eq(seqtrack_reconcile(&t, 20), 10);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 12), 0);
	ck_assert_uint_eq(t.lost, 10);
	ck_assert_uint_eq(t.declared, 20);
}
END_TEST

START_TEST(t_wrap)
{
	struct seqtrack t;

	seqtrack_init(&t);
	t.next = 0xfffffff0u;
	ck_assert_uint_eq(feed(&t, 0xfffffff0u, 5), 0);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_uint_eq(t.received, 21);
	/* Counts go on past 2^32. */
	ck_assert_uint_eq(t.next, 0x100000005ull);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 0x100000005ull), 0);
	ck_assert_uint_eq(seqtrack_reconcile(&t, 0x100000007ull), 2);
	ck_assert_uint_eq(t.lost, 2);
}
END_TEST

START_TEST(t_wrap_gap)
{
	struct seqtrack t;

	seqtrack_init(&t);
	t.next = 0xfffffff0u;
	seqtrack_seen(&t, 0xfffffff0u);
	/* Lost: 0xfffffff1..0xffffffff (15) and 0, 1, 2. */
	ck_assert_uint_eq(seqtrack_seen(&t, 3), 18);
	ck_assert_uint_eq(t.lost, 18);
	ck_assert_uint_eq(t.next, 0x100000004ull);
	/* One of them, from before the wrap, turns up late. */
	ck_assert_uint_eq(seqtrack_seen(&t, 0xfffffffau), 0);
	ck_assert_uint_eq(t.lost, 17);
	ck_assert_uint_eq(t.late, 1);
	ck_assert_uint_eq(t.next, 0x100000004ull);
}
END_TEST

START_TEST(t_wrap_declared)
{
	struct seqtrack t;

	seqtrack_init(&t);
	t.next = 0xfffffff0u;
	ck_assert_uint_eq(seqtrack_reconcile(&t, 0x100000005ull), 21);
	/* A declared message from after the wrap arrives late. */
	ck_assert_uint_eq(seqtrack_seen(&t, 2), 0);
	ck_assert_uint_eq(t.lost, 20);
	ck_assert_uint_eq(t.late, 1);
	ck_assert_uint_eq(t.next, 0x100000003ull);
	ck_assert_uint_eq(seqtrack_seen(&t, 6), 1);
	ck_assert_uint_eq(t.lost, 21);
}
END_TEST

Suite *seqtrack_suite(void)
{
	Suite *s = suite_create("seqtrack");
	TCase *tc = tcase_create("loss");

	tcase_add_test(tc, t_no_gaps);
	tcase_add_test(tc, t_gap);
	tcase_add_test(tc, t_tail);
	tcase_add_test(tc, t_late);
	tcase_add_test(tc, t_behind);
	tcase_add_test(tc, t_reconcile_below);
	tcase_add_test(tc, t_wrap);
	tcase_add_test(tc, t_wrap_gap);
	tcase_add_test(tc, t_wrap_declared);
	suite_add_tcase(s, tc);
	return s;
}
