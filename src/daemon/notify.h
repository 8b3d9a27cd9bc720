/* notify: tell systemd (Type=notify) how the daemon is doing, through
 * $NOTIFY_SOCKET; nothing when it is not set.  No libsystemd needed. */
#ifndef RSTMON_NOTIFY_H
#define RSTMON_NOTIFY_H

/* "READY=1", "RELOADING=1", "STOPPING=1", "STATUS=…" (newline-separated
 * for several).  Failures are ignored: systemd will time out and say. */
void notify(const char *state);

#endif
