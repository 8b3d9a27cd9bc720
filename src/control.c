/* control: the UNIX control socket — line commands in, JSON out. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control.h"
#include "log.h"

static void client_release(struct watcher *w)
{
	struct control_client *cl = w->arg;

	json_free(&cl->out);
	free(cl);
}

static void client_close(struct control_client *cl)
{
	struct control *ctl = cl->ctl;

	LIST_REMOVE(cl, link);
	ctl->nclients--;
	if (cl->follow)
		ctl->nfollowers--;
	loop_del(ctl->loop, &cl->w);
	close(cl->w.fd);
}

/* Write what is queued; close when done unless following. */
static void client_flush(struct control_client *cl)
{
	ssize_t n;

	while (cl->sent < cl->out.len) {
		n = send(cl->w.fd, cl->out.buf + cl->sent,
			 cl->out.len - cl->sent, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (!cl->want_out)
					loop_mod(cl->ctl->loop, &cl->w,
						 EPOLLIN | EPOLLOUT);
				cl->want_out = true;
				return;
			}
			client_close(cl);
			return;
		}
		cl->sent += (size_t)n;
		cl->active = true;
	}
	json_reset(&cl->out);
	cl->sent = 0;
	if (!cl->follow) {
		client_close(cl);
		return;
	}
	if (cl->want_out)
		loop_mod(cl->ctl->loop, &cl->w, EPOLLIN);
	cl->want_out = false;
}

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

static void client_cb(struct watcher *w, uint32_t revents)
{
	struct control_client *cl = w->arg;
	char *nl;
	ssize_t n;

	if (revents & EPOLLOUT) {
		client_flush(cl);
		if (w->dead)
			return;
	}
	if (!(revents & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	if (cl->got_command) {
		/* One command per connection; a follower only listens. */
		char sink[256];

		n = recv(w->fd, sink, sizeof(sink), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			client_close(cl);
		return;
	}
	n = recv(w->fd, cl->in + cl->inlen, sizeof(cl->in) - 1 - cl->inlen,
		 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(cl);
		return;
	}
	cl->inlen += (size_t)n;
	cl->in[cl->inlen] = '\0';
	nl = memchr(cl->in, '\n', cl->inlen);
	if (nl == NULL) {
		if (cl->inlen + 1 >= sizeof(cl->in)) {
			cl->ctl->refused++;
			control_reply_error(cl, "command line too long");
			client_flush(cl);
		}
		return;
	}
	*nl = '\0';
	client_command(cl, cl->in);
	if (!json_ok(&cl->out)) {
		json_reset(&cl->out);
		control_reply_error(cl, "reply too large");
	}
	client_flush(cl);
}

static void listen_cb(struct watcher *w, uint32_t revents)
{
	struct control *ctl = w->arg;
	struct control_client *cl;
	struct ucred uc;
	socklen_t uclen = sizeof(uc);
	int fd;

	(void)revents;
	fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (ctl->nclients >= CONTROL_MAX_CLIENTS) {
		ctl->refused++;
		close(fd);
		return;
	}
	cl = calloc(1, sizeof(*cl));
	if (cl == NULL) {
		close(fd);
		return;
	}
	cl->ctl = ctl;
	/* Stamped by the next tick, with the tick's own clock. */
	cl->active = true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &uclen) == 0 &&
	    uclen == sizeof(uc)) {
		cl->uid = uc.uid;
		cl->uid_known = true;
	}
	json_init(&cl->out, CONTROL_MAX_REPLY);
	cl->w.fd = fd;
	cl->w.cb = client_cb;
	cl->w.arg = cl;
	cl->w.release = client_release;
	if (loop_add(ctl->loop, &cl->w, EPOLLIN) < 0) {
		close(fd);
		json_free(&cl->out);
		free(cl);
		return;
	}
	LIST_INSERT_HEAD(&ctl->clients, cl, link);
	ctl->nclients++;
}

int control_open(struct control *ctl, struct loop *loop, const char *path,
		 const struct control_cmd *cmds, size_t ncmds, void *arg,
		 char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old_umask;
	int fd, probe;

	memset(ctl, 0, sizeof(*ctl));
	LIST_INIT(&ctl->clients);
	ctl->loop = loop;
	ctl->cmds = cmds;
	ctl->ncmds = ncmds;
	ctl->arg = arg;
	ctl->w.fd = -1;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "control socket path %s is too long "
			 "(max %zu bytes)", path, sizeof(sun.sun_path) - 1);
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
				 "with -s", path);
			return -1;
		}
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove stale control socket %s: "
			 "%s", path, strerror(errno));
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
	ctl->w.fd = fd;
	ctl->w.cb = listen_cb;
	ctl->w.arg = ctl;
	if (loop_add(loop, &ctl->w, EPOLLIN) < 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		close(fd);
		unlink(path);
		ctl->w.fd = -1;
		return -1;
	}
	return 0;
}

void control_close(struct control *ctl)
{
	struct control_client *cl;

	while ((cl = LIST_FIRST(&ctl->clients)) != NULL)
		client_close(cl);
	if (ctl->w.fd >= 0) {
		loop_del(ctl->loop, &ctl->w);
		close(ctl->w.fd);
		ctl->w.fd = -1;
		if (unlink(ctl->path) < 0 && errno != ENOENT)
			log_warn("cannot remove control socket %s", ctl->path);
	}
}

void control_tick(struct control *ctl, uint64_t now_ms)
{
	struct control_client *cl, *next;

	for (cl = LIST_FIRST(&ctl->clients); cl != NULL; cl = next) {
		next = LIST_NEXT(cl, link);
		if (cl->follow && cl->sent == cl->out.len)
			cl->active = true;
		if (cl->active) {
			cl->active = false;
			cl->quiet_ms = now_ms;
		} else if (now_ms - cl->quiet_ms >= CONTROL_IDLE_MS) {
			ctl->timed_out++;
			client_close(cl);
		}
	}
}

bool control_client_may_change(const struct control_client *cl)
{
	/* geteuid() now: the user rstmond runs as after dropping root. */
	return cl->uid_known && (cl->uid == 0 || cl->uid == geteuid());
}

void control_reply_denied(struct control_client *cl, const char *verb)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "%.32s: permission denied: only root or "
		 "uid %u (rstmond's user) may change the daemon's state",
		 verb, (unsigned int)geteuid());
	control_reply_error(cl, msg);
}

struct json *control_reply(struct control_client *cl)
{
	return &cl->out;
}

void control_reply_error(struct control_client *cl, const char *msg)
{
	json_obj_begin(&cl->out, NULL);
	json_str(&cl->out, "error", msg);
	json_obj_end(&cl->out);
	json_raw(&cl->out, "\n", 1);
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
	struct control_client *cl, *next;

	for (cl = LIST_FIRST(&ctl->clients); cl != NULL; cl = next) {
		next = LIST_NEXT(cl, link);
		if (!cl->follow)
			continue;
		if (cl->out.len - cl->sent + len > max_backlog) {
			ctl->followers_dropped++;
			client_close(cl);
			continue;
		}
		json_raw(&cl->out, data, len);
	}
}

void control_flush(struct control *ctl)
{
	struct control_client *cl, *next;

	for (cl = LIST_FIRST(&ctl->clients); cl != NULL; cl = next) {
		next = LIST_NEXT(cl, link);
		if (cl->follow && cl->out.len > cl->sent)
			client_flush(cl);
	}
}
