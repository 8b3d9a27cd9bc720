/* nlattr: pure — netlink messages and attributes read in place, every
 * length checked, for the parsers of the core (NFLOG packets, rtnetlink
 * changes) that must build and link without libmnl. */
#ifndef RSTMON_NLATTR_H
#define RSTMON_NLATTR_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/netlink.h>

/* The payload of a message, after its netlink header. */
static inline const void *nlattr_msg_payload(const struct nlmsghdr *nlh)
{
	return (const uint8_t *)nlh + NLMSG_HDRLEN;
}

static inline const void *nlattr_payload(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

/* Payload bytes of an attribute (nlattr_parse checked nla_len). */
static inline size_t nlattr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* A 4-byte payload in network order (attributes are only 4-aligned). */
static inline uint32_t nlattr_be32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, nlattr_payload(a), sizeof(v));
	return ntohl(v);
}

/*
 * The attributes of nlh after its family header of hdrlen bytes, in
 * tb[0..max] (the last of a type wins; types above max are skipped).
 * The walk ends at the message's end or at the first attribute whose
 * length does not fit, as libmnl's does.  Returns 0, or -1 when the
 * message is shorter than its headers.
 */
int nlattr_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		 const struct nlattr **tb, unsigned int max);

#endif
