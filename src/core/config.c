/* config: command line + config file -> one immutable struct config. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "allowlist.h"
#include "detect.h"
#include "hookargs.h"
#include "alertfmt.h"

/* OPT_LIST: a string that each occurrence extends (blank-separated). */
enum opt_type { OPT_FLAG, OPT_COUNT, OPT_UINT, OPT_SIZE, OPT_STR, OPT_LIST };

/*
 * One table describes every option: its long name (also its config file
 * key), short letter, type, place in struct config, bounds and help.
 * --help, getopt and the file parser are all driven by it, so they agree.
 */
struct opt_desc {
	const char *name;
	int letter; /* 0: long option only */
	enum opt_type type;
	size_t off;
	size_t size; /* OPT_STR buffer size */
	uint64_t min, max;
	bool in_file; /* may appear in the config file */
	const char *arg;
	const char *help;
	const char *choices; /* OPT_STR: "a|b" allowed values, or NULL */
};

static int check_cidr(const struct config *cfg, const char *v, char *why,
		      size_t whylen)
{
	struct cidr c;

	(void)cfg;
	if (cidr_parse(v, &c) == 0)
		return 0;
	snprintf(why, whylen, "'%s' is not an address or CIDR", v);
	return -1;
}

/* "port_scan,syn_flood": alert types that may trigger an action. */
static int check_alert_list(const struct config *c, const char *v, char *why,
			    size_t whylen)
{
	char word[64];
	const char *p = v;

	(void)c;
	while (*p != '\0') {
		size_t n = strcspn(p, ", ");

		if (n > 0) {
			if (n >= sizeof(word) ||
			    alert_type_from_name(memcpy(word, p, n), n) < 0) {
				snprintf(why, whylen,
					 "'%.*s' is not an alert "
					 "type",
					 (int)n, p);
				return -1;
			}
		}
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

static int check_hook(const struct config *c, const char *v, char *why,
		      size_t whylen)
{
	struct hook_argv h;

	if (v[0] == '\0')
		return 0;
	if (hook_argv_parse(&h, v, why, whylen) < 0)
		return -1;
	if (c->io != NULL && c->io->executable(h.argv[0]) < 0) {
		snprintf(why, whylen, "%s: %s", h.argv[0], strerror(errno));
		return -1;
	}
	return 0;
}

#define OFF(f) offsetof(struct config, f)
#define SZ(f) sizeof(((struct config *)0)->f)

static const struct opt_desc opts[] = {
	{ "foreground", 'f', OPT_FLAG, OFF(foreground), 0, 0, 1, false, NULL,
	  "stay in the foreground, log to stderr", NULL },
	{ "config", 'c', OPT_STR, OFF(config_file), SZ(config_file), 0, 0,
	  false, "FILE", "config file", NULL },
	{ "group", 'g', OPT_UINT, OFF(group), 0, 0, 65535, true, "N",
	  "NFLOG group the rules log to", NULL },
	{ "socket", 's', OPT_STR, OFF(socket_path), SZ(socket_path), 0, 0, true,
	  "PATH", "control socket", NULL },
	{ "events", 'e', OPT_STR, OFF(events_path), SZ(events_path), 0, 0, true,
	  "FILE|-", "write one JSON line per reset to FILE or stdout", NULL },
	{ "rules", 0, OPT_STR, OFF(rules_path), SZ(rules_path), 0, 0, true,
	  "FILE",
	  "install this nft ruleset at start, delete table inet "
	  "rstmon at exit",
	  NULL },
	{ "netns", 0, OPT_STR, OFF(netns), SZ(netns), 0, 0, true, "NAME",
	  "monitor network namespace NAME (/run/netns/NAME)", NULL },
	{ "user", 'u', OPT_STR, OFF(user), SZ(user), 0, 0, true, "USER",
	  "run as USER after opening sockets (default: stay root, "
	  "capabilities reduced)",
	  NULL },
	{ "rcvbuf", 0, OPT_SIZE, OFF(rcvbuf), 0, 65536, 1ull << 30, true,
	  "BYTES", "netlink receive buffer, K/M suffix", NULL },
	{ "qthreshold", 0, OPT_UINT, OFF(qthreshold), 0, 1, 1000, true, "N",
	  "resets per NFLOG batch", NULL },
	{ "flush-timeout", 0, OPT_UINT, OFF(flush_ms), 0, 10, 100, true, "MS",
	  "kernel flush timeout of a partial batch", NULL },
	{ "budget", 0, OPT_UINT, OFF(budget), 0, 1, 100000, true, "N",
	  "datagrams read per wakeup", NULL },
	{ "reconcile-interval", 0, OPT_UINT, OFF(reconcile_ms), 0, 200, 60000,
	  true, "MS", "compare with the rule's counter every MS", NULL },
	{ "kernel-trace", 0, OPT_STR, OFF(kernel_trace), SZ(kernel_trace), 0, 0,
	  true, "auto|actor-only|off",
	  "read the tcp:tcp_send_reset "
	  "tracepoint when it exists: reasons (6.10+) and actors; "
	  "actor-only ignores the reason, as before 6.10 (for tests)",
	  "auto|actor-only|off" },
	{ "trace-max-rate", 0, OPT_UINT, OFF(trace_max_rate), 0, 100, 10000000,
	  true, "N", "pause the tracepoint above N resets/s", NULL },
	{ "inventory-interval", 0, OPT_UINT, OFF(inventory_ms), 0, 100, 60000,
	  true, "MS", "list listeners and connections every MS", NULL },
	{ "metrics-listen", 0, OPT_STR, OFF(metrics_listen), SZ(metrics_listen),
	  0, 0, true, "ADDR:PORT",
	  "serve GET /metrics there (PORT alone: 127.0.0.1)", NULL },
	{ "metrics-file", 0, OPT_STR, OFF(metrics_file), SZ(metrics_file), 0, 0,
	  true, "PATH",
	  "write the metrics to PATH (node_exporter "
	  "textfile), atomically",
	  NULL },
	{ "metrics-interval", 0, OPT_UINT, OFF(metrics_interval), 0, 1, 3600,
	  true, "SEC", "how often --metrics-file is written", NULL },
	{ "scan-ports", 0, OPT_UINT, OFF(scan_ports), 0, 2, 65535, true, "N",
	  "port_scan: distinct closed ports from one remote", NULL },
	{ "scan-window", 0, OPT_UINT, OFF(scan_window), 0, 1, 3600, true, "SEC",
	  "port_scan: within SEC seconds", NULL },
	{ "flood-rate", 0, OPT_UINT, OFF(flood_rate), 0, 1, 100000000, true,
	  "N", "syn_flood: closed-port resets per second", NULL },
	{ "flood-sources", 0, OPT_UINT, OFF(flood_sources), 0, 1, 100000000,
	  true, "N", "syn_flood: from at least N remotes", NULL },
	{ "down-window", 0, OPT_UINT, OFF(down_window), 0, 1, 86400, true,
	  "SEC", "service_down: a listener gone at most SEC ago", NULL },
	{ "down-grace", 0, OPT_UINT, OFF(down_grace), 0, 0, 600000, true, "MS",
	  "service_down: gone at least MS, a restart is not an "
	  "outage",
	  NULL },
	{ "storm-rate", 0, OPT_UINT, OFF(storm_rate), 0, 1, 100000000, true,
	  "N", "abort_storm: aborts per second by one owner", NULL },
	{ "rate-floor", 0, OPT_UINT, OFF(rate_floor), 0, 1, 100000000, true,
	  "N", "reset_rate: resets per second, at least", NULL },
	{ "rate-factor", 0, OPT_UINT, OFF(rate_factor), 0, 1, 1000, true, "K",
	  "reset_rate: and K times the 5-minute baseline", NULL },
	{ "rate-warmup", 0, OPT_UINT, OFF(rate_warmup), 0, 0, 3600, true, "SEC",
	  "reset_rate: quiet for SEC after start, while a baseline "
	  "builds",
	  NULL },
	{ "alert-quiet", 0, OPT_UINT, OFF(alert_quiet), 0, 1, 86400, true,
	  "SEC", "clear an alert after SEC without its condition", NULL },
	{ "alert-summary", 0, OPT_UINT, OFF(alert_summary), 0, 1, 86400, true,
	  "SEC", "summarise an active alert every SEC", NULL },
	{ "max-alerts", 0, OPT_UINT, OFF(max_alerts), 0, 1, 256, true, "N",
	  "alerts active at once, at most", NULL },
	{ "alert-log-rate", 0, OPT_UINT, OFF(alert_log_rate), 0, 1, 10000, true,
	  "N", "alert lines logged per second, at most", NULL },
	{ "ratelimit", 0, OPT_FLAG, OFF(ratelimit), 0, 0, 1, true, NULL,
	  "put offenders in the rules' rate-limit sets (see --ratelimit-on)",
	  NULL },
	{ "ratelimit-on", 0, OPT_STR, OFF(ratelimit_on), SZ(ratelimit_on), 0, 0,
	  true, "TYPES", "alerts that rate-limit their remotes", NULL },
	{ "ratelimit-timeout", 0, OPT_UINT, OFF(ratelimit_timeout), 0, 1,
	  604800, true, "SEC", "how long an address stays listed", NULL },
	{ "ratelimit-mode", 0, OPT_STR, OFF(ratelimit_mode), SZ(ratelimit_mode),
	  0, 0, true, "rst|drop",
	  "limit the resets sent to it, or also drop what a scanner that "
	  "completed a handshake sends",
	  "rst|drop" },
	{ "drop-unproven", 0, OPT_FLAG, OFF(drop_unproven), 0, 0, 1, true, NULL,
	  "DANGER: in drop mode, also drop scanners that never "
	  "completed a handshake (forged packets can then make "
	  "rstmond drop any address)",
	  NULL },
	{ "allow", 0, OPT_LIST, OFF(allow), SZ(allow), 0, 0, true, "CIDR",
	  "never act on these addresses (repeatable; loopback and this "
	  "host's addresses always)",
	  NULL },
	{ "hook", 0, OPT_STR, OFF(hook), SZ(hook), 0, 0, true, "CMD",
	  "run CMD (absolute path, arguments; no shell) on each alert raise "
	  "and clear",
	  NULL },
	{ "hook-timeout", 0, OPT_UINT, OFF(hook_timeout), 0, 1, 3600, true,
	  "SEC", "then SIGTERM, 2 s later SIGKILL", NULL },
	{ "hook-max", 0, OPT_UINT, OFF(hook_max), 0, 1, 64, true, "N",
	  "hooks running at once, at most", NULL },
	{ "hook-cooldown", 0, OPT_UINT, OFF(hook_cooldown), 0, 0, 86400, true,
	  "SEC", "run at most once per alert key in SEC", NULL },
	{ "hook-as-root", 0, OPT_FLAG, OFF(hook_as_root), 0, 0, 1, true, NULL,
	  "run the hook even though rstmond runs as root (no -u)", NULL },
	{ "dry-run", 0, OPT_FLAG, OFF(dry_run), 0, 0, 1, true, NULL,
	  "log what --ratelimit would do, do nothing", NULL },
	{ "check", 'n', OPT_FLAG, OFF(check_only), 0, 0, 1, false, NULL,
	  "check the configuration and exit", NULL },
	{ "verbose", 'v', OPT_COUNT, OFF(verbose), 0, 0, 0, true, NULL,
	  "more messages; twice: one line per reset", NULL },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/*
 * Finer checks of some values (of each word of a list): 0, or -1 with
 * the reason in why.
 */
typedef int (*check_fn)(const struct config *c, const char *value, char *why,
			size_t whylen);

static check_fn check_of(const struct opt_desc *d)
{
	static const struct {
		const char *name;
		check_fn fn;
	} checks[] = {
		{ "allow", check_cidr },
		{ "ratelimit-on", check_alert_list },
		{ "hook", check_hook },
	};
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (strcmp(checks[i].name, d->name) == 0)
			return checks[i].fn;
	return NULL;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->config_file, sizeof(c->config_file), "%s",
		 RSTMON_DEFAULT_CONFIG);
	c->group = RSTMON_DEFAULT_GROUP;
	snprintf(c->socket_path, sizeof(c->socket_path), "%s",
		 RSTMON_DEFAULT_SOCKET);
	c->rcvbuf = 8u << 20;
	c->qthreshold = 1000;
	c->flush_ms = 10;
	c->budget = 256;
	c->reconcile_ms = 1000;
	snprintf(c->kernel_trace, sizeof(c->kernel_trace), "auto");
	c->trace_max_rate = 20000;
	c->inventory_ms = 1000;
	c->metrics_interval = 15;
	c->scan_ports = 10;
	c->scan_window = 10;
	c->flood_rate = 500;
	c->flood_sources = 200;
	c->down_window = 600;
	c->down_grace = 2000;
	c->storm_rate = 50;
	c->rate_floor = 50;
	c->rate_factor = 3;
	c->rate_warmup = 60;
	c->alert_quiet = 30;
	c->alert_summary = 60;
	c->max_alerts = 64;
	c->alert_log_rate = 10;
	snprintf(c->ratelimit_on, sizeof(c->ratelimit_on),
		 "port_scan,syn_flood");
	c->ratelimit_timeout = 600;
	snprintf(c->ratelimit_mode, sizeof(c->ratelimit_mode), "rst");
	c->hook_timeout = 10;
	c->hook_max = 4;
	c->hook_cooldown = 60;
}

static int parse_uint(const char *s, bool size_suffix, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	if (size_suffix && *end != '\0' && end[1] == '\0') {
		unsigned long long mul;

		switch (*end) {
		case 'k':
		case 'K':
			mul = 1ull << 10;
			break;
		case 'm':
		case 'M':
			mul = 1ull << 20;
			break;
		case 'g':
		case 'G':
			mul = 1ull << 30;
			break;
		default:
			return -1;
		}
		if (v > UINT64_MAX / mul)
			return -1;
		v *= mul;
		end++;
	}
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Is value one of the '|'-separated words of choices? */
static bool choice_ok(const char *choices, const char *value)
{
	size_t n = strlen(value);
	const char *p = choices;

	while (*p != '\0') {
		size_t w = strcspn(p, "|");

		if (w == n && strncmp(p, value, n) == 0)
			return true;
		p += w;
		if (*p == '|')
			p++;
	}
	return false;
}

/* "--hook: why", or "file:3: hook: why". */
static void why_at(char *err, size_t errlen, const char *where,
		   const struct opt_desc *d, const char *why)
{
	if (where[0] == '-' && where[1] == '-' &&
	    strcmp(where + 2, d->name) == 0)
		snprintf(err, errlen, "%s: %s", where, why);
	else
		snprintf(err, errlen, "%s: %s: %s", where, d->name, why);
}

/* Append the words of value (blank- or comma-separated) to a list. */
static int list_add(const struct config *c, char *base,
		    const struct opt_desc *d, const char *value,
		    const char *where, char *err, size_t errlen)
{
	size_t used = strlen(base);
	const char *p = value;
	char word[256], why[256];

	for (;;) {
		size_t n;

		p += strspn(p, " \t,");
		n = strcspn(p, " \t,");
		if (n == 0)
			return 0;
		if (n >= sizeof(word)) {
			snprintf(err, errlen, "%s: %s: '%.32s…' is too long",
				 where, d->name, p);
			return -1;
		}
		memcpy(word, p, n);
		word[n] = '\0';
		p += n;
		if (check_of(d) != NULL &&
		    check_of(d)(c, word, why, sizeof(why)) < 0) {
			why_at(err, errlen, where, d, why);
			return -1;
		}
		if (used + n + 2 > d->size) {
			snprintf(err, errlen,
				 "%s: %s: too many entries (at "
				 "most %zu bytes)",
				 where, d->name, d->size - 1);
			return -1;
		}
		if (used > 0)
			base[used++] = ' ';
		memcpy(base + used, word, n + 1);
		used += n;
	}
}

/* Store `value` for option d; where says which file:line or flag. */
static int opt_set(struct config *c, const struct opt_desc *d,
		   const char *value, const char *where, char *err,
		   size_t errlen)
{
	char *base = (char *)c + d->off;
	char why[256];
	uint64_t v;

	switch (d->type) {
	case OPT_FLAG:
		*(bool *)(void *)base = true;
		return 0;
	case OPT_COUNT:
		if (value != NULL) {
			if (parse_uint(value, false, &v) < 0 || v > 9)
				goto bad;
			*(int *)(void *)base = (int)v;
		} else {
			(*(int *)(void *)base)++;
		}
		return 0;
	case OPT_UINT:
	case OPT_SIZE:
		if (parse_uint(value, d->type == OPT_SIZE, &v) < 0)
			goto bad;
		if (v < d->min || v > d->max) {
			snprintf(err, errlen,
				 "%s: %s %s is out of range (%llu to %llu)",
				 where, d->name, value,
				 (unsigned long long)d->min,
				 (unsigned long long)d->max);
			return -1;
		}
		*(uint64_t *)(void *)base = v;
		return 0;
	case OPT_STR:
		if (d->choices != NULL && !choice_ok(d->choices, value)) {
			snprintf(err, errlen,
				 "%s: %s must be one of %s, not "
				 "'%s'",
				 where, d->name, d->choices, value);
			return -1;
		}
		if (strlen(value) >= d->size) {
			snprintf(err, errlen, "%s: %s is too long (max %zu)",
				 where, d->name, d->size - 1);
			return -1;
		}
		if (check_of(d) != NULL &&
		    check_of(d)(c, value, why, sizeof(why)) < 0)
			goto invalid;
		memcpy(base, value, strlen(value) + 1);
		return 0;
	case OPT_LIST:
		return list_add(c, base, d, value, where, err, errlen);
	}
bad:
	snprintf(err, errlen, "%s: %s: invalid value '%s'", where, d->name,
		 value);
	return -1;
invalid:
	why_at(err, errlen, where, d, why);
	return -1;
}

static const struct opt_desc *opt_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	return NULL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * The typed forms of what was validated (config.h): parsed here, once.
 * Every value passed its check already; only too many allowed prefixes
 * fail (loopback takes two of ALLOW_MAX).
 */
static int config_typed(struct config *c, const char *where, char *err,
			size_t errlen)
{
	const char *p;
	char word[256];
	struct cidr cidr;
	size_t n;
	int t;

	c->trace = !strcmp(c->kernel_trace, "off") ? CONFIG_TRACE_OFF :
		   !strcmp(c->kernel_trace, "actor-only") ?
						     CONFIG_TRACE_ACTOR_ONLY :
						     CONFIG_TRACE_AUTO;
	c->drop_mode = strcmp(c->ratelimit_mode, "drop") == 0;
	c->ratelimit_types = 0;
	for (p = c->ratelimit_on; *p != '\0'; p += strspn(p, ", ")) {
		n = strcspn(p, ", ");
		t = n > 0 ? alert_type_from_name(p, n) : -1;
		if (t >= 0)
			c->ratelimit_types |= 1u << t;
		p += n;
	}
	allowlist_init(&c->allowed);
	for (p = c->allow; *p != '\0'; p += strspn(p, " ")) {
		n = strcspn(p, " ");
		if (n > 0 && n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			if (cidr_parse(word, &cidr) == 0 &&
			    (c->allowed.n + 2 >= ALLOW_MAX ||
			     allowlist_add(&c->allowed, &cidr) < 0)) {
				snprintf(err, errlen,
					 "%s: allow: more than "
					 "%d prefixes",
					 where, ALLOW_MAX - 3);
				return -1;
			}
		}
		p += n;
	}
	return 0;
}

int config_parse_text(struct config *c, const char *text, const char *name,
		      char *err, size_t errlen)
{
	char line[4096], where[PATH_MAX + 32];
	const struct opt_desc *d;
	const char *p = text, *nl;
	char *key, *val, *eq;
	unsigned int lineno = 0, first[NOPTS];
	size_t len;

	memset(first, 0, sizeof(first));
	while (*p != '\0') {
		lineno++;
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		snprintf(where, sizeof(where), "%s:%u", name, lineno);
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "%s: line too long", where);
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl != NULL);

		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s: expected 'key = value'",
				 where);
			return -1;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		d = opt_by_name(key, strlen(key));
		if (d == NULL || !d->in_file) {
			snprintf(err, errlen, "%s: unknown key '%s'", where,
				 key);
			return -1;
		}
		/* A second value would silently win: a mistake, unless the
		 * key is a list, which each line extends. */
		if (d->type != OPT_LIST && first[d - opts] != 0) {
			snprintf(err, errlen,
				 "%s: %s is already set at line "
				 "%u",
				 where, key, first[d - opts]);
			return -1;
		}
		first[d - opts] = lineno;
		if (d->type == OPT_FLAG) {
			if (strcmp(val, "yes") && strcmp(val, "no") &&
			    strcmp(val, "true") && strcmp(val, "false")) {
				snprintf(err, errlen,
					 "%s: %s wants yes or no, not '%s'",
					 where, key, val);
				return -1;
			}
			*(bool *)(void *)((char *)c + d->off) =
				!strcmp(val, "yes") || !strcmp(val, "true");
			continue;
		}
		if (opt_set(c, d, val, where, err, errlen) < 0)
			return -1;
	}
	return config_typed(c, name, err, errlen);
}

