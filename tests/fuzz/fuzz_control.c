/*
 * fuzz_control: one request line of the control socket through
 * client_command(), which splits it into words and runs the verb, then
 * the reply, which must be JSON.  Verbs: the real `top` (the one that
 * parses arguments) and `alerts` over an empty daemon, `events`'s
 * follow, and `echo`, which writes every word back through json_str():
 * hostile bytes straight into the JSON writer.
 *
 * client_take() is static: src/daemon/control.c itself is compiled in
 * here (the real function, not a copy).  It is given the bytes as
 * connset would have received them (at most CONTROL_MAX_LINE - 1,
 * NUL-terminated): the framing (the newline, "command line too long"),
 * the command, the reply — everything but the send, which
 * client_input() does next: the reply is checked where it is queued.
 */
#include "../../src/daemon/control.c"

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
	static char in[CONTROL_MAX_LINE];
	struct detect_params dp;
	struct config cfg;
	bool line, queued;
	size_t n;

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
	LIST_INIT(&ctl.conns.peers);
	ctl.cmds = cmds;
	ctl.ncmds = sizeof(cmds) / sizeof(cmds[0]);
	ctl.arg = &daemon_state;
	memset(&cl, 0, sizeof(cl));
	cl.ctl = &ctl;
	cl.c.in = in;
	json_init(&cl.c.out, CONTROL_MAX_REPLY);

	/* A line, as a client sends it: the newline added when the input
	 * has none (the corpus is commands), unless it fills the buffer. */
	n = size < sizeof(in) - 1 ? size : sizeof(in) - 1;
	memcpy(in, data, n);
	if (memchr(in, '\n', n) == NULL && n + 1 < sizeof(in) - 1)
		in[n++] = '\n';
	in[n] = '\0';
	cl.c.inlen = n;
	line = memchr(in, '\n', n) != NULL;
	queued = client_take(&cl);
	if (queued != (line || n + 1 >= CONTROL_MAX_LINE))
		abort();

	if (line && (!cl.got_command || ctl.served != 1))
		abort();
	if (cl.follow) {
		/* events: no reply, the stream follows. */
		if (cl.c.out.len != 0 || ctl.nfollowers != 1)
			abort();
	} else if (cl.c.out.len > 0) {
		if (cl.c.out.len < 2 || cl.c.out.buf[cl.c.out.len - 1] != '\n')
			abort();
		jansson_require_valid(cl.c.out.buf, cl.c.out.len);
	}
	json_free(&cl.c.out);
	return 0;
}
