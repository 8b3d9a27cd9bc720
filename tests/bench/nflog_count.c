/* nflog_count: the floor of tests/bench/throughput.sh — read NFLOG, count. */
/*
 * The socket is set up as src/kernel/capture.c sets up rstmond's (same receive
 * buffer, one BIND+config message with the sequence flag, the same copy
 * mode, queue threshold, flush timeout and kernel buffer) and read the
 * same way (epoll, non-blocking drain of at most --budget datagrams per
 * wakeup), so that the difference to rstmond is what rstmond does with a
 * message, not how it gets it.  Per message only the type and NFULA_SEQ
 * are looked at.
 *
 *   nflog_count [-g GROUP] [--rcvbuf BYTES] [--qthreshold N]
 *               [--flush-timeout MS] [--budget N]
 *
 * Runs until SIGTERM or SIGINT, then prints
 *   received N enobufs M
 *   lost L datagrams D
 * (L: messages missing from the sequence numbers, tail losses excluded).
 * Exit status 0, 1 on a setup or receive error, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <libnetfilter_log/libnetfilter_log.h>

/* As src/kernel/capture.c: the kernel's batch is at most 128 KiB. */
#define BUFLEN (128 * 1024 + 4096)
#define CFG_LEN 512
#define NLBUFSIZ (128 * 1024)

struct counts {
	uint64_t received; /* NFULNL_MSG_PACKET messages */
	uint64_t enobufs;  /* overruns reported by recv */
	uint64_t lost;	   /* sequence numbers skipped */
	uint64_t datagrams;
	uint32_t next_seq; /* the instance numbers from 0 */
};

static void usage(void)
{
	fprintf(stderr,
		"usage: nflog_count [-g GROUP] [--rcvbuf BYTES[K|M]] "
		"[--qthreshold N]\n"
		"                   [--flush-timeout MS] [--budget N]\n");
}

/* "8M", "512K", "65536": bytes; -1 when malformed. */
static long long parse_size(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v <= 0)
		return -1;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end != '\0' || v > (1ll << 30))
		return -1;
	return v;
}

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct counts *c = data;
	const struct nlattr *a;
	uint32_t seq;

	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_ULOG ||
	    NFNL_MSG_TYPE(nlh->nlmsg_type) != NFULNL_MSG_PACKET)
		return MNL_CB_OK;
	c->received++;
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
	{
		if (mnl_attr_get_type(a) != NFULA_SEQ ||
		    mnl_attr_get_payload_len(a) < sizeof(uint32_t))
			continue;
		seq = ntohl(mnl_attr_get_u32(a));
		/* Ahead of what we expected: the difference was dropped. */
		if (seq - c->next_seq < 0x80000000u)
			c->lost += seq - c->next_seq;
		c->next_seq = seq + 1;
		break;
	}
	return MNL_CB_OK;
}

/* Bind and configure in one message, as capture_open does; 0 or -1. */
static int nflog_bind(struct mnl_socket *nl, uint16_t group, uint32_t qthresh,
		      uint32_t flush_cs, char *buf, struct counts *c)
{
	char cfg[CFG_LEN];
	struct nlmsghdr *nlh;
	uint32_t seq = (uint32_t)time(NULL);
	uint32_t portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret;

	nlh = nflog_nlmsg_put_header(cfg, NFULNL_MSG_CONFIG, AF_UNSPEC, group);
	nflog_attr_put_cfg_cmd(nlh, NFULNL_CFG_CMD_BIND);
	nflog_attr_put_cfg_mode(nlh, NFULNL_COPY_PACKET, 0xffff);
	mnl_attr_put_u16(nlh, NFULA_CFG_FLAGS, htons(NFULNL_CFG_F_SEQ));
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(qthresh));
	mnl_attr_put_u32(nlh, NFULA_CFG_TIMEOUT, htonl(flush_cs));
	mnl_attr_put_u32(nlh, NFULA_CFG_NLBUFSIZ, htonl(NLBUFSIZ));
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, BUFLEN);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* Packets may come before the ack: count them too. */
		c->datagrams++;
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, msg_cb, c);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -1 : 0;
	}
}

/* Read up to budget datagrams; 0, or -1 with errno on a hard error. */
static int drain(struct mnl_socket *nl, char *buf, unsigned int budget,
		 struct counts *c)
{
	uint32_t portid = mnl_socket_get_portid(nl);
	unsigned int i;
	ssize_t n;

