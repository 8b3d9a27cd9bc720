/* hook: run the operator's command on alert changes.
 *
 * posix_spawn, never a shell: the command is split once at start-up
 * (hookargs.c) and the alert reaches it as environment variables and as
 * JSON on stdin.  Each child gets its own process group, so that a
 * timeout kills whatever it started too; stdout goes to /dev/null, the
 * first lines of stderr to the log.  At most max_running at once, a
 * small queue behind them that no alert type can hold alone, a cooldown
 * per alert key; every child is reaped (SIGCHLD through the daemon's
 * signalfd, and at exit).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "hook.h"
#include "log.h"

/* stderr read per wakeup, and in all, before the pipe is closed. */
#define ERR_READ_PER_WAKE 16384
#define ERR_READ_MAX (1u << 20)

int hooks_init(struct hooks *h, struct loop *l, const char *cmd,
	       const struct hook_params *p, char *err, size_t errlen)
{
	char why[256];
	int i;

	memset(h, 0, sizeof(*h));
	h->loop = l;
	for (i = 0; i < HOOK_RUNNING_MAX; i++)
		h->child[i].errw.fd = -1;
	if (hook_argv_parse(&h->argv, cmd, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "hook: %s", why);
		return -1;
	}
	if (access(h->argv.argv[0], X_OK) < 0) {
		snprintf(err, errlen, "hook: %s: %s", h->argv.argv[0],
			 strerror(errno));
		return -1;
	}
	if (hook_queue_init(&h->q) < 0) {
		snprintf(err, errlen, "hook: out of memory");
		return -1;
	}
	hooks_set_params(h, p);
	/* Hook lines share no budget with alert lines: 10/s, burst 30. */
	ratelimit_init(&h->log, 10, 30);
	return 0;
}

void hooks_set_params(struct hooks *h, const struct hook_params *p)
{
	h->p = *p;
	if (h->p.max_running > HOOK_RUNNING_MAX)
		h->p.max_running = HOOK_RUNNING_MAX;
	if (h->p.max_running == 0)
		h->p.max_running = 1;
}

static void hlog(struct hooks *h, uint64_t now_ms, bool warn, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));

/* A rate-limited log line: a hook that fails every second, or floods
 * stderr, must not flood the log. */
