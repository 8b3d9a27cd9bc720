/* rstmond: main — set up, run the event loop, tear down.  No business logic. */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <syslog.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "configfile.h"
#include "daemon.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "privdrop.h"
#include "ruleset.h"
#include "sandbox.h"

/* A follower of `rstmonctl events` this far behind is dropped. */
#define FOLLOWER_BACKLOG (4u << 20)
/* Tries to bind at a moment when the rule's counter is still. */
#define BIND_ATTEMPTS 5

/* Append s, at most max bytes of it, to buf at *n; the caller's sizes
 * keep it within buf.  (snprintf here cost more than the statistics.) */
static void label_put(char *buf, size_t *n, const char *s, size_t max)
{
	size_t k = strnlen(s, max);

	memcpy(buf + *n, s, k);
	*n += k;
}

#define LABEL_LIT(buf, n, s) label_put((buf), (n), (s), sizeof(s) - 1)

/* "redis-server (redis-server.service)", "redis-server", "uid 1000".
 * Labels are bounded (STATS_OWNER_LEN): a long unit is cut. */
static void owner_label(const struct attribution *at, char buf[STATS_OWNER_LEN])
{
	const struct proc_owner *o = &at->owner;
	char num[24];
	size_t n = 0;

	/* comm, " (", unit, ")", NUL; comm, " (container ", id, ")", NUL */
	_Static_assert(sizeof(o->comm) - 1 + 2 + 45 + 1 + 1 <=
				       STATS_OWNER_LEN &&
			       sizeof(o->comm) - 1 + 12 + 32 + 1 + 1 <=
				       STATS_OWNER_LEN,
		       "owner label may not fit");
	if (at->has_pid) {
		label_put(buf, &n, o->comm, sizeof(o->comm) - 1);
		if (o->unit[0]) {
			LABEL_LIT(buf, &n, " (");
			label_put(buf, &n, o->unit, 45);
			LABEL_LIT(buf, &n, ")");
		} else if (o->container[0]) {
			LABEL_LIT(buf, &n, " (container ");
			label_put(buf, &n, o->container, 32);
			LABEL_LIT(buf, &n, ")");
		}
	} else if (at->user != NULL) {
		LABEL_LIT(buf, &n, "user ");
		label_put(buf, &n, at->user, STATS_OWNER_LEN - 6);
	} else {
		LABEL_LIT(buf, &n, "uid ");
		json_fmt_u64(num, at->uid);
		label_put(buf, &n, num, sizeof(num));
	}
	buf[n] = '\0';
}

static void detect_feed(struct daemon *d, const struct rst_event *ev,
			const struct attribution *at, const struct stats_key *k)
{
	struct detect_event e;
	size_t n;

	e.family = ev->family;
	memcpy(e.remote, ev->remote, sizeof(e.remote));
	e.lport = ev->lport;
	e.cause = at->cause;
	e.has_owner = k->has_owner;
	memcpy(e.owner, k->owner, sizeof(e.owner));
	e.owner_pid = at->has_pid ? at->owner.pid : 0;
	e.wall = d->now_wall;
	e.had_listener = at->has_last_owner;
	e.gone_wall = at->last_seen;
	e.gone_ms = at->last_gone_ms;
	memcpy(e.last_comm, at->last.comm, sizeof(e.last_comm));
	e.last_pid = at->last.pid;
	n = strnlen(at->last.unit, sizeof(e.last_unit) - 1);
	memcpy(e.last_unit, at->last.unit, n);
	e.last_unit[n] = '\0';
	e.backlog = at->backlog;
	e.queue = at->queue;
	detect_event(d->detect, d->now_ms, &e);
}

static void stats_feed(struct daemon *d, const struct rst_event *ev,
		       const struct attribution *at)
{
	struct stats_key k;

	k.family = ev->family;
	memcpy(k.remote, ev->remote, sizeof(k.remote));
	k.lport = ev->lport;
	k.cause = at->cause;
	k.has_owner = at->has_uid || at->has_pid;
	if (k.has_owner)
		owner_label(at, k.owner);
	else
		k.owner[0] = '\0';
	stats_add(d->stats, d->now_ms, &k);
	detect_feed(d, ev, at, &k);
}

