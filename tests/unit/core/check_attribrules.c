/* check_attribrules: attribution's decisions from tables — which resets
 * are worth a lookup, and whose a reset is (the owner's precedence),
 * with every source of facts faked. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "attribrules.h"
#include "packet.h"
#include "tcp_states.h"
#include "unit.h"

#define RA (TCPF_RST | TCPF_ACK)
#define R TCPF_RST

static const struct {
	const char *what;
	struct lookup_question q;
	bool want;
} lookups[] = {
	{ "stray ACK to an open port, nothing known: look",
	  { R, 77, 8080, false, KREASON_NONE, false, false, true, 32768 },
	  true },
	{ "stray ACK, the port closed this second: no",
	  { R, 77, 8080, false, KREASON_NONE, false, false, false, 32768 },
	  false },
	{ "stray ACK to a listened port: a live flow may be there",
	  { R, 77, 8080, false, KREASON_NONE, true, false, true, 32768 },
	  true },
	{ "the listener's own reply (its uid): no",
	  { R, 77, 8080, true, KREASON_NONE, true, false, true, 32768 },
	  false },
	{ "the kernel said why, a listener covers it: no",
	  { R, 77, 8080, false, KREASON_NO_SOCKET, true, false, true, 32768 },
	  false },
	{ "the kernel said why, nothing known: still the owner (SYN_SENT)",
	  { R, 77, 45000, false, KREASON_TCP_FLAGS, false, false, true, 32768 },
	  true },
	{ "answer to a SYN: never a live socket",
	  { RA, 0, 8080, false, KREASON_NONE, false, false, true, 32768 },
	  false },
	{ "abort on a server port, no listing: the listener fallback",
	  { RA, 5, 8080, true, KREASON_NONE, false, false, true, 32768 },
	  true },
	{ "abort on a client port: no listener there",
	  { RA, 5, 45000, true, KREASON_NONE, false, false, true, 32768 },
	  false },
	{ "abort of a connection the inventory knows: no",
	  { RA, 5, 8080, true, KREASON_NONE, false, true, true, 32768 },
	  false },
};

START_TEST(t_lookup_wanted)
{
	ck_assert_msg(attrib_lookup_wanted(&lookups[_i].q) == lookups[_i].want,
		      "%s", lookups[_i].what);
}
END_TEST

START_TEST(t_small_rules)
{
	ck_assert_int_eq(attrib_lookup_kind(TCPS_LISTEN, 9), LOOKUP_LISTEN);
	ck_assert_int_eq(attrib_lookup_kind(TCPS_NEW_SYN_RECV, 0),
			 LOOKUP_SYN_RECV);
	ck_assert_int_eq(attrib_lookup_kind(TCPS_SYN_SENT, 9), LOOKUP_SYN_SENT);
	ck_assert_int_eq(attrib_lookup_kind(TCPS_TIME_WAIT, 0),
			 LOOKUP_TIMEWAIT);
	/* FIN_WAIT2 without a file: the substate of a timewait sock. */
	ck_assert_int_eq(attrib_lookup_kind(TCPS_FIN_WAIT2, 0),
			 LOOKUP_TIMEWAIT);
	ck_assert_int_eq(attrib_lookup_kind(TCPS_FIN_WAIT2, 9), LOOKUP_LIVE);
	ck_assert_int_eq(attrib_lookup_kind(TCPS_ESTABLISHED, 9), LOOKUP_LIVE);
	ck_assert(attrib_ends_connection(CAUSE_KEEPALIVE_TIMEOUT));
	ck_assert(attrib_ends_connection(CAUSE_APP_ABORT));
	ck_assert(!attrib_ends_connection(CAUSE_STRAY_SEGMENT));
	ck_assert(!attrib_ends_connection(CAUSE_BAD_SEGMENT));
	ck_assert(!attrib_ends_connection(CAUSE_CLOSED_PORT));
	ck_assert(attrib_synchronized(TCPS_TIME_WAIT));
	ck_assert(attrib_synchronized(TCPS_CLOSE_WAIT));
	ck_assert(!attrib_synchronized(TCPS_SYN_SENT));
	ck_assert(!attrib_synchronized(TCPS_SYN_RECV));
	ck_assert(!attrib_synchronized(TCPS_LISTEN));
	ck_assert(!attrib_synchronized(TCPS_CLOSE));
}
END_TEST

START_TEST(t_needs_credits)
{
	struct evidence abort = { .tcp_flags = RA, .seq = 9 };
	struct evidence syn = { .tcp_flags = RA, .seq = 0 };
	struct evidence owned = { .tcp_flags = R, .seq = 9, .has_uid = true };
	struct evidence stray = { .tcp_flags = R, .seq = 9 };
	struct evidence traced = { .tcp_flags = RA,
				   .seq = 9,
				   .kreason = KREASON_TCP_STATE };

	ck_assert(attrib_needs_credits(&abort));
	ck_assert(!attrib_needs_credits(&syn));
	ck_assert(attrib_needs_credits(&owned));
	ck_assert(!attrib_needs_credits(&stray));
	ck_assert(!attrib_needs_credits(&traced));
}
END_TEST

