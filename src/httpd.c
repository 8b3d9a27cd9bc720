/* httpd: the smallest HTTP server that serves GET /metrics, and nothing else. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "httpd.h"

struct httpd_client {
	struct watcher w;
	struct httpd *h;
	char in[HTTPD_MAX_REQUEST];
	size_t inlen;
	struct json out;
	size_t sent;
	bool replying;
	uint64_t since_ms;
	LIST_ENTRY(httpd_client) link;
};

int httpd_listen(const char *spec, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	char host[128];
	const char *colon, *port_s;
	unsigned long port;
	socklen_t slen;
	char *end;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	colon = strrchr(spec, ':');
	if (colon == NULL) {
		snprintf(host, sizeof(host), "127.0.0.1");
		port_s = spec;
	} else if (spec[0] == '[') {
		const char *rb = strchr(spec, ']');

		if (rb == NULL || rb + 1 != colon ||
		    (size_t)(rb - spec - 1) >= sizeof(host))
			goto bad;
		memcpy(host, spec + 1, (size_t)(rb - spec - 1));
		host[rb - spec - 1] = '\0';
		port_s = colon + 1;
	} else {
		if ((size_t)(colon - spec) >= sizeof(host))
			goto bad;
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
		port_s = colon + 1;
	}
	errno = 0;
	port = strtoul(port_s, &end, 10);
	if (*port_s == '\0' || *end != '\0' || errno || port == 0 ||
	    port > 65535)
		goto bad;
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		slen = sizeof(*s4);
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		slen = sizeof(*s6);
	} else {
		goto bad;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		snprintf(err, errlen, "--metrics-listen %s: %s", spec,
			 strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, slen) < 0 || listen(fd, 16) < 0) {
		snprintf(err, errlen, "--metrics-listen %s: %s%s", spec,
			 strerror(errno),
			 errno == EADDRINUSE ? " (another exporter there?)" :
					       "");
		close(fd);
		return -1;
	}
	return fd;
bad:
	snprintf(err, errlen, "--metrics-listen %s: want ADDR:PORT, "
		 "[ADDR6]:PORT or PORT (loopback)", spec);
	return -1;
}

int httpd_parse_request(const char *req, size_t len, char *method,
			size_t mlen, char *path, size_t plen)
{
	const char *sp1, *sp2, *eol;

	eol = memchr(req, '\r', len);
	if (eol == NULL)
		eol = memchr(req, '\n', len);
	/* A NUL would cut the method or path short as strings. */
	if (eol == NULL || memchr(req, '\0', (size_t)(eol - req)) != NULL)
		return -1;
	sp1 = memchr(req, ' ', (size_t)(eol - req));
	if (sp1 == NULL || sp1 == req)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1));
	if (sp2 == NULL || sp2 == sp1 + 1 ||
	    (size_t)(eol - sp2 - 1) < 8 || strncmp(sp2 + 1, "HTTP/1.", 7))
		return -1;
	if ((size_t)(sp1 - req) >= mlen || (size_t)(sp2 - sp1 - 1) >= plen)
		return -1;
	memcpy(method, req, (size_t)(sp1 - req));
	method[sp1 - req] = '\0';
	memcpy(path, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	path[sp2 - sp1 - 1] = '\0';
	return 0;
}

static void client_release(struct watcher *w)
{
	struct httpd_client *c = w->arg;

	json_free(&c->out);
	free(c);
}

static void client_close(struct httpd_client *c)
{
	LIST_REMOVE(c, link);
	c->h->nclients--;
	loop_del(c->h->loop, &c->w);
	close(c->w.fd);
}

static void client_send(struct httpd_client *c)
{
	ssize_t n;

	while (c->sent < c->out.len) {
		n = send(c->w.fd, c->out.buf + c->sent, c->out.len - c->sent,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				loop_mod(c->h->loop, &c->w, EPOLLOUT);
				return;
			}
			break;
		}
		c->sent += (size_t)n;
	}
	client_close(c);
}

