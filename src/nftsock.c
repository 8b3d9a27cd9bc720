/* nftsock: in-process nf_tables requests over netlink (libnftnl + libmnl). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/object.h>

#include "nftsock.h"

#define NFTSOCK_BUFLEN MNL_SOCKET_BUFFER_SIZE

int nftsock_open(struct nftsock *s)
{
	int saved;

	memset(s, 0, sizeof(*s));
	s->buf = malloc(NFTSOCK_BUFLEN);
	if (s->buf == NULL)
		return -1;
	s->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (s->nl == NULL)
		goto fail;
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	s->portid = mnl_socket_get_portid(s->nl);
	s->seq = 1;
	return 0;
fail:
	saved = errno;
	nftsock_close(s);
	errno = saved;
	return -1;
}

void nftsock_close(struct nftsock *s)
{
	if (s->nl != NULL)
		mnl_socket_close(s->nl);
	s->nl = NULL;
	free(s->buf);
	s->buf = NULL;
}

static int counter_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_obj *obj = data;

	if (nftnl_obj_nlmsg_parse(nlh, obj) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

/* Send one request and run cb over the answer until the ack. */
static int nftsock_request(struct nftsock *s, struct nlmsghdr *nlh,
			   mnl_cb_t cb, void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(s->nl, s->buf, NFTSOCK_BUFLEN);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		ret = mnl_cb_run(s->buf, (size_t)n, seq, s->portid, cb, data);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -1 : 0;
	}
}

int nftsock_counter_read(struct nftsock *s, uint32_t family,
			 const char *table, const char *name,
			 uint64_t *packets)
{
	struct nftnl_obj *obj;
	struct nlmsghdr *nlh;
	int ret, saved;

	obj = nftnl_obj_alloc();
	if (obj == NULL)
		return -1;
	nftnl_obj_set_str(obj, NFTNL_OBJ_TABLE, table);
	nftnl_obj_set_str(obj, NFTNL_OBJ_NAME, name);
	nftnl_obj_set_u32(obj, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nlh = nftnl_nlmsg_build_hdr(s->buf, NFT_MSG_GETOBJ, (uint16_t)family,
				    NLM_F_ACK, s->seq++);
	nftnl_obj_nlmsg_build_payload(nlh, obj);
	nftnl_obj_free(obj);

	obj = nftnl_obj_alloc();
	if (obj == NULL)
		return -1;
	ret = nftsock_request(s, nlh, counter_cb, obj);
	if (ret == 0) {
		if (!nftnl_obj_is_set(obj, NFTNL_OBJ_CTR_PKTS)) {
			errno = ENOENT;
			ret = -1;
		} else {
			*packets = nftnl_obj_get_u64(obj, NFTNL_OBJ_CTR_PKTS);
		}
	}
	saved = errno;
	nftnl_obj_free(obj);
	errno = saved;
	return ret;
}
