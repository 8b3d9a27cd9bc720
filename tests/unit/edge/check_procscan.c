/* check_procscan: inode -> process over a fake /proc tree (replay seam). */
#include <cap-ng.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "procscan.h"
#include "unit.h"

#define HEX64                              \
	"0123456789abcdef0123456789abcdef" \
	"0123456789abcdef0123456789abcdef"
#define BUDGET 3
#define MAX_STEPS 10000
#define ABSENT 999999
#define NGINX_FDS 48 /* every even one a socket */

/* One base dir per run (unchecked fixture: removed even after a failed
 * test), one tree per test below it. */
static char base[] = "/tmp/rstmon-procscan-XXXXXX";
static char root[128];

static void put_file(const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void put_dir(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void put_link(const char *rel, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_int_eq(symlink(target, path), 0);
}

/* Mode 0 on an fd dir: EACCES, as another user's process gives. */
static int lock_fd_dir(unsigned int pid, mode_t mode)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%u/fd", root, pid);
	return chmod(path, mode);
}

/* readlink() reads dangling symlinks: no real target needed. */
static void put_fd(unsigned int pid, unsigned int n, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%u/fd/%u", root, pid, n);
	ck_assert_int_eq(symlink(target, path), 0);
}

static void put_socket(unsigned int pid, unsigned int n, unsigned int inode)
{
	char target[32];

	snprintf(target, sizeof(target), "socket:[%u]", inode);
	put_fd(pid, n, target);
}

static void put_pid(unsigned int pid, const char *comm, unsigned int uid,
		    const char *cgroup)
{
	char rel[64], text[256];

	snprintf(rel, sizeof(rel), "%u", pid);
	put_dir(rel);
	snprintf(rel, sizeof(rel), "%u/fd", pid);
	put_dir(rel);
	snprintf(rel, sizeof(rel), "%u/comm", pid);
	snprintf(text, sizeof(text), "%s\n", comm);
	put_file(rel, text);
	/* As the kernel prints it: Uid is real, effective, saved, fs. */
	snprintf(rel, sizeof(rel), "%u/status", pid);
	snprintf(text, sizeof(text),
		 "Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\n"
		 "Tgid:\t%u\nNgid:\t0\nPid:\t%u\nPPid:\t1\nTracerPid:\t0\n"
		 "Uid:\t%u\t0\t0\t0\nGid:\t%u\t0\t0\t0\nFDSize:\t64\n",
		 comm, pid, pid, uid, uid);
	put_file(rel, text);
	snprintf(rel, sizeof(rel), "%u/cgroup", pid);
	put_file(rel, cgroup);
}

/*
 * A cgroup file longer than procscan reads (4 KiB): the v2 line is cut
 * after "0::/system.sl" and must not be taken for a path.
 */
static void put_big_cgroup(unsigned int pid)
{
	static const char head[] = "1:name=systemd:/system.slice/big.service\n";
	static const char tail[] = "0::/system.slice/big.service\n";
	char text[5000], rel[32];
	size_t len = sizeof(head) - 1;

	memcpy(text, head, len);
	while (len < 4082) {
		size_t n = 4082 - len > 200 ? 200 : 4082 - len;

		snprintf(text + len, sizeof(text) - len, "2:memory:/%0*d\n",
			 (int)n - 11, 0);
		len += n;
	}
	ck_assert_uint_eq(strlen(text), 4082);
	memcpy(text + len, tail, sizeof(tail));
	snprintf(rel, sizeof(rel), "%u", pid);
	put_dir(rel);
	snprintf(rel, sizeof(rel), "%u/cgroup", pid);
	put_file(rel, text);
}

/*
 * 1 systemd, 100 redis and its worker 600 sharing socket 2001, 200 nginx
 * in docker with many fds, 300 with an unreadable fd dir, 400 and 800
 * gone before their fd dir is opened, 500 a login shell, 700 gone
 * after it.
 * Sockets: 1001, 2001, 2002, 3000.. 3046 (even), 4001, 5001, 6001.
 */
static void build_tree(void)
{
	unsigned int i;

	snprintf(root, sizeof(root), "%s/tXXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(root));
	put_file("uptime", "12.34 56.78\n");
	put_dir("sys");
	put_pid(1, "systemd", 0, "0::/init.scope\n");
	put_fd(1, 0, "/dev/null");
	put_socket(1, 1, 1001);
	put_fd(1, 2, "pipe:[55]");
	put_pid(100, "redis-server", 101,
		"0::/system.slice/redis-server.service\n");
	put_socket(100, 3, 2001);
	put_fd(100, 4, "anon_inode:[eventfd]");
	put_socket(100, 5, 2002);
	put_pid(200, "nginx", 33, "0::/system.slice/docker-" HEX64 ".scope\n");
	for (i = 0; i < NGINX_FDS; i++) {
		if (i % 2 == 0)
			put_socket(200, i, 3000 + i);
		else
			put_fd(200, i, "/var/log/nginx/access.log");
	}
	put_pid(300, "locked", 0, "0::/system.slice/locked.service\n");
	put_socket(300, 3, 4001);
	put_pid(500, "bash", 1000,
		"0::/user.slice/user-1000.slice/session-3.scope\n");
	put_socket(500, 3, 5001);
	put_pid(600, "redis-server", 101,
		"0::/system.slice/redis-server.service\n");
	put_socket(600, 3, 2001);
	put_socket(600, 4, 6001);
	put_dir("400");
	put_file("400/comm", "gone\n");
	put_big_cgroup(800);
	put_dir("700");
	put_dir("700/fd");
	put_socket(700, 3, 7001);
	put_link("self", "1");
	lock_fd_dir(300, 0);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

static void rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void base_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(base));
}

/* Give the locked fd dirs back their mode so that a non-root run can
 * remove them. */
static void base_teardown(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(base);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s/300/fd", base, de->d_name);
		chmod(path, 0755);
	}
	closedir(d);
	rm_tree(base);
}

