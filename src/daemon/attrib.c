/* attrib: who sent each reset and why — gathers the evidence (inventory,
 * sock_diag, /proc, counters, tracepoint), classifies, names the owner. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "attrib.h"
#include "attribrules.h"
#include "pidinfo.h"
#include "procfile.h"
#include "proven.h"
#include "tasknet.h"

/* A connection seen this recently may explain a reset on its tuple. */
#define CONN_MAX_AGE_MS 120000
/* Credits older than this explain nothing (counters move for other
 * reasons too). */
#define CREDIT_MAX_AGE_MS 2000
/* Beyond the longest flush timeout: any reset the stack counted before
 * this long ago has been delivered. */
#define OUT_CARRY_MS 200
#define PROCSCAN_TTL_MS 60000
#define PROCSCAN_CAPACITY 8192
#define TRACE_WINDOW_NS 1000000000ull
/* An event whose owner is a socket /proc has not been walked for yet may
 * trigger a walk of its own, this many readlinks, this often at most. */
#define INLINE_WALK_BUDGET 8192
#define INLINE_WALK_MS 100

struct evctx {
	struct evidence e;
	struct listener *l;
	const struct conn *c;
	struct sockinfo si;
	bool si_ok;
	struct trace_record tr;
	bool has_tr;
	int rank;
};

struct attrib {
	struct attrib_params p;
	struct sockdiag sd; /* when p.sockdiag is NULL */
	struct sockdiag_source sds;
	bool sd_ok;
	bool sd_own; /* sd is open */
	char proc_root[PATH_MAX];
	struct inventory *inv;
	struct proven *proven;
	struct procscan *ps;
	struct users users;
	struct pidinfo pids;
	struct credits cr;
	struct kcounters kc;
	bool kc_ok;
	struct trace tr;
	struct tasknet tn;
	bool tr_ok;
	bool tr_paused;
	uint64_t tr_lost_seen;
	/* This batch: the tracepoint sees every reset and lost none. */
	bool tr_complete;
	char tr_why[256];
	struct tracejoin *tj;
	uint64_t out_carry;
	uint64_t out_ms;
	uint64_t dump_ms;
	bool dumped_once;
	uint64_t rate_ms;
	uint64_t rate_count;
	int64_t wall;
	uint64_t inline_ms;    /* last /proc walk made for an event */
	uint64_t now_ms;       /* the batch's wakeup time */
	uint16_t ephemeral_lo; /* ip_local_port_range: client ports */
	/* Ports a lookup found closed (no socket, no listener), until when
	 * (monotonic seconds): a stray-segment flood costs one lookup per
	 * port per second, not one per packet. */
	uint32_t closed_until[65536];
	struct attrib_stats st;
	struct evctx ctx[ATTRIB_BATCH];
	int rank[ATTRIB_BATCH];
	bool fw[ATTRIB_BATCH];
};

/* Where client ports start in this namespace (32768 if unreadable). */
static uint16_t ephemeral_low(const char *proc_root)
{
	char buf[64], path[PATH_MAX];
	unsigned int lo = 32768;

	snprintf(path, sizeof(path), "%s/sys/net/ipv4/ip_local_port_range",
		 proc_root);
	if (procfile_read(path, buf, sizeof(buf)) > 0)
		sscanf(buf, "%u", &lo);
	return lo > 0 && lo <= 65535 ? (uint16_t)lo : 32768;
}

static int sd_lookup(void *arg, uint8_t family, const uint8_t *local,
		     uint16_t lport, const uint8_t *remote, uint16_t rport,
		     struct sockinfo *out)
{
	return sockdiag_lookup(arg, family, local, lport, remote, rport, out);
}

static int sd_dump(void *arg, uint8_t family, uint32_t states,
		   void (*cb)(const struct sockinfo *si, void *cbarg),
		   void *cbarg)
{
	return sockdiag_dump(arg, family, states, cb, cbarg);
}

