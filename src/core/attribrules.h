/* attribrules: pure — the decisions that make attribution right: which
 * reset is worth an exact lookup, what a lookup's answer means, and whose
 * reset it is (the owner's precedence).  attrib.c gathers the facts and
 * answers the questions below; the tests answer them from tables. */
#ifndef RSTMON_ATTRIBRULES_H
#define RSTMON_ATTRIBRULES_H

#include <stdbool.h>
#include <stdint.h>

#include "attribution.h"
#include "classify.h"
#include "inventory.h"

/* What decides whether an exact lookup of a reset's tuple is worth it. */
struct lookup_question {
	uint8_t tcp_flags;
	uint32_t seq;
	uint16_t lport;
	bool has_uid;	       /* NFLOG gave the sending socket's uid */
	enum kreason kreason;  /* the kernel's, or KREASON_NONE */
	bool listener;	       /* a live listener covers the port */
	bool recent_conn;      /* the tuple was one of our connections */
	bool port_open;	       /* not found closed by a lookup this second */
	uint16_t ephemeral_lo; /* where client ports start */
};

/*
 * Is an exact lookup of this reset's tuple worth a system call?
 *
 * For the cause (when the kernel gave no reason): only a reply to an
 * ACKed segment can meet a socket still alive on its tuple (a firewall's
 * reject of a live flow, a SYN_SENT refusing a bad SYN-ACK).  Answers to
 * SYNs and active resets never do, nor does a listener's own reply.
 *
 * For the owner: a socket still alive (SYN_SENT), or a listener younger
 * than the last listing — the kernel's listener fallback — on a port
 * that may be a server's (below the ephemeral range, or a reply to an
 * ACKed segment).
 *
 * Ports a lookup found closed are remembered for a second (port_open
 * false), so floods stay nearly free of system calls.
 */
bool attrib_lookup_wanted(const struct lookup_question *q);

/* What an exact lookup's answer is, by the socket's state and inode. */
enum lookup_result attrib_lookup_kind(int state, uint64_t inode);

/* Do the TcpExt counters matter for this reset's cause? */
bool attrib_needs_credits(const struct evidence *e);

/* Causes after which the connection's socket is gone: no orphan, no
 * timewait sock is left to answer its next segment. */
bool attrib_ends_connection(enum cause c);

/* States a connection reaches only through a completed handshake. */
bool attrib_synchronized(int state);

/* The facts about one reset's owner, gathered by attrib.c. */
struct owner_facts {
	enum cause cause;
	bool has_uid; /* NFLOG: the sending socket's uid */
	uint32_t uid;
	bool has_actor; /* a tracepoint record made in a task */
	uint32_t actor_pid;
	bool has_socket; /* the tuple's socket: alive at lookup, or
				 * seen by a listing */
	int sock_state;
	uint64_t sock_inode; /* 0: a timewait or request sock */
	uint32_t sock_uid;
	struct listener *listener;   /* the port's (for a closing
					 * listener, the last one), or NULL */
	const struct listener *last; /* closed_port: who listened last */
};

/*
 * What attrib_owner() may ask, in the order the precedence needs it (so
 * that the costly questions — a walk of /proc — are asked only when the
 * cheap ones did not answer).  Each returns false when it does not know.
 */
struct owner_sources {
	void *arg;
	/* The process that holds socket inode (with its cgroup). */
	bool (*socket_owner)(void *arg, uint64_t inode, struct proc_owner *o);
	/* Process pid, if it still runs. */
	bool (*process)(void *arg, uint32_t pid, struct proc_owner *o);
	/* The name the kernel last gave pid (its COMM records), or NULL. */
	const char *(*comm)(void *arg, uint32_t pid);
	/* The owner of a listener (cached in it once found). */
	bool (*listener_owner)(void *arg, struct listener *l);
	/* The user name of uid, or NULL. */
	const char *(*user_name)(void *arg, uint32_t uid);
};

/*
 * The owner and actor of a reset whose cause is decided (at->cause).
 * Precedence: the actor is the task that made the kernel send it; a
 * closed port names who listened there last; a firewall's reset has no
 * owner; else the tuple's socket (its uid, its process), NFLOG's uid
 * above any other, the actor when it is the socket's owner (same uid),
 * alive or by the name the kernel recorded, and last the port's
 * listener, which speaks for the service.
 */
void attrib_owner(const struct owner_facts *f, const struct owner_sources *s,
		  struct attribution *at);

#endif
