/* procscan: socket inode -> owning process, by a budgeted walk of
 * /proc/PID/fd/N with a bounded, least-recently-seen cache. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "procfd.h"
#include "procfile.h"
#include "procscan.h"

#define PS_WISHES 256
#define PS_NIL UINT32_MAX
#define PS_MAX_CAPACITY (1u << 24)
#define PS_DIRBUF 8192
/* Inodes asked of procfd per call: one round trip to the helper each. */
#define PS_FD_BATCH 128

/* What one process looked like in one walk, shared by its sockets. */
struct ps_proc {
	struct proc_owner o;
	unsigned int refs;
};

struct ps_entry {
	uint64_t inode;
	uint64_t seen_ms;
	struct ps_proc *proc;
	uint32_t walk;	       /* the walk that last saw it */
	uint32_t hnext;	       /* hash chain, or free list */
	uint32_t older, newer; /* seen order */
};

struct ps_wish {
	uint64_t inode;
	bool late; /* made mid-walk: needs a walk of its own */
};

/*
 * A directory read with getdents64 into a fixed buffer: opendir() would
 * allocate 32 KiB per process visited, and the walk must be resumable.
 */
struct ps_dir {
	int fd;
	size_t pos, len;
	char buf[PS_DIRBUF] __attribute__((aligned(8)));
};

struct procscan {
	char *root;
	uint32_t capacity;
	uint32_t hbits;
	uint32_t *bucket;
	struct ps_entry *e;
	uint32_t free;
	uint32_t fresh; /* entries from here on never used yet */
	uint32_t oldest, newest;
	uint32_t count;

	struct ps_wish wish[PS_WISHES];
	unsigned int nwish;

	/* Who lists a process's sockets: this process, or the helper. */
	struct procfd_ops fds;

	/* The walk in progress, kept between steps. */
	struct ps_dir procdir; /* fd -1: no walk */
	bool in_pid;	       /* between processes when false */
	uint64_t fd_cursor;    /* where pid's fd directory goes on */
	uint32_t pid;
	struct ps_proc *cur; /* pid in this walk; NULL until a socket */
	bool pid_gone;
	uint32_t walk;
	uint64_t now;

	struct procscan_stats st;
};

static uint32_t ps_hash(const struct procscan *p, uint64_t inode)
{
	return (uint32_t)((inode * 0x9e3779b97f4a7c15ull) >> (64 - p->hbits));
}

static uint32_t ps_find(const struct procscan *p, uint64_t inode)
{
	uint32_t i;

	for (i = p->bucket[ps_hash(p, inode)]; i != PS_NIL; i = p->e[i].hnext)
		if (p->e[i].inode == inode)
			return i;
	return PS_NIL;
}

static void proc_put(struct ps_proc *pr)
{
	if (pr != NULL && --pr->refs == 0)
		free(pr);
}

static void lru_unlink(struct procscan *p, uint32_t i)
{
	struct ps_entry *e = &p->e[i];

	if (e->older != PS_NIL)
		p->e[e->older].newer = e->newer;
	else
		p->oldest = e->newer;
	if (e->newer != PS_NIL)
		p->e[e->newer].older = e->older;
	else
		p->newest = e->older;
}

static void lru_append(struct procscan *p, uint32_t i)
{
	struct ps_entry *e = &p->e[i];

	e->newer = PS_NIL;
	e->older = p->newest;
	if (p->newest != PS_NIL)
		p->e[p->newest].newer = i;
	else
		p->oldest = i;
	p->newest = i;
}

static void ps_evict(struct procscan *p, uint32_t i)
{
	struct ps_entry *e = &p->e[i];
	uint32_t *link = &p->bucket[ps_hash(p, e->inode)];

	while (*link != i)
		link = &p->e[*link].hnext;
	*link = e->hnext;
	lru_unlink(p, i);
	proc_put(e->proc);
	e->proc = NULL;
	e->hnext = p->free;
	p->free = i;
	p->count--;
	p->st.evicted++;
}

static void ps_expire(struct procscan *p, uint64_t now, uint64_t ttl)
{
	struct ps_entry *e;

	while (p->oldest != PS_NIL) {
		e = &p->e[p->oldest];
		if (now < e->seen_ms || now - e->seen_ms <= ttl)
			break;
		ps_evict(p, p->oldest);
	}
}

