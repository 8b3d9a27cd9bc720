/* check_config: config file text and command line parsing. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
struct args {
	char store[32][256];
	char *argv[33];
	int argc;
};

static struct args args, other_args;

static int run_args_in(struct args *a, const char *const *list)
{
	int i;

	for (i = 0; list[i] != NULL; i++) {
		ck_assert_int_lt(i, 32);
		snprintf(a->store[i], sizeof(a->store[i]), "%s", list[i]);
		a->argv[i] = a->store[i];
	}
	a->argv[i] = NULL;
	a->argc = i;
	return config_from_args(&c, a->argc, a->argv, err, sizeof(err));
}

static int run_args(const char *const *list)
{
	return run_args_in(&args, list);
}

#define RUN(...) run_args((const char *const[]){ "rstmond", __VA_ARGS__, NULL })
#define RUN0() run_args((const char *const[]){ "rstmond", NULL })

/* One config file, in unit_config_io's memory. */
static char dir[] = "/fake/rstmon-unit",
	    path[] = "/fake/rstmon-unit/rstmond.conf";

static void write_conf(const char *text)
{
	unit_config_file(path, text);
}

static void remove_conf(void)
{
	unit_config_file(NULL, NULL);
}

/* Run with stdout sent to /dev/null (for -h and -V). */
static int run_quiet_in(struct args *a, const char *const *list)
{
	int saved, null, ret;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(null, 0);
	dup2(null, STDOUT_FILENO);
	close(null);
	ret = run_args_in(a, list);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return ret;
}

static int run_quiet(const char *const *list)
{
	return run_quiet_in(&args, list);
}

START_TEST(t_defaults)
{
	config_defaults(&c);
	ck_assert_str_eq(c.config_file, RSTMON_DEFAULT_CONFIG);
	ck_assert_str_eq(c.socket_path, RSTMON_DEFAULT_SOCKET);
	ck_assert_uint_eq(c.group, 5);
	ck_assert_uint_eq(c.rcvbuf, 8u << 20);
	ck_assert_uint_eq(c.qthreshold, 1000);
	ck_assert_uint_eq(c.flush_ms, 10);
	ck_assert_uint_eq(c.budget, 256);
	ck_assert_uint_eq(c.reconcile_ms, 1000);
	ck_assert_int_eq(c.verbose, 0);
	ck_assert_str_eq(c.events_path, "");
}
END_TEST

START_TEST(t_text_basic)
{
	fresh();
	ck_assert_int_eq(parse("# rstmond.conf\n"
			       "\n"
			       "   \t\n"
			       "  group = 9  \n"
			       "\tsocket=/tmp/s\r\n"
			       "  # indented comment\n"
			       "rcvbuf = 8M\n"
			       "events = /var/log/a=b.json\n"
			       "user = nobody\n"
			       "netns = blue\n"
			       "qthreshold = 1000\n"
			       "flush-timeout = 100\n"
			       "budget = 1\n"
			       "reconcile-interval = 200\n"
			       "verbose = 2"),
			 0);
	ck_assert_uint_eq(c.group, 9);
	ck_assert_str_eq(c.socket_path, "/tmp/s");
	ck_assert_uint_eq(c.rcvbuf, 8u << 20);
	ck_assert_str_eq(c.events_path, "/var/log/a=b.json");
	ck_assert_str_eq(c.user, "nobody");
	ck_assert_str_eq(c.netns, "blue");
	ck_assert_uint_eq(c.qthreshold, 1000);
	ck_assert_uint_eq(c.flush_ms, 100);
	ck_assert_uint_eq(c.budget, 1);
	ck_assert_uint_eq(c.reconcile_ms, 200);
	ck_assert_int_eq(c.verbose, 2);
	ck_assert_str_eq(err, "");
	/* Empty text is a valid, empty file. */
	ck_assert_int_eq(parse(""), 0);
	ck_assert_int_eq(parse("\n\n# only comments\n"), 0);
}
END_TEST

