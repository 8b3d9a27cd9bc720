/*
 * fuzz_control: one request line of the control socket through
 * client_command(), which splits it into words and runs the verb, then
 * the reply, which must be JSON.  Verbs: the real `top` (the one that
 * parses arguments) and `alerts` over an empty daemon, `events`'s
 * follow, and `echo`, which writes every word back through json_str():
 * hostile bytes straight into the JSON writer.
 *
 * client_command() is static: src/control.c itself is compiled in here
 * (the real function, not a copy).  What stays out is the framing in
 * client_cb() (recv, the newline, "command line too long"), which is
 * mixed with the socket: a control_input(cl, buf, len) taking the bytes
 * received would make both fuzzable without a socket.
 */
#include "../../src/control.c"

#include "daemon.h"

#include "jansson_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void verb_echo(struct control_client *cl, int argc, char **argv,
		      void *arg)
{
	struct json *j = control_reply(cl);
	int i;

	(void)arg;
	json_obj_begin(j, NULL);
	json_u64(j, "argc", (uint64_t)argc);
	json_arr_begin(j, "argv");
	for (i = 0; i < argc; i++)
		json_str(j, NULL, argv[i]);
	json_arr_end(j);
	json_obj_end(j);
	json_raw(j, "\n", 1);
}

/* status.c's cmd_events (static there). */
static void verb_events(struct control_client *cl, int argc, char **argv,
			void *arg)
{
	(void)argc;
	(void)argv;
	(void)arg;
	control_follow(cl);
}

static const struct control_cmd cmds[] = {
	{ "top", verb_top },
	{ "alerts", verb_alerts },
	{ "events", verb_events },
	{ "echo", verb_echo },
};

static struct daemon daemon_state;
static struct control ctl;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct control_client cl;
	struct detect_params dp;
	struct config cfg;
	size_t n;
	char *nl;

	if (daemon_state.stats == NULL) {
		daemon_state.stats = stats_new();
		config_defaults(&cfg);
		alerts_params(&cfg, &dp);
		daemon_state.detect = detect_new(&dp);
		if (daemon_state.stats == NULL || daemon_state.detect == NULL)
			abort();
		daemon_state.now_ms = 3600000;
	}
	memset(&ctl, 0, sizeof(ctl));
	LIST_INIT(&ctl.clients);
	ctl.cmds = cmds;
	ctl.ncmds = sizeof(cmds) / sizeof(cmds[0]);
	ctl.arg = &daemon_state;
	memset(&cl, 0, sizeof(cl));
	cl.ctl = &ctl;
	json_init(&cl.out, CONTROL_MAX_REPLY);

	/* What client_cb() holds when a line is complete: at most
	 * CONTROL_MAX_LINE - 1 bytes, the newline replaced by a NUL. */
	n = size < sizeof(cl.in) - 1 ? size : sizeof(cl.in) - 1;
	memcpy(cl.in, data, n);
	cl.in[n] = '\0';
	cl.inlen = n;
	nl = memchr(cl.in, '\n', n);
	if (nl != NULL)
		*nl = '\0';
	client_command(&cl, cl.in);
	if (!json_ok(&cl.out)) {
		json_reset(&cl.out);
		control_reply_error(&cl, "reply too large");
	}

	if (!cl.got_command || ctl.served != 1)
		abort();
	if (cl.follow) {
		/* events: no reply, the stream follows. */
		if (cl.out.len != 0 || ctl.nfollowers != 1)
			abort();
	} else {
		if (cl.out.len < 2 || cl.out.buf[cl.out.len - 1] != '\n')
			abort();
		jansson_require_valid(cl.out.buf, cl.out.len);
	}
	json_free(&cl.out);
	return 0;
}
