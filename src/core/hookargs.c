/* hookargs: the hook's argv (split without a shell) and environment.
 * Pure. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "hookargs.h"
#include "alertfmt.h"

int hook_argv_parse(struct hook_argv *h, const char *cmd, char *err,
		    size_t errlen)
{
	/* Every byte of buf, NULs included, is checked against end before
	 * it is written: a 1023-byte command fits. */
	char *out = h->buf, *end = h->buf + sizeof(h->buf);
	const char *p = cmd;
	char quote;

	h->argc = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (h->argc == HOOK_ARGV_MAX) {
			snprintf(err, errlen, "more than %d words",
				 HOOK_ARGV_MAX);
			return -1;
		}
		h->argv[h->argc++] = out;
		quote = 0;
		while (*p != '\0' && (quote || (*p != ' ' && *p != '\t'))) {
			char c = *p++;

			if (quote == '\'' && c == '\'') {
				quote = 0;
				continue;
			}
			if (quote != '\'' && c == '\\') {
				if (*p == '\0')
					goto trailing;
				c = *p++;
			} else if (!quote && (c == '"' || c == '\'')) {
				quote = c;
				continue;
			} else if (quote == '"' && c == '"') {
				quote = 0;
				continue;
			}
			if (out == end)
				goto toolong;
			*out++ = c;
		}
		if (quote) {
			snprintf(err, errlen, "unterminated %c quote", quote);
			return -1;
		}
		if (out == end)
			goto toolong;
		*out++ = '\0';
	}
	h->argv[h->argc] = NULL;
	if (h->argc == 0) {
		snprintf(err, errlen, "empty command");
		return -1;
	}
	if (h->argv[0][0] != '/') {
		snprintf(err, errlen, "'%s' is not an absolute path",
			 h->argv[0]);
		return -1;
	}
	return 0;
trailing:
	snprintf(err, errlen, "a backslash ends the command");
	return -1;
toolong:
	snprintf(err, errlen, "command longer than %zu bytes",
		 sizeof(h->buf) - 1);
	return -1;
}

static void put(struct hook_env *e, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append one NAME=value; one that does not fit is left out whole. */
static void put(struct hook_env *e, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (e->n == HOOK_ENV_MAX || *used >= sizeof(e->buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(e->buf + *used, sizeof(e->buf) - *used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(e->buf) - *used) {
		e->buf[*used] = '\0';
		return;
	}
	e->envp[e->n++] = e->buf + *used;
	*used += (size_t)n + 1;
}

static const char *state_name(enum alert_change ch)
{
	if (ch == ALERT_CLEARED)
		return "cleared";
	return ch == ALERT_RAISED ? "raised" : "active";
}

void hook_env_build(struct hook_env *e, const struct alert *a,
		    enum alert_change ch, const char *action)
{
	char addr[INET6_ADDRSTRLEN];
	size_t used = 0;

	e->n = 0;
	put(e, &used,
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
	    "/usr/bin:/sbin:/bin");
	put(e, &used, "RSTMON_ALERT=%s", alert_type_name(a->type));
	put(e, &used, "RSTMON_STATE=%s", state_name(ch));
	put(e, &used, "RSTMON_KEY=%s", a->key);
	put(e, &used, "RSTMON_SEVERITY=%s", severity_name(a->severity));
	put(e, &used, "RSTMON_SINCE=%lld", (long long)a->since_wall);
	switch (a->type) {
	case ALERT_PORT_SCAN:
		inet_ntop(a->ev.scan.family, a->ev.scan.remote, addr,
			  sizeof(addr));
		put(e, &used, "RSTMON_REMOTE=%s", addr);
		put(e, &used, "RSTMON_PORT=%u", a->ev.scan.last_port);
		put(e, &used, "RSTMON_RATE=%.1f", a->ev.scan.rate);
		break;
	case ALERT_SYN_FLOOD:
		if (a->ev.flood.ntop > 0)
			put(e, &used, "RSTMON_PORT=%u",
			    a->ev.flood.top_ports[0]);
		put(e, &used, "RSTMON_RATE=%.1f", a->ev.flood.rate);
		break;
	case ALERT_SERVICE_DOWN:
		put(e, &used, "RSTMON_PORT=%u", a->ev.down.port);
		if (a->ev.down.comm[0]) {
			put(e, &used, "RSTMON_OWNER=%s", a->ev.down.comm);
			put(e, &used, "RSTMON_OWNER_COMM=%s", a->ev.down.comm);
		}
		if (a->ev.down.pid)
			put(e, &used, "RSTMON_OWNER_PID=%u", a->ev.down.pid);
		if (a->ev.down.unit[0])
			put(e, &used, "RSTMON_OWNER_UNIT=%s", a->ev.down.unit);
		break;
	case ALERT_LISTEN_OVERFLOW:
		put(e, &used, "RSTMON_PORT=%u", a->ev.overflow.port);
		if (a->ev.overflow.owner[0])
			put(e, &used, "RSTMON_OWNER=%s", a->ev.overflow.owner);
		break;
	case ALERT_ABORT_STORM:
		put(e, &used, "RSTMON_OWNER=%s", a->ev.storm.owner);
		if (a->ev.storm.pid)
			put(e, &used, "RSTMON_OWNER_PID=%u", a->ev.storm.pid);
		put(e, &used, "RSTMON_RATE=%.1f", a->ev.storm.rate);
		break;
	case ALERT_RESET_RATE:
		put(e, &used, "RSTMON_RATE=%.1f", a->ev.rate.rate);
		break;
	default:
		break;
	}
	if (action != NULL)
		put(e, &used, "RSTMON_ACTION=%s", action);
	e->envp[e->n] = NULL;
}

void hook_env_copy(struct hook_env *dst, const struct hook_env *src)
{
	int i;

	memcpy(dst->buf, src->buf, sizeof(dst->buf));
	dst->n = src->n;
	for (i = 0; i < src->n; i++)
		dst->envp[i] = dst->buf + (src->envp[i] - src->buf);
	dst->envp[src->n] = NULL;
}
