/* fuzz_packet: libFuzzer target for the NFLOG/IP/TCP parser (run.sh). */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct timespec fuzz_now = { 1700000000, 0 };

/* The bytes as the packet of an otherwise well-formed NFLOG message. */
static void fuzz_wrapped(const uint8_t *data, size_t size)
{
	static const uint8_t families[] = { AF_UNSPEC, AF_INET, AF_INET6 };
	static union {
		uint64_t align;
		char b[MNL_NLMSG_HDRLEN + 64 + UINT16_MAX];
	} buf;
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	struct rst_event ev;
	size_t i;

	/* An attribute holds at most 64 KiB, header included. */
	if (size > UINT16_MAX - MNL_ATTR_HDRLEN)
		return;
	for (i = 0; i < sizeof(families); i++) {
		nlh = mnl_nlmsg_put_header(buf.b);
		nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET;
		nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
		nfg->nfgen_family = families[i];
		mnl_attr_put_u32(nlh, NFULA_SEQ, htonl(1));
		mnl_attr_put(nlh, NFULA_PAYLOAD, size, data);
		packet_parse_nflog(nlh, &fuzz_now, 0, &ev);
	}
}

/*
 * The bytes as a received datagram, walked the way mnl_cb_run() does.
 * The copy is padded to 4 bytes, as the kernel pads every message:
 * libmnl reads attributes up to the aligned end of nlmsg_len.
 */
static void fuzz_raw(const uint8_t *data, size_t size)
{
	size_t cap = MNL_ALIGN(size);
	const struct nlmsghdr *nlh;
	struct rst_event ev;
	uint8_t *copy;
	int len = (int)size;

	copy = calloc(1, cap ? cap : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	nlh = (const struct nlmsghdr *)(void *)copy;
	/* mnl_nlmsg_ok() compares nlmsg_len as an int, so 2 GiB and more
	 * passes; the kernel never sends that.  Check it unsigned too. */
	while (mnl_nlmsg_ok(nlh, len) && nlh->nlmsg_len <= (uint32_t)len) {
		packet_parse_nflog(nlh, &fuzz_now, 0, &ev);
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rst_event ev;

	/* Straight from libFuzzer's buffer: ASan sees any overread. */
	memset(&ev, 0, sizeof(ev));
	packet_parse_ip(data, size, &ev);
	fuzz_wrapped(data, size);
	fuzz_raw(data, size);
	return 0;
}