/* Is 300's fd dir readable for us (root with CAP_DAC_OVERRIDE is)? */
static bool locked_readable(void)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/300/fd", root);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* fds of 1, 100, 200, 500, 600, 700 (+ 300 when readable). */
static uint64_t all_links(void)
{
	return 3 + 3 + NGINX_FDS + 1 + 2 + 1 + (locked_readable() ? 1 : 0);
}

/* 1001, 2001, 2002, 3000..., 5001, 6001 (+ 4001); not 7001. */
static uint64_t all_sockets(void)
{
	return 1 + 2 + NGINX_FDS / 2 + 1 + 1 + (locked_readable() ? 1 : 0);
}

/* Steps until no wish is pending, checking the budget of each step. */
static unsigned int run_steps(struct procscan *p, uint64_t now,
			      unsigned int budget, uint64_t ttl)
{
	struct procscan_stats before, after;
	unsigned int steps = 0, n;

	while (procscan_busy(p)) {
		procscan_get_stats(p, &before);
		n = procscan_step(p, now, budget, ttl);
		procscan_get_stats(p, &after);
		ck_assert_uint_le(n, budget);
		ck_assert_uint_eq(after.readlinks - before.readlinks, n);
		ck_assert_uint_lt(++steps, MAX_STEPS);
	}
	return steps;
}

/* Which of two pids the fake root lists first (ext4 order is a hash). */
static unsigned int first_listed(unsigned int a, unsigned int b)
{
	struct dirent *de;
	unsigned int pid = 0;
	DIR *d = opendir(root);

	ck_assert_ptr_nonnull(d);
	while (pid == 0 && (de = readdir(d)) != NULL)
		if (strtoul(de->d_name, NULL, 10) == a ||
		    strtoul(de->d_name, NULL, 10) == b)
			pid = (unsigned int)strtoul(de->d_name, NULL, 10);
	closedir(d);
	return pid;
}

/* Steps of budget 1 until one readlink is done: a walk is under way.
 * (A step may also spend its budget on processes without readable fds.) */
static void step_into_walk(struct procscan *p, uint64_t now)
{
	unsigned int i;

	for (i = 0; procscan_step(p, now, 1, 60000) == 0; i++)
		ck_assert_uint_lt(i, MAX_STEPS);
	ck_assert(procscan_busy(p));
}

