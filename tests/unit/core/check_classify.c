/* check_classify: every row of the cause taxonomy, from evidence alone and
 * from the kernel's own reason (notes/kernel-facts.md §1 and §5). */
#include <check.h>

#include "classify.h"
#include "packet.h"
#include "tcp_states.h"
#include "unit.h"

#define RA (TCPF_RST | TCPF_ACK)
#define R TCPF_RST

struct row {
	const char *what;
	struct evidence e;
	int credit; /* -1: none; else one credit of this kind */
	enum cause want;
};

/* Inference without the kernel's reason: §5 of kernel-facts. */
static const struct row rows[] = {
	{ "a: SYN to a closed port",
	  { .tcp_flags = RA, .seq = 0 },
	  -1,
	  CAUSE_CLOSED_PORT },
	{ "b: stray ACK, no socket, no listener",
	  { .tcp_flags = R, .seq = 5000, .lookup = LOOKUP_NOT_DONE },
	  -1,
	  CAUSE_STRAY_SEGMENT },
	{ "b2: stray ACK answered by the listener (its uid)",
	  { .tcp_flags = R,
	    .seq = 5000,
	    .has_uid = true,
	    .listener = true,
	    .listener_uid = true },
	  -1,
	  CAUSE_STRAY_SEGMENT },
	{ "b3: bad final ACK, request socket found",
	  { .tcp_flags = R,
	    .seq = 7,
	    .has_uid = true,
	    .listener = true,
	    .lookup = LOOKUP_SYN_RECV },
	  -1,
	  CAUSE_STRAY_SEGMENT },
	{ "c: SO_LINGER {1,0} close (TCPAbortOnData)",
	  { .tcp_flags = RA, .seq = 12345, .has_uid = true },
	  CR_ABORT_ON_DATA,
	  CAUSE_APP_ABORT },
	{ "c server side: listener present, uid",
	  { .tcp_flags = RA,
	    .seq = 12345,
	    .has_uid = true,
	    .listener = true,
	    .listener_uid = true },
	  CR_ABORT_ON_DATA,
	  CAUSE_APP_ABORT },
	{ "d: close with unread data (TCPAbortOnClose)",
	  { .tcp_flags = RA, .seq = 99, .has_uid = true },
	  CR_ABORT_ON_CLOSE,
	  CAUSE_UNREAD_CLOSE },
	{ "d2: data after close, server side (TCPAbortOnData)",
	  { .tcp_flags = R,
	    .seq = 42,
	    .listener = true,
	    .lookup = LOOKUP_LISTEN },
	  CR_ABORT_ON_DATA,
	  CAUSE_DATA_AFTER_CLOSE },
	{ "d3: data after close, server side, timewait sock (no counter)",
	  { .tcp_flags = R, .seq = 42, .listener = true },
	  -1,
	  CAUSE_DATA_AFTER_CLOSE },
	{ "d3 client port: our closed connection, no listener",
	  { .tcp_flags = R,
	    .seq = 42,
	    .recent_conn = true,
	    .recent_state = TCPS_FIN_WAIT2,
	    .lookup = LOOKUP_NONE },
	  -1,
	  CAUSE_DATA_AFTER_CLOSE },
	{ "e2: SYN to a FIN_WAIT2-substate timewait sock",
	  { .tcp_flags = RA,
	    .seq = 0,
	    .recent_conn = true,
	    .recent_state = TCPS_FIN_WAIT2 },
	  -1,
	  CAUSE_TIME_WAIT },
	{ "f: accept queue overflow (ListenOverflows)",
	  { .tcp_flags = R,
	    .seq = 1001,
	    .has_uid = true,
	    .listener = true,
	    .listener_uid = true,
	    .lookup = LOOKUP_LISTEN },
	  CR_LISTEN_OVERFLOWS,
	  CAUSE_LISTEN_OVERFLOW },
	{ "p: listener closed with children queued",
	  { .tcp_flags = RA, .seq = 777 },
	  -1,
	  CAUSE_LISTENER_CLOSED },
	{ "g: orphan over the memory limit (TCPAbortOnMemory)",
	  { .tcp_flags = RA, .seq = 777 },
	  CR_ABORT_ON_MEMORY,
	  CAUSE_MEMORY_ABORT },
	{ "h: keepalive timeout (TCPAbortOnTimeout)",
	  { .tcp_flags = RA, .seq = 31337, .has_uid = true },
	  CR_ABORT_ON_TIMEOUT,
	  CAUSE_KEEPALIVE_TIMEOUT },
	{ "j: connect(AF_UNSPEC), no counter",
	  { .tcp_flags = RA, .seq = 31337, .has_uid = true },
	  -1,
	  CAUSE_APP_ABORT },
	{ "k: TCP_LINGER2 < 0 in FIN_WAIT2 (TCPAbortOnLinger)",
	  { .tcp_flags = RA, .seq = 31337 },
	  CR_ABORT_ON_LINGER,
	  CAUSE_FIN_WAIT_ABORT },
	{ "q: ss -K, no counter",
	  { .tcp_flags = RA, .seq = 4, .has_uid = true },
	  -1,
	  CAUSE_APP_ABORT },
	{ "bad SYN-ACK refused by a SYN_SENT socket",
	  { .tcp_flags = R,
	    .seq = 9,
	    .has_uid = true,
	    .lookup = LOOKUP_SYN_SENT },
	  -1,
	  CAUSE_BAD_SEGMENT },
	{ "i: firewall chosen by the batch pass",
	  { .tcp_flags = RA, .seq = 0, .firewall = true },
	  -1,
	  CAUSE_FIREWALL },
	{ "late segment for a connection we reset (keepalive, abort)",
	  { .tcp_flags = R,
	    .seq = 42,
	    .recent_conn = true,
	    .recent_state = TCPS_ESTABLISHED,
	    .recent_reset = true,
	    .lookup = LOOKUP_NONE },
	  CR_ABORT_ON_DATA,
	  CAUSE_STRAY_SEGMENT },
	{ "SYN on the tuple of a connection we reset: no timewait sock",
	  { .tcp_flags = RA,
	    .seq = 0,
	    .recent_conn = true,
	    .recent_fresh = true,
	    .recent_state = TCPS_ESTABLISHED,
	    .recent_reset = true },
	  -1,
	  CAUSE_CLOSED_PORT },
	{ "traced reset wrongly marked firewall: the trace wins",
	  { .tcp_flags = RA, .seq = 0, .firewall = true, .traced = true },
	  -1,
	  CAUSE_CLOSED_PORT },
};

