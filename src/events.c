/* events: one JSON line per reset, and the buffered file it goes to. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addrfmt.h"
#include "events.h"
#include "json.h"
#include "tcp_states.h"

/*
 * The event line is written by hand into a buffer sized for the worst
 * case: it is the one text made per reset, and a generic writer (key
 * lookups, a length check and a call per byte, printf for addresses) cost
 * three quarters of the whole per-reset path.  Output is byte for byte
 * what the json writer makes.
 */

/* Longest possible line: every string escaped at 6 bytes per byte. */
#define OWNER_MAX (6 * (sizeof(((struct proc_owner *)0)->comm) +	\
			sizeof(((struct proc_owner *)0)->unit) +	\
			sizeof(((struct proc_owner *)0)->container) +	\
			sizeof(((struct proc_owner *)0)->cgroup)) + 256)
#define USER_MAX 64		/* users' names are 32 bytes at most */
#define EVENT_MAX (2 * OWNER_MAX + 6 * (USER_MAX + IFNAMSIZ_MAX + 16) + 1024)
#define IFNAMSIZ_MAX 16
_Static_assert(EVENT_MAX <= EVENTS_LINE_MAX, "event line may not fit");

struct out {
	char *p;
};

#define PUT_LIT(o, s) put((o), (s), sizeof(s) - 1)

static inline void put(struct out *o, const char *s, size_t n)
{
	memcpy(o->p, s, n);
	o->p += n;
}

static void put_u64(struct out *o, uint64_t v)
{
	o->p += json_fmt_u64(o->p, v);
}

/* A JSON string's contents: copied when nothing needs escaping. */
static void put_str(struct out *o, const char *s, size_t max)
{
	size_t n = strnlen(s, max), i;
	const unsigned char *u = (const unsigned char *)s;

	for (i = 0; i < n; i++)
		if (u[i] < 0x20 || u[i] >= 0x7f || u[i] == '"' ||
		    u[i] == '\\')
			break;
	if (i == n) {
		put(o, s, n);
		return;
	}
	/* Room: the caller sized the buffer for 6 bytes per byte. */
	o->p += json_escape(o->p, 6 * n + 1, s, n);
}

/* key (`,"name":"`), the escaped text (at most max bytes), '"'. */
static void put_text(struct out *o, const char *key, size_t keylen,
		     const char *s, size_t max)
{
	put(o, key, keylen);
	put_str(o, s, max);
	*o->p++ = '"';
}

#define PUT_TEXT(o, key, s, max) \
	put_text((o), (key), sizeof(key) - 1, (s), (max))
#define PUT_FIELD(o, key, f) PUT_TEXT((o), (key), (f), sizeof(f))

static void put_addr(struct out *o, uint8_t family, const uint8_t *addr)
{
	o->p = addrfmt_put(o->p, family, addr);
}

/* "1732400000.123456": seconds with microseconds, as a JSON number. */
static void put_ts(struct out *o, const struct rst_event *ev)
{
	long usec = ev->ts.tv_nsec / 1000;
	int i;

	if (usec < 0 || usec > 999999)
		usec = 0;
	put_u64(o, (uint64_t)ev->ts.tv_sec);
	*o->p++ = '.';
	for (i = 5; i >= 0; i--) {
		o->p[i] = (char)('0' + usec % 10);
		usec /= 10;
	}
	o->p += 6;
}

/* pid, comm, unit, container, cgroup of a process: those known. */
static void put_process(struct out *o, const struct proc_owner *p)
{
	PUT_LIT(o, "\"pid\":");
	put_u64(o, p->pid);
	if (p->comm[0])
		PUT_FIELD(o, ",\"comm\":\"", p->comm);
	if (p->unit[0])
		PUT_FIELD(o, ",\"unit\":\"", p->unit);
	if (p->container[0])
		PUT_FIELD(o, ",\"container\":\"", p->container);
	if (p->cgroup[0])
		PUT_FIELD(o, ",\"cgroup\":\"", p->cgroup);
}

/* A constant name (cause, reason, state): nothing to escape. */
static void put_name(struct out *o, const char *key, size_t keylen,
		     const char *name)
{
	put(o, key, keylen);
	put(o, name, strlen(name));
	*o->p++ = '"';
}

#define PUT_NAME(o, key, name) put_name((o), (key), sizeof(key) - 1, (name))

