/* inventory: who listened on each port and until when, and which
 * connections were ours lately.  Pure: fed by sock_diag dumps. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "hash.h"
#include "inventory.h"

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0,    0,
					     0, 0, 0, 0, 0xff, 0xff };

/* What an all-zero inventory lacks to be empty: no port has a chain. */
static void inventory_start(struct inventory *inv)
{
	memset(inv->port_head, 0xff, sizeof(inv->port_head));
}

void inventory_init(struct inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
	inventory_start(inv);
}

struct inventory *inventory_new(void)
{
	/* calloc's fresh pages stay untouched (and out of the RSS) until a
	 * table fills them; a memset would make all 2.5 MB resident. */
	struct inventory *inv = calloc(1, sizeof(*inv));

	if (inv != NULL)
		inventory_start(inv);
	return inv;
}

static size_t alen(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

static bool is_zero(const uint8_t *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != 0)
			return false;
	return true;
}

bool inventory_unmap(uint8_t *family, uint8_t *a, uint8_t *b)
{
	if (*family != AF_INET6 || memcmp(a, v4mapped_prefix, 12) != 0 ||
	    memcmp(b, v4mapped_prefix, 12) != 0)
		return false;
	memmove(a, a + 12, 4);
	memset(a + 4, 0, 12);
	memmove(b, b + 12, 4);
	memset(b + 4, 0, 12);
	*family = AF_INET;
	return true;
}

void inventory_listeners_begin(struct inventory *inv)
{
	inv->gen++;
}

static void chain_unlink(struct inventory *inv, int32_t idx)
{
	int32_t *p = &inv->port_head[inv->ls[idx].port];

	while (*p >= 0) {
		if (*p == idx) {
			*p = inv->ls[idx].next;
			return;
		}
		p = &inv->ls[*p].next;
	}
}

/* A slot for a new listener: free, or the oldest gone one. */
static int32_t listener_slot(struct inventory *inv)
{
	int32_t best = -1;
	unsigned int i;

	if (inv->nls < INV_LISTENERS)
		return (int32_t)inv->nls++;
	for (i = 0; i < INV_LISTENERS; i++) {
		const struct listener *l = &inv->ls[i];

		if (!l->alive &&
		    (best < 0 || l->gone_ms < inv->ls[best].gone_ms))
			best = (int32_t)i;
	}
	if (best >= 0)
		chain_unlink(inv, best);
	return best;
}

struct listener *inventory_listener_add(struct inventory *inv,
					const struct sockinfo *si,
					uint64_t now_ms)
{
	size_t n = alen(si->family);
	struct listener *l;
	int32_t i;

	for (i = inv->port_head[si->sport]; i >= 0; i = inv->ls[i].next) {
		l = &inv->ls[i];
		if (l->family == si->family && memcmp(l->addr, si->src, n) == 0)
			goto found;
	}
	i = listener_slot(inv);
	if (i < 0) {
		inv->listeners_dropped++;
		return NULL;
	}
	l = &inv->ls[i];
	memset(l, 0, sizeof(*l));
	l->family = si->family;
	memcpy(l->addr, si->src, n);
	l->port = si->sport;
	l->first_ms = now_ms;
	l->next = inv->port_head[si->sport];
	inv->port_head[si->sport] = i;
found:
	/* A new socket on the same address:port is a restart: a new owner. */
	if (l->inode != si->inode) {
		l->has_owner = false;
		l->first_ms = now_ms;
	}
	l->alive = true;
	l->gone_ms = 0;
	l->gone_wall = 0;
	l->v6only = si->v6only;
	l->uid = si->uid;
	l->inode = si->inode;
	l->cgroup_id = si->has_cgroup ? si->cgroup_id : 0;
	l->backlog = si->wqueue;
	l->queue = si->rqueue;
	l->last_ms = now_ms;
	l->gen = inv->gen;
	return l;
}

void inventory_listeners_end(struct inventory *inv, uint64_t now_ms,
			     int64_t now_wall)
{
	unsigned int i;

	for (i = 0; i < inv->nls; i++) {
		struct listener *l = &inv->ls[i];

		if (l->alive && l->gen != inv->gen) {
			l->alive = false;
			l->gone_ms = now_ms;
			l->gone_wall = now_wall;
		}
	}
}

void inventory_listener_gone(struct listener *l, uint64_t now_ms,
			     int64_t now_wall)
{
	if (!l->alive)
		return;
	l->alive = false;
	l->gone_ms = now_ms;
	l->gone_wall = now_wall;
}

/* Does listener l accept packets to local (of family)? */
static int listener_match(const struct listener *l, uint8_t family,
			  const uint8_t *local)
{
	if (l->family == family) {
		if (memcmp(l->addr, local, alen(family)) == 0)
			return 2; /* exact */
		if (is_zero(l->addr, alen(family)))
			return 1; /* wildcard */
		return 0;
	}
	/* An IPv6 socket answering IPv4: [::] or ::ffff:a.b.c.d. */
	if (family == AF_INET && l->family == AF_INET6 && !l->v6only) {
		if (is_zero(l->addr, 16))
			return 1;
		if (memcmp(l->addr, v4mapped_prefix, 12) == 0 &&
		    memcmp(l->addr + 12, local, 4) == 0)
			return 2;
	}
	return 0;
}

