/* httpd: the smallest HTTP server that serves GET /metrics, and nothing else. */
#ifndef RSTMON_HTTPD_H
#define RSTMON_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connset.h"
#include "json.h"
#include "loop.h"

#define HTTPD_MAX_CLIENTS 16
#define HTTPD_MAX_REQUEST 8192
#define HTTPD_TIMEOUT_MS 5000

/* Fill `out` with the body of GET /metrics. */
typedef void (*httpd_body_fn)(struct json *out, void *arg);

struct httpd {
	struct connset conns; /* HTTPD_MAX_CLIENTS at most */
	bool open;
	httpd_body_fn body;
	void *arg;
	uint64_t requests; /* answered 200 */
	uint64_t rejected; /* 4xx (conns: too many clients, timeouts) */
};

/*
 * Create a listening socket for "ADDR:PORT", "[ADDR6]:PORT" or "PORT"
 * (then on 127.0.0.1: loopback unless asked otherwise).  Done before
 * entering another network namespace, so that the metrics stay reachable
 * where the operator is.  Returns the fd, or -1 with a message in err.
 */
int httpd_listen(const char *spec, char *err, size_t errlen);

/* Serve on fd (from httpd_listen) through the loop.  -1 + errno. */
int httpd_start(struct httpd *h, struct loop *loop, int fd, httpd_body_fn body,
		void *arg);
void httpd_close(struct httpd *h);
/* Drop clients not answered HTTPD_TIMEOUT_MS after they connected. */
void httpd_tick(struct httpd *h, uint64_t now_ms);

/* Parse a request head; pure.  0: GET or HEAD of `path` (copied);
 * -1: malformed. */
int httpd_parse_request(const char *req, size_t len, char *method, size_t mlen,
			char *path, size_t plen);

#endif
