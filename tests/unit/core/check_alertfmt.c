/* check_alertfmt: every alert type's syslog line and JSON, byte for byte
 * (the lines are a contract: fail2ban and operators' scripts read them),
 * the names, and addresses as text. */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addrfmt.h"
#include "alertfmt.h"
#include "unit.h"

#define W0 1700000000LL

static struct alert base(enum alert_type t, const char *key, enum severity s)
{
	struct alert a;

	memset(&a, 0, sizeof(a));
	a.type = t;
	snprintf(a.key, sizeof(a.key), "%s", key);
	a.severity = s;
	a.since_wall = W0;
	return a;
}

static struct alert scan6(void)
{
	struct alert a = base(ALERT_PORT_SCAN, "2001:db8::bad:1", SEV_WARNING);

	a.ev.scan.family = AF_INET6;
	ck_assert_int_eq(
		inet_pton(AF_INET6, "2001:db8::bad:1", a.ev.scan.remote), 1);
	a.ev.scan.ports = 12;
	a.ev.scan.first_port = 1000;
	a.ev.scan.last_port = 1011;
	a.ev.scan.resets = 12;
	a.ev.scan.rate = 12;
	return a;
}

static struct alert flood(void)
{
	struct alert a = base(ALERT_SYN_FLOOD, "all", SEV_CRITICAL);

	a.ev.flood.rate = 812.44;
	a.ev.flood.sources = 3021.7;
	a.ev.flood.ntop = 3;
	a.ev.flood.top_ports[0] = 80;
	a.ev.flood.top_ports[1] = 443;
	a.ev.flood.top_ports[2] = 22;
	return a;
}

static struct alert down(void)
{
	struct alert a = base(ALERT_SERVICE_DOWN, "ipv4:6379", SEV_CRITICAL);

	a.ev.down.family = AF_INET;
	a.ev.down.port = 6379;
	snprintf(a.ev.down.comm, sizeof(a.ev.down.comm), "redis-server");
	a.ev.down.pid = 812;
	snprintf(a.ev.down.unit, sizeof(a.ev.down.unit),
		 "redis-server.service");
	a.ev.down.gone_wall = 1795435387; /* 2026-11-23T12:03:07Z */
	a.ev.down.attempts = 42;
	return a;
}

static struct alert overflow(void)
{
	struct alert a = base(ALERT_LISTEN_OVERFLOW, "port 8080", SEV_WARNING);

	a.ev.overflow.port = 8080;
	snprintf(a.ev.overflow.owner, sizeof(a.ev.overflow.owner),
		 "nginx (nginx.service)");
	a.ev.overflow.backlog = 511;
	a.ev.overflow.queue = 512;
	a.ev.overflow.resets = 37;
	return a;
}

static struct alert storm(void)
{
	struct alert a = base(ALERT_ABORT_STORM, "java \"x\"", SEV_WARNING);

	snprintf(a.ev.storm.owner, sizeof(a.ev.storm.owner), "java \"x\"");
	a.ev.storm.pid = 4242;
	a.ev.storm.rate = 62.5;
	a.ev.storm.by_cause[CAUSE_APP_ABORT] = 600;
	a.ev.storm.by_cause[CAUSE_KEEPALIVE_TIMEOUT] = 25;
	return a;
}

static struct alert rate(void)
{
	struct alert a = base(ALERT_RESET_RATE, "all", SEV_WARNING);

	a.ev.rate.rate = 310;
	a.ev.rate.baseline = 2.5;
	a.ev.rate.threshold = 50;
	return a;
}

static const char *kv(const struct alert *a, enum alert_change ch)
{
	static char line[512];

	alert_format_kv(a, ch, line, sizeof(line));
	return line;
}

static const char *json(const struct alert *a)
{
	static char buf[2048];
	struct json j;

	json_init_fixed(&j, buf, sizeof(buf));
	alert_format_json(&j, a);
	ck_assert(json_ok(&j));
	return json_text(&j);
}

