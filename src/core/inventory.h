/* inventory: who listened on each port and until when, and which
 * connections were ours lately.  Pure: fed by sock_diag dumps. */
#ifndef RSTMON_INVENTORY_H
#define RSTMON_INVENTORY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "owner.h"
#include "sockinfo.h"

#define INV_LISTENERS 2048
#define INV_CONNS 16384 /* power of two */
/* Slots per group of the connection table: one cache line of tags. */
#define INV_CONN_WAYS 16

/*
 * A listening socket, alive or remembered.  A port whose listener went
 * away keeps its entry (alive false, gone_ms set) so a closed-port reset
 * can name the last owner; gone entries are evicted oldest first.
 */
struct listener {
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;
	bool v6only;
	bool alive;
	bool has_owner;
	uint32_t uid;
	uint32_t backlog; /* listen() backlog */
	uint32_t queue;	  /* accept queue at the last dump */
	uint64_t inode;
	uint64_t cgroup_id;
	uint64_t first_ms; /* monotonic */
	uint64_t last_ms;
	uint64_t gone_ms;  /* 0 while alive */
	int64_t gone_wall; /* epoch seconds, for people */
	uint64_t gen;
	int32_t next; /* chain of the same port */
	struct proc_owner owner;
};

/* A connection seen by a dump (any state but LISTEN and SYN_RECV). */
struct conn {
	uint8_t family; /* IPv4-mapped IPv6 is stored as IPv4 */
	uint8_t state;
	bool reset; /* we reset it since a listing saw it */
	uint8_t local[16];
	uint8_t remote[16];
	uint16_t lport;
	uint16_t rport;
	uint32_t uid;
	uint64_t inode;
	uint64_t first_ms; /* the listing that saw it first */
	uint64_t last_ms;
};

struct inventory {
	struct listener ls[INV_LISTENERS];
	unsigned int nls;
	int32_t port_head[65536];
	/*
	 * The connection table is set-associative: a tuple lives in the
	 * group its hash names, and each slot has a tag (hash | 1; 0: free)
	 * so that a lookup reads one line of tags, not sixteen entries —
	 * most resets of a flood have no connection to find.
	 */
	uint32_t conn_tag[INV_CONNS];
	struct conn conns[INV_CONNS];
	/*
	 * Local ports with a connection in the table (a bit may outlive
	 * its entries until the next dump's end): a flood to ports with no
	 * connection — the usual storm — skips the table altogether.
	 */
	uint64_t conn_ports[65536 / 64];
	unsigned int nconns;
	uint64_t gen;		    /* completed listener dumps */
	uint64_t conn_gen;	    /* completed connection dumps */
	uint64_t listeners_dropped; /* no room for a new listener */
	uint64_t conns_evicted;
};

void inventory_init(struct inventory *inv);
/* A new, empty inventory (free() it), its pages touched only as used. */
struct inventory *inventory_new(void);

/*
 * A listener dump: begin, one add per LISTEN socket, end.  Listeners
 * not seen by end() are marked gone at now (and wall).  Returns, from
 * add(), the entry (to resolve its owner) or NULL when there is no room.
 */
void inventory_listeners_begin(struct inventory *inv);
struct listener *inventory_listener_add(struct inventory *inv,
					const struct sockinfo *si,
					uint64_t now_ms);
void inventory_listeners_end(struct inventory *inv, uint64_t now_ms,
			     int64_t now_wall);

/* A listener known to be gone before a listing says so (a reset for its
 * port told us): history from now. */
void inventory_listener_gone(struct listener *l, uint64_t now_ms,
			     int64_t now_wall);

/*
 * The listener covering local:lport for a packet of `family`: an exact
 * address first, then a wildcard (an IPv6 wildcard that is not v6only
 * covers IPv4).  With alive_only false, a gone listener may be returned
 * (the most recently gone), when no live one matches.
 */
struct listener *inventory_listener(struct inventory *inv, uint8_t family,
				    const uint8_t *local, uint16_t lport,
				    bool alive_only);

/* Does any live listener accept packets of family on port? */
bool inventory_port_listening(const struct inventory *inv, uint8_t family,
			      uint16_t port);

/* A connection dump: one add per socket (any non-listening state). */
struct conn *inventory_conn_add(struct inventory *inv,
				const struct sockinfo *si, uint64_t now_ms);
void inventory_conns_end(struct inventory *inv);

/* The connection on this 4-tuple seen within max_age_ms, or NULL. */
const struct conn *inventory_conn(const struct inventory *inv, uint8_t family,
				  const uint8_t *local, uint16_t lport,
				  const uint8_t *remote, uint16_t rport,
				  uint64_t now_ms, uint64_t max_age_ms);

/* Our reset ended this connection: a later segment for its tuple meets
 * no socket.  A listing that sees the tuple again forgets it. */
void inventory_conn_reset(struct inventory *inv, const struct conn *c);

/* Normalise an IPv4-mapped IPv6 socket to IPv4; false when not one. */
bool inventory_unmap(uint8_t *family, uint8_t *a, uint8_t *b);

#endif