struct attrib *attrib_new(const struct attrib_params *p, char *note,
			  size_t notelen)
{
	struct attrib *a = calloc(1, sizeof(*a));

	note[0] = '\0';
	if (a == NULL)
		return NULL;
	a->p = *p;
	snprintf(a->proc_root, sizeof(a->proc_root), "%s",
		 p->proc_root != NULL ? p->proc_root : "/proc");
	a->inv = inventory_new();
	a->proven = proven_new();
	a->ps = procscan_new(a->proc_root, PROCSCAN_CAPACITY);
	a->tj = tracejoin_new(TRACE_WINDOW_NS);
	if (a->inv == NULL || a->proven == NULL || a->ps == NULL ||
	    a->tj == NULL) {
		attrib_free(a);
		return NULL;
	}
	if (p->fds.sockets != NULL)
		procscan_set_fd_ops(a->ps, &p->fds);
	users_init(&a->users);
	pidinfo_init(&a->pids);
	credits_init(&a->cr, CREDIT_MAX_AGE_MS);
	if (p->sockdiag != NULL) {
		a->sds = *p->sockdiag;
		a->sd_ok = true;
	} else if (sockdiag_open(&a->sd) == 0) {
		a->sds = (struct sockdiag_source){ &a->sd, sd_lookup, sd_dump };
		a->sd_ok = a->sd_own = true;
	}
	a->kc_ok = kcounters_open(&a->kc, a->proc_root) == 0;
	if (a->kc_ok) {
		uint64_t d;

		/* Prime: the first batch's delta must be its own. */
		kcounters_out_rsts(&a->kc, &d);
		kcounters_credit(&a->kc, &a->cr, 0);
	}
	a->ephemeral_lo = ephemeral_low(a->proc_root);
	if (!p->kernel_trace) {
		snprintf(a->tr_why, sizeof(a->tr_why), "--kernel-trace=off");
	} else {
		char err[200];

		if (trace_open(&a->tr, p->use_reason, err, sizeof(err)) == 0) {
			a->tr_ok = true;
		} else {
			snprintf(note, notelen, "kernel trace off: %s", err);
			snprintf(a->tr_why, sizeof(a->tr_why), "%s", err);
		}
		if (a->tr_ok && a->tr.mode == TRACE_MODE_ACTOR_ONLY)
			snprintf(
				a->tr_why, sizeof(a->tr_why), "%s",
				p->use_reason ?
					"the kernel's tcp:tcp_send_reset has no "
					"reason field (before 6.10): causes are "
					"inferred, actors traced" :
					"--kernel-trace=actor-only: the reason "
					"field is ignored, as before 6.10");
		/* Without it, records of other namespaces are told apart
		 * by their tuple alone. */
		if (a->tr_ok && tasknet_init(&a->tn, a->proc_root) < 0)
			snprintf(note, notelen, "%s/self/ns/net: %s",
				 a->proc_root, strerror(errno));
		a->tn.ns_of = p->ns_of;
		a->tn.ns_arg = p->ns_arg;
	}
	return a;
}

void attrib_free(struct attrib *a)
{
	if (a == NULL)
		return;
	if (a->sd_own)
		sockdiag_close(&a->sd);
	if (a->kc_ok)
		kcounters_close(&a->kc);
	if (a->tr_ok)
		trace_close(&a->tr);
	procscan_free(a->ps);
	free(a->inv);
	free(a->proven);
	free(a->tj);
	free(a);
}

int attrib_trace_fd(const struct attrib *a)
{
	return a->tr_ok ? a->tr.fd : -1;
}

bool attrib_trace_active(const struct attrib *a)
{
	return a->tr_ok && !a->tr_paused;
}

const char *attrib_trace_mode(const struct attrib *a)
{
	if (!a->tr_ok)
		return "off";
	return a->tr.mode == TRACE_MODE_REASON ? "reason" : "actor-only";
}

const char *attrib_trace_why(const struct attrib *a)
{
	return a->tr_why[0] ? a->tr_why : NULL;
}

const char *attrib_trace_state(const struct attrib *a)
{
	if (!a->p.kernel_trace)
		return "off";
	if (!a->tr_ok)
		return "unavailable";
	return a->tr_paused ? "paused" : "on";
}

static void trace_add(const struct trace_record *r, void *arg)
{
	struct attrib *a = arg;

	tracejoin_add(a->tj, r);
}

/*
 * Was this process-context record made by a task of our network
 * namespace?  The kernel's namespace records say (they were all read
 * before the NFLOG batch this event came in); else /proc, while the task
 * lives.  One that cannot be checked either way is taken (its tuple
 * matched ours) and counted.
 */
static bool record_ours(struct attrib *a, const struct trace_record *r)
{
	uint64_t ino;

	if (!r->in_task || !a->tn.ok)
		return true;
	if (trace_task_netns(&a->tr, r->tid, &ino))
		return ino == a->tn.ino;
	switch (tasknet_check(&a->tn, a->proc_root, r->tid, a->now_ms)) {
	case TASKNET_FOREIGN:
		return false;
	case TASKNET_UNKNOWN:
		a->st.trace_unverified++;
		return true;
	case TASKNET_OURS:
	default:
		return true;
	}
}