static void respond(struct httpd_client *c, int code, const char *reason,
		    bool head_only)
{
	struct json body;
	char hdr[256];
	int n;

	json_init(&body, 64u << 20);
	if (code == 200)
		c->h->body(&body, c->h->arg);
	else
		json_raw(&body, reason, strlen(reason));
	if (code != 200)
		json_raw(&body, "\n", 1);
	n = snprintf(hdr, sizeof(hdr),
		     "HTTP/1.1 %d %s\r\n"
		     "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		     "Content-Length: %zu\r\n"
		     "Connection: close\r\n\r\n",
		     code, reason, body.len);
	json_raw(&c->out, hdr, (size_t)n);
	if (!head_only)
		json_raw(&c->out, body.buf != NULL ? body.buf : "", body.len);
	json_free(&body);
	if (code == 200)
		c->h->requests++;
	else
		c->h->rejected++;
	c->replying = true;
	client_send(c);
}

static void client_cb(struct watcher *w, uint32_t revents)
{
	struct httpd_client *c = w->arg;
	char method[16], path[256];
	ssize_t n;

	if (c->replying) {
		if (revents & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			client_send(c);
		return;
	}
	n = recv(w->fd, c->in + c->inlen, sizeof(c->in) - 1 - c->inlen,
		 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->inlen += (size_t)n;
	c->in[c->inlen] = '\0';
	if (strstr(c->in, "\r\n\r\n") == NULL && strstr(c->in, "\n\n") == NULL) {
		if (c->inlen + 1 >= sizeof(c->in))
			respond(c, 431, "Request Header Fields Too Large",
				false);
		return;
	}
	if (httpd_parse_request(c->in, c->inlen, method, sizeof(method), path,
				sizeof(path)) < 0)
		respond(c, 400, "Bad Request", false);
	else if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		respond(c, 405, "Method Not Allowed", false);
	else if (strcmp(path, "/metrics") && strncmp(path, "/metrics?", 9))
		respond(c, 404, "Not Found", false);
	else
		respond(c, 200, "OK", strcmp(method, "HEAD") == 0);
}

static void listen_cb(struct watcher *w, uint32_t revents)
{
	struct httpd *h = w->arg;
	struct httpd_client *c;
	int fd;

	(void)revents;
	fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (h->nclients >= HTTPD_MAX_CLIENTS) {
		h->rejected++;
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		close(fd);
		return;
	}
	c->h = h;
	c->since_ms = h->loop->now_ms;
	json_init(&c->out, 64u << 20);
	c->w.fd = fd;
	c->w.cb = client_cb;
	c->w.arg = c;
	c->w.release = client_release;
	if (loop_add(h->loop, &c->w, EPOLLIN) < 0) {
		close(fd);
		json_free(&c->out);
		free(c);
		return;
	}
	LIST_INSERT_HEAD(&h->clients, c, link);
	h->nclients++;
}

int httpd_start(struct httpd *h, struct loop *loop, int fd,
		httpd_body_fn body, void *arg)
{
	memset(h, 0, sizeof(*h));
	LIST_INIT(&h->clients);
	h->loop = loop;
	h->body = body;
	h->arg = arg;
	h->w.fd = fd;
	h->w.cb = listen_cb;
	h->w.arg = h;
	return loop_add(loop, &h->w, EPOLLIN);
}

void httpd_close(struct httpd *h)
{
	struct httpd_client *c;

	if (h->loop == NULL)
		return;
	while ((c = LIST_FIRST(&h->clients)) != NULL)
		client_close(c);
	loop_del(h->loop, &h->w);
	close(h->w.fd);
	h->loop = NULL;
}

void httpd_tick(struct httpd *h, uint64_t now_ms)
{
	struct httpd_client *c, *next;

	for (c = LIST_FIRST(&h->clients); c != NULL; c = next) {
		next = LIST_NEXT(c, link);
		if (now_ms - c->since_ms > HTTPD_TIMEOUT_MS) {
			h->rejected++;
			client_close(c);
		}
	}
}
