/* check_procfile: a file read whole, cut to the buffer. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "procfile.h"
#include "unit.h"

START_TEST(t_read)
{
	char dir[] = "/tmp/rstmon-procfile-XXXXXX", path[64], buf[16];
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snmp", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "Tcp: A\nTcp: 1\n", 14), 14);
	close(fd);
	ck_assert_int_eq(procfile_read(path, buf, sizeof(buf)), 14);
	ck_assert_str_eq(buf, "Tcp: A\nTcp: 1\n");
	/* Cut to the buffer, still terminated. */
	ck_assert_int_eq(procfile_read(path, buf, 5), 4);
	ck_assert_str_eq(buf, "Tcp:");
	errno = 0;
	ck_assert_int_eq(procfile_read(path, buf, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(procfile_read(path, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

Suite *procfile_suite(void)
{
	Suite *s = suite_create("procfile");
	TCase *tc = tcase_create("read");

	tcase_add_test(tc, t_read);
	suite_add_tcase(s, tc);
	return s;
}
