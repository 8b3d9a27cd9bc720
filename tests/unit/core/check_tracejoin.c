/* check_tracejoin: joining tracepoint records to NFLOG events. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tracejoin.h"
#include "unit.h"

#define SEC 1000000000ull

/* One instance per test: the struct is too big for the stack. */
static struct tracejoin *tj;

static void setup(void)
{
	tj = malloc(sizeof(*tj));
	ck_assert_ptr_nonnull(tj);
	tracejoin_init(tj, 2 * SEC);
}

static void teardown(void)
{
	free(tj);
}

static uint8_t fam_of(const char *a)
{
	return strchr(a, ':') ? AF_INET6 : AF_INET;
}

/* A record as the tracepoint gives it; tid tells records apart. */
static struct trace_record rec(const char *s, uint16_t sport, const char *d,
			       uint16_t dport, uint64_t t, uint32_t tag)
{
	struct trace_record r;

	memset(&r, 0, sizeof(r));
	r.family = fam_of(s);
	ck_assert_int_eq(inet_pton(r.family, s, r.saddr), 1);
	ck_assert_int_eq(inet_pton(r.family, d, r.daddr), 1);
	r.sport = sport;
	r.dport = dport;
	r.mono_ns = t;
	r.reason = KREASON_NO_SOCKET;
	r.tid = tag;
	return r;
}

static void add(const char *s, uint16_t sport, const char *d, uint16_t dport,
		uint64_t t, uint32_t tag)
{
	struct trace_record r = rec(s, sport, d, dport, t, tag);

	tracejoin_add(tj, &r);
}

static struct rst_event ev(const char *local, uint16_t lport,
			   const char *remote, uint16_t rport, uint64_t t)
{
	struct rst_event e;

	memset(&e, 0, sizeof(e));
	e.family = fam_of(local);
	ck_assert_int_eq(inet_pton(e.family, local, e.local), 1);
	ck_assert_int_eq(inet_pton(e.family, remote, e.remote), 1);
	e.lport = lport;
	e.rport = rport;
	e.mono_ns = t;
	return e;
}

/* The tag of the record joined to this event, 0 when none. */
static uint32_t take(const char *local, uint16_t lport, const char *remote,
		     uint16_t rport, uint64_t t)
{
	struct rst_event e = ev(local, lport, remote, rport, t);
	struct trace_record out;

	if (!tracejoin_take(tj, &e, &out))
		return 0;
	return out.tid;
}

START_TEST(t_exact)
{
	struct rst_event e = ev("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC);
	struct trace_record out;

	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC, 7);
	ck_assert(tracejoin_take(tj, &e, &out));
	ck_assert_uint_eq(out.tid, 7);
	ck_assert_uint_eq(out.sport, 80);
	ck_assert_uint_eq(out.dport, 5555);
	ck_assert_int_eq(out.reason, KREASON_NO_SOCKET);
	ck_assert_uint_eq(tj->joined, 1);

	add("fd00::1", 443, "fd00::2", 40000, 12 * SEC, 8);
	ck_assert_uint_eq(take("fd00::1", 443, "fd00::2", 40000, 12 * SEC), 8);
}
END_TEST

START_TEST(t_dual_stack_exact)
{
	/* An accepted IPv4 connection of a dual-stack IPv6 listener. */
	add("::ffff:10.0.0.1", 80, "::ffff:10.0.0.2", 5555, 10 * SEC, 1);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.3", 5555, 11 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 1);
	/* An IPv4 record never answers an IPv6 event. */
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC, 2);
	ck_assert_uint_eq(take("::ffff:10.0.0.1", 80, "::ffff:10.0.0.2", 5555,
			       11 * SEC),
			  0);
}
END_TEST

