/* hook: run the operator's command on alert changes — no shell, bounded
 * in number, time and output, every child reaped. */
#ifndef RSTMON_HOOK_H
#define RSTMON_HOOK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hookargs.h"
#include "json.h"
#include "loop.h"
#include "ratelimit.h"

#define HOOK_RUNNING_MAX 64
#define HOOK_QUEUE_MAX 32
#define HOOK_COOLDOWN_KEYS 1024
/* The alert as JSON, its actions list included (ACTION_RECS records at
 * most: about 55 KiB); it fits the pipe's 64 KiB, written at once. */
#define HOOK_STDIN_MAX 65536
/* After SIGTERM at the timeout, SIGKILL this much later. */
#define HOOK_KILL_AFTER_MS 2000
/* stderr: the first lines are logged, the rest read and counted. */
#define HOOK_ERR_LINES 3
#define HOOK_ERR_LINE_LEN 200

struct hook_params {
	uint32_t timeout_ms; /* then SIGTERM, then SIGKILL */
	uint32_t max_running;
	uint32_t cooldown_s; /* per alert key, between raises */
};

/* One run to do: what the hook gets.  env.envp points into env.buf, so a
 * job is copied with hook_queue_put, never by assignment. */
struct hook_job {
	char label[128];      /* "port_scan 192.0.2.7 raised", for logs */
	uint64_t key_hash;    /* alert type + key */
	enum alert_type type; /* the queue takes turns by type */
	bool raise;	      /* a raise starts a cooldown; a clear runs
				 * only if its raise did */
	struct hook_env env;
	size_t stdin_len;
	char stdin_buf[HOOK_STDIN_MAX]; /* last: copied to stdin_len */
};

/*
 * The runs waiting for a free slot, each in storage of its own: at most
 * HOOK_QUEUE_MAX, allocated once.  No alert type can hold it all: when it
 * is full, a run takes the place of the newest run of the type with the
 * most waiting, as long as its own type then has no more waiting than
 * that one; and runs start in turn by type, the oldest of each first.
 */
struct hook_queue {
	struct hook_job *job;	      /* HOOK_QUEUE_MAX slots */
	uint64_t seq[HOOK_QUEUE_MAX]; /* arrival order; 0: free slot */
	uint64_t next_seq;
	unsigned int len;
	enum alert_type last_type; /* whose turn was last */
};

struct hooks;

struct hook_child {
	struct hooks *owner;
	pid_t pid;
	char label[128];
	uint64_t started_ms;
	uint64_t deadline_ms; /* SIGTERM then */
	bool termed;
	bool killed;
	bool exited; /* reaped; the stderr pipe may still drain */
	int status;
	struct watcher errw; /* fd -1 once closed */
	char line[HOOK_ERR_LINE_LEN + 1];
	size_t linelen;
	unsigned int lines;   /* logged */
	uint64_t err_dropped; /* bytes read but not logged */
};

struct hook_cooldown {
	uint64_t key_hash; /* 0: free */
	uint64_t raised_ms;
	bool open; /* its raise ran; its clear will */
};

struct hooks {
	struct loop *loop;
	struct hook_argv argv;
	struct hook_params p;
	struct hook_child child[HOOK_RUNNING_MAX];
	struct hook_queue q;
	struct hook_cooldown cool[HOOK_COOLDOWN_KEYS];
	struct ratelimit log;
	uint64_t started, exited_ok, failed, timed_out, spawn_errors;
	uint64_t skipped_cooldown, dropped_busy;
};

/*
 * cmd: the command line (see hook_argv_parse).  The executable must
 * exist.  Returns 0, or -1 with a one-line reason in err.
 */
int hooks_init(struct hooks *h, struct loop *l, const char *cmd,
	       const struct hook_params *p, char *err, size_t errlen);
/* New limits (a reload); the command stays. */
void hooks_set_params(struct hooks *h, const struct hook_params *p);

/* Run it now, or queue it when max_running are busy. */
void hooks_submit(struct hooks *h, uint64_t now_ms, const struct hook_job *job);
/* SIGCHLD: reap what exited. */
void hooks_reap(struct hooks *h, uint64_t now_ms);
/* Timeouts (TERM, then KILL), queued jobs.  Every second or so. */
void hooks_tick(struct hooks *h, uint64_t now_ms);
unsigned int hooks_running(const struct hooks *h);
/*
 * Exit: TERM every child's process group, wait up to wait_ms for them,
 * KILL what is left, reap everything.
 */
void hooks_fini(struct hooks *h, unsigned int wait_ms);

void hooks_status(struct json *j, const struct hooks *h);

/* The queue alone (no I/O; hooks_submit and hooks_tick use it).  Returns 0,
 * or -1 with errno ENOMEM. */
int hook_queue_init(struct hook_queue *q);
void hook_queue_fini(struct hook_queue *q);
/*
 * Where a run of type t may wait: a free slot; when none is, the slot of
 * the newest run of the type with the most waiting, if t then has no
 * more waiting than that type (the caller sees q->seq[slot] != 0 and
 * drops that run); else -1.
 */
int hook_queue_place(const struct hook_queue *q, enum alert_type t);
/* Copy job into that slot: env, envp and stdin its own from now on. */
void hook_queue_put(struct hook_queue *q, int slot, const struct hook_job *job);
/* The slot of the next run to start (in turn by type, the oldest of
 * each first), or -1 when none waits. */
int hook_queue_next(const struct hook_queue *q);
/* The run in slot has started: its slot is free, its type had its turn. */
void hook_queue_take(struct hook_queue *q, int slot);

#endif
