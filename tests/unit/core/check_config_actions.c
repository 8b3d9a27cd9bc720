/* check_config_actions: the options of the actions (ratelimit, allow,
 * hook, dry-run) in the config file and on the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "unit.h"

/* Never the real /etc file: these tests must not depend on the host. */
#define NO_FILE "/nonexistent/rstmon-unit/rstmond.conf"

static struct config c;
static char err[512];

static void fresh(void)
{
	config_defaults(&c);
	c.io = &unit_config_io;
	snprintf(c.config_file, sizeof(c.config_file), "%s", NO_FILE);
	memset(err, 0, sizeof(err));
}

static int parse(const char *text)
{
	return config_parse_text(&c, text, "test.conf", err, sizeof(err));
}

/* Writable copies: getopt permutes argv. */
static char store[24][256];
static char *argv_[25];

static int run_args(const char *const *list)
{
	int i;

	for (i = 0; list[i] != NULL; i++) {
		ck_assert_int_lt(i, 24);
		snprintf(store[i], sizeof(store[i]), "%s", list[i]);
		argv_[i] = store[i];
	}
	argv_[i] = NULL;
	return config_from_args(&c, i, argv_, err, sizeof(err));
}

#define RUN(...) run_args((const char *const[]){ "rstmond", __VA_ARGS__, NULL })

/* One config file, in unit_config_io's memory. */
static char path[] = "/fake/rstmon-unit/rstmond.conf";

START_TEST(t_defaults)
{
	fresh();
	ck_assert(!c.ratelimit);
	ck_assert_str_eq(c.ratelimit_on, "port_scan,syn_flood");
	ck_assert_uint_eq(c.ratelimit_timeout, 600);
	ck_assert_str_eq(c.ratelimit_mode, "rst");
	ck_assert_str_eq(c.allow, "");
	ck_assert_str_eq(c.hook, "");
	ck_assert_uint_eq(c.hook_timeout, 10);
	ck_assert_uint_eq(c.hook_max, 4);
	ck_assert_uint_eq(c.hook_cooldown, 60);
	ck_assert(!c.dry_run);
}
END_TEST

