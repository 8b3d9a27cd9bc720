/* privops: the privileged helper — its process, its loop, and the daemon's
 * side of each request (privproto.h has the messages). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include "log.h"
#include "nftsock.h"
#include "privdrop.h"
#include "privops.h"
#include "privproto.h"
#include "procfd.h"
#include "ruleset.h"

/* The helper answers within this, or is taken for hung and killed. */
#define PRIVOPS_ANSWER_MS 5000
/* Its fd, after it closed every other it inherited but stdio. */
#define HELPER_FD 3

static const char *const set_names[PRIVOPS_SET_MAX] = {
	[PRIVOPS_RATELIMIT4] = "ratelimit4",
	[PRIVOPS_RATELIMIT6] = "ratelimit6",
	[PRIVOPS_DROP4] = "drop4",
	[PRIVOPS_DROP6] = "drop6",
};

/* --- the helper ------------------------------------------------------- */

struct helper {
	struct nftsock nft;
	bool nft_ok;
	const char *rules_path;
};

static void answer_err(struct privop_ans *a, int e)
{
	a->ret = -1;
	a->err = e;
}

/* One checked request: do it, fill a. */
static void helper_do(struct helper *h, const struct privop_req *r,
		      struct privop_ans *a)
{
	const char *set = r->set < PRIVOPS_SET_MAX ? set_names[r->set] : "";
	size_t klen = privops_set_keylen((enum privops_set)r->set);
	uint8_t keys[PRIVOP_KEYS * 16];
	struct stat st;
	char path[64];
	unsigned int i;
	int ret;

	switch (r->op) {
	case PRIVOP_FD_SOCKETS:
		a->cursor = r->cursor;
		ret = procfd_sockets("/proc", r->pid, &a->cursor, r->budget,
				     a->inodes, PRIVOP_INODES, &a->links);
		if (ret < 0) {
			answer_err(a, errno);
			return;
		}
		a->ret = 0;
		a->n = (uint32_t)ret;
		return;
	case PRIVOP_NETNS:
		snprintf(path, sizeof(path), "/proc/%u/ns/net", r->pid);
		if (stat(path, &st) < 0) {
			answer_err(a, errno);
			return;
		}
		a->value = (uint64_t)st.st_dev;
		a->value2 = (uint64_t)st.st_ino;
		return;
	case PRIVOP_RULES_INSTALL:
		if (h->rules_path == NULL || h->rules_path[0] == '\0') {
			answer_err(a, ENOENT);
			snprintf(a->msg, sizeof(a->msg), "no rules file");
		} else if (ruleset_install(h->rules_path, a->msg,
					   sizeof(a->msg)) < 0) {
			answer_err(a, EINVAL);
		}
		return;
	case PRIVOP_RULES_REMOVE:
		if (ruleset_remove(a->msg, sizeof(a->msg)) < 0)
			answer_err(a, EINVAL);
		return;
	default:
		break;
	}
	if (!h->nft_ok) {
		answer_err(a, EBADF);
		return;
	}
	/* The set's elements, one after the other (4 or 16 bytes each). */
	for (i = 0; i < r->n; i++)
		memcpy(keys + i * klen, r->keys[i], klen);
	switch (r->op) {
	case PRIVOP_COUNTER:
		ret = nftsock_counter_read(&h->nft, NFPROTO_INET, RSTMON_TABLE,
					   RSTMON_COUNTER, &a->value);
		break;
	case PRIVOP_TABLE:
		ret = nftsock_table_handle(&h->nft, NFPROTO_INET, RSTMON_TABLE,
					   &a->value);
		break;
	case PRIVOP_SET_HANDLE:
		ret = nftsock_set_handle(&h->nft, NFPROTO_INET, RSTMON_TABLE,
					 set, &a->value);
		break;
	case PRIVOP_SET_ADD:
		ret = nftsock_set_add(&h->nft, NFPROTO_INET, RSTMON_TABLE, set,
				      keys, klen, r->n, r->timeout_ms);
		break;
	case PRIVOP_SET_DEL:
		ret = nftsock_set_del(&h->nft, NFPROTO_INET, RSTMON_TABLE, set,
				      keys, klen, r->n);
		break;
	default:
		ret = -1;
		errno = EINVAL;
		break;
	}
	if (ret < 0)
		answer_err(a, errno);
	else
		a->ret = ret;
}