START_TEST(t_cold)
{
	struct procscan_stats st;
	struct proc_owner o;
	struct procscan *p;

	build_tree();
	p = procscan_new(root, 64);
	ck_assert_ptr_nonnull(p);
	ck_assert(!procscan_lookup(p, 2002, &o));
	ck_assert(!procscan_busy(p));
	/* Nothing wanted: no walk, no readlink. */
	ck_assert_uint_eq(procscan_step(p, 1, BUDGET, 60000), 0);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.readlinks, 0);
	ck_assert_uint_eq(st.walks, 0);
	ck_assert_uint_eq(st.cached, 0);
	ck_assert(!procscan_lookup(p, 2002, &o));
	procscan_free(p);
}
END_TEST

START_TEST(t_resolve)
{
	struct procscan_stats st;
	struct proc_owner o;
	struct procscan *p;
	unsigned int i, steps;

	build_tree();
	p = procscan_new(root, 64);
	ck_assert_ptr_nonnull(p);
	/* 25 sockets wanted: at least 25 readlinks, 9 steps of 3. */
	procscan_want(p, 2002);
	for (i = 0; i < NGINX_FDS; i += 2)
		procscan_want(p, 3000 + i);
	ck_assert(procscan_busy(p));
	ck_assert_uint_eq(procscan_step(p, 1, 0, 60000), 0);
	steps = run_steps(p, 1, BUDGET, 60000);
	ck_assert_uint_ge(steps, (1 + NGINX_FDS / 2) / BUDGET);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.walks, 1);
	ck_assert_uint_eq(st.wishes_dropped, 0);
	ck_assert_uint_le(st.readlinks, all_links());

	ck_assert(procscan_lookup(p, 2002, &o));
	ck_assert_uint_eq(o.pid, 100);
	ck_assert_uint_eq(o.uid, 101);
	ck_assert_str_eq(o.comm, "redis-server");
	ck_assert_str_eq(o.cgroup, "/system.slice/redis-server.service");
	ck_assert_str_eq(o.unit, "redis-server.service");
	ck_assert_str_eq(o.container, "");

	ck_assert(procscan_lookup(p, 3000 + NGINX_FDS - 2, &o));
	ck_assert_uint_eq(o.pid, 200);
	ck_assert_uint_eq(o.uid, 33);
	ck_assert_str_eq(o.comm, "nginx");
	ck_assert_str_eq(o.cgroup, "/system.slice/docker-" HEX64 ".scope");
	ck_assert_str_eq(o.unit, "docker-" HEX64 ".scope");
	ck_assert_str_eq(o.container, "0123456789ab");
	ck_assert(procscan_lookup(p, 3000, &o));
	ck_assert_uint_eq(o.pid, 200);
	procscan_free(p);
}
END_TEST

START_TEST(t_full_walk)
{
	struct procscan_stats st;
	struct proc_owner o;
	struct procscan *p;

	build_tree();
	p = procscan_new(root, 64);
	ck_assert_ptr_nonnull(p);
	procscan_want(p, ABSENT);
	run_steps(p, 1, BUDGET, 60000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.walks, 1);
	ck_assert_uint_eq(st.wishes_dropped, 1);
	ck_assert_uint_eq(st.readlinks, all_links());
	ck_assert_uint_eq(st.cached, all_sockets());
	ck_assert_uint_eq(st.evicted, 0);
	ck_assert(!procscan_lookup(p, ABSENT, &o));
	ck_assert(procscan_lookup(p, 1001, &o));
	ck_assert_uint_eq(o.pid, 1);
	ck_assert_str_eq(o.comm, "systemd");
	ck_assert_str_eq(o.unit, "init.scope");
	ck_assert(procscan_lookup(p, 5001, &o));
	ck_assert_uint_eq(o.uid, 1000);
	ck_assert_str_eq(o.unit, "session-3.scope");
	ck_assert(procscan_lookup(p, 6001, &o));
	ck_assert_uint_eq(o.pid, 600);
	/* Shared by 100 and 600: the first the walk met. */
	ck_assert(procscan_lookup(p, 2001, &o));
	ck_assert_uint_eq(o.pid, first_listed(100, 600));
	ck_assert_str_eq(o.comm, "redis-server");
	/* 700 vanished between its fd dir and its comm. */
	ck_assert(!procscan_lookup(p, 7001, &o));
	ck_assert_uint_eq(procscan_lookup(p, 4001, &o), locked_readable());

	/* The same wish again: a second walk, dropped again. */
	procscan_want(p, ABSENT);
	ck_assert(procscan_busy(p));
	run_steps(p, 2, 1000, 60000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.walks, 2);
	ck_assert_uint_eq(st.wishes_dropped, 2);
	ck_assert_uint_eq(st.readlinks, 2 * all_links());
	ck_assert_uint_eq(st.cached, all_sockets());
	procscan_free(p);
}
END_TEST