/* The file through c->io (none without one), then its text parsed. */
static int config_load_file(struct config *c, const char *path, bool must_exist,
			    char *err, size_t errlen)
{
	char *text = NULL;
	int ret;

	if (c->io == NULL)
		return 0;
	if (c->io->read(path, must_exist, &text, err, errlen) < 0)
		return -1;
	if (text == NULL)
		return 0;
	ret = config_parse_text(c, text, path, err, errlen);
	free(text);
	return ret;
}

/* getopt_long table and short option string, built from opts[]. */
static void build_getopt(struct option *lo, char *so)
{
	size_t i, n = 0;

	/* Leading ':': a missing value returns ':' rather than '?'. */
	so[n++] = ':';
	for (i = 0; i < NOPTS; i++) {
		bool has_arg = opts[i].type != OPT_FLAG &&
			       opts[i].type != OPT_COUNT;

		lo[i].name = opts[i].name;
		lo[i].has_arg = has_arg ? required_argument : no_argument;
		lo[i].flag = NULL;
		lo[i].val = opts[i].letter ? opts[i].letter : 256 + (int)i;
		if (opts[i].letter) {
			so[n++] = (char)opts[i].letter;
			if (has_arg)
				so[n++] = ':';
		}
	}
	lo[NOPTS] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[NOPTS + 1] = (struct option){ "version", no_argument, NULL, 'V' };
	lo[NOPTS + 2] = (struct option){ NULL, 0, NULL, 0 };
	so[n++] = 'h';
	so[n++] = 'V';
	so[n] = '\0';
}

