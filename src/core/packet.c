/* packet: pure parser, NFLOG message -> struct rst_event.  No I/O. */
#include <arpa/inet.h>
#include <endian.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "nlattr.h"
#include "packet.h"

#define IPV4_MIN_HDR 20
#define IPV6_HDR 40
#define TCP_MIN_HDR 20
/* More extension headers than this is not a packet our stack sent. */
#define IPV6_MAX_EXT 8

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static enum packet_result parse_tcp(const uint8_t *p, size_t len,
				    size_t ip_payload_len, struct rst_event *ev)
{
	size_t doff;

	if (len < TCP_MIN_HDR)
		return PACKET_E_TRUNCATED;
	doff = (size_t)(p[12] >> 4) * 4;
	/* Options may be cut by the snaplen; the fixed header may not. */
	if (doff < TCP_MIN_HDR || doff > ip_payload_len)
		return PACKET_E_TRUNCATED;
	ev->lport = get_be16(p);
	ev->rport = get_be16(p + 2);
	ev->seq = get_be32(p + 4);
	ev->ack = get_be32(p + 8);
	ev->tcp_flags = p[13] & 0x3f;
	ev->window = get_be16(p + 14);
	ev->tcp_hdr_len = (uint8_t)doff;
	ev->payload_len = (uint16_t)(ip_payload_len - doff);
	if (!(ev->tcp_flags & TCPF_RST))
		return PACKET_E_NOT_RST;
	return PACKET_OK;
}

static enum packet_result parse_ipv4(const uint8_t *p, size_t len,
				     struct rst_event *ev)
{
	size_t ihl, tot;

	if (len < IPV4_MIN_HDR)
		return PACKET_E_TRUNCATED;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	tot = get_be16(p + 2);
	if (ihl < IPV4_MIN_HDR || ihl > len || tot < ihl)
		return PACKET_E_TRUNCATED;
	if (p[9] != IPPROTO_TCP)
		return PACKET_E_NOT_TCP;
	if ((get_be16(p + 6) & 0x1fff) != 0)
		return PACKET_E_FRAGMENT;
	ev->family = AF_INET;
	memset(ev->local, 0, sizeof(ev->local));
	memset(ev->remote, 0, sizeof(ev->remote));
	memcpy(ev->local, p + 12, 4);
	memcpy(ev->remote, p + 16, 4);
	/* The snaplen may have cut the packet: parse what we hold. */
	return parse_tcp(p + ihl, (tot < len ? tot : len) - ihl, tot - ihl, ev);
}

static enum packet_result parse_ipv6(const uint8_t *p, size_t len,
				     struct rst_event *ev)
{
	size_t off = IPV6_HDR, plen, end, hlen;
	uint8_t nh;
	int i;

	if (len < IPV6_HDR)
		return PACKET_E_TRUNCATED;
	plen = get_be16(p + 4);
	end = IPV6_HDR + plen;
	nh = p[6];
	ev->family = AF_INET6;
	memcpy(ev->local, p + 8, 16);
	memcpy(ev->remote, p + 24, 16);
	for (i = 0; i < IPV6_MAX_EXT && nh != IPPROTO_TCP; i++) {
		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (off + 2 > len || off + 2 > end)
				return PACKET_E_TRUNCATED;
			hlen = ((size_t)p[off + 1] + 1) * 8;
			break;
		case IPPROTO_FRAGMENT:
			if (off + 8 > len || off + 8 > end)
				return PACKET_E_TRUNCATED;
			if ((get_be16(p + off + 2) & 0xfff8) != 0)
				return PACKET_E_FRAGMENT;
			hlen = 8;
			break;
		default:
			return PACKET_E_NOT_TCP;
		}
		nh = p[off];
		off += hlen;
	}
	if (nh != IPPROTO_TCP)
		return PACKET_E_NOT_TCP;
	if (off > len || off > end)
		return PACKET_E_TRUNCATED;
	return parse_tcp(p + off, (end < len ? end : len) - off, end - off, ev);
}

enum packet_result packet_parse_ip(const uint8_t *p, size_t len,
				   struct rst_event *ev)
{
	if (len < 1)
		return PACKET_E_TRUNCATED;
	switch (p[0] >> 4) {
	case 4:
		return parse_ipv4(p, len, ev);
	case 6:
		return parse_ipv6(p, len, ev);
	default:
		return PACKET_E_VERSION;
	}
}

static uint32_t attr_be32(const struct nlattr *a)
{
	return nlattr_be32(a);
}

/*
 * The exact payload length of each fixed-size NFLOG attribute; -1: a
 * NUL-terminated string; 0: any length.  The same rules as
 * libnetfilter_log's nflog_nlmsg_parse(), checked here in one loop
 * without a callback per attribute: this runs once per reset.
 */
static const int16_t nfula_len[NFULA_MAX + 1] = {
	[NFULA_HWTYPE] = 2,
	[NFULA_HWLEN] = 2,
	[NFULA_MARK] = 4,
	[NFULA_IFINDEX_INDEV] = 4,
	[NFULA_IFINDEX_OUTDEV] = 4,
	[NFULA_IFINDEX_PHYSINDEV] = 4,
	[NFULA_IFINDEX_PHYSOUTDEV] = 4,
	[NFULA_UID] = 4,
	[NFULA_SEQ] = 4,
	[NFULA_SEQ_GLOBAL] = 4,
	[NFULA_GID] = 4,
	[NFULA_CT_INFO] = 4,
	[NFULA_PACKET_HDR] = sizeof(struct nfulnl_msg_packet_hdr),
	[NFULA_TIMESTAMP] = sizeof(struct nfulnl_msg_packet_timestamp),
	[NFULA_HWADDR] = sizeof(struct nfulnl_msg_packet_hw),
	[NFULA_PREFIX] = -1,
};