START_TEST(t_inference)
{
	const struct row *r = &rows[_i];
	struct credits cr;

	credits_init(&cr, 2000);
	if (r->credit >= 0)
		credits_add(&cr, (enum credit)r->credit, 1, 0);
	ck_assert_msg(classify(&r->e, &cr) == r->want, "%s: got %s, want %s",
		      r->what, cause_name(classify(&r->e, &cr)),
		      cause_name(r->want));
}
END_TEST

START_TEST(t_credit_consumed_once)
{
	struct evidence e = { .tcp_flags = RA, .seq = 5, .has_uid = true };
	struct credits cr;

	credits_init(&cr, 2000);
	credits_add(&cr, CR_ABORT_ON_CLOSE, 1, 0);
	ck_assert_int_eq(classify(&e, &cr), CAUSE_UNREAD_CLOSE);
	/* The second abort of the batch has no credit left. */
	ck_assert_int_eq(classify(&e, &cr), CAUSE_APP_ABORT);
}
END_TEST

START_TEST(t_credits_expire)
{
	struct evidence e = { .tcp_flags = RA, .seq = 5, .has_uid = true };
	struct credits cr;

	credits_init(&cr, 2000);
	credits_add(&cr, CR_ABORT_ON_TIMEOUT, 1, 1000);
	credits_expire(&cr, 3001);
	ck_assert_int_eq(classify(&e, &cr), CAUSE_APP_ABORT);
	credits_add(&cr, CR_ABORT_ON_TIMEOUT, 2, 5000);
	credits_expire(&cr, 6000);
	ck_assert_int_eq(classify(&e, &cr), CAUSE_KEEPALIVE_TIMEOUT);
}
END_TEST

