/* events: one JSON line per reset, and the buffered file it goes to. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"

const char *events_addr_str(uint8_t family, const uint8_t *addr, char *buf)
{
	if (inet_ntop(family, addr, buf, INET6_ADDRSTRLEN) == NULL)
		snprintf(buf, INET6_ADDRSTRLEN, "?");
	return buf;
}

/* "1732400000.123456": seconds with microseconds, as a JSON number. */
static void format_ts(struct json *j, const struct rst_event *ev)
{
	char tmp[40];
	size_t n;
	long usec = ev->ts.tv_nsec / 1000;
	int i;

	n = json_fmt_u64(tmp, (uint64_t)ev->ts.tv_sec);
	tmp[n++] = '.';
	for (i = 5; i >= 0; i--) {
		tmp[n + (size_t)i] = (char)('0' + usec % 10);
		usec /= 10;
	}
	n += 6;
	json_raw_value(j, "ts", tmp, n);
}

/* pid, comm, unit, container, cgroup of a process: those known. */
static void format_process(struct json *j, const struct proc_owner *o)
{
	json_u64(j, "pid", o->pid);
	if (o->comm[0])
		json_str(j, "comm", o->comm);
	if (o->unit[0])
		json_str(j, "unit", o->unit);
	if (o->container[0])
		json_str(j, "container", o->container);
	if (o->cgroup[0])
		json_str(j, "cgroup", o->cgroup);
}

static void format_attribution(struct json *j, const struct attribution *at)
{
	const char *kr = kreason_name(at->kreason);

	json_str(j, "cause", cause_name(at->cause));
	if (at->has_owner || at->has_last_owner) {
		json_obj_begin(j, "owner");
		if (at->has_pid)
			format_process(j, &at->owner);
		if (at->has_uid)
			json_u64(j, "uid", at->uid);
		if (at->user != NULL)
			json_str(j, "user", at->user);
		if (at->state != 0)
			json_str(j, "state", tcp_state_name(at->state));
		if (at->has_last_owner) {
			json_obj_begin(j, "last_owner");
			format_process(j, &at->last);
			json_u64(j, "uid", at->last_uid);
			json_i64(j, "last_seen", at->last_seen);
			json_obj_end(j);
		}
		json_obj_end(j);
	}
	if (kr != NULL)
		json_str(j, "kernel_reason", kr);
	if (at->has_actor) {
		json_obj_begin(j, "actor");
		json_u64(j, "pid", at->actor_pid);
		if (at->actor_comm[0])
			json_str(j, "comm", at->actor_comm);
		json_obj_end(j);
	}
}

void events_format(struct json *j, const struct rst_event *ev,
		   const struct event_extra *x)
{
	char addr[INET6_ADDRSTRLEN], flags[9];

	json_obj_begin(j, NULL);
	format_ts(j, ev);
	json_u64(j, "family", ev->family == AF_INET6 ? 6 : 4);
	json_str(j, "local", events_addr_str(ev->family, ev->local, addr));
	json_u64(j, "lport", ev->lport);
	json_str(j, "remote", events_addr_str(ev->family, ev->remote, addr));
	json_u64(j, "rport", ev->rport);
	json_str(j, "flags", packet_flags_str(ev->tcp_flags, flags));
	json_u64(j, "seq", ev->seq);
	json_u64(j, "ack", ev->ack);
	json_u64(j, "window", ev->window);
	if (x != NULL && x->ifname != NULL)
		json_str(j, "ifname", x->ifname);
	if (x != NULL && x->at != NULL) {
		format_attribution(j, x->at);
	} else if (ev->has_uid) {
		json_obj_begin(j, "owner");
		json_u64(j, "uid", ev->uid);
		json_obj_end(j);
	}
	json_obj_end(j);
}

int evsink_open(struct evsink *s, const char *path, char *err, size_t errlen)
{
	struct stat st;
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
	if (strcmp(path, "-") == 0) {
		s->is_stdout = true;
		fd = STDOUT_FILENO;
	} else {
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			  0640);
		if (fd < 0) {
			snprintf(err, errlen, "events file %s: %s", path,
				 strerror(errno));
			free(s->buf);
			s->buf = NULL;
			return -1;
		}
	}
	s->fd = fd;
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
			if (!s->is_stdout)
				close(fd);
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
	int fd;

	if (s->fd < 0 || s->is_stdout || s->nonblocking)
		return 0;
	evsink_flush(s);
	fd = open(s->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(err, errlen, "events file %s: %s", s->path,
			 strerror(errno));
		return -1;
	}
	close(s->fd);
	s->fd = fd;
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
