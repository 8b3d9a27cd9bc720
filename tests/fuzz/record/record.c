/* record: the kernel's own bytes for the fuzz corpora (run by record.sh in
 * a scratch network namespace): NFLOG datagrams, sock_diag answers and
 * perf ring records of tcp:tcp_send_reset, each made by resets and
 * sockets this program creates on loopback. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/perf_event.h>
#include <linux/sock_diag.h>
#include <libnetfilter_log/libnetfilter_log.h>

#include "tcp_states.h"

#define GROUP 5	      /* rules/rstmon.nft's */
#define CLOSED_PORT 9 /* nothing listens in a fresh namespace */
#define BUFLEN (128 * 1024 + 4096)
#define MAX_FILES 4 /* datagrams kept per scenario */

static char buf[BUFLEN];

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "record: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(errno));
	va_end(ap);
	exit(1);
}

static void write_file(const char *dir, const char *name, const void *p,
		       size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0)
		die("%s", path);
	printf("  %s (%zu bytes)\n", path, len);
}

/* Socket addresses of loopback; v4mapped: ::ffff:127.0.0.1. */
static socklen_t loopback(int family, int v4mapped, uint16_t port,
			  struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*s4);
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	if (v4mapped)
		inet_pton(AF_INET6, "::ffff:127.0.0.1", &s6->sin6_addr);
	else
		s6->sin6_addr = in6addr_loopback;
	return sizeof(*s6);
}

/* A listener on loopback (any: the wildcard); its port. */
static int listener(int family, int any, int v6only, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, 0, 0, &ss);
	int fd, one = 1;

	if (any && family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = INADDR_ANY;
	else if (any)
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_any;
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
			   sizeof(v6only));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 8) < 0)
		die("listen");
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* Connect a client of `family` to port; the accepted end in *server. */
static int connect_to(int family, int v4mapped, uint16_t port, int lfd,
		      int *server)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, v4mapped, port, &ss);
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		if (lfd >= 0)
			die("connect");
		close(fd); /* refused: the reset was sent */
		return -1;
	}
	if (lfd >= 0)
		*server = accept(lfd, NULL, NULL);
	return fd;
}

/* A reset sent in softirq context: a SYN to a closed port. */
static void reset_closed(int family, int v4mapped, int n)
{
	while (n-- > 0)
		connect_to(family, v4mapped, CLOSED_PORT, -1, NULL);
}

/* A reset sent by a process: close with SO_LINGER 0 (RST|ACK). */
static void reset_abort(int family)
{
	struct linger lg = { 1, 0 };
	uint16_t port;
	int l, c, s;

	l = listener(family, 0, 0, &port);
	c = connect_to(family, 0, port, l, &s);
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c);
	close(s);
	close(l);
}

struct scenario {
	const char *name;
	void (*run)(void);
};

static void sc_closed4(void)
{
	reset_closed(AF_INET, 0, 1);
}
static void sc_closed6(void)
{
	reset_closed(AF_INET6, 0, 1);
}
static void sc_mapped(void)
{
	reset_closed(AF_INET6, 1, 1);
}
static void sc_abort4(void)
{
	reset_abort(AF_INET);
}
static void sc_abort6(void)
{
	reset_abort(AF_INET6);
}
static void sc_burst(void)
{
	reset_closed(AF_INET, 0, 40);
}

static const struct scenario scenarios[] = {
	{ "closed4", sc_closed4 }, { "closed6", sc_closed6 },
	{ "mapped", sc_mapped },   { "abort4", sc_abort4 },
	{ "abort6", sc_abort6 },   { "burst", sc_burst },
};
#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

/* ---- NFLOG: bound as capture_open() binds (rstmond's defaults). ---- */

struct payload_ctx {
	const char *dir;
	const char *scenario;
	int n;
};

