/* log: one place for every message rstmond prints (stderr or syslog). */
#ifndef RSTMON_LOG_H
#define RSTMON_LOG_H

#include <stdbool.h>

#define LOG_CHECKFMT(a, b) __attribute__((format(printf, a, b)))

/* Until log_init(…, false) every message goes to stderr. */
void log_init(const char *ident, bool to_stderr, int verbose);
void log_set_verbose(int verbose);
int log_verbose(void);

void log_warn(const char *fmt, ...) LOG_CHECKFMT(1, 2);	/* + strerror */
void log_warnx(const char *fmt, ...) LOG_CHECKFMT(1, 2);
void log_info(const char *fmt, ...) LOG_CHECKFMT(1, 2);
void log_debug(const char *fmt, ...) LOG_CHECKFMT(1, 2);	/* -v only */
__attribute__((noreturn)) void fatal(const char *fmt, ...) LOG_CHECKFMT(1, 2);
__attribute__((noreturn)) void fatalx(const char *fmt, ...) LOG_CHECKFMT(1, 2);

#endif
