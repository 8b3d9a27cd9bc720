/* check_hookargs: splitting the hook command without a shell, and the
 * environment a hook gets for each alert type. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "hookargs.h"
#include "unit.h"

#define PATH_VAR                                                  \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:" \
	"/sbin:/bin"

static struct hook_argv h;
static char err[256];

/* cmd splits into exactly the words of want (NULL-terminated). */
static void argv_ok(const char *cmd, const char *const *want)
{
	int i;

	memset(&h, 0x5a, sizeof(h));
	err[0] = '\0';
	ck_assert_msg(hook_argv_parse(&h, cmd, err, sizeof(err)) == 0,
		      "'%s' refused: %s", cmd, err);
	for (i = 0; want[i] != NULL; i++) {
		ck_assert_int_lt(i, h.argc);
		ck_assert_str_eq(h.argv[i], want[i]);
	}
	ck_assert_int_eq(h.argc, i);
	ck_assert_ptr_null(h.argv[h.argc]);
}

static void argv_bad(const char *cmd, const char *why)
{
	ck_assert_msg(hook_argv_parse(&h, cmd, err, sizeof(err)) == -1,
		      "'%.60s' accepted", cmd);
	ck_assert_str_eq(err, why);
}

#define ARGV(cmd, ...) argv_ok(cmd, (const char *const[]){ __VA_ARGS__, NULL })

START_TEST(t_argv_words)
{
	ARGV("/bin/true", "/bin/true");
	ARGV("/usr/local/bin/notify --to ops alert", "/usr/local/bin/notify",
	     "--to", "ops", "alert");
	ARGV("  \t/bin/echo \t  a\t\tb   c \t ", "/bin/echo", "a", "b", "c");
	/* No expansion of any kind. */
	ARGV("/bin/echo $HOME ~ *.c `id` ; | >x", "/bin/echo", "$HOME", "~",
	     "*.c", "`id`", ";", "|", ">x");
}
END_TEST

START_TEST(t_argv_quotes)
{
	ARGV("/bin/echo \"a b\" 'c  d'", "/bin/echo", "a b", "c  d");
	ARGV("/bin/echo \"\" ''", "/bin/echo", "", "");
	ARGV("/bin/echo a\"b\"'c'", "/bin/echo", "abc");
	ARGV("/bin/echo \"a\"' b '\"c d\"e", "/bin/echo", "a b c de");
	ARGV("/bin/echo \"it's\" 'say \"hi\"'", "/bin/echo", "it's",
	     "say \"hi\"");
	ARGV("\"/opt/my hooks/run\" x", "/opt/my hooks/run", "x");
	ARGV("/bin/echo \"a\tb\"", "/bin/echo", "a\tb");
}
END_TEST

START_TEST(t_argv_backslash)
{
	ARGV("/bin/echo a\\ b", "/bin/echo", "a b");
	ARGV("/bin/echo a\\\tb", "/bin/echo", "a\tb");
	ARGV("/bin/echo \\\\", "/bin/echo", "\\");
	ARGV("/bin/echo \\\"x\\'", "/bin/echo", "\"x'");
	ARGV("/bin/echo \"a \\\" b\"", "/bin/echo", "a \" b");
	ARGV("/bin/echo \"a\\\\b\"", "/bin/echo", "a\\b");
	/* Single quotes keep a backslash as it is. */
	ARGV("/bin/echo 'a\\b' 'c\\'", "/bin/echo", "a\\b", "c\\");
	ARGV("/bin/echo 'a\\ b'", "/bin/echo", "a\\ b");
}
END_TEST

START_TEST(t_argv_refused)
{
	argv_bad("", "empty command");
	argv_bad(" \t  ", "empty command");
	argv_bad("bin/true", "'bin/true' is not an absolute path");
	argv_bad("true x", "'true' is not an absolute path");
	argv_bad("./hook", "'./hook' is not an absolute path");
	argv_bad("~/hook", "'~/hook' is not an absolute path");
	argv_bad("'' /bin/true", "'' is not an absolute path");
	argv_bad("\"/bin/echo", "unterminated \" quote");
	argv_bad("/bin/echo 'a b", "unterminated ' quote");
	argv_bad("/bin/echo \"a\\\"", "unterminated \" quote");
	argv_bad("/bin/echo a\\", "a backslash ends the command");
	argv_bad("/bin/echo \"a\\", "a backslash ends the command");
}
END_TEST

