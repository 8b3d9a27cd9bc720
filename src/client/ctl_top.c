/* ctl_top: `rstmonctl top` — the busiest ports, remotes, owners or causes,
 * as a table (refreshed with --watch) or JSON. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *item_key(const json_t *it, const char *kind)
{
	static char buf[32];

	if (strcmp(kind, "ports") == 0) {
		snprintf(buf, sizeof(buf), "%llu",
			 (unsigned long long)ctl_u64(it, "port"));
		return buf;
	}
	/* Escaped: an owner is a process name of any local user's. */
	if (strcmp(kind, "remotes") == 0)
		return ctl_str(it, "remote");
	if (strcmp(kind, "owners") == 0)
		return ctl_str(it, "owner");
	return ctl_str(it, "cause");
}

static void print_top(const json_t *t, bool colour)
{
	const char *kind = json_string_value(json_object_get(t, "kind"));
	const char *win = json_string_value(json_object_get(t, "window"));
	const json_t *items = json_object_get(t, "items");
	const char *key_head, *bold = colour ? "\033[1m" : "",
			      *plain = colour ? "\033[0m" : "";
	char b1[32], b2[32], b3[32];
	bool approx = false;
	int width = 8;
	size_t i;

	if (kind == NULL || win == NULL || !json_is_array(items))
		return;
	key_head = strcmp(kind, "ports") == 0	? "PORT" :
		   strcmp(kind, "remotes") == 0 ? "REMOTE" :
		   strcmp(kind, "owners") == 0	? "OWNER" :
						  "CAUSE";
	/* Align on the longest key. */
	for (i = 0; i < json_array_size(items); i++) {
		const char *k = item_key(json_array_get(items, i), kind);
		int l = k != NULL ? (int)strlen(k) : 1;

		if (l > width)
			width = l;
	}
	if (width > 60)
		width = 60;
	printf("%stop %s, last %s: %s resets (%s), %s remotes%s\n", bold,
	       ctl_safe(kind), ctl_safe(win),
	       ctl_group_digits(ctl_u64(t, "total"), b1, sizeof(b1)),
	       ctl_rate(json_number_value(json_object_get(t, "rate")), b2,
			sizeof(b2)),
	       ctl_group_digits(ctl_u64(t, "distinct_remotes"), b3, sizeof(b3)),
	       plain);
	/* Space-Saving counts over-estimate by at most `error`: shown only
	 * when some are approximate (more distinct keys than slots). */
	for (i = 0; i < json_array_size(items); i++)
		if (ctl_u64(json_array_get(items, i), "error") > 0)
			approx = true;
	printf("%s%-*s %10s %10s %7s%s%s\n", bold, width, key_head, "RESETS",
	       "RATE", "SHARE", approx ? "  ±ERROR" : "", plain);
	for (i = 0; i < json_array_size(items); i++) {
		const json_t *it = json_array_get(items, i);
		const char *k = item_key(it, kind);

		printf("%-*.*s %10s %10s %6.1f%%", width, width,
		       k != NULL ? k : "?",
		       ctl_group_digits(ctl_u64(it, "count"), b1, sizeof(b1)),
		       ctl_rate(json_number_value(json_object_get(it, "rate")),
				b2, sizeof(b2)),
		       json_number_value(json_object_get(it, "share")));
		if (approx)
			printf("  %7s", ctl_group_digits(ctl_u64(it, "error"),
							 b3, sizeof(b3)));
		printf("\n");
	}
	if (json_array_size(items) == 0)
		printf("(no resets in the last %s)\n", ctl_safe(win));
}

int ctl_top(const struct ctl_opts *o)
{
	char line[256];
	size_t len = 0;
	bool colour = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
	int i;

	/* The daemon parses and checks the arguments; pass them on. */
	len += (size_t)snprintf(line, sizeof(line), "top");
	for (i = 1; i < o->argc && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s",
					o->argv[i]);
	if (len >= sizeof(line)) {
		fprintf(stderr, "rstmonctl: top: arguments too long\n");
		return 2;
	}
	if (o->watch) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
	}
	do {
		char *reply;
		json_t *root = ctl_fetch(o, line, &reply);

		if (root == NULL)
			return 1;
		if (o->json) {
			fputs(reply, stdout);
		} else {
			if (o->watch && isatty(STDOUT_FILENO))
				fputs("\033[H\033[2J", stdout);
			print_top(root, colour);
		}
		fflush(stdout);
		json_decref(root);
		free(reply);
		if (o->watch && !stop)
			sleep((unsigned int)o->interval);
	} while (o->watch && !stop);
	return 0;
}
