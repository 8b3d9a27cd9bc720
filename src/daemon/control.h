/* control: the UNIX control socket — line commands in, JSON out. */
#ifndef RSTMON_CONTROL_H
#define RSTMON_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

#include "connset.h"
#include "json.h"
#include "loop.h"

#define CONTROL_MAX_CLIENTS 64
#define CONTROL_MAX_LINE 1024
#define CONTROL_MAX_ARGS 16
/* A reply larger than this is refused rather than built. */
#define CONTROL_MAX_REPLY (16u << 20)

struct control_client;

/*
 * A command handler fills the client's reply (control_reply) and
 * returns; the reply is sent and the connection closed, unless the
 * handler called control_follow() to keep streaming to it.
 */
typedef void (*control_handler)(struct control_client *cl, int argc,
				char **argv, void *arg);

struct control_cmd {
	const char *name;
	control_handler fn;
};

struct control {
	struct connset conns; /* the clients, CONTROL_MAX_CLIENTS at most */
	bool open;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const struct control_cmd *cmds;
	size_t ncmds;
	void *arg;
	uint64_t served;
	uint64_t refused;	    /* bad input (conns.refused: too many) */
	uint64_t followers_dropped; /* too slow to keep up */
	unsigned int nfollowers;
};

/* A client that makes no progress for this long is closed (see below). */
#define CONTROL_IDLE_MS 10000

struct control_client {
	struct peer c; /* first: connset allocates the whole */
	struct control *ctl;
	uid_t uid; /* the peer's, from SO_PEERCRED */
	bool uid_known;
	bool follow;
	bool got_command;
};

/*
 * Create the socket at path (mode 0660).  Refuses when a daemon already
 * answers there; removes a stale socket file.  Returns 0, or -1 with a
 * message in err.
 */
int control_open(struct control *ctl, struct loop *loop, const char *path,
		 const struct control_cmd *cmds, size_t ncmds, void *arg,
		 char *err, size_t errlen);
/* Close every client, close and unlink the socket. */
void control_close(struct control *ctl);
/*
 * Close, and count as timed out, the clients idle for CONTROL_IDLE_MS:
 * one that has not sent its command that long after connecting, or
 * whose reply (a follower's queued lines) has not moved that long.  A
 * follower with nothing queued is waiting for resets, not idle.  Call
 * once a second with the wakeup's clock: the only clock used here.
 */
void control_tick(struct control *ctl, uint64_t now_ms);

/*
 * May this client change the daemon's state (reload, and any verb that
 * changes something)?  Only root and the user rstmond runs as: the
 * socket's group may read, not act.  Verbs that change state call it
 * first and, when it says no, answer control_reply_denied().
 */
bool control_client_may_change(const struct control_client *cl);
void control_reply_denied(struct control_client *cl, const char *verb);

struct json *control_reply(struct control_client *cl);
void control_reply_error(struct control_client *cl, const char *msg);
void control_follow(struct control_client *cl);
/*
 * Queue bytes to every follower, without a system call (control_flush
 * sends them).  A follower whose backlog would pass max_backlog is
 * disconnected and counted: a slow reader never blocks the daemon.
 */
void control_broadcast(struct control *ctl, const char *data, size_t len,
		       size_t max_backlog);
/* Send what is queued to followers (once per batch). */
void control_flush(struct control *ctl);
/* Are there followers (so that lines are worth formatting)? */
bool control_has_followers(const struct control *ctl);

#endif
