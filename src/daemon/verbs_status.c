/* verbs_status: the control socket's status, reload and events verbs. */
#include <unistd.h>

#include "daemon.h"
#include "ruleset.h"

static void status_capture(struct json *j, const struct daemon *d)
{
	const struct capture *c = &d->cap;
	int i;

	json_obj_begin(j, "capture");
	json_u64(j, "group", d->cfg.group);
	json_u64(j, "datagrams", c->datagrams);
	json_u64(j, "enobufs", c->enobufs);
	json_u64(j, "truncated_datagrams", c->truncated);
	json_u64(j, "bad_datagrams", c->bad_datagrams);
	json_u64(j, "received", c->seq.received);
	json_u64(j, "late", c->seq.late);
	json_u64(j, "no_seq", c->no_seq);
	json_u64(j, "skipped_total", capture_skipped_total(c));
	json_obj_begin(j, "skipped");
	for (i = 1; i < PACKET_E_MAX; i++)
		json_u64(j, packet_result_name((enum packet_result)i),
			 c->skipped[i]);
	json_obj_end(j);
	json_obj_end(j);
}

static void status_reconcile(struct json *j, const struct daemon *d)
{
	const struct reconcile *r = &d->rec;

	json_obj_begin(j, "reconcile");
	json_str(j, "counter",
		 RSTMON_TABLE_FAMILY " " RSTMON_TABLE " " RSTMON_COUNTER);
	json_bool(j, "available", r->available);
	json_bool(j, "foreign", r->foreign);
	if (r->available)
		json_u64(j, "logged", reconcile_logged(r));
	json_u64(j, "rebases", r->rebases);
	json_obj_end(j);
}

static void status_attrib(struct json *j, const struct daemon *d)
{
	const struct inventory *inv = attrib_inventory(d->attrib);
	struct procscan_stats ps;
	struct attrib_stats st;
	unsigned int i, alive = 0, owned = 0;
	int c;

	json_obj_begin(j, "causes");
	for (c = 0; c < CAUSE_MAX; c++)
		if (d->causes[c] > 0)
			json_u64(j, cause_name((enum cause)c), d->causes[c]);
	json_obj_end(j);

	attrib_get_stats(d->attrib, &st);
	attrib_procscan_stats(d->attrib, &ps);
	for (i = 0; i < inv->nls; i++) {
		if (inv->ls[i].alive) {
			alive++;
			owned += inv->ls[i].has_owner;
		}
	}
	json_obj_begin(j, "attribution");
	json_u64(j, "owners_named", d->owners_named);
	json_u64(j, "owners_with_process", d->owners_pid);
	json_u64(j, "inventory_dumps", st.dumps);
	json_u64(j, "listeners", alive);
	json_u64(j, "listeners_with_owner", owned);
	json_u64(j, "listeners_remembered", inv->nls - alive);
	json_u64(j, "connections", inv->nconns);
	json_u64(j, "lookups", st.lookups);
	json_u64(j, "lookups_skipped", st.lookups_skipped);
	json_u64(j, "counter_reads", st.counter_reads);
	json_u64(j, "firewall_by_count", st.firewall_by_count);
	json_u64(j, "proc_readlinks", ps.readlinks);
	json_u64(j, "proc_walks", ps.walks);
	json_obj_begin(j, "kernel_trace");
	json_bool(j, "active", attrib_trace_active(d->attrib));
	json_str(j, "state", attrib_trace_state(d->attrib));
	json_str(j, "mode", attrib_trace_mode(d->attrib));
	if (attrib_trace_why(d->attrib) != NULL)
		json_str(j, "why", attrib_trace_why(d->attrib));
	json_u64(j, "records", st.trace_records);
	json_u64(j, "joined", st.trace_joined);
	json_u64(j, "lost", st.trace_lost);
	json_u64(j, "malformed", st.trace_malformed);
	json_u64(j, "foreign", st.trace_foreign);
	json_u64(j, "unverified", st.trace_unverified);
	json_obj_end(j);
	json_obj_end(j);
}

