/* check_control: the control socket's idle timeout over a real socket
 * and loop, driven by a fake tick clock — the wakeup's clock, the only
 * one the timeout reads — and the rights of a peer (issue 16). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "unit.h"

static char dir[64], path[128];
static struct loop loop;
static struct control ctl;

static void cmd_change(struct control_client *cl, int argc, char **argv,
		       void *arg)
{
	struct json *j = control_reply(cl);

	(void)argc;
	(void)argv;
	(void)arg;
	if (!control_client_may_change(cl)) {
		control_reply_denied(cl, "change");
		return;
	}
	json_obj_begin(j, NULL);
	json_bool(j, "changed", true);
	json_obj_end(j);
	json_raw(j, "\n", 1);
}

static void cmd_events(struct control_client *cl, int argc, char **argv,
		       void *arg)
{
	(void)argc;
	(void)argv;
	(void)arg;
	control_follow(cl);
}

static const struct control_cmd cmds[] = {
	{ "change", cmd_change },
	{ "events", cmd_events },
};

static uint64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void setup(void)
{
	char err[256];

	snprintf(dir, sizeof(dir), "/tmp/rstmon-control.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sock", dir);
	ck_assert_int_eq(loop_init(&loop), 0);
	ck_assert_msg(control_open(&ctl, &loop, path, cmds,
				   sizeof(cmds) / sizeof(cmds[0]), NULL, err,
				   sizeof(err)) == 0,
		      "%s", err);
}

static void teardown(void)
{
	control_close(&ctl);
	loop_fini(&loop);
	rmdir(dir);
}

/* A client, accepted (and its line read, if any) by the loop. */
static int client(const char *line)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	unsigned int before = ctl.conns.n;
	int fd, i;

	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	if (line != NULL)
		ck_assert_int_eq(send(fd, line, strlen(line), 0),
				 (ssize_t)strlen(line));
	for (i = 0; i < 10 && ctl.conns.n == before; i++)
		loop_run_once(&loop, 1000);
	ck_assert_uint_eq(ctl.conns.n, before + 1);
	if (line != NULL)
		loop_run_once(&loop, 1000); /* its line */
	return fd;
}

/* Has the daemon hung up on fd? */
static bool hung_up(int fd)
{
	char b[65536];
	ssize_t n;

	do
		n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
	while (n > 0);
	return n == 0;
}

/* A wakeup's clock is read before the accept it serves: a tick in that
 * same wakeup must not take the client for long idle. */
START_TEST(t_new_client_survives_its_wakeups_tick)
{
	uint64_t wake = mono_ms();
	int fd;

	usleep(5000);
	fd = client(NULL);
	control_tick(&ctl, wake);
	ck_assert_uint_eq(ctl.conns.n, 1);
	ck_assert(!hung_up(fd));
	close(fd);
}
END_TEST

/* Silent for CONTROL_IDLE_MS after the first tick that saw it: closed,
 * counted; a follower waiting for lines is not. */
START_TEST(t_idle_timeout)
{
	const uint64_t t0 = 5000000;
	int silent, follower;

	silent = client(NULL);
	follower = client("events\n");
	ck_assert_uint_eq(ctl.nfollowers, 1);
	control_tick(&ctl, t0);
	control_tick(&ctl, t0 + CONTROL_IDLE_MS - 1);
	ck_assert_uint_eq(ctl.conns.n, 2);
	control_tick(&ctl, t0 + CONTROL_IDLE_MS);
	ck_assert_uint_eq(ctl.conns.n, 1);
	ck_assert_uint_eq(ctl.conns.timed_out, 1);
	loop_run_once(&loop, 0); /* release the closed client */
	ck_assert(hung_up(silent));
	control_tick(&ctl, t0 + 5 * CONTROL_IDLE_MS);
	ck_assert_uint_eq(ctl.nfollowers, 1);
	ck_assert(!hung_up(follower));
	close(silent);
	close(follower);
}
END_TEST

/* A follower that stops reading: once its lines stop moving for
 * CONTROL_IDLE_MS, closed, before its backlog reaches the limit. */
START_TEST(t_stalled_follower_times_out)
{
	static char lines[64 * 1024];
	const uint64_t t0 = 7000000;
	int fd, i;

	memset(lines, 'x', sizeof(lines));
	lines[sizeof(lines) - 1] = '\n';
	fd = client("events\n");
	control_tick(&ctl, t0);
	/* 4 MiB, more than the socket takes: a backlog stays queued. */
	for (i = 0; i < 64; i++) {
		control_broadcast(&ctl, lines, sizeof(lines), 8u << 20);
		control_flush(&ctl);
	}
	control_tick(&ctl, t0 + 1000); /* it moved since t0 */
	control_tick(&ctl, t0 + 1000 + CONTROL_IDLE_MS - 1);
	ck_assert_uint_eq(ctl.nfollowers, 1);
	control_tick(&ctl, t0 + 1000 + CONTROL_IDLE_MS);
	ck_assert_uint_eq(ctl.nfollowers, 0);
	ck_assert_uint_eq(ctl.conns.timed_out, 1);
	ck_assert_uint_eq(ctl.followers_dropped, 0);
	close(fd);
}
END_TEST

/* Our own uid may change the state (rstmond's user); the answer. */
START_TEST(t_own_uid_may_change)
{
	char buf[256];
	ssize_t n;
	int fd = client("change\n");

	n = recv(fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "{\"changed\":true}\n");
	close(fd);
}
END_TEST

Suite *control_suite(void)
{
	Suite *s = suite_create("control");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_new_client_survives_its_wakeups_tick);
	tcase_add_test(tc, t_idle_timeout);
	tcase_add_test(tc, t_stalled_follower_times_out);
	tcase_add_test(tc, t_own_uid_may_change);
	suite_add_tcase(s, tc);
	return s;
}
