/* ctl_events: `rstmonctl events` — follow the resets as they happen. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"

/* "12:03:07.123  10.0.0.1:6379 -> 10.0.0.9:51000  RA  closed_port ..." */
static void print_event(const char *line)
{
	const char *kr, *cause, *fam;
	const json_t *owner, *last, *actor;
	char when[32], who[160];
	json_error_t e;
	json_t *ev;
	double ts;
	time_t t;
	struct tm tm;

	ev = json_loads(line, 0, &e);
	if (ev == NULL) {
		printf("%s\n", ctl_safe(line));
		return;
	}
	ts = json_number_value(json_object_get(ev, "ts"));
	t = (time_t)ts;
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	fam = ctl_u64(ev, "family") == 6 ? "6" : "4";
	cause = json_string_value(json_object_get(ev, "cause"));
	kr = json_string_value(json_object_get(ev, "kernel_reason"));
	owner = json_object_get(ev, "owner");
	last = json_object_get(owner, "last_owner");
	actor = json_object_get(ev, "actor");
	who[0] = '\0';
	if (json_object_get(owner, "comm") != NULL)
		snprintf(who, sizeof(who), "%s[%llu] uid %llu",
			 ctl_str(owner, "comm"),
			 (unsigned long long)ctl_u64(owner, "pid"),
			 (unsigned long long)ctl_u64(owner, "uid"));
	else if (json_object_get(owner, "uid") != NULL)
		snprintf(who, sizeof(who), "uid %llu",
			 (unsigned long long)ctl_u64(owner, "uid"));
	else if (last != NULL)
		snprintf(who, sizeof(who), "no listener, last %s[%llu]",
			 ctl_str(last, "comm"),
			 (unsigned long long)ctl_u64(last, "pid"));
	if (actor != NULL && json_object_get(actor, "comm") != NULL &&
	    strlen(who) + 32 < sizeof(who))
		snprintf(who + strlen(who), sizeof(who) - strlen(who),
			 "%sby %s[%llu]", who[0] ? " " : "",
			 ctl_str(actor, "comm"),
			 (unsigned long long)ctl_u64(actor, "pid"));
	printf("%s.%03d v%s %s:%llu -> %s:%llu %-2s %-17s %s%s%s%s\n", when,
	       (int)((ts - (double)t) * 1000), fam, ctl_str(ev, "local"),
	       (unsigned long long)ctl_u64(ev, "lport"), ctl_str(ev, "remote"),
	       (unsigned long long)ctl_u64(ev, "rport"), ctl_str(ev, "flags"),
	       cause != NULL ? ctl_safe(cause) : "-", who,
	       !kr    ? "" :
	       who[0] ? " (" :
			"(",
	       kr ? ctl_safe(kr) : "", kr ? ")" : "");
	json_decref(ev);
}

int ctl_events(const struct ctl_opts *o)
{
	char buf[65536], *nl, *start;
	enum ctl_step step;
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = ctl_connect(o->socket_path, "events", &step);
	if (fd < 0) {
		if (step == CTL_STEP_PATH)
			fprintf(stderr, "rstmonctl: socket path too long\n");
		else
			fprintf(stderr,
				"rstmonctl: cannot reach rstmond at "
				"%s: %s: is rstmond running?\n",
				o->socket_path, strerror(errno));
		return 1;
	}
	/* Lines until the daemon goes away (or drops us as too slow). */
	for (;;) {
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		start = buf;
		while ((nl = strchr(start, '\n')) != NULL) {
			*nl = '\0';
			if (o->json)
				printf("%s\n", start);
			else if (strstr(start, "\"error\"") != NULL)
				fprintf(stderr, "rstmonctl: %s\n",
					ctl_safe(start));
			else
				print_event(start);
			start = nl + 1;
		}
		fflush(stdout);
		len -= (size_t)(start - buf);
		memmove(buf, start, len);
		if (len + 1 >= sizeof(buf))
			len = 0; /* a line longer than 64 KiB: drop */
	}
	close(fd);
	fprintf(stderr, "rstmonctl: rstmond closed the stream (it exited, "
			"or this reader fell too far behind)\n");
	return 1;
}
