/* ctl: the pieces of rstmonctl — its options, the commands main()
 * dispatches to, and what the commands share (transport, formatting). */
#ifndef RSTMON_CTL_H
#define RSTMON_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct ctl_opts {
	const char *socket_path;
	bool json;
	bool watch;   /* top: refresh until interrupted */
	int interval; /* seconds between refreshes */
	int argc;     /* the verb and its arguments */
	char **argv;
};

/*
 * Transport (ctl_conn.c).  The commands call these; these call nothing
 * of the commands'.
 */

/* The step of ctl_connect() that failed. */
enum ctl_step {
	CTL_STEP_PATH, /* too long for sun_path: ENAMETOOLONG */
	CTL_STEP_SOCKET,
	CTL_STEP_CONNECT,
	CTL_STEP_SEND,
};

/*
 * Connect to the control socket at path and send line and a newline.
 * Returns the connected descriptor, the caller's to read and close, or -1
 * with errno set and *step saying what failed.  Prints nothing: a request
 * and an events follower each say it in their own words.
 */
int ctl_connect(const char *path, const char *line, enum ctl_step *step);

/*
 * Send one command line and read the whole reply.  Returns a malloc'd
 * NUL-terminated string, or NULL after printing an error that says what
 * to do.
 */
char *ctl_request(const char *path, const char *line);

/* Parse a JSON reply; prints the daemon's {"error":…} and returns NULL. */
json_t *ctl_parse(const char *text);

/*
 * ctl_request + ctl_parse.  On success *reply holds the raw text (for
 * --json) and the parsed document is returned; both are the caller's to
 * free.  NULL after an error has been printed.
 */
json_t *ctl_fetch(const struct ctl_opts *o, const char *line, char **reply);

/* ctl_safe() of a member's string value, or NULL. */
const char *ctl_str(const json_t *obj, const char *key);
/* A member as a count: 0 when absent, negative or not a number. */
uint64_t ctl_u64(const json_t *obj, const char *key);

/* Formatting (ctl_fmt.c): pure, no I/O. */

/*
 * s as it may reach a terminal: control characters (C0, DEL, C1) and
 * bytes that are not UTF-8 as \xHH, as `ls -b` shows them.  Names come
 * from any local user (a process names itself): their escape sequences
 * must not drive the admin's terminal.  The text lives in one of a few
 * rotating buffers, valid for the next CTL_SAFE_SLOTS - 1 calls, so that
 * one printf can take several; long text is cut.  NULL stays NULL.
 */
#define CTL_SAFE_SLOTS 8
const char *ctl_safe(const char *s);

/* "1,234,567" */
const char *ctl_group_digits(uint64_t v, char *buf, size_t len);
/* "15.0/s", "0.25/s", "1.2k/s" */
const char *ctl_rate(double r, char *buf, size_t len);
/* "3d 4h", "5m 12s", "42s" */
const char *ctl_duration(uint64_t s, char *buf, size_t len);

/*
 * The commands, one ctl_<verb>.c each (bans and unban share one), run
 * from rstmonctl.c's table.  Each returns the exit status: 0; 1 when
 * rstmond could not be asked, said no, or (events) hung up; 2 for bad
 * arguments.
 */
int ctl_status(const struct ctl_opts *o);
int ctl_top(const struct ctl_opts *o);
int ctl_alerts(const struct ctl_opts *o);
int ctl_events(const struct ctl_opts *o);
int ctl_metrics(const struct ctl_opts *o);
int ctl_reload(const struct ctl_opts *o);
int ctl_bans(const struct ctl_opts *o);
int ctl_unban(const struct ctl_opts *o);

#endif
