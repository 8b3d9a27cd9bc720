/* ifcache: interface index -> name, cached so a flood costs no syscall. */
#include <string.h>

#include "ifcache.h"

void ifcache_init(struct ifcache *c)
{
	memset(c, 0, sizeof(*c));
}

const char *ifcache_name(struct ifcache *c, uint32_t ifindex,
			 uint64_t now_ms)
{
	struct ifcache_slot *s;
	unsigned int i;

	if (ifindex == 0)
		return NULL;
	for (i = 0; i < IFCACHE_SLOTS; i++) {
		s = &c->slot[i];
		if (s->ifindex == ifindex && s->expires_ms > now_ms)
			return s->name[0] ? s->name : NULL;
	}
	/* Miss: one ioctl, then cached (a missing name is cached too). */
	s = &c->slot[c->next];
	c->next = (c->next + 1) % IFCACHE_SLOTS;
	c->lookups++;
	s->ifindex = ifindex;
	s->expires_ms = now_ms + IFCACHE_TTL_MS;
	if (if_indextoname(ifindex, s->name) == NULL)
		s->name[0] = '\0';
	return s->name[0] ? s->name : NULL;
}
