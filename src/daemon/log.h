/* log: one place for every message rstmond prints (stderr or syslog). */
#ifndef RSTMON_LOG_H
#define RSTMON_LOG_H

#include <stdbool.h>
#include <stddef.h>

#define LOG_CHECKFMT(a, b) __attribute__((format(printf, a, b)))

/* Until log_init(…, false) every message goes to stderr. */
void log_init(const char *ident, bool to_stderr, int verbose);
void log_set_verbose(int verbose);
int log_verbose(void);

/*
 * in made safe for one log line into out (outlen bytes with the NUL):
 * control characters (C0, DEL, C1) and bytes that are not UTF-8 become
 * \xHH.  Every message goes through it: a process name any local user
 * chooses (owner= of an alert) must not end a syslog line with \r or \n
 * and forge the next one for fail2ban.  An escape is never cut; returns
 * the length written.
 */
size_t log_escape(char *out, size_t outlen, const char *in);

void log_warn(const char *fmt, ...) LOG_CHECKFMT(1, 2); /* + strerror */
void log_warnx(const char *fmt, ...) LOG_CHECKFMT(1, 2);
void log_info(const char *fmt, ...) LOG_CHECKFMT(1, 2);
void log_debug(const char *fmt, ...) LOG_CHECKFMT(1, 2); /* -v only */
__attribute__((noreturn)) void fatal(const char *fmt, ...) LOG_CHECKFMT(1, 2);
__attribute__((noreturn)) void fatalx(const char *fmt, ...) LOG_CHECKFMT(1, 2);

#endif
