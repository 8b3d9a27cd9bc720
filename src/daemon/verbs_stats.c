/* verbs_stats: the control verbs over the windowed statistics — top and
 * metrics. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon.h"
#include "events.h"
#include "metrics.h"
#include "stats.h"
#include "addrfmt.h"

#define TOP_DEFAULT_N 10
#define TOP_MAX_N STATS_TOPK

static const char *const dim_names[] = { "ports", "remotes", "owners",
					 "causes" };

static void top_items(struct json *j, struct daemon *d, int dim,
		      enum stats_window w, int n, uint64_t total)
{
	struct stats_item it[TOP_MAX_N];
	unsigned int secs = stats_window_seconds(w);
	char addr[INET6_ADDRSTRLEN];
	int k, i;

	k = stats_top(d->stats, d->now_ms, (enum stats_dim)dim, w, it, n);
	for (i = 0; i < k; i++) {
		json_obj_begin(j, NULL);
		if (dim == DIM_PORTS) {
			json_u64(j, "port", it[i].port);
		} else if (dim == DIM_REMOTES) {
			json_u64(j, "family", it[i].family == AF_INET6 ? 6 : 4);
			json_str(j, "remote",
				 addrfmt_str(it[i].family, it[i].remote, addr));
		} else {
			json_str(j, "owner", it[i].owner);
		}
		json_u64(j, "count", it[i].count);
		json_u64(j, "error", it[i].error);
		json_fixed(j, "rate", (double)it[i].count / secs, 3);
		json_fixed(j, "share",
			   total ? 100.0 * (double)it[i].count / (double)total :
				   0,
			   1);
		json_obj_end(j);
	}
}

static void top_causes(struct json *j, struct daemon *d, enum stats_window w,
		       int n, uint64_t total)
{
	uint64_t c[CAUSE_MAX];
	unsigned int secs = stats_window_seconds(w);
	bool done[CAUSE_MAX] = { false };
	int shown, k, best;

	stats_causes(d->stats, d->now_ms, w, c);
	for (shown = 0; shown < n; shown++) {
		best = -1;
		for (k = 0; k < CAUSE_MAX; k++)
			if (!done[k] && c[k] > 0 &&
			    (best < 0 || c[k] > c[best]))
				best = k;
		if (best < 0)
			break;
		done[best] = true;
		json_obj_begin(j, NULL);
		json_str(j, "cause", cause_name((enum cause)best));
		json_u64(j, "count", c[best]);
		json_u64(j, "error", 0);
		json_fixed(j, "rate", (double)c[best] / secs, 3);
		json_fixed(j, "share",
			   total ? 100.0 * (double)c[best] / (double)total : 0,
			   1);
		json_obj_end(j);
	}
}

/* top <ports|remotes|owners|causes> [-n N] [--window 10s|60s|300s] */
void verb_top(struct control_client *cl, int argc, char **argv, void *arg)
{
	struct daemon *d = arg;
	struct json *j = control_reply(cl);
	enum stats_window w = WIN_60S;
	int dim = -1, n = TOP_DEFAULT_N, i;
	uint64_t total;
	char *end;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			n = (int)strtol(argv[++i], &end, 10);
			if (*end != '\0' || n < 1 || n > TOP_MAX_N) {
				control_reply_error(cl, "-n wants 1 to 64");
				return;
			}
		} else if (strcmp(argv[i], "--window") == 0 && i + 1 < argc) {
			w = stats_window_from_name(argv[++i]);
			if (w == WIN_MAX) {
				control_reply_error(cl, "--window wants 10s, "
							"60s or 300s");
				return;
			}
		} else if (dim < 0) {
			for (dim = 0; dim < 4; dim++)
				if (strcmp(argv[i], dim_names[dim]) == 0)
					break;
			if (dim == 4) {
				control_reply_error(cl, "top wants ports, "
							"remotes, owners or "
							"causes");
				return;
			}
		} else {
			control_reply_error(cl, "usage: top <ports|remotes|"
						"owners|causes> [-n N] "
						"[--window 10s|60s|300s]");
			return;
		}
	}
	if (dim < 0)
		dim = DIM_PORTS;
	total = stats_count(d->stats, d->now_ms, w);
	json_obj_begin(j, NULL);
	json_str(j, "kind", dim_names[dim]);
	json_str(j, "window", stats_window_name(w));
	json_u64(j, "total", total);
	json_fixed(j, "rate", stats_rate(d->stats, d->now_ms, w), 3);
	json_fixed(j, "distinct_remotes",
		   stats_distinct_remotes(d->stats, d->now_ms, w), 0);
	json_arr_begin(j, "items");
	if (dim == 3)
		top_causes(j, d, w, n, total);
	else
		top_items(j, d, dim, w, n, total);
	json_arr_end(j);
	json_obj_end(j);
	json_raw(j, "\n", 1);
}

/* metrics: the Prometheus text exposition (not JSON). */
void verb_metrics(struct control_client *cl, int argc, char **argv, void *arg)
{
	(void)argc;
	(void)argv;
	metrics_text(control_reply(cl), arg);
}
