/* check_evsink: the events file, opened as root in a directory its -u
 * user may own — never through a link, never a FIFO or a file linked
 * elsewhere, and "created" only when rstmond made it (issue 16). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evsink.h"
#include "unit.h"

static char dir[64];

static const char *at(const char *name)
{
	static char path[4][128];
	static unsigned int i;
	char *p = path[i++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* The whole file (a few lines at most). */
static const char *slurp(const char *path)
{
	static char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/rstmon-evsink.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	static const char *const names[] = { "events", "target", "moved",
					     "absent" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(at(names[i]));
	rmdir(dir);
}

/* A link planted at the path: refused, named, its target untouched. */
START_TEST(t_symlink_refused)
{
	struct evsink s;
	char err[512];

	put_file(at("target"), "secret\n");
	ck_assert_int_eq(symlink(at("target"), at("events")), 0);
	ck_assert_int_eq(evsink_open(&s, at("events"), err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, at("events")));
	ck_assert_ptr_nonnull(strstr(err, "symbolic link"));
	ck_assert_ptr_null(strchr(err, '\n'));
	ck_assert_str_eq(slurp(at("target")), "secret\n");

	/* Dangling: the target is not created either. */
	ck_assert_int_eq(unlink(at("events")), 0);
	ck_assert_int_eq(symlink(at("absent"), at("events")), 0);
	ck_assert_int_eq(evsink_open(&s, at("events"), err, sizeof(err)), -1);
	ck_assert_int_eq(access(at("absent"), F_OK), -1);
}
END_TEST

/* A FIFO would hang open() and is no log: refused at once. */
START_TEST(t_fifo_refused)
{
	struct evsink s;
	char err[512];

	ck_assert_int_eq(mkfifo(at("events"), 0600), 0);
	ck_assert_int_eq(evsink_open(&s, at("events"), err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
}
END_TEST

/* A hard link to another file (protected_hardlinks off): refused. */
START_TEST(t_hardlink_refused)
{
	struct evsink s;
	char err[512];

	put_file(at("target"), "secret\n");
	ck_assert_int_eq(link(at("target"), at("events")), 0);
	ck_assert_int_eq(evsink_open(&s, at("events"), err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "links"));
	ck_assert_str_eq(slurp(at("target")), "secret\n");
}
END_TEST

/* Made here: created, 0640; there already: appended to, not created. */
START_TEST(t_created_or_existing)
{
	struct evsink s;
	struct stat st;
	char err[512];

	ck_assert_int_eq(evsink_open(&s, at("events"), err, sizeof(err)), 0);
	ck_assert(s.created);
	ck_assert(!s.nonblocking);
	ck_assert_int_eq(fstat(s.fd, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777 & ~0640, 0);
	evsink_line(&s, "one", 3);
	evsink_close(&s);

	ck_assert_int_eq(evsink_open(&s, at("events"), err, sizeof(err)), 0);
	ck_assert(!s.created);
	evsink_line(&s, "two", 3);
	evsink_close(&s);
	ck_assert_str_eq(slurp(at("events")), "one\ntwo\n");

	/* A device only root makes: /dev/null, written without blocking. */
	ck_assert_int_eq(evsink_open(&s, "/dev/null", err, sizeof(err)), 0);
	ck_assert(!s.created);
	ck_assert(s.nonblocking);
	evsink_close(&s);
}
END_TEST

/* Rotated, and a link planted in the new file's place: the reopen
 * refuses it and keeps writing where it was. */
START_TEST(t_reopen_refuses_symlink)
{
	struct evsink s;
	char err[512];

	put_file(at("target"), "secret\n");
	ck_assert_int_eq(evsink_open(&s, at("events"), err, sizeof(err)), 0);
	ck_assert_int_eq(rename(at("events"), at("moved")), 0);
	ck_assert_int_eq(symlink(at("target"), at("events")), 0);
	ck_assert_int_eq(evsink_reopen(&s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "symbolic link"));
	evsink_line(&s, "kept", 4);
	evsink_close(&s);
	ck_assert_str_eq(slurp(at("target")), "secret\n");
	ck_assert_str_eq(slurp(at("moved")), "kept\n");
}
END_TEST

Suite *evsink_suite(void)
{
	Suite *s = suite_create("evsink");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_symlink_refused);
	tcase_add_test(tc, t_fifo_refused);
	tcase_add_test(tc, t_hardlink_refused);
	tcase_add_test(tc, t_created_or_existing);
	tcase_add_test(tc, t_reopen_refuses_symlink);
	suite_add_tcase(s, tc);
	return s;
}