static const struct opt_desc *opt_by_val(int val)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if ((opts[i].letter && opts[i].letter == val) ||
		    (!opts[i].letter && 256 + (int)i == val))
			return &opts[i];
	return NULL;
}

int config_from_args(struct config *c, int argc, char **argv, char *err,
		     size_t errlen)
{
	struct option lo[NOPTS + 3];
	char so[2 * NOPTS + 3], where[64];
	const struct opt_desc *d;
	int ch;

	build_getopt(lo, so);
	/* Pass 1: only -c, -h and -V, so the file can be read first.
	 * optind 0, not 1: glibc then also drops the rest of a "-abc" left
	 * half-read by an earlier call. */
	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (ch == 'h') {
			config_usage(argv[0], stdout);
			return 1;
		}
		if (ch == 'V') {
			printf("rstmond %s\n", RSTMON_VERSION);
			return 1;
		}
		if (ch == 'c') {
			if (strlen(optarg) >= sizeof(c->config_file)) {
				snprintf(err, errlen, "-c: path too long");
				return -1;
			}
			snprintf(c->config_file, sizeof(c->config_file), "%s",
				 optarg);
			c->config_explicit = true;
		}
	}
	if (config_load_file(c, c->config_file, c->config_explicit, err,
			     errlen) < 0)
		return -1;

	/* Pass 2: everything, on top of the file. */
	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			if (optopt && optopt < 256)
				snprintf(err, errlen,
					 "option -%c: %s (see --help)", optopt,
					 ch == ':' ? "needs a value" :
						     "unknown");
			else
				snprintf(err, errlen,
					 "option %s: unknown or missing "
					 "its value (see --help)",
					 argv[optind - 1]);
			return -1;
		}
		d = opt_by_val(ch);
		if (d == NULL || d->letter == 'c')
			continue;
		if (d->letter)
			snprintf(where, sizeof(where), "-%c", d->letter);
		else
			snprintf(where, sizeof(where), "--%s", d->name);
		if (opt_set(c, d, optarg, where, err, errlen) < 0)
			return -1;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s' (see --help)",
			 argv[optind]);
		return -1;
	}
	return config_typed(c, "command line", err, errlen);
}