	for (i = 0; i < budget; i++) {
		n = mnl_socket_recvfrom(nl, buf, BUFLEN);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR || errno == ENOSPC || errno == ESRCH)
				continue;
			if (errno == ENOBUFS) {
				c->enobufs++;
				continue;
			}
			return -1;
		}
		c->datagrams++;
		mnl_cb_run(buf, (size_t)n, 0, portid, msg_cb, c);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "rcvbuf", required_argument, NULL, 'r' },
		{ "qthreshold", required_argument, NULL, 'q' },
		{ "flush-timeout", required_argument, NULL, 't' },
		{ "budget", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* rstmond's defaults (src/core/config.c). */
	long long rcvbuf = 8 << 20;
	unsigned long group = 5, qthresh = 1000, flush_ms = 10, budget = 256;
	struct counts c = { 0 };
	struct epoll_event ev;
	struct mnl_socket *nl;
	sigset_t mask;
	char *buf, *end;
	int opt, fd, sfd, efd, rb;
	bool quit = false;

	while ((opt = getopt_long(argc, argv, "g:h", longopts, NULL)) != -1) {
		unsigned long *u = NULL, hi = 0;

		switch (opt) {
		case 'g':
			u = &group;
			hi = 65535;
			break;
		case 'q':
			u = &qthresh;
			hi = 1000;
			break;
		case 't':
			u = &flush_ms;
			hi = 100;
			break;
		case 'b':
			u = &budget;
			hi = 100000;
			break;
		case 'r':
			rcvbuf = parse_size(optarg);
			if (rcvbuf < 65536) {
				fprintf(stderr,
					"nflog_count: bad --rcvbuf %s\n",
					optarg);
				return 2;
			}
			continue;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
		errno = 0;
		*u = strtoul(optarg, &end, 10);
		if (errno != 0 || end == optarg || *end != '\0' || *u > hi ||
		    (opt != 'g' && *u == 0)) {
			fprintf(stderr, "nflog_count: bad value %s\n", optarg);
			return 2;
		}
	}
	if (optind != argc) {
		usage();
		return 2;
	}

	/* The signals are read from a signalfd in the loop, no handler. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		perror("nflog_count: signalfd");
		return 1;
	}
	buf = malloc(BUFLEN);
	nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (buf == NULL || nl == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nflog_count: netlink socket");
		return 1;
	}
	fd = mnl_socket_get_fd(nl);
	rb = (int)rcvbuf;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rb, sizeof(rb)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof(rb)) < 0) {
		perror("nflog_count: receive buffer");
		return 1;
	}
	/* rstmond rounds the flush timeout up to 1/100 s the same way. */
	if (nflog_bind(nl, (uint16_t)group, (uint32_t)qthresh,
		       (uint32_t)((flush_ms + 9) / 10), buf, &c) < 0) {
		fprintf(stderr,
			"nflog_count: cannot bind NFLOG group %lu: %s\n", group,
			strerror(errno));
		return 1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
	    (efd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		perror("nflog_count: epoll");
		return 1;
	}
	ev.events = EPOLLIN;
	ev.data.fd = fd;
	if (epoll_ctl(efd, EPOLL_CTL_ADD, fd, &ev) < 0)
		goto epoll_fail;
	ev.data.fd = sfd;
	if (epoll_ctl(efd, EPOLL_CTL_ADD, sfd, &ev) < 0)
		goto epoll_fail;

	while (!quit) {
		struct epoll_event evs[2];
		int i, n = epoll_wait(efd, evs, 2, -1);

		if (n < 0 && errno != EINTR)
			goto epoll_fail;
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == sfd) {
				quit = true;
			} else if (drain(nl, buf, (unsigned int)budget, &c) <
				   0) {
				perror("nflog_count: recv");
				return 1;
			}
		}
	}
	/* What is still queued was delivered before the signal: take it. */
	while (drain(nl, buf, (unsigned int)budget, &c) == 0 &&
	       recv(fd, buf, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
		;
	printf("received %llu enobufs %llu\n", (unsigned long long)c.received,
	       (unsigned long long)c.enobufs);
	printf("lost %llu datagrams %llu\n", (unsigned long long)c.lost,
	       (unsigned long long)c.datagrams);
	mnl_socket_close(nl);
	free(buf);
	return 0;
epoll_fail:
	perror("nflog_count: epoll");
	return 1;
}