/* Serve until the daemon closes its end: exit status of the helper. */
static int helper_serve(struct helper *h)
{
	/* One byte more than a request: a longer message is seen as one. */
	union {
		struct privop_req r;
		uint8_t raw[sizeof(struct privop_req) + 1];
	} in;
	struct privop_ans a;
	const char *why;
	ssize_t n;

	for (;;) {
		n = recv(HELPER_FD, &in, sizeof(in), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? 0 : 1;
		memset(&a, 0, sizeof(a));
		why = privproto_check(&in.r, (size_t)n);
		if (why != NULL) {
			/* Only a daemon that lost its mind sends these. */
			log_warnx("privileged helper: request refused: %s",
				  why);
			answer_err(&a, EINVAL);
			snprintf(a.msg, sizeof(a.msg), "%s", why);
		} else {
			helper_do(h, &in.r, &a);
		}
		if (send(HELPER_FD, &a, sizeof(a), MSG_NOSIGNAL) < 0)
			return errno == EPIPE ? 0 : 1;
	}
}

/* The child, from fork to exit. */
static void helper_main(int fd, const struct privops_params *p)
{
	struct helper h = { .rules_path = p->rules_path };
	char err[512];
	int code;

	/* Nothing of the daemon's but stdio and our socket: no NFLOG, no
	 * control socket, no listener. */
	if (dup2(fd, HELPER_FD) < 0)
		_exit(1);
	close_range(HELPER_FD + 1, ~0u, 0);
	prctl(PR_SET_NAME, "rstmond-priv", 0, 0, 0);
	/* Ctrl-C and the service manager's signals are the daemon's: it
	 * tells us to go by closing our socket, after the last request
	 * (removing the rules at exit). */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	h.nft_ok = nftsock_open(&h.nft) == 0;
	if (privdrop(p->user, err, sizeof(err)) < 0) {
		log_warnx("privileged helper: %s", err);
		_exit(1);
	}
	code = helper_serve(&h);
	if (h.nft_ok)
		nftsock_close(&h.nft);
	_exit(code);
}

int privops_start(struct privops *pv, const struct privops_params *p, char *err,
		  size_t errlen)
{
	int sv[2];
	pid_t pid;

	memset(pv, 0, sizeof(*pv));
	pv->fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "privileged helper: socketpair: %s",
			 strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "privileged helper: fork: %s",
			 strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		helper_main(sv[1], p);
	}
	close(sv[1]);
	pv->fd = sv[0];
	pv->pid = pid;
	pv->alive = true;
	return 0;
}

bool privops_reap(struct privops *pv)
{
	int status;

	if (pv->pid <= 0 || waitpid(pv->pid, &status, WNOHANG) != pv->pid)
		return false;
	pv->exit_status = status;
	pv->pid = 0;
	if (pv->alive)
		log_warnx("privileged helper exited (wait status %#x): "
			  "owners of other users' sockets and the nftables "
			  "actions are off; counting goes on",
			  status);
	pv->alive = false;
	return true;
}

void privops_stop(struct privops *pv, unsigned int wait_ms)
{
	unsigned int waited = 0;

	if (pv->fd >= 0)
		close(pv->fd);
	pv->fd = -1;
	pv->alive = false;
	while (pv->pid > 0 && !privops_reap(pv)) {
		if (waited >= wait_ms) {
			kill(pv->pid, SIGKILL);
			waitpid(pv->pid, &pv->exit_status, 0);
			pv->pid = 0;
			break;
		}
		usleep(10000);
		waited += 10;
	}
}

/* --- the daemon's side ------------------------------------------------ */

/* The helper is gone or hung: everything it did is off from now. */
static void helper_lost(struct privops *pv, const char *why)
{
	if (pv->alive)
		log_warnx("privileged helper %s: owners of other users' "
			  "sockets and the nftables actions are off; "
			  "counting goes on",
			  why);
	pv->alive = false;
	if (pv->fd >= 0)
		close(pv->fd);
	pv->fd = -1;
	if (pv->pid > 0)
		kill(pv->pid, SIGKILL); /* reaped at SIGCHLD */
}

/* Send r, wait for the answer into a; -1 + errno (EPIPE: no helper). */
static int call(struct privops *pv, const struct privop_req *r,
		struct privop_ans *a)
{
	struct pollfd pfd;
	ssize_t n;
	int ready;

	if (!pv->alive || pv->fd < 0) {
		errno = EPIPE;
		return -1;
	}
	pv->requests++;
	if (send(pv->fd, r, sizeof(*r), MSG_NOSIGNAL) != (ssize_t)sizeof(*r)) {
		helper_lost(pv, "is gone");
		errno = EPIPE;
		return -1;
	}
	pfd.fd = pv->fd;
	pfd.events = POLLIN;
	do
		ready = poll(&pfd, 1, PRIVOPS_ANSWER_MS);
	while (ready < 0 && errno == EINTR);
	if (ready <= 0) {
		helper_lost(pv, "does not answer");
		errno = EPIPE;
		return -1;
	}
	do
		n = recv(pv->fd, a, sizeof(*a), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*a)) {
		helper_lost(pv, n == 0 ? "is gone" : "answered nonsense");
		errno = EPIPE;
		return -1;
	}
	a->msg[sizeof(a->msg) - 1] = '\0';
	if (a->ret < 0) {
		pv->failures++;
		errno = a->err > 0 ? a->err : EIO;
		return -1;
	}
	return 0;
}

