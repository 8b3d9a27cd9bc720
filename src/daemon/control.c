/* control: the UNIX control socket — line commands in, JSON out. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control.h"
#include "log.h"

static void client_command(struct control_client *cl, char *line)
{
	struct control *ctl = cl->ctl;
	char *argv[CONTROL_MAX_ARGS + 1], *save = NULL, *tok;
	int argc = 0;
	size_t i;

	for (tok = strtok_r(line, " \t\r", &save);
	     tok != NULL && argc < CONTROL_MAX_ARGS;
	     tok = strtok_r(NULL, " \t\r", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	cl->got_command = true;
	ctl->served++;
	if (argc == 0) {
		control_reply_error(cl, "empty command");
		return;
	}
	for (i = 0; i < ctl->ncmds; i++) {
		if (strcmp(ctl->cmds[i].name, argv[0]) == 0) {
			ctl->cmds[i].fn(cl, argc, argv, ctl->arg);
			return;
		}
	}
	control_reply_error(cl, "unknown command");
}

/*
 * The bytes so far (c->in): when they hold a line, or can hold no more,
 * queue the reply and say so.  Without the socket (fuzz_control).
 */
static bool client_take(struct control_client *cl)
{
	struct peer *c = &cl->c;
	char *nl;

	nl = memchr(c->in, '\n', c->inlen);
	if (nl == NULL) {
		if (c->inlen + 1 < CONTROL_MAX_LINE)
			return false;
		cl->ctl->refused++;
		c->discard = true;
		control_reply_error(cl, "command line too long");
		return true;
	}
	*nl = '\0';
	/* One command per connection; a follower only listens. */
	c->discard = true;
	client_command(cl, c->in);
	if (!json_ok(&c->out)) {
		json_reset(&c->out);
		control_reply_error(cl, "reply too large");
	}
	return true;
}

static void client_input(struct peer *c)
{
	if (client_take((struct control_client *)c))
		peer_send(c);
}

/* The reply is out: a follower stays, to be sent the stream. */
static bool client_drained(struct peer *c)
{
	return ((struct control_client *)c)->follow;
}

static bool client_accepted(struct peer *c)
{
	struct control_client *cl = (struct control_client *)c;
	struct ucred uc;
	socklen_t uclen = sizeof(uc);

	cl->ctl = c->set->arg;
	if (getsockopt(c->w.fd, SOL_SOCKET, SO_PEERCRED, &uc, &uclen) == 0 &&
	    uclen == sizeof(uc)) {
		cl->uid = uc.uid;
		cl->uid_known = true;
	}
	return true;
}

static void client_closing(struct peer *c)
{
	struct control_client *cl = (struct control_client *)c;

	if (cl->follow)
		cl->ctl->nfollowers--;
}

static const struct connset_ops client_ops = {
	client_accepted,
	client_input,
	client_drained,
	client_closing,
};

static const struct connset_params client_params = {
	.conn_size = sizeof(struct control_client),
	.inmax = CONTROL_MAX_LINE,
	.outmax = CONTROL_MAX_REPLY,
	.max = CONTROL_MAX_CLIENTS,
	.idle_ms = CONTROL_IDLE_MS,
};

int control_open(struct control *ctl, struct loop *loop, const char *path,
		 const struct control_cmd *cmds, size_t ncmds, void *arg,
		 char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old_umask;
	int fd, probe;

	memset(ctl, 0, sizeof(*ctl));
	ctl->cmds = cmds;
	ctl->ncmds = ncmds;
	ctl->arg = arg;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen,
			 "control socket path %s is too long "
			 "(max %zu bytes)",
			 path, sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);

	/* Someone answering there means another daemon: do not steal it. */
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0) {
		int r = connect(probe, (struct sockaddr *)&sun, sizeof(sun));

		close(probe);
		if (r == 0) {
			snprintf(err, errlen,
				 "control socket %s is in use by a running "
				 "rstmond; stop it or choose another path "
				 "with -s",
				 path);
			return -1;
		}
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, errlen,
			 "cannot remove stale control socket %s: "
			 "%s",
			 path, strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "control socket: %s", strerror(errno));
		return -1;
	}
	old_umask = umask(S_IXUSR | S_IXGRP | S_IRWXO);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(err, errlen, "control socket %s: %s", path,
			 strerror(errno));
		umask(old_umask);
		close(fd);
		return -1;
	}
	umask(old_umask);
	if (chmod(path, 0660) < 0 || listen(fd, 16) < 0) {
		snprintf(err, errlen, "control socket %s: %s", path,
			 strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	memcpy(ctl->path, path, strlen(path) + 1);
	if (connset_start(&ctl->conns, loop, fd, &client_params, &client_ops,
			  ctl) < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	ctl->open = true;
	return 0;
}

void control_close(struct control *ctl)
{
	if (!ctl->open)
		return;
	connset_close(&ctl->conns);
	ctl->open = false;
	if (unlink(ctl->path) < 0 && errno != ENOENT)
		log_warn("cannot remove control socket %s", ctl->path);
}

void control_tick(struct control *ctl, uint64_t now_ms)
{
	struct peer *c;

	/* A follower with nothing queued waits for resets: not idle. */
	LIST_FOREACH(c, &ctl->conns.peers, link)
	if (((struct control_client *)c)->follow && c->sent == c->out.len)
		c->active = true;
	connset_tick(&ctl->conns, now_ms);
}

bool control_client_may_change(const struct control_client *cl)
{
	/* geteuid() now: the user rstmond runs as after dropping root. */
	return cl->uid_known && (cl->uid == 0 || cl->uid == geteuid());
}

void control_reply_denied(struct control_client *cl, const char *verb)
{
	char msg[160];

	snprintf(msg, sizeof(msg),
		 "%.32s: permission denied: only root or "
		 "uid %u (rstmond's user) may change the daemon's state",
		 verb, (unsigned int)geteuid());
	control_reply_error(cl, msg);
}

struct json *control_reply(struct control_client *cl)
{
	return &cl->c.out;
}

void control_reply_error(struct control_client *cl, const char *msg)
{
	json_obj_begin(&cl->c.out, NULL);
	json_str(&cl->c.out, "error", msg);
	json_obj_end(&cl->c.out);
	json_raw(&cl->c.out, "\n", 1);
}

void control_follow(struct control_client *cl)
{
	if (!cl->follow)
		cl->ctl->nfollowers++;
	cl->follow = true;
}

bool control_has_followers(const struct control *ctl)
{
	return ctl->nfollowers > 0;
}

void control_broadcast(struct control *ctl, const char *data, size_t len,
		       size_t max_backlog)
{
	struct peer *c, *next;

	for (c = LIST_FIRST(&ctl->conns.peers); c != NULL; c = next) {
		next = LIST_NEXT(c, link);
		if (!((struct control_client *)c)->follow)
			continue;
		if (c->out.len - c->sent + len > max_backlog) {
			ctl->followers_dropped++;
			peer_close(c);
			continue;
		}
		json_raw(&c->out, data, len);
	}
}

void control_flush(struct control *ctl)
{
	struct peer *c, *next;

	for (c = LIST_FIRST(&ctl->conns.peers); c != NULL; c = next) {
		next = LIST_NEXT(c, link);
		if (((struct control_client *)c)->follow &&
		    c->out.len > c->sent)
			peer_send(c);
	}
}