/*
 * The record of this event: the tracepoint is global, so a record with
 * the same tuple may come from another namespace; those are dropped and
 * the next candidate is tried.
 */
static bool take_ours(struct attrib *a, const struct rst_event *ev,
		      struct trace_record *out)
{
	while (tracejoin_take(a->tj, ev, out)) {
		if (record_ours(a, out))
			return true;
		a->st.trace_foreign++;
	}
	return false;
}

void attrib_trace_drain(struct attrib *a)
{
	if (a->tr_ok)
		a->st.trace_records +=
			(uint64_t)trace_drain(&a->tr, trace_add, a);
}

/* --- inventory -------------------------------------------------------- */

static void listener_owner(struct attrib *a, struct listener *l)
{
	if (l->has_owner || l->inode == 0)
		return;
	if (procscan_lookup(a->ps, l->inode, &l->owner)) {
		procscan_fill_cgroup(a->ps, &l->owner);
		l->has_owner = true;
	} else {
		procscan_want(a->ps, l->inode);
	}
}

struct dump_arg {
	struct attrib *a;
	uint64_t now_ms;
};

static void on_listener(const struct sockinfo *si, void *arg)
{
	struct dump_arg *d = arg;
	struct listener *l;

	l = inventory_listener_add(d->a->inv, si, d->now_ms);
	if (l != NULL)
		listener_owner(d->a, l);
}

static void on_conn(const struct sockinfo *si, void *arg)
{
	struct dump_arg *d = arg;
	struct proc_owner o;
	struct conn *c;

	c = inventory_conn_add(d->a->inv, si, d->now_ms);
	/* New since the last listing (the first listing finds what was
	 * there before: no proof of anything recent). */
	if (c != NULL && c->first_ms == d->now_ms && d->a->inv->conn_gen > 0 &&
	    attrib_synchronized(si->state))
		proven_see(d->a->proven, c->family, c->remote, d->now_ms);
	/* Resolve the process while the socket is alive: once it sends
	 * its reset, the inode is gone from /proc. */
	if (si->inode != 0 && !procscan_lookup(d->a->ps, si->inode, &o))
		procscan_want(d->a->ps, si->inode);
}

#define CONN_STATES                                      \
	(((1u << TCPS_MAX) - 1) & ~(1u << TCPS_LISTEN) & \
	 ~(1u << TCPS_SYN_RECV) & ~(1u << TCPS_NEW_SYN_RECV) & ~1u)

static void inventory_dump(struct attrib *a, uint64_t now_ms, int64_t wall)
{
	struct dump_arg d = { a, now_ms };
	unsigned int i;

	inventory_listeners_begin(a->inv);
	if (a->sds.dump(a->sds.arg, AF_INET, 1u << TCPS_LISTEN, on_listener,
			&d) < 0 ||
	    a->sds.dump(a->sds.arg, AF_INET6, 1u << TCPS_LISTEN, on_listener,
			&d) < 0)
		return; /* keep the old picture rather than a gap */
	inventory_listeners_end(a->inv, now_ms, wall);
	a->sds.dump(a->sds.arg, AF_INET, CONN_STATES, on_conn, &d);
	a->sds.dump(a->sds.arg, AF_INET6, CONN_STATES, on_conn, &d);
	inventory_conns_end(a->inv);
	a->st.dumps++;
	for (i = 0; i < a->inv->nls; i++)
		if (a->inv->ls[i].alive)
			listener_owner(a, &a->inv->ls[i]);
}

static void trace_pause(struct attrib *a, bool pause)
{
	trace_enable(&a->tr, !pause);
	a->tr_paused = pause;
}

/*
 * The tracepoint costs a sample per reset: under a storm counting
 * matters more than enrichment.  It pauses as soon as this second holds
 * more than the limit (attrib_batch), and resumes here, on the tick,
 * after a second below half of it: hysteresis avoids flapping.
 */
static void trace_gate(struct attrib *a, uint64_t now_ms)
{
	uint64_t rate;

	if (!a->tr_ok || now_ms - a->rate_ms < 1000)
		return;
	rate = a->rate_count * 1000 / (now_ms - a->rate_ms);
	a->rate_ms = now_ms;
	a->rate_count = 0;
	if (a->tr_paused && rate < a->p.trace_max_rate / 2)
		trace_pause(a, false);
}