/* The IP packet of each message, for the packet target. */
static int payload_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr[NFULA_MAX + 1] = { NULL };
	struct payload_ctx *pc = data;
	char name[128];

	if (NFNL_MSG_TYPE(nlh->nlmsg_type) != NFULNL_MSG_PACKET ||
	    nflog_nlmsg_parse(nlh, attr) < 0 || attr[NFULA_PAYLOAD] == NULL ||
	    pc->n >= 2)
		return MNL_CB_OK;
	snprintf(name, sizeof(name), "%s-%d", pc->scenario, pc->n++);
	write_file(pc->dir, name, mnl_attr_get_payload(attr[NFULA_PAYLOAD]),
		   mnl_attr_get_payload_len(attr[NFULA_PAYLOAD]));
	return MNL_CB_OK;
}

static void record_nflog(const char *dir, const char *packet_dir)
{
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	char cfg[512], name[128];
	int rcvbuf = 8 << 20;
	unsigned int i;
	ssize_t n;

	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (nl == NULL || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink");
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		   sizeof(rcvbuf));
	nlh = nflog_nlmsg_put_header(cfg, NFULNL_MSG_CONFIG, AF_UNSPEC, GROUP);
	nflog_attr_put_cfg_cmd(nlh, NFULNL_CFG_CMD_BIND);
	nflog_attr_put_cfg_mode(nlh, NFULNL_COPY_PACKET, 0xffff);
	mnl_attr_put_u16(nlh, NFULA_CFG_FLAGS, htons(NFULNL_CFG_F_SEQ));
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(64));
	mnl_attr_put_u32(nlh, NFULA_CFG_TIMEOUT, htonl(1));
	mnl_attr_put_u32(nlh, NFULA_CFG_NLBUFSIZ, htonl(128 * 1024));
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ||
	    mnl_socket_recvfrom(nl, buf, sizeof(buf)) < 0)
		die("NFLOG bind");
	for (i = 0; i < NSCENARIOS; i++) {
		struct payload_ctx pc = { packet_dir, scenarios[i].name, 0 };
		struct pollfd pfd = { mnl_socket_get_fd(nl), POLLIN, 0 };
		int kept = 0;

		scenarios[i].run();
		/* The kernel flushes after 10 ms; wait for every batch. */
		while (poll(&pfd, 1, 300) > 0) {
			n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
			if (n < 0)
				die("recv");
			if (kept >= MAX_FILES)
				continue;
			snprintf(name, sizeof(name), "%s-%d", scenarios[i].name,
				 kept++);
			write_file(dir, name, buf, (size_t)n);
			mnl_cb_run(buf, (size_t)n, 0, 0, payload_cb, &pc);
		}
	}
	mnl_socket_close(nl);
}

/* ---- sock_diag: asked as sockdiag.c asks. ---- */

#define CONN_STATES                                      \
	(((1u << TCPS_MAX) - 1) & ~(1u << TCPS_LISTEN) & \
	 ~(1u << TCPS_SYN_RECV) & ~(1u << TCPS_NEW_SYN_RECV) & ~1u)

static struct nlmsghdr *diag_request(char *b, uint8_t family, uint16_t flags,
				     uint32_t seq,
				     struct inet_diag_req_v2 **req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(b);

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	*req = mnl_nlmsg_put_extra_header(nlh, sizeof(**req));
	(*req)->sdiag_family = family;
	(*req)->sdiag_protocol = IPPROTO_TCP;
	(*req)->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	(*req)->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	return nlh;
}

/* Send, then keep every datagram of the answer (to DONE or an error). */
static void diag_ask(struct mnl_socket *nl, struct nlmsghdr *nlh,
		     const char *dir, const char *what, int dump)
{
	char name[128];
	int i = 0, ret;
	ssize_t n;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("sock_diag send");
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			die("sock_diag recv");
		snprintf(name, sizeof(name), "%s-%d", what, i++);
		write_file(dir, name, buf, (size_t)n);
		ret = mnl_cb_run(buf, (size_t)n, 0, 0, NULL, NULL);
	} while (dump && ret > MNL_CB_STOP);
}

