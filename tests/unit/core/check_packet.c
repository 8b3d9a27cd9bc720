/* check_packet: the NFLOG/IP/TCP parser against hand-built messages. */
#include <arpa/inet.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "nlbuild.h"
#include "packet.h"
#include "unit.h"

#define TEST_OIF 3
#define TEST_UID 1000
#define TEST_GID 100
#define TEST_SEQ 42
#define TEST_MONO 987654321ull

static const uint8_t v4_local[4] = { 192, 0, 2, 1 };
static const uint8_t v4_remote[4] = { 198, 51, 100, 2 };
static const uint8_t v6_local[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6_remote[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const struct timespec test_now = { 1700000000, 123456789 };

struct tcp_spec {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	unsigned int doff; /* 32-bit words */
	size_t data_len;
};

/* What the kernel sends back to a SYN on a closed port. */
static const struct tcp_spec rst_ack = {
	80, 54321, 0, 0x12345679, TCPF_RST | TCPF_ACK, 0, 5, 0
};

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static size_t put_tcp(uint8_t *p, const struct tcp_spec *t)
{
	size_t hlen = (size_t)t->doff * 4;

	memset(p, 0, 20);
	put_be16(p, t->sport);
	put_be16(p + 2, t->dport);
	put_be32(p + 4, t->seq);
	put_be32(p + 8, t->ack);
	p[12] = (uint8_t)(t->doff << 4);
	p[13] = t->flags;
	put_be16(p + 14, t->window);
	/* Options: NOPs are valid in any number. */
	if (hlen > 20)
		memset(p + 20, 1, hlen - 20);
	memset(p + hlen, 'x', t->data_len);
	return hlen + t->data_len;
}

static size_t build_v4(uint8_t *p, const struct tcp_spec *t)
{
	size_t n;

	memset(p, 0, 20);
	p[0] = 0x45;
	put_be16(p + 4, 0x1234);
	put_be16(p + 6, 0x4000); /* DF */
	p[8] = 64;
	p[9] = IPPROTO_TCP;
	memcpy(p + 12, v4_local, 4);
	memcpy(p + 16, v4_remote, 4);
	n = 20 + put_tcp(p + 20, t);
	put_be16(p + 2, (uint16_t)n);
	return n;
}

/* hbh: put an 8-byte hop-by-hop header (one PadN option) before TCP. */
static size_t build_v6(uint8_t *p, const struct tcp_spec *t, bool hbh)
{
	size_t off = 40;

	memset(p, 0, 40);
	p[0] = 0x60;
	p[6] = hbh ? IPPROTO_HOPOPTS : IPPROTO_TCP;
	p[7] = 64;
	memcpy(p + 8, v6_local, 16);
	memcpy(p + 24, v6_remote, 16);
	if (hbh) {
		static const uint8_t h[8] = { IPPROTO_TCP, 0, 1, 4 };

		memcpy(p + off, h, sizeof(h));
		off += sizeof(h);
	}
	off += put_tcp(p + off, t);
	put_be16(p + 4, (uint16_t)(off - 40));
	return off;
}

/* Parse from a heap copy of exactly len bytes, so ASan sees overreads. */
static enum packet_result parse_exact(const uint8_t *p, size_t len,
				      struct rst_event *ev)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum packet_result r;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, p, len);
	r = packet_parse_ip(copy, len, ev);
	free(copy);
	return r;
}

struct nl_spec {
	uint8_t family;
	bool payload;	/* add NFULA_PAYLOAD */
	bool seq_short; /* NFULA_SEQ of 2 bytes: malformed */
	bool timestamp;
	const char *prefix;
};

/* 8-aligned, as a receive buffer would be. */
static union {
	uint64_t align;
	char b[8192];
} nlbuf;