START_TEST(t_argv_limits)
{
	char cmd[2048];
	size_t n;
	int i;

	/* HOOK_ARGV_MAX words fit, one more does not. */
	n = (size_t)snprintf(cmd, sizeof(cmd), "/bin/echo");
	for (i = 1; i < HOOK_ARGV_MAX; i++)
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, " %d", i);
	memset(&h, 0x5a, sizeof(h));
	ck_assert_int_eq(hook_argv_parse(&h, cmd, err, sizeof(err)), 0);
	ck_assert_int_eq(h.argc, HOOK_ARGV_MAX);
	ck_assert_str_eq(h.argv[HOOK_ARGV_MAX - 1], "31");
	ck_assert_ptr_null(h.argv[HOOK_ARGV_MAX]);
	snprintf(cmd + n, sizeof(cmd) - n, " x");
	argv_bad(cmd, "more than 32 words");
	/* Trailing blanks are not a word. */
	snprintf(cmd + n, sizeof(cmd) - n, " \t ");
	ck_assert_int_eq(hook_argv_parse(&h, cmd, err, sizeof(err)), 0);

	/* A command of sizeof(buf) - 1 bytes fits, with its NUL. */
	memset(cmd, 'x', sizeof(cmd));
	cmd[0] = '/';
	cmd[sizeof(h.buf) - 1] = '\0';
	ck_assert_msg(hook_argv_parse(&h, cmd, err, sizeof(err)) == 0, "%s",
		      err);
	ck_assert_uint_eq(strlen(h.argv[0]), sizeof(h.buf) - 1);
	memcpy(cmd + 500, " y", 2);
	ck_assert_msg(hook_argv_parse(&h, cmd, err, sizeof(err)) == 0, "%s",
		      err);
	ck_assert_int_eq(h.argc, 2);
	cmd[sizeof(h.buf) - 1] = 'x';
	cmd[sizeof(h.buf)] = '\0';
	argv_bad(cmd, "command longer than 1023 bytes");
	cmd[sizeof(cmd) - 1] = '\0';
	argv_bad(cmd, "command longer than 1023 bytes");
}
END_TEST

/* An alert as detect.c would hand it over. */
static struct alert mkalert(enum alert_type type, const char *key)
{
	struct alert a;

	memset(&a, 0, sizeof(a));
	a.type = type;
	snprintf(a.key, sizeof(a.key), "%s", key);
	a.severity = SEV_WARNING;
	a.since_ms = 5000;
	a.since_wall = 1700000000;
	return a;
}

static struct hook_env env;

/*
 * envp holds exactly the strings of want, in any order, each once, and
 * every one of them inside env.buf.
 */
static void env_is(const char *const *want)
{
	int i, j, n;

	for (n = 0; want[n] != NULL; n++)
		;
	for (i = 0; i < env.n; i++)
		ck_assert_msg(env.envp[i] >= env.buf &&
				      env.envp[i] < env.buf + sizeof(env.buf),
			      "envp[%d] outside buf", i);
	for (i = 0; i < n; i++) {
		for (j = 0; j < env.n; j++)
			if (strcmp(env.envp[j], want[i]) == 0)
				break;
		ck_assert_msg(j < env.n, "%s missing", want[i]);
	}
	ck_assert_int_eq(env.n, n);
	ck_assert_ptr_null(env.envp[env.n]);
}

#define ENV(...) env_is((const char *const[]){ __VA_ARGS__, NULL })

static void build(const struct alert *a, enum alert_change ch,
		  const char *action)
{
	memset(&env, 0x5a, sizeof(env));
	hook_env_build(&env, a, ch, action);
}

