/* nftsock: in-process nf_tables requests over netlink (libnftnl + libmnl). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>
#include <libnftnl/object.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "nftsock.h"
#include "nlcheck.h"
#include "nlreq.h"

#define NFTSOCK_BUFLEN MNL_SOCKET_BUFFER_SIZE
/* Elements per NEWSETELEM message, and the batch buffer they go in. */
#define ELEMS_PER_MSG 256
#define BATCH_BUFLEN (4u << 20)
#define NFT_SNDBUF (8 << 20)

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
	{
		/* A batch of ten thousand elements is one sendmsg. */
		int sz = NFT_SNDBUF;
		struct timeval tv = { 2, 0 };

		setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_SNDBUFFORCE,
			   &sz, sizeof(sz));
		setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVBUFFORCE,
			   &sz, sizeof(sz));
		/* The kernel answers a request at once; never hang. */
		setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVTIMEO,
			   &tv, sizeof(tv));
	}
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
static int nftsock_request(struct nftsock *s, struct nlmsghdr *nlh, mnl_cb_t cb,
			   void *data)
{
	return nlreq_run(s->nl, nlh, s->buf, NFTSOCK_BUFLEN, cb, data, NULL);
}

int nftsock_counter_read(struct nftsock *s, uint32_t family, const char *table,
			 const char *name, uint64_t *packets)
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

struct set_answer {
	int found;
	uint64_t handle;
};

static int set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct set_answer *a = data;
	struct nftnl_set *ns = nftnl_set_alloc();

	if (ns == NULL)
		return MNL_CB_ERROR;
	if (nftnl_set_nlmsg_parse(nlh, ns) == 0) {
		a->found = 1;
		a->handle = nftnl_set_get_u64(ns, NFTNL_SET_HANDLE);
	}
	nftnl_set_free(ns);
	return MNL_CB_OK;
}

int nftsock_set_handle(struct nftsock *s, uint32_t family, const char *table,
		       const char *set, uint64_t *handle)
{
	struct set_answer a = { 0, 0 };
	struct nftnl_set *ns;
	struct nlmsghdr *nlh;
	int ret;

	ns = nftnl_set_alloc();
	if (ns == NULL)
		return -1;
	nftnl_set_set_str(ns, NFTNL_SET_TABLE, table);
	nftnl_set_set_str(ns, NFTNL_SET_NAME, set);
	nlh = nftnl_nlmsg_build_hdr(s->buf, NFT_MSG_GETSET, (uint16_t)family,
				    NLM_F_ACK, s->seq++);
	nftnl_set_nlmsg_build_payload(nlh, ns);
	nftnl_set_free(ns);
	ret = nftsock_request(s, nlh, set_cb, &a);
	if (ret < 0)
		return errno == ENOENT ? 0 : -1;
	*handle = a.handle;
	return a.found;
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct set_answer *a = data;
	struct nftnl_table *t = nftnl_table_alloc();

	if (t == NULL)
		return MNL_CB_ERROR;
	if (nftnl_table_nlmsg_parse(nlh, t) == 0) {
		a->found = 1;
		a->handle = nftnl_table_get_u64(t, NFTNL_TABLE_HANDLE);
	}
	nftnl_table_free(t);
	return MNL_CB_OK;
}

int nftsock_table_handle(struct nftsock *s, uint32_t family, const char *table,
			 uint64_t *handle)
{
	struct set_answer a = { 0, 0 };
	struct nftnl_table *t;
	struct nlmsghdr *nlh;

	t = nftnl_table_alloc();
	if (t == NULL)
		return -1;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, table);
	nlh = nftnl_nlmsg_build_hdr(s->buf, NFT_MSG_GETTABLE, (uint16_t)family,
				    NLM_F_ACK, s->seq++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	if (nftsock_request(s, nlh, table_cb, &a) < 0)
		return errno == ENOENT ? 0 : -1;
	*handle = a.handle;
	return a.found;
}