static struct nlmsghdr *build_msg(const struct nl_spec *s, const uint8_t *pkt,
				  size_t len)
{
	struct nfulnl_msg_packet_hdr ph = { 0 };
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	memset(nlbuf.b, 0, sizeof(nlbuf.b));
	nlh = nlb_put_header(nlbuf.b);
	nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET;
	nfg = nlb_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = s->family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(5);
	ph.hw_protocol = htons(s->family == AF_INET6 ? ETH_P_IPV6 : ETH_P_IP);
	ph.hook = NF_INET_LOCAL_OUT;
	nlb_attr_put(nlh, NFULA_PACKET_HDR, sizeof(ph), &ph);
	if (s->prefix != NULL)
		nlb_attr_put_strz(nlh, NFULA_PREFIX, s->prefix);
	nlb_attr_put_u32(nlh, NFULA_IFINDEX_OUTDEV, htonl(TEST_OIF));
	if (s->timestamp) {
		struct nfulnl_msg_packet_timestamp ts;

		/* usec out of range on purpose: the parser must reduce it. */
		ts.sec = htobe64(1700000001);
		ts.usec = htobe64(1250000);
		nlb_attr_put(nlh, NFULA_TIMESTAMP, sizeof(ts), &ts);
	}
	nlb_attr_put_u32(nlh, NFULA_UID, htonl(TEST_UID));
	nlb_attr_put_u32(nlh, NFULA_GID, htonl(TEST_GID));
	if (s->seq_short)
		nlb_attr_put_u16(nlh, NFULA_SEQ, 7);
	else
		nlb_attr_put_u32(nlh, NFULA_SEQ, htonl(TEST_SEQ));
	if (s->payload)
		nlb_attr_put(nlh, NFULA_PAYLOAD, len, pkt);
	return nlh;
}

static enum packet_result parse_msg(const struct nlmsghdr *nlh,
				    struct rst_event *ev)
{
	return packet_parse_nflog(nlh, &test_now, TEST_MONO, ev);
}

#define CK_RESULT(got, want)                                     \
	ck_assert_msg((got) == (want), "result %s, expected %s", \
		      packet_result_name(got), packet_result_name(want))

static void check_meta(const struct rst_event *ev)
{
	ck_assert(ev->has_seq);
	ck_assert_uint_eq(ev->nflog_seq, TEST_SEQ);
	ck_assert(ev->has_uid);
	ck_assert_uint_eq(ev->uid, TEST_UID);
	ck_assert(ev->has_gid);
	ck_assert_uint_eq(ev->gid, TEST_GID);
	ck_assert_uint_eq(ev->oif, TEST_OIF);
	ck_assert_uint_eq(ev->hook, NF_INET_LOCAL_OUT);
	ck_assert_uint_eq(ev->mono_ns, TEST_MONO);
	ck_assert(!ev->has_kernel_ts);
	ck_assert_int_eq(ev->ts.tv_sec, test_now.tv_sec);
	ck_assert_int_eq(ev->ts.tv_nsec, test_now.tv_nsec);
}

START_TEST(t_ipv4_rst_ack_syn)
{
	struct nl_spec s = { .family = AF_INET, .payload = true };
	static const uint8_t zero[12];
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n = build_v4(pkt, &rst_ack);

	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_OK);
	check_meta(&ev);
	ck_assert_uint_eq(ev.family, AF_INET);
	ck_assert_mem_eq(ev.local, v4_local, 4);
	ck_assert_mem_eq(ev.local + 4, zero, 12);
	ck_assert_mem_eq(ev.remote, v4_remote, 4);
	ck_assert_mem_eq(ev.remote + 4, zero, 12);
	ck_assert_uint_eq(ev.lport, 80);
	ck_assert_uint_eq(ev.rport, 54321);
	ck_assert_uint_eq(ev.seq, 0);
	ck_assert_uint_eq(ev.ack, 0x12345679);
	ck_assert_uint_eq(ev.tcp_flags, TCPF_RST | TCPF_ACK);
	ck_assert_uint_eq(ev.window, 0);
	ck_assert_uint_eq(ev.tcp_hdr_len, 20);
	ck_assert_uint_eq(ev.payload_len, 0);
}
END_TEST