START_TEST(t_env_port_scan)
{
	struct alert a = mkalert(ALERT_PORT_SCAN, "192.0.2.7");

	a.ev.scan.family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, "192.0.2.7", a.ev.scan.remote), 1);
	a.ev.scan.ports = 40;
	a.ev.scan.first_port = 22;
	a.ev.scan.last_port = 445;
	a.ev.scan.rate = 12.5;
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=port_scan", "RSTMON_STATE=raised",
	    "RSTMON_KEY=192.0.2.7", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_REMOTE=192.0.2.7",
	    "RSTMON_PORT=445", "RSTMON_RATE=12.5");

	a = mkalert(ALERT_PORT_SCAN, "2001:db8::7");
	a.severity = SEV_CRITICAL;
	a.ev.scan.family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::7", a.ev.scan.remote),
			 1);
	a.ev.scan.last_port = 65535;
	a.ev.scan.rate = 0;
	build(&a, ALERT_UPDATED, "ratelimit");
	ENV(PATH_VAR, "RSTMON_ALERT=port_scan", "RSTMON_STATE=active",
	    "RSTMON_KEY=2001:db8::7", "RSTMON_SEVERITY=critical",
	    "RSTMON_SINCE=1700000000", "RSTMON_REMOTE=2001:db8::7",
	    "RSTMON_PORT=65535", "RSTMON_RATE=0.0", "RSTMON_ACTION=ratelimit");
}
END_TEST

START_TEST(t_env_syn_flood)
{
	struct alert a = mkalert(ALERT_SYN_FLOOD, "global");

	a.ev.flood.rate = 1234.56;
	a.ev.flood.sources = 300;
	a.ev.flood.top_ports[0] = 80;
	a.ev.flood.top_ports[1] = 443;
	a.ev.flood.ntop = 2;
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=syn_flood", "RSTMON_STATE=raised",
	    "RSTMON_KEY=global", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_PORT=80", "RSTMON_RATE=1234.6");
	/* No port seen: no RSTMON_PORT at all, not "0". */
	a.ev.flood.ntop = 0;
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=syn_flood", "RSTMON_STATE=raised",
	    "RSTMON_KEY=global", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_RATE=1234.6");
}
END_TEST

START_TEST(t_env_service_down)
{
	struct alert a = mkalert(ALERT_SERVICE_DOWN, "tcp/6379");

	a.severity = SEV_CRITICAL;
	a.ev.down.family = AF_INET;
	a.ev.down.port = 6379;
	snprintf(a.ev.down.comm, sizeof(a.ev.down.comm), "redis-server");
	a.ev.down.pid = 1234;
	snprintf(a.ev.down.unit, sizeof(a.ev.down.unit), "redis.service");
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=service_down", "RSTMON_STATE=raised",
	    "RSTMON_KEY=tcp/6379", "RSTMON_SEVERITY=critical",
	    "RSTMON_SINCE=1700000000", "RSTMON_PORT=6379",
	    "RSTMON_OWNER=redis-server", "RSTMON_OWNER_COMM=redis-server",
	    "RSTMON_OWNER_PID=1234", "RSTMON_OWNER_UNIT=redis.service");
	/* Nothing known of the owner: only the port. */
	memset(a.ev.down.comm, 0, sizeof(a.ev.down.comm));
	memset(a.ev.down.unit, 0, sizeof(a.ev.down.unit));
	a.ev.down.pid = 0;
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=service_down", "RSTMON_STATE=raised",
	    "RSTMON_KEY=tcp/6379", "RSTMON_SEVERITY=critical",
	    "RSTMON_SINCE=1700000000", "RSTMON_PORT=6379");
}
END_TEST

