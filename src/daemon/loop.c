/* loop: the epoll event loop and its fd registry. */
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "clock.h"
#include "loop.h"

#define LOOP_MAX_EVENTS 64

int loop_init(struct loop *l)
{
	SLIST_INIT(&l->dead);
	l->on_wake = NULL;
	l->wake_arg = NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	return l->epfd < 0 ? -1 : 0;
}

static void loop_reap(struct loop *l)
{
	struct watcher *w;

	while ((w = SLIST_FIRST(&l->dead)) != NULL) {
		SLIST_REMOVE_HEAD(&l->dead, dead_link);
		if (w->release)
			w->release(w);
	}
}

void loop_fini(struct loop *l)
{
	loop_reap(l);
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = -1;
}

int loop_add(struct loop *l, struct watcher *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	w->dead = 0;
	return epoll_ctl(l->epfd, EPOLL_CTL_ADD, w->fd, &ev);
}

int loop_mod(struct loop *l, struct watcher *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, w->fd, &ev);
}

void loop_del(struct loop *l, struct watcher *w)
{
	if (w->dead)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->dead = 1;
	SLIST_INSERT_HEAD(&l->dead, w, dead_link);
}

int loop_run_once(struct loop *l, int timeout_ms)
{
	struct epoll_event evs[LOOP_MAX_EVENTS];
	int n, i;

	n = epoll_wait(l->epfd, evs, LOOP_MAX_EVENTS, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	l->now_ms = clock_mono_ms();
	l->now_wall = clock_wall();
	if (l->on_wake)
		l->on_wake(l->wake_arg);
	for (i = 0; i < n; i++) {
		struct watcher *w = evs[i].data.ptr;

		if (!w->dead)
			w->cb(w, evs[i].events);
	}
	loop_reap(l);
	return n;
}
