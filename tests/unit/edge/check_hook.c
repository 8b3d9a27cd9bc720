/* check_hook: the hook queue — each waiting run owns its environment and
 * stdin, no alert type holds the queue alone, types take turns — alone
 * and through hooks_submit with real children. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hook.h"
#include "unit.h"
#include "alertfmt.h"

/* One scratch job for every alert, as actions.c has. */
static struct hook_job scratch;
static struct hook_queue q;

/* The scratch job for a port_scan (or another type) keyed by remote. */
static const struct hook_job *mkjob(enum alert_type t, const char *remote)
{
	struct alert a;

	memset(&a, 0, sizeof(a));
	a.type = t;
	snprintf(a.key, sizeof(a.key), "%s", remote);
	a.since_wall = 1700000000;
	if (t == ALERT_PORT_SCAN) {
		a.ev.scan.family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, remote, a.ev.scan.remote),
				 1);
	}
	memset(&scratch, 0x5a, sizeof(scratch));
	snprintf(scratch.label, sizeof(scratch.label), "alert=%s key=%s",
		 alert_type_name(t), remote);
	scratch.key_hash =
		0x1000 + (uint64_t)t * 0x10000 + (uint64_t)inet_addr(remote);
	scratch.type = t;
	scratch.raise = true;
	hook_env_build(&scratch.env, &a, ALERT_RAISED, NULL);
	scratch.stdin_len = (size_t)snprintf(scratch.stdin_buf,
					     sizeof(scratch.stdin_buf),
					     "{\"key\":\"%s\"}\n", remote);
	return &scratch;
}

static void put(enum alert_type t, const char *remote)
{
	int i = hook_queue_place(&q, t);

	ck_assert_int_ge(i, 0);
	hook_queue_put(&q, i, mkjob(t, remote));
}

static const char *env_get(const struct hook_job *j, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < j->env.n; i++)
		if (strncmp(j->env.envp[i], name, n) == 0 &&
		    j->env.envp[i][n] == '=')
			return j->env.envp[i] + n + 1;
	return NULL;
}

static unsigned int queued(enum alert_type t)
{
	unsigned int i, n = 0;

	for (i = 0; i < HOOK_QUEUE_MAX; i++)
		n += q.seq[i] != 0 && q.job[i].type == t;
	return n;
}

static void setup(void)
{
	ck_assert_int_eq(hook_queue_init(&q), 0);
}

static void teardown(void)
{
	hook_queue_fini(&q);
}

/* The queue alone ------------------------------------------------------ */

START_TEST(t_queue_own_env)
{
	static const char *const remote[3] = {
		"192.0.2.2",
		"198.51.100.3",
		"203.0.113.4",
	};
	char want[64];
	int i, k, slot;

	for (k = 0; k < 3; k++)
		put(ALERT_PORT_SCAN, remote[k]);
	/* The scratch job moves on to the next alert. */
	mkjob(ALERT_PORT_SCAN, "192.0.2.99");
	ck_assert_uint_eq(q.len, 3);
	for (k = 0; k < 3; k++) {
		const struct hook_job *j;

		slot = hook_queue_next(&q);
		ck_assert_int_ge(slot, 0);
		j = &q.job[slot];
		for (i = 0; i < j->env.n; i++)
			ck_assert_msg(
				j->env.envp[i] >= j->env.buf &&
					j->env.envp[i] <
						j->env.buf + sizeof(j->env.buf),
				"job %d: envp[%d] outside its own env", k, i);
		ck_assert_ptr_null(j->env.envp[j->env.n]);
		ck_assert_str_eq(env_get(j, "RSTMON_KEY"), remote[k]);
		ck_assert_str_eq(env_get(j, "RSTMON_REMOTE"), remote[k]);
		snprintf(want, sizeof(want), "{\"key\":\"%s\"}\n", remote[k]);
		ck_assert_uint_eq(j->stdin_len, strlen(want));
		ck_assert_int_eq(memcmp(j->stdin_buf, want, strlen(want)), 0);
		hook_queue_take(&q, slot);
	}
	ck_assert_int_eq(hook_queue_next(&q), -1);
	ck_assert_uint_eq(q.len, 0);
}
END_TEST

