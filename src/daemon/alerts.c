/* alerts: where alert changes go — the log (rate-limited, key=value lines
 * for syslog and fail2ban), counters, the control socket and metrics. */
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "log.h"
#include "metrics.h"
#include "alertfmt.h"
#include "promtext.h"

#define ALERT_LIST_MAX 256

void alerts_params(const struct config *c, struct detect_params *p)
{
	p->scan_ports = (uint32_t)c->scan_ports;
	p->scan_window_s = (uint32_t)c->scan_window;
	p->flood_rate = (uint32_t)c->flood_rate;
	p->flood_sources = (uint32_t)c->flood_sources;
	p->down_window_s = (uint32_t)c->down_window;
	p->down_grace_ms = (uint32_t)c->down_grace;
	p->storm_rate = (uint32_t)c->storm_rate;
	p->rate_floor = (uint32_t)c->rate_floor;
	p->rate_factor = (uint32_t)c->rate_factor;
	p->rate_warmup_s = (uint32_t)c->rate_warmup;
	p->quiet_s = (uint32_t)c->alert_quiet;
	p->summary_s = (uint32_t)c->alert_summary;
	p->max_alerts = (uint32_t)c->max_alerts;
}

void alerts_setup(struct daemon *d)
{
	ratelimit_init(&d->alert_log, (double)d->cfg.alert_log_rate,
		       (double)d->cfg.alert_log_rate * 3);
}

static void log_alert(struct daemon *d, enum alert_change ch,
		      const struct alert *a);

static void on_change(enum alert_change ch, const struct alert *a, void *arg)
{
	struct daemon *d = arg;

	if (ch == ALERT_RAISED)
		d->alerts_raised[a->type]++;
	if (ratelimit_take(&d->alert_log, d->now_ms))
		log_alert(d, ch, a);
	/* After the alert's own line, so the log reads cause, effect. */
	actions_alert(&d->act, ch, a);
}

static void log_alert(struct daemon *d, enum alert_change ch,
		      const struct alert *a)
{
	char line[512];

	if (d->alert_log.suppressed > 0) {
		/* Say once how much was held back, then go on. */
		log_warnx("alert=log state=suppressed lines=%llu",
			  (unsigned long long)d->alert_log.suppressed);
		d->alert_log.suppressed = 0;
	}
	alert_format_kv(a, ch, line, sizeof(line));
	if (ch == ALERT_CLEARED)
		log_info("%s", line);
	else
		log_warnx("%s", line);
}

static bool listener_alive(uint8_t family, uint16_t port, void *arg)
{
	struct daemon *d = arg;

	return inventory_port_listening(attrib_inventory(d->attrib), family,
					port);
}

void alerts_tick(struct daemon *d, int64_t wall)
{
	struct detect_env env = { listener_alive, d, d->stats };

	detect_tick(d->detect, d->now_ms, wall, &env, on_change, d);
}

/* `alerts`: the active alerts, a JSON list. */
void verb_alerts(struct control_client *cl, int argc, char **argv, void *arg)
{
	const struct alert *list[ALERT_LIST_MAX];
	struct daemon *d = arg;
	struct json *j = control_reply(cl);
	int n, i;

	(void)argc;
	(void)argv;
	n = detect_alerts(d->detect, list, ALERT_LIST_MAX);
	json_arr_begin(j, NULL);
	for (i = 0; i < n; i++) {
		alert_format_json_open(j, list[i], NULL);
		actions_json(j, &d->act, list[i]);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_raw(j, "\n", 1);
}

void alerts_status(struct json *j, const struct daemon *d)
{
	const struct alert *list[ALERT_LIST_MAX];
	int n, i;

	n = detect_alerts(d->detect, list, ALERT_LIST_MAX);
	json_arr_begin(j, "alerts");
	for (i = 0; i < n; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "type", alert_type_name(list[i]->type));
		json_str(j, "key", list[i]->key);
		json_i64(j, "since", list[i]->since_wall);
		json_str(j, "severity", severity_name(list[i]->severity));
		json_obj_end(j);
	}
	json_arr_end(j);
	json_u64(j, "alerts_dropped", detect_dropped(d->detect));
	json_u64(j, "alert_lines_suppressed", d->alert_log.suppressed_total);
}

void alerts_metrics(struct json *out, const struct daemon *d)
{
	int t;

	promtext_head(out, "rstmon_alerts_active", "gauge",
		      "Alerts active now, by type.");
	for (t = 0; t < ALERT_TYPE_MAX; t++)
		promtext_u64(out, "rstmon_alerts_active", "type",
			     alert_type_name((enum alert_type)t),
			     detect_active(d->detect, (enum alert_type)t));
	promtext_head(out, "rstmon_alerts_raised_total", "counter",
		      "Alerts raised, by type.");
	for (t = 0; t < ALERT_TYPE_MAX; t++)
		promtext_u64(out, "rstmon_alerts_raised_total", "type",
			     alert_type_name((enum alert_type)t),
			     d->alerts_raised[t]);
}