START_TEST(t_credits_bounded)
{
	struct credits cr;

	credits_init(&cr, 2000);
	credits_add(&cr, CR_ABORT_ON_DATA, 1000000, 0);
	credits_add(&cr, CR_ABORT_ON_DATA, 1000000, 0);
	ck_assert_uint_le(cr.n[CR_ABORT_ON_DATA], 100000);
	ck_assert(credits_take(&cr, CR_ABORT_ON_DATA));
	ck_assert(!credits_take(&cr, CR_ABORT_ON_CLOSE));
}
END_TEST

/* The kernel's reason decides; the packet refines TCP_STATE and
 * TCP_TIMEWAIT_SOCKET and NO_SOCKET. */
static const struct {
	enum kreason r;
	uint8_t flags;
	uint32_t seq;
	bool uid;
	enum cause want;
} kernel_rows[] = {
	{ KREASON_NO_SOCKET, RA, 0, false, CAUSE_CLOSED_PORT },
	{ KREASON_NO_SOCKET, R, 50, false, CAUSE_STRAY_SEGMENT },
	{ KREASON_TCP_FLAGS, R, 50, true, CAUSE_STRAY_SEGMENT },
	{ KREASON_INVALID_SYN, R, 50, true, CAUSE_LISTEN_OVERFLOW },
	{ KREASON_TCP_ABORT_ON_CLOSE, RA, 9, true, CAUSE_UNREAD_CLOSE },
	{ KREASON_TCP_ABORT_ON_DATA, R, 9, false, CAUSE_DATA_AFTER_CLOSE },
	{ KREASON_TCP_TIMEWAIT_SOCKET, R, 9, false, CAUSE_DATA_AFTER_CLOSE },
	{ KREASON_TCP_TIMEWAIT_SOCKET, RA, 0, false, CAUSE_TIME_WAIT },
	{ KREASON_TCP_ABORT_ON_LINGER, RA, 9, false, CAUSE_FIN_WAIT_ABORT },
	{ KREASON_TCP_ABORT_ON_MEMORY, RA, 9, false, CAUSE_MEMORY_ABORT },
	{ KREASON_TCP_KEEPALIVE_TIMEOUT, RA, 9, true, CAUSE_KEEPALIVE_TIMEOUT },
	{ KREASON_TCP_STATE, RA, 9, true, CAUSE_APP_ABORT },
	{ KREASON_TCP_STATE, RA, 9, false, CAUSE_LISTENER_CLOSED },
	{ KREASON_TCP_DISCONNECT_WITH_DATA, RA, 9, true, CAUSE_APP_ABORT },
	{ KREASON_TCP_INVALID_ACK_SEQUENCE, R, 9, true, CAUSE_BAD_SEGMENT },
	{ KREASON_TCP_RFC7323_PAWS, RA, 9, true, CAUSE_BAD_SEGMENT },
	{ KREASON_TCP_TOO_OLD_ACK, RA, 9, true, CAUSE_BAD_SEGMENT },
	{ KREASON_TCP_OLD_ACK, RA, 9, true, CAUSE_BAD_SEGMENT },
	{ KREASON_TCP_ACK_UNSENT_DATA, RA, 9, true, CAUSE_BAD_SEGMENT },
	/* Not decisive: inference (an abort with a uid). */
	{ KREASON_NOT_SPECIFIED, RA, 9, true, CAUSE_APP_ABORT },
};

START_TEST(t_kernel_reason)
{
	struct evidence e = {
		.tcp_flags = kernel_rows[_i].flags,
		.seq = kernel_rows[_i].seq,
		.has_uid = kernel_rows[_i].uid,
		.kreason = kernel_rows[_i].r,
	};
	struct credits cr;

	credits_init(&cr, 2000);
	ck_assert_msg(classify(&e, &cr) == kernel_rows[_i].want, "%s: got %s",
		      kreason_name(kernel_rows[_i].r),
		      cause_name(classify(&e, &cr)));
}
END_TEST

