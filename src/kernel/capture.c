/* capture: the NFLOG netlink socket — bind, configure, drain, count loss. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <libnetfilter_log/libnetfilter_log.h>

#include "clock.h"
#include "capture.h"
#include "nlcheck.h"

/* The kernel caps its batch buffer at 128 KiB; one datagram fits here. */
#define CAPTURE_BUFLEN (128 * 1024 + 4096)
/* Room for the one config message. */
#define CAPTURE_CFG_LEN 512
/* Datagrams that arrive before the bind's answer are held as bytes, up
 * to this; beyond, they are lost (and counted: sequence gaps). */
#define CAPTURE_HOLD_MAX (1024 * 1024)

/* A held datagram: its receipt time, its length, then its bytes. */
struct held_hdr {
	struct timespec wall;
	uint64_t mono_ns;
	size_t len;
};

struct input_ctx {
	struct capture *c;
	const struct timespec *now;
	uint64_t now_mono_ns;
};

static int capture_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct input_ctx *in = data;
	struct capture *c = in->c;
	struct rst_event ev;
	enum packet_result r;

	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_ULOG ||
	    NFNL_MSG_TYPE(nlh->nlmsg_type) != NFULNL_MSG_PACKET) {
		c->other_msgs++;
		return MNL_CB_OK;
	}
	r = packet_parse_nflog(nlh, in->now, in->now_mono_ns, &ev);
	/* Account the sequence number even when the payload is bad. */
	if (ev.has_seq)
		seqtrack_seen(&c->seq, ev.nflog_seq);
	else
		c->no_seq++;
	if (r != PACKET_OK) {
		c->skipped[r]++;
		return MNL_CB_OK;
	}
	c->events++;
	c->batch[c->nbatch++] = ev;
	if (c->nbatch == CAPTURE_MAX_BATCH) {
		c->on_event(c->batch, c->nbatch, c->arg);
		c->nbatch = 0;
	}
	return MNL_CB_OK;
}

static void capture_flush(struct capture *c)
{
	if (c->nbatch > 0)
		c->on_event(c->batch, c->nbatch, c->arg);
	c->nbatch = 0;
}

void capture_input(struct capture *c, const void *buf, size_t len,
		   const struct timespec *now, uint64_t now_mono_ns)
{
	struct input_ctx in = { c, now, now_mono_ns };

	c->datagrams++;
	if (!nl_datagram_ok(buf, len)) {
		c->bad_datagrams++;
		return;
	}
	/*
	 * mnl_cb_run checks every nlmsg_len against the datagram and stops
	 * at NLMSG_DONE, which ends each batch.  An error message in the
	 * middle of a batch is not expected; the rest is then skipped.
	 */
	mnl_cb_run(buf, len, 0, c->portid, capture_msg_cb, &in);
	capture_flush(c);
}

static int now_both(struct timespec *wall, uint64_t *mono_ns)
{
	struct timespec m;

	clock_gettime(CLOCK_REALTIME, wall);
	clock_gettime(CLOCK_MONOTONIC, &m);
	*mono_ns = (uint64_t)m.tv_sec * 1000000000u + (uint64_t)m.tv_nsec;
	return 0;
}

/*
 * Keep a datagram that came while binding, unread: nothing an outsider
 * sent is parsed before the daemon gives up its privileges.  Handed on
 * by the first capture_drain().
 */
static void hold(struct capture *c, size_t len, const struct timespec *wall,
		 uint64_t mono)
{
	struct held_hdr h = { *wall, mono, len };
	size_t need = sizeof(h) + len;
	char *p;

	if (c->held_len + need > CAPTURE_HOLD_MAX)
		return;
	p = realloc(c->held, c->held_len + need);
	if (p == NULL)
		return;
	c->held = p;
	memcpy(c->held + c->held_len, &h, sizeof(h));
	memcpy(c->held + c->held_len + sizeof(h), c->buf, len);
	c->held_len += need;
}

static void held_input(struct capture *c)
{
	struct held_hdr h;
	size_t pos = 0;

	while (pos + sizeof(h) <= c->held_len) {
		memcpy(&h, c->held + pos, sizeof(h));
		pos += sizeof(h);
		capture_input(c, c->held + pos, h.len, &h.wall, h.mono_ns);
		pos += h.len;
	}
	free(c->held);
	c->held = NULL;
	c->held_len = 0;
}

/*
 * The answer to our config message in this datagram: 1 for an ack, -1
 * with errno for an error, 0 when it holds none; *others: it holds other
 * messages too (packets).  Only the netlink headers are read.
 */
