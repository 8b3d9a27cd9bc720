/* check_capture: the skim of capture_drain_final() — what is left in the
 * socket at exit is declared lost through the sequence numbers, with
 * the gap before it, and nothing twice (issue 16). */
#include <arpa/inet.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "capture.h"
#include "unit.h"

/* A datagram of NFLOG packet messages, numbered seqs[0..n): no payload,
 * which the parser skips while still counting the number. */
static size_t datagram(char *buf, size_t len, const uint32_t *seqs, int n)
{
	size_t off = 0;
	int i;

	for (i = 0; i < n; i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + off);
		struct nfgenmsg *g;

		ck_assert_uint_le(off + 64, len);
		nlh->nlmsg_type = NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_PACKET;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->nfgen_family = AF_INET;
		g->version = NFNETLINK_V0;
		mnl_attr_put_u32(nlh, NFULA_SEQ, htonl(seqs[i]));
		off += MNL_ALIGN(nlh->nlmsg_len);
	}
	return off;
}

static void on_event(const struct rst_event *evs, unsigned int n, void *arg)
{
	(void)evs;
	(void)n;
	(void)arg;
}

START_TEST(t_skim_declares_the_rest)
{
	static const uint32_t first[] = { 0, 1, 2 }, rest[] = { 5, 6 },
			      again[] = { 1, 6 };
	static const struct timespec now = { 1700000000, 0 };
	struct capture c;
	char buf[1024];
	size_t n;

	memset(&c, 0, sizeof(c));
	seqtrack_init(&c.seq);
	c.on_event = on_event;
	n = datagram(buf, sizeof(buf), first, 3);
	capture_input(&c, buf, n, &now, 0);
	ck_assert_uint_eq(c.seq.received, 3);
	ck_assert_uint_eq(c.seq.lost, 0);

	/* 3 and 4 dropped by the kernel, 5 and 6 never read: all lost. */
	n = datagram(buf, sizeof(buf), rest, 2);
	ck_assert_uint_eq(capture_skim(&c, buf, n), 4);
	ck_assert_uint_eq(c.seq.lost, 4);
	ck_assert_uint_eq(c.left, 4);
	ck_assert_uint_eq(c.seq.received, 3);

	/* Numbers already accounted for are not declared again. */
	n = datagram(buf, sizeof(buf), again, 2);
	ck_assert_uint_eq(capture_skim(&c, buf, n), 0);
	ck_assert_uint_eq(c.seq.lost, 4);

	/* A datagram libmnl could not walk safely is refused whole. */
	memset(buf, 0xff, 64);
	ck_assert_uint_eq(capture_skim(&c, buf, 64), 0);
	ck_assert_uint_eq(c.bad_datagrams, 1);
}
END_TEST

Suite *capture_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, t_skim_declares_the_rest);
	suite_add_tcase(s, tc);
	return s;
}
