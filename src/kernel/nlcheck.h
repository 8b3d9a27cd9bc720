/* nlcheck: a received netlink datagram that libmnl can walk safely. */
#ifndef RSTMON_NLCHECK_H
#define RSTMON_NLCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>

/*
 * libmnl 1.0.4's mnl_nlmsg_ok() compares (int)nlmsg_len with the bytes
 * left, so a message claiming 2 GiB or more passes, and mnl_cb_run()
 * hands it to the callback and steps 2 GiB on (RUSTSEC-2025-0142, fixed
 * upstream after 1.0.4).  The kernel never sends one, but bytes from a
 * socket are checked, not trusted: walk the datagram as mnl_cb_run()
 * does, with unsigned lengths, and refuse it if it holds such a message.
 */
static inline bool nl_datagram_ok(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t pos = 0;
	uint32_t n;

	while (len - pos >= MNL_NLMSG_HDRLEN) {
		memcpy(&n, p + pos, sizeof(n)); /* nlmsg_len */
		if (n > INT32_MAX)
			return false;
		/* Where mnl_cb_run() stops: the rest is not walked. */
		if (n < MNL_NLMSG_HDRLEN || n > len - pos)
			break;
		pos += MNL_ALIGN(n);
		if (pos > len)
			break;
	}
	return true;
}

#endif
