/* log: stderr while in the foreground, syslog (facility daemon) otherwise. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "json.h"
#include "log.h"

static bool log_stderr = true;
static int log_level_verbose;
static const char *log_ident = "rstmond";

void log_init(const char *ident, bool to_stderr, int verbose)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_level_verbose = verbose;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_verbose(int verbose)
{
	log_level_verbose = verbose;
}

int log_verbose(void)
{
	return log_level_verbose;
}

size_t log_escape(char *out, size_t outlen, const char *in)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(in), i = 0, o = 0, len, k, j;
	bool esc;
	char tmp[8];

	if (outlen == 0)
		return 0;
	while (i < n) {
		const unsigned char *p = (const unsigned char *)in + i;

		len = json_utf8_len(in + i, n - i);
		/* Not UTF-8, C0, DEL, or C1 (U+0080-U+009F: NEL, CSI…). */
		esc = len == 0 || (len == 1 && (p[0] < 0x20 || p[0] == 0x7f)) ||
		      (len == 2 && p[0] == 0xc2 && p[1] < 0xa0);
		if (len == 0)
			len = 1;
		if (!esc) {
			memcpy(tmp, p, len);
			k = len;
		} else {
			for (j = k = 0; j < len; j++) {
				tmp[k++] = '\\';
				tmp[k++] = 'x';
				tmp[k++] = hex[p[j] >> 4];
				tmp[k++] = hex[p[j] & 15];
			}
		}
		if (o + k >= outlen)
			break;
		memcpy(out + o, tmp, k);
		o += k;
		i += len;
	}
	out[o] = '\0';
	return o;
}

/* Its callers take a printf format (and are checked as such). */
static void log_vwrite(int pri, const char *fmt, va_list ap, const char *err)
	__attribute__((format(printf, 2, 0)));

static void log_vwrite(int pri, const char *fmt, va_list ap, const char *err)
{
	char raw[1024], msg[4 * sizeof(raw)];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	log_escape(msg, sizeof(msg), raw);
	if (log_stderr) {
		if (err)
			fprintf(stderr, "%s: %s: %s\n", log_ident, msg, err);
		else
			fprintf(stderr, "%s: %s\n", log_ident, msg);
		return;
	}
	if (err)
		syslog(pri, "%s: %s", msg, err);
	else
		syslog(pri, "%s", msg);
}

void log_warn(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, err);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level_verbose < 1)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, err);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
