/* allowlist: addresses rstmon must never act on (CIDR matching).  Pure. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "allowlist.h"

static void mask(uint8_t *a, unsigned int plen, size_t alen)
{
	size_t i;

	for (i = 0; i < alen; i++) {
		unsigned int bits = plen > i * 8 ? plen - (unsigned int)i * 8 :
						   0;

		if (bits >= 8)
			continue;
		a[i] &= (uint8_t)(0xff00u >> bits);
	}
}

int cidr_parse(const char *s, struct cidr *out)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long plen;
	size_t alen;

	if (strlen(s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	memset(out, 0, sizeof(*out));
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, out->addr) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, out->addr) == 1)
		out->family = AF_INET6;
	else
		return -1;
	alen = out->family == AF_INET ? 4 : 16;
	plen = alen * 8;
	if (slash != NULL) {
		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		plen = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || plen > alen * 8)
			return -1;
	}
	out->plen = (uint8_t)plen;
	mask(out->addr, out->plen, alen);
	return 0;
}

const char *cidr_str(const struct cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(c->family, c->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, c->plen);
	return buf;
}

void allowlist_init(struct allowlist *a)
{
	a->n = 0;
}

int allowlist_add(struct allowlist *a, const struct cidr *c)
{
	if (a->n >= ALLOW_MAX)
		return -1;
	a->v[a->n++] = *c;
	return 0;
}

void allowlist_add_loopback(struct allowlist *a)
{
	struct cidr c;

	cidr_parse("127.0.0.0/8", &c);
	allowlist_add(a, &c);
	cidr_parse("::1/128", &c);
	allowlist_add(a, &c);
}

static bool cidr_covers(const struct cidr *c, uint8_t family,
			const uint8_t *addr)
{
	uint8_t tmp[16];
	size_t alen = family == AF_INET ? 4 : 16;

	if (c->family != family)
		return false;
	memcpy(tmp, addr, alen);
	mask(tmp, c->plen, alen);
	return memcmp(tmp, c->addr, alen) == 0;
}

bool allowlist_match(const struct allowlist *a, uint8_t family,
		     const uint8_t *addr)
{
	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };
	unsigned int i;

	/* An IPv4-mapped address is also the IPv4 address it carries. */
	if (family == AF_INET6 && memcmp(addr, v4mapped, 12) == 0 &&
	    allowlist_match(a, AF_INET, addr + 12))
		return true;
	for (i = 0; i < a->n; i++)
		if (cidr_covers(&a->v[i], family, addr))
			return true;
	return false;
}
