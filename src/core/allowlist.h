/* allowlist: addresses rstmon must never act on (CIDR matching).  Pure. */
#ifndef RSTMON_ALLOWLIST_H
#define RSTMON_ALLOWLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ALLOW_MAX 256

struct cidr {
	uint8_t family;	  /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order, host bits cleared */
	uint8_t plen;
};

struct allowlist {
	struct cidr v[ALLOW_MAX];
	unsigned int n;
};

/*
 * "10.0.0.0/8", "2001:db8::/32", "192.0.2.7" (a /32), "::1" (a /128).
 * Host bits beyond the prefix are cleared.  Returns 0, or -1 when the
 * text is not an address with an optional prefix length in range.
 */
int cidr_parse(const char *s, struct cidr *out);
/* "10.0.0.0/8" */
const char *cidr_str(const struct cidr *c, char *buf, size_t len);

void allowlist_init(struct allowlist *a);
/* Loopback (127.0.0.0/8, ::1/128) is always allowed: added here. */
void allowlist_add_loopback(struct allowlist *a);
/* -1 when full. */
int allowlist_add(struct allowlist *a, const struct cidr *c);
/*
 * Is addr (of family, network order) covered?  An IPv4-mapped IPv6
 * address is covered by IPv6 entries and by the IPv4 entries that cover
 * the IPv4 address it carries.
 */
bool allowlist_match(const struct allowlist *a, uint8_t family,
		     const uint8_t *addr);

#endif
