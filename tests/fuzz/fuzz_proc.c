/*
 * fuzz_proc: the /proc texts rstmond parses, through the daemon's own
 * entry points and its replay seams (a fake proc root, a memfd for the
 * counter files).  The first byte picks the parser; the rest is the text:
 *   0  /proc/net/snmp and netstat: kcounters_out_rsts(), kcounters_credit()
 *      (procnet_parse() on what they pread);
 *   1  /proc/PID/cgroup: procscan_fill_cgroup() (cgroup_path_from_proc(),
 *      cgroup_unit(), cgroup_container());
 *   2  comm NUL status NUL cgroup [NUL fd link target] of a process:
 *      procscan_step() over a fake proc root, which reads them as for a
 *      socket owner (static read_owner(), parse_uid(), parse_socket());
 *   3  a cgroup path: cgroup_unit(), cgroup_container() and
 *      cgroup_path_from_proc() into buffers of the size the second byte
 *      gives, allocated exactly so that ASan sees any overflow.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "credits.h"
#include "kcounters.h"
#include "procscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAKE_PID 1
#define FAKE_INODE 4242
#define FAKE_LINK "socket:[4242]"

static char root[PATH_MAX];
static int memfd = -1;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_proc: %s: %s\n", what, strerror(errno));
	abort();
}

static void put_file(const char *name, const uint8_t *p, size_t len)
{
	char path[PATH_MAX + 64];
	int fd;

	snprintf(path, sizeof(path), "%s/%u/%s", root, FAKE_PID, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (len > 0 && write(fd, p, len) != (ssize_t)len))
		fail(path);
	close(fd);
}

static void put_link(const char *target)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%u/fd/3", root, FAKE_PID);
	if (unlink(path) < 0 && errno != ENOENT)
		fail(path);
	/* An empty or over-long target cannot be made: no link then. */
	if (symlink(target, path) < 0 && errno != ENOENT &&
	    errno != ENAMETOOLONG)
		fail(path);
}

static void cleanup(void)
{
	char cmd[PATH_MAX + 16];

	if (root[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_proc: could not remove %s\n", root);
}

/* The fake proc root: ROOT/1/{comm,status,cgroup,fd/3}. */
static void setup(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	char path[PATH_MAX + 64];

	snprintf(root, sizeof(root), "%s/rstmon-fuzz-proc.XXXXXX", tmp);
	if (mkdtemp(root) == NULL)
		fail(root);
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/%u", root, FAKE_PID);
	if (mkdir(path, 0700) < 0)
		fail(path);
	snprintf(path, sizeof(path), "%s/%u/fd", root, FAKE_PID);
	if (mkdir(path, 0700) < 0)
		fail(path);
	put_link(FAKE_LINK);
	memfd = memfd_create("fuzz_proc", MFD_CLOEXEC);
	if (memfd < 0)
		fail("memfd_create");
}

/* A string field of the owner must end within its array. */
#define CHECK_STR(a)                                      \
	do {                                              \
		if (strnlen((a), sizeof(a)) == sizeof(a)) \
			abort();                          \
	} while (0)

static void check_owner(const struct proc_owner *o)
{
	CHECK_STR(o->comm);
	CHECK_STR(o->unit);
	CHECK_STR(o->container);
	CHECK_STR(o->cgroup);
	if (o->cgroup[0] != '\0' && o->cgroup[0] != '/')
		abort();
}

static void fuzz_counters(const uint8_t *p, size_t len)
{
	static struct kcounters k;
	struct credits cr;
	uint64_t d1 = 1, d2 = 1;
	int i, r1, r2;

	if (ftruncate(memfd, 0) < 0 ||
	    (len > 0 && pwrite(memfd, p, len, 0) != (ssize_t)len))
		fail("memfd");
	memset(&k, 0, sizeof(k));
	k.snmp_fd = k.netstat_fd = memfd;
	credits_init(&cr, 1000);
	/* Twice over the same text: nothing may have moved. */
	r1 = kcounters_out_rsts(&k, &d1);
	r2 = kcounters_out_rsts(&k, &d2);
	if (r1 != r2 || (r1 == 0 && (d1 != 0 || d2 != 0)))
		abort();
	if (kcounters_credit(&k, &cr, 5000) < 0 ||
	    kcounters_credit(&k, &cr, 5001) < 0)
		abort();
	for (i = 0; i < CR_MAX; i++)
		if (cr.n[i] != 0)
			abort();
}

static void fuzz_cgroup_file(const uint8_t *p, size_t len, struct procscan *ps)
{
	struct proc_owner o;

	put_file("cgroup", p, len);
	memset(&o, 0, sizeof(o));
	o.pid = FAKE_PID;
	procscan_fill_cgroup(ps, &o);
	check_owner(&o);
}

/* The next NUL-separated part of [*p, end). */
static const uint8_t *part(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *s = *p, *nul;

	if (s == NULL || s > end)
		return NULL;
	nul = memchr(s, '\0', (size_t)(end - s));
	*len = (size_t)((nul != NULL ? nul : end) - s);
	*p = nul != NULL ? nul + 1 : NULL;
	return s;
}

static void fuzz_owner(const uint8_t *p, size_t len)
{
	const uint8_t *cur = p, *end = p + len, *s;
	struct procscan_stats st;
	struct proc_owner o;
	struct procscan *ps;
	char target[128];
	size_t n = 0;

	s = part(&cur, end, &n);
	put_file("comm", s, s != NULL ? n : 0);
	s = part(&cur, end, &n);
	put_file("status", s, s != NULL ? n : 0);
	s = part(&cur, end, &n);
	put_file("cgroup", s, s != NULL ? n : 0);
	s = part(&cur, end, &n);
	if (s != NULL && n < sizeof(target)) {
		memcpy(target, s, n);
		target[n] = '\0';
		put_link(target);
	} else {
		put_link(FAKE_LINK);
	}

	ps = procscan_new(root, 4);
	if (ps == NULL)
		abort();
	procscan_want(ps, FAKE_INODE);
	(void)procscan_busy(ps);
	procscan_step(ps, 1000, 64, 60000);
	if (procscan_lookup(ps, FAKE_INODE, &o)) {
		check_owner(&o);
		if (o.pid != FAKE_PID)
			abort();
	}
	procscan_get_stats(ps, &st);
	if (st.cached > 4)
		abort();
	procscan_free(ps);
}

static void fuzz_path(const uint8_t *p, size_t len)
{
	size_t outlen;
	char *path, *out;

	if (len < 1)
		return;
	outlen = p[0];
	path = malloc(len);
	out = malloc(outlen > 0 ? outlen : 1);
	if (path == NULL || out == NULL)
		abort();
	memcpy(path, p + 1, len - 1);
	path[len - 1] = '\0';
	if (cgroup_unit(path, out, outlen) == 0 && strlen(out) >= outlen)
		abort();
	if (cgroup_container(path, out, outlen) == 0 && strlen(out) >= outlen)
		abort();
	if (cgroup_path_from_proc(path, out, outlen) == 0 &&
	    strlen(out) >= outlen)
		abort();
	free(out);
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct procscan *ps;

	if (memfd < 0) {
		setup();
		ps = procscan_new(root, 4);
		if (ps == NULL)
			abort();
	}
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_counters(data + 1, size - 1);
		break;
	case 1:
		fuzz_cgroup_file(data + 1, size - 1, ps);
		break;
	case 2:
		fuzz_owner(data + 1, size - 1);
		break;
	default:
		fuzz_path(data + 1, size - 1);
		break;
	}
	return 0;
}
