/* nlattr: pure — netlink attributes read in place, every length checked. */
#include "nlattr.h"

int nlattr_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		 const struct nlattr **tb, unsigned int max)
{
	size_t start = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);
	const uint8_t *p, *end;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + hdrlen)
		return -1;
	p = (const uint8_t *)nlh + start;
	/* Beyond nlmsg_len the datagram may go on: never read there. */
	end = (const uint8_t *)nlh + nlh->nlmsg_len;
	while (p < end && (size_t)(end - p) >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)(const void *)p;
		uint16_t type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > end - p)
			break;
		if (type <= max)
			tb[type] = a;
		/* The last one may lack its padding: stop within bounds. */
		if ((size_t)(end - p) <= (size_t)NLA_ALIGN(a->nla_len))
			break;
		p += NLA_ALIGN(a->nla_len);
	}
	return 0;
}