/* Cut to any shorter length, the line is a prefix of the whole one. */
static void assert_cuts(const struct alert *a, enum alert_change ch)
{
	char whole[512], small[512];
	size_t len;

	alert_format_kv(a, ch, whole, sizeof(whole));
	for (len = 1; len <= strlen(whole) + 1; len++) {
		memset(small, 'x', sizeof(small));
		alert_format_kv(a, ch, small, len);
		ck_assert_uint_eq(strlen(small), len - 1);
		ck_assert(strncmp(small, whole, len - 1) == 0);
		ck_assert_int_eq(small[len], 'x');
	}
}

START_TEST(test_kv_every_type)
{
	struct alert a;

	a = scan6();
	ck_assert_str_eq(kv(&a, ALERT_RAISED),
			 "alert=port_scan state=raised "
			 "remote=2001:db8::bad:1 ports=12 first_port=1000 "
			 "last_port=1011 rate=12/s");
	a = flood();
	ck_assert_str_eq(kv(&a, ALERT_UPDATED),
			 "alert=syn_flood state=update rate=812/s "
			 "sources=3021 top_ports=80,443,22");
	a = down();
	ck_assert_str_eq(kv(&a, ALERT_CLEARED),
			 "alert=service_down state=cleared port=6379 family=4 "
			 "last_owner=redis-server pid=812 "
			 "unit=redis-server.service "
			 "since=2026-11-23T12:03:07Z attempts=42");
	a = overflow();
	ck_assert_str_eq(kv(&a, ALERT_RAISED),
			 "alert=listen_overflow state=raised port=8080 "
			 "owner=\"nginx (nginx.service)\" backlog=511 "
			 "queue=512 resets=37");
	assert_cuts(&a, ALERT_RAISED);
	a = storm();
	ck_assert_str_eq(kv(&a, ALERT_RAISED),
			 "alert=abort_storm state=raised owner=\"java 'x'\" "
			 "pid=4242 rate=62/s app_abort=600 "
			 "keepalive_timeout=25");
	assert_cuts(&a, ALERT_RAISED);
	a = rate();
	ck_assert_str_eq(kv(&a, ALERT_RAISED),
			 "alert=reset_rate state=raised rate=310/s "
			 "baseline=2.5/s threshold=50/s");
}
END_TEST

START_TEST(test_kv_optional_and_edges)
{
	struct alert a;

	/* What is unknown is left out; an IPv6 service says family=6. */
	a = base(ALERT_SERVICE_DOWN, "ipv6:443", SEV_CRITICAL);
	a.ev.down.family = AF_INET6;
	a.ev.down.port = 443;
	ck_assert_str_eq(kv(&a, ALERT_UPDATED),
			 "alert=service_down state=update port=443 family=6 "
			 "since=1970-01-01T00:00:00Z attempts=0");
	a = overflow();
	a.ev.overflow.owner[0] = '\0';
	ck_assert_str_eq(kv(&a, ALERT_CLEARED),
			 "alert=listen_overflow state=cleared port=8080 "
			 "backlog=511 queue=512 resets=37");
	a = flood();
	a.ev.flood.ntop = 0;
	ck_assert_str_eq(kv(&a, ALERT_RAISED),
			 "alert=syn_flood state=raised rate=812/s "
			 "sources=3021");
	/* Rates below 10/s keep a decimal, even when it rounds to 10. */
	a = rate();
	a.ev.rate.rate = 9.96;
	a.ev.rate.baseline = 0;
	ck_assert_str_eq(kv(&a, ALERT_RAISED),
			 "alert=reset_rate state=raised rate=10.0/s "
			 "baseline=0.0/s threshold=50/s");
	/* An IPv4 scanner; an '=' in a value is quoted, a newline is not
	 * a new line. */
	a = base(ALERT_PORT_SCAN, "198.51.100.9", SEV_WARNING);
	a.ev.scan.family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, "198.51.100.9", a.ev.scan.remote),
			 1);
	a.ev.scan.ports = 517;
	a.ev.scan.first_port = 110;
	a.ev.scan.last_port = 458;
	a.ev.scan.rate = 500;
	ck_assert_str_eq(kv(&a, ALERT_RAISED),
			 "alert=port_scan state=raised remote=198.51.100.9 "
			 "ports=517 first_port=110 last_port=458 rate=500/s");
	assert_cuts(&a, ALERT_RAISED);
	a = storm();
	snprintf(a.ev.storm.owner, sizeof(a.ev.storm.owner), "a=b\nalert=x");
	a.ev.storm.pid = 0;
	ck_assert_str_eq(kv(&a, ALERT_RAISED),
			 "alert=abort_storm state=raised owner=\"a=b'alert=x\" "
			 "rate=62/s app_abort=600 keepalive_timeout=25");
	/* An unknown type: the head only. */
	a = base(ALERT_TYPE_MAX, "x", SEV_INFO);
	ck_assert_str_eq(kv(&a, ALERT_RAISED), "alert=unknown state=raised");
}
END_TEST