static void put_owner(struct out *o, const struct attribution *at)
{
	bool sep = false;

	PUT_LIT(o, ",\"owner\":{");
	if (at->has_pid) {
		put_process(o, &at->owner);
		sep = true;
	}
	if (at->has_uid) {
		if (sep)
			*o->p++ = ',';
		PUT_LIT(o, "\"uid\":");
		put_u64(o, at->uid);
		sep = true;
	}
	if (at->user != NULL) {
		if (sep)
			*o->p++ = ',';
		PUT_TEXT(o, "\"user\":\"", at->user, USER_MAX);
		sep = true;
	}
	if (at->state != 0) {
		if (sep)
			*o->p++ = ',';
		PUT_NAME(o, "\"state\":\"", tcp_state_name(at->state));
		sep = true;
	}
	if (at->has_last_owner) {
		if (sep)
			*o->p++ = ',';
		PUT_LIT(o, "\"last_owner\":{");
		put_process(o, &at->last);
		PUT_LIT(o, ",\"uid\":");
		put_u64(o, at->last_uid);
		PUT_LIT(o, ",\"last_seen\":");
		if (at->last_seen < 0) {
			*o->p++ = '-';
			put_u64(o, (uint64_t)0 - (uint64_t)at->last_seen);
		} else {
			put_u64(o, (uint64_t)at->last_seen);
		}
		*o->p++ = '}';
	}
	*o->p++ = '}';
}

static void put_attribution(struct out *o, const struct attribution *at)
{
	const char *kr = kreason_name(at->kreason);

	PUT_NAME(o, ",\"cause\":\"", cause_name(at->cause));
	if (at->has_owner || at->has_last_owner)
		put_owner(o, at);
	if (kr != NULL)
		PUT_NAME(o, ",\"kernel_reason\":\"", kr);
	if (at->has_actor) {
		PUT_LIT(o, ",\"actor\":{\"pid\":");
		put_u64(o, at->actor_pid);
		if (at->actor_comm[0])
			PUT_FIELD(o, ",\"comm\":\"", at->actor_comm);
		*o->p++ = '}';
	}
}

size_t events_line(char *buf, const struct rst_event *ev,
		   const struct event_extra *x)
{
	struct out o = { buf };
	char flags[9];

	PUT_LIT(&o, "{\"ts\":");
	put_ts(&o, ev);
	PUT_LIT(&o, ",\"family\":");
	*o.p++ = ev->family == AF_INET6 ? '6' : '4';
	PUT_LIT(&o, ",\"local\":\"");
	put_addr(&o, ev->family, ev->local);
	PUT_LIT(&o, "\",\"lport\":");
	put_u64(&o, ev->lport);
	PUT_LIT(&o, ",\"remote\":\"");
	put_addr(&o, ev->family, ev->remote);
	PUT_LIT(&o, "\",\"rport\":");
	put_u64(&o, ev->rport);
	PUT_NAME(&o, ",\"flags\":\"", packet_flags_str(ev->tcp_flags, flags));
	PUT_LIT(&o, ",\"seq\":");
	put_u64(&o, ev->seq);
	PUT_LIT(&o, ",\"ack\":");
	put_u64(&o, ev->ack);
	PUT_LIT(&o, ",\"window\":");
	put_u64(&o, ev->window);
	if (x != NULL && x->ifname != NULL)
		PUT_TEXT(&o, ",\"ifname\":\"", x->ifname, IFNAMSIZ_MAX);
	if (x != NULL && x->at != NULL) {
		put_attribution(&o, x->at);
	} else if (ev->has_uid) {
		PUT_LIT(&o, ",\"owner\":{\"uid\":");
		put_u64(&o, ev->uid);
		*o.p++ = '}';
	}
	*o.p++ = '}';
	*o.p = '\0';
	return (size_t)(o.p - buf);
}

/*
 * Open path for appending, never through a link.  O_CREAT|O_EXCL first,
 * so that *created says whether the file is ours; a file that exists is
 * opened as it is.  O_NONBLOCK: a FIFO planted there must not hang the
 * daemon in open() before the check below refuses it.  Returns the fd
 * (*chr when it is a character device, e.g. /dev/null), or -1 with a
 * message.
 */
