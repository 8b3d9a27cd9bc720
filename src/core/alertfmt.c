/* alertfmt: an alert as text — names, the syslog key=value line, JSON. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "addrfmt.h"
#include "alertfmt.h"

const char *alert_type_name(enum alert_type t)
{
	static const char *const names[ALERT_TYPE_MAX] = {
		"port_scan",	   "syn_flood",	  "service_down",
		"listen_overflow", "abort_storm", "reset_rate",
	};

	return (unsigned int)t < ALERT_TYPE_MAX ? names[t] : "unknown";
}

int alert_type_from_name(const char *name, size_t len)
{
	int t;

	for (t = 0; t < ALERT_TYPE_MAX; t++) {
		const char *n = alert_type_name((enum alert_type)t);

		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return t;
	}
	return -1;
}

const char *alert_change_name(enum alert_change c)
{
	return c == ALERT_RAISED  ? "raised" :
	       c == ALERT_UPDATED ? "update" :
				    "cleared";
}

const char *severity_name(enum severity s)
{
	return s == SEV_CRITICAL ? "critical" :
	       s == SEV_WARNING	 ? "warning" :
				   "info";
}

/* Append " key=value" to buf, quoting a value with blanks or quotes. */
static void kv(char *buf, size_t len, const char *key, const char *val)
{
	size_t n = strlen(buf);
	bool quote = strpbrk(val, " \t\"=") != NULL || *val == '\0';
	size_t i;

	if (n + 1 >= len)
		return;
	n += (size_t)snprintf(buf + n, len - n, " %s=%s", key,
			      quote ? "\"" : "");
	/* Cut short, the line stays a prefix of the whole one: a cut
	 * value is never closed or followed by another key. */
	for (i = 0; val[i] && n + 1 < len; i++) {
		char c = val[i] == '"' || val[i] == '\n' ? '\'' : val[i];

		buf[n++] = c;
	}
	if (quote && n + 1 < len)
		buf[n++] = '"';
	buf[n < len ? n : len - 1] = '\0';
}

static void kv_u64(char *buf, size_t len, const char *key, uint64_t v)
{
	char t[24];

	snprintf(t, sizeof(t), "%llu", (unsigned long long)v);
	kv(buf, len, key, t);
}

static void kv_rate(char *buf, size_t len, const char *key, double v)
{
	char t[32];

	snprintf(t, sizeof(t), v >= 10 ? "%.0f/s" : "%.1f/s", v);
	kv(buf, len, key, t);
}