START_TEST(t_kernel_reason_beats_evidence)
{
	/* A credit for AbortOnClose is there, but the kernel says TCP_STATE:
	 * the reason wins and the credit stays for its own reset. */
	struct evidence e = { .tcp_flags = RA,
			      .seq = 9,
			      .has_uid = true,
			      .kreason = KREASON_TCP_STATE };
	struct evidence f = { .tcp_flags = RA, .seq = 9, .has_uid = true };
	struct credits cr;

	credits_init(&cr, 2000);
	credits_add(&cr, CR_ABORT_ON_CLOSE, 1, 0);
	ck_assert_int_eq(classify(&e, &cr), CAUSE_APP_ABORT);
	ck_assert_int_eq(classify(&f, &cr), CAUSE_UNREAD_CLOSE);
}
END_TEST

START_TEST(t_firewall_rank)
{
	struct evidence syn_closed = { .tcp_flags = RA, .seq = 0 };
	struct evidence syn_listening = { .tcp_flags = RA,
					  .seq = 0,
					  .listener = true };
	struct evidence live = { .tcp_flags = R,
				 .seq = 8,
				 .lookup = LOOKUP_LIVE };
	struct evidence foreign = { .tcp_flags = RA,
				    .seq = 0,
				    .foreign_source = true };
	struct evidence abort = { .tcp_flags = RA, .seq = 8 };
	struct evidence owned = { .tcp_flags = R, .seq = 8, .has_uid = true };
	struct evidence traced = { .tcp_flags = RA,
				   .seq = 0,
				   .kreason = KREASON_NO_SOCKET,
				   .traced = true };

	ck_assert_int_eq(classify_firewall_rank(&foreign), 100);
	ck_assert_int_ge(classify_firewall_rank(&foreign), FIREWALL_CERTAIN);
	ck_assert_int_gt(classify_firewall_rank(&live),
			 classify_firewall_rank(&syn_listening));
	ck_assert_int_gt(classify_firewall_rank(&syn_listening),
			 classify_firewall_rank(&syn_closed));
	ck_assert_int_gt(classify_firewall_rank(&syn_closed), 0);
	ck_assert_int_lt(classify_firewall_rank(&live), FIREWALL_CERTAIN);
	ck_assert_int_eq(classify_firewall_rank(&abort), 0);
	ck_assert_int_eq(classify_firewall_rank(&owned), 0);
	ck_assert_int_eq(classify_firewall_rank(&traced), 0);
}
END_TEST

/* A reset the tracepoint saw is the stack's, whatever else is said of
 * it: an address table that does not know its source yet (a tun device
 * or VRRP address added a moment ago) cannot make it a firewall's. */
START_TEST(t_kernel_word_wins)
{
	struct evidence reason = { .tcp_flags = RA,
				   .seq = 0,
				   .traced = true,
				   .kreason = KREASON_NO_SOCKET,
				   .foreign_source = true,
				   .firewall = true };
	struct evidence flags = { .tcp_flags = R,
				  .seq = 77,
				  .traced = true,
				  .kreason = KREASON_TCP_FLAGS,
				  .foreign_source = true,
				  .firewall = true };
	struct evidence actor_only = { .tcp_flags = RA,
				       .seq = 0,
				       .traced = true,
				       .foreign_source = true };
	struct credits cr;

	credits_init(&cr, 2000);
	ck_assert_int_eq(classify_firewall_rank(&reason), 0);
	ck_assert_int_eq(classify_firewall_rank(&flags), 0);
	ck_assert_int_eq(classify_firewall_rank(&actor_only), 0);
	ck_assert_int_eq(classify(&reason, &cr), CAUSE_CLOSED_PORT);
	ck_assert_int_eq(classify(&flags, &cr), CAUSE_STRAY_SEGMENT);
	actor_only.firewall = true;
	ck_assert_int_eq(classify(&actor_only, &cr), CAUSE_CLOSED_PORT);
}
END_TEST

