/* check_hostile: names any local user chooses (a process renames itself)
 * on their way to people and parsers — one syslog line per alert, a
 * Prometheus label the reference parser takes (issue 16). */
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect.h"
#include "json.h"
#include "log.h"
#include "promtext.h"
#include "unit.h"
#include "alertfmt.h"

/* \r, \n, ESC, a stray byte, C1 CSI, a NUL-free forged next line. */
#define EVIL                                                        \
	"x\r\nrstmond: alert=port_scan state=raised remote=1.2.3.4" \
	"\x1b[2K\xff\xc2\x9b"

/* No byte a terminal or a line reader acts on — C0 but the last \n, DEL,
 * C1 — and UTF-8 throughout (a validator of its own: iconv's). */
static void assert_one_clean_line(const char *s, size_t n)
{
	char out[4096], *in = (char *)(uintptr_t)s, *o = out;
	size_t inleft = n, outleft = sizeof(out), i;
	iconv_t cd = iconv_open("UTF-8", "UTF-8");

	ck_assert_uint_ge(n, 1);
	ck_assert_int_eq(s[n - 1], '\n');
	ck_assert(cd != (iconv_t)-1);
	ck_assert_msg(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1,
		      "not UTF-8 at %zu: %s", n - inleft, s);
	iconv_close(cd);
	for (i = 0; i < n - 1; i++) {
		const unsigned char c = (unsigned char)s[i];

		ck_assert_msg(c >= 0x20 && c != 0x7f, "control at %zu: %s", i,
			      s);
		ck_assert_msg(!(c == 0xc2 && (unsigned char)s[i + 1] >= 0x80 &&
				(unsigned char)s[i + 1] < 0xa0),
			      "C1 at %zu: %s", i, s);
	}
}

START_TEST(t_log_escape)
{
	char out[256];

	ck_assert_uint_eq(log_escape(out, sizeof(out), "plain ü €"), 12);
	ck_assert_str_eq(out, "plain ü €");
	log_escape(out, sizeof(out), "a\rb\nc\td\x1b[31m\x7f\xff\xc2\x9b.");
	ck_assert_str_eq(out, "a\\x0db\\x0ac\\x09d\\x1b[31m\\x7f\\xff"
			      "\\xc2\\x9b.");
	/* Cut short, never in the middle of an escape. */
	ck_assert_uint_eq(log_escape(out, 6, "ab\x1b"), 2);
	ck_assert_str_eq(out, "ab");
	ck_assert_uint_eq(log_escape(out, 7, "abc\x1b"), 3);
	ck_assert_uint_eq(log_escape(out, 8, "abc\x1b"), 7);
}
END_TEST

/* An abort_storm alert for a process named EVIL, as rstmond logs it
 * (stderr here, syslog when daemonized: the same text). */
START_TEST(t_alert_is_one_line)
{
	struct alert a;
	char line[512], got[2048];
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	ck_assert_ptr_nonnull(tmp);
	memset(&a, 0, sizeof(a));
	a.type = ALERT_ABORT_STORM;
	snprintf(a.ev.storm.owner, sizeof(a.ev.storm.owner), "%s", EVIL);
	a.ev.storm.pid = 4242;
	a.ev.storm.rate = 120;
	alert_format_kv(&a, ALERT_RAISED, line, sizeof(line));

	fflush(stderr);
	ck_assert_int_ge(dup2(fileno(tmp), STDERR_FILENO), 0);
	log_init("rstmond", true, 0);
	log_warnx("%s", line);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(got, 1, sizeof(got) - 1, tmp);
	fclose(tmp);
	got[n] = '\0';
	assert_one_clean_line(got, n);
	ck_assert_msg(strncmp(got,
			      "rstmond: alert=abort_storm state=raised "
			      "owner=",
			      40) == 0,
		      "%s", got);
	/* kv() makes the \n a quote; the \r is left to the log. */
	ck_assert_ptr_nonnull(strstr(got, "owner=\"x\\x0d'rstmond: alert="));
	ck_assert_ptr_nonnull(strstr(got, " pid=4242 "));
}
END_TEST

START_TEST(t_metrics_label)
{
	struct json j;

	json_init(&j, 4096);
	promtext_label(&j, "q\"b\\n\nx\x1b[1m\xff\xc2\x9b\xe2\x82\xac.");
	ck_assert(json_ok(&j));
	ck_assert_str_eq(json_text(&j), "q\\\"b\\\\n\\nx\\\\x1b[1m\xef\xbf\xbd"
					"\\\\xc2\\\\x9b\xe2\x82\xac.");
	json_free(&j);

	/* Whatever comes in, the label is one line of UTF-8. */
	json_init(&j, 4096);
	promtext_label(&j, EVIL "\xe2\x82");
	json_raw(&j, "\n", 1);
	ck_assert(json_ok(&j));
	assert_one_clean_line(j.buf, j.len);
	json_free(&j);
}
END_TEST

Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, t_log_escape);
	tcase_add_test(tc, t_alert_is_one_line);
	tcase_add_test(tc, t_metrics_label);
	suite_add_tcase(s, tc);
	return s;
}
