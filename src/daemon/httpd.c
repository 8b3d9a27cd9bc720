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

#include "httpd.h"

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
	snprintf(err, errlen,
		 "--metrics-listen %s: want ADDR:PORT, "
		 "[ADDR6]:PORT or PORT (loopback)",
		 spec);
	return -1;
}

int httpd_parse_request(const char *req, size_t len, char *method, size_t mlen,
			char *path, size_t plen)
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
	if (sp2 == NULL || sp2 == sp1 + 1 || (size_t)(eol - sp2 - 1) < 8 ||
	    strncmp(sp2 + 1, "HTTP/1.", 7))
		return -1;
	if ((size_t)(sp1 - req) >= mlen || (size_t)(sp2 - sp1 - 1) >= plen)
		return -1;
	memcpy(method, req, (size_t)(sp1 - req));
	method[sp1 - req] = '\0';
	memcpy(path, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	path[sp2 - sp1 - 1] = '\0';
	return 0;
}

static void respond(struct peer *c, int code, const char *reason,
		    bool head_only)
{
	struct json body;
	char hdr[256];
	int n;

	json_init(&body, 64u << 20);
	struct httpd *h = c->set->arg;

	if (code == 200)
		h->body(&body, h->arg);
	else
		json_raw(&body, reason, strlen(reason));
	if (code != 200)
		json_raw(&body, "\n", 1);
	n = snprintf(
		hdr, sizeof(hdr),
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
		h->requests++;
	else
		h->rejected++;
	/* One request per connection: what follows it is not read. */
	c->discard = true;
	peer_send(c);
}

static void client_input(struct peer *c)
{
	char method[16], path[256];

	if (strstr(c->in, "\r\n\r\n") == NULL &&
	    strstr(c->in, "\n\n") == NULL) {
		if (c->inlen + 1 >= HTTPD_MAX_REQUEST)
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

static bool client_accepted(struct peer *c)
{
	(void)c;
	return true;
}

/* Connection: close — the reply sent, the connection ends. */
static bool client_drained(struct peer *c)
{
	(void)c;
	return false;
}

static const struct connset_ops client_ops = {
	client_accepted,
	client_input,
	client_drained,
	NULL,
};

static const struct connset_params client_params = {
	.conn_size = sizeof(struct peer),
	.inmax = HTTPD_MAX_REQUEST,
	.outmax = 64u << 20,
	.max = HTTPD_MAX_CLIENTS,
	.deadline_ms = HTTPD_TIMEOUT_MS,
};

int httpd_start(struct httpd *h, struct loop *loop, int fd, httpd_body_fn body,
		void *arg)
{
	memset(h, 0, sizeof(*h));
	h->body = body;
	h->arg = arg;
	if (connset_start(&h->conns, loop, fd, &client_params, &client_ops, h) <
	    0)
		return -1;
	h->open = true;
	return 0;
}

void httpd_close(struct httpd *h)
{
	if (h->open)
		connset_close(&h->conns);
	h->open = false;
}

void httpd_tick(struct httpd *h, uint64_t now_ms)
{
	if (h->open)
		connset_tick(&h->conns, now_ms);
}
