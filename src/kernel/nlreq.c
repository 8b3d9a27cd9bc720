/* nlreq: one netlink request and its answer over libmnl. */
#include <errno.h>
#include <stdint.h>

#include "nlcheck.h"
#include "nlreq.h"

int nlreq_run(struct mnl_socket *nl, const struct nlmsghdr *req, void *buf,
	      size_t buflen, mnl_cb_t cb, void *arg, bool (*done)(void *arg))
{
	unsigned int portid = mnl_socket_get_portid(nl);
	uint32_t seq = req->nlmsg_seq;
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, buflen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!nl_datagram_ok(buf, (size_t)n)) {
			errno = EPROTO;
			return -1;
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, cb, arg);
		if (ret < 0)
			return -1;
		if (ret == MNL_CB_STOP || (done != NULL && done(arg)))
			return 0;
	}
}
