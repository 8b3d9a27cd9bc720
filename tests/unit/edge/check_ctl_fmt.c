/* check_ctl_fmt: what rstmonctl prints of a name any local user chose,
 * and its numbers, durations and rates. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "ctl.h"
#include "unit.h"

START_TEST(test_safe_passes_text)
{
	ck_assert_ptr_null(ctl_safe(NULL));
	ck_assert_str_eq(ctl_safe(""), "");
	ck_assert_str_eq(ctl_safe("nginx: worker"), "nginx: worker");
	/* A backslash stays: systemd already escaped its unit names. */
	ck_assert_str_eq(ctl_safe("a\\x2db.service"), "a\\x2db.service");
	/* UTF-8 of two, three and four bytes, the highest code point. */
	ck_assert_str_eq(ctl_safe("caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x90\xa7"),
			 "caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x90\xa7");
	ck_assert_str_eq(ctl_safe("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");
	ck_assert_str_eq(ctl_safe("\xc2\xa0"), "\xc2\xa0");
}
END_TEST

START_TEST(test_safe_escapes_controls)
{
	/* C0, DEL and C1: each could drive a terminal. */
	ck_assert_str_eq(ctl_safe("x\033[31my"), "x\\x1b[31my");
	ck_assert_str_eq(ctl_safe("\t\r\n"), "\\x09\\x0d\\x0a");
	ck_assert_str_eq(ctl_safe("\x7f"), "\\x7f");
	ck_assert_str_eq(ctl_safe("\xc2\x9b"
				  "2J"),
			 "\\xc2\\x9b2J");
}
END_TEST

START_TEST(test_safe_escapes_bad_utf8)
{
	ck_assert_str_eq(ctl_safe("\xff"), "\\xff");
	/* Overlong, surrogate, above U+10FFFF, a lone continuation byte. */
	ck_assert_str_eq(ctl_safe("\xc0\xaf"), "\\xc0\\xaf");
	ck_assert_str_eq(ctl_safe("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	ck_assert_str_eq(ctl_safe("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	ck_assert_str_eq(ctl_safe("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	ck_assert_str_eq(ctl_safe("\x80"), "\\x80");
	/* Cut short by the end of the string: no read past the NUL. */
	ck_assert_str_eq(ctl_safe("a\xe2\x80"), "a\\xe2\\x80");
}
END_TEST

START_TEST(test_safe_slots_and_cut)
{
	const char *p[CTL_SAFE_SLOTS];
	char name[16], big[3000];
	size_t i;

	/* One printf may take CTL_SAFE_SLOTS of them at once. */
	for (i = 0; i < CTL_SAFE_SLOTS; i++) {
		snprintf(name, sizeof(name), "n%zu", i);
		p[i] = ctl_safe(name);
	}
	for (i = 0; i < CTL_SAFE_SLOTS; i++) {
		snprintf(name, sizeof(name), "n%zu", i);
		ck_assert_str_eq(p[i], name);
	}
	/* Long text is cut, never an escape in half. */
	memset(big, '\033', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_uint_lt(strlen(ctl_safe(big)), 1024);
	ck_assert_uint_eq(strlen(ctl_safe(big)) % 4, 0);
}
END_TEST

START_TEST(test_group_digits)
{
	char b[32];

	ck_assert_str_eq(ctl_group_digits(0, b, sizeof(b)), "0");
	ck_assert_str_eq(ctl_group_digits(999, b, sizeof(b)), "999");
	ck_assert_str_eq(ctl_group_digits(1000, b, sizeof(b)), "1,000");
	ck_assert_str_eq(ctl_group_digits(1234567, b, sizeof(b)), "1,234,567");
	ck_assert_str_eq(ctl_group_digits(UINT64_MAX, b, sizeof(b)),
			 "18,446,744,073,709,551,615");
	/* A short buffer cuts, and stays terminated. */
	ck_assert_uint_lt(strlen(ctl_group_digits(1234567, b, 6)), 6);
}
END_TEST

START_TEST(test_rate)
{
	char b[32];

	ck_assert_str_eq(ctl_rate(0, b, sizeof(b)), "0.00/s");
	ck_assert_str_eq(ctl_rate(0.25, b, sizeof(b)), "0.25/s");
	ck_assert_str_eq(ctl_rate(19.2, b, sizeof(b)), "19.2/s");
	ck_assert_str_eq(ctl_rate(115.2, b, sizeof(b)), "115/s");
	ck_assert_str_eq(ctl_rate(12345, b, sizeof(b)), "12.3k/s");
}
END_TEST

START_TEST(test_duration)
{
	char b[32];

	ck_assert_str_eq(ctl_duration(0, b, sizeof(b)), "0s");
	ck_assert_str_eq(ctl_duration(42, b, sizeof(b)), "42s");
	ck_assert_str_eq(ctl_duration(312, b, sizeof(b)), "5m 12s");
	ck_assert_str_eq(ctl_duration(3725, b, sizeof(b)), "1h 2m");
	ck_assert_str_eq(ctl_duration(90061, b, sizeof(b)), "1d 1h");
}
END_TEST

Suite *ctl_fmt_suite(void)
{
	Suite *s = suite_create("ctl_fmt");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, test_safe_passes_text);
	tcase_add_test(tc, test_safe_escapes_controls);
	tcase_add_test(tc, test_safe_escapes_bad_utf8);
	tcase_add_test(tc, test_safe_slots_and_cut);
	tcase_add_test(tc, test_group_digits);
	tcase_add_test(tc, test_rate);
	tcase_add_test(tc, test_duration);
	suite_add_tcase(s, tc);
	return s;
}
