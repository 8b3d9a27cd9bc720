/* check_events: the event line, held byte for byte to what the generic
 * JSON writer makes of the same event (the reference below, the contract
 * of DESIGN.md), and addresses to glibc's inet_ntop. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "events.h"
#include "json.h"
#include "tcp_states.h"
#include "unit.h"
#include "addrfmt.h"

/* --- the reference: the writer rstmond used before events_line -------- */

static void ref_process(struct json *j, const struct proc_owner *o)
{
	json_u64(j, "pid", o->pid);
	if (o->comm[0])
		json_str(j, "comm", o->comm);
	if (o->unit[0])
		json_str(j, "unit", o->unit);
	if (o->container[0])
		json_str(j, "container", o->container);
	if (o->cgroup[0])
		json_str(j, "cgroup", o->cgroup);
}

static void ref_attribution(struct json *j, const struct attribution *at)
{
	const char *kr = kreason_name(at->kreason);

	json_str(j, "cause", cause_name(at->cause));
	if (at->has_owner || at->has_last_owner) {
		json_obj_begin(j, "owner");
		if (at->has_pid)
			ref_process(j, &at->owner);
		if (at->has_uid)
			json_u64(j, "uid", at->uid);
		if (at->user != NULL)
			json_str(j, "user", at->user);
		if (at->state != 0)
			json_str(j, "state", tcp_state_name(at->state));
		if (at->has_last_owner) {
			json_obj_begin(j, "last_owner");
			ref_process(j, &at->last);
			json_u64(j, "uid", at->last_uid);
			json_i64(j, "last_seen", at->last_seen);
			json_obj_end(j);
		}
		json_obj_end(j);
	}
	if (kr != NULL)
		json_str(j, "kernel_reason", kr);
	if (at->has_actor) {
		json_obj_begin(j, "actor");
		json_u64(j, "pid", at->actor_pid);
		if (at->actor_comm[0])
			json_str(j, "comm", at->actor_comm);
		json_obj_end(j);
	}
}

