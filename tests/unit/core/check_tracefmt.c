/* check_tracefmt: every generation of tcp:tcp_send_reset's record, from
 * its format file to a decoded reset (tracefmt_fixtures.h). */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>
#include <sys/socket.h>

#include "tracefmt.h"
#include "tracefmt_fixtures.h"
#include "unit.h"

#define SOFTIRQ 0x10

/* Put v (of size bytes, host order) at off. */
static void put(uint8_t *raw, int off, int size, uint64_t v)
{
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	if (size == 2)
		memcpy(raw + off, &u16, 2);
	else if (size == 4)
		memcpy(raw + off, &u32, 4);
	else
		memcpy(raw + off, &v, 8);
}

/* A raw record of layout l: src:sport -> dst:dport, as the kernel fills
 * it (IPv4 as v4-mapped in the in6 arrays, sockaddrs on 6.10+). */
static size_t record(const struct trace_layout *l, uint8_t *raw, int fam,
		     const char *src, uint16_t sport, const char *dst,
		     uint16_t dport, int state, unsigned int reason,
		     uint8_t flags, uint64_t skaddr)
{
	uint8_t s[16] = { 0 }, d[16] = { 0 };
	size_t alen = fam == AF_INET6 ? 16 : 4;

	memset(raw, 0xee, 256);
	ck_assert_int_eq(inet_pton(fam, src, s), 1);
	ck_assert_int_eq(inet_pton(fam, dst, d), 1);
	put(raw, l->off_type, 2, l->type_id);
	raw[l->off_flags] = flags;
	put(raw, l->off_skaddr, l->sz_skaddr, skaddr);
	if (l->sz_state)
		put(raw, l->off_state, l->sz_state, (uint64_t)state);
	if (l->sz_reason)
		put(raw, l->off_reason, l->sz_reason, reason);
	if (l->sockaddrs) {
		uint16_t f = (uint16_t)fam;

		memset(raw + l->off_saddr, 0, 28);
		memset(raw + l->off_daddr, 0, 28);
		memcpy(raw + l->off_saddr, &f, 2);
		memcpy(raw + l->off_daddr, &f, 2);
		raw[l->off_saddr + 2] = (uint8_t)(sport >> 8);
		raw[l->off_saddr + 3] = (uint8_t)sport;
		raw[l->off_daddr + 2] = (uint8_t)(dport >> 8);
		raw[l->off_daddr + 3] = (uint8_t)dport;
		memcpy(raw + l->off_saddr + (fam == AF_INET6 ? 8 : 4), s, alen);
		memcpy(raw + l->off_daddr + (fam == AF_INET6 ? 8 : 4), d, alen);
	} else {
		uint8_t *s6 = raw + l->off_saddr, *d6 = raw + l->off_daddr;

		put(raw, l->off_sport, 2, sport);
		put(raw, l->off_dport, 2, dport);
		memset(s6, 0, 16);
		memset(d6, 0, 16);
		if (fam == AF_INET) {
			s6[10] = s6[11] = d6[10] = d6[11] = 0xff;
			memcpy(s6 + 12, s, 4);
			memcpy(d6 + 12, d, 4);
		} else {
			memcpy(s6, s, 16);
			memcpy(d6, d, 16);
		}
	}
	return l->raw_min;
}

static void parse(struct trace_layout *l, const char *fmt)
{
	char err[128] = "";

	ck_assert_msg(tracefmt_parse(l, fmt, err, sizeof(err)) == 0, "%s", err);
}

static void check_addr(const uint8_t *got, int fam, const char *want)
{
	uint8_t w[16] = { 0 };

	ck_assert_int_eq(inet_pton(fam, want, w), 1);
	ck_assert_mem_eq(got, w, fam == AF_INET6 ? 16 : 4);
}

static const struct {
	const char *what;
	const char *fmt;
	bool reason, sockaddrs, state;
} gens[] = {
	{ "4.19", FMT_4_19, false, false, false },
	{ "5.10", FMT_5_10, false, false, true },
	{ "family", FMT_FAMILY, false, false, true },
	{ "6.18", FMT_6_18, true, true, true },
};