START_TEST(t_queue_scarce_type_evicts)
{
	char addr[32];
	uint64_t newest = 0;
	int i, slot, victim = -1;

	for (i = 0; i < HOOK_QUEUE_MAX; i++) {
		snprintf(addr, sizeof(addr), "10.201.0.%d", i + 1);
		put(ALERT_PORT_SCAN, addr);
	}
	ck_assert_uint_eq(q.len, HOOK_QUEUE_MAX);
	/* Full of port_scan: another one has no place… */
	ck_assert_int_eq(hook_queue_place(&q, ALERT_PORT_SCAN), -1);
	/* …a service_down takes the newest port_scan's. */
	for (i = 0; i < HOOK_QUEUE_MAX; i++)
		if (q.seq[i] > newest) {
			newest = q.seq[i];
			victim = i;
		}
	slot = hook_queue_place(&q, ALERT_SERVICE_DOWN);
	ck_assert_int_eq(slot, victim);
	ck_assert_str_eq(env_get(&q.job[slot], "RSTMON_KEY"), "10.201.0.32");
	hook_queue_put(&q, slot, mkjob(ALERT_SERVICE_DOWN, "10.99.0.1"));
	ck_assert_uint_eq(q.len, HOOK_QUEUE_MAX);
	ck_assert_uint_eq(queued(ALERT_SERVICE_DOWN), 1);
	/* An abort_storm too; then service_down takes places up to an
	 * even share with port_scan, and no further. */
	put(ALERT_ABORT_STORM, "10.99.0.2");
	for (i = 0; i < HOOK_QUEUE_MAX; i++) {
		snprintf(addr, sizeof(addr), "10.202.0.%d", i + 1);
		if ((slot = hook_queue_place(&q, ALERT_SERVICE_DOWN)) < 0)
			break;
		hook_queue_put(&q, slot, mkjob(ALERT_SERVICE_DOWN, addr));
	}
	ck_assert_uint_eq(queued(ALERT_SERVICE_DOWN), 15);
	ck_assert_uint_eq(queued(ALERT_PORT_SCAN), 16);
	ck_assert_uint_eq(queued(ALERT_ABORT_STORM), 1);
	/* No trading places back: port_scan has the most, service_down
	 * would have more than it has. */
	ck_assert_int_eq(hook_queue_place(&q, ALERT_PORT_SCAN), -1);
	ck_assert_int_eq(hook_queue_place(&q, ALERT_SERVICE_DOWN), -1);
	slot = hook_queue_place(&q, ALERT_ABORT_STORM);
	ck_assert_int_ge(slot, 0);
	ck_assert_int_eq(q.job[slot].type, ALERT_PORT_SCAN);
	ck_assert_uint_eq(q.len, HOOK_QUEUE_MAX);
}
END_TEST

START_TEST(t_queue_turns)
{
	static const enum alert_type want[] = {
		ALERT_PORT_SCAN, ALERT_SERVICE_DOWN, ALERT_ABORT_STORM,
		ALERT_PORT_SCAN, ALERT_PORT_SCAN,    ALERT_PORT_SCAN,
	};
	static const char *const key[] = {
		"10.201.0.1", "10.99.0.1",  "10.99.0.2",
		"10.201.0.2", "10.201.0.3", "10.201.0.4",
	};
	char addr[32];
	unsigned int k;
	int i, slot;

	for (i = 1; i <= 4; i++) {
		snprintf(addr, sizeof(addr), "10.201.0.%d", i);
		put(ALERT_PORT_SCAN, addr);
	}
	put(ALERT_SERVICE_DOWN, "10.99.0.1");
	put(ALERT_ABORT_STORM, "10.99.0.2");
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		slot = hook_queue_next(&q);
		ck_assert_int_ge(slot, 0);
		ck_assert_msg(q.job[slot].type == want[k],
			      "run %u: %s, expected %s", k,
			      alert_type_name(q.job[slot].type),
			      alert_type_name(want[k]));
		ck_assert_str_eq(env_get(&q.job[slot], "RSTMON_KEY"), key[k]);
		hook_queue_take(&q, slot);
	}
	ck_assert_int_eq(hook_queue_next(&q), -1);
}
END_TEST

/* Through hooks_submit, with real children --------------------------- */

static struct loop lp;
static struct hooks hk;
static char dir[64];

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* cmd runs one at a time, with a cooldown that never skips. */
static void hooks_up(const char *cmd)
{
	struct hook_params p = { .timeout_ms = 10000, .max_running = 1 };
	char err[256];

	ck_assert_int_eq(loop_init(&lp), 0);
	ck_assert_msg(hooks_init(&hk, &lp, cmd, &p, err, sizeof(err)) == 0,
		      "%s", err);
}

static void hooks_down(void)
{
	hooks_fini(&hk, 1000);
	loop_fini(&lp);
}

/* Tick (and read the children's stderr) until `started` runs have
 * started and none is left running; 10 s at most. */
static void run_until(uint64_t started)
{
	uint64_t end = mono_ms() + 10000;

	for (;;) {
		loop_run_once(&lp, 10);
		hooks_tick(&hk, mono_ms());
		if (hk.started >= started && hooks_running(&hk) == 0)
			return;
		ck_assert_msg(mono_ms() < end,
			      "hooks: %llu of %llu started, "
			      "%u running",
			      (unsigned long long)hk.started,
			      (unsigned long long)started, hooks_running(&hk));
	}
}