/*
 * The default of d as --help shows it, from config_defaults() — the one
 * source, which contrib/rstmond.conf and rstmond.conf(5) are checked
 * against (tests/docs-check.sh).  "" when there is none to show: a flag,
 * an empty string, a zero.
 */
static void default_text(const struct config *defs, const struct opt_desc *d,
			 char *out, size_t outlen)
{
	const char *base = (const char *)defs + d->off;
	uint64_t v;

	out[0] = '\0';
	switch (d->type) {
	case OPT_UINT:
	case OPT_SIZE:
		memcpy(&v, base, sizeof(v));
		if (v == 0)
			return;
		if (d->type == OPT_SIZE && v % (1u << 20) == 0)
			snprintf(out, outlen, "%lluM",
				 (unsigned long long)(v >> 20));
		else if (d->type == OPT_SIZE && v % 1024 == 0)
			snprintf(out, outlen, "%lluK",
				 (unsigned long long)(v >> 10));
		else
			snprintf(out, outlen, "%llu", (unsigned long long)v);
		return;
	case OPT_STR:
		snprintf(out, outlen, "%s", base);
		return;
	case OPT_FLAG:
	case OPT_COUNT:
	case OPT_LIST:
		return;
	}
}

void config_usage(const char *prog, void *stream)
{
	FILE *f = stream;
	struct config defs;
	char def[PATH_MAX];
	size_t i;

	config_defaults(&defs);

	fprintf(f,
		"usage: %s [options]\n"
		"Watch the TCP resets this host sends: who, why, and "
		"whether it is an attack.\n\n",
		prog);
	for (i = 0; i < NOPTS; i++) {
		char left[64];

		if (opts[i].letter)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				 opts[i].letter, opts[i].name,
				 opts[i].arg ? " " : "",
				 opts[i].arg ? opts[i].arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s",
				 opts[i].name, opts[i].arg ? " " : "",
				 opts[i].arg ? opts[i].arg : "");
		default_text(&defs, &opts[i], def, sizeof(def));
		fprintf(f, "  %-28s %s%s%s%s\n", left, opts[i].help,
			def[0] ? " (default " : "", def, def[0] ? ")" : "");
	}
	fprintf(f, "  %-28s %s\n", "-V, --version", "print the version");
	fprintf(f, "  %-28s %s\n", "-h, --help", "this text");
	fprintf(f, "\nConfig file keys are the long option names: "
		   "`group = 5`.  See rstmond(8).\n");
}