START_TEST(test_json_every_type)
{
	struct alert a;

	a = scan6();
	ck_assert_str_eq(json(&a),
			 "{\"type\":\"port_scan\",\"key\":\"2001:db8::bad:1\","
			 "\"state\":\"raised\",\"since\":1700000000,"
			 "\"severity\":\"warning\",\"evidence\":{"
			 "\"remote\":\"2001:db8::bad:1\",\"ports\":12,"
			 "\"first_port\":1000,\"last_port\":1011,\"resets\":12,"
			 "\"rate\":12.0}}");
	/* Summarised once: "active".  The line truncates sources, the JSON
	 * rounds them, as they always have. */
	a = flood();
	a.updates = 3;
	ck_assert_str_eq(
		json(&a),
		"{\"type\":\"syn_flood\",\"key\":\"all\",\"state\":\"active\","
		"\"since\":1700000000,\"severity\":\"critical\","
		"\"evidence\":{\"rate\":812.4,\"sources\":3022,"
		"\"top_ports\":[80,443,22]}}");
	a.ev.flood.ntop = 0;
	ck_assert_ptr_nonnull(strstr(json(&a), "\"top_ports\":[]}}"));
	a = down();
	ck_assert_str_eq(
		json(&a),
		"{\"type\":\"service_down\",\"key\":\"ipv4:6379\","
		"\"state\":\"raised\",\"since\":1700000000,"
		"\"severity\":\"critical\",\"evidence\":{\"port\":6379,"
		"\"family\":4,\"last_owner\":{\"comm\":\"redis-server\","
		"\"pid\":812,\"unit\":\"redis-server.service\"},"
		"\"down_since\":1795435387,\"attempts\":42}}");
	a.ev.down.family = AF_INET6;
	a.ev.down.comm[0] = '\0';
	a.ev.down.pid = 0;
	a.ev.down.unit[0] = '\0';
	ck_assert_ptr_nonnull(strstr(json(&a), "\"family\":6,"
					       "\"last_owner\":{},"));
	a = overflow();
	ck_assert_str_eq(json(&a),
			 "{\"type\":\"listen_overflow\",\"key\":\"port 8080\","
			 "\"state\":\"raised\",\"since\":1700000000,"
			 "\"severity\":\"warning\",\"evidence\":{\"port\":8080,"
			 "\"owner\":\"nginx (nginx.service)\",\"backlog\":511,"
			 "\"queue\":512,\"resets\":37}}");
	a = storm();
	ck_assert_str_eq(
		json(&a),
		"{\"type\":\"abort_storm\",\"key\":\"java \\\"x\\\"\","
		"\"state\":\"raised\",\"since\":1700000000,"
		"\"severity\":\"warning\",\"evidence\":{"
		"\"owner\":\"java \\\"x\\\"\",\"pid\":4242,\"rate\":62.5,"
		"\"causes\":{\"app_abort\":600,\"keepalive_timeout\":25}}}");
	a = rate();
	ck_assert_str_eq(
		json(&a),
		"{\"type\":\"reset_rate\",\"key\":\"all\",\"state\":\"raised\","
		"\"since\":1700000000,\"severity\":\"warning\","
		"\"evidence\":{\"rate\":310.0,\"baseline\":2.50,"
		"\"threshold\":50.0}}");
}
END_TEST

