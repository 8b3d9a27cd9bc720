/* version: what rstmond and rstmonctl agree on without sharing code. */
#ifndef RSTMON_VERSION_H
#define RSTMON_VERSION_H

/*
 * Both programs print the version, and the client must find the socket
 * the daemon opens by default: one definition each, so that they cannot
 * drift.  The client includes nothing else of the daemon's.
 */
#define RSTMON_VERSION "0.1.0"
#define RSTMON_DEFAULT_SOCKET "/run/rstmon/rstmond.sock"

#endif
