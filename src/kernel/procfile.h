/* procfile: a small /proc or /sys file read whole. */
#ifndef RSTMON_PROCFILE_H
#define RSTMON_PROCFILE_H

#include <stddef.h>

/*
 * Read a whole file into buf (NUL-terminated), cut to buflen - 1 bytes.
 * /proc/net follows the reading thread's network namespace.  Returns
 * the length, or -1 with errno (EINVAL when buflen is 0).
 */
long procfile_read(const char *path, char *buf, size_t buflen);
/* The same, path relative to dirfd (an open /proc), as openat(2). */
long procfile_read_at(int dirfd, const char *path, char *buf, size_t buflen);

#endif