/* comm is read once per process and walk: a rename mid-walk shows in
 * the next walk only. */
START_TEST(t_read_once)
{
	struct proc_owner o;
	struct procscan *p;
	unsigned int i, steps = 0;

	build_tree();
	p = procscan_new(root, 64);
	ck_assert_ptr_nonnull(p);
	procscan_want(p, ABSENT);
	for (;;) {
		for (i = 0; i < NGINX_FDS; i += 2)
			if (procscan_lookup(p, 3000 + i, &o))
				break;
		if (i < NGINX_FDS)
			break;
		procscan_step(p, 1, 1, 60000);
		ck_assert_uint_lt(++steps, MAX_STEPS);
	}
	put_file("200/comm", "renamed\n");
	run_steps(p, 1, BUDGET, 60000);
	for (i = 0; i < NGINX_FDS; i += 2) {
		ck_assert(procscan_lookup(p, 3000 + i, &o));
		ck_assert_str_eq(o.comm, "nginx");
	}
	procscan_want(p, ABSENT);
	run_steps(p, 2, BUDGET, 60000);
	ck_assert(procscan_lookup(p, 3000, &o));
	ck_assert_str_eq(o.comm, "renamed");
	procscan_free(p);
}
END_TEST

/* Processes without readable fds use the budget too: 40 of them need
 * 10 steps of 4, not one. */
START_TEST(t_pid_budget)
{
	struct procscan_stats st;
	struct procscan *p;
	char rel[16];
	unsigned int i, steps;

	snprintf(root, sizeof(root), "%s/tXXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(root));
	for (i = 0; i < 40; i++) {
		snprintf(rel, sizeof(rel), "%u", 1000 + i);
		put_dir(rel);
	}
	put_pid(1, "init", 0, "0::/init.scope\n");
	put_socket(1, 3, 1001);
	p = procscan_new(root, 8);
	ck_assert_ptr_nonnull(p);
	procscan_want(p, ABSENT);
	steps = run_steps(p, 1, 4, 60000);
	ck_assert_uint_ge(steps, 10);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.readlinks, 1);
	ck_assert_uint_eq(st.cached, 1);
	procscan_free(p);
}
END_TEST

/* Without CAP_DAC_*: 300's fd dir is EACCES and skipped quietly. */
static int scan_locked(void)
{
	struct procscan_stats st;
	struct proc_owner o;
	struct procscan *p;
	unsigned int steps = 0;
	char path[PATH_MAX];
	int fd, rc = 0;

	if (geteuid() == 0) {
		capng_get_caps_process();
		if (capng_updatev(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
				  CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
				  -1) < 0 ||
		    capng_apply(CAPNG_SELECT_CAPS) < 0)
			return 77;
	}
	snprintf(path, sizeof(path), "%s/300/fd", root);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 77;
	}
	if (errno != EACCES)
		return 2;
	p = procscan_new(root, 64);
	if (p == NULL)
		return 3;
	procscan_want(p, 4001);
	procscan_want(p, 5001);
	while (procscan_busy(p) && steps++ < MAX_STEPS)
		procscan_step(p, 1, BUDGET, 60000);
	procscan_get_stats(p, &st);
	if (procscan_busy(p))
		rc = 4;
	else if (procscan_lookup(p, 4001, &o))
		rc = 5;
	else if (!procscan_lookup(p, 5001, &o) || o.pid != 500)
		rc = 6;
	else if (st.walks != 1 || st.wishes_dropped != 1)
		rc = 7;
	else if (st.readlinks != all_links())
		rc = 8;
	procscan_free(p);
	return rc;
}

START_TEST(t_no_permission)
{
	int status;
	pid_t child;

	build_tree();
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0)
		_exit(scan_locked());
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status));
	/* 77: this environment cannot produce EACCES (e.g. no capng). */
	if (WEXITSTATUS(status) != 77)
		ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* The processes exit while the walk is inside them. */