START_TEST(t_file_all)
{
	fresh();
	ck_assert_int_eq(parse("ratelimit = yes\n"
			       "ratelimit-on = port_scan, service_down\n"
			       "ratelimit-timeout = 60\n"
			       "ratelimit-mode = drop\n"
			       "hook = /bin/true --from rstmond 'a b'\n"
			       "hook-timeout = 5\n"
			       "hook-max = 1\n"
			       "hook-cooldown = 0\n"
			       "dry-run = true\n"),
			 0);
	ck_assert_str_eq(err, "");
	ck_assert(c.ratelimit);
	ck_assert_str_eq(c.ratelimit_on, "port_scan, service_down");
	ck_assert_uint_eq(c.ratelimit_timeout, 60);
	ck_assert_str_eq(c.ratelimit_mode, "drop");
	ck_assert_str_eq(c.hook, "/bin/true --from rstmond 'a b'");
	ck_assert_uint_eq(c.hook_timeout, 5);
	ck_assert_uint_eq(c.hook_max, 1);
	ck_assert_uint_eq(c.hook_cooldown, 0);
	ck_assert(c.dry_run);
	ck_assert_int_eq(parse("ratelimit = no\ndry-run = false\n"
			       "ratelimit-mode = rst\nhook =\n"),
			 0);
	ck_assert(!c.ratelimit);
	ck_assert(!c.dry_run);
	ck_assert_str_eq(c.ratelimit_mode, "rst");
	ck_assert_str_eq(c.hook, "");
	ck_assert_int_eq(parse("ratelimit = maybe\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: ratelimit wants yes or no, not "
			      "'maybe'");
}
END_TEST

START_TEST(t_args_all)
{
	fresh();
	ck_assert_int_eq(RUN("--ratelimit", "--dry-run", "--ratelimit-on",
			     "abort_storm", "--ratelimit-timeout", "3600",
			     "--ratelimit-mode", "drop", "--hook",
			     "/bin/true x", "--hook-timeout", "3600",
			     "--hook-max", "64", "--hook-cooldown", "86400"),
			 0);
	ck_assert_str_eq(err, "");
	ck_assert(c.ratelimit);
	ck_assert(c.dry_run);
	ck_assert_str_eq(c.ratelimit_on, "abort_storm");
	ck_assert_uint_eq(c.ratelimit_timeout, 3600);
	ck_assert_str_eq(c.ratelimit_mode, "drop");
	ck_assert_str_eq(c.hook, "/bin/true x");
	ck_assert_uint_eq(c.hook_timeout, 3600);
	ck_assert_uint_eq(c.hook_max, 64);
	ck_assert_uint_eq(c.hook_cooldown, 86400);
}
END_TEST

START_TEST(t_ranges)
{
	fresh();
	ck_assert_int_eq(parse("hook-max = 0\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: hook-max 0 is out of range "
			      "(1 to 64)");
	ck_assert_int_eq(parse("hook-max = 65\n"), -1);
	ck_assert_int_eq(parse("hook-timeout = 0\n"), -1);
	ck_assert_int_eq(parse("hook-cooldown = 86401\n"), -1);
	ck_assert_int_eq(parse("ratelimit-timeout = 0\n"), -1);
	ck_assert_int_eq(parse("ratelimit-timeout = 604801\n"), -1);
	ck_assert_int_eq(parse("ratelimit-timeout = 604800\n"), 0);
	ck_assert_uint_eq(c.ratelimit_timeout, 604800);
	ck_assert_uint_eq(c.hook_max, 4);
}
END_TEST

/* allow is a list: every line and every word appends. */
START_TEST(t_allow_file)
{
	fresh();
	ck_assert_int_eq(parse("allow = 10.0.0.0/8 192.0.2.7, 2001:db8::/32\n"
			       "# allow = 1.1.1.1\n"
			       "allow = ::1\n"
			       "allow=  ,198.51.100.0/24,,\t203.0.113.9  \n"
			       "allow =\n"),
			 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(c.allow, "10.0.0.0/8 192.0.2.7 2001:db8::/32 ::1 "
				  "198.51.100.0/24 203.0.113.9");
	/* A second text (a second file) appends too. */
	ck_assert_int_eq(parse("allow = 0.0.0.0/0\n"), 0);
	ck_assert_str_eq(c.allow, "10.0.0.0/8 192.0.2.7 2001:db8::/32 ::1 "
				  "198.51.100.0/24 203.0.113.9 0.0.0.0/0");
}
END_TEST

START_TEST(t_allow_file_bad)
{
	fresh();
	ck_assert_int_eq(parse("allow = 10.0.0.0/8\n"
			       "\n"
			       "allow = 192.0.2.0/24, 10.0.0.0/33\n"),
			 -1);
	ck_assert_str_eq(err, "test.conf:3: allow: '10.0.0.0/33' is not an "
			      "address or CIDR");
	fresh();
	ck_assert_int_eq(parse("allow = example.com\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: allow: 'example.com' is not an "
			      "address or CIDR");
	fresh();
	ck_assert_int_eq(parse("allow = 10.0.0.0/8;192.0.2.0/24\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: allow: '10.0.0.0/8;192.0.2.0/24' "
			      "is not an address or CIDR");
}
END_TEST

/* The list is bounded by its buffer, and says so. */
START_TEST(t_allow_too_many)
{
	char line[1024];
	size_t n = 0;
	int i, ret = 0, lines = 0;

	fresh();
	n = (size_t)snprintf(line, sizeof(line), "allow =");
	for (i = 0; i < 50; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      " 255.255.255.255/32");
	snprintf(line + n, sizeof(line) - n, "\n");
	while (ret == 0 && lines < 10) {
		ret = parse(line);
		lines++;
	}
	ck_assert_int_eq(ret, -1);
	ck_assert_int_eq(lines, 5);
	ck_assert_str_eq(err, "test.conf:1: allow: too many entries (at most "
			      "4095 bytes)");
	ck_assert_uint_lt(strlen(c.allow), sizeof(c.allow));
}
END_TEST

START_TEST(t_allow_args)
{
	fresh();
	ck_assert_int_eq(RUN("--allow", "10.0.0.0/8", "--allow",
			     "192.0.2.7,::1", "--allow=2001:db8::/32"),
			 0);
	ck_assert_str_eq(c.allow, "10.0.0.0/8 192.0.2.7 ::1 2001:db8::/32");
	fresh();
	ck_assert_int_eq(RUN("--allow", "10.0.0.0/33"), -1);
	ck_assert_str_eq(err, "--allow: '10.0.0.0/33' is not an address or "
			      "CIDR");
	fresh();
	ck_assert_int_eq(RUN("--allow", "192.0.2.7", "--allow", "::/129"), -1);
	ck_assert_str_eq(err, "--allow: '::/129' is not an address or CIDR");

	/* The file's list, then the command line's. */
	unit_config_file(path, "allow = 10.0.0.0/8\nallow = 192.0.2.0/24\n");
	fresh();
	ck_assert_int_eq(RUN("--allow", "::1", "-c", path), 0);
	ck_assert_str_eq(c.allow, "10.0.0.0/8 192.0.2.0/24 ::1");
	unit_config_file(NULL, NULL);
}
END_TEST

START_TEST(t_ratelimit_on)
{
	fresh();
	ck_assert_int_eq(parse("ratelimit-on = port_scan,syn_flood,"
			       "service_down,listen_overflow,abort_storm,"
			       "reset_rate\n"),
			 0);
	ck_assert_int_eq(parse("ratelimit-on = syn_flood,nope\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: ratelimit-on: 'nope' is not an "
			      "alert type");
	ck_assert_int_eq(parse("ratelimit-on = Port_Scan\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: ratelimit-on: 'Port_Scan' is not "
			      "an alert type");
	fresh();
	ck_assert_int_eq(RUN("--ratelimit-on", "port_scan,bogus"), -1);
	ck_assert_str_eq(err, "--ratelimit-on: 'bogus' is not an alert type");
	ck_assert_str_eq(c.ratelimit_on, "port_scan,syn_flood");
	fresh();
	ck_assert_int_eq(RUN("--ratelimit-on", "port_scanx"), -1);
	ck_assert_str_eq(err, "--ratelimit-on: 'port_scanx' is not an alert "
			      "type");
}
END_TEST

START_TEST(t_ratelimit_mode)
{
	fresh();
	ck_assert_int_eq(parse("ratelimit-mode = reject\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: ratelimit-mode must be one of "
			      "rst|drop, not 'reject'");
	ck_assert_int_eq(parse("ratelimit-mode =\n"), -1);
	ck_assert_int_eq(parse("ratelimit-mode = rs\n"), -1);
	ck_assert_int_eq(parse("ratelimit-mode = rst|drop\n"), -1);
	ck_assert_str_eq(c.ratelimit_mode, "rst");
	fresh();
	ck_assert_int_eq(RUN("--ratelimit-mode", "DROP"), -1);
	ck_assert_str_eq(err, "--ratelimit-mode: ratelimit-mode must be one "
			      "of rst|drop, not 'DROP'");
}
END_TEST

START_TEST(t_hook)
{
	fresh();
	ck_assert_int_eq(parse("hook = /bin/true\n"), 0);
	ck_assert_str_eq(c.hook, "/bin/true");
	ck_assert_int_eq(parse("hook = bin/true\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: hook: 'bin/true' is not an "
			      "absolute path");
	ck_assert_int_eq(parse("hook = true\n"), -1);
	ck_assert_int_eq(parse("hook = /nonexistent/rstmon-unit/hook x\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: hook: /nonexistent/rstmon-unit/"
			      "hook: No such file or directory");
	ck_assert_int_eq(parse("hook = /bin/true 'a\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: hook: unterminated ' quote");
	ck_assert_str_eq(c.hook, "/bin/true");
	fresh();
	ck_assert_int_eq(RUN("--hook", "hook.sh"), -1);
	ck_assert_str_eq(err, "--hook: 'hook.sh' is not an absolute path");

	/* There but not executable: check_configfile (the daemon's io). */
}
END_TEST

Suite *config_actions_suite(void)
{
	Suite *s = suite_create("config_actions");
	TCase *tc = tcase_create("actions");

	tcase_add_test(tc, t_defaults);
	tcase_add_test(tc, t_file_all);
	tcase_add_test(tc, t_args_all);
	tcase_add_test(tc, t_ranges);
	tcase_add_test(tc, t_allow_file);
	tcase_add_test(tc, t_allow_file_bad);
	tcase_add_test(tc, t_allow_too_many);
	tcase_add_test(tc, t_allow_args);
	tcase_add_test(tc, t_ratelimit_on);
	tcase_add_test(tc, t_ratelimit_mode);
	tcase_add_test(tc, t_hook);
	suite_add_tcase(s, tc);
	return s;
}