START_TEST(t_ipv4_rst_alone)
{
	struct tcp_spec t = { 443, 40000, 0xdeadbeef, 0, TCPF_RST, 0, 5, 0 };
	struct nl_spec s = { .family = AF_INET, .payload = true };
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n = build_v4(pkt, &t);

	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_OK);
	check_meta(&ev);
	ck_assert_uint_eq(ev.lport, 443);
	ck_assert_uint_eq(ev.rport, 40000);
	ck_assert_uint_eq(ev.seq, 0xdeadbeef);
	ck_assert_uint_eq(ev.ack, 0);
	ck_assert_uint_eq(ev.tcp_flags, TCPF_RST);
}
END_TEST

START_TEST(t_ipv6_rst)
{
	struct tcp_spec t = { 22, 51000, 7, 9, TCPF_RST | TCPF_ACK, 1234, 5, 0 };
	struct nl_spec s = { .family = AF_INET6, .payload = true };
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n = build_v6(pkt, &t, false);

	ck_assert_uint_eq(n, 60);
	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_OK);
	check_meta(&ev);
	ck_assert_uint_eq(ev.family, AF_INET6);
	ck_assert_mem_eq(ev.local, v6_local, 16);
	ck_assert_mem_eq(ev.remote, v6_remote, 16);
	ck_assert_uint_eq(ev.lport, 22);
	ck_assert_uint_eq(ev.rport, 51000);
	ck_assert_uint_eq(ev.seq, 7);
	ck_assert_uint_eq(ev.ack, 9);
	ck_assert_uint_eq(ev.window, 1234);
	ck_assert_uint_eq(ev.tcp_hdr_len, 20);
	ck_assert_uint_eq(ev.payload_len, 0);
}
END_TEST

START_TEST(t_tcp_options)
{
	static const unsigned int doffs[] = { 8, 13, 15 };
	struct nl_spec s = { .family = AF_INET, .payload = true };
	struct tcp_spec t = rst_ack;
	struct rst_event ev;
	uint8_t pkt[256];
	size_t i, n;

	for (i = 0; i < sizeof(doffs) / sizeof(doffs[0]); i++) {
		t.doff = doffs[i];
		t.data_len = 3;
		n = build_v4(pkt, &t);
		CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_OK);
		ck_assert_uint_eq(ev.tcp_hdr_len, doffs[i] * 4);
		ck_assert_uint_eq(ev.payload_len, 3);
		ck_assert_uint_eq(ev.ack, 0x12345679);
		ck_assert_uint_eq(ev.tcp_flags, TCPF_RST | TCPF_ACK);
	}
	s.family = AF_INET6;
	t.doff = 13;
	t.data_len = 0;
	n = build_v6(pkt, &t, true);
	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_OK);
	ck_assert_uint_eq(ev.tcp_hdr_len, 52);
	ck_assert_uint_eq(ev.payload_len, 0);
}
END_TEST

/* The snaplen may cut the options; the fixed header is enough. */
START_TEST(t_tcp_options_cut)
{
	struct tcp_spec t = rst_ack;
	struct rst_event ev;
	uint8_t pkt[256];
	size_t len, n;

	t.doff = 8;
	t.data_len = 10;
	n = build_v4(pkt, &t);
	ck_assert_uint_eq(n, 62);
	for (len = 40; len <= n; len++) {
		memset(&ev, 0, sizeof(ev));
		CK_RESULT(parse_exact(pkt, len, &ev), PACKET_OK);
		ck_assert_uint_eq(ev.tcp_hdr_len, 32);
		/* From the IP length, not from what was captured. */
		ck_assert_uint_eq(ev.payload_len, 10);
	}
}
END_TEST