START_TEST(t_vanish)
{
	static const unsigned int pids[] = { 1,	  100, 200, 300,
					     400, 500, 600, 700 };
	struct procscan_stats st;
	struct procscan *p;
	char path[PATH_MAX];
	unsigned int i;

	build_tree();
	p = procscan_new(root, 64);
	ck_assert_ptr_nonnull(p);
	procscan_want(p, ABSENT);
	step_into_walk(p, 1);
	lock_fd_dir(300, 0755);
	for (i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		snprintf(path, sizeof(path), "%s/%u", root, pids[i]);
		rm_tree(path);
	}
	run_steps(p, 1, BUDGET, 60000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.walks, 1);
	ck_assert_uint_eq(st.wishes_dropped, 1);
	/* At most what the first readlink saw. */
	ck_assert_uint_le(st.cached, 1);
	ck_assert_uint_le(st.readlinks, all_links());
	procscan_free(p);
}
END_TEST

START_TEST(t_capacity)
{
	struct procscan_stats st;
	struct proc_owner o;
	struct procscan *p;

	build_tree();
	p = procscan_new(root, 8);
	ck_assert_ptr_nonnull(p);
	procscan_want(p, ABSENT);
	run_steps(p, 1, BUDGET, 60000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.cached, 8);
	ck_assert_uint_eq(st.evicted, all_sockets() - 8);
	procscan_free(p);

	/* Even one slot holds what was wanted: the walk ends on it. */
	p = procscan_new(root, 1);
	ck_assert_ptr_nonnull(p);
	procscan_want(p, 2002);
	run_steps(p, 1, BUDGET, 60000);
	ck_assert(procscan_lookup(p, 2002, &o));
	ck_assert_uint_eq(o.pid, 100);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.cached, 1);
	procscan_free(p);
}
END_TEST

static void drop_fd(unsigned int pid, unsigned int n)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%u/fd/%u", root, pid, n);
	ck_assert_int_eq(unlink(path), 0);
}

/* Full means the least recently *seen* goes, whatever its insertion
 * order: one process whose fds change between walks. */
START_TEST(t_lru)
{
	struct proc_owner o;
	struct procscan *p;

	snprintf(root, sizeof(root), "%s/tXXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(root));
	put_pid(10, "app", 0, "0::/app.slice\n");
	p = procscan_new(root, 2);
	ck_assert_ptr_nonnull(p);
	put_socket(10, 3, 1);
	procscan_want(p, 1);
	run_steps(p, 1, BUDGET, 60000);
	drop_fd(10, 3);
	put_socket(10, 4, 2);
	procscan_want(p, 2);
	run_steps(p, 2, BUDGET, 60000);
	/* 1 seen again, after 2. */
	drop_fd(10, 4);
	put_socket(10, 3, 1);
	procscan_want(p, ABSENT);
	run_steps(p, 3, BUDGET, 60000);
	drop_fd(10, 3);
	put_socket(10, 5, 3);
	procscan_want(p, 3);
	run_steps(p, 4, BUDGET, 60000);
	ck_assert(procscan_lookup(p, 3, &o));
	ck_assert(procscan_lookup(p, 1, &o));
	ck_assert(!procscan_lookup(p, 2, &o));
	procscan_free(p);
}
END_TEST

START_TEST(t_ttl)
{
	struct procscan_stats st;
	struct proc_owner o;
	struct procscan *p;
	uint64_t n;

	build_tree();
	n = all_sockets();
	p = procscan_new(root, 64);
	ck_assert_ptr_nonnull(p);
	procscan_want(p, ABSENT);
	run_steps(p, 1000, BUDGET, 5000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.cached, n);
	/* Exactly ttl old: kept; one ms more: gone, even without wishes. */
	ck_assert_uint_eq(procscan_step(p, 6000, BUDGET, 5000), 0);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.cached, n);
	ck_assert(procscan_lookup(p, 2002, &o));
	procscan_step(p, 6001, BUDGET, 5000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.cached, 0);
	ck_assert_uint_eq(st.evicted, n);
	ck_assert(!procscan_lookup(p, 2002, &o));

	/* Seen again at 14000: a step at 16000 keeps what was seen. */
	procscan_want(p, ABSENT);
	run_steps(p, 10000, BUDGET, 5000);
	procscan_want(p, ABSENT);
	run_steps(p, 14000, BUDGET, 5000);
	procscan_step(p, 16000, BUDGET, 5000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.cached, n);
	procscan_step(p, 19001, BUDGET, 5000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.cached, 0);
	procscan_free(p);
}
END_TEST

