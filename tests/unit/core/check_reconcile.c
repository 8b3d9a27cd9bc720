/* check_reconcile: the counter-versus-deliveries state machine. */
#include "reconcile.h"
#include "unit.h"

#define IDLE true
#define BUSY false

/* n more messages arrive, in order, without a gap. */
static void deliver(struct seqtrack *t, unsigned int n)
{
	while (n-- > 0)
		ck_assert_uint_eq(seqtrack_seen(t, (uint32_t)t->next), 0);
}

static enum reconcile_note tick(struct reconcile *r, struct seqtrack *t,
				uint64_t counter, bool idle)
{
	return reconcile_tick(r, t, true, counter, idle);
}

START_TEST(t_steady)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, true, 1000);
	ck_assert_uint_eq(reconcile_logged(&r), 0);
	ck_assert_int_eq(tick(&r, &t, 1000, IDLE), RECONCILE_QUIET);
	deliver(&t, 5);
	ck_assert_int_eq(tick(&r, &t, 1005, IDLE), RECONCILE_QUIET);
	deliver(&t, 3);
	ck_assert_int_eq(tick(&r, &t, 1008, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 1008, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(reconcile_logged(&r), 8);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_uint_eq(t.declared, 0);
	ck_assert_uint_eq(r.rebases, 0);
	ck_assert(!r.foreign);
}
END_TEST

START_TEST(t_tail_loss)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, true, 1000);
	deliver(&t, 3);
	/* Five counted, three arrived: the first reading only notes it. */
	ck_assert_int_eq(tick(&r, &t, 1005, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_int_eq(tick(&r, &t, 1005, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 2);
	ck_assert_uint_eq(t.declared, 5);
	ck_assert_int_eq(tick(&r, &t, 1005, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 2);
}
END_TEST

/* What was counted since the last tick may still be on its way. */
START_TEST(t_previous_reading)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, true, 0);
	deliver(&t, 5);
	ck_assert_int_eq(tick(&r, &t, 5, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 10, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_int_eq(tick(&r, &t, 10, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 5);
	/* They were late after all. */
	deliver(&t, 5);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_uint_eq(t.late, 5);
}
END_TEST

START_TEST(t_not_idle)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, true, 0);
	deliver(&t, 3);
	ck_assert_int_eq(tick(&r, &t, 5, IDLE), RECONCILE_QUIET);
	/* Messages still queued: do not judge yet. */
	ck_assert_int_eq(tick(&r, &t, 5, BUSY), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 5, BUSY), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
	deliver(&t, 2);
	ck_assert_int_eq(tick(&r, &t, 5, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);

	/* Deferred, then declared at the first idle tick. */
	ck_assert_int_eq(tick(&r, &t, 8, BUSY), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 8, BUSY), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_int_eq(tick(&r, &t, 8, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 3);
}
END_TEST

START_TEST(t_reset)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, true, 1000);
	deliver(&t, 5);
	ck_assert_int_eq(tick(&r, &t, 1005, IDLE), RECONCILE_QUIET);
	/* Rules reloaded: the counter starts again. */
	ck_assert_int_eq(tick(&r, &t, 3, IDLE), RECONCILE_RESET);
	ck_assert_uint_eq(r.rebases, 1);
	ck_assert_uint_eq(reconcile_logged(&r), 5);
	ck_assert_uint_eq(t.lost, 0);
	deliver(&t, 1);
	ck_assert_int_eq(tick(&r, &t, 4, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(reconcile_logged(&r), 6);
	ck_assert_int_eq(tick(&r, &t, 4, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
	/* Counting from the new base. */
	ck_assert_int_eq(tick(&r, &t, 6, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 6, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 2);
	ck_assert_uint_eq(t.declared, 8);
}
END_TEST

/* No declaration right after a rebase: it has no previous reading. */
START_TEST(t_reset_no_prev)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, true, 100);
	deliver(&t, 5);
	ck_assert_int_eq(tick(&r, &t, 105, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 0, IDLE), RECONCILE_RESET);
	ck_assert_int_eq(tick(&r, &t, 2, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_int_eq(tick(&r, &t, 2, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 2);
}
END_TEST

/* A rebase forgets the reading from before it. */
START_TEST(t_rebase_forgets)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, true, 0);
	deliver(&t, 3);
	ck_assert_int_eq(tick(&r, &t, 5, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 0, IDLE), RECONCILE_RESET);
	ck_assert_int_eq(tick(&r, &t, 0, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 0, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_uint_eq(t.declared, 0);

	/* Same when the counter disappears and comes back. */
	ck_assert_int_eq(tick(&r, &t, 4, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(reconcile_tick(&r, &t, false, 0, IDLE),
			 RECONCILE_GONE);
	ck_assert_int_eq(tick(&r, &t, 50, IDLE), RECONCILE_FOUND);
	ck_assert_int_eq(tick(&r, &t, 50, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 50, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
}
END_TEST

START_TEST(t_gone_found)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, true, 0);
	deliver(&t, 2);
	ck_assert_int_eq(tick(&r, &t, 2, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(reconcile_tick(&r, &t, false, 0, IDLE),
			 RECONCILE_GONE);
	ck_assert(!r.available);
	ck_assert_int_eq(reconcile_tick(&r, &t, false, 0, IDLE),
			 RECONCILE_QUIET);
	deliver(&t, 3);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_int_eq(tick(&r, &t, 100, IDLE), RECONCILE_FOUND);
	ck_assert(r.available);
	ck_assert_uint_eq(r.rebases, 1);
	ck_assert_uint_eq(reconcile_logged(&r), 5);
	ck_assert_int_eq(tick(&r, &t, 100, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 100, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_int_eq(tick(&r, &t, 101, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 101, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 1);
}
END_TEST

START_TEST(t_start_unavailable)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, false, 0);
	ck_assert_int_eq(reconcile_tick(&r, &t, false, 0, IDLE),
			 RECONCILE_QUIET);
	deliver(&t, 4);
	ck_assert_int_eq(tick(&r, &t, 7, IDLE), RECONCILE_FOUND);
	ck_assert_uint_eq(reconcile_logged(&r), 4);
	ck_assert_int_eq(tick(&r, &t, 7, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 7, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
}
END_TEST

START_TEST(t_foreign)
{
	struct reconcile r;
	struct seqtrack t;

	seqtrack_init(&t);
	reconcile_start(&r, true, 1000);
	/* Ten arrived, five counted: another rule logs to our group. */
	deliver(&t, 10);
	ck_assert_int_eq(tick(&r, &t, 1005, IDLE), RECONCILE_FOREIGN);
	ck_assert(r.foreign);
	/* Said once; from then on the counter is not trusted. */
	ck_assert_int_eq(tick(&r, &t, 1100, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 1100, IDLE), RECONCILE_QUIET);
	ck_assert_int_eq(tick(&r, &t, 1200, IDLE), RECONCILE_QUIET);
	ck_assert_uint_eq(t.lost, 0);
	ck_assert_uint_eq(t.declared, 0);
}
END_TEST

Suite *reconcile_suite(void)
{
	Suite *s = suite_create("reconcile");
	TCase *tc = tcase_create("tick");

	tcase_add_test(tc, t_steady);
	tcase_add_test(tc, t_tail_loss);
	tcase_add_test(tc, t_previous_reading);
	tcase_add_test(tc, t_not_idle);
	tcase_add_test(tc, t_reset);
	tcase_add_test(tc, t_reset_no_prev);
	tcase_add_test(tc, t_rebase_forgets);
	tcase_add_test(tc, t_gone_found);
	tcase_add_test(tc, t_start_unavailable);
	tcase_add_test(tc, t_foreign);
	suite_add_tcase(s, tc);
	return s;
}