/* --- the owner ------------------------------------------------------------ */

/* What the fake sources know, and how often they were asked. */
static struct {
	bool sock_known;
	struct proc_owner sock;
	bool proc_alive;
	struct proc_owner proc;
	const char *comm;
	bool listener_known;
	unsigned int asked_sock, asked_listener;
} fx;

static bool fake_socket_owner(void *arg, uint64_t inode, struct proc_owner *o)
{
	(void)arg;
	(void)inode;
	fx.asked_sock++;
	if (fx.sock_known)
		*o = fx.sock;
	return fx.sock_known;
}

static bool fake_process(void *arg, uint32_t pid, struct proc_owner *o)
{
	(void)arg;
	if (!fx.proc_alive || pid != fx.proc.pid)
		return false;
	*o = fx.proc;
	return true;
}

static const char *fake_comm(void *arg, uint32_t pid)
{
	(void)arg;
	(void)pid;
	return fx.comm;
}

static bool fake_listener_owner(void *arg, struct listener *l)
{
	(void)arg;
	fx.asked_listener++;
	if (fx.listener_known) {
		snprintf(l->owner.comm, sizeof(l->owner.comm), "redis-server");
		l->owner.pid = 812;
		l->owner.uid = l->uid;
		l->has_owner = true;
	}
	return l->has_owner;
}

static const char *fake_user(void *arg, uint32_t uid)
{
	(void)arg;
	return uid == 999 ? "redis" : uid == 1234 ? "app" : NULL;
}

static const struct owner_sources src = {
	NULL,	   fake_socket_owner,	fake_process,
	fake_comm, fake_listener_owner, fake_user,
};

static struct proc_owner proc(uint32_t pid, uint32_t uid, const char *comm)
{
	struct proc_owner o;

	memset(&o, 0, sizeof(o));
	o.pid = pid;
	o.uid = uid;
	snprintf(o.comm, sizeof(o.comm), "%s", comm);
	return o;
}

static struct attribution decide(const struct owner_facts *f)
{
	struct attribution at;

	memset(&at, 0, sizeof(at));
	at.cause = f->cause;
	attrib_owner(f, &src, &at);
	return at;
}

static void reset_fx(void)
{
	memset(&fx, 0, sizeof(fx));
}

START_TEST(t_closed_port_names_the_last)
{
	struct listener gone = { .alive = false,
				 .has_owner = true,
				 .uid = 999,
				 .gone_wall = 1700000000,
				 .gone_ms = 5 };
	struct owner_facts f = { .cause = CAUSE_CLOSED_PORT, .last = &gone };
	struct attribution at;

	reset_fx();
	gone.owner = proc(812, 999, "redis-server");
	at = decide(&f);
	ck_assert(at.has_last_owner);
	ck_assert_str_eq(at.last.comm, "redis-server");
	ck_assert_uint_eq(at.last_uid, 999);
	ck_assert(!at.has_owner);
	/* A listener still alive is no "last" one. */
	gone.alive = true;
	at = decide(&f);
	ck_assert(!at.has_last_owner);
}
END_TEST

START_TEST(t_firewall_has_no_owner)
{
	struct owner_facts f = { .cause = CAUSE_FIREWALL,
				 .has_socket = true,
				 .sock_inode = 9,
				 .sock_uid = 1234 };
	struct attribution at;

	reset_fx();
	fx.sock_known = true;
	at = decide(&f);
	ck_assert(!at.has_owner);
	ck_assert_uint_eq(fx.asked_sock, 0);
}
END_TEST

START_TEST(t_socket_then_nflog_uid)
{
	struct owner_facts f = { .cause = CAUSE_BAD_SEGMENT,
				 .has_socket = true,
				 .sock_state = TCPS_ESTABLISHED,
				 .sock_inode = 4242,
				 .sock_uid = 1234 };
	struct attribution at;

	reset_fx();
	fx.sock_known = true;
	fx.sock = proc(77, 1234, "nginx");
	at = decide(&f);
	ck_assert(at.has_pid);
	ck_assert_str_eq(at.owner.comm, "nginx");
	ck_assert_uint_eq(at.uid, 1234);
	ck_assert_str_eq(at.user, "app");
	ck_assert_int_eq(at.state, TCPS_ESTABLISHED);
	/* NFLOG's uid is the sending socket's: it wins. */
	f.has_uid = true;
	f.uid = 999;
	at = decide(&f);
	ck_assert_uint_eq(at.uid, 999);
	/* A timewait sock (inode 0): no uid, no process asked for. */
	f.has_uid = false;
	f.sock_inode = 0;
	fx.asked_sock = 0;
	at = decide(&f);
	ck_assert(!at.has_owner);
	ck_assert_uint_eq(fx.asked_sock, 0);
}
END_TEST

