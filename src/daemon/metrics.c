/* metrics: the Prometheus text exposition of the daemon's counters. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon.h"
#include "metrics.h"
#include "promtext.h"
#include "stats.h"

static void resets(struct json *o, struct daemon *d)
{
	int c;

	promtext_head(o, "rstmon_resets_total", "counter",
		      "TCP resets this host sent, by cause.");
	for (c = 0; c < CAUSE_MAX; c++)
		promtext_u64(o, "rstmon_resets_total", "cause",
			     cause_name((enum cause)c), d->causes[c]);
	promtext_head(o, "rstmon_resets_family_total", "counter",
		      "TCP resets this host sent, by IP family.");
	promtext_u64(o, "rstmon_resets_family_total", "family", "4",
		     stats_total_family(d->stats, AF_INET));
	promtext_u64(o, "rstmon_resets_family_total", "family", "6",
		     stats_total_family(d->stats, AF_INET6));
	promtext_head(
		o, "rstmon_events_lost_total", "counter",
		"Resets the kernel logged that never reached rstmond "
		"(sequence gaps and tail losses against the rule's counter).");
	promtext_u64(o, "rstmon_events_lost_total", NULL, NULL,
		     daemon_lost_total(d));
	promtext_head(
		o, "rstmon_events_skipped_total", "counter",
		"Messages on the NFLOG group that were not usable resets, by "
		"reason.");
	for (c = 1; c < PACKET_E_MAX; c++)
		promtext_u64(o, "rstmon_events_skipped_total", "reason",
			     packet_result_name((enum packet_result)c),
			     d->cap.skipped[c]);
}

static void windows(struct json *o, struct daemon *d)
{
	int w;

	promtext_head(o, "rstmon_reset_rate", "gauge",
		      "Resets per second, averaged over the window.");
	for (w = 0; w < WIN_MAX; w++)
		promtext_dbl(o, "rstmon_reset_rate", "window",
			     stats_window_name((enum stats_window)w),
			     stats_rate(d->stats, d->now_ms,
					(enum stats_window)w));
	promtext_head(o, "rstmon_distinct_remotes", "gauge",
		      "Estimated distinct remote addresses sent a reset in the "
		      "window (HyperLogLog, +-3 %).");
	for (w = 0; w < WIN_MAX; w++)
		promtext_dbl(o, "rstmon_distinct_remotes", "window",
			     stats_window_name((enum stats_window)w),
			     stats_distinct_remotes(d->stats, d->now_ms,
						    (enum stats_window)w));
}

/* The busiest ports and owners of the last 300 s: bounded by the top-K
 * capacity, so the series count cannot explode. */
static void top(struct json *o, struct daemon *d)
{
	struct stats_item it[STATS_TOPK];
	char port[8];
	int n, i;

	promtext_head(
		o, "rstmon_top_port_resets", "gauge",
		"Resets sent from the busiest local ports over the last 300 s "
		"(at most 64 ports).");
	n = stats_top(d->stats, d->now_ms, DIM_PORTS, WIN_300S, it, STATS_TOPK);
	for (i = 0; i < n; i++) {
		snprintf(port, sizeof(port), "%u", it[i].port);
		promtext_u64(o, "rstmon_top_port_resets", "port", port,
			     it[i].count);
	}
	promtext_head(
		o, "rstmon_top_owner_resets", "gauge",
		"Resets sent by the busiest owners (process and unit) over the "
		"last 300 s (at most 64).");
	n = stats_top(d->stats, d->now_ms, DIM_OWNERS, WIN_300S, it,
		      STATS_TOPK);
	for (i = 0; i < n; i++)
		promtext_u64(o, "rstmon_top_owner_resets", "owner", it[i].owner,
			     it[i].count);
}

static void process(struct json *o, struct daemon *d)
{
	uint64_t out_rsts;

	promtext_head(
		o, "rstmon_kernel_out_rsts_total", "counter",
		"The kernel's Tcp OutRsts since rstmond started (firewall "
		"resets are not in it).");
	if (d->out_rsts_ok && d->attrib != NULL &&
	    attrib_out_rsts(d->attrib, &out_rsts))
		promtext_u64(o, "rstmon_kernel_out_rsts_total", NULL, NULL,
			     out_rsts - d->out_rsts_base);
	promtext_head(
		o, "rstmon_events_output_dropped_total", "counter",
		"Event lines dropped because their reader (-e pipe) stalled.");
	promtext_u64(o, "rstmon_events_output_dropped_total", NULL, NULL,
		     d->sink_ok ? d->sink.dropped : 0);
	promtext_head(
		o, "rstmon_followers_dropped_total", "counter",
		"`rstmonctl events` followers disconnected for being too slow.");
	promtext_u64(o, "rstmon_followers_dropped_total", NULL, NULL,
		     d->ctl.followers_dropped);
	promtext_head(o, "rstmon_uptime_seconds", "gauge",
		      "Seconds since rstmond started.");
	promtext_u64(o, "rstmon_uptime_seconds", NULL, NULL,
		     (d->now_ms - d->start_mono_ms) / 1000);
	promtext_head(o, "rstmon_build_info", "gauge", "rstmond's version.");
	promtext_sample(o, "rstmon_build_info", "version", RSTMON_VERSION, "1");
}

void metrics_text(struct json *out, struct daemon *d)
{
	resets(out, d);
	windows(out, d);
	top(out, d);
	alerts_metrics(out, d);
	actions_metrics(out, &d->act);
	process(out, d);
}

int metrics_write_file(struct daemon *d, const char *path)
{
	char tmp[PATH_MAX + 16];
	struct json j;
	size_t off = 0;
	ssize_t n;
	int fd, saved;

	/* Not *.prom: the collector must never read a half-written file. */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	json_init(&j, 64u << 20);
	metrics_text(&j, d);
	if (!json_ok(&j)) {
		json_free(&j);
		errno = ENOMEM;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	while (off < j.len) {
		n = write(fd, j.buf + off, j.len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail_close;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail_unlink;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail_unlink;
	json_free(&j);
	return 0;
fail_close:
	saved = errno;
	close(fd);
	errno = saved;
fail_unlink:
	saved = errno;
	unlink(tmp);
	errno = saved;
fail:
	saved = errno;
	json_free(&j);
	errno = saved;
	return -1;
}
