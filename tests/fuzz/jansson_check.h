/* jansson_check: what the fuzz targets use of jansson to check JSON.
 * Its own header and json.h both define json_null, so the functions
 * are declared here (jansson 2.x ABI). */
#ifndef RSTMON_FUZZ_JANSSON_CHECK_H
#define RSTMON_FUZZ_JANSSON_CHECK_H

#include <stddef.h>
#include <stdlib.h>

struct json_t;
struct json_t *json_loadb(const char *buf, size_t len, size_t flags,
			  void *error);
void json_delete(struct json_t *doc);
const char *json_string_value(const struct json_t *doc);
size_t json_string_length(const struct json_t *doc);
#define JANSSON_REJECT_DUPLICATES 0x1
#define JANSSON_DECODE_ANY 0x4
#define JANSSON_DECODE_INT_AS_REAL 0x8
#define JANSSON_ALLOW_NUL 0x10

/* Abort unless buf is one JSON document without duplicate keys. */
static inline void jansson_require_valid(const char *buf, size_t len)
{
	struct json_t *doc =
		json_loadb(buf, len, JANSSON_REJECT_DUPLICATES, NULL);

	if (doc == NULL)
		abort();
	json_delete(doc);
}

#endif
