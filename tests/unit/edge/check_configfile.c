/* check_configfile: the daemon's config_io — the file read whole or
 * refused with its name, the hook's program checked — and config read
 * through it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "configfile.h"
#include "unit.h"

static char dir[64], path[128], err[512];

static void scratch(void)
{
	snprintf(dir, sizeof(dir), "/tmp/rstmon-configfile-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rstmond.conf", dir);
	err[0] = '\0';
}

static void scratch_remove(void)
{
	char hook[160];

	snprintf(hook, sizeof(hook), "%s/hook", dir);
	unlink(hook);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}

static void write_file(const char *p, const char *text, size_t len, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

START_TEST(t_read)
{
	char *text = (char *)1, want[256];

	scratch();
	/* Missing: nothing, unless it must exist. */
	ck_assert_int_eq(
		configfile_io.read(path, false, &text, err, sizeof(err)), 0);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(
		configfile_io.read(path, true, &text, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	ck_assert_str_eq(err, want);
	/* Read whole, past the first 4 KiB step. */
	{
		static char big[10000];

		memset(big, '#', sizeof(big));
		big[sizeof(big) - 1] = '\n';
		write_file(path, big, sizeof(big), 0644);
		ck_assert_int_eq(configfile_io.read(path, true, &text, err,
						    sizeof(err)),
				 0);
		ck_assert_uint_eq(strlen(text), sizeof(big));
		free(text);
	}
	scratch_remove();
}
END_TEST

START_TEST(t_too_large)
{
	static char chunk[65536];
	char *text = NULL, want[256];
	int fd, i;

	scratch();
	memset(chunk, '#', sizeof(chunk));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	for (i = 0; i < 20; i++) /* 1.25 MiB */
		ck_assert_int_eq(write(fd, chunk, sizeof(chunk)),
				 (ssize_t)sizeof(chunk));
	close(fd);
	ck_assert_int_eq(
		configfile_io.read(path, true, &text, err, sizeof(err)), -1);
	ck_assert_ptr_null(text);
	snprintf(want, sizeof(want), "%s: file too large", path);
	ck_assert_str_eq(err, want);
	scratch_remove();
}
END_TEST

/* A hook that cannot be run is refused where it was written. */
START_TEST(t_hook_not_executable)
{
	struct config c;
	char hook[160], text[256], want[512], prog[] = "rstmond", opt[] = "-c";
	char *argv[] = { prog, opt, path, NULL };

	scratch();
	snprintf(hook, sizeof(hook), "%s/hook", dir);
	write_file(hook, "#!/bin/sh\n", 10, 0644);
	snprintf(text, sizeof(text), "group = 7\nhook = %s --flag\n", hook);
	write_file(path, text, strlen(text), 0644);
	config_defaults(&c);
	c.io = &configfile_io;
	ck_assert_int_eq(config_from_args(&c, 3, argv, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2: hook: %s: Permission denied", path,
		 hook);
	ck_assert_str_eq(err, want);
	/* Executable, it is taken, and the file's values with it. */
	ck_assert_int_eq(chmod(hook, 0755), 0);
	config_defaults(&c);
	c.io = &configfile_io;
	ck_assert_int_eq(config_from_args(&c, 3, argv, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.group, 7);
	snprintf(want, sizeof(want), "%s --flag", hook);
	ck_assert_str_eq(c.hook, want);
	scratch_remove();
}
END_TEST

Suite *configfile_suite(void)
{
	Suite *s = suite_create("configfile");
	TCase *tc = tcase_create("io");

	tcase_add_test(tc, t_read);
	tcase_add_test(tc, t_too_large);
	tcase_add_test(tc, t_hook_not_executable);
	suite_add_tcase(s, tc);
	return s;
}
