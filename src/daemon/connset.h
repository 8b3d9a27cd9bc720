/* connset: the connections accepted on one listening socket — a bounded
 * number, read into a bounded buffer, answered from a buffer sent without
 * blocking, closed when idle or late.  The control socket and the
 * metrics server are both made of it. */
#ifndef RSTMON_CONNSET_H
#define RSTMON_CONNSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "json.h"
#include "loop.h"

/* One connection, a peer; the owner's own struct begins with it. */
struct peer {
	struct watcher w;
	struct connset *set;
	char *in; /* the bytes received, NUL-terminated */
	size_t inlen;
	bool discard;	 /* the owner has read enough: drop the rest */
	bool in_closed;	 /* the peer sent all it will (EOF) */
	struct json out; /* queued by the owner, sent by peer_send() */
	size_t sent;
	bool want_out;	   /* EPOLLOUT requested: a send was short */
	uint64_t since_ms; /* accepted, on the loop's clock */
	/* Progress: output moved (or the owner said so) since the last
	 * tick; quiet since quiet_ms otherwise. */
	bool active;
	uint64_t quiet_ms;
	LIST_ENTRY(peer) link;
};

struct connset_ops {
	/* A new connection (the owner's part zeroed): false refuses it. */
	bool (*accepted)(struct peer *c);
	/* New bytes in c->in; the owner may queue a reply and send it. */
	void (*input)(struct peer *c);
	/* Everything queued is sent: true keeps the connection open. */
	bool (*drained)(struct peer *c);
	/* Just before c is closed and freed (may be NULL). */
	void (*closing)(struct peer *c);
};

struct connset_params {
	size_t conn_size;     /* the owner's struct, struct peer first */
	size_t inmax;	      /* input buffer, its NUL included */
	size_t outmax;	      /* a reply larger than this is not built */
	unsigned int max;     /* connections at once */
	uint64_t idle_ms;     /* closed this long without progress (0: never) */
	uint64_t deadline_ms; /* closed this long after accept (0: never) */
};

struct connset {
	struct loop *loop;
	struct watcher w;
	const struct connset_ops *ops;
	void *arg; /* the owner's */
	struct connset_params p;
	LIST_HEAD(, peer) peers;
	unsigned int n;
	uint64_t refused;   /* over p.max */
	uint64_t timed_out; /* idle or late, closed */
};

/* Serve the listening socket fd (made non-blocking by the caller).  The
 * set owns fd from here on.  -1 + errno (fd then left open). */
int connset_start(struct connset *s, struct loop *loop, int fd,
		  const struct connset_params *p, const struct connset_ops *ops,
		  void *arg);
/* Close every connection, then the listening socket. */
void connset_close(struct connset *s);
/* Close, and count, the connections idle or late at now_ms. */
void connset_tick(struct connset *s, uint64_t now_ms);

/* Send what is queued; drained() decides what follows.  c may be closed
 * and freed on return when the peer is gone: test c->w.dead before any
 * further use (the loop frees it after the current wakeup). */
void peer_send(struct peer *c);
void peer_close(struct peer *c);

#endif
