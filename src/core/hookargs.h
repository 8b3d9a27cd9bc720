/* hookargs: the hook's argv (split without a shell) and environment
 * (built from an alert).  Pure. */
#ifndef RSTMON_HOOKARGS_H
#define RSTMON_HOOKARGS_H

#include <stddef.h>

#include "detect.h"

#define HOOK_ARGV_MAX 32
#define HOOK_ENV_MAX 24

struct hook_argv {
	char buf[1024];
	char *argv[HOOK_ARGV_MAX + 1]; /* NULL-terminated */
	int argc;
};

/*
 * Split a command line into words: blanks separate, "double" and
 * 'single' quotes group, a backslash escapes the next character (outside
 * single quotes).  No expansion of any kind.  argv[0] must be an
 * absolute path: the daemon's PATH is nobody's business.  Returns 0, or
 * -1 with a one-line reason in err.
 */
int hook_argv_parse(struct hook_argv *h, const char *cmd, char *err,
		    size_t errlen);

struct hook_env {
	char buf[2048];
	char *envp[HOOK_ENV_MAX + 1]; /* NULL-terminated */
	int n;
};

/*
 * The environment a hook runs with, and nothing of the daemon's own:
 * PATH, RSTMON_ALERT, RSTMON_STATE (raised, cleared; active for an
 * update, which rstmond does not run hooks for), RSTMON_KEY,
 * RSTMON_SEVERITY, RSTMON_SINCE, and by alert type RSTMON_REMOTE,
 * RSTMON_PORT, RSTMON_RATE, RSTMON_OWNER (label), RSTMON_OWNER_COMM,
 * RSTMON_OWNER_PID, RSTMON_OWNER_UNIT; RSTMON_ACTION when something was
 * done about it ("ratelimit", "ratelimit-dry-run"), or NULL.
 */
void hook_env_build(struct hook_env *e, const struct alert *a,
		    enum alert_change ch, const char *action);
/*
 * Copy src into dst with dst's envp pointing into dst's own buf: a plain
 * struct copy would leave them pointing into src, which the next alert
 * overwrites.
 */
void hook_env_copy(struct hook_env *dst, const struct hook_env *src);

#endif