/* Each run writes DIR/N (N: the runs before it): its RSTMON_KEY,
 * RSTMON_REMOTE and stdin. */
#define RECORDER                                                    \
	"/usr/bin/python3 -c \""                                    \
	"import os, sys; d = sys.argv[1]; "                         \
	"env = dict(v.split('=', 1) for v in "                      \
	"open('/proc/self/environ').read().split(chr(0)) if v); "   \
	"out = chr(10).join((str(env.get('RSTMON_KEY')), "          \
	"str(env.get('RSTMON_REMOTE')), sys.stdin.read())); "       \
	"n = len(os.listdir(d)); open(d + '/.t', 'w').write(out); " \
	"os.rename(d + '/.t', '%s/%d' % (d, n))\" "

static void record_is(int n, const char *remote)
{
	char path[128], got[512], want[256];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%d", dir, n);
	fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "run %d left no record", n);
	len = read(fd, got, sizeof(got) - 1);
	close(fd);
	unlink(path);
	ck_assert_int_ge(len, 0);
	got[len] = '\0';
	snprintf(want, sizeof(want), "%s\n%s\n{\"key\":\"%s\"}\n", remote,
		 remote, remote);
	ck_assert_str_eq(got, want);
}

START_TEST(t_hooks_queued_own_env)
{
	static const char *const remote[4] = {
		"192.0.2.1",
		"192.0.2.2",
		"198.51.100.3",
		"203.0.113.4",
	};
	char cmd[1024];
	int k;

	if (access("/usr/bin/python3", X_OK) < 0) {
		fprintf(stderr, "check_hook: no /usr/bin/python3, skipped\n");
		return;
	}
	snprintf(dir, sizeof(dir), "/tmp/rstmon-check-hook.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "%s%s", RECORDER, dir);
	hooks_up(cmd);
	/* The first runs; three wait behind it, all built in the one
	 * scratch job, which then moves on to a fifth alert. */
	for (k = 0; k < 4; k++)
		hooks_submit(&hk, mono_ms(), mkjob(ALERT_PORT_SCAN, remote[k]));
	ck_assert_uint_eq(hk.started, 1);
	mkjob(ALERT_PORT_SCAN, "192.0.2.99");
	run_until(4);
	for (k = 0; k < 4; k++)
		record_is(k, remote[k]);
	hooks_down();
	rmdir(dir);
}
END_TEST

START_TEST(t_hooks_scarce_type_runs_next)
{
	char addr[32];
	uint64_t end;
	int i;

	hooks_up("/bin/true");
	/* One port_scan runs, a queue full of them waits. */
	for (i = 0; i <= HOOK_QUEUE_MAX; i++) {
		snprintf(addr, sizeof(addr), "10.201.0.%d", i + 1);
		hooks_submit(&hk, mono_ms(), mkjob(ALERT_PORT_SCAN, addr));
	}
	ck_assert_uint_eq(hk.started, 1);
	ck_assert_uint_eq(hk.dropped_busy, 0);
	hooks_submit(&hk, mono_ms(), mkjob(ALERT_SERVICE_DOWN, "10.99.0.1"));
	/* A port_scan made room for it: the service_down is not dropped,
	 * and it is the next to run. */
	ck_assert_uint_eq(hk.dropped_busy, 1);
	ck_assert_uint_eq(hk.q.len, HOOK_QUEUE_MAX);
	/* The tick that reaps the first starts the second. */
	end = mono_ms() + 10000;
	while (hk.started < 2) {
		ck_assert_msg(mono_ms() < end, "the first run never ended");
		loop_run_once(&lp, 10);
		hooks_tick(&hk, mono_ms());
	}
	for (i = 0; i < HOOK_RUNNING_MAX; i++)
		if (hk.child[i].pid > 0)
			break;
	ck_assert_int_lt(i, HOOK_RUNNING_MAX);
	ck_assert_str_eq(hk.child[i].label, "alert=service_down key=10.99.0.1");
	hooks_down();
}
END_TEST

Suite *hook_suite(void)
{
	Suite *s = suite_create("hook");
	TCase *tq = tcase_create("queue");
	TCase *tr = tcase_create("run");

	tcase_add_checked_fixture(tq, setup, teardown);
	tcase_add_test(tq, t_queue_own_env);
	tcase_add_test(tq, t_queue_scarce_type_evicts);
	tcase_add_test(tq, t_queue_turns);
	suite_add_tcase(s, tq);
	tcase_add_test(tr, t_hooks_queued_own_env);
	tcase_add_test(tr, t_hooks_scarce_type_runs_next);
	suite_add_tcase(s, tr);
	return s;
}