START_TEST(t_ipv6_hopopts)
{
	struct nl_spec s = { .family = AF_INET6, .payload = true };
	struct tcp_spec t = rst_ack;
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n;

	t.data_len = 5;
	n = build_v6(pkt, &t, true);
	ck_assert_uint_eq(n, 73);
	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_OK);
	ck_assert_uint_eq(ev.family, AF_INET6);
	ck_assert_mem_eq(ev.local, v6_local, 16);
	ck_assert_uint_eq(ev.lport, 80);
	ck_assert_uint_eq(ev.rport, 54321);
	ck_assert_uint_eq(ev.ack, 0x12345679);
	ck_assert_uint_eq(ev.payload_len, 5);

	/* A longer one: hdr ext len 2 = 24 bytes. */
	memmove(pkt + 64, pkt + 48, n - 48);
	memset(pkt + 42, 0, 22);
	pkt[41] = 2;
	put_be16(pkt + 4, (uint16_t)(n + 16 - 40));
	CK_RESULT(parse_exact(pkt, n + 16, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.lport, 80);
	ck_assert_uint_eq(ev.payload_len, 5);
}
END_TEST

START_TEST(t_ipv6_fragment_hdr)
{
	struct tcp_spec t = rst_ack;
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n = build_v6(pkt, &t, true);

	/* Turn the hop-by-hop header into a first fragment. */
	pkt[6] = IPPROTO_FRAGMENT;
	memset(pkt + 41, 0, 7);
	pkt[43] = 1; /* offset 0, M flag */
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.lport, 80);
	/* A later fragment holds no TCP header. */
	put_be16(pkt + 42, 185 << 3);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_FRAGMENT);
}
END_TEST

START_TEST(t_ipv6_ext_chain)
{
	uint8_t pkt[256] = { 0 };
	struct rst_event ev;
	size_t i, n = 40 + 9 * 8 + 20;

	pkt[0] = 0x60;
	put_be16(pkt + 4, (uint16_t)(n - 40));
	pkt[6] = IPPROTO_DSTOPTS;
	/* Nine destination options headers: more than the parser walks. */
	for (i = 0; i < 9; i++)
		pkt[40 + i * 8] = i < 8 ? IPPROTO_DSTOPTS : IPPROTO_TCP;
	pkt[40 + 72 + 12] = 5 << 4;
	pkt[40 + 72 + 13] = TCPF_RST;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_NOT_TCP);
	/* Eight are fine. */
	memmove(pkt + 40, pkt + 48, n - 48);
	put_be16(pkt + 4, (uint16_t)(n - 48));
	CK_RESULT(parse_exact(pkt, n - 8, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.tcp_flags, TCPF_RST);
}
END_TEST

static void check_all_cuts(const uint8_t *pkt, size_t full)
{
	struct rst_event ev;
	enum packet_result r;
	size_t len;

	for (len = 0; len < full; len++) {
		r = parse_exact(pkt, len, &ev);
		ck_assert_msg(r == PACKET_E_TRUNCATED, "len %zu of %zu: %s",
			      len, full, packet_result_name(r));
	}
	CK_RESULT(parse_exact(pkt, full, &ev), PACKET_OK);
}

START_TEST(t_truncated_ip)
{
	struct tcp_spec t = rst_ack;
	uint8_t pkt[128];

	check_all_cuts(pkt, build_v4(pkt, &t));
	check_all_cuts(pkt, build_v6(pkt, &t, false));
	check_all_cuts(pkt, build_v6(pkt, &t, true));
}
END_TEST

START_TEST(t_truncated_nflog)
{
	struct nl_spec s = { .payload = true };
	struct tcp_spec t = rst_ack;
	struct rst_event ev;
	enum packet_result r;
	uint8_t pkt[128];
	size_t full, len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		s.family = v6 ? AF_INET6 : AF_INET;
		full = v6 ? build_v6(pkt, &t, true) : build_v4(pkt, &t);
		for (len = 0; len < full; len++) {
			r = parse_msg(build_msg(&s, pkt, len), &ev);
			ck_assert_msg(r == PACKET_E_TRUNCATED, "len %zu: %s",
				      len, packet_result_name(r));
			/* The sequence number still counts. */
			check_meta(&ev);
		}
		CK_RESULT(parse_msg(build_msg(&s, pkt, full), &ev), PACKET_OK);
	}
}
END_TEST

