/* rstmonctl: the client's main — its options, and which ctl_<verb>.c
 * answers which command. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "version.h"

struct command {
	const char *name;
	const char *args; /* shown after the name in --help, or NULL */
	bool any_args;	  /* the handler checks them; else none */
	int (*run)(const struct ctl_opts *o);
	const char *help;
};

/* In --help order.  docs-check reads the names from --help and looks for
 * each in rstmonctl(8) and the README. */
static const struct command commands[] = {
	{ "status", NULL, false, ctl_status,
	  "counters: resets seen, lost, rates, causes" },
	{ "top", NULL, true, ctl_top,
	  "busiest ports|remotes|owners|causes [-n N] "
	  "[--window 10s|60s|300s]" },
	{ "alerts", NULL, false, ctl_alerts,
	  "active alerts: scans, floods, services down…" },
	{ "events", NULL, false, ctl_events,
	  "follow every reset as it happens" },
	{ "metrics", NULL, false, ctl_metrics, "Prometheus text exposition" },
	{ "reload", NULL, false, ctl_reload,
	  "reopen the events file, reread the config" },
	{ "bans", NULL, false, ctl_bans,
	  "addresses rstmond listed in its nft sets" },
	{ "unban", "ADDR", true, ctl_unban,
	  "lift one listing (root or rstmond's user)" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	char col[32];
	size_t i;

	fprintf(f, "usage: rstmonctl [-s PATH] [--json] COMMAND\n"
		   "Ask rstmond which TCP resets this host sends, who sends "
		   "them and why.\n\n"
		   "commands:\n");
	for (i = 0; i < N_COMMANDS; i++) {
		snprintf(col, sizeof(col), "%s%s%s", commands[i].name,
			 commands[i].args != NULL ? " " : "",
			 commands[i].args != NULL ? commands[i].args : "");
		fprintf(f, "  %-13s %s\n", col, commands[i].help);
	}
	fprintf(f,
		"\noptions:\n"
		"  -s, --socket PATH   control socket (default " RSTMON_DEFAULT_SOCKET
		")\n"
		"  -j, --json          JSON for machines instead of a table\n"
		"  -w, --watch [SEC]   top: refresh every SEC (default 1) "
		"until Ctrl-C\n"
		"  -V, --version       print the version\n"
		"  -h, --help          this text\n"
		"\nSee rstmonctl(8).\n");
}

/* The command named verb that takes argc words (verb included), or NULL:
 * the same message answers an unknown verb and a misused one. */
static const struct command *command_find(const char *verb, int argc)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(verb, commands[i].name) == 0)
			return commands[i].any_args || argc == 1 ?
				       &commands[i] :
				       NULL;
	return NULL;
}

/*
 * Remove rstmonctl's own options that follow the verb (--json, -j,
 * --watch[=SEC], -w, -s PATH) from argv, keeping the verb's arguments in
 * order; returns the new argc, or -1 after a message.
 */
static int take_trailing_opts(struct ctl_opts *o, int argc, char **argv)
{
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j")) {
			o->json = true;
		} else if (!strcmp(argv[i], "--watch") ||
			   !strcmp(argv[i], "-w")) {
			o->watch = true;
		} else if (!strncmp(argv[i], "--watch=", 8)) {
			o->watch = true;
			o->interval = atoi(argv[i] + 8);
			if (o->interval < 1 || o->interval > 3600) {
				fprintf(stderr, "rstmonctl: --watch wants 1 "
						"to 3600 seconds\n");
				return -1;
			}
		} else if ((!strcmp(argv[i], "-s") ||
			    !strcmp(argv[i], "--socket")) &&
			   i + 1 < argc) {
			o->socket_path = argv[++i];
		} else {
			argv[n++] = argv[i];
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl_opts o = { RSTMON_DEFAULT_SOCKET, false, false, 1, 0, NULL };
	const struct command *cmd;
	const char *verb;
	int ch;

	/*
	 * Options may follow the verb too ("status --json"), except those of
	 * top itself (-n, --window), which go to the daemon: stop at the
	 * first of them ("+": no permutation past the verb's arguments).
	 */
	while ((ch = getopt_long(argc, argv, "+s:jw::Vh", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			o.socket_path = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'w':
			o.watch = true;
			if (optarg != NULL) {
				o.interval = atoi(optarg);
				if (o.interval < 1 || o.interval > 3600) {
					fprintf(stderr,
						"rstmonctl: --watch "
						"wants 1 to 3600 seconds\n");
					return 2;
				}
			}
			break;
		case 'V':
			printf("rstmonctl %s\n", RSTMON_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	o.argc = argc - optind;
	o.argv = argv + optind;
	verb = o.argv[0];
	/* Our own options after the verb: --json, --watch, -s. */
	o.argc = take_trailing_opts(&o, o.argc, o.argv);
	if (o.argc < 0)
		return 2;
	cmd = command_find(verb, o.argc);
	if (cmd == NULL) {
		fprintf(stderr,
			"rstmonctl: unknown command or arguments: "
			"'%s' (see rstmonctl --help)\n",
			verb);
		return 2;
	}
	return cmd->run(&o);
}
