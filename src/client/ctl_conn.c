/* ctl_conn: the client's end of the control socket — connect, ask, read
 * the whole reply and parse it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"

/* Bound on a reply, so a confused peer cannot make us eat memory. */
#define CTL_MAX_REPLY (64u << 20)

int ctl_connect(const char *path, const char *line, enum ctl_step *step)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct iovec iov[2] = {
		{ .iov_base = (void *)(uintptr_t)line,
		  .iov_len = strlen(line) },
		{ .iov_base = (void *)(uintptr_t) "\n", .iov_len = 1 },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t n;
	int fd, e;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		*step = CTL_STEP_PATH;
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*step = CTL_STEP_SOCKET;
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		*step = CTL_STEP_CONNECT;
		goto fail;
	}
	/* One write: the daemon reads the line as it comes, whole or not,
	 * but there is no reason to make it wait for the newline. */
	n = sendmsg(fd, &msg, MSG_NOSIGNAL);
	if (n != (ssize_t)(iov[0].iov_len + 1)) {
		if (n >= 0)
			errno = EIO; /* a short write of a short line */
		*step = CTL_STEP_SEND;
		goto fail;
	}
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* What ctl_request() says when ctl_connect() failed: what to do next. */
static void request_error(const char *path, enum ctl_step step, int e)
{
	switch (step) {
	case CTL_STEP_PATH:
		fprintf(stderr, "rstmonctl: socket path %s is too long\n",
			path);
		break;
	case CTL_STEP_SOCKET:
		fprintf(stderr, "rstmonctl: socket: %s\n", strerror(e));
		break;
	case CTL_STEP_CONNECT:
		if (e == EACCES || e == EPERM)
			fprintf(stderr,
				"rstmonctl: %s: %s: the control "
				"socket is for root (run with sudo)\n",
				path, strerror(e));
		else
			fprintf(stderr,
				"rstmonctl: cannot reach rstmond at "
				"%s: %s: is rstmond running? (start it with "
				"`sudo make run`; -s PATH names another "
				"socket)\n",
				path, strerror(e));
		break;
	case CTL_STEP_SEND:
		fprintf(stderr, "rstmonctl: %s: %s\n", path, strerror(e));
		break;
	}
}

char *ctl_request(const char *path, const char *line)
{
	enum ctl_step step;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	ssize_t n;
	int fd;

	fd = ctl_connect(path, line, &step);
	if (fd < 0) {
		request_error(path, step, errno);
		return NULL;
	}
	/* The daemon closes the connection after its reply. */
	for (;;) {
		if (len + 65536 + 1 > cap) {
			char *t;

			cap = cap ? cap * 2 : 65536 * 2;
			if (cap > CTL_MAX_REPLY) {
				fprintf(stderr, "rstmonctl: reply too large\n");
				goto fail;
			}
			t = realloc(buf, cap);
			if (t == NULL) {
				fprintf(stderr, "rstmonctl: out of memory\n");
				goto fail;
			}
			buf = t;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "rstmonctl: %s: %s\n", path,
				strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf == NULL || len == 0) {
		fprintf(stderr, "rstmonctl: rstmond closed the connection "
				"without a reply\n");
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

json_t *ctl_parse(const char *text)
{
	json_error_t e;
	json_t *root, *err;

	root = json_loads(text, JSON_DISABLE_EOF_CHECK, &e);
	if (root == NULL) {
		fprintf(stderr, "rstmonctl: bad reply from rstmond: %s\n",
			e.text);
		return NULL;
	}
	err = json_object_get(root, "error");
	if (json_is_string(err)) {
		fprintf(stderr, "rstmonctl: rstmond says: %s\n",
			ctl_safe(json_string_value(err)));
		json_decref(root);
		return NULL;
	}
	return root;
}

json_t *ctl_fetch(const struct ctl_opts *o, const char *line, char **reply)
{
	json_t *root;

	*reply = ctl_request(o->socket_path, line);
	if (*reply == NULL)
		return NULL;
	root = ctl_parse(*reply);
	if (root == NULL) {
		free(*reply);
		*reply = NULL;
	}
	return root;
}

const char *ctl_str(const json_t *obj, const char *key)
{
	return ctl_safe(json_string_value(json_object_get(obj, key)));
}

uint64_t ctl_u64(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_integer(v) && json_integer_value(v) >= 0)
		return (uint64_t)json_integer_value(v);
	if (json_is_real(v) && json_real_value(v) >= 0)
		return (uint64_t)json_real_value(v);
	return 0;
}