static void diag_lookup(struct mnl_socket *nl, int family, uint16_t lport,
			uint16_t rport, const char *dir, const char *what)
{
	static uint32_t seq = 100;
	struct inet_diag_req_v2 *req;
	struct sockaddr_storage ss;
	struct nlmsghdr *nlh;
	char b[256];
	size_t alen = family == AF_INET6 ? 16 : 4;
	const void *a;

	loopback(family, 0, 0, &ss);
	a = family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)&ss)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr;
	nlh = diag_request(b, (uint8_t)family, NLM_F_REQUEST, seq++, &req);
	req->idiag_states = ~0u;
	req->id.idiag_sport = htons(lport);
	req->id.idiag_dport = htons(rport);
	memcpy(req->id.idiag_src, a, alen);
	memcpy(req->id.idiag_dst, a, alen);
	diag_ask(nl, nlh, dir, what, 0);
}

static uint16_t local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	getsockname(fd, (struct sockaddr *)&ss, &len);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void record_sockdiag(const char *dir)
{
	struct inet_diag_req_v2 *req;
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	uint16_t p1, p2, p3, p4;
	int l1, l2, l3, l4, c1, s1, c2, s2, c3, s3, c4, s4, c5, s5;
	char b[256];

	/* Listeners of every kind attrib.c tells apart. */
	l1 = listener(AF_INET, 1, 0, &p1);
	l2 = listener(AF_INET, 0, 0, &p2);
	l3 = listener(AF_INET6, 1, 0, &p3); /* dual stack */
	l4 = listener(AF_INET6, 0, 1, &p4); /* v6only */
	c1 = connect_to(AF_INET, 0, p1, l1, &s1);
	c2 = connect_to(AF_INET6, 0, p3, l3, &s2);
	c3 = connect_to(AF_INET, 0, p3, l3, &s3); /* v4-mapped */
	/* TIME_WAIT (the closing client) and CLOSE_WAIT/FIN_WAIT2. */
	c4 = connect_to(AF_INET, 0, p2, l2, &s4);
	close(c4);
	usleep(20000);
	close(s4);
	c5 = connect_to(AF_INET6, 0, p4, l4, &s5);
	shutdown(c5, SHUT_WR);
	usleep(100000);

	nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	if (nl == NULL || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("sock_diag");
	nlh = diag_request(b, AF_INET, NLM_F_REQUEST | NLM_F_DUMP, 1, &req);
	req->idiag_states = 1u << TCPS_LISTEN;
	diag_ask(nl, nlh, dir, "listen4", 1);
	nlh = diag_request(b, AF_INET6, NLM_F_REQUEST | NLM_F_DUMP, 2, &req);
	req->idiag_states = 1u << TCPS_LISTEN;
	diag_ask(nl, nlh, dir, "listen6", 1);
	nlh = diag_request(b, AF_INET, NLM_F_REQUEST | NLM_F_DUMP, 3, &req);
	req->idiag_states = CONN_STATES;
	diag_ask(nl, nlh, dir, "conns4", 1);
	nlh = diag_request(b, AF_INET6, NLM_F_REQUEST | NLM_F_DUMP, 4, &req);
	req->idiag_states = CONN_STATES;
	diag_ask(nl, nlh, dir, "conns6", 1);
	/* Exact lookups: a connection, a listener's fallback, nothing. */
	diag_lookup(nl, AF_INET, local_port(c1), p1, dir, "lookup4");
	diag_lookup(nl, AF_INET6, local_port(c2), p3, dir, "lookup6");
	diag_lookup(nl, AF_INET, p2, 40000, dir, "lookup-listener");
	diag_lookup(nl, AF_INET, CLOSED_PORT, 40000, dir, "lookup-none");
	mnl_socket_close(nl);
	close(c1), close(s1), close(c2), close(s2), close(c3), close(s3);
	close(c5), close(s5);
	close(l1), close(l2), close(l3), close(l4);
}

/* ---- perf: the tracepoint opened as trace.c's perf_open() does. ---- */

#define RING_PAGES 16

static int perf_open(uint32_t id, int cpu)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = id;
	a.sample_period = 1;
	a.sample_type = PERF_SAMPLE_RAW | PERF_SAMPLE_TID | PERF_SAMPLE_TIME;
	a.disabled = 1;
	a.use_clockid = 1;
	a.clockid = CLOCK_MONOTONIC;
	a.comm = 1;
	a.comm_exec = 1;
	a.task = 1;
	a.namespaces = 1;
	a.sample_id_all = 1;
	a.watermark = 1;
	a.wakeup_watermark = 4096;
	return (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

/* A child that renames itself, then execs: COMM, FORK, NAMESPACES and
 * EXIT records of processes we made. */
static pid_t spawn_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_NAME, "fuzzrec-child");
		reset_abort(AF_INET);
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid;
}