_Static_assert(NFULA_MAX < PACKET_NFULA_SLOTS, "PACKET_NFULA_SLOTS too small");

int packet_nflog_attrs(const struct nlmsghdr *nlh,
		       const struct nlattr *attr[PACKET_NFULA_SLOTS])
{
	const uint8_t *p = (const uint8_t *)nlh + NLMSG_HDRLEN +
			   NLMSG_ALIGN(sizeof(struct nfgenmsg));
	/* The aligned end, as libmnl's walk (see packet.h). */
	const uint8_t *end = (const uint8_t *)nlh + NLMSG_ALIGN(nlh->nlmsg_len);

	while (end - p >= (ptrdiff_t)sizeof(struct nlattr)) {
		const struct nlattr *a = (const struct nlattr *)p;
		uint16_t type = a->nla_type & NLA_TYPE_MASK;
		size_t len;

		if (a->nla_len < sizeof(struct nlattr) || a->nla_len > end - p)
			break;
		len = a->nla_len - sizeof(struct nlattr);
		if (type <= NFULA_MAX) {
			int want = nfula_len[type];

			if (want > 0 && len != (size_t)want)
				return -1;
			if (want < 0 &&
			    (len == 0 || p[sizeof(struct nlattr) + len - 1]))
				return -1;
			attr[type] = a;
		}
		p += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

enum packet_result packet_parse_nflog(const struct nlmsghdr *nlh,
				      const struct timespec *now,
				      uint64_t now_mono_ns,
				      struct rst_event *ev)
{
	const struct nlattr *attr[PACKET_NFULA_SLOTS] = { NULL };
	const struct nfgenmsg *nfg;
	const struct nlattr *a;
	enum packet_result r;
	uint8_t family;

	memset(ev, 0, sizeof(*ev));
	ev->mono_ns = now_mono_ns;
	ev->ts = *now;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct nfgenmsg))
		return PACKET_E_MSG;
	nfg = nlattr_msg_payload(nlh);
	family = nfg->nfgen_family;
	if (packet_nflog_attrs(nlh, attr) < 0)
		return PACKET_E_MSG;

	/* Metadata first: the sequence number counts even if the payload
	 * turns out to be unusable. */
	if ((a = attr[NFULA_SEQ]) != NULL) {
		ev->nflog_seq = attr_be32(a);
		ev->has_seq = true;
	}
	if ((a = attr[NFULA_PACKET_HDR]) != NULL &&
	    nlattr_len(a) >= sizeof(struct nfulnl_msg_packet_hdr))
		ev->hook =
			((const struct nfulnl_msg_packet_hdr *)nlattr_payload(
				 a))
				->hook;
	if ((a = attr[NFULA_IFINDEX_OUTDEV]) != NULL)
		ev->oif = attr_be32(a);
	if ((a = attr[NFULA_UID]) != NULL) {
		ev->uid = attr_be32(a);
		ev->has_uid = true;
	}
	if ((a = attr[NFULA_GID]) != NULL) {
		ev->gid = attr_be32(a);
		ev->has_gid = true;
	}
	/* Output-hook packets carry no timestamp; other hooks may. */
	if ((a = attr[NFULA_TIMESTAMP]) != NULL) {
		struct nfulnl_msg_packet_timestamp t;

		/* Copied out: an attribute is only 4-byte aligned. */
		memcpy(&t, nlattr_payload(a), sizeof(t));
		ev->ts.tv_sec = (time_t)be64toh(t.sec);
		ev->ts.tv_nsec = (long)(be64toh(t.usec) % 1000000) * 1000;
		ev->has_kernel_ts = true;
	}

	a = attr[NFULA_PAYLOAD];
	if (a == NULL)
		return PACKET_E_NOPAYLOAD;
	r = packet_parse_ip(nlattr_payload(a), nlattr_len(a), ev);
	if (r != PACKET_OK)
		return r;
	/* In an inet table nfgen_family is the packet's own family. */
	if (family != AF_UNSPEC && family != ev->family)
		return PACKET_E_VERSION;
	return PACKET_OK;
}

const char *packet_result_name(enum packet_result r)
{
	static const char *const names[PACKET_E_MAX] = {
		[PACKET_OK] = "ok",
		[PACKET_E_MSG] = "bad_message",
		[PACKET_E_NOPAYLOAD] = "no_payload",
		[PACKET_E_TRUNCATED] = "truncated",
		[PACKET_E_VERSION] = "bad_version",
		[PACKET_E_NOT_TCP] = "not_tcp",
		[PACKET_E_FRAGMENT] = "fragment",
		[PACKET_E_NOT_RST] = "not_rst",
	};

	if ((unsigned int)r >= PACKET_E_MAX)
		return "unknown";
	return names[r];
}

const char *packet_flags_str(uint8_t flags, char *buf)
{
	/* R first: every event is a reset, the rest qualifies it. */
	static const struct {
		uint8_t bit;
		char c;
	} order[] = {
		{ TCPF_RST, 'R' }, { TCPF_ACK, 'A' }, { TCPF_SYN, 'S' },
		{ TCPF_FIN, 'F' }, { TCPF_PSH, 'P' }, { TCPF_URG, 'U' },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (flags & order[i].bit)
			buf[n++] = order[i].c;
	buf[n] = '\0';
	return buf;
}
