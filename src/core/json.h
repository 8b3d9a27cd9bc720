/* json: a small streaming JSON writer with strict string escaping. */
#ifndef RSTMON_JSON_H
#define RSTMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 16

/*
 * The writer appends to buf.  A fixed writer (json_init_fixed) never
 * allocates; a growing one (json_init) reallocates up to max bytes.  When
 * the text does not fit, `failed` is set and later calls do nothing: check
 * json_ok() once at the end instead of after every call.
 *
 * Keys are written as given (they are our own constants); every string
 * value is escaped: control characters as \uXXXX, invalid UTF-8 bytes as
 * U+FFFD, so the output is valid JSON whatever bytes came in.
 */
struct json {
	char *buf;
	size_t len;
	size_t cap;
	size_t max;
	bool growing;
	bool failed;
	unsigned int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_init_fixed(struct json *j, char *buf, size_t cap);
void json_init(struct json *j, size_t max);
void json_free(struct json *j);
void json_reset(struct json *j);
bool json_ok(const struct json *j);
/* NUL-terminated text, or NULL when the writer failed. */
const char *json_text(struct json *j);

/* key is NULL for array elements and for the top-level value. */
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *s);
void json_strn(struct json *j, const char *key, const char *s, size_t n);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
/* Fixed-point number with `decimals` digits after the point. */
void json_fixed(struct json *j, const char *key, double v, int decimals);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* A value already formatted as JSON text (e.g. a number). */
void json_raw_value(struct json *j, const char *key, const char *s, size_t n);
/* Raw bytes (e.g. a newline between JSON lines); no separator logic. */
void json_raw(struct json *j, const char *s, size_t n);

/*
 * Escape s into out as the contents of a JSON string (no quotes) and
 * return the length, or (size_t)-1 if outlen is too small.  With out NULL
 * only the length is computed.
 */
size_t json_escape(char *out, size_t outlen, const char *s, size_t n);
/*
 * Length of the UTF-8 character at s, of the n bytes there: 1 for ASCII,
 * up to 4, or 0 when they are not UTF-8 (a stray byte, an overlong form,
 * a surrogate, past U+10FFFF or cut short).  For other writers of text
 * that must be valid UTF-8 (metrics labels, log lines).
 */
size_t json_utf8_len(const char *s, size_t n);
/* Decimal digits of v into out (at least 21 bytes); returns the length. */
size_t json_fmt_u64(char *out, uint64_t v);

#endif