START_TEST(t_text_unknown_key)
{
	fresh();
	ck_assert_int_eq(parse("# first\n\nbogus = 1\n"), -1);
	ck_assert_str_eq(err, "test.conf:3: unknown key 'bogus'");
	ck_assert_ptr_nonnull(strstr(err, "test.conf:3: unknown key"));
	/* Command-line-only options are not file keys. */
	ck_assert_int_eq(parse("foreground = yes\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: unknown key 'foreground'");
	ck_assert_int_eq(parse("group = 1\nconfig = /x\n"), -1);
	ck_assert_str_eq(err, "test.conf:2: unknown key 'config'");
	ck_assert_int_eq(parse("Group = 1\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: unknown key 'Group'");
	ck_assert_int_eq(parse(" = 1\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: unknown key ''");
}
END_TEST

START_TEST(t_text_range)
{
	fresh();
	ck_assert_int_eq(parse("group = 70000\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: group 70000 is out of range "
			      "(0 to 65535)");
	ck_assert_uint_eq(c.group, 5);
	ck_assert_int_eq(parse("group = 65535\n"), 0);
	ck_assert_uint_eq(c.group, 65535);
	ck_assert_int_eq(parse("group = 0\n"), 0);
	ck_assert_uint_eq(c.group, 0);
	ck_assert_int_eq(parse("flush-timeout = 9\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: flush-timeout 9 is out of range "
			      "(10 to 100)");
	ck_assert_int_eq(parse("\nflush-timeout = 101\n"), -1);
	ck_assert_str_eq(err, "test.conf:2: flush-timeout 101 is out of "
			      "range (10 to 100)");
	ck_assert_int_eq(parse("reconcile-interval = 199\n"), -1);
	ck_assert_int_eq(parse("qthreshold = 0\n"), -1);
	ck_assert_int_eq(parse("budget = 100001\n"), -1);
	ck_assert_int_eq(parse("group = abc\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: group: invalid value 'abc'");
	ck_assert_int_eq(parse("group = -1\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: group: invalid value '-1'");
	ck_assert_int_eq(parse("group = +1\n"), -1);
	ck_assert_int_eq(parse("group = 5x\n"), -1);
	ck_assert_int_eq(parse("group =\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: group: invalid value ''");
	ck_assert_int_eq(parse("group = 99999999999999999999\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: group: invalid value "
			      "'99999999999999999999'");
	ck_assert_uint_eq(c.group, 0);
}
END_TEST

START_TEST(t_text_sizes)
{
	fresh();
	ck_assert_int_eq(parse("rcvbuf = 8M\n"), 0);
	ck_assert_uint_eq(c.rcvbuf, 8388608);
	ck_assert_int_eq(parse("rcvbuf = 64k\n"), 0);
	ck_assert_uint_eq(c.rcvbuf, 65536);
	ck_assert_int_eq(parse("rcvbuf = 64K\n"), 0);
	ck_assert_uint_eq(c.rcvbuf, 65536);
	ck_assert_int_eq(parse("rcvbuf = 1G\n"), 0);
	ck_assert_uint_eq(c.rcvbuf, 1073741824);
	ck_assert_int_eq(parse("rcvbuf = 200000\n"), 0);
	ck_assert_uint_eq(c.rcvbuf, 200000);
	ck_assert_int_eq(parse("rcvbuf = 2G\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: rcvbuf 2G is out of range "
			      "(65536 to 1073741824)");
	ck_assert_int_eq(parse("rcvbuf = 64\n"), -1);
	ck_assert_int_eq(parse("rcvbuf = 8X\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: rcvbuf: invalid value '8X'");
	ck_assert_int_eq(parse("rcvbuf = 8MB\n"), -1);
	ck_assert_int_eq(parse("rcvbuf = M\n"), -1);
	ck_assert_int_eq(parse("rcvbuf = 17179869184G\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: rcvbuf: invalid value "
			      "'17179869184G'");
	/* Suffixes are for sizes only. */
	ck_assert_int_eq(parse("budget = 1k\n"), -1);
	ck_assert_uint_eq(c.rcvbuf, 200000);
}
END_TEST

START_TEST(t_text_verbose)
{
	fresh();
	ck_assert_int_eq(parse("verbose = 3\n"), 0);
	ck_assert_int_eq(c.verbose, 3);
	ck_assert_int_eq(parse("verbose = 0\n"), 0);
	ck_assert_int_eq(c.verbose, 0);
	ck_assert_int_eq(parse("verbose = 9\n"), 0);
	ck_assert_int_eq(c.verbose, 9);
	ck_assert_int_eq(parse("verbose = 10\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: verbose: invalid value '10'");
	ck_assert_int_eq(parse("verbose = yes\n"), -1);
	ck_assert_int_eq(c.verbose, 9);
}
END_TEST

START_TEST(t_text_no_equals)
{
	fresh();
	ck_assert_int_eq(parse("group 5\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: expected 'key = value'");
	ck_assert_int_eq(parse("# c\n\ngroup = 5\nverbose\n"), -1);
	ck_assert_str_eq(err, "test.conf:4: expected 'key = value'");
	ck_assert_uint_eq(c.group, 5);
}
END_TEST

START_TEST(t_text_strings)
{
	char text[256], user[80];

	fresh();
	memset(user, 'u', sizeof(user) - 1);
	user[sizeof(user) - 1] = '\0';
	/* 63 characters fit in user[64], 64 do not. */
	snprintf(text, sizeof(text), "user = %.63s\n", user);
	ck_assert_int_eq(parse(text), 0);
	ck_assert_uint_eq(strlen(c.user), 63);
	snprintf(text, sizeof(text), "user = %.64s\n", user);
	ck_assert_int_eq(parse(text), -1);
	ck_assert_str_eq(err, "test.conf:1: user is too long (max 63)");
	ck_assert_uint_eq(strlen(c.user), 63);
	ck_assert_int_eq(parse("socket = /run/a b \t\n"), 0);
	ck_assert_str_eq(c.socket_path, "/run/a b");
	ck_assert_int_eq(parse("events =\n"), 0);
	ck_assert_str_eq(c.events_path, "");
}
END_TEST

START_TEST(t_text_long_line)
{
	char *text = malloc(6000);

	fresh();
	ck_assert_ptr_nonnull(text);
	memcpy(text, "group = 1\n# ", 12);
	memset(text + 12, 'x', 5000);
	strcpy(text + 5012, "\n");
	ck_assert_int_eq(parse(text), -1);
	ck_assert_str_eq(err, "test.conf:2: line too long");
	free(text);
}
END_TEST

START_TEST(t_args_basic)
{
	fresh();
	ck_assert_int_eq(RUN("-g", "7", "--rules", "x", "-v", "-v"), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(c.group, 7);
	ck_assert_str_eq(c.rules_path, "x");
	ck_assert_int_eq(c.verbose, 2);
	ck_assert(!c.foreground);
	ck_assert(!c.config_explicit);

	fresh();
	ck_assert_int_eq(RUN("-fnvv", "-s", "/tmp/ctl", "-e", "-",
			     "--qthreshold=100", "--netns", "blue", "-u",
			     "nobody", "--rcvbuf", "16M", "--flush-timeout",
			     "20", "--budget", "1000", "--reconcile-interval",
			     "5000", "-g100"),
			 0);
	ck_assert(c.foreground);
	ck_assert(c.check_only);
	ck_assert_int_eq(c.verbose, 2);
	ck_assert_str_eq(c.socket_path, "/tmp/ctl");
	ck_assert_str_eq(c.events_path, "-");
	ck_assert_uint_eq(c.qthreshold, 100);
	ck_assert_str_eq(c.netns, "blue");
	ck_assert_str_eq(c.user, "nobody");
	ck_assert_uint_eq(c.rcvbuf, 16u << 20);
	ck_assert_uint_eq(c.flush_ms, 20);
	ck_assert_uint_eq(c.budget, 1000);
	ck_assert_uint_eq(c.reconcile_ms, 5000);
	ck_assert_uint_eq(c.group, 100);

	fresh();
	ck_assert_int_eq(RUN0(), 0);
	ck_assert_uint_eq(c.group, 5);
	ck_assert_int_eq(c.verbose, 0);
}
END_TEST

START_TEST(t_args_unknown)
{
	fresh();
	ck_assert_int_eq(RUN("-z"), -1);
	ck_assert_str_eq(err, "option -z: unknown (see --help)");
	fresh();
	ck_assert_int_eq(RUN("-v", "--bogus"), -1);
	ck_assert_str_eq(err, "option --bogus: unknown or missing its value "
			      "(see --help)");
}
END_TEST

START_TEST(t_args_missing_value)
{
	fresh();
	ck_assert_int_eq(RUN("-g"), -1);
	ck_assert_str_eq(err, "option -g: needs a value (see --help)");
	fresh();
	ck_assert_int_eq(RUN("--rules"), -1);
	ck_assert_str_eq(err, "option --rules: unknown or missing its value "
			      "(see --help)");
}
END_TEST

START_TEST(t_args_bad_value)
{
	fresh();
	ck_assert_int_eq(RUN("-g", "70000"), -1);
	ck_assert_str_eq(err, "-g: group 70000 is out of range (0 to 65535)");
	fresh();
	ck_assert_int_eq(RUN("--rcvbuf", "1K"), -1);
	ck_assert_str_eq(err, "--rcvbuf: rcvbuf 1K is out of range "
			      "(65536 to 1073741824)");
	fresh();
	ck_assert_int_eq(RUN("-g", "abc"), -1);
	ck_assert_str_eq(err, "-g: group: invalid value 'abc'");
}
END_TEST

START_TEST(t_args_stray)
{
	fresh();
	ck_assert_int_eq(RUN("-f", "stray"), -1);
	ck_assert_str_eq(err, "unexpected argument 'stray' (see --help)");
	fresh();
	ck_assert_int_eq(RUN("stray", "-g", "7"), -1);
	ck_assert_str_eq(err, "unexpected argument 'stray' (see --help)");
	fresh();
	ck_assert_int_eq(RUN("--", "-g"), -1);
	ck_assert_str_eq(err, "unexpected argument '-g' (see --help)");
}
END_TEST

START_TEST(t_args_file)
{
	write_conf("# written by check_config\n"
		   "group = 9\n"
		   "verbose = 1\n"
		   "rules = /from/file\n"
		   "socket = /tmp/file.sock\n");
	fresh();
	/* The command line wins, wherever -c stands. */
	ck_assert_int_eq(RUN("-g", "7", "-c", path, "-v"), 0);
	ck_assert_str_eq(err, "");
	ck_assert(c.config_explicit);
	ck_assert_str_eq(c.config_file, path);
	ck_assert_uint_eq(c.group, 7);
	ck_assert_int_eq(c.verbose, 2);
	ck_assert_str_eq(c.rules_path, "/from/file");
	ck_assert_str_eq(c.socket_path, "/tmp/file.sock");

	fresh();
	ck_assert_int_eq(run_args((const char *const[]){ "rstmond", "--rules",
							 "/cli", NULL }),
			 0);
	/* No -c: the file named in c (missing here) is skipped. */
	ck_assert_uint_eq(c.group, 5);
	ck_assert_str_eq(c.rules_path, "/cli");

	fresh();
	snprintf(c.config_file, sizeof(c.config_file), "%s", path);
	ck_assert_int_eq(RUN("--rules", "/cli"), 0);
	ck_assert(!c.config_explicit);
	ck_assert_uint_eq(c.group, 9);
	ck_assert_str_eq(c.rules_path, "/cli");
	remove_conf();
}
END_TEST

START_TEST(t_args_file_errors)
{
	char missing[192], want[256];

	write_conf("group = 1\nbogus = 2\n");
	fresh();
	ck_assert_int_eq(RUN("--config", path), -1);
	snprintf(want, sizeof(want), "%s:2: unknown key 'bogus'", path);
	ck_assert_str_eq(err, want);

	/* -c makes a missing file an error. */
	snprintf(missing, sizeof(missing), "%s/missing.conf", dir);
	fresh();
	ck_assert_int_eq(RUN("-c", missing), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", missing);
	ck_assert_str_eq(err, want);
	remove_conf();
}
END_TEST

START_TEST(t_args_help_version)
{
	fresh();
	ck_assert_int_eq(
		run_quiet((const char *const[]){ "rstmond", "-V", NULL }), 1);
	fresh();
	ck_assert_int_eq(run_quiet((const char *const[]){ "rstmond", "-g", "7",
							  "--help", NULL }),
			 1);
}
END_TEST

/*
 * Each call starts afresh, whatever the previous one left in getopt's
 * state: here an early return in the middle of "-hV".
 */
START_TEST(t_args_twice)
{
	char cluster[192];

	fresh();
	ck_assert_int_eq(
		run_quiet_in(&other_args,
			     (const char *const[]){ "rstmond", "-hV", NULL }),
		1);
	fresh();
	ck_assert_int_eq(
		run_quiet((const char *const[]){ "rstmond", "-g", "7", NULL }),
		0);
	ck_assert_uint_eq(c.group, 7);
	fresh();
	/* Stopped at 'z', with "c<path>" still unread. */
	write_conf("group = 9\n");
	snprintf(cluster, sizeof(cluster), "-vzc%s", path);
	fresh();
	ck_assert_int_eq(
		run_args_in(&other_args,
			    (const char *const[]){ "rstmond", cluster, NULL }),
		-1);
	ck_assert_str_eq(err, "option -z: unknown (see --help)");
	ck_assert_uint_eq(c.group, 9);
	fresh();
	ck_assert_int_eq(RUN("-v"), 0);
	ck_assert_int_eq(c.verbose, 1);
	ck_assert(!c.config_explicit);
	ck_assert_uint_eq(c.group, 5);
	remove_conf();
}
END_TEST

/* Every key of the file, each set away from its default, in one file. */
START_TEST(t_text_every_key)
{
	fresh();
	ck_assert_int_eq(parse("group = 7\n"
			       "socket = /tmp/s\n"
			       "events = /tmp/e\n"
			       "rules = /tmp/r.nft\n"
			       "netns = blue\n"
			       "user = nobody\n"
			       "rcvbuf = 1M\n"
			       "qthreshold = 2\n"
			       "flush-timeout = 20\n"
			       "budget = 3\n"
			       "reconcile-interval = 300\n"
			       "kernel-trace = off\n"
			       "trace-max-rate = 100\n"
			       "inventory-interval = 400\n"
			       "metrics-listen = 9467\n"
			       "metrics-file = /tmp/m.prom\n"
			       "metrics-interval = 5\n"
			       "scan-ports = 11\n"
			       "scan-window = 12\n"
			       "flood-rate = 13\n"
			       "flood-sources = 14\n"
			       "down-window = 15\n"
			       "down-grace = 16\n"
			       "storm-rate = 17\n"
			       "rate-floor = 18\n"
			       "rate-factor = 19\n"
			       "rate-warmup = 20\n"
			       "alert-quiet = 21\n"
			       "alert-summary = 22\n"
			       "max-alerts = 23\n"
			       "alert-log-rate = 24\n"
			       "ratelimit = yes\n"
			       "ratelimit-on = port_scan\n"
			       "ratelimit-timeout = 25\n"
			       "ratelimit-mode = drop\n"
			       "allow = 192.0.2.0/24\n"
			       "hook = /bin/true arg\n"
			       "hook-timeout = 26\n"
			       "hook-max = 27\n"
			       "hook-cooldown = 28\n"
			       "hook-as-root = yes\n"
			       "dry-run = true\n"
			       "verbose = 1\n"),
			 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(c.group, 7);
	ck_assert_str_eq(c.socket_path, "/tmp/s");
	ck_assert_str_eq(c.events_path, "/tmp/e");
	ck_assert_str_eq(c.rules_path, "/tmp/r.nft");
	ck_assert_str_eq(c.netns, "blue");
	ck_assert_str_eq(c.user, "nobody");
	ck_assert_uint_eq(c.rcvbuf, 1u << 20);
	ck_assert_uint_eq(c.qthreshold, 2);
	ck_assert_uint_eq(c.flush_ms, 20);
	ck_assert_uint_eq(c.budget, 3);
	ck_assert_uint_eq(c.reconcile_ms, 300);
	ck_assert_str_eq(c.kernel_trace, "off");
	ck_assert_uint_eq(c.trace_max_rate, 100);
	ck_assert_uint_eq(c.inventory_ms, 400);
	ck_assert_str_eq(c.metrics_listen, "9467");
	ck_assert_str_eq(c.metrics_file, "/tmp/m.prom");
	ck_assert_uint_eq(c.metrics_interval, 5);
	ck_assert_uint_eq(c.scan_ports, 11);
	ck_assert_uint_eq(c.scan_window, 12);
	ck_assert_uint_eq(c.flood_rate, 13);
	ck_assert_uint_eq(c.flood_sources, 14);
	ck_assert_uint_eq(c.down_window, 15);
	ck_assert_uint_eq(c.down_grace, 16);
	ck_assert_uint_eq(c.storm_rate, 17);
	ck_assert_uint_eq(c.rate_floor, 18);
	ck_assert_uint_eq(c.rate_factor, 19);
	ck_assert_uint_eq(c.rate_warmup, 20);
	ck_assert_uint_eq(c.alert_quiet, 21);
	ck_assert_uint_eq(c.alert_summary, 22);
	ck_assert_uint_eq(c.max_alerts, 23);
	ck_assert_uint_eq(c.alert_log_rate, 24);
	ck_assert(c.ratelimit);
	ck_assert_str_eq(c.ratelimit_on, "port_scan");
	ck_assert_uint_eq(c.ratelimit_timeout, 25);
	ck_assert_str_eq(c.ratelimit_mode, "drop");
	ck_assert_str_eq(c.allow, "192.0.2.0/24");
	ck_assert_str_eq(c.hook, "/bin/true arg");
	ck_assert_uint_eq(c.hook_timeout, 26);
	ck_assert_uint_eq(c.hook_max, 27);
	ck_assert_uint_eq(c.hook_cooldown, 28);
	ck_assert(c.hook_as_root);
	ck_assert(c.dry_run);
	ck_assert_int_eq(c.verbose, 1);
	/* Command-line-only options are not keys. */
	fresh();
	ck_assert_int_eq(parse("config = /tmp/x\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: unknown key 'config'");
	fresh();
	ck_assert_int_eq(parse("check = yes\n"), -1);
	ck_assert_str_eq(err, "test.conf:1: unknown key 'check'");
}
END_TEST

/* A key given twice is a mistake (which value was meant?); a list key
 * (allow) is the exception: each line extends it. */
START_TEST(t_text_duplicates)
{
	fresh();
	ck_assert_int_eq(parse("group = 5\n# x\nsocket = /a\ngroup = 6\n"), -1);
	ck_assert_str_eq(err, "test.conf:4: group is already set at line 1");
	fresh();
	ck_assert_int_eq(parse("ratelimit = no\nratelimit = yes\n"), -1);
	ck_assert_str_eq(err, "test.conf:2: ratelimit is already set at "
			      "line 1");
	fresh();
	ck_assert_int_eq(parse("allow = 10.0.0.0/8\nallow = ::1\n"), 0);
	ck_assert_str_eq(c.allow, "10.0.0.0/8 ::1");
	/* Each parse is its own file: no memory of the previous one. */
	fresh();
	ck_assert_int_eq(parse("group = 5\n"), 0);
	ck_assert_int_eq(parse("group = 6\n"), 0);
	ck_assert_uint_eq(c.group, 6);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tf = tcase_create("file");
	TCase *ta = tcase_create("args");

	tcase_add_test(tf, t_defaults);
	tcase_add_test(tf, t_text_basic);
	tcase_add_test(tf, t_text_unknown_key);
	tcase_add_test(tf, t_text_range);
	tcase_add_test(tf, t_text_sizes);
	tcase_add_test(tf, t_text_verbose);
	tcase_add_test(tf, t_text_no_equals);
	tcase_add_test(tf, t_text_strings);
	tcase_add_test(tf, t_text_long_line);
	tcase_add_test(tf, t_text_every_key);
	tcase_add_test(tf, t_text_duplicates);
	suite_add_tcase(s, tf);
	tcase_add_test(ta, t_args_basic);
	tcase_add_test(ta, t_args_unknown);
	tcase_add_test(ta, t_args_missing_value);
	tcase_add_test(ta, t_args_bad_value);
	tcase_add_test(ta, t_args_stray);
	tcase_add_test(ta, t_args_file);
	tcase_add_test(ta, t_args_file_errors);
	tcase_add_test(ta, t_args_help_version);
	tcase_add_test(ta, t_args_twice);
	suite_add_tcase(s, ta);
	return s;
}
