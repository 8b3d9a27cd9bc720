/* banlist: the addresses rstmond has put in its nft sets, and until
 * when.  Pure, bounded: at most `max` entries, expired ones reclaimed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "banlist.h"
#include "hash.h"

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

static unsigned int slot_of(const struct banlist *b, uint8_t family,
			    const uint8_t *addr)
{
	return (unsigned int)hash_pair(hash_bytes(addr, addr_len(family)),
				       family) &
	       (b->cap - 1);
}

int banlist_init(struct banlist *b, unsigned int max)
{
	unsigned int cap = 16;

	memset(b, 0, sizeof(*b));
	if (max == 0 || max > BANLIST_MAX) {
		errno = EINVAL;
		return -1;
	}
	/* Load factor at most 1/2: probes stay short. */
	while (cap < 2 * max)
		cap *= 2;
	b->v = calloc(cap, sizeof(*b->v));
	if (b->v == NULL)
		return -1;
	b->cap = cap;
	b->max = max;
	return 0;
}

void banlist_fini(struct banlist *b)
{
	free(b->v);
	memset(b, 0, sizeof(*b));
}

static bool same(const struct ban *e, uint8_t family, const uint8_t *addr)
{
	return e->family == family &&
	       memcmp(e->addr, addr, addr_len(family)) == 0;
}

/* Remove slot i, re-placing the rest of its cluster (no tombstones). */
static void remove_at(struct banlist *b, unsigned int i)
{
	unsigned int j = i, k;

	b->v[i].family = 0;
	b->n--;
	for (;;) {
		j = (j + 1) & (b->cap - 1);
		if (b->v[j].family == 0)
			return;
		k = slot_of(b, b->v[j].family, b->v[j].addr);
		/* Move v[j] into the hole at i unless its home slot k lies
		 * cyclically in (i, j]. */
		if ((j > i && (k <= i || k > j)) ||
		    (j < i && (k <= i && k > j))) {
			b->v[i] = b->v[j];
			b->v[j].family = 0;
			i = j;
		}
	}
}

unsigned int banlist_expire(struct banlist *b, uint64_t now_ms)
{
	unsigned int i = 0, n = 0;
	uint64_t next = UINT64_MAX;

	/* Runs every tick: walking (and so paging in) a table of
	 * megabytes is for when a ban is due, not before. */
	if (b->n == 0 || now_ms < b->next_expiry)
		return 0;
	while (i < b->cap) {
		if (b->v[i].family != 0 && b->v[i].expires_ms <= now_ms) {
			/* remove_at may pull a later entry into slot i:
			 * look at i again. */
			remove_at(b, i);
			n++;
			continue;
		}
		if (b->v[i].family != 0 && b->v[i].expires_ms < next)
			next = b->v[i].expires_ms;
		i++;
	}
	b->next_expiry = next;
	return n;
}

static int lookup(const struct banlist *b, uint8_t family, const uint8_t *addr)
{
	unsigned int i = slot_of(b, family, addr);

	while (b->v[i].family != 0) {
		if (same(&b->v[i], family, addr))
			return (int)i;
		i = (i + 1) & (b->cap - 1);
	}
	return -1;
}

int banlist_add(struct banlist *b, uint64_t now_ms, const struct ban *ban)
{
	int at = lookup(b, ban->family, ban->addr);
	unsigned int i;

	if (at >= 0) {
		struct ban *e = &b->v[at];

		if (e->expires_ms <= now_ms) {
			*e = *ban;
			return 1;
		}
		if (ban->expires_ms > e->expires_ms) {
			e->expires_ms = ban->expires_ms;
			e->expires_wall = ban->expires_wall;
		}
		e->drop = e->drop || ban->drop;
		return 0;
	}
	if (b->n >= b->max && banlist_expire(b, now_ms) == 0) {
		b->refused++;
		return -1;
	}
	i = slot_of(b, ban->family, ban->addr);
	while (b->v[i].family != 0)
		i = (i + 1) & (b->cap - 1);
	b->v[i] = *ban;
	memset(b->v[i].addr + addr_len(ban->family), 0,
	       16 - addr_len(ban->family));
	if (b->n == 0 || ban->expires_ms < b->next_expiry)
		b->next_expiry = ban->expires_ms;
	b->n++;
	return 1;
}

int banlist_remove(struct banlist *b, uint8_t family, const uint8_t *addr)
{
	int at = lookup(b, family, addr);

	if (at < 0)
		return 0;
	remove_at(b, (unsigned int)at);
	return 1;
}

const struct ban *banlist_find(const struct banlist *b, uint64_t now_ms,
			       uint8_t family, const uint8_t *addr)
{
	int at = lookup(b, family, addr);

	if (at < 0 || b->v[at].expires_ms <= now_ms)
		return NULL;
	return &b->v[at];
}

const struct ban *banlist_next(const struct banlist *b, uint64_t now_ms,
			       unsigned int *it)
{
	while (*it < b->cap) {
		const struct ban *e = &b->v[(*it)++];

		if (e->family != 0 && e->expires_ms > now_ms)
			return e;
	}
	return NULL;
}