/* procfd_ops of this process: its own view of proc_root. */
static int local_sockets(void *arg, uint32_t pid, uint64_t *cursor,
			 unsigned int budget, uint64_t *inodes,
			 unsigned int max, unsigned int *links)
{
	const struct procscan *p = arg;

	return procfd_sockets(p->root, pid, cursor, budget, inodes, max, links);
}

struct procscan *procscan_new(const char *proc_root, unsigned int capacity)
{
	struct procscan *p;
	uint32_t i;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	if (capacity < 1)
		capacity = 1;
	if (capacity > PS_MAX_CAPACITY)
		capacity = PS_MAX_CAPACITY;
	p->capacity = capacity;
	/* At least as many buckets as entries: chains stay short. */
	for (p->hbits = 1; (1u << p->hbits) < capacity; p->hbits++)
		;
	p->root = strdup(proc_root != NULL ? proc_root : "/proc");
	p->bucket = malloc(sizeof(*p->bucket) << p->hbits);
	p->e = calloc(capacity, sizeof(*p->e));
	if (p->root == NULL || p->bucket == NULL || p->e == NULL) {
		procscan_free(p);
		return NULL;
	}
	for (i = 0; i < (1u << p->hbits); i++)
		p->bucket[i] = PS_NIL;
	/* No free list threaded through the table up front: that would
	 * make its megabytes resident before the first entry. */
	p->free = PS_NIL;
	p->fresh = 0;
	p->oldest = p->newest = PS_NIL;
	p->procdir.fd = -1;
	p->fds.sockets = local_sockets;
	p->fds.arg = p;
	return p;
}

void procscan_set_fd_ops(struct procscan *p, const struct procfd_ops *ops)
{
	p->fds = *ops;
}

static void dir_close(struct ps_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	d->pos = d->len = 0;
}

void procscan_free(struct procscan *p)
{
	uint32_t i;

	if (p == NULL)
		return;
	dir_close(&p->procdir);
	proc_put(p->cur);
	if (p->e != NULL)
		for (i = 0; i < p->capacity; i++)
			proc_put(p->e[i].proc);
	free(p->e);
	free(p->bucket);
	free(p->root);
	free(p);
}

bool procscan_lookup(struct procscan *p, uint64_t inode, struct proc_owner *out)
{
	uint32_t i = ps_find(p, inode);

	if (i == PS_NIL)
		return false;
	*out = p->e[i].proc->o;
	return true;
}

void procscan_want(struct procscan *p, uint64_t inode)
{
	unsigned int i;

	/* Inode 0 (TIME_WAIT, SYN_RECV) has no file to find; a known inode
	 * is answered by procscan_lookup() already. */
	if (inode == 0 || ps_find(p, inode) != PS_NIL)
		return;
	for (i = 0; i < p->nwish; i++)
		if (p->wish[i].inode == inode)
			return;
	if (p->nwish == PS_WISHES) {
		memmove(&p->wish[0], &p->wish[1],
			(PS_WISHES - 1) * sizeof(p->wish[0]));
		p->nwish--;
		p->st.wishes_dropped++;
	}
	p->wish[p->nwish].inode = inode;
	p->wish[p->nwish].late = p->procdir.fd >= 0;
	p->nwish++;
}

bool procscan_busy(const struct procscan *p)
{
	return p->nwish > 0;
}

static void wish_met(struct procscan *p, uint64_t inode)
{
	unsigned int i;

	for (i = 0; i < p->nwish; i++) {
		if (p->wish[i].inode != inode)
			continue;
		memmove(&p->wish[i], &p->wish[i + 1],
			(p->nwish - i - 1) * sizeof(p->wish[0]));
		p->nwish--;
		return;
	}
}

/* Next entry name of d, or NULL at the end (or on error: the process
 * went away). */
