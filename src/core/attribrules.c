/* attribrules: pure — the decisions that make attribution right. */
#include <stdio.h>
#include <string.h>

#include "attribrules.h"
#include "packet.h"
#include "tcp_states.h"

bool attrib_lookup_wanted(const struct lookup_question *q)
{
	bool rst_alone = !(q->tcp_flags & TCPF_ACK);

	if (rst_alone && q->kreason == KREASON_NONE &&
	    !(q->has_uid && q->listener) &&
	    (q->listener || q->recent_conn || q->port_open))
		return true;
	if (q->listener || q->recent_conn || !q->port_open)
		return false;
	if (rst_alone)
		return true;
	return q->seq != 0 && q->lport < q->ephemeral_lo;
}

enum lookup_result attrib_lookup_kind(int state, uint64_t inode)
{
	switch (state) {
	case TCPS_LISTEN:
		return LOOKUP_LISTEN;
	case TCPS_SYN_RECV:
	case TCPS_NEW_SYN_RECV:
		return LOOKUP_SYN_RECV;
	case TCPS_SYN_SENT:
		return LOOKUP_SYN_SENT;
	case TCPS_TIME_WAIT:
		return LOOKUP_TIMEWAIT;
	default:
		/* FIN_WAIT2 is also the substate of a timewait sock. */
		return inode == 0 && state == TCPS_FIN_WAIT2 ? LOOKUP_TIMEWAIT :
							       LOOKUP_LIVE;
	}
}

bool attrib_needs_credits(const struct evidence *e)
{
	if (e->kreason != KREASON_NONE)
		return false;
	if ((e->tcp_flags & TCPF_ACK) && e->seq != 0)
		return true;
	return !(e->tcp_flags & TCPF_ACK) &&
	       (e->has_uid || e->listener || e->recent_conn);
}

bool attrib_ends_connection(enum cause c)
{
	switch (c) {
	case CAUSE_APP_ABORT:
	case CAUSE_UNREAD_CLOSE:
	case CAUSE_DATA_AFTER_CLOSE:
	case CAUSE_TIME_WAIT:
	case CAUSE_FIN_WAIT_ABORT:
	case CAUSE_MEMORY_ABORT:
	case CAUSE_KEEPALIVE_TIMEOUT:
	case CAUSE_LISTENER_CLOSED:
		return true;
	default:
		return false;
	}
}

bool attrib_synchronized(int state)
{
	switch (state) {
	case TCPS_ESTABLISHED:
	case TCPS_FIN_WAIT1:
	case TCPS_FIN_WAIT2:
	case TCPS_TIME_WAIT:
	case TCPS_CLOSE_WAIT:
	case TCPS_LAST_ACK:
	case TCPS_CLOSING:
		return true;
	default:
		return false;
	}
}

static void set_owner(struct attribution *at, const struct proc_owner *o)
{
	at->owner = *o;
	at->has_pid = true;
	at->has_owner = true;
}

/* The actor: the task that made the kernel send it.  It may be gone
 * already; the kernel's COMM records still name it.  Returns whether it
 * still runs (then *o is it). */
static bool actor(const struct owner_facts *f, const struct owner_sources *s,
		  struct attribution *at, struct proc_owner *o)
{
	const char *name;
	bool alive;

	if (!f->has_actor || f->actor_pid == 0)
		return false;
	at->has_actor = true;
	at->actor_pid = f->actor_pid;
	name = s->comm(s->arg, f->actor_pid);
	alive = s->process(s->arg, f->actor_pid, o);
	if (alive)
		name = o->comm;
	if (name != NULL)
		snprintf(at->actor_comm, sizeof(at->actor_comm), "%s", name);
	return alive;
}

void attrib_owner(const struct owner_facts *f, const struct owner_sources *s,
		  struct attribution *at)
{
	struct listener *l = f->listener;
	struct proc_owner o, act;
	bool alive;

	alive = actor(f, s, at, &act);
	if (at->cause == CAUSE_CLOSED_PORT) {
		const struct listener *gl = f->last;

		if (gl != NULL && !gl->alive && gl->has_owner) {
			at->has_last_owner = true;
			at->last = gl->owner;
			at->last_uid = gl->uid;
			at->last_seen = gl->gone_wall;
			at->last_gone_ms = gl->gone_ms;
		}
		return;
	}
	if (at->cause == CAUSE_FIREWALL)
		return;

	/* The socket itself: alive at lookup, or seen by a listing. */
	if (f->has_socket) {
		at->state = f->sock_state;
		if (f->sock_inode != 0) {
			at->uid = f->sock_uid;
			at->has_uid = true;
			if (s->socket_owner(s->arg, f->sock_inode, &o))
				set_owner(at, &o);
		}
	}
	/* NFLOG's uid is the sending socket's, exactly. */
	if (f->has_uid) {
		at->uid = f->uid;
		at->has_uid = true;
	}
	/* An abort made by its owner in process context: the actor. */
	if (!at->has_pid && alive && f->has_uid && act.uid == f->uid)
		set_owner(at, &act);
	/* An abort by its owner that exited since: the kernel's COMM
	 * records still name it (the uid says it is the socket's).  One
	 * that runs as another user (ss -K by root) is no owner. */
	if (!at->has_pid && at->has_actor && !alive && at->actor_comm[0] &&
	    f->has_uid) {
		memset(&o, 0, sizeof(o));
		o.pid = at->actor_pid;
		memcpy(o.comm, at->actor_comm, sizeof(o.comm));
		o.uid = f->uid;
		set_owner(at, &o);
	}
	/* The actor that exited: it is the owner we found, name it so. */
	if (at->has_actor && at->actor_comm[0] == '\0' && at->has_pid &&
	    at->owner.pid == at->actor_pid)
		memcpy(at->actor_comm, at->owner.comm, sizeof(at->actor_comm));
	/* Server side: the port's listener speaks for the service. */
	if (!at->has_pid && l != NULL && (!f->has_uid || f->uid == l->uid)) {
		if (s->listener_owner(s->arg, l))
			set_owner(at, &l->owner);
		if (!at->has_uid) {
			at->uid = l->uid;
			at->has_uid = true;
		}
		if (at->state == 0)
			at->state = TCPS_LISTEN;
	}
	if (at->has_uid) {
		at->has_owner = true;
		at->user = s->user_name(s->arg, at->uid);
	}
}
