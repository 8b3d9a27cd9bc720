/* nlbuild: netlink messages built for tests, as libmnl's mnl_nlmsg_put_*
 * and mnl_attr_put* build them — without libmnl, which the core's tests
 * do not link. */
#ifndef RSTMON_NLBUILD_H
#define RSTMON_NLBUILD_H

#include <stdint.h>
#include <string.h>

#include <linux/netlink.h>

/* A zeroed header at buf: nlmsg_len covers it alone. */
static inline struct nlmsghdr *nlb_put_header(void *buf)
{
	struct nlmsghdr *nlh = buf;

	memset(nlh, 0, NLMSG_HDRLEN);
	nlh->nlmsg_len = NLMSG_HDRLEN;
	return nlh;
}

/* size zeroed bytes (aligned) at the message's end. */
static inline void *nlb_put_extra_header(struct nlmsghdr *nlh, size_t size)
{
	uint8_t *p = (uint8_t *)nlh + nlh->nlmsg_len;

	memset(p, 0, NLMSG_ALIGN(size));
	nlh->nlmsg_len += NLMSG_ALIGN(size);
	return p;
}

static inline void nlb_attr_put(struct nlmsghdr *nlh, uint16_t type, size_t len,
				const void *data)
{
	struct nlattr *a =
		(struct nlattr *)(void *)((uint8_t *)nlh + nlh->nlmsg_len);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len > 0) /* data may be NULL then (memcpy's contract) */
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	memset((uint8_t *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	nlh->nlmsg_len += NLA_ALIGN(NLA_HDRLEN + len);
}

static inline void nlb_attr_put_strz(struct nlmsghdr *nlh, uint16_t type,
				     const char *s)
{
	nlb_attr_put(nlh, type, strlen(s) + 1, s);
}

static inline void nlb_attr_put_u16(struct nlmsghdr *nlh, uint16_t type,
				    uint16_t v)
{
	nlb_attr_put(nlh, type, sizeof(v), &v);
}

static inline void nlb_attr_put_u32(struct nlmsghdr *nlh, uint16_t type,
				    uint32_t v)
{
	nlb_attr_put(nlh, type, sizeof(v), &v);
}

static inline void nlb_attr_put_u64(struct nlmsghdr *nlh, uint16_t type,
				    uint64_t v)
{
	nlb_attr_put(nlh, type, sizeof(v), &v);
}

/* The first attribute, after a family header of hdrlen bytes. */
static inline struct nlattr *nlb_first_attr(struct nlmsghdr *nlh, size_t hdrlen)
{
	return (struct nlattr *)(void *)((uint8_t *)nlh + NLMSG_HDRLEN +
					 NLMSG_ALIGN(hdrlen));
}

#endif