START_TEST(t_env_listen_overflow)
{
	struct alert a = mkalert(ALERT_LISTEN_OVERFLOW, "tcp/8080");

	a.ev.overflow.port = 8080;
	snprintf(a.ev.overflow.owner, sizeof(a.ev.overflow.owner),
		 "nginx (nginx.service)");
	a.ev.overflow.backlog = 511;
	a.ev.overflow.queue = 512;
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=listen_overflow", "RSTMON_STATE=raised",
	    "RSTMON_KEY=tcp/8080", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_PORT=8080",
	    "RSTMON_OWNER=nginx (nginx.service)");
	a.ev.overflow.owner[0] = '\0';
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=listen_overflow", "RSTMON_STATE=raised",
	    "RSTMON_KEY=tcp/8080", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_PORT=8080");
}
END_TEST

START_TEST(t_env_abort_storm)
{
	struct alert a = mkalert(ALERT_ABORT_STORM, "java (app.service)");

	snprintf(a.ev.storm.owner, sizeof(a.ev.storm.owner),
		 "java (app.service)");
	a.ev.storm.pid = 4321;
	a.ev.storm.rate = 75;
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=abort_storm", "RSTMON_STATE=raised",
	    "RSTMON_KEY=java (app.service)", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_OWNER=java (app.service)",
	    "RSTMON_OWNER_PID=4321", "RSTMON_RATE=75.0");
	a.ev.storm.pid = 0;
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=abort_storm", "RSTMON_STATE=raised",
	    "RSTMON_KEY=java (app.service)", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_OWNER=java (app.service)",
	    "RSTMON_RATE=75.0");
}
END_TEST

START_TEST(t_env_reset_rate)
{
	struct alert a = mkalert(ALERT_RESET_RATE, "global");

	a.severity = SEV_INFO;
	a.ev.rate.rate = 250;
	a.ev.rate.baseline = 20;
	a.ev.rate.threshold = 60;
	build(&a, ALERT_RAISED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=reset_rate", "RSTMON_STATE=raised",
	    "RSTMON_KEY=global", "RSTMON_SEVERITY=info",
	    "RSTMON_SINCE=1700000000", "RSTMON_RATE=250.0");
}
END_TEST

START_TEST(t_env_cleared_action)
{
	struct alert a = mkalert(ALERT_RESET_RATE, "global");

	a.ev.rate.rate = 1.25;
	build(&a, ALERT_CLEARED, NULL);
	ENV(PATH_VAR, "RSTMON_ALERT=reset_rate", "RSTMON_STATE=cleared",
	    "RSTMON_KEY=global", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_RATE=1.2");
	build(&a, ALERT_CLEARED, "ratelimit-dry-run");
	ENV(PATH_VAR, "RSTMON_ALERT=reset_rate", "RSTMON_STATE=cleared",
	    "RSTMON_KEY=global", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_RATE=1.2",
	    "RSTMON_ACTION=ratelimit-dry-run");
	/* An empty action is still an action. */
	build(&a, ALERT_RAISED, "");
	ENV(PATH_VAR, "RSTMON_ALERT=reset_rate", "RSTMON_STATE=raised",
	    "RSTMON_KEY=global", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_RATE=1.2", "RSTMON_ACTION=");
}
END_TEST

/* Bytes of env.buf used: up to the last string's NUL. */
static size_t env_used(void)
{
	const char *last = env.envp[env.n - 1];

	return (size_t)(last - env.buf) + strlen(last) + 1;
}

/*
 * A variable that does not fit is left out whole, never cut: here a
 * longest key and an action too long for what is left.
 */
START_TEST(t_env_overflow)
{
	struct alert a = mkalert(ALERT_SERVICE_DOWN, "");
	char key[sizeof(a.key) + 16], action[4096];
	size_t room;

	memcpy(key, "RSTMON_KEY=", 11);
	memset(key + 11, 'k', sizeof(a.key) - 1);
	key[11 + sizeof(a.key) - 1] = '\0';
	memset(a.key, 'k', sizeof(a.key) - 1);
	a.ev.down.port = 22;
	snprintf(a.ev.down.unit, sizeof(a.ev.down.unit), "ssh.service");
	build(&a, ALERT_RAISED, NULL);
	ck_assert_int_eq(env.n, 8);
	room = sizeof(env.buf) - env_used();

	/* "RSTMON_ACTION=" and its value fill the buffer exactly. */
	memset(action, 'a', sizeof(action));
	action[room - 1 - strlen("RSTMON_ACTION=")] = '\0';
	build(&a, ALERT_RAISED, action);
	ck_assert_int_eq(env.n, 9);
	ck_assert_uint_eq(env_used(), sizeof(env.buf));
	ck_assert_str_eq(env.envp[8] + strlen("RSTMON_ACTION="), action);

	/* One more byte: left out, the rest intact. */
	action[room - 1 - strlen("RSTMON_ACTION=")] = 'a';
	action[room - strlen("RSTMON_ACTION=")] = '\0';
	build(&a, ALERT_RAISED, action);
	ENV(PATH_VAR, "RSTMON_ALERT=service_down", "RSTMON_STATE=raised", key,
	    "RSTMON_SEVERITY=warning", "RSTMON_SINCE=1700000000",
	    "RSTMON_PORT=22", "RSTMON_OWNER_UNIT=ssh.service");

	action[sizeof(action) - 1] = '\0';
	build(&a, ALERT_RAISED, action);
	ENV(PATH_VAR, "RSTMON_ALERT=service_down", "RSTMON_STATE=raised", key,
	    "RSTMON_SEVERITY=warning", "RSTMON_SINCE=1700000000",
	    "RSTMON_PORT=22", "RSTMON_OWNER_UNIT=ssh.service");
}
END_TEST

static struct alert scan_alert(const char *remote)
{
	struct alert a = mkalert(ALERT_PORT_SCAN, remote);

	a.ev.scan.family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, remote, a.ev.scan.remote), 1);
	a.ev.scan.last_port = 23;
	return a;
}

