/* evsink: the -e file the event lines go to, buffered per batch. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evsink.h"

/*
 * Open path for appending, never through a link.  O_CREAT|O_EXCL first,
 * so that *created says whether the file is ours; a file that exists is
 * opened as it is.  O_NONBLOCK: a FIFO planted there must not hang the
 * daemon in open() before the check below refuses it.  Returns the fd
 * (*chr when it is a character device, e.g. /dev/null), or -1 with a
 * message.
 */
static int sink_open_path(const char *path, bool *created, bool *chr, char *err,
			  size_t errlen)
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
			snprintf(err, errlen,
				 "events file %s: is a symbolic "
				 "link; refused (rstmond never follows one "
				 "there)",
				 path);
		else if (errno == ENXIO)
			snprintf(err, errlen,
				 "events file %s: not a regular "
				 "file; refused",
				 path);
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
		snprintf(err, errlen,
			 "events file %s: not a regular file; "
			 "refused",
			 path);
		close(fd);
		return -1;
	}
	/* A hard link to another file (where protected_hardlinks is off)
	 * would have us append to that file. */
	if (st.st_nlink != 1) {
		snprintf(err, errlen,
			 "events file %s: has %ju links; refused "
			 "(a hard link to another file?)",
			 path, (uintmax_t)st.st_nlink);
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