static void kv_time(char *buf, size_t len, const char *key, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	gmtime_r(&tt, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	kv(buf, len, key, s);
}

void alert_format_kv(const struct alert *a, enum alert_change ch, char *buf,
		     size_t len)
{
	char addr[ADDRFMT_LEN], t[64];
	int i;

	snprintf(buf, len, "alert=%s state=%s", alert_type_name(a->type),
		 alert_change_name(ch));
	switch (a->type) {
	case ALERT_PORT_SCAN:
		kv(buf, len, "remote",
		   addrfmt_str(a->ev.scan.family, a->ev.scan.remote, addr));
		kv_u64(buf, len, "ports", a->ev.scan.ports);
		kv_u64(buf, len, "first_port", a->ev.scan.first_port);
		kv_u64(buf, len, "last_port", a->ev.scan.last_port);
		kv_rate(buf, len, "rate", a->ev.scan.rate);
		break;
	case ALERT_SYN_FLOOD:
		kv_rate(buf, len, "rate", a->ev.flood.rate);
		kv_u64(buf, len, "sources", (uint64_t)a->ev.flood.sources);
		t[0] = '\0';
		for (i = 0; i < a->ev.flood.ntop; i++)
			snprintf(t + strlen(t), sizeof(t) - strlen(t), "%s%u",
				 i ? "," : "", a->ev.flood.top_ports[i]);
		if (t[0])
			kv(buf, len, "top_ports", t);
		break;
	case ALERT_SERVICE_DOWN:
		kv_u64(buf, len, "port", a->ev.down.port);
		kv(buf, len, "family",
		   a->ev.down.family == AF_INET6 ? "6" : "4");
		if (a->ev.down.comm[0])
			kv(buf, len, "last_owner", a->ev.down.comm);
		if (a->ev.down.pid)
			kv_u64(buf, len, "pid", a->ev.down.pid);
		if (a->ev.down.unit[0])
			kv(buf, len, "unit", a->ev.down.unit);
		kv_time(buf, len, "since", a->ev.down.gone_wall);
		kv_u64(buf, len, "attempts", a->ev.down.attempts);
		break;
	case ALERT_LISTEN_OVERFLOW:
		kv_u64(buf, len, "port", a->ev.overflow.port);
		if (a->ev.overflow.owner[0])
			kv(buf, len, "owner", a->ev.overflow.owner);
		kv_u64(buf, len, "backlog", a->ev.overflow.backlog);
		kv_u64(buf, len, "queue", a->ev.overflow.queue);
		kv_u64(buf, len, "resets", a->ev.overflow.resets);
		break;
	case ALERT_ABORT_STORM:
		kv(buf, len, "owner", a->ev.storm.owner);
		if (a->ev.storm.pid)
			kv_u64(buf, len, "pid", a->ev.storm.pid);
		kv_rate(buf, len, "rate", a->ev.storm.rate);
		for (i = 0; i < CAUSE_MAX; i++)
			if (a->ev.storm.by_cause[i])
				kv_u64(buf, len, cause_name((enum cause)i),
				       a->ev.storm.by_cause[i]);
		break;
	case ALERT_RESET_RATE:
		kv_rate(buf, len, "rate", a->ev.rate.rate);
		kv_rate(buf, len, "baseline", a->ev.rate.baseline);
		kv_rate(buf, len, "threshold", a->ev.rate.threshold);
		break;
	default:
		break;
	}
}

void alert_format_json(struct json *j, const struct alert *a)
{
	alert_format_json_open(j, a, NULL);
	json_obj_end(j);
}

void alert_format_json_open(struct json *j, const struct alert *a,
			    const char *state)
{
	char addr[ADDRFMT_LEN];
	int i;

	json_obj_begin(j, NULL);
	json_str(j, "type", alert_type_name(a->type));
	json_str(j, "key", a->key);
	json_str(j, "state", state ? state : a->updates ? "active" : "raised");
	json_i64(j, "since", a->since_wall);
	json_str(j, "severity", severity_name(a->severity));
	json_obj_begin(j, "evidence");
	switch (a->type) {
	case ALERT_PORT_SCAN:
		json_str(j, "remote",
			 addrfmt_str(a->ev.scan.family, a->ev.scan.remote,
				     addr));
		json_u64(j, "ports", a->ev.scan.ports);
		json_u64(j, "first_port", a->ev.scan.first_port);
		json_u64(j, "last_port", a->ev.scan.last_port);
		json_u64(j, "resets", a->ev.scan.resets);
		json_fixed(j, "rate", a->ev.scan.rate, 1);
		break;
	case ALERT_SYN_FLOOD:
		json_fixed(j, "rate", a->ev.flood.rate, 1);
		json_fixed(j, "sources", a->ev.flood.sources, 0);
		json_arr_begin(j, "top_ports");
		for (i = 0; i < a->ev.flood.ntop; i++)
			json_u64(j, NULL, a->ev.flood.top_ports[i]);
		json_arr_end(j);
		break;
	case ALERT_SERVICE_DOWN:
		json_u64(j, "port", a->ev.down.port);
		json_u64(j, "family", a->ev.down.family == AF_INET6 ? 6 : 4);
		json_obj_begin(j, "last_owner");
		if (a->ev.down.comm[0])
			json_str(j, "comm", a->ev.down.comm);
		if (a->ev.down.pid)
			json_u64(j, "pid", a->ev.down.pid);
		if (a->ev.down.unit[0])
			json_str(j, "unit", a->ev.down.unit);
		json_obj_end(j);
		json_i64(j, "down_since", a->ev.down.gone_wall);
		json_u64(j, "attempts", a->ev.down.attempts);
		break;
	case ALERT_LISTEN_OVERFLOW:
		json_u64(j, "port", a->ev.overflow.port);
		if (a->ev.overflow.owner[0])
			json_str(j, "owner", a->ev.overflow.owner);
		json_u64(j, "backlog", a->ev.overflow.backlog);
		json_u64(j, "queue", a->ev.overflow.queue);
		json_u64(j, "resets", a->ev.overflow.resets);
		break;
	case ALERT_ABORT_STORM:
		json_str(j, "owner", a->ev.storm.owner);
		if (a->ev.storm.pid)
			json_u64(j, "pid", a->ev.storm.pid);
		json_fixed(j, "rate", a->ev.storm.rate, 1);
		json_obj_begin(j, "causes");
		for (i = 0; i < CAUSE_MAX; i++)
			if (a->ev.storm.by_cause[i])
				json_u64(j, cause_name((enum cause)i),
					 a->ev.storm.by_cause[i]);
		json_obj_end(j);
		break;
	case ALERT_RESET_RATE:
		json_fixed(j, "rate", a->ev.rate.rate, 1);
		json_fixed(j, "baseline", a->ev.rate.baseline, 2);
		json_fixed(j, "threshold", a->ev.rate.threshold, 1);
		break;
	default:
		break;
	}
	json_obj_end(j);
}
