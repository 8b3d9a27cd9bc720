/* check_privproto: what the privileged helper accepts from the daemon —
 * exactly the documented requests, nothing more. */
#include <check.h>
#include <string.h>

#include "privproto.h"
#include "unit.h"

static struct privop_req req(enum privop op)
{
	struct privop_req r;

	memset(&r, 0, sizeof(r));
	r.op = (uint32_t)op;
	return r;
}

START_TEST(t_valid)
{
	struct privop_req r = req(PRIVOP_FD_SOCKETS);

	r.pid = 1234;
	r.cursor = 77;
	r.budget = 4096;
	ck_assert_ptr_null(privproto_check(&r, sizeof(r)));
	r = req(PRIVOP_NETNS);
	r.pid = PRIVOP_PID_MAX;
	ck_assert_ptr_null(privproto_check(&r, sizeof(r)));
	r = req(PRIVOP_COUNTER);
	ck_assert_ptr_null(privproto_check(&r, sizeof(r)));
	r = req(PRIVOP_RULES_REMOVE);
	ck_assert_ptr_null(privproto_check(&r, sizeof(r)));
	r = req(PRIVOP_SET_ADD);
	r.set = PRIVOPS_DROP6;
	r.n = 2;
	memset(r.keys[0], 0xaa, 16);
	memset(r.keys[1], 0xbb, 16);
	r.timeout_ms[0] = 600000;
	r.timeout_ms[1] = 1;
	ck_assert_ptr_null(privproto_check(&r, sizeof(r)));
	r = req(PRIVOP_SET_DEL);
	r.set = PRIVOPS_RATELIMIT4;
	r.n = 1;
	memset(r.keys[0], 0xcc, 4);
	ck_assert_ptr_null(privproto_check(&r, sizeof(r)));
}
END_TEST

START_TEST(t_refused)
{
	struct privop_req r = req(PRIVOP_COUNTER);

	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r) - 1));
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r) + 1));
	r.op = 0;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r.op = PRIVOP_MAX;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	/* A field the op does not read is refused, not ignored. */
	r = req(PRIVOP_COUNTER);
	r.pid = 1;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r = req(PRIVOP_TABLE);
	r.keys[3][0] = 1;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r = req(PRIVOP_RULES_INSTALL);
	r.pad = 1;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	/* Bounds. */
	r = req(PRIVOP_FD_SOCKETS);
	r.pid = 0;
	r.budget = 1;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r.pid = PRIVOP_PID_MAX + 1;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r.pid = 1;
	r.budget = PRIVOP_BUDGET_MAX + 1;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r = req(PRIVOP_SET_HANDLE);
	r.set = PRIVOPS_SET_MAX;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r = req(PRIVOP_SET_ADD);
	r.n = PRIVOP_KEYS + 1;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r.n = 0;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	/* An IPv4 key with bytes beyond its 4, a timeout of 0 or of
	 * weeks, an element past n. */
	r = req(PRIVOP_SET_ADD);
	r.set = PRIVOPS_RATELIMIT4;
	r.n = 1;
	r.timeout_ms[0] = 1000;
	r.keys[0][4] = 1;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r.keys[0][4] = 0;
	ck_assert_ptr_null(privproto_check(&r, sizeof(r)));
	r.timeout_ms[0] = 0;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r.timeout_ms[0] = PRIVOP_TIMEOUT_MAX_MS + 1;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r.timeout_ms[0] = 1000;
	r.timeout_ms[1] = 1000;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	r.timeout_ms[1] = 0;
	r.keys[1][0] = 9;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
	/* A delete carries no timeout. */
	r = req(PRIVOP_SET_DEL);
	r.n = 1;
	r.timeout_ms[0] = 5;
	ck_assert_ptr_nonnull(privproto_check(&r, sizeof(r)));
}
END_TEST

Suite *privproto_suite(void)
{
	Suite *s = suite_create("privproto");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, t_valid);
	tcase_add_test(tc, t_refused);
	suite_add_tcase(s, tc);
	return s;
}