START_TEST(t_actor)
{
	struct owner_facts f = { .cause = CAUSE_APP_ABORT,
				 .has_uid = true,
				 .uid = 1234,
				 .has_actor = true,
				 .actor_pid = 501 };
	struct attribution at;

	/* Alive, the socket's uid: the actor is the owner. */
	reset_fx();
	fx.proc_alive = true;
	fx.proc = proc(501, 1234, "rst-short");
	at = decide(&f);
	ck_assert(at.has_actor);
	ck_assert_str_eq(at.actor_comm, "rst-short");
	ck_assert(at.has_pid);
	ck_assert_uint_eq(at.owner.pid, 501);
	/* Another uid's task (ss -K by root): actor only. */
	fx.proc = proc(501, 0, "ss");
	at = decide(&f);
	ck_assert_str_eq(at.actor_comm, "ss");
	ck_assert(!at.has_pid);
	ck_assert_uint_eq(at.uid, 1234);
	/* Exited: the kernel's COMM record names it, NFLOG's uid owns it. */
	reset_fx();
	fx.comm = "rst-short";
	at = decide(&f);
	ck_assert(at.has_pid);
	ck_assert_uint_eq(at.owner.pid, 501);
	ck_assert_str_eq(at.owner.comm, "rst-short");
	ck_assert_uint_eq(at.owner.uid, 1234);
	/* Exited, no record, but the socket's owner is that pid: the
	 * actor gets its name. */
	reset_fx();
	fx.sock_known = true;
	fx.sock = proc(501, 1234, "worker");
	f.has_socket = true;
	f.sock_inode = 9;
	f.sock_uid = 1234;
	at = decide(&f);
	ck_assert_str_eq(at.actor_comm, "worker");
	/* In softirq context (no task): no actor at all. */
	f.has_actor = false;
	at = decide(&f);
	ck_assert(!at.has_actor);
}
END_TEST

START_TEST(t_listener_speaks_for_the_service)
{
	struct listener l = { .alive = true, .uid = 999 };
	struct owner_facts f = { .cause = CAUSE_STRAY_SEGMENT,
				 .has_uid = true,
				 .uid = 999,
				 .listener = &l };
	struct attribution at;

	reset_fx();
	fx.listener_known = true;
	at = decide(&f);
	ck_assert(at.has_pid);
	ck_assert_str_eq(at.owner.comm, "redis-server");
	ck_assert_int_eq(at.state, TCPS_LISTEN);
	ck_assert_str_eq(at.user, "redis");
	/* Another uid sent it: not the listener's. */
	memset(&l, 0, sizeof(l));
	l.alive = true;
	l.uid = 999;
	f.uid = 1234;
	at = decide(&f);
	ck_assert(!at.has_pid);
	ck_assert_uint_eq(at.uid, 1234);
	/* A process already named: the listener is not even asked. */
	reset_fx();
	fx.listener_known = true;
	fx.sock_known = true;
	fx.sock = proc(77, 999, "redis-server");
	f.uid = 999;
	f.has_socket = true;
	f.sock_inode = 9;
	f.sock_uid = 999;
	at = decide(&f);
	ck_assert_uint_eq(fx.asked_listener, 0);
	/* No NFLOG uid (an orphan's reset): the listener's uid. */
	reset_fx();
	memset(&l, 0, sizeof(l));
	l.alive = true;
	l.uid = 999;
	f.has_uid = false;
	f.has_socket = false;
	f.cause = CAUSE_LISTENER_CLOSED;
	at = decide(&f);
	ck_assert(at.has_uid);
	ck_assert_uint_eq(at.uid, 999);
	ck_assert(!at.has_pid);
}
END_TEST

START_TEST(t_nothing_known)
{
	struct owner_facts f = { .cause = CAUSE_STRAY_SEGMENT };
	struct attribution at;

	reset_fx();
	at = decide(&f);
	ck_assert(!at.has_owner);
	ck_assert(!at.has_uid);
	ck_assert_ptr_null(at.user);
}
END_TEST

Suite *attribrules_suite(void)
{
	Suite *s = suite_create("attribrules");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, t_lookup_wanted, 0,
			    (int)(sizeof(lookups) / sizeof(lookups[0])));
	tcase_add_test(tc, t_small_rules);
	tcase_add_test(tc, t_needs_credits);
	tcase_add_test(tc, t_closed_port_names_the_last);
	tcase_add_test(tc, t_firewall_has_no_owner);
	tcase_add_test(tc, t_socket_then_nflog_uid);
	tcase_add_test(tc, t_actor);
	tcase_add_test(tc, t_listener_speaks_for_the_service);
	tcase_add_test(tc, t_nothing_known);
	suite_add_tcase(s, tc);
	return s;
}
