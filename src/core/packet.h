/* packet: pure parser, NFLOG message -> struct rst_event.  No I/O. */
#ifndef RSTMON_PACKET_H
#define RSTMON_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct nlmsghdr;
struct nlattr;

/* Room for every NFLOG attribute type (NFULA_*): headers differ in how
 * many they know (libnetfilter_log ships an older copy). */
#define PACKET_NFULA_SLOTS 32

#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_PSH 0x08
#define TCPF_ACK 0x10
#define TCPF_URG 0x20

/*
 * One reset this host sent.  "local" is the packet's source (our end),
 * "remote" its destination.  Addresses are in network order; an IPv4
 * address takes the first 4 bytes.  Ports and numbers are in host order.
 */
struct rst_event {
	struct timespec ts; /* wall clock: kernel stamp or receipt */
	uint64_t mono_ns;   /* monotonic receipt time, for windows */
	uint8_t family;	    /* AF_INET or AF_INET6 */
	uint8_t tcp_flags;
	uint8_t hook;	     /* NF_INET_* hook that logged it */
	uint8_t tcp_hdr_len; /* bytes, options included */
	uint8_t local[16];
	uint8_t remote[16];
	uint16_t lport;
	uint16_t rport;
	uint32_t seq;
	uint32_t ack;
	uint16_t window;
	uint16_t payload_len; /* TCP data bytes, from the IP length */
	uint32_t oif;	      /* output ifindex, 0 when absent */
	uint32_t uid;
	uint32_t gid;
	uint32_t nflog_seq;
	bool has_uid;
	bool has_gid;
	bool has_seq;
	bool has_kernel_ts;
};

enum packet_result {
	PACKET_OK = 0,
	PACKET_E_MSG,	    /* netlink message or attributes malformed */
	PACKET_E_NOPAYLOAD, /* no NFULA_PAYLOAD (copy mode not packet?) */
	PACKET_E_TRUNCATED, /* payload shorter than the headers it claims */
	PACKET_E_VERSION,   /* not IPv4/IPv6, or family disagrees */
	PACKET_E_NOT_TCP,
	PACKET_E_FRAGMENT, /* a non-first fragment: no TCP header */
	PACKET_E_NOT_RST,  /* TCP, but the RST flag is clear */
	PACKET_E_MAX
};

/*
 * Parse an IPv4 or IPv6 packet holding a TCP header into ev (addresses,
 * ports, flags, seq/ack, window, payload length).  Every length is checked
 * against len; fields of ev outside the packet are left untouched.
 * Returns PACKET_OK or the reason the packet was skipped.
 */
enum packet_result packet_parse_ip(const uint8_t *p, size_t len,
				   struct rst_event *ev);

/*
 * The attributes of an NFLOG packet message by type (attr, of
 * PACKET_NFULA_SLOTS, is zeroed by the caller), the last of a type
 * winning; nlmsg_len must be at least the headers'.  A malformed attribute length ends the walk, as
 * mnl_attr_parse() does; a known attribute of the wrong size makes it
 * return -1, as nflog_nlmsg_parse() does.  0 otherwise.
 */
int packet_nflog_attrs(const struct nlmsghdr *nlh,
		       const struct nlattr *attr[PACKET_NFULA_SLOTS]);

/*
 * Parse one NFULNL_MSG_PACKET message.  The message must lie within a
 * buffer of at least NLMSG_ALIGN(nlh->nlmsg_len) bytes: libmnl walks the
 * attributes up to the aligned end (mnl_cb_run() checks the length, and
 * the kernel pads every message).
 * `now` is used as the timestamp when the kernel gave none.  ev is always
 * cleared, and its metadata (sequence number, uid…) filled whenever the
 * attributes are valid, even when the payload is then refused.
 */
enum packet_result packet_parse_nflog(const struct nlmsghdr *nlh,
				      const struct timespec *now,
				      uint64_t now_mono_ns,
				      struct rst_event *ev);

/* A short stable name for a result ("ok", "truncated", …). */
const char *packet_result_name(enum packet_result r);

/* "R", "RA", "RAP"… : the flags set, in a fixed order.  buf >= 9 bytes. */
const char *packet_flags_str(uint8_t flags, char *buf);

#endif
