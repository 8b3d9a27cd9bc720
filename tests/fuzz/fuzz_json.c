/*
 * fuzz_json: the JSON writer of src/core/json.c over arbitrary bytes.
 *   - json_escape() of the input: the text between quotes must be valid
 *     UTF-8 JSON that decodes (jansson) to the input with each byte that
 *     is not part of valid UTF-8 replaced by U+FFFD — computed here by an
 *     independent check of UTF-8 (Unicode table 3-7);
 *   - the same input read as a little program of writer calls (objects,
 *     arrays, strings with NULs, numbers) on a fixed buffer of a size it
 *     picks, or a growing one: the text must then be one JSON value, or
 *     the writer must say it failed, never overflow.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#include "jansson_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the well-formed UTF-8 sequence at p, or 0 (table 3-7). */
static size_t utf8_len(const uint8_t *p, size_t n)
{
	uint8_t lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

static int utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = utf8_len(p + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

static void check_escape(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	uint8_t *want;
	size_t need, w, i, k, wn = 0;
	struct json_t *doc;
	char *out;

	need = json_escape(NULL, 0, s, size);
	if (need == (size_t)-1 || need > 6 * size)
		abort();
	/* Exactly the room it asked for, quotes around. */
	out = malloc(need + 3);
	if (out == NULL)
		abort();
	out[0] = '"';
	w = json_escape(out + 1, need + 1, s, size);
	if (w != need || out[1 + need] != '\0')
		abort();
	/* One byte short: refused, not truncated past the end. */
	if (need > 0 && json_escape(out + 1, need, s, size) != (size_t)-1)
		abort();
	w = json_escape(out + 1, need + 1, s, size);
	out[1 + need] = '"';
	out[2 + need] = '\0';
	if (!utf8_valid((const uint8_t *)out, need + 2))
		abort();

	want = malloc(3 * size + 1);
	if (want == NULL)
		abort();
	for (i = 0; i < size; i += k) {
		k = utf8_len(data + i, size - i);
		if (k == 0) {
			memcpy(want + wn, "\xef\xbf\xbd", 3);
			wn += 3;
			k = 1;
		} else {
			memcpy(want + wn, data + i, k);
			wn += k;
		}
	}
	doc = json_loadb(out, need + 2, JANSSON_DECODE_ANY | JANSSON_ALLOW_NUL,
			 NULL);
	if (doc == NULL || json_string_value(doc) == NULL ||
	    json_string_length(doc) != wn ||
	    memcmp(json_string_value(doc), want, wn) != 0)
		abort();
	json_delete(doc);
	free(want);
	free(out);
}

/* ---- the writer driven by the input ---- */

struct prog {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct prog *g)
{
	uint8_t v = 0;

	if (g->n > 0) {
		v = *g->p++;
		g->n--;
	}
	return v;
}

static uint64_t take64(struct prog *g)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | take8(g);
	return v;
}

static void close_one(struct json *j, const bool *is_obj, unsigned int *depth)
{
	if (is_obj[*depth - 1])
		json_obj_end(j);
	else
		json_arr_end(j);
	(*depth)--;
}

static void run_writer(struct json *j, struct prog *g)
{
	/* Keys are the daemon's own constants, written unescaped. */
	static const char *const keys[] = { "a", "b", "ts", "owner", "k_2" };
	bool is_obj[64];
	unsigned int depth = 0;
	const char *key;
	uint64_t v;
	double d;
	size_t len;

	/* One top-level container; its end ends the program. */
	is_obj[0] = take8(g) & 1;
	if (is_obj[0])
		json_obj_begin(j, NULL);
	else
		json_arr_begin(j, NULL);
	depth = 1;
	while (depth > 0) {
		uint8_t op;

		/* Out of input: close what is open. */
		if (g->n == 0) {
			close_one(j, is_obj, &depth);
			continue;
		}
		op = take8(g);
		key = is_obj[depth - 1] ? keys[op % 5] : NULL;
		switch ((op >> 3) % 10) {
		case 0:
			if (depth == sizeof(is_obj) / sizeof(is_obj[0])) {
				close_one(j, is_obj, &depth);
				break;
			}
			is_obj[depth] = op & 0x80;
			if (is_obj[depth])
				json_obj_begin(j, key);
			else
				json_arr_begin(j, key);
			depth++;
			break;
		case 1:
			close_one(j, is_obj, &depth);
			break;
		case 2:
		case 3:
			/* A string of the next bytes, NULs and all. */
			len = take8(g);
			if (len > g->n)
				len = g->n;
			json_strn(j, key, (const char *)g->p, len);
			g->p += len;
			g->n -= len;
			break;
		case 4:
			json_u64(j, key, take64(g));
			break;
		case 5:
			json_i64(j, key, (int64_t)take64(g));
			break;
		case 6:
			v = take64(g);
			memcpy(&d, &v, sizeof(d));
			json_fixed(j, key, d, take8(g) % 10);
			break;
		case 7:
			json_bool(j, key, op & 0x80);
			break;
		case 8:
			json_null(j, key);
			break;
		default:
			json_raw_value(j, key, "-12.5e3", 7);
			break;
		}
	}
}

static void check_writer(const uint8_t *data, size_t size)
{
	struct prog g = { data, size };
	struct json_t *doc;
	struct json j;
	size_t cap;
	char *fixed = NULL;

	/* The first byte: growing (even) or fixed, of up to 4 KiB. */
	if (take8(&g) % 2 == 0) {
		json_init(&j, 1u << 20);
	} else {
		cap = (size_t)take8(&g) << 4 | (take8(&g) & 15);
		fixed = malloc(cap > 0 ? cap : 1);
		if (fixed == NULL)
			abort();
		json_init_fixed(&j, fixed, cap);
	}
	run_writer(&j, &g);
	if (json_ok(&j)) {
		if (j.len >= j.cap || j.buf[j.len] != '\0' ||
		    strlen(json_text(&j)) != j.len)
			abort();
		if (!utf8_valid((const uint8_t *)j.buf, j.len))
			abort();
		/* Numbers past 2^63 are fine JSON: read them as reals. */
		doc = json_loadb(j.buf, j.len,
				 JANSSON_ALLOW_NUL | JANSSON_DECODE_INT_AS_REAL,
				 NULL);
		if (doc == NULL)
			abort();
		json_delete(doc);
	} else if (json_text(&j) != NULL) {
		abort();
	}
	/* A writer is reused after a reset. */
	json_reset(&j);
	json_str(&j, NULL, "x");
	if (json_ok(&j) && strcmp(json_text(&j), "\"x\"") != 0)
		abort();
	if (fixed != NULL)
		free(fixed);
	else
		json_free(&j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char num[24];
	uint64_t v = 0;

	check_escape(data, size);
	check_writer(data, size);
	memcpy(&v, data, size < sizeof(v) ? size : sizeof(v));
	if (json_fmt_u64(num, v) != strlen(num) || strtoull(num, NULL, 10) != v)
		abort();
	return 0;
}
