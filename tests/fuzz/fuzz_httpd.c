/*
 * fuzz_httpd: a request head from the network (--metrics-listen) through
 * httpd_parse_request(), with the buffer sizes client_cb() gives it and
 * with tiny ones.  The request is not NUL-terminated here, so that ASan
 * sees a read past len.  What client_cb() then decides (400, 405, 404,
 * 200) is inside the socket callback and is not reached.
 */
#include <stdlib.h>
#include <string.h>

#include "httpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse(const char *req, size_t len, size_t mlen, size_t plen)
{
	char *method = malloc(mlen), *path = malloc(plen);
	size_t m;

	if (method == NULL || path == NULL)
		abort();
	if (httpd_parse_request(req, len, method, mlen, path, plen) == 0) {
		/* "METHOD PATH HTTP/1.x" on the first line, both
		 * terminated within their buffers, with no NUL inside:
		 * what was copied is the whole string. */
		m = strnlen(method, mlen);
		if (m == mlen || strnlen(path, plen) == plen || m >= len ||
		    req[m] != ' ' ||
		    memchr(req, '\0', m + 1 + strlen(path)) != NULL ||
		    memcmp(req, method, m) != 0 ||
		    strchr(method, ' ') != NULL || strchr(path, ' ') != NULL)
			abort();
	}
	free(path);
	free(method);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *req = malloc(size > 0 ? size : 1);

	if (req == NULL)
		abort();
	memcpy(req, data, size);
	/* client_cb()'s buffers, then the smallest that can hold anything. */
	parse(req, size, 16, 256);
	parse(req, size, 1 + size % 4, 1 + size % 9);
	free(req);
	return 0;
}
