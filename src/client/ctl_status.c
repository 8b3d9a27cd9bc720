/* ctl_status: `rstmonctl status` for people and machines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static void row(const char *label, const char *value)
{
	printf("%-18s %s\n", label, value);
}

static void row_u64(const char *label, uint64_t v)
{
	char b[32];

	row(label, ctl_group_digits(v, b, sizeof(b)));
}

struct cause_count {
	const char *name;
	uint64_t n;
};

static int by_count(const void *x, const void *y)
{
	const struct cause_count *a = x, *b = y;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* "closed_port 1,000, app_abort 3": largest first. */
static void print_causes(json_t *causes)
{
	struct cause_count c[32];
	char line[512], b[32];
	const char *key;
	size_t len = 0, n = 0, i;
	json_t *v;

	json_object_foreach(causes, key, v)
	{
		if (n < sizeof(c) / sizeof(c[0]) && json_is_integer(v)) {
			c[n].name = key;
			c[n].n = (uint64_t)json_integer_value(v);
			n++;
		}
	}
	if (n == 0) {
		row("causes", "-");
		return;
	}
	qsort(c, n, sizeof(c[0]), by_count);
	line[0] = '\0';
	for (i = 0; i < n && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					"%s%s %s", i ? ", " : "",
					ctl_safe(c[i].name),
					ctl_group_digits(c[i].n, b, sizeof(b)));
	row("causes", line);
}

/* "port_scan 10.0.0.9, service_down ipv4:6379" or "none". */
static void print_alerts(json_t *alerts)
{
	char line[512];
	size_t i, len = 0;
	json_t *a;

	line[0] = '\0';
	json_array_foreach(alerts, i, a)
	{
		if (len + 8 >= sizeof(line))
			break;
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					"%s%s %s", i ? ", " : "",
					ctl_str(a, "type"), ctl_str(a, "key"));
	}
	row("alerts", len ? line : "none");
}

/* "on (tcp:tcp_send_reset)", "unavailable: why (causes inferred)", … */
static const char *trace_line(json_t *kt, char *buf, size_t len)
{
	const char *state = ctl_str(kt, "state");
	const char *why = ctl_str(kt, "why");

	if (state == NULL)
		state = json_is_true(json_object_get(kt, "active")) ? "on" :
								      "off";
	if (strcmp(state, "on") == 0)
		snprintf(buf, len, "on (tcp:tcp_send_reset)");
	else if (strcmp(state, "paused") == 0)
		snprintf(buf, len,
			 "paused above --trace-max-rate (causes "
			 "inferred meanwhile)");
	else if (why != NULL)
		snprintf(buf, len, "%s: %s (causes inferred)", state, why);
	else
		snprintf(buf, len, "%s (causes inferred)", state);
	return buf;
}

static void print_status(json_t *st)
{
	const json_t *cap = json_object_get(st, "capture");
	const json_t *rec = json_object_get(st, "reconcile");
	const json_t *ker = json_object_get(st, "kernel");
	const json_t *out = json_object_get(st, "events_output");
	char b1[32], b2[32], line[160];

	snprintf(line, sizeof(line), "%s, pid %llu, up %s",
		 ctl_str(st, "version"), (unsigned long long)ctl_u64(st, "pid"),
		 ctl_duration(ctl_u64(st, "uptime_s"), b1, sizeof(b1)));
	row("rstmond", line);
	row_u64("NFLOG group", ctl_u64(cap, "group"));
	row_u64("resets", ctl_u64(st, "events_total"));
	row_u64("lost", ctl_u64(st, "lost_total"));
	if (json_is_object(json_object_get(st, "rates"))) {
		const json_t *r = json_object_get(st, "rates");
		char b3[32];

		snprintf(line, sizeof(line), "%s (10s)  %s (60s)  %s (300s)",
			 ctl_rate(json_number_value(json_object_get(r, "10s")),
				  b1, sizeof(b1)),
			 ctl_rate(json_number_value(json_object_get(r, "60s")),
				  b2, sizeof(b2)),
			 ctl_rate(json_number_value(json_object_get(r, "300s")),
				  b3, sizeof(b3)));
		row("rate", line);
	}
	if (ker != NULL)
		row_u64("kernel OutRsts", ctl_u64(ker, "out_rsts_since_start"));
	if (json_is_true(json_object_get(rec, "foreign")))
		row("reconcile", "off: another rule logs to this group");
	else if (json_is_true(json_object_get(rec, "available"))) {
		snprintf(line, sizeof(line), "on, %s logged by %s",
			 ctl_group_digits(ctl_u64(rec, "logged"), b1,
					  sizeof(b1)),
			 ctl_str(rec, "counter"));
		row("reconcile", line);
	} else {
		row("reconcile", "off: no table inet rstmon (rules not "
				 "loaded)");
	}
	snprintf(line, sizeof(line), "%s (%s overflow episodes)",
		 ctl_group_digits(ctl_u64(cap, "skipped_total"), b1,
				  sizeof(b1)),
		 ctl_group_digits(ctl_u64(cap, "enobufs"), b2, sizeof(b2)));
	row("skipped", line);
	print_causes(json_object_get(st, "causes"));
	print_alerts(json_object_get(st, "alerts"));
	if (json_is_object(json_object_get(st, "attribution"))) {
		const json_t *at = json_object_get(st, "attribution");

		snprintf(line, sizeof(line), "%s named, %s with a process",
			 ctl_group_digits(ctl_u64(at, "owners_named"), b1,
					  sizeof(b1)),
			 ctl_group_digits(ctl_u64(at, "owners_with_process"),
					  b2, sizeof(b2)));
		row("owners", line);
		snprintf(line, sizeof(line), "%s listening, %s remembered",
			 ctl_group_digits(ctl_u64(at, "listeners"), b1,
					  sizeof(b1)),
			 ctl_group_digits(ctl_u64(at, "listeners_remembered"),
					  b2, sizeof(b2)));
		row("listeners", line);
		row("kernel trace",
		    trace_line(json_object_get(at, "kernel_trace"), line,
			       sizeof(line)));
	}
	if (out != NULL) {
		snprintf(line, sizeof(line), "%s lines, %s dropped",
			 ctl_group_digits(ctl_u64(out, "lines"), b1,
					  sizeof(b1)),
			 ctl_group_digits(ctl_u64(out, "dropped"), b2,
					  sizeof(b2)));
		row("events output", line);
	}
}

int ctl_status(const struct ctl_opts *o)
{
	char *reply;
	json_t *root = ctl_fetch(o, "status", &reply);

	if (root == NULL)
		return 1;
	if (o->json)
		fputs(reply, stdout);
	else
		print_status(root);
	json_decref(root);
	free(reply);
	return 0;
}