/* The end of the per-reset pipeline: count and write out. */
static void on_attributed(const struct rst_event *ev,
			  const struct attribution *at, void *arg)
{
	struct daemon *d = arg;
	struct event_extra x = { NULL, at };
	char line[EVENTS_LINE_MAX + 1];
	size_t n;

	d->events_total++;
	d->causes[at->cause]++;
	stats_feed(d, ev, at);
	if (at->has_uid) {
		d->owners_named++;
		if (at->has_pid)
			d->owners_pid++;
	}
	if (!d->sink_ok && log_verbose() < 2 && !control_has_followers(&d->ctl))
		return;
	x.ifname = netif_name(d->netif, ev->oif, d->now_ms);
	n = events_line(line, ev, &x);
	if (d->sink_ok)
		evsink_line(&d->sink, line, n);
	if (log_verbose() >= 2)
		log_debug("reset %s", line);
	if (control_has_followers(&d->ctl)) {
		line[n] = '\n';
		control_broadcast(&d->ctl, line, n + 1, FOLLOWER_BACKLOG);
	}
}

static void netif_update(struct daemon *d)
{
	if (rtnl_drain(&d->rtnl, d->netif, d->now_ms) < 0)
		log_warn("rtnetlink");
}

static void rtnl_cb(struct watcher *w, uint32_t revents)
{
	(void)revents;
	netif_update(w->arg);
}

/* capture -> attribution (owner, cause) -> on_attributed. */
static void on_event(const struct rst_event *evs, unsigned int n, void *arg)
{
	struct daemon *d = arg;

	/* An address added before these resets were sent is announced
	 * before them: read it first, whatever order epoll gave. */
	netif_update(d);
	attrib_batch(d->attrib, evs, n, d->now_ms, on_attributed, d);
}

static void trace_cb(struct watcher *w, uint32_t revents)
{
	struct daemon *d = w->arg;

	(void)revents;
	attrib_trace_drain(d->attrib);
}

static void on_batch_end(void *arg)
{
	struct daemon *d = arg;

	if (d->sink_ok)
		evsink_flush(&d->sink);
	if (d->ctl_ok)
		control_flush(&d->ctl);
}

static void capture_cb(struct watcher *w, uint32_t revents)
{
	struct daemon *d = w->arg;

	(void)revents;
	if (capture_drain(&d->cap, (unsigned int)d->cfg.budget) < 0)
		log_warn("NFLOG receive");
}

static bool counter_read(struct daemon *d, uint64_t *v)
{
	return privops_counter_read(&d->priv, v) == 0;
}

static void reconcile_now(struct daemon *d)
{
	uint64_t counter = 0;
	bool ok = counter_read(d, &counter);
	uint64_t before = d->cap.seq.lost;

	switch (reconcile_tick(&d->rec, &d->cap.seq, ok, counter,
			       capture_idle(&d->cap))) {
	case RECONCILE_FOUND:
		log_info("counter " RSTMON_TABLE_FAMILY " " RSTMON_TABLE
			 " " RSTMON_COUNTER " found: reconciling losses");
		break;
	case RECONCILE_GONE:
		log_warnx("table " RSTMON_TABLE_FAMILY " " RSTMON_TABLE
			  " is gone: tail losses cannot be counted until "
			  "the rules are loaded again");
		break;
	case RECONCILE_RESET:
		log_info("counter " RSTMON_COUNTER " was reset (rules "
			 "reloaded?): reconciling from here");
		break;
	case RECONCILE_FOREIGN:
		log_warnx(
			"more resets arrived on NFLOG group %llu than table " RSTMON_TABLE_FAMILY
			" " RSTMON_TABLE " logged: "
			"another rule logs to this group; tail-loss "
			"reconciliation is off",
			(unsigned long long)d->cfg.group);
		break;
	case RECONCILE_QUIET:
		break;
	}
	if (d->cap.seq.lost > before)
		log_warnx("%llu resets lost between the kernel and rstmond "
			  "(total %llu); raise --rcvbuf",
			  (unsigned long long)(d->cap.seq.lost - before),
			  (unsigned long long)d->cap.seq.lost);
}