void attrib_tick(struct attrib *a, uint64_t now_ms, int64_t wall)
{
	unsigned int i;

	a->wall = wall;
	if (a->sd_ok &&
	    (!a->dumped_once || now_ms - a->dump_ms >= a->p.inventory_ms)) {
		a->dump_ms = now_ms;
		a->dumped_once = true;
		inventory_dump(a, now_ms, wall);
	}
	if (procscan_busy(a->ps)) {
		procscan_step(a->ps, now_ms, a->p.procscan_budget,
			      PROCSCAN_TTL_MS);
		for (i = 0; i < a->inv->nls; i++)
			if (a->inv->ls[i].alive)
				listener_owner(a, &a->inv->ls[i]);
	}
	/* Keep the counters' baseline fresh, so that the increments a batch
	 * reads are its own (and credits age from when they happened). */
	if (a->kc_ok && kcounters_credit(&a->kc, &a->cr, now_ms) == 0)
		a->st.counter_reads++;
	trace_gate(a, now_ms);
}

/* --- evidence --------------------------------------------------------- */

/*
 * Exact lookup of the reset's tuple.  What it finds also teaches the
 * inventory: a listener younger than the last listing (the kernel's
 * listener fallback), or that the port is closed.
 */
static void lookup(struct attrib *a, const struct rst_event *ev,
		   struct evctx *x, uint64_t now_ms, unsigned int *lookups)
{
	struct evidence *e = &x->e;

	if (*lookups >= a->p.lookups_per_batch) {
		a->st.lookups_skipped++;
		return;
	}
	(*lookups)++;
	a->st.lookups++;
	if (a->sds.lookup(a->sds.arg, ev->family, ev->local, ev->lport,
			  ev->remote, ev->rport, &x->si) < 0) {
		e->lookup = LOOKUP_NONE;
		if (!e->listener && !e->recent_conn)
			a->closed_until[ev->lport] =
				(uint32_t)(now_ms / 1000 + 1);
		return;
	}
	e->lookup = attrib_lookup_kind(x->si.state, x->si.inode);
	if (e->lookup != LOOKUP_LISTEN) {
		x->si_ok = true;
		return;
	}
	/* The listener fallback is not the tuple's socket, but it is a
	 * listener of this port. */
	if (x->l == NULL) {
		x->l = inventory_listener_add(a->inv, &x->si, now_ms);
		e->listener = x->l != NULL;
		e->listener_uid = x->l != NULL && ev->has_uid &&
				  x->l->uid == ev->uid;
	}
}

/* attrib_lookup_wanted()'s question about this reset. */
static bool lookup_wanted(const struct attrib *a, const struct rst_event *ev,
			  const struct evctx *x, uint64_t now_ms)
{
	const struct lookup_question q = {
		.tcp_flags = ev->tcp_flags,
		.seq = ev->seq,
		.lport = ev->lport,
		.has_uid = ev->has_uid,
		.kreason = x->e.kreason,
		.listener = x->e.listener,
		.recent_conn = x->c != NULL,
		.port_open = a->closed_until[ev->lport] < now_ms / 1000,
		.ephemeral_lo = a->ephemeral_lo,
	};

	return attrib_lookup_wanted(&q);
}

static void gather(struct attrib *a, const struct rst_event *ev,
		   struct evctx *x, uint64_t now_ms, unsigned int *lookups)
{
	struct evidence *e = &x->e;
	bool want;

	memset(x, 0, sizeof(*x));
	e->tcp_flags = ev->tcp_flags;
	e->seq = ev->seq;
	e->has_uid = ev->has_uid;
	x->l = inventory_listener(a->inv, ev->family, ev->local, ev->lport,
				  true);
	e->listener = x->l != NULL;
	e->listener_uid = x->l != NULL && ev->has_uid && x->l->uid == ev->uid;
	x->c = inventory_conn(a->inv, ev->family, ev->local, ev->lport,
			      ev->remote, ev->rport, now_ms, CONN_MAX_AGE_MS);
	if (x->c != NULL) {
		e->recent_conn = true;
		e->recent_state = x->c->state;
		/* Still there at the last listing or the one before. */
		e->recent_fresh = now_ms - x->c->last_ms <=
				  2 * a->p.inventory_ms + 100;
		e->recent_reset = x->c->reset;
	}
	e->foreign_source =
		!netif_is_local(a->p.netif, ev->family, ev->local, now_ms);
	if (a->tr_ok && take_ours(a, ev, &x->tr)) {
		x->has_tr = true;
		e->traced = true;
		e->kreason = x->tr.reason;
		a->st.trace_joined++;
	}
	e->trace_complete = a->tr_complete;
	want = lookup_wanted(a, ev, x, now_ms);
	if (want && a->sd_ok)
		lookup(a, ev, x, now_ms, lookups);
	x->rank = classify_firewall_rank(e);
}