static void req_init(struct privop_req *r, enum privop op)
{
	memset(r, 0, sizeof(*r));
	r->op = (uint32_t)op;
}

int privops_fd_sockets(void *arg, uint32_t pid, uint64_t *cursor,
		       unsigned int budget, uint64_t *inodes, unsigned int max,
		       unsigned int *links)
{
	struct privops *pv = arg;
	struct privop_req r;
	struct privop_ans a;
	unsigned int n;

	*links = 0;
	req_init(&r, PRIVOP_FD_SOCKETS);
	r.pid = pid;
	r.cursor = *cursor;
	r.budget = budget < PRIVOP_BUDGET_MAX ? budget : PRIVOP_BUDGET_MAX;
	if (r.pid == 0 || r.pid > PRIVOP_PID_MAX || r.budget == 0) {
		errno = EINVAL;
		return -1;
	}
	if (call(pv, &r, &a) < 0)
		return -1;
	/* Trust nothing, not even the helper: stay within our arrays. */
	n = a.n < max ? a.n : max;
	if (n > PRIVOP_INODES)
		n = PRIVOP_INODES;
	memcpy(inodes, a.inodes, n * sizeof(*inodes));
	*cursor = a.cursor;
	*links = a.links;
	return (int)n;
}

int privops_netns_of(void *arg, uint32_t tid, uint64_t *dev, uint64_t *ino)
{
	struct privops *pv = arg;
	struct privop_req r;
	struct privop_ans a;

	req_init(&r, PRIVOP_NETNS);
	r.pid = tid;
	if (tid == 0 || tid > PRIVOP_PID_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (call(pv, &r, &a) < 0)
		return -1;
	*dev = a.value;
	*ino = a.value2;
	return 0;
}

static int call_value(struct privops *pv, enum privop op, uint32_t set,
		      uint64_t *value)
{
	struct privop_req r;
	struct privop_ans a;

	req_init(&r, op);
	r.set = set;
	if (call(pv, &r, &a) < 0)
		return -1;
	*value = a.value;
	return a.ret;
}

int privops_counter_read(struct privops *pv, uint64_t *packets)
{
	return call_value(pv, PRIVOP_COUNTER, 0, packets);
}

int privops_table_handle(struct privops *pv, uint64_t *handle)
{
	return call_value(pv, PRIVOP_TABLE, 0, handle);
}

int privops_set_handle(struct privops *pv, enum privops_set set,
		       uint64_t *handle)
{
	return call_value(pv, PRIVOP_SET_HANDLE, (uint32_t)set, handle);
}

/* Elements in requests of PRIVOP_KEYS; timeouts NULL to delete. */
static int set_elems(struct privops *pv, enum privops_set set,
		     const uint8_t *keys, unsigned int n,
		     const uint64_t *timeouts_ms)
{
	size_t klen = privops_set_keylen(set);
	struct privop_req r;
	struct privop_ans a;
	unsigned int i, k;
	int ret = 0;

	for (i = 0; i < n; i += k) {
		req_init(&r,
			 timeouts_ms != NULL ? PRIVOP_SET_ADD : PRIVOP_SET_DEL);
		r.set = (uint32_t)set;
		for (k = 0; k < PRIVOP_KEYS && i + k < n; k++) {
			memcpy(r.keys[k], keys + (i + k) * klen, klen);
			if (timeouts_ms != NULL)
				r.timeout_ms[k] = timeouts_ms[i + k];
		}
		r.n = k;
		if (call(pv, &r, &a) < 0)
			ret = -1;
	}
	return ret;
}

int privops_set_add(struct privops *pv, enum privops_set set,
		    const uint8_t *keys, unsigned int n,
		    const uint64_t *timeouts_ms)
{
	return set_elems(pv, set, keys, n, timeouts_ms);
}

int privops_set_del(struct privops *pv, enum privops_set set,
		    const uint8_t *keys, unsigned int n)
{
	return set_elems(pv, set, keys, n, NULL);
}

static int call_rules(struct privops *pv, enum privop op, char *err,
		      size_t errlen)
{
	struct privop_req r;
	struct privop_ans a;

	req_init(&r, op);
	if (call(pv, &r, &a) == 0)
		return 0;
	if (errno == EPIPE)
		snprintf(err, errlen, "the privileged helper is gone");
	else
		snprintf(err, errlen, "%s", a.msg);
	return -1;
}

int privops_rules_install(struct privops *pv, char *err, size_t errlen)
{
	return call_rules(pv, PRIVOP_RULES_INSTALL, err, errlen);
}

int privops_rules_remove(struct privops *pv, char *err, size_t errlen)
{
	return call_rules(pv, PRIVOP_RULES_REMOVE, err, errlen);
}