static void write_metrics_file(struct daemon *d)
{
	d->metrics_written_ms = d->now_ms;
	if (metrics_write_file(d, d->cfg.metrics_file) < 0)
		log_warn("--metrics-file %s", d->cfg.metrics_file);
}

static void metrics_body(struct json *out, void *arg)
{
	metrics_text(out, arg);
}

static void timer_cb(struct watcher *w, uint32_t revents)
{
	struct daemon *d = w->arg;
	uint64_t expirations;

	(void)revents;
	if (read(w->fd, &expirations, sizeof(expirations)) < 0)
		return;
	if (d->now_ms - d->reconciled_ms >= d->cfg.reconcile_ms - 50) {
		d->reconciled_ms = d->now_ms;
		reconcile_now(d);
	}
	attrib_tick(d->attrib, d->now_ms, d->now_wall);
	alerts_tick(d, d->now_wall);
	actions_tick(&d->act);
	if (d->ctl_ok)
		control_tick(&d->ctl, d->now_ms);
	if (d->httpd_fd >= 0)
		httpd_tick(&d->httpd, d->now_ms);
	if (d->cfg.metrics_file[0] &&
	    d->now_ms - d->metrics_written_ms >= d->cfg.metrics_interval * 1000)
		write_metrics_file(d);
	if (d->sink_ok)
		evsink_flush(&d->sink);
}

static void signal_cb(struct watcher *w, uint32_t revents)
{
	struct daemon *d = w->arg;
	struct signalfd_siginfo si;

	(void)revents;
	while (read(w->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			d->quit = true;
			break;
		case SIGHUP:
			d->reload = true;
			break;
		case SIGCHLD:
			privops_reap(&d->priv);
			actions_sigchld(&d->act);
			break;
		}
	}
}

/* SIGHUP / `rstmonctl reload`: reopen the events file for rotation. */
/*
 * Settings that only a restart can change (sockets, namespace, rules):
 * a reload keeps them and says so.
 */
static void keep_restart_only(struct config *nc, const struct config *old)
{
	static const struct {
		const char *name;
		size_t off, size;
	} fixed[] = {
#define F(n, f) \
	{ n, offsetof(struct config, f), sizeof(((struct config *)0)->f) }
		F("group", group),
		F("socket", socket_path),
		F("events", events_path),
		F("rules", rules_path),
		F("netns", netns),
		F("user", user),
		F("rcvbuf", rcvbuf),
		F("qthreshold", qthreshold),
		F("flush-timeout", flush_ms),
		F("kernel-trace", kernel_trace),
		F("metrics-listen", metrics_listen),
		F("reconcile-interval", reconcile_ms),
		F("inventory-interval", inventory_ms),
		F("hook", hook),
		F("hook-as-root", hook_as_root),
		F("trace-max-rate", trace_max_rate),
#undef F
	};
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		char *n = (char *)nc + fixed[i].off;
		const char *o = (const char *)old + fixed[i].off;

		if (memcmp(n, o, fixed[i].size) != 0) {
			log_warnx("reload: %s changed: it takes effect at the "
				  "next restart",
				  fixed[i].name);
			memcpy(n, o, fixed[i].size);
		}
	}
}

/*
 * SIGHUP / `rstmonctl reload`: read the config file and command line
 * again into a new config; if it is valid, apply what can change while
 * running (thresholds, verbosity, metrics file), else keep the old one.
 * Reopen the events file either way (log rotation).
 */
static void do_reload(struct daemon *d)
{
	struct config nc;
	struct detect_params dp;
	char err[1024];

	d->reload = false;
	notify("RELOADING=1");
	if (d->sink_ok && evsink_reopen(&d->sink, err, sizeof(err)) < 0)
		log_warnx("%s", err);
	config_defaults(&nc);
	nc.io = &configfile_io;
	if (config_from_args(&nc, d->argc, d->argv, err, sizeof(err)) != 0) {
		log_warnx("reload: %s; keeping the running configuration", err);
		notify("READY=1");
		return;
	}
	nc.foreground = d->cfg.foreground;
	keep_restart_only(&nc, &d->cfg);
	d->cfg = nc;
	log_set_verbose(d->cfg.verbose);
	alerts_params(&d->cfg, &dp);
	detect_set_params(d->detect, &dp);
	alerts_setup(d);
	actions_params(&d->act, &d->cfg);
	log_info("reloaded %s", d->cfg.config_file);
	notify("READY=1");
}