static const char *dir_next(struct ps_dir *d)
{
	struct dirent64 *de;
	ssize_t n;

	if (d->pos >= d->len) {
		n = getdents64(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;
		d->len = (size_t)n;
		d->pos = 0;
	}
	de = (struct dirent64 *)(void *)(d->buf + d->pos);
	d->pos += de->d_reclen;
	return de->d_name;
}

/* Read a file of process pid into buf (NUL-terminated): length or -1. */
static long read_pid_file(const struct procscan *p, uint32_t pid,
			  const char *name, char *buf, size_t len)
{
	char path[4096];
	int n, dfd = AT_FDCWD;

	if (p->procdir.fd >= 0) {
		dfd = p->procdir.fd;
		n = snprintf(path, sizeof(path), "%u/%s", pid, name);
	} else {
		n = snprintf(path, sizeof(path), "%s/%u/%s", p->root, pid,
			     name);
	}
	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return procfile_read_at(dfd, path, buf, len);
}

const char *procscan_root(const struct procscan *p)
{
	return p->root;
}

void procscan_fill_cgroup(struct procscan *p, struct proc_owner *o)
{
	char text[4096], path[4096], *nl;
	long n;

	o->unit[0] = o->container[0] = o->cgroup[0] = '\0';
	n = read_pid_file(p, o->pid, "cgroup", text, sizeof(text));
	if (n <= 0)
		return;
	/* A full buffer may end inside a line: parse whole lines only. */
	if ((size_t)n == sizeof(text) - 1 && (nl = strrchr(text, '\n')))
		nl[1] = '\0';
	if (cgroup_path_from_proc(text, path, sizeof(path)) < 0)
		return;
	/* A path too long for o->cgroup still names its unit. */
	if (strlen(path) < sizeof(o->cgroup))
		memcpy(o->cgroup, path, strlen(path) + 1);
	cgroup_unit(path, o->unit, sizeof(o->unit));
	cgroup_container(path, o->container, sizeof(o->container));
}

/* The real uid, first field of "Uid:" in status. */
static int parse_uid(const char *status, uint32_t *uid)
{
	const char *s = strstr(status, "\nUid:");
	char *end;
	unsigned long v;

	if (strncmp(status, "Uid:", 4) == 0)
		s = status;
	else if (s != NULL)
		s++;
	else
		return -1;
	errno = 0;
	v = strtoul(s + 4, &end, 10);
	if (end == s + 4 || errno != 0 || v > UINT32_MAX)
		return -1;
	*uid = (uint32_t)v;
	return 0;
}

/* Read comm, uid and cgroup of pid: 0, or -1 when it is gone. */
static int read_owner(struct procscan *p, uint32_t pid, struct proc_owner *o)
{
	char buf[2048], name[16];
	struct stat st;
	long n;

	memset(o, 0, sizeof(*o));
	o->pid = pid;
	n = read_pid_file(p, pid, "comm", buf, sizeof(o->comm));
	if (n < 0)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	memcpy(o->comm, buf, strlen(buf) + 1);
	if (read_pid_file(p, pid, "status", buf, sizeof(buf)) < 0 ||
	    parse_uid(buf, &o->uid) < 0) {
		/* The directory's owner is the euid: close enough. */
		snprintf(name, sizeof(name), "%u", pid);
		if (fstatat(p->procdir.fd, name, &st, 0) < 0)
			return -1;
		o->uid = (uint32_t)st.st_uid;
	}
	procscan_fill_cgroup(p, o);
	return 0;
}

static bool same_owner(const struct proc_owner *a, const struct proc_owner *b)
{
	return a->pid == b->pid && a->uid == b->uid &&
	       strcmp(a->comm, b->comm) == 0 &&
	       strcmp(a->cgroup, b->cgroup) == 0 &&
	       strcmp(a->unit, b->unit) == 0 &&
	       strcmp(a->container, b->container) == 0;
}

/*
 * The record of the current pid for this walk, read once on its first
 * socket; reuses the record of an earlier walk (prev) when unchanged so
 * that memory holds one copy per process.
 */
static struct ps_proc *current_proc(struct procscan *p, struct ps_proc *prev)
{
	struct proc_owner o;

	if (p->cur != NULL || p->pid_gone)
		return p->cur;
	if (read_owner(p, p->pid, &o) < 0) {
		p->pid_gone = true;
		return NULL;
	}
	if (prev != NULL && same_owner(&prev->o, &o)) {
		p->cur = prev;
	} else {
		p->cur = malloc(sizeof(*p->cur));
		if (p->cur == NULL)
			return NULL;
		p->cur->o = o;
		p->cur->refs = 0;
	}
	p->cur->refs++; /* the walk's own reference */
	return p->cur;
}

/* A socket inode seen in the current pid's fd directory. */
static void ps_saw(struct procscan *p, uint64_t inode)
{
	struct ps_proc *pr;
	struct ps_entry *e;
	uint32_t i, h;

	i = ps_find(p, inode);
	e = i != PS_NIL ? &p->e[i] : NULL;
	pr = current_proc(p, e != NULL ? e->proc : NULL);
	if (pr == NULL)
		return;
	if (e != NULL) {
		/* First holder of this walk wins (forked workers). */
		if (e->walk != p->walk) {
			pr->refs++;
			proc_put(e->proc);
			e->proc = pr;
			e->walk = p->walk;
		}
		lru_unlink(p, i);
	} else {
		if (p->free == PS_NIL && p->fresh < p->capacity) {
			i = p->fresh++;
			e = &p->e[i];
		} else {
			if (p->free == PS_NIL)
				ps_evict(p, p->oldest);
			i = p->free;
			e = &p->e[i];
			p->free = e->hnext;
		}
		h = ps_hash(p, inode);
		e->inode = inode;
		e->hnext = p->bucket[h];
		p->bucket[h] = i;
		e->proc = pr;
		pr->refs++;
		e->walk = p->walk;
		p->count++;
	}
	e->seen_ms = p->now;
	lru_append(p, i);
	wish_met(p, inode);
}

static bool parse_pid(const char *s, uint32_t *pid)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*pid = (uint32_t)v;
	return v > 0;
}

