/* verbs: what the control socket answers to, by name (control.h). */
#include "daemon.h"

const struct control_cmd daemon_cmds[] = {
	{ "status", verb_status },   { "events", verb_events },
	{ "top", verb_top },	     { "alerts", verb_alerts },
	{ "metrics", verb_metrics }, { "reload", verb_reload },
	{ "bans", verb_bans },	     { "unban", verb_unban },
};
const unsigned int daemon_ncmds = sizeof(daemon_cmds) / sizeof(daemon_cmds[0]);