static int enter_netns(const char *name, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/') != NULL)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "--netns %.200s: %.300s: %s", name, path,
			 strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "--netns %.200s: setns: %s", name,
			 strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Bind the group at a moment when the rule's counter does not move, so
 * that "logged since the bind" is exact: read, bind, read again.
 */
static int open_capture(struct daemon *d, char *err, size_t errlen)
{
	struct capture_params p = {
		.group = (uint16_t)d->cfg.group,
		.rcvbuf = (int)d->cfg.rcvbuf,
		.qthreshold = (uint32_t)d->cfg.qthreshold,
		.flush_cs = (uint32_t)((d->cfg.flush_ms + 9) / 10),
		.nlbufsiz = 128 * 1024,
	};
	uint64_t c0 = 0, c1 = 0;
	bool ok0, ok1 = false;
	int i;

	for (i = 0; i < BIND_ATTEMPTS; i++) {
		ok0 = counter_read(d, &c0);
		if (capture_open(&d->cap, &p, on_event, on_batch_end, d, err,
				 errlen) < 0)
			return -1;
		ok1 = counter_read(d, &c1);
		if (!ok0 || !ok1 || c0 == c1)
			break;
		if (i + 1 < BIND_ATTEMPTS)
			capture_close(&d->cap);
	}
	reconcile_start(&d->rec, ok1, c1);
	if (!ok1)
		log_warnx("no table " RSTMON_TABLE_FAMILY " " RSTMON_TABLE
			  " with counter " RSTMON_COUNTER " in this network "
			  "namespace: load rules/rstmon.nft (or --rules) "
			  "unless your firewall logs resets to NFLOG group "
			  "%llu itself; tail losses are not counted "
			  "without it",
			  (unsigned long long)d->cfg.group);
	return 0;
}

static void on_wake(void *arg)
{
	struct daemon *d = arg;

	d->now_ms = d->loop.now_ms;
	d->now_wall = d->loop.now_wall;
}

static int setup_loop(struct daemon *d, char *err, size_t errlen)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	uint64_t tick;
	sigset_t mask;

	if (loop_init(&d->loop) < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		return -1;
	}
	d->loop.on_wake = on_wake;
	d->loop.wake_arg = d;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigw.fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	d->sigw.cb = signal_cb;
	d->sigw.arg = d;
	/* One timer for the periodic work; each part keeps its own pace. */
	tick = d->cfg.reconcile_ms < d->cfg.inventory_ms ? d->cfg.reconcile_ms :
							   d->cfg.inventory_ms;
	its.it_interval.tv_sec = (time_t)(tick / 1000);
	its.it_interval.tv_nsec = (long)(tick % 1000) * 1000000;
	its.it_value = its.it_interval;
	d->timerw.fd =
		timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	d->timerw.cb = timer_cb;
	d->timerw.arg = d;
	if (d->sigw.fd < 0 || d->timerw.fd < 0 ||
	    timerfd_settime(d->timerw.fd, 0, &its, NULL) < 0 ||
	    loop_add(&d->loop, &d->sigw, EPOLLIN) < 0 ||
	    loop_add(&d->loop, &d->timerw, EPOLLIN) < 0) {
		snprintf(err, errlen, "signalfd/timerfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Interfaces and addresses, kept by rtnetlink.  Without them rstmond
 * still runs: every address then counts as ours (the firewall count
 * alone decides) and events carry no interface name.
 */
/*
 * The privileged helper, forked before anything else is opened (it
 * inherits nothing to read) and before anything hostile is read; then
 * the rules, through it, so that the counter is there at the bind.
 */
static int start_helper(struct daemon *d, char *err, size_t errlen)
{
	struct privops_params p = {
		.user = d->cfg.user,
		.rules_path = d->cfg.rules_path,
	};
	char why[512];

	if (privops_start(&d->priv, &p, err, errlen) < 0)
		return -1;
	if (d->cfg.rules_path[0]) {
		if (privops_rules_install(&d->priv, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s", why);
			return -1;
		}
		d->rules_installed = true;
	}
	return 0;
}

static int open_netif(struct daemon *d, char *err, size_t errlen)
{
	char why[256];

	if (rtnl_open(&d->rtnl, why, sizeof(why)) < 0) {
		log_warnx("%s: interface names and local addresses unknown",
			  why);
		return 0;
	}
	d->rtnlw.fd = rtnl_fd(&d->rtnl);
	d->rtnlw.cb = rtnl_cb;
	d->rtnlw.arg = d;
	if (loop_add(&d->loop, &d->rtnlw, EPOLLIN) < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int open_attrib(struct daemon *d, char *err, size_t errlen)
{
	struct attrib_params p = {
		.kernel_trace = d->cfg.trace != CONFIG_TRACE_OFF,
		.use_reason = d->cfg.trace != CONFIG_TRACE_ACTOR_ONLY,
		.netif = d->netif,
		.trace_max_rate = d->cfg.trace_max_rate,
		.fds = { privops_fd_sockets, &d->priv },
		.ns_of = privops_netns_of,
		.ns_arg = &d->priv,
		.inventory_ms = d->cfg.inventory_ms,
		.lookups_per_batch = 32,
		.procscan_budget = 4096,
	};
	char note[512];

	d->attrib = attrib_new(&p, note, sizeof(note));
	if (d->attrib == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (note[0])
		log_info("%s", note);
	d->tracew.fd = attrib_trace_fd(d->attrib);
	d->tracew.cb = trace_cb;
	d->tracew.arg = d;
	if (d->tracew.fd >= 0 && loop_add(&d->loop, &d->tracew, EPOLLIN) < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The events file, when rstmond created it as root and must reopen it
 * later as the -u user (at a reload after rotation): given to that user.
 * A file that was there already is left as it is: in a directory the
 * user owns, it may be theirs to point anywhere.
 */
static void give_to_user(const struct daemon *d, const struct evsink *s)
{
	struct passwd *pw;

	if (!s->created || s->fd <= STDERR_FILENO || d->cfg.user[0] == '\0' ||
	    geteuid() != 0)
		return;
	pw = getpwnam(d->cfg.user);
	if (pw != NULL && fchown(s->fd, pw->pw_uid, pw->pw_gid) < 0)
		log_warn("chown events file to %s", d->cfg.user);
}

/*
 * The control socket's directory (/run/rstmon by default): created when
 * missing, and then given to the user rstmond switches to, so that it
 * can remove its socket at exit.  A directory that exists is left alone.
 */
static int socket_dir(const struct config *c, char *err, size_t len)
{
	char dir[PATH_MAX];
	struct passwd *pw;
	char *slash;

	snprintf(dir, sizeof(dir), "%s", c->socket_path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0) {
		if (errno == EEXIST)
			return 0;
		snprintf(err, len, "%.900s: %s", dir, strerror(errno));
		return -1;
	}
	if (c->user[0] && geteuid() == 0 && (pw = getpwnam(c->user)) &&
	    chown(dir, pw->pw_uid, pw->pw_gid) < 0) {
		snprintf(err, len, "chown %.900s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_actions(struct daemon *d, char *err, size_t errlen)
{
	const struct actions_deps deps = {
		.loop = &d->loop,
		.priv = &d->priv,
		.netif = d->netif,
		.attrib = d->attrib,
		.stats = d->stats,
		.detect = d->detect,
		.rules_installed = d->rules_installed,
		.rules_path = d->cfg.rules_path,
	};

	return actions_setup(&d->act, &deps, &d->cfg, err, errlen);
}

static int setup(struct daemon *d, char *err, size_t errlen)
{
	struct detect_params dp;

	d->start_mono_ms = d->now_ms = clock_mono_ms();
	clock_gettime(CLOCK_REALTIME, &d->start_wall);
	d->stats = stats_new();
	d->netif = netif_new();
	alerts_params(&d->cfg, &dp);
	d->detect = detect_new(&dp);
	alerts_setup(d);
	if (d->stats == NULL || d->detect == NULL || d->netif == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Before --netns: the metrics stay where the operator scrapes. */
	if (d->cfg.metrics_listen[0]) {
		d->httpd_fd = httpd_listen(d->cfg.metrics_listen, err, errlen);
		if (d->httpd_fd < 0)
			return -1;
	}
	if (d->cfg.netns[0] && enter_netns(d->cfg.netns, err, errlen) < 0)
		return -1;
	if (start_helper(d, err, errlen) < 0)
		return -1;
	if (setup_loop(d, err, errlen) < 0)
		return -1;
	if (d->httpd_fd >= 0 && httpd_start(&d->httpd, &d->loop, d->httpd_fd,
					    metrics_body, d) < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		return -1;
	}
	if (d->cfg.events_path[0]) {
		if (evsink_open(&d->sink, d->cfg.events_path, err, errlen) < 0)
			return -1;
		d->sink_ok = true;
		give_to_user(d, &d->sink);
	}
	if (open_netif(d, err, errlen) < 0)
		return -1;
	if (open_attrib(d, err, errlen) < 0)
		return -1;
	if (open_actions(d, err, errlen) < 0)
		return -1;
	if (open_capture(d, err, errlen) < 0)
		return -1;
	d->capw.fd = capture_fd(&d->cap);
	d->capw.cb = capture_cb;
	d->capw.arg = d;
	if (loop_add(&d->loop, &d->capw, EPOLLIN) < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		return -1;
	}
	if (socket_dir(&d->cfg, err, errlen) < 0)
		return -1;
	if (control_open(&d->ctl, &d->loop, d->cfg.socket_path, daemon_cmds,
			 daemon_ncmds, d, err, errlen) < 0)
		return -1;
	d->ctl_ok = true;
	d->out_rsts_ok = attrib_out_rsts(d->attrib, &d->out_rsts_base);
	return 0;
}

static void teardown(struct daemon *d)
{
	char err[512];

	/* In the reverse order of setup(); the metrics file last written
	 * while every part it reads is there. */
	if (d->ctl_ok)
		control_close(&d->ctl);
	if (d->cap.nl != NULL)
		capture_close(&d->cap);
	if (d->stats != NULL && d->cfg.metrics_file[0])
		write_metrics_file(d);
	actions_fini(&d->act);
	attrib_free(d->attrib);
	d->attrib = NULL;
	rtnl_close(&d->rtnl);
	free(d->netif);
	d->netif = NULL;
	if (d->sink_ok)
		evsink_close(&d->sink);
	if (d->httpd_fd >= 0)
		httpd_close(&d->httpd);
	stats_free(d->stats);
	d->stats = NULL;
	detect_free(d->detect);
	d->detect = NULL;
	if (d->rules_installed &&
	    privops_rules_remove(&d->priv, err, sizeof(err)) < 0)
		log_warnx("%s", err);
	privops_stop(&d->priv, 1000);
	loop_fini(&d->loop);
}

/*
 * Fork into the background; the parent waits until the child reports
 * that setup worked (one byte on a pipe), so errors still reach the
 * terminal and the exit status.  Returns the pipe's write end.
 */
static int daemonize(void)
{
	int pfd[2], status;
	pid_t pid;
	char c;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		fatal("pipe");
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid > 0) {
		close(pfd[1]);
		if (read(pfd[0], &c, 1) == 1)
			_exit(0);
		waitpid(pid, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
	}
	close(pfd[0]);
	if (setsid() < 0)
		fatal("setsid");
	return pfd[1];
}

/*
 * Can syslog take our lines?  glibc drops them silently when /dev/log is
 * missing (a container, a minimal chroot): then stderr stays ours.
 */
static bool syslog_reachable(char *why, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, types[2] = { SOCK_DGRAM, SOCK_STREAM }, i, e = 0;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", _PATH_LOG);
	for (i = 0; i < 2; i++) {
		fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(fd);
			return true;
		}
		e = errno;
		close(fd);
	}
	snprintf(why, len, "%s: %s", _PATH_LOG, strerror(e));
	return false;
}

static void detach_stdio(int ready_fd, bool keep_stderr)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (!keep_stderr)
			dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (write(ready_fd, "", 1) < 0)
		log_warn("readiness pipe");
	close(ready_fd);
}

/* Was -n / --check asked for (even if the rest could not be parsed)? */
static bool wants_check(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-n") == 0 ||
		    strcmp(argv[i], "--check") == 0)
			return true;
	return false;
}

/*
 * A hook runs with rstmond's uid.  Root's would be a root shell for
 * whoever can write the hook or what it reads: refused unless asked for.
 */
static int hook_user_check(const struct config *c, char *err, size_t len)
{
	if (c->hook[0] == '\0' || c->user[0] != '\0' || c->hook_as_root ||
	    geteuid() != 0)
		return 0;
	snprintf(err, len,
		 "--hook: rstmond runs as root and would run the "
		 "hook as root: set a user (-u, user = …) or hook-as-root = "
		 "yes");
	return -1;
}

int main(int argc, char **argv)
{
	static struct daemon d;
	char err[1024];
	int r, ready_fd = -1;

	config_defaults(&d.cfg);
	d.cfg.io = &configfile_io;
	d.httpd_fd = -1;
	d.argc = argc;
	d.argv = argv;
	r = config_from_args(&d.cfg, argc, argv, err, sizeof(err));
	if (r == 0 && hook_user_check(&d.cfg, err, sizeof(err)) < 0)
		r = -1;
	if (r != 0) {
		if (r < 0)
			fprintf(stderr, "rstmond: %s\n", err);
		/* -n answers yes (0) or no (1); otherwise a usage error. */
		return r < 0 ? (wants_check(argc, argv) ? 1 : 2) : 0;
	}
	if (d.cfg.check_only) {
		printf("rstmond: configuration OK\n");
		return 0;
	}
	if (!d.cfg.foreground && strcmp(d.cfg.events_path, "-") == 0) {
		fprintf(stderr, "rstmond: -e - writes events to stdout, "
				"which needs -f (foreground)\n");
		return 2;
	}
	log_init("rstmond", true, d.cfg.verbose);
	if (!d.cfg.foreground)
		ready_fd = daemonize();
	if (setup(&d, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		teardown(&d);
		return 1;
	}
	/* From here on no capability at all: what needs privilege is
	 * asked of the helper. */
	if (privdrop_all(d.cfg.user, err, sizeof(err)) < 0) {
		log_warnx("%s", err);
		teardown(&d);
		return 1;
	}
	if (sandbox_apply(err, sizeof(err)) < 0)
		log_warnx("%s: running without the seccomp filter", err);
	/* The first listings before the first reset, and after the drop:
	 * rtnetlink's and sock_diag's bytes are read without privilege
	 * too. */
	if (d.rtnl.nl != NULL &&
	    rtnl_sync(&d.rtnl, d.netif, clock_mono_ms()) < 0)
		log_warn("rtnetlink listing: every address counts as ours");
	attrib_tick(d.attrib, clock_mono_ms(), clock_wall());
	if (!d.cfg.foreground) {
		char why[256];
		bool sys = syslog_reachable(why, sizeof(why));

		log_init("rstmond", !sys, d.cfg.verbose);
		if (!sys)
			log_warnx("syslog unavailable (%s): logging to stderr",
				  why);
		detach_stdio(ready_fd, !sys);
	}
	log_info("listening on NFLOG group %llu, control socket %s",
		 (unsigned long long)d.cfg.group, d.cfg.socket_path);
	notify("READY=1\nSTATUS=listening on NFLOG group");

	while (!d.quit) {
		if (loop_run_once(&d.loop, -1) < 0) {
			log_warn("epoll_wait");
			break;
		}
		if (d.reload)
			do_reload(&d);
	}
	/* Take what is still queued before closing: nothing left behind. */
	capture_drain_final(&d.cap, 1000);
	log_info("exiting: %llu resets, %llu lost",
		 (unsigned long long)d.events_total,
		 (unsigned long long)daemon_lost_total(&d));
	notify("STOPPING=1");
	teardown(&d);
	return 0;
}