START_TEST(t_generations)
{
	struct trace_layout l;
	struct trace_record r;
	uint8_t raw[256];
	size_t n;

	parse(&l, gens[_i].fmt);
	ck_assert_int_eq(tracefmt_has_reason(&l), gens[_i].reason);
	ck_assert_int_eq(l.sockaddrs, gens[_i].sockaddrs);
	ck_assert_int_eq(l.sz_state != 0, gens[_i].state);

	/* An abort in process context, IPv4, by a full socket. */
	n = record(&l, raw, AF_INET, "10.99.0.1", 45408, "10.99.0.2", 7408, 7,
		   14, 0, 0xffff8880deadbeefull);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(tracefmt_decode(&l, raw, n, &r), 0);
	ck_assert_int_eq(r.family, AF_INET);
	check_addr(r.saddr, AF_INET, "10.99.0.1");
	check_addr(r.daddr, AF_INET, "10.99.0.2");
	ck_assert_uint_eq(r.sport, 45408);
	ck_assert_uint_eq(r.dport, 7408);
	ck_assert(r.in_task);
	ck_assert(r.full_socket);
	ck_assert_int_eq(r.state, gens[_i].state ? 7 : 0);
	ck_assert_int_eq(r.reason,
			 gens[_i].reason ? KREASON_TCP_STATE : KREASON_NONE);

	/* A listener bound to :: answers in softirq context. */
	n = record(&l, raw, AF_INET6, "::", 7003, "::", 0, 10, 6, SOFTIRQ,
		   0xffff8880cafe0000ull);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(tracefmt_decode(&l, raw, n, &r), 0);
	ck_assert_int_eq(r.family, AF_INET6);
	check_addr(r.saddr, AF_INET6, "::");
	ck_assert_uint_eq(r.sport, 7003);
	ck_assert_uint_eq(r.dport, 0);
	ck_assert(!r.in_task);

	/* An IPv6 connection. */
	n = record(&l, raw, AF_INET6, "fd00:99::1", 45430, "fd00:99::2", 80, 1,
		   1, 0, 0x1000);
	ck_assert_int_eq(tracefmt_decode(&l, raw, n, &r), 0);
	ck_assert_int_eq(r.family, AF_INET6);
	check_addr(r.daddr, AF_INET6, "fd00:99::2");

	/* Too short, or another tracepoint's record. */
	ck_assert_int_eq(tracefmt_decode(&l, raw, l.raw_min - 1, &r), -1);
	put(raw, l.off_type, 2, l.type_id + 1);
	ck_assert_int_eq(tracefmt_decode(&l, raw, l.raw_min, &r), -1);
}
END_TEST

/* 6.10+: resets without a full socket are traced too; as before 6.10
 * they would not be (full_socket tells). */
START_TEST(t_not_full_sockets)
{
	struct trace_layout l;
	struct trace_record r;
	uint8_t raw[256];
	size_t n;

	parse(&l, FMT_6_18);
	/* NO_SOCKET: no socket at all. */
	n = record(&l, raw, AF_INET, "10.99.0.1", 7001, "10.99.0.2", 40000, 0,
		   1, SOFTIRQ, 0);
	ck_assert_int_eq(tracefmt_decode(&l, raw, n, &r), 0);
	ck_assert(!r.full_socket);
	ck_assert_int_eq(r.reason, KREASON_NO_SOCKET);
	/* A timewait sock, a request sock. */
	n = record(&l, raw, AF_INET, "10.99.0.1", 7001, "10.99.0.2", 40000, 6,
		   9, SOFTIRQ, 0x2000);
	ck_assert_int_eq(tracefmt_decode(&l, raw, n, &r), 0);
	ck_assert(!r.full_socket);
	n = record(&l, raw, AF_INET, "10.99.0.1", 7001, "10.99.0.2", 40000, 12,
		   6, SOFTIRQ, 0x2000);
	ck_assert_int_eq(tracefmt_decode(&l, raw, n, &r), 0);
	ck_assert(!r.full_socket);
	/* A reason beyond the names the format gave: unknown, not a crash. */
	n = record(&l, raw, AF_INET, "10.99.0.1", 7001, "10.99.0.2", 40000, 7,
		   60, 0, 0x2000);
	ck_assert_int_eq(tracefmt_decode(&l, raw, n, &r), 0);
	ck_assert_int_eq(r.reason, KREASON_NONE);
}
END_TEST

START_TEST(t_refused)
{
	struct trace_layout l;
	char err[128];

	ck_assert_int_eq(
		tracefmt_parse(&l, "name: x\nformat:\n", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "ID"));
	/* No addresses of any kind. */
	ck_assert_int_eq(
		tracefmt_parse(
			&l,
			"ID: 7\nformat:\n"
			"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
			"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
			"\tfield:const void * skaddr;\toffset:16;\tsize:8;\tsigned:0;\n",
			err, sizeof(err)),
		-1);
	ck_assert_ptr_nonnull(strstr(err, "addresses"));
}
END_TEST

Suite *tracefmt_suite(void)
{
	Suite *s = suite_create("tracefmt");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, t_generations, 0,
			    (int)(sizeof(gens) / sizeof(gens[0])));
	tcase_add_test(tc, t_not_full_sockets);
	tcase_add_test(tc, t_refused);
	suite_add_tcase(s, tc);
	return s;
}