/*
 * Records of one ring that name a pid of ours (samples, COMM, FORK,
 * EXIT, NAMESPACES all start with u32 pid after the header), in the
 * fuzz target's input format: u16 ring offset, u16 tracepoint id, then
 * the records as the ring holds them.
 */
static size_t ring_records(const uint8_t *data, size_t size, uint64_t tail,
			   uint64_t head, uint32_t id, pid_t self, pid_t child,
			   uint8_t *out, size_t cap)
{
	size_t len = 4;
	uint32_t pid;

	out[0] = 0, out[1] = 0;
	out[2] = (uint8_t)id, out[3] = (uint8_t)(id >> 8);
	while (tail < head) {
		struct perf_event_header h;
		uint8_t rec[1024];
		size_t i;

		for (i = 0; i < sizeof(h); i++)
			((uint8_t *)&h)[i] = data[(tail + i) & (size - 1)];
		if (h.size < sizeof(h) || h.size > sizeof(rec))
			break;
		for (i = 0; i < h.size; i++)
			rec[i] = data[(tail + i) & (size - 1)];
		tail += h.size;
		memcpy(&pid, rec + 8, 4);
		if (h.size >= 16 &&
		    (pid == (uint32_t)self || pid == (uint32_t)child) &&
		    len + h.size <= cap) {
			memcpy(out + len, rec, h.size);
			len += h.size;
		}
	}
	return len;
}

static void record_trace(const char *dir, uint32_t id)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t size = (size_t)page * RING_PAGES;
	static uint8_t out[RING_PAGES * 65536];
	int fds[64], ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), cpu;
	void *rings[64];
	pid_t self = getpid(), child;
	unsigned int i;
	char name[64];

	if (ncpu > 64)
		ncpu = 64;
	for (cpu = 0; cpu < ncpu; cpu++) {
		fds[cpu] = perf_open(id, cpu);
		if (fds[cpu] < 0)
			die("perf_event_open on CPU %d", cpu);
		rings[cpu] = mmap(NULL, (size_t)page + size,
				  PROT_READ | PROT_WRITE, MAP_SHARED, fds[cpu],
				  0);
		if (rings[cpu] == MAP_FAILED)
			die("mmap");
		ioctl(fds[cpu], PERF_EVENT_IOC_ENABLE, 0);
	}
	for (i = 0; i < NSCENARIOS; i++)
		if (strcmp(scenarios[i].name, "burst") != 0)
			scenarios[i].run();
	child = spawn_child();
	usleep(50000);
	for (cpu = 0; cpu < ncpu; cpu++) {
		struct perf_event_mmap_page *meta = rings[cpu];
		uint64_t head =
			__atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
		size_t len;

		ioctl(fds[cpu], PERF_EVENT_IOC_DISABLE, 0);
		len = ring_records((const uint8_t *)rings[cpu] + page, size,
				   meta->data_tail, head, id, self, child, out,
				   sizeof(out));
		if (len > 4) {
			snprintf(name, sizeof(name), "cpu%d", cpu);
			write_file(dir, name, out, len);
		}
		munmap(rings[cpu], (size_t)page + size);
		close(fds[cpu]);
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && strcmp(argv[1], "nflog") == 0)
		record_nflog(argv[2], argv[3]);
	else if (argc == 3 && strcmp(argv[1], "sockdiag") == 0)
		record_sockdiag(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "trace") == 0)
		record_trace(argv[2], (uint32_t)strtoul(argv[3], NULL, 10));
	else {
		fprintf(stderr, "usage: record nflog DIR PACKET_DIR | "
				"sockdiag DIR | trace DIR TRACEPOINT_ID\n");
		return 2;
	}
	return 0;
}