static int sink_open_path(const char *path, bool *created, bool *chr,
			  char *err, size_t errlen)
{
	const int flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK |
			  O_CLOEXEC;
	struct stat st;
	int fd = -1, i;

	*created = false;
	*chr = false;
	/* Removed between the two opens (rotation): again, a few times. */
	for (i = 0; i < 3; i++) {
		fd = open(path, flags | O_CREAT | O_EXCL, 0640);
		if (fd >= 0) {
			*created = true;
			break;
		}
		if (errno != EEXIST)
			break;
		fd = open(path, flags);
		if (fd >= 0 || errno != ENOENT)
			break;
	}
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(err, errlen, "events file %s: is a symbolic "
				 "link; refused (rstmond never follows one "
				 "there)", path);
		else if (errno == ENXIO)
			snprintf(err, errlen, "events file %s: not a regular "
				 "file; refused", path);
		else
			snprintf(err, errlen, "events file %s: %s", path,
				 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "events file %s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISCHR(st.st_mode)) {
		/* Only root makes device nodes: /dev/null, a terminal. */
		*chr = true;
		return fd;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "events file %s: not a regular file; "
			 "refused", path);
		close(fd);
		return -1;
	}
	/* A hard link to another file (where protected_hardlinks is off)
	 * would have us append to that file. */
	if (st.st_nlink != 1) {
		snprintf(err, errlen, "events file %s: has %ju links; refused "
			 "(a hard link to another file?)", path,
			 (uintmax_t)st.st_nlink);
		close(fd);
		return -1;
	}
	/* Appends to a regular file never stall: plain writes again. */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		snprintf(err, errlen, "events file %s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int evsink_open(struct evsink *s, const char *path, char *err, size_t errlen)
{
	struct stat st;
	bool chr;
	int fd;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (strlen(path) >= sizeof(s->path)) {
		snprintf(err, errlen, "-e: path too long");
		return -1;
	}
	memcpy(s->path, path, strlen(path) + 1);
	s->buf = malloc(EVSINK_BUFLEN);
	if (s->buf == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (strcmp(path, "-") != 0) {
		fd = sink_open_path(path, &s->created, &chr, err, errlen);
		if (fd < 0) {
			free(s->buf);
			s->buf = NULL;
			return -1;
		}
		s->fd = fd;
		/* Our own open file description: O_NONBLOCK is ours. */
		s->nonblocking = chr;
		return 0;
	}
	s->is_stdout = true;
	s->fd = fd = STDOUT_FILENO;
	/*
	 * A pipe or terminal may stall.  Reopening it through /proc gives
	 * a file description of our own, so O_NONBLOCK does not leak to
	 * the shell that shares stdout.
	 */
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		char proc[64];
		int nfd;

		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		nfd = open(proc, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (nfd >= 0) {
			s->fd = nfd;
			s->nonblocking = true;
		}
	}
	return 0;
}

static void evsink_write_all(struct evsink *s)
{
	size_t off = 0;
	ssize_t n;

	while (off < s->len) {
		n = write(s->fd, s->buf + off, s->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				s->write_errors++;
			break;
		}
		off += (size_t)n;
	}
	if (off == s->len) {
		s->len = 0;
		return;
	}
	/* Keep the unwritten rest for the next flush, in order. */
	memmove(s->buf, s->buf + off, s->len - off);
	s->len -= off;
}

void evsink_line(struct evsink *s, const char *line, size_t len)
{
	if (s->fd < 0)
		return;
	if (s->len + len + 1 > EVSINK_BUFLEN) {
		evsink_write_all(s);
		if (s->len + len + 1 > EVSINK_BUFLEN) {
			s->dropped++;
			return;
		}
	}
	memcpy(s->buf + s->len, line, len);
	s->buf[s->len + len] = '\n';
	s->len += len + 1;
	s->lines++;
}

void evsink_flush(struct evsink *s)
{
	if (s->fd >= 0 && s->len > 0)
		evsink_write_all(s);
}

int evsink_reopen(struct evsink *s, char *err, size_t errlen)
{
	bool created, chr;
	int fd;

	if (s->fd < 0 || s->is_stdout || s->nonblocking)
		return 0;
	evsink_flush(s);
	/* Made now by the user rstmond runs as: nothing to give away. */
	fd = sink_open_path(s->path, &created, &chr, err, errlen);
	if (fd < 0)
		return -1;
	close(s->fd);
	s->fd = fd;
	s->nonblocking = chr;
	return 0;
}

void evsink_close(struct evsink *s)
{
	if (s->fd >= 0) {
		evsink_flush(s);
		if (!s->is_stdout || s->nonblocking)
			close(s->fd);
	}
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
}