START_TEST(t_listener_v4)
{
	add("0.0.0.0", 80, "0.0.0.0", 0, 10 * SEC, 1);
	add("10.0.0.1", 81, "0.0.0.0", 0, 10 * SEC, 2);
	add("10.0.0.9", 82, "0.0.0.0", 0, 10 * SEC, 3);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 1);
	ck_assert_uint_eq(take("10.0.0.1", 81, "10.0.0.2", 5555, 11 * SEC), 2);
	/* Bound to another address: that listener did not send it. */
	ck_assert_uint_eq(take("10.0.0.1", 82, "10.0.0.2", 5555, 11 * SEC), 0);
	/* A v4 listener does not answer IPv6. */
	add("0.0.0.0", 83, "0.0.0.0", 0, 10 * SEC, 4);
	ck_assert_uint_eq(take("fd00::1", 83, "fd00::2", 5555, 11 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.1", 83, "10.0.0.2", 5555, 11 * SEC), 4);
}
END_TEST

START_TEST(t_listener_v6)
{
	add("::", 80, "::", 0, 10 * SEC, 1);
	add("fd00::1", 81, "::", 0, 10 * SEC, 2);
	add("fd00::9", 82, "::", 0, 10 * SEC, 3);
	ck_assert_uint_eq(take("fd00::1", 80, "fd00::2", 5555, 11 * SEC), 1);
	ck_assert_uint_eq(take("fd00::1", 81, "fd00::2", 5555, 11 * SEC), 2);
	ck_assert_uint_eq(take("fd00::1", 82, "fd00::2", 5555, 11 * SEC), 0);
}
END_TEST

START_TEST(t_listener_v6_for_v4)
{
	add("::", 80, "::", 0, 10 * SEC, 1);
	add("::ffff:10.0.0.1", 81, "::", 0, 10 * SEC, 2);
	add("::ffff:10.0.0.9", 82, "::", 0, 10 * SEC, 3);
	add("fd00::1", 83, "::", 0, 10 * SEC, 4);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 1);
	ck_assert_uint_eq(take("10.0.0.1", 81, "10.0.0.2", 5555, 11 * SEC), 2);
	ck_assert_uint_eq(take("10.0.0.1", 82, "10.0.0.2", 5555, 11 * SEC), 0);
	/* A listener on a real IPv6 address cannot answer IPv4. */
	ck_assert_uint_eq(take("10.0.0.1", 83, "10.0.0.2", 5555, 11 * SEC), 0);
}
END_TEST

START_TEST(t_exact_beats_listener)
{
	add("0.0.0.0", 80, "0.0.0.0", 0, 10 * SEC, 1);
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC + 5, 2);
	add("::", 80, "::", 0, 10 * SEC + 1, 3);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 2);
	/* Then the oldest listener-shaped one. */
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 1);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 3);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 0);
}
END_TEST

START_TEST(t_oldest_of_equals)
{
	/* Added out of time order, as two CPUs' rings can be drained. */
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC + 30, 3);
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC + 10, 1);
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC + 20, 2);
	/* Same time: the one added first. */
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC + 40, 4);
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC + 40, 5);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 1);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 2);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 3);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 4);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 5);
	ck_assert_uint_eq(tj->joined, 5);
}
END_TEST

START_TEST(t_consume_once)
{
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC, 1);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 1);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 0);
	add("0.0.0.0", 81, "0.0.0.0", 0, 10 * SEC, 2);
	ck_assert_uint_eq(take("10.0.0.1", 81, "10.0.0.2", 5555, 11 * SEC), 2);
	ck_assert_uint_eq(take("10.0.0.1", 81, "10.0.0.3", 5556, 11 * SEC), 0);
	ck_assert_uint_eq(tj->joined, 2);
	ck_assert_uint_eq(tj->expired, 0);
}
END_TEST

START_TEST(t_too_new)
{
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC, 1);
	/* The event was received before the record was made: not its. */
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC - 1),
			  0);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC), 1);
	/* Of two records, the one not newer than the event. */
	add("10.0.0.1", 80, "10.0.0.2", 5555, 20 * SEC, 2);
	add("10.0.0.1", 80, "10.0.0.2", 5555, 19 * SEC, 3);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 19 * SEC + 1),
			  3);
}
END_TEST

START_TEST(t_too_old)
{
	/* Aged out by a newer record (max age 2 s). */
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC, 1);
	add("10.0.0.1", 81, "10.0.0.2", 5555, 12 * SEC, 2);
	ck_assert_uint_eq(tj->expired, 0);
	add("10.0.0.1", 81, "10.0.0.2", 5555, 12 * SEC + 1, 3);
	ck_assert_uint_eq(tj->expired, 1);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 12 * SEC + 1),
			  0);
	/* Aged out by the event's own time. */
	ck_assert_uint_eq(take("10.0.0.1", 81, "10.0.0.2", 5555, 15 * SEC), 0);
	ck_assert_uint_eq(tj->expired, 3);
	ck_assert_uint_eq(tj->joined, 0);
	ck_assert_uint_eq(tj->count, 0);
	/* Exactly max age old still joins. */
	add("10.0.0.1", 82, "10.0.0.2", 5555, 20 * SEC, 4);
	ck_assert_uint_eq(take("10.0.0.1", 82, "10.0.0.2", 5555, 22 * SEC), 4);
}
END_TEST