/* Missed by a complete trace: likelier, never certain. */
START_TEST(t_untraced_rank)
{
	struct evidence seen = { .tcp_flags = RA, .seq = 0 };
	struct evidence missed = { .tcp_flags = RA,
				   .seq = 0,
				   .trace_complete = true };
	struct evidence live = { .tcp_flags = R,
				 .seq = 8,
				 .lookup = LOOKUP_LIVE,
				 .trace_complete = true };

	ck_assert_int_gt(classify_firewall_rank(&missed),
			 classify_firewall_rank(&seen));
	ck_assert_int_lt(classify_firewall_rank(&missed), FIREWALL_CERTAIN);
	ck_assert_int_lt(classify_firewall_rank(&live), FIREWALL_CERTAIN);
}
END_TEST

START_TEST(t_firewall_pick)
{
	/* foreign, closed-port SYN answer, traced, live flow, closed SYN */
	const int rank[5] = { 100, 20, 0, 90, 20 };
	bool chosen[5];

	/* The stack counted everything: nothing is a firewall's, not even
	 * a source the address table does not know. */
	ck_assert_uint_eq(classify_firewall_pick(rank, 5, 0, chosen), 0);
	ck_assert(!chosen[0] && !chosen[1] && !chosen[2] && !chosen[3] &&
		  !chosen[4]);
	/* Two uncounted: the likeliest two. */
	ck_assert_uint_eq(classify_firewall_pick(rank, 5, 2, chosen), 2);
	ck_assert(chosen[0] && chosen[3] && !chosen[1] && !chosen[2] &&
		  !chosen[4]);
	/* Three: equals in arrival order. */
	ck_assert_uint_eq(classify_firewall_pick(rank, 5, 3, chosen), 3);
	ck_assert(chosen[1] && !chosen[4]);
	/* More than there are candidates: never a traced one. */
	ck_assert_uint_eq(classify_firewall_pick(rank, 5, 9, chosen), 4);
	ck_assert(!chosen[2]);
	/* No counter: only the certain. */
	ck_assert_uint_eq(classify_firewall_pick(rank, 5, -1, chosen), 1);
	ck_assert(chosen[0] && !chosen[3]);
}
END_TEST

START_TEST(t_names)
{
	int c;

	for (c = 0; c < CAUSE_MAX; c++)
		ck_assert_int_eq(cause_from_name(cause_name((enum cause)c)), c);
	ck_assert_int_eq(cause_from_name("nonsense"), CAUSE_MAX);
	ck_assert_str_eq(cause_name(CAUSE_MAX), "unknown");
	ck_assert_int_eq(kreason_from_name("TCP_STATE"), KREASON_TCP_STATE);
	ck_assert_int_eq(kreason_from_name("MPTCP_RST_EMPTCP"), KREASON_MPTCP);
	ck_assert_int_eq(kreason_from_name("BRAND_NEW"), KREASON_NONE);
	ck_assert_ptr_null(kreason_name(KREASON_NONE));
}
END_TEST

Suite *classify_suite(void)
{
	Suite *s = suite_create("classify");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, t_inference, 0,
			    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_loop_test(
		tc, t_kernel_reason, 0,
		(int)(sizeof(kernel_rows) / sizeof(kernel_rows[0])));
	tcase_add_test(tc, t_credit_consumed_once);
	tcase_add_test(tc, t_credits_expire);
	tcase_add_test(tc, t_credits_bounded);
	tcase_add_test(tc, t_kernel_reason_beats_evidence);
	tcase_add_test(tc, t_firewall_rank);
	tcase_add_test(tc, t_kernel_word_wins);
	tcase_add_test(tc, t_untraced_rank);
	tcase_add_test(tc, t_firewall_pick);
	tcase_add_test(tc, t_names);
	suite_add_tcase(s, tc);
	return s;
}