static void leave_pid(struct procscan *p)
{
	p->in_pid = false;
	proc_put(p->cur);
	p->cur = NULL;
	p->pid_gone = false;
}

static void walk_end(struct procscan *p)
{
	leave_pid(p);
	dir_close(&p->procdir);
	p->st.walks++;
}

static int walk_start(struct procscan *p)
{
	unsigned int i;

	p->procdir.fd = open(p->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->procdir.fd < 0)
		return -1;
	p->procdir.pos = p->procdir.len = 0;
	p->walk++;
	for (i = 0; i < p->nwish; i++)
		p->wish[i].late = false;
	return 0;
}

/* /proc walked once: wishes it could have met are for gone sockets. */
static void walk_complete(struct procscan *p)
{
	unsigned int i, kept = 0;

	for (i = 0; i < p->nwish; i++) {
		if (p->wish[i].late)
			p->wish[kept++] = p->wish[i];
		else
			p->st.wishes_dropped++;
	}
	p->nwish = kept;
	walk_end(p);
}

unsigned int procscan_step(struct procscan *p, uint64_t now_ms,
			   unsigned int budget, uint64_t ttl_ms)
{
	unsigned int links = 0, pids = 0, done, i;
	uint64_t inodes[PS_FD_BATCH];
	const char *name;
	int n;

	p->now = now_ms;
	ps_expire(p, now_ms, ttl_ms);
	if (p->nwish == 0 && p->procdir.fd >= 0)
		walk_end(p);
	if (p->nwish == 0 || budget == 0)
		return 0;
	if (p->procdir.fd < 0 && walk_start(p) < 0) {
		/* No /proc at all: nothing can ever be met. */
		p->st.wishes_dropped += p->nwish;
		p->nwish = 0;
		return 0;
	}
	/* Processes skipped without a readlink count against the budget
	 * too, so that a step stays short when every fd dir is EACCES. */
	while (links < budget) {
		if (!p->in_pid) {
			if (pids++ == budget)
				break;
			name = dir_next(&p->procdir);
			if (name == NULL) {
				walk_complete(p);
				break;
			}
			if (!parse_pid(name, &p->pid))
				continue;
			p->in_pid = true;
			p->fd_cursor = 0;
			continue;
		}
		if (p->pid_gone) {
			leave_pid(p);
			continue;
		}
		/* Gone (ENOENT) or not readable (EACCES): skip quietly. */
		n = p->fds.sockets(p->fds.arg, p->pid, &p->fd_cursor,
				   budget - links, inodes, PS_FD_BATCH, &done);
		links += done;
		p->st.readlinks += done;
		if (n < 0) {
			leave_pid(p);
			continue;
		}
		for (i = 0; i < (unsigned int)n; i++) {
			ps_saw(p, inodes[i]);
			if (p->nwish == 0) {
				walk_end(p);
				return links;
			}
		}
		if (p->fd_cursor == 0)
			leave_pid(p);
		else if (done == 0 && n == 0)
			break; /* no progress: the budget is spent */
	}
	return links;
}

void procscan_get_stats(const struct procscan *p, struct procscan_stats *s)
{
	*s = p->st;
	s->cached = p->count;
}