static int config_answer(const void *buf, size_t len, uint32_t seq,
			 bool *others)
{
	const struct nlmsghdr *nlh = buf;
	const struct nlmsgerr *e;
	int left = (int)len, ret = 0;

	*others = false;
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_seq != seq) {
			*others = true;
			continue;
		}
		if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e)) {
			errno = EBADMSG;
			ret = -1;
			continue;
		}
		e = mnl_nlmsg_get_payload(nlh);
		if (e->error == 0) {
			ret = 1;
		} else {
			errno = e->error < 0 ? -e->error : EPROTO;
			ret = -1;
		}
	}
	return ret;
}

/* Send one config message and wait for its answer, holding packets. */
static int capture_config(struct capture *c, struct nlmsghdr *nlh)
{
	uint32_t seq = (uint32_t)time(NULL);
	struct timespec now;
	uint64_t mono;
	bool others;
	ssize_t n;
	int ret, e;

	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(c->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(c->nl, c->buf, c->buflen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		now_both(&now, &mono);
		if (!nl_datagram_ok(c->buf, (size_t)n)) {
			c->datagrams++;
			c->bad_datagrams++;
			continue;
		}
		ret = config_answer(c->buf, (size_t)n, seq, &others);
		e = errno;
		if (others)
			hold(c, (size_t)n, &now, mono);
		if (ret != 0) {
			errno = e;
			return ret < 0 ? -1 : 0;
		}
	}
}

int capture_open(struct capture *c, const struct capture_params *p,
		 capture_event_fn on_event, capture_batch_fn on_batch_end,
		 void *arg, char *err, size_t errlen)
{
	char cfg[CAPTURE_CFG_LEN];
	struct nlmsghdr *nlh;
	int fd, saved;

	memset(c, 0, sizeof(*c));
	seqtrack_init(&c->seq);
	c->group = p->group;
	c->on_event = on_event;
	c->on_batch_end = on_batch_end;
	c->arg = arg;
	c->buflen = CAPTURE_BUFLEN;
	c->buf = malloc(c->buflen);
	c->batch = calloc(CAPTURE_MAX_BATCH, sizeof(*c->batch));
	if (c->buf == NULL || c->batch == NULL) {
		snprintf(err, errlen, "out of memory");
		capture_close(c);
		return -1;
	}
	c->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (c->nl == NULL) {
		snprintf(err, errlen, "netlink socket: %s", strerror(errno));
		goto fail;
	}
	if (mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "netlink bind: %s", strerror(errno));
		goto fail;
	}
	c->portid = mnl_socket_get_portid(c->nl);
	fd = mnl_socket_get_fd(c->nl);
	/* FORCE ignores rmem_max; it needs CAP_NET_ADMIN, which we have. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &p->rcvbuf,
		       sizeof(p->rcvbuf)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &p->rcvbuf,
		       sizeof(p->rcvbuf)) < 0) {
		snprintf(err, errlen, "receive buffer of %d bytes: %s",
			 p->rcvbuf, strerror(errno));
		goto fail;
	}

	/* Bind and configure in one message: no packet logged unnumbered. */
	nlh = nflog_nlmsg_put_header(cfg, NFULNL_MSG_CONFIG, AF_UNSPEC,
				     p->group);
	nflog_attr_put_cfg_cmd(nlh, NFULNL_CFG_CMD_BIND);
	nflog_attr_put_cfg_mode(nlh, NFULNL_COPY_PACKET, 0xffff);
	mnl_attr_put_u16(nlh, NFULA_CFG_FLAGS, htons(NFULNL_CFG_F_SEQ));
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(p->qthreshold));
	mnl_attr_put_u32(nlh, NFULA_CFG_TIMEOUT, htonl(p->flush_cs));
	mnl_attr_put_u32(nlh, NFULA_CFG_NLBUFSIZ, htonl(p->nlbufsiz));
	if (capture_config(c, nlh) < 0) {
		if (errno == EPERM)
			snprintf(err, errlen,
				 "cannot bind NFLOG group %u: %s: another "
				 "program (ulogd2, tcpdump -i nflog:%u, "
				 "another rstmond) holds the group in this "
				 "network namespace, or rstmond lacks "
				 "CAP_NET_ADMIN (run it as root); choose "
				 "another group with -g and the rules' "
				 "log group",
				 p->group, strerror(errno), p->group);
		else
			snprintf(err, errlen, "cannot bind NFLOG group %u: %s",
				 p->group, strerror(errno));
		goto fail;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		snprintf(err, errlen, "netlink O_NONBLOCK: %s",
			 strerror(errno));
		goto fail;
	}
	return 0;
fail:
	saved = errno;
	capture_close(c);
	errno = saved;
	return -1;
}

