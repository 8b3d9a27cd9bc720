/* verbs_bans: `bans` (what rstmond listed in its nft sets) and `unban ADDR`
 * (lift one listing; root or the daemon's own user only). */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon.h"

void verb_bans(struct control_client *cl, int argc, char **argv, void *arg)
{
	struct json *j = control_reply(cl);

	(void)argc;
	(void)argv;
	actions_bans_json(j, &((struct daemon *)arg)->act);
	json_raw(j, "\n", 1);
}

void verb_unban(struct control_client *cl, int argc, char **argv, void *arg)
{
	struct daemon *d = arg;
	uint8_t addr[16] = { 0 };
	uint8_t family;
	struct json *j;
	int lifted;

	if (!control_client_may_change(cl)) {
		control_reply_denied(cl, "unban");
		return;
	}
	if (argc != 2) {
		control_reply_error(cl, "usage: unban ADDRESS");
		return;
	}
	if (inet_pton(AF_INET, argv[1], addr) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, argv[1], addr) == 1)
		family = AF_INET6;
	else {
		control_reply_error(cl, "unban: not an IPv4 or IPv6 address");
		return;
	}
	lifted = actions_unban(&d->act, family, addr);
	j = control_reply(cl);
	json_obj_begin(j, NULL);
	json_str(j, "unban", argv[1]);
	json_bool(j, "was_listed", lifted > 0);
	json_obj_end(j);
	json_raw(j, "\n", 1);
}