/* Read the answers to `expect` acked messages; the first error wins. */
static int batch_answers(struct nftsock *s, unsigned int expect)
{
	char *buf = s->buf;
	unsigned int got = 0;
	int err = 0;
	ssize_t n;

	while (got < expect) {
		const struct nlmsghdr *nlh;
		int len; /* libmnl's walk counts down an int */

		n = mnl_socket_recvfrom(s->nl, buf, NFTSOCK_BUFLEN);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* A batch the kernel refused as a whole may not
			 * answer every message: the timeout ends it. */
			if (errno == EAGAIN && err != 0)
				break;
			return -1;
		}
		if (!nl_datagram_ok(buf, (size_t)n)) {
			errno = EPROTO;
			return -1;
		}
		/* At most NFTSOCK_BUFLEN: it fits. */
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(nlh);

				if (nlh->nlmsg_len >=
					    mnl_nlmsg_size(sizeof(*e)) &&
				    e->error != 0 && err == 0)
					err = -e->error;
				got++;
			}
		}
	}
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Add (timeouts_ms) or delete (NULL) n elements in one batch. */
static int set_elems(struct nftsock *s, uint32_t family, const char *table,
		     const char *set, const uint8_t *keys, size_t keylen,
		     unsigned int n, const uint64_t *timeouts_ms)
{
	struct mnl_nlmsg_batch *b;
	struct nlmsghdr *nlh;
	unsigned int i = 0, k, msgs = 0;
	char *buf;
	int ret = 0, saved;

	if (n == 0)
		return 0;
	buf = malloc(BATCH_BUFLEN);
	if (buf == NULL)
		return -1;
	b = mnl_nlmsg_batch_start(buf, BATCH_BUFLEN);
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), s->seq++);
	mnl_nlmsg_batch_next(b);
	while (i < n) {
		struct nftnl_set *ns = nftnl_set_alloc();

		if (ns == NULL) {
			ret = -1;
			break;
		}
		nftnl_set_set_str(ns, NFTNL_SET_TABLE, table);
		nftnl_set_set_str(ns, NFTNL_SET_NAME, set);
		for (k = 0; k < ELEMS_PER_MSG && i < n; k++, i++) {
			struct nftnl_set_elem *e = nftnl_set_elem_alloc();

			if (e == NULL)
				break;
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY,
					   keys + (size_t)i * keylen,
					   (uint32_t)keylen);
			if (timeouts_ms != NULL)
				nftnl_set_elem_set_u64(e,
						       NFTNL_SET_ELEM_TIMEOUT,
						       timeouts_ms[i]);
			nftnl_set_elem_add(ns, e);
		}
		nlh = nftnl_nlmsg_build_hdr(
			mnl_nlmsg_batch_current(b),
			timeouts_ms != NULL ? NFT_MSG_NEWSETELEM :
					      NFT_MSG_DELSETELEM,
			(uint16_t)family,
			timeouts_ms != NULL ? NLM_F_CREATE | NLM_F_ACK :
					      NLM_F_ACK,
			s->seq++);
		nftnl_set_elems_nlmsg_build_payload(nlh, ns);
		nftnl_set_free(ns);
		msgs++;
		if (!mnl_nlmsg_batch_next(b)) {
			/* Not enough room for the next message. */
			errno = ENOMEM;
			ret = -1;
			break;
		}
	}
	if (ret == 0) {
		nftnl_batch_end(mnl_nlmsg_batch_current(b), s->seq++);
		mnl_nlmsg_batch_next(b);
		if (mnl_socket_sendto(s->nl, mnl_nlmsg_batch_head(b),
				      mnl_nlmsg_batch_size(b)) < 0)
			ret = -1;
		else
			ret = batch_answers(s, msgs);
	}
	saved = errno;
	mnl_nlmsg_batch_stop(b);
	free(buf);
	errno = saved;
	return ret;
}

int nftsock_set_add(struct nftsock *s, uint32_t family, const char *table,
		    const char *set, const uint8_t *keys, size_t keylen,
		    unsigned int n, const uint64_t *timeouts_ms)
{
	return set_elems(s, family, table, set, keys, keylen, n, timeouts_ms);
}

int nftsock_set_del(struct nftsock *s, uint32_t family, const char *table,
		    const char *set, const uint8_t *keys, size_t keylen,
		    unsigned int n)
{
	return set_elems(s, family, table, set, keys, keylen, n, NULL);
}
