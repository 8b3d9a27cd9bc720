/* check_nflog_compat: the core's NFLOG attribute walk against
 * libnetfilter_log's, and the datagram check made before libmnl walks
 * what a socket gave (nlcheck.h). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <libnetfilter_log/libnetfilter_log.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "nlcheck.h"
#include "packet.h"
#include "unit.h"

/*
 * The attribute walk against libnetfilter_log's nflog_nlmsg_parse(), on
 * messages with random attributes of random (often wrong) lengths, cut
 * at random: the same verdict and the same attribute of every type.
 */
START_TEST(t_attrs_match_libnetfilter_log)
{
	static const uint16_t lens[] = { 0, 1, 2, 3, 4, 5, 8, 12, 16, 20 };
	union {
		char b[2048];
		struct nlmsghdr align;
	} u;
	/* NFULA_MAX here is libnetfilter_log's (its own header comes
	 * first): the types it knows.  Ours may keep newer ones too. */
	struct nlattr *lib[PACKET_NFULA_SLOTS];
	const struct nlattr *ours[PACKET_NFULA_SLOTS];
	struct nlmsghdr *nlh;
	uint8_t data[64];
	int i, k, n, rl, ro;

	srandom(5);
	for (i = 0; i < 50000; i++) {
		memset(u.b, 0, sizeof(u.b));
		nlh = mnl_nlmsg_put_header(u.b);
		nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET;
		mnl_nlmsg_put_extra_header(nlh, sizeof(struct nfgenmsg));
		n = (int)(random() % 8);
		for (k = 0; k < n; k++) {
			uint16_t len = lens[random() % 10];
			size_t j;

			for (j = 0; j < len; j++)
				data[j] = (uint8_t)(random() % 3);
			mnl_attr_put(nlh,
				     (uint16_t)(random() % (NFULA_MAX + 8)),
				     len, data);
		}
		/* Cut anywhere past the headers, or break one length. */
		if (random() % 4 == 0)
			nlh->nlmsg_len -= (uint32_t)random() %
					  (nlh->nlmsg_len - MNL_NLMSG_HDRLEN -
					   sizeof(struct nfgenmsg) + 1);
		if (random() % 4 == 0 && nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + 8)
			((struct nlattr *)mnl_nlmsg_get_payload_offset(
				 nlh, sizeof(struct nfgenmsg)))
				->nla_len = (uint16_t)(random() % 40);
		memset(lib, 0, sizeof(lib));
		memset(ours, 0, sizeof(ours));
		rl = nflog_nlmsg_parse(nlh, lib) < 0 ? -1 : 0;
		ro = packet_nflog_attrs(nlh, ours);
		ck_assert_int_eq(ro, rl);
		if (rl < 0)
			continue;
		for (k = 0; k <= NFULA_MAX; k++)
			ck_assert_ptr_eq(ours[k], lib[k]);
	}
}
END_TEST

/* The datagram libmnl 1.0.4 would walk 2 GiB past (tests/fuzz/README.md)
 * is refused; one the kernel could send is not. */
START_TEST(t_datagram_lengths)
{
	static const uint8_t huge[16] = { 0x00, 0x00, 0x00, 0x80, 0x00, 0x04 };
	union {
		uint8_t b[2048];
		struct nlmsghdr align;
	} u;
	struct nlmsghdr *nlh;
	size_t len;

	ck_assert(!nl_datagram_ok(huge, sizeof(huge)));
	memset(u.b, 0, sizeof(u.b));
	nlh = mnl_nlmsg_put_header(u.b);
	nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct nfgenmsg));
	mnl_attr_put_u32(nlh, NFULA_SEQ, htonl(7));
	mnl_attr_put_strz(nlh, NFULA_PREFIX, "rstmon");
	len = MNL_ALIGN(nlh->nlmsg_len);
	ck_assert(nl_datagram_ok(nlh, len));
	/* A good message, then a huge one: refused whole. */
	memcpy(u.b + len, huge, sizeof(huge));
	ck_assert(!nl_datagram_ok(u.b, len + sizeof(huge)));
	/* Lengths libmnl stops at (short, past the end) end the walk. */
	ck_assert(nl_datagram_ok(u.b, len + 8));
	((struct nlmsghdr *)(void *)(u.b + len))->nlmsg_len = 4;
	ck_assert(nl_datagram_ok(u.b, len + sizeof(huge)));
	ck_assert(nl_datagram_ok(u.b, 0));
}
END_TEST

Suite *nflog_compat_suite(void)
{
	Suite *s = suite_create("nflog_compat");
	TCase *tc = tcase_create("walk");

	tcase_add_test(tc, t_attrs_match_libnetfilter_log);
	tcase_add_test(tc, t_datagram_lengths);
	suite_add_tcase(s, tc);
	return s;
}
