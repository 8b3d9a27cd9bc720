/* loop: the epoll event loop and its fd registry. */
#ifndef RSTMON_LOOP_H
#define RSTMON_LOOP_H

#include <stdint.h>
#include <sys/queue.h>

struct loop;
struct watcher;

typedef void (*watcher_fn)(struct watcher *w, uint32_t revents);

/*
 * A registered fd.  A callback may delete any watcher, itself included:
 * a deleted watcher gets no more events, and its release function (if
 * any) runs only after the whole batch of events has been dispatched.
 */
struct watcher {
	int fd;
	watcher_fn cb;
	void *arg;
	void (*release)(struct watcher *w);
	int dead;
	SLIST_ENTRY(watcher) dead_link;
};

struct loop {
	int epfd;
	SLIST_HEAD(, watcher) dead;
	/* One clock reading per wakeup, shared by every callback of that
	 * wakeup (clock.h): monotonic ms, and epoch seconds for people. */
	uint64_t now_ms;
	int64_t now_wall;
	/* Called once per wakeup, after the clock, before dispatching. */
	void (*on_wake)(void *arg);
	void *wake_arg;
};

int loop_init(struct loop *l); /* -1 + errno */
void loop_fini(struct loop *l);
int loop_add(struct loop *l, struct watcher *w, uint32_t events);
int loop_mod(struct loop *l, struct watcher *w, uint32_t events);
void loop_del(struct loop *l, struct watcher *w);
/* Wait up to timeout_ms and dispatch; -1 + errno on failure. */
int loop_run_once(struct loop *l, int timeout_ms);

#endif