static void status_netif(struct json *j, const struct daemon *d)
{
	json_obj_begin(j, "interfaces");
	json_bool(j, "complete", d->netif->complete);
	json_u64(j, "links", d->netif->nlink);
	json_u64(j, "addresses", d->netif->naddr);
	json_u64(j, "changes", d->netif->changes);
	json_u64(j, "notifications", d->rtnl.notifications);
	json_u64(j, "overflows", d->rtnl.overflows);
	json_u64(j, "listings", d->rtnl.listings);
	json_u64(j, "refused", d->netif->refused);
	json_obj_end(j);
}

/* The privileged helper: alive?  Without it counting goes on, but other
 * users' processes go unnamed and nothing is written to nftables. */
static void status_helper(struct json *j, const struct daemon *d)
{
	json_obj_begin(j, "helper");
	json_bool(j, "alive", d->priv.alive);
	if (d->priv.pid > 0)
		json_u64(j, "pid", (uint64_t)d->priv.pid);
	json_u64(j, "requests", d->priv.requests);
	json_u64(j, "failures", d->priv.failures);
	json_obj_end(j);
}

void verb_status(struct control_client *cl, int argc, char **argv, void *arg)
{
	struct daemon *d = arg;
	struct json *j = control_reply(cl);
	uint64_t out_rsts;
	int w;

	(void)argc;
	(void)argv;
	json_obj_begin(j, NULL);
	json_str(j, "version", RSTMON_VERSION);
	json_u64(j, "pid", (uint64_t)getpid());
	json_u64(j, "uptime_s", (d->now_ms - d->start_mono_ms) / 1000);
	json_u64(j, "started", (uint64_t)d->start_wall.tv_sec);
	json_u64(j, "events_total", d->events_total);
	json_u64(j, "lost_total", daemon_lost_total(d));
	json_obj_begin(j, "rates");
	for (w = 0; w < WIN_MAX; w++)
		json_fixed(j, stats_window_name((enum stats_window)w),
			   stats_rate(d->stats, d->now_ms,
				      (enum stats_window)w),
			   3);
	json_obj_end(j);
	json_obj_begin(j, "distinct_remotes");
	for (w = 0; w < WIN_MAX; w++)
		json_fixed(j, stats_window_name((enum stats_window)w),
			   stats_distinct_remotes(d->stats, d->now_ms,
						  (enum stats_window)w),
			   0);
	json_obj_end(j);
	alerts_status(j, d);
	actions_status(j, &d->act);
	status_capture(j, d);
	status_reconcile(j, d);
	status_attrib(j, d);
	status_netif(j, d);
	status_helper(j, d);
	if (d->out_rsts_ok && attrib_out_rsts(d->attrib, &out_rsts)) {
		json_obj_begin(j, "kernel");
		json_u64(j, "out_rsts_since_start",
			 out_rsts - d->out_rsts_base);
		json_obj_end(j);
	}
	if (d->sink_ok) {
		json_obj_begin(j, "events_output");
		json_u64(j, "lines", d->sink.lines);
		json_u64(j, "dropped", d->sink.dropped);
		json_u64(j, "write_errors", d->sink.write_errors);
		json_obj_end(j);
	}
	json_obj_begin(j, "control");
	json_u64(j, "served", d->ctl.served);
	json_u64(j, "refused", d->ctl.refused + d->ctl.conns.refused);
	json_u64(j, "followers", d->ctl.nfollowers);
	json_u64(j, "followers_dropped", d->ctl.followers_dropped);
	json_u64(j, "timed_out", d->ctl.conns.timed_out);
	json_obj_end(j);
	json_obj_end(j);
	json_raw(j, "\n", 1);
}

void verb_reload(struct control_client *cl, int argc, char **argv, void *arg)
{
	struct daemon *d = arg;
	struct json *j = control_reply(cl);

	(void)argc;
	(void)argv;
	if (!control_client_may_change(cl)) {
		control_reply_denied(cl, "reload");
		return;
	}
	d->reload = true;
	json_obj_begin(j, NULL);
	json_bool(j, "reload", true);
	json_obj_end(j);
	json_raw(j, "\n", 1);
}

/* `events`: stream every reset's JSON line until the client goes. */
void verb_events(struct control_client *cl, int argc, char **argv, void *arg)
{
	(void)argc;
	(void)argv;
	(void)arg;
	control_follow(cl);
}
