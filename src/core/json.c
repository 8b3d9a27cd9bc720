/* json: a small streaming JSON writer with strict string escaping. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void json_init_fixed(struct json *j, char *buf, size_t cap)
{
	memset(j, 0, sizeof(*j));
	j->buf = buf;
	j->cap = cap;
	j->max = cap;
	j->first[0] = true;
	if (cap > 0)
		buf[0] = '\0';
	else
		j->failed = true;
}

void json_init(struct json *j, size_t max)
{
	memset(j, 0, sizeof(*j));
	j->max = max;
	j->growing = true;
	j->first[0] = true;
}

void json_free(struct json *j)
{
	if (j->growing)
		free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

void json_reset(struct json *j)
{
	j->len = 0;
	j->failed = false;
	j->depth = 0;
	j->first[0] = true;
	if (j->cap > 0)
		j->buf[0] = '\0';
	else if (!j->growing)
		j->failed = true; /* a fixed writer with no room */
}

bool json_ok(const struct json *j)
{
	return !j->failed;
}

const char *json_text(struct json *j)
{
	if (j->failed || j->buf == NULL)
		return j->failed ? NULL : "";
	return j->buf;
}

/* Make room for n more bytes plus the terminating NUL. */
static bool json_reserve(struct json *j, size_t n)
{
	size_t need, cap;
	char *p;

	if (j->failed)
		return false;
	need = j->len + n + 1;
	if (need <= j->cap)
		return true;
	if (!j->growing || need > j->max) {
		j->failed = true;
		return false;
	}
	cap = j->cap ? j->cap : 256;
	while (cap < need)
		cap *= 2;
	if (cap > j->max)
		cap = j->max;
	p = realloc(j->buf, cap);
	if (p == NULL) {
		j->failed = true;
		return false;
	}
	j->buf = p;
	j->cap = cap;
	return true;
}

static void json_put(struct json *j, const char *s, size_t n)
{
	if (!json_reserve(j, n))
		return;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void json_putc(struct json *j, char c)
{
	json_put(j, &c, 1);
}

void json_raw(struct json *j, const char *s, size_t n)
{
	json_put(j, s, n);
}

/* Comma and key before a value at the current depth. */
static void json_sep(struct json *j, const char *key)
{
	if (j->failed)
		return;
	if (!j->first[j->depth])
		json_putc(j, ',');
	j->first[j->depth] = false;
	if (key != NULL) {
		json_putc(j, '"');
		json_put(j, key, strlen(key));
		json_put(j, "\":", 2);
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_sep(j, key);
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		j->failed = true;
		return;
	}
	json_putc(j, c);
	j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	if (j->depth == 0) {
		j->failed = true;
		return;
	}
	j->depth--;
	json_putc(j, c);
}

void json_obj_begin(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_obj_end(struct json *j)
{
	json_close(j, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_arr_end(struct json *j)
{
	json_close(j, ']');
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

size_t json_utf8_len(const char *s, size_t n)
{
	return n == 0 ? 0 : utf8_seq_len((const unsigned char *)s, n);
}

size_t json_escape(char *out, size_t outlen, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i = 0, k, len;
	char tmp[8];

	while (i < n) {
		unsigned char c = p[i];

		len = 1;
		switch (c) {
		case '"':
			memcpy(tmp, "\\\"", 2), k = 2;
			break;
		case '\\':
			memcpy(tmp, "\\\\", 2), k = 2;
			break;
		case '\n':
			memcpy(tmp, "\\n", 2), k = 2;
			break;
		case '\r':
			memcpy(tmp, "\\r", 2), k = 2;
			break;
		case '\t':
			memcpy(tmp, "\\t", 2), k = 2;
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				memcpy(tmp, "\\u00", 4);
				tmp[4] = hex[c >> 4];
				tmp[5] = hex[c & 15];
				k = 6;
			} else if (c < 0x80) {
				tmp[0] = (char)c;
				k = 1;
			} else {
				len = utf8_seq_len(p + i, n - i);
				if (len == 0) {
					memcpy(tmp, "\\ufffd", 6);
					k = 6;
					len = 1;
				} else {
					memcpy(tmp, p + i, len);
					k = len;
				}
			}
		}
		if (out != NULL) {
			if (o + k >= outlen)
				return (size_t)-1;
			memcpy(out + o, tmp, k);
		}
		o += k;
		i += len;
	}
	if (out != NULL && o < outlen)
		out[o] = '\0';
	return o;
}

void json_strn(struct json *j, const char *key, const char *s, size_t n)
{
	size_t need, w;

	json_sep(j, key);
	json_putc(j, '"');
	/* Count first, so that a fixed buffer holds exactly what fits. */
	need = json_escape(NULL, 0, s, n);
	if (!json_reserve(j, need))
		return;
	w = json_escape(j->buf + j->len, need + 1, s, n);
	if (w == (size_t)-1) {
		j->failed = true;
		return;
	}
	j->len += w;
	json_putc(j, '"');
}

void json_str(struct json *j, const char *key, const char *s)
{
	json_strn(j, key, s, strlen(s));
}

/* Two digits per step from a table: numbers are most of an event line. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

size_t json_fmt_u64(char *out, uint64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint32_t w;
	size_t n;

	while (v >= 100000000) { /* 64-bit division only up here */
		w = (uint32_t)(v % 100000000);
		v /= 100000000;
		for (n = 0; n < 4; n++) {
			p -= 2;
			memcpy(p, digit_pairs + 2 * (w % 100), 2);
			w /= 100;
		}
	}
	w = (uint32_t)v;
	while (w >= 100) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * (w % 100), 2);
		w /= 100;
	}
	if (w >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * w, 2);
	} else {
		*--p = (char)('0' + w);
	}
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	char tmp[24];
	size_t n;

	json_sep(j, key);
	n = json_fmt_u64(tmp, v);
	json_put(j, tmp, n);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	char tmp[24];
	size_t n = 0;

	json_sep(j, key);
	if (v < 0) {
		tmp[n++] = '-';
		n += json_fmt_u64(tmp + 1, (uint64_t)0 - (uint64_t)v);
	} else {
		n = json_fmt_u64(tmp, (uint64_t)v);
	}
	json_put(j, tmp, n);
}

void json_fixed(struct json *j, const char *key, double v, int decimals)
{
	char tmp[64];
	int n;

	json_sep(j, key);
	/* JSON has no NaN or infinity. */
	if (!isfinite(v))
		v = 0;
	n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		j->failed = true;
		return;
	}
	json_put(j, tmp, (size_t)n);
}

void json_raw_value(struct json *j, const char *key, const char *s, size_t n)
{
	json_sep(j, key);
	json_put(j, s, n);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_sep(j, key);
	if (v)
		json_put(j, "true", 4);
	else
		json_put(j, "false", 5);
}

void json_null(struct json *j, const char *key)
{
	json_sep(j, key);
	json_put(j, "null", 4);
}