START_TEST(t_wrong_version)
{
	struct nl_spec s = { .family = AF_INET, .payload = true };
	static const uint8_t versions[] = { 0x00, 0x55, 0x75, 0xf5 };
	struct rst_event ev;
	uint8_t pkt[128];
	size_t i, n;

	for (i = 0; i < sizeof(versions); i++) {
		n = build_v4(pkt, &rst_ack);
		pkt[0] = versions[i];
		CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_VERSION);
		CK_RESULT(parse_exact(pkt, 1, &ev), PACKET_E_VERSION);
		CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev),
			  PACKET_E_VERSION);
	}
}
END_TEST

START_TEST(t_not_tcp)
{
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n;

	n = build_v4(pkt, &rst_ack);
	pkt[9] = IPPROTO_UDP;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_NOT_TCP);
	pkt[9] = IPPROTO_ICMP;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_NOT_TCP);
	n = build_v6(pkt, &rst_ack, false);
	pkt[6] = IPPROTO_UDP;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_NOT_TCP);
	n = build_v6(pkt, &rst_ack, true);
	pkt[40] = IPPROTO_UDP;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_NOT_TCP);
	/* No next header at all. */
	pkt[40] = 59;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_NOT_TCP);
}
END_TEST

START_TEST(t_ipv4_fragment)
{
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n = build_v4(pkt, &rst_ack);

	put_be16(pkt + 6, 185); /* offset 1480 bytes */
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_FRAGMENT);
	put_be16(pkt + 6, 0x2000 | 1); /* MF and an offset */
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_FRAGMENT);
	/* The first fragment carries the TCP header. */
	put_be16(pkt + 6, 0x2000);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_OK);
}
END_TEST

START_TEST(t_not_rst)
{
	static const uint8_t flags[] = {
		0,
		TCPF_ACK,
		TCPF_SYN | TCPF_ACK,
		TCPF_FIN | TCPF_ACK,
		TCPF_PSH | TCPF_ACK | TCPF_URG | TCPF_FIN | TCPF_SYN,
		0xc0 | TCPF_ACK, /* ECE/CWR are not flags we report */
	};
	struct nl_spec s = { .family = AF_INET, .payload = true };
	struct tcp_spec t = rst_ack;
	struct rst_event ev;
	uint8_t pkt[128];
	size_t i, n;

	for (i = 0; i < sizeof(flags); i++) {
		t.flags = flags[i];
		n = build_v4(pkt, &t);
		CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev),
			  PACKET_E_NOT_RST);
		ck_assert_uint_eq(ev.tcp_flags, flags[i] & 0x3f);
		ck_assert_uint_eq(ev.lport, 80);
		check_meta(&ev);
	}
	t.flags = 0xc0 | TCPF_RST;
	n = build_v4(pkt, &t);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.tcp_flags, TCPF_RST);
}
END_TEST

START_TEST(t_family_mismatch)
{
	struct nl_spec s = { .payload = true };
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n;

	n = build_v4(pkt, &rst_ack);
	s.family = AF_INET6;
	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_E_VERSION);
	check_meta(&ev);
	/* Logged from an inet table the family is the packet's own, but
	 * AF_UNSPEC is accepted too. */
	s.family = AF_UNSPEC;
	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_OK);
	n = build_v6(pkt, &rst_ack, false);
	s.family = AF_INET;
	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_E_VERSION);
	s.family = AF_BRIDGE;
	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_E_VERSION);
}
END_TEST