START_TEST(t_late_old_record)
{
	/* A record older than the window behind a newer one is refused. */
	add("10.0.0.1", 81, "10.0.0.2", 5555, 20 * SEC, 1);
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC, 2);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 20 * SEC), 0);
	ck_assert_uint_eq(tj->expired, 1);
	ck_assert_uint_eq(take("10.0.0.1", 81, "10.0.0.2", 5555, 20 * SEC), 1);
	ck_assert_uint_eq(tj->count, 0);
}
END_TEST

START_TEST(t_overflow)
{
	unsigned int i;

	tracejoin_init(tj, 1000 * SEC);
	add("10.0.0.1", 1000, "10.0.0.2", 5555, SEC, 1);
	add("10.0.0.1", 1001, "10.0.0.2", 5555, SEC + 1, 2);
	for (i = 0; i < TRACEJOIN_SLOTS - 1; i++)
		add("10.0.0.1", 2000, "10.0.0.2", (uint16_t)(i + 1),
		    2 * SEC + i, 100 + i);
	ck_assert_uint_eq(tj->count, TRACEJOIN_SLOTS);
	ck_assert_uint_eq(tj->expired, 1);
	/* The oldest went, the next oldest is still there. */
	ck_assert_uint_eq(take("10.0.0.1", 1000, "10.0.0.2", 5555, 3 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.1", 1001, "10.0.0.2", 5555, 3 * SEC), 2);
	/* A consumed slot is reused before anything live is evicted. */
	add("10.0.0.1", 2001, "10.0.0.2", 5555, 3 * SEC, 9);
	ck_assert_uint_eq(tj->expired, 1);
	add("10.0.0.1", 2001, "10.0.0.2", 5556, 3 * SEC, 10);
	ck_assert_uint_eq(tj->expired, 2);
	ck_assert_uint_eq(take("10.0.0.1", 2000, "10.0.0.2", 1, 3 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.1", 2000, "10.0.0.2", 2, 3 * SEC), 101);
	ck_assert_uint_eq(take("10.0.0.1", 2001, "10.0.0.2", 5556, 3 * SEC),
			  10);
}
END_TEST

START_TEST(t_other_ports)
{
	unsigned int i;
	uint16_t p;

	tracejoin_init(tj, 1000 * SEC);
	/* Ports that share a bucket with 80 under any hash of low bits. */
	for (i = 1; i < 60; i++)
		add("10.0.0.1", (uint16_t)(80 + 1024 * i), "10.0.0.2", 5555,
		    SEC, 1000 + i);
	for (i = 0; i < 3000; i++)
		add("10.0.0.1", (uint16_t)(20000 + i), "10.0.0.2", 5555,
		    SEC + i, 5000 + i);
	add("10.0.0.1", 80, "10.0.0.2", 5555, 2 * SEC, 1);
	add("0.0.0.0", 81, "0.0.0.0", 0, SEC, 2);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 3 * SEC), 1);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 3 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.1", 81, "10.0.0.2", 5555, 3 * SEC), 2);
	ck_assert_uint_eq(take("10.0.0.1", 82, "10.0.0.2", 5555, 3 * SEC), 0);
	/* Every other record is still found, by its own port only. */
	for (i = 1; i < 60; i++) {
		p = (uint16_t)(80 + 1024 * i);
		ck_assert_uint_eq(take("10.0.0.1", p, "10.0.0.2", 5555,
				       3 * SEC),
				  1000 + i);
	}
	for (i = 0; i < 3000; i++) {
		p = (uint16_t)(20000 + i);
		ck_assert_uint_eq(take("10.0.0.1", p, "10.0.0.2", 5555,
				       3 * SEC),
				  5000 + i);
	}
	ck_assert_uint_eq(tj->joined, 3061);
	ck_assert_uint_eq(tj->expired, 0);
	ck_assert_uint_eq(tj->count, 0);
}
END_TEST

START_TEST(t_remote_mismatch)
{
	add("10.0.0.1", 80, "10.0.0.2", 5555, 10 * SEC, 1);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.3", 5555, 11 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5556, 11 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.9", 80, "10.0.0.2", 5555, 11 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.1", 8080, "10.0.0.2", 5555, 11 * SEC),
			  0);
	/* A zero peer with a port, or a peer without one, is no listener. */
	add("0.0.0.0", 81, "0.0.0.0", 5555, 10 * SEC, 2);
	add("0.0.0.0", 82, "10.0.0.2", 0, 10 * SEC, 3);
	ck_assert_uint_eq(take("10.0.0.1", 81, "10.0.0.3", 4444, 11 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.1", 82, "10.0.0.3", 4444, 11 * SEC), 0);
	ck_assert_uint_eq(take("10.0.0.1", 80, "10.0.0.2", 5555, 11 * SEC), 1);
}
END_TEST

/*
 * Random adds and takes against a brute-force model: a record can be
 * taken while it is among the last TRACEJOIN_SLOTS added, not taken, not
 * older than the window and not newer than the event.
 */
struct model_rec {
	struct trace_record r;
	bool taken;
};

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static int model_take(struct model_rec *m, unsigned int n, uint64_t newest,
		      uint64_t max_age, const struct rst_event *e)
{
	int best = -1, klass, best_klass = 0;
	unsigned int k;
	const struct trace_record *r;

	for (k = n > TRACEJOIN_SLOTS ? n - TRACEJOIN_SLOTS : 0; k < n; k++) {
		r = &m[k].r;
		if (m[k].taken || r->sport != e->lport ||
		    r->mono_ns > e->mono_ns ||
		    (newest > max_age && r->mono_ns < newest - max_age))
			continue;
		if (r->dport == e->rport && r->daddr[3] == e->remote[3] &&
		    r->daddr[0] == e->remote[0])
			klass = 2;
		else if (r->dport == 0 && r->daddr[0] == 0)
			klass = 1;
		else
			continue;
		if (klass > best_klass ||
		    (klass == best_klass && r->mono_ns < m[best].r.mono_ns)) {
			best = (int)k;
			best_klass = klass;
		}
	}
	return best;
}

START_TEST(t_model)
{
	static struct model_rec m[20000];
	const uint64_t max_age = (uint64_t)_i * 3000 + 500;
	uint64_t now = 1000000, newest = 0;
	struct trace_record out;
	struct rst_event e;
	uint32_t s = 1 + (uint32_t)_i;
	unsigned int n = 0, takes = 0, hits = 0;
	uint16_t port, rport;
	int want;

	tracejoin_init(tj, max_age);
	while (n < sizeof(m) / sizeof(m[0])) {
		if (lcg(&s) % 3) {
			/* Mostly in time order; sometimes a little late. */
			now += lcg(&s) % 3;
			port = (uint16_t)(lcg(&s) % 8);
			rport = (uint16_t)(1 + lcg(&s) % 4);
			if (lcg(&s) % 4 == 0)
				m[n].r = rec("0.0.0.0", port, "0.0.0.0", 0, now,
					     n + 1);
			else
				m[n].r = rec("10.0.0.1", port, "10.0.0.2",
					     rport, now, n + 1);
			if (lcg(&s) % 10 == 0)
				m[n].r.mono_ns -= lcg(&s) % 20;
			m[n].taken = false;
			tracejoin_add(tj, &m[n].r);
			if (m[n].r.mono_ns > newest)
				newest = m[n].r.mono_ns;
			n++;
		} else {
			port = (uint16_t)(lcg(&s) % 8);
			rport = (uint16_t)(1 + lcg(&s) % 4);
			e = ev("10.0.0.1", port, "10.0.0.2", rport,
			       now + 5 - lcg(&s) % 10);
			if (e.mono_ns > newest)
				newest = e.mono_ns;
			want = model_take(m, n, newest, max_age, &e);
			takes++;
			if (want < 0) {
				ck_assert(!tracejoin_take(tj, &e, &out));
				continue;
			}
			ck_assert(tracejoin_take(tj, &e, &out));
			ck_assert_uint_eq(out.tid, m[want].r.tid);
			m[want].taken = true;
			hits++;
		}
	}
	ck_assert_uint_eq(tj->joined, hits);
	/* The run must exercise both outcomes. */
	ck_assert_uint_gt(hits, takes / 10);
	ck_assert_uint_lt(hits, takes);
}
END_TEST

Suite *tracejoin_suite(void)
{
	Suite *s = suite_create("tracejoin");
	TCase *tc = tcase_create("join");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_exact);
	tcase_add_test(tc, t_dual_stack_exact);
	tcase_add_test(tc, t_listener_v4);
	tcase_add_test(tc, t_listener_v6);
	tcase_add_test(tc, t_listener_v6_for_v4);
	tcase_add_test(tc, t_exact_beats_listener);
	tcase_add_test(tc, t_oldest_of_equals);
	tcase_add_test(tc, t_consume_once);
	tcase_add_test(tc, t_too_new);
	tcase_add_test(tc, t_too_old);
	tcase_add_test(tc, t_late_old_record);
	tcase_add_test(tc, t_overflow);
	tcase_add_test(tc, t_other_ports);
	tcase_add_test(tc, t_remote_mismatch);
	tcase_add_loop_test(tc, t_model, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}
