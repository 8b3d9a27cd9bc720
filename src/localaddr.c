/* localaddr: the addresses of this network namespace, refreshed now and
 * then, to tell our own resets from ones a firewall forged for a peer. */
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "localaddr.h"

int localaddr_refresh(struct localaddr *la)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa) < 0) {
		la->ok = false;
		return -1;
	}
	la->n = 0;
	for (i = ifa; i != NULL && la->n < LOCALADDR_MAX; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			const struct sockaddr_in *s = (const void *)i->ifa_addr;

			la->family[la->n] = AF_INET;
			memset(la->addr[la->n], 0, 16);
			memcpy(la->addr[la->n], &s->sin_addr, 4);
			la->n++;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct sockaddr_in6 *s = (const void *)i->ifa_addr;

			la->family[la->n] = AF_INET6;
			memcpy(la->addr[la->n], &s->sin6_addr, 16);
			la->n++;
		}
	}
	freeifaddrs(ifa);
	la->ok = true;
	return 0;
}

bool localaddr_has(const struct localaddr *la, uint8_t family,
		   const uint8_t *addr)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };
	size_t len = family == AF_INET6 ? 16 : 4;
	unsigned int i;

	if (!la->ok)
		return true;
	if (family == AF_INET && addr[0] == 127)
		return true;
	if (family == AF_INET6 && memcmp(addr, v6_loopback, 16) == 0)
		return true;
	for (i = 0; i < la->n; i++)
		if (la->family[i] == family &&
		    memcmp(la->addr[i], addr, len) == 0)
			return true;
	return false;
}
