/* sandbox: a seccomp filter (libseccomp) for the unprivileged daemon —
 * the system calls an exploit reaches for and rstmond never makes after
 * start-up fail with EPERM. */
#ifndef RSTMON_SANDBOX_H
#define RSTMON_SANDBOX_H

#include <stddef.h>

/*
 * Install the filter on this process (and what it runs: hooks).  Needs
 * no_new_privs (privdrop_all sets it).  Returns 0, or -1 with a message
 * in err (then no filter is installed).
 */
int sandbox_apply(char *err, size_t errlen);

#endif
