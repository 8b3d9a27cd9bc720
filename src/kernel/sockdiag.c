/* sockdiag: NETLINK_SOCK_DIAG (inet_diag) — exact lookups and dumps. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "nlreq.h"
#include "sockdiag.h"

/* A dump datagram holds many sockets; size as ss does. */
#define SOCKDIAG_BUFLEN (32 * 1024)

int sockdiag_open(struct sockdiag *sd)
{
	int saved;

	memset(sd, 0, sizeof(*sd));
	sd->buf = malloc(SOCKDIAG_BUFLEN);
	if (sd->buf == NULL)
		return -1;
	sd->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (sd->nl == NULL)
		goto fail;
	if (mnl_socket_bind(sd->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	sd->portid = mnl_socket_get_portid(sd->nl);
	sd->seq = 1;
	return 0;
fail:
	saved = errno;
	sockdiag_close(sd);
	errno = saved;
	return -1;
}

void sockdiag_close(struct sockdiag *sd)
{
	if (sd->nl != NULL)
		mnl_socket_close(sd->nl);
	sd->nl = NULL;
	free(sd->buf);
	sd->buf = NULL;
}

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, INET_DIAG_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

/* Fill si from one answer; -1 when the message is too short. */
static int parse_msg(const struct nlmsghdr *nlh, struct sockinfo *si)
{
	const struct nlattr *tb[INET_DIAG_MAX + 1] = { NULL };
	const struct inet_diag_msg *m;
	size_t alen;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*m))
		return -1;
	m = mnl_nlmsg_get_payload(nlh);
	memset(si, 0, sizeof(*si));
	si->family = m->idiag_family;
	si->state = m->idiag_state;
	alen = si->family == AF_INET6 ? 16 : 4;
	memcpy(si->src, m->id.idiag_src, alen);
	memcpy(si->dst, m->id.idiag_dst, alen);
	si->sport = ntohs(m->id.idiag_sport);
	si->dport = ntohs(m->id.idiag_dport);
	si->uid = m->idiag_uid;
	si->inode = m->idiag_inode;
	si->rqueue = m->idiag_rqueue;
	si->wqueue = m->idiag_wqueue;
	si->cookie = (uint64_t)m->id.idiag_cookie[1] << 32 |
		     m->id.idiag_cookie[0];
	mnl_attr_parse(nlh, sizeof(*m), attr_cb, tb);
	if (tb[INET_DIAG_CGROUP_ID] != NULL &&
	    mnl_attr_get_payload_len(tb[INET_DIAG_CGROUP_ID]) >= 8) {
		memcpy(&si->cgroup_id,
		       mnl_attr_get_payload(tb[INET_DIAG_CGROUP_ID]), 8);
		si->has_cgroup = true;
	}
	if (tb[INET_DIAG_SKV6ONLY] != NULL &&
	    mnl_attr_get_payload_len(tb[INET_DIAG_SKV6ONLY]) >= 1)
		si->v6only = *(const uint8_t *)mnl_attr_get_payload(
				     tb[INET_DIAG_SKV6ONLY]) != 0;
	return 0;
}

struct dump_ctx {
	void (*cb)(const struct sockinfo *si, void *arg);
	void *arg;
	struct sockinfo *one; /* lookup: the single answer */
	int count;
};

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct sockinfo si;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return MNL_CB_OK;
	if (parse_msg(nlh, d->one != NULL ? d->one : &si) < 0)
		return MNL_CB_ERROR;
	d->count++;
	if (d->cb != NULL)
		d->cb(&si, d->arg);
	return MNL_CB_OK;
}

/* A lookup answers one message and no DONE. */
static bool lookup_done(void *arg)
{
	const struct dump_ctx *d = arg;

	return d->one != NULL && d->count > 0;
}

static int sockdiag_run(struct sockdiag *sd, struct nlmsghdr *nlh,
			struct dump_ctx *d)
{
	return nlreq_run(sd->nl, nlh, sd->buf, SOCKDIAG_BUFLEN, msg_cb, d,
			 lookup_done);
}

static struct nlmsghdr *put_request(struct sockdiag *sd, uint8_t family,
				    uint16_t flags,
				    struct inet_diag_req_v2 **req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(sd->buf);

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = sd->seq++;
	*req = mnl_nlmsg_put_extra_header(nlh, sizeof(**req));
	(*req)->sdiag_family = family;
	(*req)->sdiag_protocol = IPPROTO_TCP;
	(*req)->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	(*req)->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	return nlh;
}

int sockdiag_lookup(struct sockdiag *sd, uint8_t family, const uint8_t *local,
		    uint16_t lport, const uint8_t *remote, uint16_t rport,
		    struct sockinfo *out)
{
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	struct dump_ctx d = { NULL, NULL, out, 0 };
	size_t alen = family == AF_INET6 ? 16 : 4;

	nlh = put_request(sd, family, NLM_F_REQUEST, &req);
	req->idiag_states = ~0u;
	req->id.idiag_sport = htons(lport);
	req->id.idiag_dport = htons(rport);
	memcpy(req->id.idiag_src, local, alen);
	memcpy(req->id.idiag_dst, remote, alen);
	sd->lookups++;
	if (sockdiag_run(sd, nlh, &d) < 0) {
		if (errno != ENOENT)
			sd->errors++;
		return -1;
	}
	if (d.count == 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int sockdiag_dump(struct sockdiag *sd, uint8_t family, uint32_t states,
		  void (*cb)(const struct sockinfo *si, void *arg), void *arg)
{
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	struct dump_ctx d = { cb, arg, NULL, 0 };

	nlh = put_request(sd, family, NLM_F_REQUEST | NLM_F_DUMP, &req);
	req->idiag_states = states;
	sd->dumps++;
	if (sockdiag_run(sd, nlh, &d) < 0) {
		sd->errors++;
		return -1;
	}
	sd->dumped += (uint64_t)d.count;
	return d.count;
}
