/* check_tasknet: telling a task's network namespace from ours, on a fake
 * /proc (files stand for the namespace links: same inode, same ns). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tasknet.h"
#include "unit.h"

static char root[64];

static void mkfile(const char *rel)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void mk(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_int_eq(mkdir(path, 0700), 0);
}

/* root/self/ns/net (ours), root/100/ns/net (a hard link: ours),
 * root/200/ns/net (another file: foreign); no root/300. */
static void setup(void)
{
	char a[256], b[256];

	snprintf(root, sizeof(root), "/tmp/rstmon-tasknet.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	mk("self");
	mk("self/ns");
	mkfile("self/ns/net");
	mk("100");
	mk("100/ns");
	snprintf(a, sizeof(a), "%s/self/ns/net", root);
	snprintf(b, sizeof(b), "%s/100/ns/net", root);
	ck_assert_int_eq(link(a, b), 0);
	mk("200");
	mk("200/ns");
	mkfile("200/ns/net");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(t_verdicts)
{
	struct tasknet t;

	ck_assert_int_eq(tasknet_init(&t, root), 0);
	ck_assert_int_eq(tasknet_check(&t, root, 100, 0), TASKNET_OURS);
	ck_assert_int_eq(tasknet_check(&t, root, 200, 0), TASKNET_FOREIGN);
	ck_assert_int_eq(tasknet_check(&t, root, 300, 0), TASKNET_UNKNOWN);
	ck_assert_int_eq(tasknet_check(&t, root, 0, 0), TASKNET_UNKNOWN);
}
END_TEST

START_TEST(t_cache)
{
	struct tasknet t;
	char path[256];

	ck_assert_int_eq(tasknet_init(&t, root), 0);
	ck_assert_int_eq(tasknet_check(&t, root, 200, 1000), TASKNET_FOREIGN);
	/* The task is gone: within the TTL the verdict stands... */
	snprintf(path, sizeof(path), "rm -rf '%s/200'", root);
	ck_assert_int_eq(system(path), 0);
	ck_assert_int_eq(tasknet_check(&t, root, 200,
				       1000 + TASKNET_TTL_MS - 1),
			 TASKNET_FOREIGN);
	/* ...after it, /proc is asked again. */
	ck_assert_int_eq(tasknet_check(&t, root, 200, 1000 + TASKNET_TTL_MS),
			 TASKNET_UNKNOWN);
	/* An unknown verdict is not cached: a new task of that tid counts. */
	mk("200");
	mk("200/ns");
	snprintf(path, sizeof(path), "%s/self/ns/net", root);
	{
		char b[256];

		snprintf(b, sizeof(b), "%s/200/ns/net", root);
		ck_assert_int_eq(link(path, b), 0);
	}
	ck_assert_int_eq(tasknet_check(&t, root, 200, 1000 + TASKNET_TTL_MS),
			 TASKNET_OURS);
}
END_TEST

START_TEST(t_real_proc)
{
	struct tasknet t;

	ck_assert_int_eq(tasknet_init(&t, "/proc"), 0);
	ck_assert_int_eq(tasknet_check(&t, "/proc", (uint32_t)getpid(), 0),
			 TASKNET_OURS);
}
END_TEST

START_TEST(t_no_self)
{
	struct tasknet t;

	ck_assert_int_eq(tasknet_init(&t, "/nonexistent"), -1);
	ck_assert_int_eq(tasknet_check(&t, "/nonexistent", 1, 0),
			 TASKNET_UNKNOWN);
}
END_TEST

Suite *tasknet_suite(void)
{
	Suite *s = suite_create("tasknet");
	TCase *tc = tcase_create("verdicts");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_verdicts);
	tcase_add_test(tc, t_cache);
	tcase_add_test(tc, t_real_proc);
	tcase_add_test(tc, t_no_self);
	suite_add_tcase(s, tc);
	return s;
}
