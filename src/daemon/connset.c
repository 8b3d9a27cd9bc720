/* connset: the connections accepted on one listening socket — a bounded
 * number, read into a bounded buffer, answered from a buffer sent without
 * blocking, closed when idle or late. */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "connset.h"

static void peer_release(struct watcher *w)
{
	struct peer *c = w->arg;

	json_free(&c->out);
	free(c);
}

void peer_close(struct peer *c)
{
	struct connset *s = c->set;

	if (s->ops->closing != NULL)
		s->ops->closing(c);
	LIST_REMOVE(c, link);
	s->n--;
	loop_del(s->loop, &c->w);
	close(c->w.fd);
}

/* Read while the peer still writes, unless only output is left. */
static void peer_want(struct peer *c, bool out)
{
	uint32_t ev = (c->in_closed ? 0 : EPOLLIN) | (out ? EPOLLOUT : 0);

	loop_mod(c->set->loop, &c->w, ev);
	c->want_out = out;
}

void peer_send(struct peer *c)
{
	ssize_t n;

	while (c->sent < c->out.len) {
		n = send(c->w.fd, c->out.buf + c->sent, c->out.len - c->sent,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (!c->want_out)
					peer_want(c, true);
				return;
			}
			peer_close(c);
			return;
		}
		c->sent += (size_t)n;
		c->active = true;
	}
	json_reset(&c->out);
	c->sent = 0;
	if (!c->set->ops->drained(c) || c->in_closed) {
		peer_close(c);
		return;
	}
	if (c->want_out)
		peer_want(c, false);
}

static void peer_cb(struct watcher *w, uint32_t revents)
{
	struct peer *c = w->arg;
	char sink[256];
	ssize_t n;

	if (revents & EPOLLOUT) {
		peer_send(c);
		if (w->dead)
			return;
	}
	if (!(revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) || c->in_closed)
		return;
	if (c->discard)
		n = recv(w->fd, sink, sizeof(sink), MSG_DONTWAIT);
	else
		n = recv(w->fd, c->in + c->inlen,
			 c->set->p.inmax - 1 - c->inlen, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* The peer is done (or gone): what is queued still goes,
		 * to one that only shut its sending half. */
		if (n < 0 || c->sent == c->out.len) {
			peer_close(c);
			return;
		}
		c->in_closed = true;
		peer_want(c, true);
		return;
	}
	if (c->discard)
		return;
	c->inlen += (size_t)n;
	c->in[c->inlen] = '\0';
	c->set->ops->input(c);
}

static void listen_cb(struct watcher *w, uint32_t revents)
{
	struct connset *s = w->arg;
	struct peer *c;
	int fd;

	(void)revents;
	fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (s->n >= s->p.max) {
		s->refused++;
		close(fd);
		return;
	}
	c = calloc(1, s->p.conn_size + s->p.inmax);
	if (c == NULL) {
		close(fd);
		return;
	}
	c->set = s;
	c->in = (char *)c + s->p.conn_size;
	c->since_ms = s->loop->now_ms;
	/* Stamped by the next tick, with the tick's own clock. */
	c->active = true;
	json_init(&c->out, s->p.outmax);
	c->w.fd = fd;
	c->w.cb = peer_cb;
	c->w.arg = c;
	c->w.release = peer_release;
	if (!s->ops->accepted(c) || loop_add(s->loop, &c->w, EPOLLIN) < 0) {
		close(fd);
		json_free(&c->out);
		free(c);
		return;
	}
	LIST_INSERT_HEAD(&s->peers, c, link);
	s->n++;
}

int connset_start(struct connset *s, struct loop *loop, int fd,
		  const struct connset_params *p, const struct connset_ops *ops,
		  void *arg)
{
	LIST_INIT(&s->peers);
	s->n = 0;
	s->refused = s->timed_out = 0;
	s->loop = loop;
	s->ops = ops;
	s->arg = arg;
	s->p = *p;
	s->w.fd = fd;
	s->w.cb = listen_cb;
	s->w.arg = s;
	if (loop_add(loop, &s->w, EPOLLIN) < 0) {
		s->loop = NULL;
		return -1;
	}
	return 0;
}

void connset_close(struct connset *s)
{
	struct peer *c;

	if (s->loop == NULL)
		return;
	while ((c = LIST_FIRST(&s->peers)) != NULL)
		peer_close(c);
	loop_del(s->loop, &s->w);
	close(s->w.fd);
	s->loop = NULL;
}

void connset_tick(struct connset *s, uint64_t now_ms)
{
	struct peer *c, *next;

	for (c = LIST_FIRST(&s->peers); c != NULL; c = next) {
		next = LIST_NEXT(c, link);
		if (c->active) {
			c->active = false;
			c->quiet_ms = now_ms;
		}
		if ((s->p.idle_ms > 0 &&
		     now_ms - c->quiet_ms >= s->p.idle_ms) ||
		    (s->p.deadline_ms > 0 &&
		     now_ms - c->since_ms > s->p.deadline_ms)) {
			s->timed_out++;
			peer_close(c);
		}
	}
}