START_TEST(test_json_open)
{
	struct alert a = rate();
	char buf[1024];
	struct json j;

	/* Left open for the caller (actions, hooks); its state wins. */
	a.updates = 1;
	json_init_fixed(&j, buf, sizeof(buf));
	alert_format_json_open(&j, &a, "cleared");
	json_arr_begin(&j, "actions");
	json_arr_end(&j);
	json_obj_end(&j);
	ck_assert(json_ok(&j));
	ck_assert_str_eq(
		json_text(&j),
		"{\"type\":\"reset_rate\",\"key\":\"all\","
		"\"state\":\"cleared\",\"since\":1700000000,"
		"\"severity\":\"warning\",\"evidence\":{\"rate\":310.0,"
		"\"baseline\":2.50,\"threshold\":50.0},\"actions\":[]}");
}
END_TEST

START_TEST(test_names)
{
	int t;

	for (t = 0; t < ALERT_TYPE_MAX; t++) {
		const char *n = alert_type_name((enum alert_type)t);

		ck_assert_int_eq(alert_type_from_name(n, strlen(n)), t);
	}
	ck_assert_str_eq(alert_type_name(ALERT_SYN_FLOOD), "syn_flood");
	ck_assert_str_eq(alert_type_name(ALERT_SERVICE_DOWN), "service_down");
	ck_assert_str_eq(alert_type_name(ALERT_LISTEN_OVERFLOW),
			 "listen_overflow");
	ck_assert_str_eq(alert_type_name(ALERT_ABORT_STORM), "abort_storm");
	ck_assert_str_eq(alert_type_name((enum alert_type) - 1), "unknown");
	/* Bounded by len: a word of a comma list. */
	ck_assert_int_eq(alert_type_from_name("port_scan,syn_flood", 9),
			 ALERT_PORT_SCAN);
	ck_assert_int_eq(alert_type_from_name("syn_floo", 8), -1);
	ck_assert_int_eq(alert_type_from_name("unknown", 7), -1);
	ck_assert_int_eq(alert_type_from_name("", 0), -1);
	ck_assert_str_eq(alert_change_name(ALERT_UPDATED), "update");
}
END_TEST

START_TEST(test_addr)
{
	char buf[ADDRFMT_LEN], *end;
	uint8_t a[16];

	memset(a, 0, sizeof(a));
	ck_assert_str_eq(addrfmt_str(AF_INET, a, buf), "0.0.0.0");
	ck_assert_str_eq(addrfmt_str(AF_INET6, a, buf), "::");
	ck_assert_str_eq(addrfmt_str(0, a, buf), "?");
	memset(a, 0xff, 4);
	ck_assert_str_eq(addrfmt_str(AF_INET, a, buf), "255.255.255.255");
	ck_assert_int_eq(inet_pton(AF_INET6, "::ffff:192.0.2.1", a), 1);
	ck_assert_str_eq(addrfmt_str(AF_INET6, a, buf), "::ffff:192.0.2.1");
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8:0:0:1:0:0:1", a), 1);
	ck_assert_str_eq(addrfmt_str(AF_INET6, a, buf), "2001:db8::1:0:0:1");
	/* addrfmt_put writes no NUL and says where the text ends; any
	 * family but AF_INET6 is IPv4 there. */
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(inet_pton(AF_INET, "10.0.0.1", a), 1);
	end = addrfmt_put(buf, 0, a);
	ck_assert_int_eq(end - buf, 8);
	ck_assert(memcmp(buf, "10.0.0.1", 8) == 0);
}
END_TEST

Suite *alertfmt_suite(void)
{
	Suite *s = suite_create("alertfmt");
	TCase *tc = tcase_create("alertfmt");

	tcase_add_test(tc, test_kv_every_type);
	tcase_add_test(tc, test_kv_optional_and_edges);
	tcase_add_test(tc, test_json_every_type);
	tcase_add_test(tc, test_json_open);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_addr);
	suite_add_tcase(s, tc);
	return s;
}
