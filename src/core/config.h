/* config: command line + config file -> one immutable struct config. */
#ifndef RSTMON_CONFIG_H
#define RSTMON_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "allowlist.h"

#include "version.h"

#define RSTMON_DEFAULT_GROUP 5
#define RSTMON_DEFAULT_CONFIG "/etc/rstmon/rstmond.conf"

/*
 * What reading a configuration does through the system: the daemon's
 * configfile_io (configfile.c).  A config whose io is NULL reads no file
 * and checks no hook (the pure parse of tests and fuzzing).
 */
struct config_io {
	/* The file's text, malloc'd and NUL-terminated, in *text; 0 with
	 * *text NULL when it does not exist and need not; -1 with a
	 * one-line message naming the file. */
	int (*read)(const char *path, bool must_exist, char **text, char *err,
		    size_t errlen);
	/* 0 when path may be executed, else -1 with errno. */
	int (*executable)(const char *path);
};

struct config {
	const struct config_io *io; /* set by the caller, see above */
	char config_file[PATH_MAX];
	bool config_explicit; /* -c given: a missing file is an error */
	bool foreground;
	bool check_only;
	int verbose;
	uint64_t group;
	char socket_path[PATH_MAX];
	char events_path[PATH_MAX]; /* "" = none, "-" = stdout */
	char rules_path[PATH_MAX];
	char netns[PATH_MAX];
	char user[64];
	uint64_t rcvbuf;
	uint64_t qthreshold;
	uint64_t flush_ms;
	uint64_t budget;
	uint64_t reconcile_ms;
	char kernel_trace[12]; /* "auto", "actor-only" or "off" */
	uint64_t trace_max_rate;
	uint64_t inventory_ms;
	char metrics_listen[128];    /* "" = off */
	char metrics_file[PATH_MAX]; /* "" = off */
	uint64_t metrics_interval;   /* seconds between file writes */
	/* Detector thresholds (struct detect_params, DESIGN.md). */
	uint64_t scan_ports, scan_window, flood_rate, flood_sources;
	uint64_t down_window, down_grace, storm_rate, rate_floor, rate_factor;
	uint64_t rate_warmup;
	uint64_t alert_quiet, alert_summary, max_alerts;
	uint64_t alert_log_rate; /* alert lines per second, at most */
	/* Actions (actions.c). */
	bool ratelimit;
	char ratelimit_on[128];	    /* alert types, comma-separated */
	uint64_t ratelimit_timeout; /* seconds */
	char ratelimit_mode[8];	    /* "rst" or "drop" */
	char allow[4096];	    /* CIDRs, blank-separated (a list) */

	/*
	 * The same, typed once when the configuration is read (the strings
	 * above are what the operator wrote, for --help and reloads): the
	 * rest of the daemon reads these, never the strings.
	 */
	enum config_trace {
		CONFIG_TRACE_AUTO,
		CONFIG_TRACE_ACTOR_ONLY,
		CONFIG_TRACE_OFF
	} trace;
	bool drop_mode;		      /* ratelimit-mode = drop */
	unsigned int ratelimit_types; /* 1 << enum alert_type */
	struct allowlist allowed;     /* --allow (loopback not added) */
	char hook[1024];	      /* "" = none */
	uint64_t hook_timeout, hook_max, hook_cooldown;
	bool hook_as_root; /* allowed to run it as root */
	bool dry_run;
	bool drop_unproven; /* drop mode: drop unproven scanners too */
};

/* Everything at its default; c->io NULL. */
void config_defaults(struct config *c);

/*
 * Parse the command line into c (on top of what c already holds).  The
 * config file named by -c (or the default one) is read first through
 * c->io, so that the command line wins.  Returns 0, 1 when the program should exit with
 * success (-h, -V), or -1 with a one-line message in err.
 */
int config_from_args(struct config *c, int argc, char **argv, char *err,
		     size_t errlen);

/*
 * Parse config file text.  `name` is used in messages, which read
 * "name:line: what".  Pure but for c->io's hook check.  Returns 0 or -1
 * with err filled.
 */
int config_parse_text(struct config *c, const char *text, const char *name,
		      char *err, size_t errlen);

/* Usage text for --help. */
void config_usage(const char *prog, void *stream);

#endif