void capture_close(struct capture *c)
{
	/* Closing the socket frees the group; no UNBIND needed. */
	if (c->nl != NULL)
		mnl_socket_close(c->nl);
	c->nl = NULL;
	free(c->held);
	c->held = NULL;
	c->held_len = 0;
	free(c->buf);
	c->buf = NULL;
	free(c->batch);
	c->batch = NULL;
}

int capture_fd(const struct capture *c)
{
	return mnl_socket_get_fd(c->nl);
}

/*
 * Up to budget datagrams, until the socket is empty or the monotonic
 * clock passes until_ns (checked per datagram: at most one more).
 */
static int drain(struct capture *c, unsigned int budget, uint64_t until_ns)
{
	unsigned int i;
	ssize_t n;
	int got = 0;

	if (c->held != NULL) {
		held_input(c);
		got++;
	}
	for (i = 0; i < budget; i++) {
		struct timespec wall;
		uint64_t mono;

		n = mnl_socket_recvfrom(c->nl, c->buf, c->buflen);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* Batches were dropped; the next sequence
				 * number tells how many messages. */
				c->enobufs++;
				continue;
			}
			if (errno == ENOSPC) {
				c->truncated++;
				continue;
			}
			if (errno == ESRCH) /* not from the kernel */
				continue;
			if (got > 0 && c->on_batch_end)
				c->on_batch_end(c->arg);
			return -1;
		}
		/* One stamp per datagram: every message in it arrived
		 * together, at most one flush timeout after it was sent. */
		now_both(&wall, &mono);
		capture_input(c, c->buf, (size_t)n, &wall, mono);
		got++;
		if (mono >= until_ns)
			break;
	}
	if (got > 0 && c->on_batch_end)
		c->on_batch_end(c->arg);
	return got;
}

int capture_drain(struct capture *c, unsigned int budget)
{
	return drain(c, budget,
		     clock_mono_ns() +
			     (uint64_t)CAPTURE_DRAIN_MAX_MS * 1000000u);
}

uint64_t capture_skim(struct capture *c, const void *buf, size_t len)
{
	const size_t hdr = MNL_NLMSG_HDRLEN + sizeof(struct nfgenmsg);
	const struct nlmsghdr *nlh = buf;
	uint64_t before = c->seq.lost;
	int left = (int)len; /* one datagram: far below INT_MAX */

	c->datagrams++;
	if (!nl_datagram_ok(buf, len)) {
		c->bad_datagrams++;
		return 0;
	}
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		const struct nlattr *attr[PACKET_NFULA_SLOTS] = { NULL };
		uint32_t ahead;

		if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_ULOG ||
		    NFNL_MSG_TYPE(nlh->nlmsg_type) != NFULNL_MSG_PACKET ||
		    nlh->nlmsg_len < hdr || packet_nflog_attrs(nlh, attr) < 0 ||
		    attr[NFULA_SEQ] == NULL)
			continue;
		/* As seqtrack reads numbers: behind `next` was counted. */
		ahead = ntohl(mnl_attr_get_u32(attr[NFULA_SEQ])) -
			(uint32_t)c->seq.next;
		if (ahead < 0x80000000u)
			seqtrack_reconcile(&c->seq, c->seq.next + ahead + 1);
	}
	c->left += c->seq.lost - before;
	return c->seq.lost - before;
}

int capture_drain_final(struct capture *c, unsigned int max_ms)
{
	uint64_t end = clock_mono_ns() + (uint64_t)max_ms * 1000000u;
	uint64_t skim_end = end + (uint64_t)max_ms * 250000u;
	int got = 0, n;
	ssize_t r;

	/* In rounds: on_batch_end (events file, followers) between them. */
	do {
		n = drain(c, 256, end);
		if (n < 0)
			return -1;
		got += n;
	} while (n > 0 && clock_mono_ns() < end);
	if (n == 0)
		return got; /* empty: nothing left behind */
	while (clock_mono_ns() < skim_end) {
		r = mnl_socket_recvfrom(c->nl, c->buf, c->buflen);
		if (r >= 0) {
			capture_skim(c, c->buf, (size_t)r);
			continue;
		}
		if (errno == ENOBUFS)
			c->enobufs++; /* the next number shows the gap */
		else if (errno == ENOSPC)
			c->truncated++;
		else if (errno != EINTR && errno != ESRCH)
			break; /* EAGAIN: all skimmed */
	}
	return got;
}

bool capture_idle(const struct capture *c)
{
	char b;
	ssize_t n;

	n = recv(mnl_socket_get_fd(c->nl), &b, 1, MSG_PEEK | MSG_DONTWAIT);
	return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

uint64_t capture_skipped_total(const struct capture *c)
{
	uint64_t sum = 0;
	int i;

	for (i = 1; i < PACKET_E_MAX; i++)
		sum += c->skipped[i];
	return sum;
}