START_TEST(t_wishes)
{
	struct procscan_stats st;
	struct proc_owner o;
	struct procscan *p;
	unsigned int i;

	build_tree();
	p = procscan_new(root, 64);
	ck_assert_ptr_nonnull(p);
	/* Inode 0 is never a file: no wish. */
	procscan_want(p, 0);
	ck_assert(!procscan_busy(p));
	/* Bounded: 300 wishes keep the newest 256. */
	for (i = 0; i < 300; i++)
		procscan_want(p, 100000 + i);
	procscan_want(p, 100000 + 299); /* a duplicate */
	ck_assert(procscan_busy(p));
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.wishes_dropped, 300 - 256);
	run_steps(p, 1, BUDGET, 60000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.wishes_dropped, 300);
	ck_assert_uint_eq(st.walks, 1);
	/* Known already: nothing to do. */
	procscan_want(p, 2002);
	ck_assert(!procscan_busy(p));

	/* A wish made during a walk gets a whole walk of its own. */
	procscan_want(p, ABSENT);
	step_into_walk(p, 2);
	procscan_want(p, ABSENT - 1);
	run_steps(p, 2, BUDGET, 60000);
	procscan_get_stats(p, &st);
	ck_assert_uint_eq(st.walks, 3);
	ck_assert_uint_eq(st.wishes_dropped, 302);
	ck_assert_uint_eq(st.readlinks, 3 * all_links());
	ck_assert(procscan_lookup(p, 5001, &o));
	procscan_free(p);
}
END_TEST

START_TEST(t_fill_cgroup)
{
	struct proc_owner o;
	struct procscan *p;

	build_tree();
	p = procscan_new(root, 4);
	ck_assert_ptr_nonnull(p);
	memset(&o, 'X', sizeof(o));
	o.pid = 200;
	procscan_fill_cgroup(p, &o);
	ck_assert_str_eq(o.cgroup, "/system.slice/docker-" HEX64 ".scope");
	ck_assert_str_eq(o.unit, "docker-" HEX64 ".scope");
	ck_assert_str_eq(o.container, "0123456789ab");
	/* No cgroup file, no process: all empty. */
	o.pid = 400;
	procscan_fill_cgroup(p, &o);
	ck_assert_str_eq(o.cgroup, "");
	ck_assert_str_eq(o.unit, "");
	ck_assert_str_eq(o.container, "");
	/* Longer than read: whole lines only. */
	o.pid = 800;
	procscan_fill_cgroup(p, &o);
	ck_assert_str_eq(o.cgroup, "/system.slice/big.service");
	ck_assert_str_eq(o.unit, "big.service");
	memset(&o, 'X', sizeof(o));
	o.pid = 12345;
	procscan_fill_cgroup(p, &o);
	ck_assert_str_eq(o.cgroup, "");
	ck_assert_str_eq(o.unit, "");
	ck_assert_str_eq(o.container, "");
	procscan_free(p);
	/* Free of nothing is fine. */
	procscan_free(NULL);
}
END_TEST

Suite *procscan_suite(void)
{
	Suite *s = suite_create("procscan");
	TCase *tc = tcase_create("fake proc");

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_test(tc, t_cold);
	tcase_add_test(tc, t_resolve);
	tcase_add_test(tc, t_full_walk);
	tcase_add_test(tc, t_read_once);
	tcase_add_test(tc, t_pid_budget);
	tcase_add_test(tc, t_no_permission);
	tcase_add_test(tc, t_vanish);
	tcase_add_test(tc, t_capacity);
	tcase_add_test(tc, t_lru);
	tcase_add_test(tc, t_ttl);
	tcase_add_test(tc, t_wishes);
	tcase_add_test(tc, t_fill_cgroup);
	suite_add_tcase(s, tc);
	return s;
}