struct listener *inventory_listener(struct inventory *inv, uint8_t family,
				    const uint8_t *local, uint16_t lport,
				    bool alive_only)
{
	struct listener *best = NULL, *gone = NULL;
	int best_score = 0, score;
	int32_t i;

	for (i = inv->port_head[lport]; i >= 0; i = inv->ls[i].next) {
		struct listener *l = &inv->ls[i];

		score = listener_match(l, family, local);
		if (score == 0)
			continue;
		if (l->alive) {
			if (score > best_score) {
				best = l;
				best_score = score;
			}
		} else if (gone == NULL || l->gone_ms > gone->gone_ms) {
			gone = l;
		}
	}
	if (best != NULL || alive_only)
		return best;
	return gone;
}

bool inventory_port_listening(const struct inventory *inv, uint8_t family,
			      uint16_t port)
{
	int32_t i;

	for (i = inv->port_head[port]; i >= 0; i = inv->ls[i].next) {
		const struct listener *l = &inv->ls[i];

		if (l->alive &&
		    (l->family == family || (family == AF_INET && !l->v6only)))
			return true;
	}
	return false;
}

/* The tuple's hash: the table is ours, not an attack surface (only
 * sockets of this host enter it), so speed matters more than keys. */
static uint32_t conn_hash(uint8_t family, const uint8_t *local, uint16_t lport,
			  const uint8_t *remote, uint16_t rport)
{
	uint64_t l[2] = { 0, 0 }, r[2] = { 0, 0 }, h;

	memcpy(l, local, alen(family));
	memcpy(r, remote, alen(family));
	h = hash_pair(l[0] ^ hash_rotl(l[1], 17) ^ ((uint64_t)lport << 48),
		      r[0] ^ hash_rotl(r[1], 29) ^ ((uint64_t)rport << 48) ^
			      family);
	return (uint32_t)(h >> 32) | 1; /* never 0, the free tag */
}

static bool conn_is(const struct conn *c, uint8_t family, const uint8_t *local,
		    uint16_t lport, const uint8_t *remote, uint16_t rport)
{
	size_t n = alen(family);

	return c->family == family && c->lport == lport && c->rport == rport &&
	       memcmp(c->local, local, n) == 0 &&
	       memcmp(c->remote, remote, n) == 0;
}

/* First slot of the tag's group. */
static unsigned int conn_group(uint32_t tag)
{
	return (tag >> 1) * INV_CONN_WAYS & (INV_CONNS - 1);
}

struct conn *inventory_conn_add(struct inventory *inv,
				const struct sockinfo *si, uint64_t now_ms)
{
	uint8_t family = si->family, local[16], remote[16];
	struct conn *c;
	unsigned int g, i, victim = INV_CONNS;
	uint32_t tag;

	memcpy(local, si->src, 16);
	memcpy(remote, si->dst, 16);
	inventory_unmap(&family, local, remote);
	tag = conn_hash(family, local, si->sport, remote, si->dport);
	g = conn_group(tag);
	for (i = g; i < g + INV_CONN_WAYS; i++) {
		if (inv->conn_tag[i] == tag &&
		    conn_is(&inv->conns[i], family, local, si->sport, remote,
			    si->dport)) {
			c = &inv->conns[i];
			goto fill;
		}
		if (inv->conn_tag[i] == 0) {
			if (victim == INV_CONNS || inv->conn_tag[victim] != 0)
				victim = i;
		} else if (victim == INV_CONNS ||
			   (inv->conn_tag[victim] != 0 &&
			    inv->conns[i].last_ms <
				    inv->conns[victim].last_ms)) {
			victim = i;
		}
	}
	/* Not present: take a free slot or evict the group's stalest. */
	if (inv->conn_tag[victim] != 0)
		inv->conns_evicted++;
	else
		inv->nconns++;
	inv->conn_tag[victim] = tag;
	c = &inv->conns[victim];
	memset(c, 0, sizeof(*c));
	c->family = family;
	memcpy(c->local, local, alen(family));
	memcpy(c->remote, remote, alen(family));
	c->lport = si->sport;
	c->rport = si->dport;
	c->first_ms = now_ms;
	inv->conn_ports[c->lport / 64] |= 1ull << (c->lport % 64);
fill:
	c->state = si->state;
	c->reset = false;
	/* Timewait entries report uid and inode 0: keep what we knew. */
	if (si->inode != 0) {
		c->uid = si->uid;
		c->inode = si->inode;
	}
	c->last_ms = now_ms;
	return c;
}

void inventory_conns_end(struct inventory *inv)
{
	unsigned int i;

	/* Forget the ports of evicted entries: rebuilt from the table. */
	memset(inv->conn_ports, 0, sizeof(inv->conn_ports));
	for (i = 0; i < INV_CONNS; i++)
		if (inv->conn_tag[i] != 0)
			inv->conn_ports[inv->conns[i].lport / 64] |=
				1ull << (inv->conns[i].lport % 64);
	inv->conn_gen++;
}

void inventory_conn_reset(struct inventory *inv, const struct conn *c)
{
	inv->conns[c - inv->conns].reset = true;
}

const struct conn *inventory_conn(const struct inventory *inv, uint8_t family,
				  const uint8_t *local, uint16_t lport,
				  const uint8_t *remote, uint16_t rport,
				  uint64_t now_ms, uint64_t max_age_ms)
{
	uint32_t tag;
	unsigned int g, i;
	const struct conn *c;

	if (!(inv->conn_ports[lport / 64] & 1ull << (lport % 64)))
		return NULL;
	tag = conn_hash(family, local, lport, remote, rport);
	g = conn_group(tag);
	for (i = g; i < g + INV_CONN_WAYS; i++) {
		if (inv->conn_tag[i] != tag)
			continue;
		c = &inv->conns[i];
		if (conn_is(c, family, local, lport, remote, rport))
			return now_ms - c->last_ms <= max_age_ms ? c : NULL;
	}
	return NULL;
}
