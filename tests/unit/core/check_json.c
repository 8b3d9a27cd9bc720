/* check_json: the JSON writer; every document is also checked to parse. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "unit.h"

/*
 * A strict validator, written apart from json.c so the two do not share
 * mistakes: RFC 8259 grammar, and strings must be valid UTF-8 without raw
 * control characters.
 */
struct jp {
	const unsigned char *p;
};

static void jp_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static bool jp_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp((const char *)j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

/* One UTF-8 character at p (first byte >= 0x80): its length, or 0. */
static size_t jp_utf8(const unsigned char *p)
{
	unsigned long cp, min;
	size_t n, i;

	if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1fu, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0fu, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07u, min = 0x10000;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static bool jp_string(struct jp *j)
{
	size_t n, i;

	if (*j->p++ != '"')
		return false;
	for (;;) {
		unsigned char c = *j->p;

		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return false; /* includes the final NUL */
		if (c == '\\') {
			c = j->p[1];
			if (c == 'u') {
				for (i = 2; i < 6; i++)
					if (strchr("0123456789abcdefABCDEF",
						   j->p[i]) == NULL ||
					    j->p[i] == '\0')
						return false;
				j->p += 6;
			} else if (c != '\0' && strchr("\"\\/bfnrt", c)) {
				j->p += 2;
			} else {
				return false;
			}
		} else if (c >= 0x80) {
			n = jp_utf8(j->p);
			if (n == 0)
				return false;
			j->p += n;
		} else {
			j->p++;
		}
	}
}

static bool jp_digits(struct jp *j)
{
	const unsigned char *s = j->p;

	while (*j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static bool jp_number(struct jp *j)
{
	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (!jp_digits(j))
		return false;
	if (*j->p == '.') {
		j->p++;
		if (!jp_digits(j))
			return false;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!jp_digits(j))
			return false;
	}
	return true;
}

static bool jp_value(struct jp *j, int depth)
{
	bool obj;

	if (depth > 64)
		return false;
	jp_ws(j);
	switch (*j->p) {
	case '{':
	case '[':
		obj = *j->p++ == '{';
		jp_ws(j);
		if (*j->p == (obj ? '}' : ']')) {
			j->p++;
			return true;
		}
		for (;;) {
			if (obj) {
				jp_ws(j);
				if (!jp_string(j))
					return false;
				jp_ws(j);
				if (*j->p++ != ':')
					return false;
			}
			if (!jp_value(j, depth + 1))
				return false;
			jp_ws(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			return *j->p++ == (obj ? '}' : ']');
		}
	case '"':
		return jp_string(j);
	case 't':
		return jp_lit(j, "true");
	case 'f':
		return jp_lit(j, "false");
	case 'n':
		return jp_lit(j, "null");
	default:
		return jp_number(j);
	}
}

static bool json_valid(const char *s)
{
	struct jp j = { (const unsigned char *)s };

	if (!jp_value(&j, 0))
		return false;
	jp_ws(&j);
	return *j.p == '\0';
}

START_TEST(t_validator)
{
	/* The checker must be able to say no, or it proves nothing. */
	ck_assert(json_valid("{\"a\":[1,-2.5e3,true,null,\"\\u00e9\"]}"));
	ck_assert(json_valid("\"\xc3\xa9\xf0\x9f\x98\x80\""));
	ck_assert(!json_valid("{\"a\":1,}"));
	ck_assert(!json_valid("[1 2]"));
	ck_assert(!json_valid("\"\x01\""));
	ck_assert(!json_valid("\"\xff\""));
	ck_assert(!json_valid("\"\xed\xa0\x80\""));
	ck_assert(!json_valid("\"\\x\""));
	ck_assert(!json_valid("\"abc"));
	ck_assert(!json_valid("01"));
	ck_assert(!json_valid("{} {}"));
}
END_TEST

START_TEST(t_object_array)
{
	static const char want[] =
		"{\"a\":1,\"b\":[1,-2,{\"c\":\"x\"}],\"d\":true,"
		"\"e\":false,\"f\":null,\"g\":{},\"h\":[],\"i\":1.5}";
	struct json j;

	json_init(&j, 4096);
	ck_assert_str_eq(json_text(&j), "");
	json_obj_begin(&j, NULL);
	json_u64(&j, "a", 1);
	json_arr_begin(&j, "b");
	json_u64(&j, NULL, 1);
	json_i64(&j, NULL, -2);
	json_obj_begin(&j, NULL);
	json_str(&j, "c", "x");
	json_obj_end(&j);
	json_arr_end(&j);
	json_bool(&j, "d", true);
	json_bool(&j, "e", false);
	json_null(&j, "f");
	json_obj_begin(&j, "g");
	json_obj_end(&j);
	json_arr_begin(&j, "h");
	json_arr_end(&j);
	json_raw_value(&j, "i", "1.5", 3);
	json_obj_end(&j);
	ck_assert(json_ok(&j));
	ck_assert_str_eq(json_text(&j), want);
	ck_assert_uint_eq(j.len, strlen(want));
	ck_assert(json_valid(json_text(&j)));
	json_raw(&j, "\n", 1);
	ck_assert_str_eq(json_text(&j) + strlen(want), "\n");

	/* One JSON line after another. */
	json_reset(&j);
	ck_assert_str_eq(json_text(&j), "");
	json_arr_begin(&j, NULL);
	json_str(&j, NULL, "a");
	json_str(&j, NULL, "");
	json_arr_end(&j);
	ck_assert_str_eq(json_text(&j), "[\"a\",\"\"]");
	json_free(&j);
	ck_assert_ptr_null(j.buf);
}
END_TEST

/* Escape s (n bytes) as a JSON string value; compare with want. */
static void check_str(const char *s, size_t n, const char *want)
{
	char out[512], quoted[520];
	struct json j;
	size_t len;

	json_init_fixed(&j, out, sizeof(out));
	json_strn(&j, NULL, s, n);
	ck_assert(json_ok(&j));
	snprintf(quoted, sizeof(quoted), "\"%s\"", want);
	ck_assert_str_eq(json_text(&j), quoted);
	ck_assert_msg(json_valid(out), "not valid JSON: %s", out);
	/* The counting pass agrees with the writing pass. */
	len = json_escape(NULL, 0, s, n);
	ck_assert_uint_eq(len, strlen(want));
}

#define CHECK_STR(s, want) check_str(s, sizeof(s) - 1, want)

START_TEST(t_escape_specials)
{
	CHECK_STR("plain text", "plain text");
	CHECK_STR("a\"b", "a\\\"b");
	CHECK_STR("a\\b", "a\\\\b");
	CHECK_STR("\n\r\t", "\\n\\r\\t");
	CHECK_STR("\x01", "\\u0001");
	CHECK_STR("\b\f\x1f", "\\u0008\\u000c\\u001f");
	CHECK_STR("\x7f", "\\u007f");
	CHECK_STR("a\0b", "a\\u0000b");
	CHECK_STR("/ <script>", "/ <script>");
	CHECK_STR("", "");
}
END_TEST

START_TEST(t_utf8_valid)
{
	CHECK_STR("caf\xc3\xa9", "caf\xc3\xa9");	   /* é */
	CHECK_STR("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"); /* 😀 */
	CHECK_STR("\xe2\x82\xac", "\xe2\x82\xac");	   /* € */
	CHECK_STR("\xc2\x80\xdf\xbf", "\xc2\x80\xdf\xbf");
	CHECK_STR("\xe0\xa0\x80\xef\xbf\xbf", "\xe0\xa0\x80\xef\xbf\xbf");
	CHECK_STR("\xed\x9f\xbf\xee\x80\x80", "\xed\x9f\xbf\xee\x80\x80");
	CHECK_STR("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
		  "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
}
END_TEST

#define FFFD "\\ufffd"

START_TEST(t_utf8_invalid)
{
	CHECK_STR("\xff", FFFD);
	CHECK_STR("\xfe\xfe", FFFD FFFD);
	CHECK_STR("\x80", FFFD); /* lone continuation */
	CHECK_STR("a\xbf"
		  "b",
		  "a" FFFD "b");
	CHECK_STR("\xc0\x80", FFFD FFFD); /* overlong NUL */
	CHECK_STR("\xc1\xbf", FFFD FFFD);
	CHECK_STR("\xe0\x80\x80", FFFD FFFD FFFD); /* overlong */
	CHECK_STR("\xf0\x80\x80\x80", FFFD FFFD FFFD FFFD);
	CHECK_STR("\xed\xa0\x80", FFFD FFFD FFFD); /* surrogate */
	CHECK_STR("\xed\xbf\xbf", FFFD FFFD FFFD);
	CHECK_STR("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* > 10FFFF */
	CHECK_STR("\xf5\x80\x80\x80", FFFD FFFD FFFD FFFD);
	/* Sequences cut by the end of the string. */
	CHECK_STR("\xc3", FFFD);
	CHECK_STR("x\xe2\x82", "x" FFFD FFFD);
	CHECK_STR("\xf0\x9f\x98", FFFD FFFD FFFD);
	/* ... or by another byte: that byte is kept. */
	CHECK_STR("\xe2\x82x", FFFD FFFD "x");
	CHECK_STR("\xc3\xc3\xa9", FFFD "\xc3\xa9");
	CHECK_STR("\xe2\x82\"", FFFD FFFD "\\\"");
}
END_TEST

static uint32_t rnd_state = 2463534242u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Whatever bytes come in, the output is valid JSON. */
START_TEST(t_random_bytes)
{
	char s[64];
	struct json j;
	size_t n, i;
	int k;

	json_init(&j, 1 << 20);
	json_arr_begin(&j, NULL);
	for (k = 0; k < 3000; k++) {
		n = rnd() % sizeof(s);
		for (i = 0; i < n; i++) {
			uint32_t r = rnd();

			/* Mostly high bytes, where UTF-8 goes wrong. */
			s[i] = (char)(r & 0x100 ? (r & 0xff) | 0x80 : r & 0xff);
		}
		json_strn(&j, NULL, s, n);
	}
	json_arr_end(&j);
	ck_assert(json_ok(&j));
	ck_assert(json_valid(json_text(&j)));
	json_free(&j);
}
END_TEST

/* A document with every kind of value and escapes to cut through. */
static void build_doc(struct json *j)
{
	json_obj_begin(j, NULL);
	json_str(j, "s", "a\"\\\x01\xc3\xa9\xff");
	json_arr_begin(j, "a");
	json_u64(j, NULL, UINT64_MAX);
	json_i64(j, NULL, INT64_MIN);
	json_fixed(j, NULL, 2.5, 2);
	json_bool(j, NULL, true);
	json_null(j, NULL);
	json_obj_begin(j, NULL);
	json_obj_end(j);
	json_arr_end(j);
	json_str(j, "long", "0123456789abcdef\t0123456789abcdef");
	json_obj_end(j);
}

START_TEST(t_fixed_overflow)
{
	char area[512], ref[512];
	struct json j;
	size_t full, cap, i;

	json_init_fixed(&j, ref, sizeof(ref));
	build_doc(&j);
	ck_assert(json_ok(&j));
	ck_assert(json_valid(ref));
	full = strlen(ref);

	for (cap = 0; cap <= full + 2; cap++) {
		memset(area, '#', sizeof(area));
		json_init_fixed(&j, area + 16, cap);
		build_doc(&j);
		if (cap > full) {
			ck_assert(json_ok(&j));
			ck_assert_str_eq(json_text(&j), ref);
		} else {
			ck_assert_msg(!json_ok(&j), "cap %zu", cap);
			ck_assert_ptr_null(json_text(&j));
			/* What was written is a NUL-terminated prefix. */
			if (cap > 0) {
				ck_assert_uint_lt(strlen(area + 16), cap);
				ck_assert(strncmp(area + 16, ref,
						  strlen(area + 16)) == 0);
			}
		}
		for (i = 0; i < 16; i++)
			ck_assert_int_eq(area[i], '#');
		for (i = 16 + cap; i < sizeof(area); i++)
			ck_assert_msg(area[i] == '#', "cap %zu: byte %zu", cap,
				      i - 16);
	}
}
END_TEST

START_TEST(t_sticky_failure)
{
	char buf[8];
	struct json j;
	size_t len;

	json_init_fixed(&j, buf, sizeof(buf));
	json_arr_begin(&j, NULL);
	json_str(&j, NULL, "too long for it");
	ck_assert(!json_ok(&j));
	len = j.len;
	json_u64(&j, NULL, 1);
	json_arr_end(&j);
	ck_assert(!json_ok(&j));
	ck_assert_uint_eq(j.len, len);
	ck_assert_ptr_null(json_text(&j));
	json_reset(&j);
	ck_assert(json_ok(&j));
	json_u64(&j, NULL, 7);
	ck_assert_str_eq(json_text(&j), "7");
}
END_TEST

START_TEST(t_growing_max)
{
	struct json j;
	int i;

	/* len + NUL must fit in max. */
	json_init(&j, 16);
	json_str(&j, NULL, "0123456789abc");
	ck_assert(json_ok(&j));
	ck_assert_str_eq(json_text(&j), "\"0123456789abc\"");
	json_free(&j);

	json_init(&j, 16);
	json_str(&j, NULL, "0123456789abcd");
	ck_assert(!json_ok(&j));
	ck_assert_ptr_null(json_text(&j));
	json_free(&j);

	/* Growth past the first allocation. */
	json_init(&j, 1 << 16);
	json_arr_begin(&j, NULL);
	for (i = 0; i < 1000; i++)
		json_u64(&j, NULL, 12345);
	json_arr_end(&j);
	ck_assert(json_ok(&j));
	ck_assert_uint_eq(strlen(json_text(&j)), 2 + 1000 * 5 + 999);
	ck_assert(json_valid(json_text(&j)));
	json_free(&j);
}
END_TEST

START_TEST(t_numbers)
{
	char out[32], buf[256];
	struct json j;

	memset(out, '#', sizeof(out));
	ck_assert_uint_eq(json_fmt_u64(out, 0), 1);
	ck_assert_str_eq(out, "0");
	ck_assert_uint_eq(json_fmt_u64(out, 10), 2);
	ck_assert_str_eq(out, "10");
	memset(out, '#', sizeof(out));
	ck_assert_uint_eq(json_fmt_u64(out, UINT64_MAX), 20);
	ck_assert_str_eq(out, "18446744073709551615");
	ck_assert_int_eq(out[21], '#');
	/* Every length, each side of every power of ten, and at random. */
	{
		char want[32];
		uint64_t p10 = 1, v;
		int i, k;

		for (i = 0; i < 20; i++, p10 *= 10)
			for (k = -2; k <= 2; k++) {
				v = p10 + (uint64_t)(int64_t)k;
				snprintf(want, sizeof(want), "%llu",
					 (unsigned long long)v);
				ck_assert_uint_eq(json_fmt_u64(out, v),
						  strlen(want));
				ck_assert_str_eq(out, want);
			}
		srandom(3);
		for (i = 0; i < 100000; i++) {
			v = (uint64_t)random() << 33 ^ (uint64_t)random();
			v >>= random() % 64;
			snprintf(want, sizeof(want), "%llu",
				 (unsigned long long)v);
			json_fmt_u64(out, v);
			ck_assert_str_eq(out, want);
		}
	}

	json_init_fixed(&j, buf, sizeof(buf));
	json_arr_begin(&j, NULL);
	json_i64(&j, NULL, INT64_MIN);
	json_i64(&j, NULL, INT64_MAX);
	json_i64(&j, NULL, -1);
	json_i64(&j, NULL, 0);
	json_u64(&j, NULL, 0);
	json_u64(&j, NULL, UINT64_MAX);
	json_arr_end(&j);
	ck_assert_str_eq(json_text(&j),
			 "[-9223372036854775808,9223372036854775807,-1,0,0,"
			 "18446744073709551615]");
	ck_assert(json_valid(buf));
}
END_TEST

START_TEST(t_fixed)
{
	char buf[256];
	struct json j;

	json_init_fixed(&j, buf, sizeof(buf));
	json_obj_begin(&j, NULL);
	json_fixed(&j, "pi", 3.14159, 2);
	json_fixed(&j, "neg", -0.5, 3);
	json_fixed(&j, "int", 12.0, 0);
	json_fixed(&j, "rate", 0.125, 1);
	/* JSON has no NaN or infinity: they read as 0. */
	json_fixed(&j, "nan", NAN, 2);
	json_fixed(&j, "inf", INFINITY, 1);
	json_fixed(&j, "ninf", -INFINITY, 0);
	json_obj_end(&j);
	ck_assert(json_ok(&j));
	ck_assert_str_eq(json_text(&j),
			 "{\"pi\":3.14,\"neg\":-0.500,\"int\":12,"
			 "\"rate\":0.1,\"nan\":0.00,\"inf\":0.0,\"ninf\":0}");
	ck_assert(json_valid(buf));
}
END_TEST

START_TEST(t_depth)
{
	char want[64];
	struct json j;
	int i;

	json_init(&j, 4096);
	for (i = 0; i < JSON_MAX_DEPTH - 1; i++)
		json_arr_begin(&j, NULL);
	for (i = 0; i < JSON_MAX_DEPTH - 1; i++)
		json_arr_end(&j);
	ck_assert(json_ok(&j));
	memset(want, '[', JSON_MAX_DEPTH - 1);
	memset(want + JSON_MAX_DEPTH - 1, ']', JSON_MAX_DEPTH - 1);
	want[2 * (JSON_MAX_DEPTH - 1)] = '\0';
	ck_assert_str_eq(json_text(&j), want);

	json_reset(&j);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_obj_begin(&j, i ? "k" : NULL);
	ck_assert(!json_ok(&j));

	/* Closing what was never opened. */
	json_reset(&j);
	json_arr_end(&j);
	ck_assert(!json_ok(&j));
	json_free(&j);
}
END_TEST

START_TEST(t_escape_api)
{
	char out[8];

	ck_assert_uint_eq(json_escape(NULL, 0, "a\"b", 3), 4);
	memset(out, '#', sizeof(out));
	ck_assert_uint_eq(json_escape(out, 5, "a\"b", 3), 4);
	ck_assert_str_eq(out, "a\\\"b");
	/* No room for the NUL. */
	memset(out, '#', sizeof(out));
	ck_assert_uint_eq(json_escape(out, 4, "a\"b", 3), (size_t)-1);
	ck_assert_int_eq(out[4], '#');
	memset(out, '#', sizeof(out));
	ck_assert_uint_eq(json_escape(out, 0, "a", 1), (size_t)-1);
	ck_assert_int_eq(out[0], '#');
	ck_assert_uint_eq(json_escape(out, 1, "", 0), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(json_escape(NULL, 0, "\xff", 1), 6);
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("writer");

	tcase_add_test(tc, t_validator);
	tcase_add_test(tc, t_object_array);
	tcase_add_test(tc, t_escape_specials);
	tcase_add_test(tc, t_utf8_valid);
	tcase_add_test(tc, t_utf8_invalid);
	tcase_add_test(tc, t_random_bytes);
	tcase_add_test(tc, t_fixed_overflow);
	tcase_add_test(tc, t_sticky_failure);
	tcase_add_test(tc, t_growing_max);
	tcase_add_test(tc, t_numbers);
	tcase_add_test(tc, t_fixed);
	tcase_add_test(tc, t_depth);
	tcase_add_test(tc, t_escape_api);
	suite_add_tcase(s, tc);
	return s;
}