static void hlog(struct hooks *h, uint64_t now_ms, bool warn, const char *fmt,
		 ...)
{
	char line[512];
	va_list ap;

	if (!ratelimit_take(&h->log, now_ms))
		return;
	if (h->log.suppressed > 0) {
		log_warnx("action=hook state=suppressed lines=%llu",
			  (unsigned long long)h->log.suppressed);
		h->log.suppressed = 0;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (warn)
		log_warnx("%s", line);
	else
		log_info("%s", line);
}

unsigned int hooks_running(const struct hooks *h)
{
	unsigned int i, n = 0;

	for (i = 0; i < HOOK_RUNNING_MAX; i++)
		if (h->child[i].pid > 0)
			n++;
	return n;
}

/* --- stderr ------------------------------------------------------------ */

static void flush_line(struct hook_child *c)
{
	uint64_t now = clock_mono_ms();

	if (c->linelen == 0)
		return;
	c->line[c->linelen] = '\0';
	if (c->lines < HOOK_ERR_LINES) {
		c->lines++;
		hlog(c->owner, now, true, "action=hook pid=%d stderr=\"%s\"",
		     (int)c->pid, c->line);
	} else {
		c->err_dropped += c->linelen;
	}
	c->linelen = 0;
}

static void close_err(struct hook_child *c)
{
	flush_line(c);
	if (c->err_dropped > 0)
		hlog(c->owner, clock_mono_ms(), true,
		     "action=hook pid=%d stderr_truncated bytes=%llu",
		     (int)c->pid, (unsigned long long)c->err_dropped);
	loop_del(c->owner->loop, &c->errw);
}

/* A slot is free once its child is reaped and its stderr closed. */
static void err_release(struct watcher *w)
{
	struct hook_child *c = w->arg;

	close(w->fd);
	w->fd = -1;
	if (c->exited)
		c->pid = 0;
}

static void err_cb(struct watcher *w, uint32_t revents)
{
	struct hook_child *c = w->arg;
	char buf[4096];
	size_t total = 0;
	ssize_t n;

	(void)revents;
	while (total < ERR_READ_PER_WAKE) {
		ssize_t i;

		n = read(w->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			close_err(c);
			return;
		}
		total += (size_t)n;
		for (i = 0; i < n; i++) {
			if (c->lines >= HOOK_ERR_LINES) {
				c->err_dropped += (uint64_t)(n - i);
				break;
			}
			if (buf[i] == '\n' || c->linelen == HOOK_ERR_LINE_LEN) {
				flush_line(c);
				if (buf[i] == '\n')
					continue;
			}
			/* Control bytes would forge or garble log lines. */
			c->line[c->linelen++] =
				(buf[i] >= 0x20 && buf[i] != 0x7f &&
				 buf[i] != '"') ?
					buf[i] :
					'?';
		}
		if (c->err_dropped > ERR_READ_MAX) {
			/* Enough: the child gets EPIPE from now on. */
			close_err(c);
			return;
		}
	}
}

/* --- running ----------------------------------------------------------- */

static struct hook_child *free_slot(struct hooks *h)
{
	int i;

	for (i = 0; i < HOOK_RUNNING_MAX; i++)
		if (h->child[i].pid == 0 && h->child[i].errw.fd < 0)
			return &h->child[i];
	return NULL;
}

static void stdin_write(struct hooks *h, int fd, const struct hook_job *job,
			uint64_t now_ms)
{
	ssize_t n = write(fd, job->stdin_buf, job->stdin_len);

	/* Short only with a pipe shrunk below 64 KiB (a user over
	 * fs.pipe-user-pages-soft): said, never silent. */
	if (n < 0)
		hlog(h, now_ms, true, "action=hook stdin %s: %s", job->label,
		     strerror(errno));
	else if ((size_t)n < job->stdin_len)
		hlog(h, now_ms, true,
		     "action=hook stdin_truncated %s "
		     "bytes=%zd of=%zu",
		     job->label, n, job->stdin_len);
}

static int spawn(struct hooks *h, struct hook_child *c,
		 const struct hook_job *job, uint64_t now_ms)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int in[2] = { -1, -1 }, ep[2] = { -1, -1 }, rc;
	sigset_t none, all;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(ep, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	/* The JSON fits in the pipe (HOOK_STDIN_MAX, its 64 KiB): write
	 * it all now and close, so that nothing waits on the child. */
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	if (job->stdin_len > 0)
		stdin_write(h, in[1], job, now_ms);
	close(in[1]);
	fcntl(ep[0], F_SETFL, O_NONBLOCK);

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
	posix_spawnattr_init(&at);
	/* Its own process group (killed whole at a timeout), no signal
	 * blocked (the daemon blocks its own for signalfd), defaults. */
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
					      POSIX_SPAWN_SETSIGMASK |
					      POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	rc = posix_spawn(&pid, h->argv.argv[0], &fa, &at, h->argv.argv,
			 (char *const *)job->env.envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(in[0]);
	close(ep[1]);
	if (rc != 0) {
		close(ep[0]);
		errno = rc;
		return -1;
	}
	memset(c, 0, sizeof(*c));
	c->owner = h;
	c->pid = pid;
	snprintf(c->label, sizeof(c->label), "%s", job->label);
	c->started_ms = now_ms;
	c->deadline_ms = now_ms + h->p.timeout_ms;
	c->errw.fd = ep[0];
	c->errw.cb = err_cb;
	c->errw.arg = c;
	c->errw.release = err_release;
	if (loop_add(h->loop, &c->errw, EPOLLIN) < 0) {
		/* No stderr then; the child still runs and is reaped. */
		close(ep[0]);
		c->errw.fd = -1;
	}
	return 0;
}

static void start(struct hooks *h, const struct hook_job *job, uint64_t now_ms)
{
	struct hook_child *c = free_slot(h);

	if (c == NULL || spawn(h, c, job, now_ms) < 0) {
		h->spawn_errors++;
		hlog(h, now_ms, true, "action=hook state=error %s: %s",
		     job->label, c == NULL ? "no free slot" : strerror(errno));
		return;
	}
	h->started++;
	hlog(h, now_ms, false, "action=hook state=started %s pid=%d",
	     job->label, (int)c->pid);
}

/*
 * The cooldown entry of a key, or a new one in its place: a free slot,
 * else a closed entry past its cooldown, else the oldest closed one, else
 * the oldest.  The table is bounded; forgetting an old key only lets its
 * next raise run.
 */
static struct hook_cooldown *cooldown_slot(struct hooks *h, uint64_t key,
					   uint64_t now_ms, bool *found)
{
	struct hook_cooldown *best = NULL;
	uint64_t cool = (uint64_t)h->p.cooldown_s * 1000;
	int best_rank = 4, rank;
	unsigned int i;

	*found = false;
	key |= 1; /* never 0, the free mark */
	for (i = 0; i < HOOK_COOLDOWN_KEYS; i++) {
		struct hook_cooldown *e = &h->cool[i];

		if (e->key_hash == key) {
			*found = true;
			return e;
		}
		if (e->key_hash == 0)
			rank = 0;
		else if (!e->open && now_ms - e->raised_ms >= cool)
			rank = 1;
		else
			rank = e->open ? 3 : 2;
		if (rank < best_rank ||
		    (rank == best_rank && e->raised_ms < best->raised_ms)) {
			best = e;
			best_rank = rank;
		}
	}
	memset(best, 0, sizeof(*best));
	best->key_hash = key;
	return best;
}

/* A run that will not happen: if it was a raise, its clear is no news
 * and its next raise may run. */
static void forget(struct hooks *h, const struct hook_job *job)
{
	uint64_t key = job->key_hash | 1;
	unsigned int i;

	if (!job->raise)
		return;
	for (i = 0; i < HOOK_COOLDOWN_KEYS; i++)
		if (h->cool[i].key_hash == key) {
			h->cool[i].open = false;
			h->cool[i].raised_ms = 0;
			return;
		}
}

/* reason: busy (all slots run, the queue is full), or evicted (its
 * place went to a run of a type with fewer waiting). */
static void drop(struct hooks *h, uint64_t now_ms, const struct hook_job *job,
		 const char *reason)
{
	h->dropped_busy++;
	hlog(h, now_ms, true,
	     "action=hook state=dropped %s reason=%s "
	     "running=%u queued=%u",
	     job->label, reason, hooks_running(h), h->q.len);
	forget(h, job);
}

void hooks_submit(struct hooks *h, uint64_t now_ms, const struct hook_job *job)
{
	struct hook_cooldown *e;
	bool found;
	int i;

	e = cooldown_slot(h, job->key_hash, now_ms, &found);
	if (job->raise) {
		if (found && e->raised_ms != 0 &&
		    now_ms - e->raised_ms < (uint64_t)h->p.cooldown_s * 1000) {
			h->skipped_cooldown++;
			hlog(h, now_ms, false,
			     "action=hook state=skipped %s "
			     "reason=cooldown",
			     job->label);
			return;
		}
		e->raised_ms = now_ms;
		e->open = true;
	} else {
		/* The clear of a raise that did not run is not news. */
		if (!found || !e->open)
			return;
		e->open = false;
	}
	if (hooks_running(h) < h->p.max_running && h->q.len == 0) {
		/* Its type's turn, as if it had waited. */
		h->q.last_type = job->type;
		start(h, job, now_ms);
		return;
	}
	i = hook_queue_place(&h->q, job->type);
	if (i < 0) {
		drop(h, now_ms, job, "busy");
		return;
	}
	if (h->q.seq[i] != 0)
		drop(h, now_ms, &h->q.job[i], "evicted");
	hook_queue_put(&h->q, i, job);
}

static void log_exit(struct hooks *h, struct hook_child *c, uint64_t now_ms)
{
	unsigned long long ms = (unsigned long long)(now_ms - c->started_ms);

	if (WIFEXITED(c->status) && WEXITSTATUS(c->status) == 0) {
		h->exited_ok++;
		hlog(h, now_ms, false,
		     "action=hook state=exited %s pid=%d "
		     "status=0 ms=%llu",
		     c->label, (int)c->pid, ms);
	} else if (WIFEXITED(c->status)) {
		h->failed++;
		hlog(h, now_ms, true,
		     "action=hook state=failed %s pid=%d "
		     "status=%d ms=%llu",
		     c->label, (int)c->pid, WEXITSTATUS(c->status), ms);
	} else {
		h->failed++;
		hlog(h, now_ms, true,
		     "action=hook state=killed %s pid=%d "
		     "signal=%s%s ms=%llu",
		     c->label, (int)c->pid,
		     sigabbrev_np(WTERMSIG(c->status)) ?
			     sigabbrev_np(WTERMSIG(c->status)) :
			     "?",
		     c->termed ? " reason=timeout" : "", ms);
	}
}

void hooks_reap(struct hooks *h, uint64_t now_ms)
{
	int i;

	for (i = 0; i < HOOK_RUNNING_MAX; i++) {
		struct hook_child *c = &h->child[i];

		if (c->pid <= 0 || c->exited)
			continue;
		if (waitpid(c->pid, &c->status, WNOHANG) != c->pid)
			continue;
		c->exited = true;
		log_exit(h, c, now_ms);
		if (c->errw.fd < 0)
			c->pid = 0;
	}
}

void hooks_tick(struct hooks *h, uint64_t now_ms)
{
	int i;

	hooks_reap(h, now_ms);
	for (i = 0; i < HOOK_RUNNING_MAX; i++) {
		struct hook_child *c = &h->child[i];

		if (c->pid <= 0)
			continue;
		/* A child (or what it left behind, holding stderr) past
		 * its time: TERM its group, later KILL it. */
		if (!c->termed && now_ms >= c->deadline_ms) {
			c->termed = true;
			h->timed_out++;
			hlog(h, now_ms, true,
			     "action=hook state=timeout %s "
			     "pid=%d after_ms=%u: SIGTERM",
			     c->label, (int)c->pid, h->p.timeout_ms);
			kill(-c->pid, SIGTERM);
		} else if (c->termed && !c->killed &&
			   now_ms >= c->deadline_ms + HOOK_KILL_AFTER_MS) {
			c->killed = true;
			hlog(h, now_ms, true,
			     "action=hook state=timeout %s "
			     "pid=%d: SIGKILL",
			     c->label, (int)c->pid);
			kill(-c->pid, SIGKILL);
		}
	}
	while (h->q.len > 0 && hooks_running(h) < h->p.max_running) {
		i = hook_queue_next(&h->q);
		start(h, &h->q.job[i], now_ms);
		hook_queue_take(&h->q, i);
	}
}

void hooks_fini(struct hooks *h, unsigned int wait_ms)
{
	uint64_t until = clock_mono_ms() + wait_ms;
	bool left;
	int i;

	if (h->loop == NULL)
		return;
	for (i = 0; i < HOOK_RUNNING_MAX; i++)
		if (h->child[i].pid > 0)
			kill(-h->child[i].pid, SIGTERM);
	do {
		left = false;
		hooks_reap(h, clock_mono_ms());
		for (i = 0; i < HOOK_RUNNING_MAX; i++)
			if (h->child[i].pid > 0 && !h->child[i].exited)
				left = true;
		if (left)
			usleep(10000);
	} while (left && clock_mono_ms() < until);
	for (i = 0; i < HOOK_RUNNING_MAX; i++) {
		struct hook_child *c = &h->child[i];

		if (c->pid <= 0)
			continue;
		/* Whatever is left of its group, too. */
		kill(-c->pid, SIGKILL);
		if (!c->exited && waitpid(c->pid, &c->status, 0) == c->pid) {
			c->exited = true;
			log_exit(h, c, clock_mono_ms());
		}
		if (c->errw.fd >= 0) {
			loop_del(h->loop, &c->errw);
			close(c->errw.fd);
			c->errw.fd = -1;
			c->errw.release = NULL;
		}
		c->pid = 0;
	}
	hook_queue_fini(&h->q);
	h->loop = NULL;
}

void hooks_status(struct json *j, const struct hooks *h)
{
	json_obj_begin(j, "hook");
	json_u64(j, "running", hooks_running(h));
	json_u64(j, "queued", h->q.len);
	json_u64(j, "started", h->started);
	json_u64(j, "exited_ok", h->exited_ok);
	json_u64(j, "failed", h->failed);
	json_u64(j, "timed_out", h->timed_out);
	json_u64(j, "spawn_errors", h->spawn_errors);
	json_u64(j, "skipped_cooldown", h->skipped_cooldown);
	json_u64(j, "dropped_busy", h->dropped_busy);
	json_obj_end(j);
}

/* --- the queue ----------------------------------------------------------- */

int hook_queue_init(struct hook_queue *q)
{
	memset(q, 0, sizeof(*q));
	/* About 2 MiB of address space; a slot's pages are touched only
	 * as far as its runs fill them. */
	q->job = calloc(HOOK_QUEUE_MAX, sizeof(*q->job));
	if (q->job == NULL)
		return -1;
	q->next_seq = 1;
	q->last_type = ALERT_TYPE_MAX - 1;
	return 0;
}

void hook_queue_fini(struct hook_queue *q)
{
	free(q->job);
	memset(q, 0, sizeof(*q));
}

static unsigned int type_index(enum alert_type t)
{
	return (unsigned int)t < ALERT_TYPE_MAX ? (unsigned int)t : 0;
}

int hook_queue_place(const struct hook_queue *q, enum alert_type t)
{
	unsigned int n[ALERT_TYPE_MAX] = { 0 }, most = 0, i;
	int victim = -1;

	for (i = 0; i < HOOK_QUEUE_MAX; i++) {
		if (q->seq[i] == 0)
			return (int)i;
		n[type_index(q->job[i].type)]++;
	}
	for (i = 0; i < ALERT_TYPE_MAX; i++)
		if (n[i] > n[most])
			most = i;
	/* Full.  Only a scarcer type takes a place, and only while it then
	 * has no more waiting than the type it takes it from: a flood of
	 * one type (port_scan keys are the attacker's choice) gets no
	 * further, and two types do not trade places back and forth. */
	if (n[type_index(t)] + 2 > n[most])
		return -1;
	for (i = 0; i < HOOK_QUEUE_MAX; i++)
		if (type_index(q->job[i].type) == most &&
		    (victim < 0 || q->seq[i] > q->seq[victim]))
			victim = (int)i;
	return victim;
}

void hook_queue_put(struct hook_queue *q, int slot, const struct hook_job *job)
{
	struct hook_job *to = &q->job[slot];

	/* Not by assignment: envp would point into the caller's job, which
	 * the next alert overwrites. */
	memcpy(to->label, job->label, sizeof(to->label));
	to->key_hash = job->key_hash;
	to->type = job->type;
	to->raise = job->raise;
	hook_env_copy(&to->env, &job->env);
	to->stdin_len = job->stdin_len <= sizeof(to->stdin_buf) ?
				job->stdin_len :
				sizeof(to->stdin_buf);
	memcpy(to->stdin_buf, job->stdin_buf, to->stdin_len);
	if (q->seq[slot] == 0)
		q->len++;
	q->seq[slot] = q->next_seq++;
}

int hook_queue_next(const struct hook_queue *q)
{
	int best[ALERT_TYPE_MAX], i;
	unsigned int k, t;

	for (k = 0; k < ALERT_TYPE_MAX; k++)
		best[k] = -1;
	for (i = 0; i < HOOK_QUEUE_MAX; i++) {
		if (q->seq[i] == 0)
			continue;
		t = type_index(q->job[i].type);
		if (best[t] < 0 || q->seq[i] < q->seq[best[t]])
			best[t] = i;
	}
	/* The next type after the last one served that has a run waiting. */
	for (k = 1; k <= ALERT_TYPE_MAX; k++) {
		t = (type_index(q->last_type) + k) % ALERT_TYPE_MAX;
		if (best[t] >= 0)
			return best[t];
	}
	return -1;
}

void hook_queue_take(struct hook_queue *q, int slot)
{
	if (q->seq[slot] == 0)
		return;
	q->last_type = q->job[slot].type;
	q->seq[slot] = 0;
	q->len--;
}
