/* evsink: the -e file the event lines go to, buffered per batch. */
#ifndef RSTMON_EVSINK_H
#define RSTMON_EVSINK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVSINK_BUFLEN (256 * 1024)

/*
 * The -e output.  Lines are buffered and written per batch.  When the
 * reader of a pipe or terminal stalls, lines are dropped and counted
 * rather than blocking the daemon; a regular file is written as is.
 */
struct evsink {
	int fd;
	bool nonblocking;
	bool is_stdout;
	bool created; /* evsink_open made the file (O_EXCL) */
	char path[PATH_MAX];
	char *buf;
	size_t len;
	uint64_t lines;	  /* written or queued */
	uint64_t dropped; /* lines lost to a stalled reader */
	uint64_t write_errors;
};

/*
 * path "-" is stdout.  A path is never followed through a symbolic link
 * and must name a regular file with one link, or a character device
 * (/dev/null): the directory may belong to the user rstmond runs as,
 * who could plant a link to a file of root's.  `created` says whether
 * this call made the file; only such a file may be given to that user.
 * Returns 0, or -1 with a one-line message naming the file in err.
 */
int evsink_open(struct evsink *s, const char *path, char *err, size_t errlen);
void evsink_line(struct evsink *s, const char *line, size_t len);
void evsink_flush(struct evsink *s);
/* Reopen the file (after log rotation), as safely; stdout is kept. */
int evsink_reopen(struct evsink *s, char *err, size_t errlen);
void evsink_close(struct evsink *s);

#endif