/*
 * Which resets came from a firewall?  The batch tells how many: the
 * resets logged beyond what the stack counted (Tcp: OutRsts); they go to
 * the likeliest candidates (classify_firewall_rank: never a reset the
 * tracepoint saw).
 */
static void firewall_pass(struct attrib *a, unsigned int n, uint64_t now_ms)
{
	long long budget = -1;
	uint64_t d = 0, avail;
	unsigned int i, picked;

	if (a->kc_ok && kcounters_out_rsts(&a->kc, &d) == 0) {
		a->st.counter_reads++;
		if (now_ms - a->out_ms > OUT_CARRY_MS)
			a->out_carry = 0;
		a->out_ms = now_ms;
		avail = a->out_carry + d;
		a->out_carry = avail >= n ? avail - n : 0;
		budget = avail >= n ? 0 : (long long)(n - avail);
	}
	for (i = 0; i < n; i++)
		a->rank[i] = a->ctx[i].rank;
	picked = classify_firewall_pick(a->rank, n, budget, a->fw);
	if (budget > 0)
		a->st.firewall_by_count += picked;
	for (i = 0; i < n; i++)
		a->ctx[i].e.firewall = a->fw[i];
}

/* --- owner ------------------------------------------------------------ */

/*
 * The owner of inode, from the cache or — for an event that needs it and
 * at most every INLINE_WALK_MS — from a bounded walk of /proc made now,
 * while the process may still hold the socket.
 */
static bool owner_of(struct attrib *a, uint64_t inode, uint64_t now_ms,
		     struct proc_owner *o)
{
	unsigned int done = 0;

	if (inode == 0)
		return false;
	if (procscan_lookup(a->ps, inode, o))
		return true;
	procscan_want(a->ps, inode);
	if (now_ms - a->inline_ms < INLINE_WALK_MS)
		return false;
	a->inline_ms = now_ms;
	while (procscan_busy(a->ps) && done < INLINE_WALK_BUDGET) {
		unsigned int n =
			procscan_step(a->ps, now_ms, 1024, PROCSCAN_TTL_MS);

		done += n > 0 ? n : 64;
		if (procscan_lookup(a->ps, inode, o))
			return true;
	}
	return false;
}

static void listener_resolve(struct attrib *a, struct listener *l,
			     uint64_t now_ms)
{
	if (l->has_owner || l->inode == 0)
		return;
	if (owner_of(a, l->inode, now_ms, &l->owner)) {
		procscan_fill_cgroup(a->ps, &l->owner);
		l->has_owner = true;
	}
}

/* --- what attrib_owner() asks ------------------------------------------- */

static bool src_socket_owner(void *arg, uint64_t inode, struct proc_owner *o)
{
	struct attrib *a = arg;

	if (!owner_of(a, inode, a->now_ms, o))
		return false;
	procscan_fill_cgroup(a->ps, o);
	return true;
}

static bool src_process(void *arg, uint32_t pid, struct proc_owner *o)
{
	struct attrib *a = arg;

	return pidinfo_get(&a->pids, a->ps, pid, a->now_ms, o);
}

static const char *src_comm(void *arg, uint32_t pid)
{
	struct attrib *a = arg;

	return a->tr_ok ? trace_comm(&a->tr, pid) : NULL;
}

static bool src_listener_owner(void *arg, struct listener *l)
{
	struct attrib *a = arg;

	listener_resolve(a, l, a->now_ms);
	return l->has_owner;
}

static const char *src_user_name(void *arg, uint32_t uid)
{
	struct attrib *a = arg;

	return users_name(&a->users, uid, a->now_ms);
}

/* The facts attrib_owner() decides from. */
static void resolve_owner(struct attrib *a, const struct rst_event *ev,
			  struct evctx *x, struct attribution *at)
{
	const struct owner_sources src = {
		a,	  src_socket_owner,   src_process,
		src_comm, src_listener_owner, src_user_name,
	};
	struct owner_facts f = {
		.cause = at->cause,
		.has_uid = ev->has_uid,
		.uid = ev->uid,
		.has_actor = x->has_tr && x->tr.in_task && x->tr.pid != 0,
		.actor_pid = x->tr.pid,
		.listener = x->l,
	};