START_TEST(t_hostile_ipv4)
{
	struct tcp_spec t = rst_ack;
	struct rst_event ev;
	uint8_t pkt[256];
	size_t n = build_v4(pkt, &t);

	/* ihl 15 (60 bytes) in a 40-byte packet. */
	pkt[0] = 0x4f;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	put_be16(pkt + 2, 80);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	/* ihl below 5. */
	n = build_v4(pkt, &t);
	pkt[0] = 0x44;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	pkt[0] = 0x40;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	/* tot_len smaller than ihl, or than ihl + a TCP header. */
	pkt[0] = 0x45;
	put_be16(pkt + 2, 19);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	put_be16(pkt + 2, 0);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	put_be16(pkt + 2, 39);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	/* tot_len beyond the buffer: the snaplen cut the data. */
	put_be16(pkt + 2, 40 + 1400);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.payload_len, 1400);
	put_be16(pkt + 2, 0xffff);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.payload_len, 0xffff - 40);
	/* tot_len shorter than the buffer: trailing bytes are padding. */
	put_be16(pkt + 2, 40);
	memset(pkt + 40, 0xee, 20);
	CK_RESULT(parse_exact(pkt, 60, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.payload_len, 0);

	/* A real ihl of 15: 40 bytes of IP options. */
	memmove(pkt + 60, pkt + 20, 20);
	memset(pkt + 20, 1, 40);
	pkt[0] = 0x4f;
	put_be16(pkt + 2, 80);
	CK_RESULT(parse_exact(pkt, 80, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.lport, 80);
	ck_assert_uint_eq(ev.ack, 0x12345679);
	CK_RESULT(parse_exact(pkt, 79, &ev), PACKET_E_TRUNCATED);
}
END_TEST

START_TEST(t_hostile_tcp)
{
	struct tcp_spec t = rst_ack;
	struct rst_event ev;
	uint8_t pkt[128];
	unsigned int doff;
	size_t n = build_v4(pkt, &t);

	for (doff = 0; doff < 5; doff++) {
		pkt[32] = (uint8_t)(doff << 4);
		CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	}
	/* doff beyond the IP length. */
	for (doff = 6; doff < 16; doff++) {
		pkt[32] = (uint8_t)(doff << 4);
		CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	}
	/* Same for IPv6. */
	n = build_v6(pkt, &t, false);
	pkt[52] = 4 << 4;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	pkt[52] = 15 << 4;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	/* doff within the IP length but past the capture: options cut. */
	put_be16(pkt + 4, 60);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.tcp_hdr_len, 60);
	ck_assert_uint_eq(ev.payload_len, 0);
}
END_TEST

START_TEST(t_hostile_ipv6)
{
	struct tcp_spec t = rst_ack;
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n;

	n = build_v6(pkt, &t, false);
	/* Payload length too small for a TCP header. */
	put_be16(pkt + 4, 19);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	put_be16(pkt + 4, 0);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	/* Larger than captured: the snaplen cut the data. */
	put_be16(pkt + 4, 1220);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_OK);
	ck_assert_uint_eq(ev.payload_len, 1200);

	n = build_v6(pkt, &t, true);
	/* An extension header longer than the packet. */
	pkt[41] = 255;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	put_be16(pkt + 4, 0xffff);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	/* The IP length ends inside the extension header. */
	n = build_v6(pkt, &t, true);
	put_be16(pkt + 4, 4);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	put_be16(pkt + 4, 1);
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
	/* Its next header is past the IP length: not to be trusted. */
	pkt[40] = IPPROTO_UDP;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_TRUNCATED);
}
END_TEST

START_TEST(t_no_payload)
{
	struct nl_spec s = { .family = AF_INET };
	struct rst_event ev;

	memset(&ev, 0xaa, sizeof(ev));
	CK_RESULT(parse_msg(build_msg(&s, NULL, 0), &ev), PACKET_E_NOPAYLOAD);
	check_meta(&ev);
	/* ev is cleared first. */
	ck_assert_uint_eq(ev.family, 0);
	ck_assert_uint_eq(ev.lport, 0);
}
END_TEST

