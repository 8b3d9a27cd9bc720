/* proven: pure — remote addresses that completed a TCP handshake lately. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "hash.h"
#include "proven.h"

_Static_assert((PROVEN_SLOTS & (PROVEN_SLOTS - 1)) == 0 &&
		       PROVEN_SLOTS % PROVEN_WAYS == 0,
	       "slots: a power of two, whole groups");

static size_t alen(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* The first slot of addr's group. */
static unsigned int group(uint8_t family, const uint8_t *addr)
{
	uint8_t key[16] = { 0 };
	uint64_t w0, w1;

	memcpy(key, addr, alen(family));
	memcpy(&w0, key, 8);
	memcpy(&w1, key + 8, 8);
	return (unsigned int)(hash_pair(w0, w1 ^ family) &
			      (PROVEN_SLOTS / PROVEN_WAYS - 1)) *
	       PROVEN_WAYS;
}

static bool same(const struct proven_entry *e, uint8_t family,
		 const uint8_t *addr)
{
	return e->family == family && memcmp(e->addr, addr, alen(family)) == 0;
}

struct proven *proven_new(void)
{
	/* calloc: pages stay out of the RSS until used. */
	return calloc(1, sizeof(struct proven));
}

void proven_see(struct proven *p, uint8_t family, const uint8_t *addr,
		uint64_t now_ms)
{
	unsigned int g = group(family, addr), i, victim = g;
	struct proven_entry *e;

	if (family != AF_INET && family != AF_INET6)
		return;
	for (i = g; i < g + PROVEN_WAYS; i++) {
		if (same(&p->e[i], family, addr)) {
			p->e[i].seen_ms = now_ms;
			return;
		}
		if (p->e[i].family == 0) {
			if (p->e[victim].family != 0)
				victim = i;
		} else if (p->e[victim].family != 0 &&
			   p->e[i].seen_ms < p->e[victim].seen_ms) {
			victim = i;
		}
	}
	e = &p->e[victim];
	if (e->family != 0)
		p->replaced++;
	memset(e, 0, sizeof(*e));
	e->family = family;
	memcpy(e->addr, addr, alen(family));
	e->seen_ms = now_ms;
}

bool proven_has(const struct proven *p, uint8_t family, const uint8_t *addr,
		uint64_t now_ms, uint64_t window_ms)
{
	unsigned int g = group(family, addr), i;

	for (i = g; i < g + PROVEN_WAYS; i++)
		if (same(&p->e[i], family, addr))
			return now_ms - p->e[i].seen_ms <= window_ms;
	return false;
}