	if (x->si_ok) {
		f.has_socket = true;
		f.sock_state = x->si.state;
		f.sock_inode = x->si.inode;
		f.sock_uid = x->si.uid;
	} else if (x->c != NULL) {
		f.has_socket = true;
		f.sock_state = x->c->state;
		f.sock_inode = x->c->inode;
		f.sock_uid = x->c->uid;
	}
	if (at->cause == CAUSE_CLOSED_PORT)
		f.last = inventory_listener(a->inv, ev->family, ev->local,
					    ev->lport, false);
	/* A closing listener's children: the listener is gone already. */
	if (f.listener == NULL && at->cause == CAUSE_LISTENER_CLOSED)
		f.listener = inventory_listener(a->inv, ev->family, ev->local,
						ev->lport, false);
	attrib_owner(&f, &src, at);
}

void attrib_batch(struct attrib *a, const struct rst_event *evs, unsigned int n,
		  uint64_t now_ms, attrib_fn fn, void *arg)
{
	struct attribution at;
	unsigned int i, lookups = 0;
	bool ext = false;

	if (n > ATTRIB_BATCH)
		n = ATTRIB_BATCH;
	a->now_ms = now_ms;
	a->rate_count += n;
	/* Over the limit within this second: pause now rather than at the
	 * next tick, or a storm's first second costs a record per reset. */
	if (a->tr_ok && !a->tr_paused && a->rate_count > a->p.trace_max_rate)
		trace_pause(a, true);
	attrib_trace_drain(a);
	/* A missing record means something only where every stack reset is
	 * traced (6.10+) and nothing was lost since the last batch. */
	a->tr_complete = a->tr_ok && !a->tr_paused &&
			 a->tr.mode == TRACE_MODE_REASON &&
			 a->tr.lost == a->tr_lost_seen;
	a->tr_lost_seen = a->tr_ok ? a->tr.lost : 0;
	credits_expire(&a->cr, now_ms);
	for (i = 0; i < n; i++) {
		gather(a, &evs[i], &a->ctx[i], now_ms, &lookups);
		ext = ext || attrib_needs_credits(&a->ctx[i].e);
	}
	if (ext && a->kc_ok && kcounters_credit(&a->kc, &a->cr, now_ms) == 0)
		a->st.counter_reads++;
	firewall_pass(a, n, now_ms);
	for (i = 0; i < n; i++) {
		struct evctx *x = &a->ctx[i];

		memset(&at, 0, sizeof(at));
		at.cause = classify(&x->e, &a->cr);
		at.kreason = x->e.kreason;
		/* The stack refused a SYN on a port the inventory thinks is
		 * listened on: the listener died since the last listing.  Say
		 * so now: the outage starts here, not at the next listing. */
		if (at.cause == CAUSE_CLOSED_PORT && x->l != NULL &&
		    x->l->alive) {
			inventory_listener_gone(x->l, now_ms, a->wall);
			x->l = NULL;
		}
		if (x->l != NULL) {
			at.has_listener = true;
			at.backlog = x->l->backlog;
			at.queue = x->l->queue;
		}
		resolve_owner(a, &evs[i], x, &at);
		if (x->c != NULL && attrib_ends_connection(at.cause))
			inventory_conn_reset(a->inv, x->c);
		fn(&evs[i], &at, arg);
	}
}

void attrib_get_stats(const struct attrib *a, struct attrib_stats *s)
{
	*s = a->st;
	s->trace_lost = a->tr_ok ? a->tr.lost : 0;
	s->trace_malformed = a->tr_ok ? a->tr.malformed : 0;
}

const struct inventory *attrib_inventory(const struct attrib *a)
{
	return a->inv;
}

bool attrib_out_rsts(struct attrib *a, uint64_t *v)
{
	return a->kc_ok && kcounters_out_rsts_now(&a->kc, v) == 0;
}

bool attrib_remote_proven(const struct attrib *a, uint8_t family,
			  const uint8_t *remote, uint64_t now_ms,
			  uint64_t window_ms)
{
	return proven_has(a->proven, family, remote, now_ms, window_ms);
}

void attrib_procscan_stats(const struct attrib *a, struct procscan_stats *s)
{
	procscan_get_stats(a->ps, s);
}