/* A copy owns its strings: the original rebuilt for another alert (as
 * the daemon's one scratch job is) leaves it as it was. */
START_TEST(t_env_copy)
{
	static struct hook_env copy;
	struct alert a = scan_alert("192.0.2.2");
	int i;

	build(&a, ALERT_RAISED, NULL);
	memset(&copy, 0x5a, sizeof(copy));
	hook_env_copy(&copy, &env);
	a = scan_alert("198.51.100.3");
	build(&a, ALERT_CLEARED, "ratelimit");
	ck_assert_int_eq(copy.n, 9);
	for (i = 0; i < copy.n; i++)
		ck_assert_msg(copy.envp[i] >= copy.buf &&
				      copy.envp[i] <
					      copy.buf + sizeof(copy.buf),
			      "copy's envp[%d] outside its buf", i);
	ck_assert_ptr_null(copy.envp[copy.n]);
	/* Its strings, through a copy of the copy (env_is reads env). */
	hook_env_copy(&env, &copy);
	ENV(PATH_VAR, "RSTMON_ALERT=port_scan", "RSTMON_STATE=raised",
	    "RSTMON_KEY=192.0.2.2", "RSTMON_SEVERITY=warning",
	    "RSTMON_SINCE=1700000000", "RSTMON_REMOTE=192.0.2.2",
	    "RSTMON_PORT=23", "RSTMON_RATE=0.0");
}
END_TEST

Suite *hookargs_suite(void)
{
	Suite *s = suite_create("hookargs");
	TCase *ta = tcase_create("argv");
	TCase *te = tcase_create("env");

	tcase_add_test(ta, t_argv_words);
	tcase_add_test(ta, t_argv_quotes);
	tcase_add_test(ta, t_argv_backslash);
	tcase_add_test(ta, t_argv_refused);
	tcase_add_test(ta, t_argv_limits);
	suite_add_tcase(s, ta);
	tcase_add_test(te, t_env_port_scan);
	tcase_add_test(te, t_env_syn_flood);
	tcase_add_test(te, t_env_service_down);
	tcase_add_test(te, t_env_listen_overflow);
	tcase_add_test(te, t_env_abort_storm);
	tcase_add_test(te, t_env_reset_rate);
	tcase_add_test(te, t_env_cleared_action);
	tcase_add_test(te, t_env_overflow);
	tcase_add_test(te, t_env_copy);
	suite_add_tcase(s, te);
	return s;
}
