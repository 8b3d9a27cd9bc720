/* daemon: the state of one running rstmond, shared by main and the verbs. */
#ifndef RSTMON_DAEMON_H
#define RSTMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "actions.h"
#include "alerts.h"
#include "attrib.h"
#include "capture.h"
#include "cause.h"
#include "config.h"
#include "control.h"
#include "events.h"
#include "evsink.h"
#include "httpd.h"
#include "loop.h"
#include "netif.h"
#include "privops.h"
#include "detect.h"
#include "ratelimit.h"
#include "reconcile.h"
#include "rtnl.h"
#include "stats.h"

struct daemon {
	struct config cfg;
	struct loop loop;
	struct capture cap;
	/* The privileged helper: /proc/PID/fd of other users, nf_tables. */
	struct privops priv;
	struct reconcile rec;
	struct control ctl;
	bool ctl_ok;
	struct evsink sink;
	bool sink_ok;
	/* This namespace's interfaces and addresses, one table for all. */
	struct netif *netif;
	struct rtnl rtnl;
	struct watcher rtnlw;
	struct watcher sigw;
	struct watcher timerw;
	struct watcher capw;
	struct watcher tracew;
	struct attrib *attrib;
	struct stats *stats;
	struct detect *detect;
	struct ratelimit alert_log;
	struct actions act;
	uint64_t alerts_raised[ALERT_TYPE_MAX];
	int argc; /* kept for a reload */
	char **argv;
	struct httpd httpd;
	int httpd_fd; /* listening socket, -1 when off */
	uint64_t metrics_written_ms;
	bool rules_installed;
	bool quit;
	bool reload;

	uint64_t start_mono_ms;
	struct timespec start_wall;
	uint64_t now_ms;	/* monotonic, refreshed each wakeup */
	int64_t now_wall;	/* epoch seconds, refreshed each wakeup */
	uint64_t reconciled_ms; /* last counter reconciliation */

	uint64_t events_total; /* resets received and parsed */
	uint64_t causes[CAUSE_MAX];
	uint64_t owners_named;	/* events with an owner uid */
	uint64_t owners_pid;	/* ... and a process */
	uint64_t out_rsts_base; /* Tcp: OutRsts at start */
	bool out_rsts_ok;
};

/* The control verbs: their table (verbs.c), and each verb's file. */
extern const struct control_cmd daemon_cmds[];
extern const unsigned int daemon_ncmds;
/* verbs_status.c: `status`, `reload` (root or our own user), and
 * `events`, which streams every reset's JSON line until the client
 * goes. */
void verb_status(struct control_client *cl, int argc, char **argv, void *arg);
void verb_reload(struct control_client *cl, int argc, char **argv, void *arg);
void verb_events(struct control_client *cl, int argc, char **argv, void *arg);
/* verbs_stats.c: `top` and `metrics`. */
void verb_top(struct control_client *cl, int argc, char **argv, void *arg);
void verb_metrics(struct control_client *cl, int argc, char **argv, void *arg);
/* alerts.c: `alerts`. */
void verb_alerts(struct control_client *cl, int argc, char **argv, void *arg);
/* verbs_bans.c: `bans`, and `unban ADDR` (root or our own user). */
void verb_bans(struct control_client *cl, int argc, char **argv, void *arg);
void verb_unban(struct control_client *cl, int argc, char **argv, void *arg);

/* Resets the kernel dropped before we read them (NFLOG sequence gaps). */
static inline uint64_t daemon_lost_total(const struct daemon *d)
{
	return d->cap.seq.lost;
}

#endif
