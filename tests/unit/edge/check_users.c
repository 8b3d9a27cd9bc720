/* check_users: uid -> name through NSS, cached with a TTL. */
#include <pwd.h>
#include <stdlib.h>

#include "unit.h"
#include "users.h"

/* A uid that NSS does not know here (searched, not assumed). */
static uint32_t unused_uid(void)
{
	uint32_t uid;

	for (uid = 3999999000u; uid < 3999999100u; uid++)
		if (getpwuid((uid_t)uid) == NULL)
			return uid;
	ck_abort_msg("no unused uid found");
	return 0;
}

START_TEST(t_root)
{
	struct users *u = malloc(sizeof(*u));
	const char *name;

	ck_assert_ptr_nonnull(u);
	users_init(u);
	ck_assert_uint_eq(u->lookups, 0);
	name = users_name(u, 0, 1000);
	ck_assert_ptr_nonnull(name);
	ck_assert_str_eq(name, "root");
	ck_assert_uint_eq(u->lookups, 1);
	/* Cached: no second lookup within the TTL. */
	ck_assert_str_eq(users_name(u, 0, 1000 + 59999), "root");
	ck_assert_uint_eq(u->lookups, 1);
	/* Expired after 60 s: looked up again, same slot reused. */
	ck_assert_str_eq(users_name(u, 0, 1000 + 60000), "root");
	ck_assert_uint_eq(u->lookups, 2);
	ck_assert_uint_eq(u->next, 1);
	free(u);
}
END_TEST

START_TEST(t_unknown)
{
	struct users *u = malloc(sizeof(*u));
	uint32_t uid = unused_uid();

	ck_assert_ptr_nonnull(u);
	users_init(u);
	ck_assert_ptr_null(users_name(u, uid, 5));
	ck_assert_uint_eq(u->lookups, 1);
	/* The negative answer is cached too. */
	ck_assert_ptr_null(users_name(u, uid, 6));
	ck_assert_uint_eq(u->lookups, 1);
	/* And does not shadow a known uid. */
	ck_assert_str_eq(users_name(u, 0, 7), "root");
	ck_assert_uint_eq(u->lookups, 2);
	free(u);
}
END_TEST

/* Round-robin: slot USERS_SLOTS + 1 replaces the first one. */
START_TEST(t_round_robin)
{
	struct users *u = malloc(sizeof(*u));
	uint32_t i;

	ck_assert_ptr_nonnull(u);
	users_init(u);
	ck_assert_str_eq(users_name(u, 0, 1), "root");
	for (i = 1; i < USERS_SLOTS; i++)
		users_name(u, 3999990000u + i, 1);
	ck_assert_uint_eq(u->lookups, USERS_SLOTS);
	ck_assert_uint_eq(u->next, 0);
	ck_assert_str_eq(users_name(u, 0, 2), "root");
	ck_assert_uint_eq(u->lookups, USERS_SLOTS);
	users_name(u, 3999990000u + USERS_SLOTS, 2);
	ck_assert_uint_eq(u->next, 1);
	/* uid 0's slot was the oldest: gone, so looked up again. */
	ck_assert_str_eq(users_name(u, 0, 3), "root");
	ck_assert_uint_eq(u->lookups, USERS_SLOTS + 2);
	free(u);
}
END_TEST

Suite *users_suite(void)
{
	Suite *s = suite_create("users");
	TCase *tc = tcase_create("cache");

	tcase_add_test(tc, t_root);
	tcase_add_test(tc, t_unknown);
	tcase_add_test(tc, t_round_robin);
	suite_add_tcase(s, tc);
	return s;
}