START_TEST(t_bad_u32_len)
{
	struct nl_spec s = { .family = AF_INET,
			     .payload = true,
			     .seq_short = true };
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n = build_v4(pkt, &rst_ack);

	CK_RESULT(parse_msg(build_msg(&s, pkt, n), &ev), PACKET_E_MSG);
	ck_assert(!ev.has_seq);
	ck_assert_uint_eq(ev.mono_ns, TEST_MONO);

	/* A u32 attribute of 8 bytes. */
	s.seq_short = false;
	nlh = build_msg(&s, NULL, 0);
	nlb_attr_put_u64(nlh, NFULA_MARK, 1);
	CK_RESULT(parse_msg(nlh, &ev), PACKET_E_MSG);

	/* A packet header of the wrong size. */
	nlh = build_msg(&s, NULL, 0);
	a = nlb_first_attr(nlh, sizeof(struct nfgenmsg));
	ck_assert_uint_eq(a->nla_type, NFULA_PACKET_HDR);
	a->nla_len = 6;
	CK_RESULT(parse_msg(nlh, &ev), PACKET_E_MSG);
}
END_TEST

START_TEST(t_short_nlmsg)
{
	struct nl_spec s = { .family = AF_INET, .payload = true };
	struct nlmsghdr *nlh;
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n = build_v4(pkt, &rst_ack);
	uint32_t len;

	for (len = 0; len < NLMSG_HDRLEN + sizeof(struct nfgenmsg); len++) {
		nlh = build_msg(&s, pkt, n);
		nlh->nlmsg_len = len;
		memset(&ev, 0xaa, sizeof(ev));
		CK_RESULT(parse_msg(nlh, &ev), PACKET_E_MSG);
		ck_assert(!ev.has_seq);
		ck_assert_int_eq(ev.ts.tv_sec, test_now.tv_sec);
	}
	/* Just the header: no attributes at all. */
	nlh = build_msg(&s, pkt, n);
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
	CK_RESULT(parse_msg(nlh, &ev), PACKET_E_NOPAYLOAD);
	ck_assert(!ev.has_seq);
}
END_TEST

/* nlmsg_len ends inside the payload attribute: it is not used. */
START_TEST(t_attr_past_end)
{
	struct nl_spec s = { .family = AF_INET, .payload = true };
	struct nlmsghdr *nlh;
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n = build_v4(pkt, &rst_ack);

	nlh = build_msg(&s, pkt, n);
	nlh->nlmsg_len -= 4;
	CK_RESULT(parse_msg(nlh, &ev), PACKET_E_NOPAYLOAD);
	check_meta(&ev);
}
END_TEST

START_TEST(t_timestamp)
{
	/* The prefix puts the timestamp at a 4-byte, not 8-byte, boundary,
	 * as a kernel message may. */
	struct nl_spec s = { .family = AF_INET,
			     .payload = true,
			     .timestamp = true,
			     .prefix = "rstmon" };
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct rst_event ev;
	uint8_t pkt[128];
	size_t n = build_v4(pkt, &rst_ack);
	bool seen = false;

	nlh = build_msg(&s, pkt, n);
	for (a = nlb_first_attr(nlh, sizeof(struct nfgenmsg));
	     (uint8_t *)a < (uint8_t *)nlh + nlh->nlmsg_len;
	     a = (struct nlattr *)(void *)((uint8_t *)a +
					   NLA_ALIGN(a->nla_len)))
		if (a->nla_type == NFULA_TIMESTAMP) {
			ck_assert_uint_eq((uintptr_t)a % 8, 0);
			seen = true;
		}
	ck_assert(seen);
	CK_RESULT(parse_msg(nlh, &ev), PACKET_OK);
	ck_assert(ev.has_kernel_ts);
	ck_assert_int_eq(ev.ts.tv_sec, 1700000001);
	ck_assert_int_eq(ev.ts.tv_nsec, 250000000);
	ck_assert_uint_eq(ev.mono_ns, TEST_MONO);
}
END_TEST

/* A refused packet leaves ev as it was. */
START_TEST(t_untouched)
{
	struct rst_event ev, before;
	uint8_t pkt[128];
	size_t n = build_v4(pkt, &rst_ack);

	/* Copied bytewise: the pattern is not a valid bool. */
	memset(&before, 0x5a, sizeof(before));
	memset(&ev, 0x5a, sizeof(ev));
	pkt[0] = 0x35;
	CK_RESULT(parse_exact(pkt, n, &ev), PACKET_E_VERSION);
	ck_assert_mem_eq(&ev, &before, sizeof(ev));
	CK_RESULT(parse_exact(pkt, 0, &ev), PACKET_E_TRUNCATED);
	ck_assert_mem_eq(&ev, &before, sizeof(ev));
}
END_TEST