static void ref_format(struct json *j, const struct rst_event *ev,
		       const struct event_extra *x)
{
	char addr[INET6_ADDRSTRLEN], flags[9], ts[40];

	json_obj_begin(j, NULL);
	snprintf(ts, sizeof(ts), "%lld.%06ld", (long long)ev->ts.tv_sec,
		 ev->ts.tv_nsec / 1000);
	json_raw_value(j, "ts", ts, strlen(ts));
	json_u64(j, "family", ev->family == AF_INET6 ? 6 : 4);
	json_str(j, "local",
		 inet_ntop(ev->family, ev->local, addr, sizeof(addr)));
	json_u64(j, "lport", ev->lport);
	json_str(j, "remote",
		 inet_ntop(ev->family, ev->remote, addr, sizeof(addr)));
	json_u64(j, "rport", ev->rport);
	json_str(j, "flags", packet_flags_str(ev->tcp_flags, flags));
	json_u64(j, "seq", ev->seq);
	json_u64(j, "ack", ev->ack);
	json_u64(j, "window", ev->window);
	if (x != NULL && x->ifname != NULL)
		json_str(j, "ifname", x->ifname);
	if (x != NULL && x->at != NULL) {
		ref_attribution(j, x->at);
	} else if (ev->has_uid) {
		json_obj_begin(j, "owner");
		json_u64(j, "uid", ev->uid);
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* --- random events ------------------------------------------------------ */

static unsigned int rnd(unsigned int n)
{
	return (unsigned int)random() % n;
}

/* Mostly zero groups, so that every "::" placement comes up. */
static void rand_addr(uint8_t family, uint8_t *a)
{
	unsigned int i;

	memset(a, 0, 16);
	if (family == AF_INET) {
		for (i = 0; i < 4; i++)
			a[i] = (uint8_t)(rnd(3) ? rnd(256) : rnd(3) * 100);
		return;
	}
	for (i = 0; i < 8; i++) {
		if (rnd(2))
			continue;
		a[2 * i] = (uint8_t)(rnd(2) ? rnd(256) : 0);
		a[2 * i + 1] = (uint8_t)(rnd(4) ? rnd(256) : 0);
	}
	if (rnd(8) == 0) { /* IPv4-mapped or -compatible */
		memset(a, 0, 10);
		a[10] = a[11] = rnd(2) ? 0xff : 0;
	}
}

/* Text with quotes, escapes, control bytes, UTF-8 and broken UTF-8. */
static void rand_text(char *s, size_t size)
{
	static const char *const bits[] = {
		"nginx", "\"",	 "\\",
		"\n",	 "\t",	 "\x01",
		"\x7f",	 "é",	 "\xe2\x82\xac",
		"\xff",	 "\xc3", "/system.slice/a.service",
		" ",
	};
	size_t n = 0, k, want = rnd((unsigned int)size);

	while (n < want) {
		const char *b = bits[rnd(sizeof(bits) / sizeof(bits[0]))];

		k = strlen(b);
		if (n + k >= size)
			break;
		memcpy(s + n, b, k);
		n += k;
	}
	s[n] = '\0';
}

static void rand_owner(struct proc_owner *o)
{
	memset(o, 0, sizeof(*o));
	o->pid = rnd(4) ? rnd(4000000) : 0;
	rand_text(o->comm, sizeof(o->comm));
	if (rnd(2))
		rand_text(o->unit, sizeof(o->unit));
	if (rnd(3) == 0)
		rand_text(o->container, sizeof(o->container));
	if (rnd(2))
		rand_text(o->cgroup, sizeof(o->cgroup));
}

static void rand_event(struct rst_event *ev, struct attribution *at, char *user,
		       size_t userlen)
{
	memset(ev, 0, sizeof(*ev));
	ev->family = rnd(2) ? AF_INET6 : AF_INET;
	rand_addr(ev->family, ev->local);
	rand_addr(ev->family, ev->remote);
	ev->ts.tv_sec = (time_t)rnd(2000000000);
	ev->ts.tv_nsec = (long)rnd(1000000000);
	ev->lport = (uint16_t)rnd(65536);
	ev->rport = (uint16_t)rnd(65536);
	ev->tcp_flags = (uint8_t)(rnd(64) | TCPF_RST);
	ev->seq = (uint32_t)random() * 2u + rnd(2);
	ev->ack = (uint32_t)random();
	ev->window = (uint16_t)rnd(65536);
	ev->has_uid = rnd(2);
	ev->uid = rnd(70000);

	memset(at, 0, sizeof(*at));
	at->cause = (enum cause)rnd(CAUSE_MAX);
	at->kreason = (enum kreason)rnd(KREASON_MAX);
	at->has_pid = rnd(2);
	at->has_uid = rnd(2);
	at->has_owner = at->has_pid || at->has_uid || rnd(4) == 0;
	at->uid = rnd(70000);
	rand_text(user, userlen);
	at->user = rnd(2) ? user : NULL;
	at->state = rnd(3) ? 0 : (int)(1 + rnd(11));
	rand_owner(&at->owner);
	at->has_last_owner = rnd(3) == 0;
	rand_owner(&at->last);
	at->last_uid = rnd(70000);
	at->last_seen = rnd(8) ? (int64_t)rnd(2000000000) : -(int64_t)rnd(9);
	at->has_actor = rnd(3) == 0;
	at->actor_pid = rnd(4000000);
	rand_text(at->actor_comm, sizeof(at->actor_comm));
}

static void check_same(const struct rst_event *ev, const struct event_extra *x)
{
	static char ref[16384];
	char line[EVENTS_LINE_MAX];
	struct json j;
	size_t n;

	json_init_fixed(&j, ref, sizeof(ref));
	ref_format(&j, ev, x);
	ck_assert(json_ok(&j));
	n = events_line(line, ev, x);
	ck_assert_uint_eq(n, strlen(line));
	ck_assert_str_eq(line, ref);
}

START_TEST(t_line_matches_reference)
{
	struct rst_event ev;
	struct attribution at;
	struct event_extra x;
	char user[33];
	int i;

	srandom(7);
	for (i = 0; i < 20000; i++) {
		rand_event(&ev, &at, user, sizeof(user));
		x.ifname = rnd(2) ? "veth0" : NULL;
		x.at = rnd(4) ? &at : NULL;
		check_same(&ev, rnd(8) ? &x : NULL);
	}
}
END_TEST

/* The longest line there can be: every string at its full size, every
 * byte escaped at six. */
START_TEST(t_line_longest)
{
	struct rst_event ev;
	struct attribution at;
	struct event_extra x = { "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
				 "\x01\x01\x01\x01\x01",
				 &at };
	char user[33];

	memset(&ev, 0xff, sizeof(ev));
	ev.family = AF_INET6;
	ev.ts.tv_sec = 0x7fffffff;
	ev.ts.tv_nsec = 999999999;
	memset(&at, 0, sizeof(at));
	at.has_owner = at.has_pid = at.has_uid = at.has_last_owner = true;
	at.has_actor = true;
	at.uid = at.last_uid = at.actor_pid = UINT32_MAX;
	at.last_seen = INT64_MIN;
	at.state = 1;
	memset(user, 0x01, sizeof(user) - 1);
	user[32] = '\0';
	at.user = user;
#define FILL(f) (memset((f), 0x01, sizeof(f) - 1), (f)[sizeof(f) - 1] = 0)
	FILL(at.owner.comm);
	FILL(at.owner.unit);
	FILL(at.owner.container);
	FILL(at.owner.cgroup);
	at.last = at.owner;
	FILL(at.actor_comm);
#undef FILL
	at.owner.pid = at.last.pid = UINT32_MAX;
	check_same(&ev, &x);
}
END_TEST

START_TEST(t_line_exact)
{
	struct rst_event ev;
	char line[EVENTS_LINE_MAX];

	memset(&ev, 0, sizeof(ev));
	ev.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", ev.local);
	inet_pton(AF_INET, "10.0.0.2", ev.remote);
	ev.ts.tv_sec = 1732400000;
	ev.ts.tv_nsec = 1000;
	ev.lport = 80;
	ev.rport = 40000;
	ev.tcp_flags = TCPF_RST | TCPF_ACK;
	ev.ack = 1;
	ev.has_uid = true;
	events_line(line, &ev, NULL);
	ck_assert_str_eq(
		line,
		"{\"ts\":1732400000.000001,\"family\":4,\"local\":\"10.0.0.1\","
		"\"lport\":80,\"remote\":\"10.0.0.2\",\"rport\":40000,"
		"\"flags\":\"RA\",\"seq\":0,\"ack\":1,\"window\":0,"
		"\"owner\":{\"uid\":0}}");
}
END_TEST

START_TEST(t_addr_matches_inet_ntop)
{
	static const char *const fixed[] = {
		"::",
		"::1",
		"1::",
		"::ffff:1.2.3.4",
		"::1.2.3.4",
		"::ffff:0:0",
		"1:0:0:2:0:0:0:3",
		"1:0:0:2:0:0:3:4",
		"0:0:1::",
		"1::2:0:0",
		"2001:db8::1",
		"fe80::1:0:0:0",
		"::ffff:0.0.0.0",
		"::0.0.1.1",
		"1:2:3:4:5:6:7:8",
		"1:0:3:4:5:6:7:8",
		"ffff::ffff:1.2.3.4",
	};
	char want[INET6_ADDRSTRLEN], got[INET6_ADDRSTRLEN];
	uint8_t a[16];
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		ck_assert_int_eq(inet_pton(AF_INET6, fixed[i], a), 1);
		inet_ntop(AF_INET6, a, want, sizeof(want));
		ck_assert_str_eq(addrfmt_str(AF_INET6, a, got), want);
	}
	srandom(11);
	for (i = 0; i < 200000; i++) {
		uint8_t family = i % 2 ? AF_INET6 : AF_INET;

		rand_addr(family, a);
		inet_ntop(family, a, want, sizeof(want));
		ck_assert_str_eq(addrfmt_str(family, a, got), want);
	}
}
END_TEST

Suite *events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, t_line_matches_reference);
	tcase_add_test(tc, t_line_longest);
	tcase_add_test(tc, t_line_exact);
	tcase_add_test(tc, t_addr_matches_inet_ntop);
	suite_add_tcase(s, tc);
	return s;
}