START_TEST(t_flags_str)
{
	char buf[9];

	memset(buf, 'z', sizeof(buf));
	ck_assert_str_eq(packet_flags_str(0, buf), "");
	ck_assert_str_eq(packet_flags_str(TCPF_RST, buf), "R");
	ck_assert_str_eq(packet_flags_str(TCPF_RST | TCPF_ACK, buf), "RA");
	ck_assert_str_eq(packet_flags_str(TCPF_ACK | TCPF_PSH | TCPF_RST, buf),
			 "RAP");
	ck_assert_str_eq(packet_flags_str(0x3f, buf), "RASFPU");
	ck_assert_str_eq(packet_flags_str(0xff, buf), "RASFPU");
	ck_assert_str_eq(packet_flags_str(TCPF_SYN | TCPF_FIN, buf), "SF");
	ck_assert_ptr_eq(packet_flags_str(TCPF_URG, buf), buf);
	ck_assert_str_eq(buf, "U");
}
END_TEST

START_TEST(t_result_name)
{
	ck_assert_str_eq(packet_result_name(PACKET_OK), "ok");
	ck_assert_str_eq(packet_result_name(PACKET_E_MSG), "bad_message");
	ck_assert_str_eq(packet_result_name(PACKET_E_NOPAYLOAD), "no_payload");
	ck_assert_str_eq(packet_result_name(PACKET_E_TRUNCATED), "truncated");
	ck_assert_str_eq(packet_result_name(PACKET_E_VERSION), "bad_version");
	ck_assert_str_eq(packet_result_name(PACKET_E_NOT_TCP), "not_tcp");
	ck_assert_str_eq(packet_result_name(PACKET_E_FRAGMENT), "fragment");
	ck_assert_str_eq(packet_result_name(PACKET_E_NOT_RST), "not_rst");
	ck_assert_str_eq(packet_result_name(PACKET_E_MAX), "unknown");
	ck_assert_str_eq(packet_result_name((enum packet_result) - 1),
			 "unknown");
}
END_TEST

Suite *packet_suite(void)
{
	Suite *s = suite_create("packet");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, t_ipv4_rst_ack_syn);
	tcase_add_test(tc, t_ipv4_rst_alone);
	tcase_add_test(tc, t_ipv6_rst);
	tcase_add_test(tc, t_tcp_options);
	tcase_add_test(tc, t_tcp_options_cut);
	tcase_add_test(tc, t_ipv6_hopopts);
	tcase_add_test(tc, t_ipv6_fragment_hdr);
	tcase_add_test(tc, t_ipv6_ext_chain);
	tcase_add_test(tc, t_truncated_ip);
	tcase_add_test(tc, t_truncated_nflog);
	tcase_add_test(tc, t_wrong_version);
	tcase_add_test(tc, t_not_tcp);
	tcase_add_test(tc, t_ipv4_fragment);
	tcase_add_test(tc, t_not_rst);
	tcase_add_test(tc, t_family_mismatch);
	tcase_add_test(tc, t_hostile_ipv4);
	tcase_add_test(tc, t_hostile_tcp);
	tcase_add_test(tc, t_hostile_ipv6);
	tcase_add_test(tc, t_no_payload);
	tcase_add_test(tc, t_bad_u32_len);
	tcase_add_test(tc, t_short_nlmsg);
	tcase_add_test(tc, t_attr_past_end);
	tcase_add_test(tc, t_timestamp);
	tcase_add_test(tc, t_untouched);
	tcase_add_test(tc, t_flags_str);
	tcase_add_test(tc, t_result_name);
	suite_add_tcase(s, tc);
	return s;
}
