/* privops: the privileged helper.  After start-up, only this small
 * process keeps privilege: CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH to read
 * other users' /proc/PID/fd and /proc/TID/ns/net, CAP_NET_ADMIN for
 * nf_tables (nfnetlink checks the *sender's* capability on every
 * message).  It parses no network bytes: it answers fixed-size requests
 * over a socketpair, each checked field by field (as OpenNTPD's parent
 * and chrony's privops.c do).  The daemon, which reads everything hostile,
 * keeps no capability at all. */
#ifndef RSTMON_PRIVOPS_H
#define RSTMON_PRIVOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "privproto.h"

struct privops {
	int fd;	   /* our end of the socketpair; -1: none */
	pid_t pid; /* the helper; 0 once reaped */
	bool alive;
	int exit_status; /* wait status, once reaped */
	uint64_t requests;
	uint64_t failures; /* requests the helper answered with an error */
};

struct privops_params {
	const char *user;	/* the helper's user ("": stay root) */
	const char *rules_path; /* what RULES_INSTALL loads ("": none) */
};

/*
 * Fork the helper in the current network namespace (call as root, before
 * anything hostile is read).  It keeps only the three capabilities above,
 * switches to p->user when given, sets no_new_privs, closes every other
 * descriptor and serves until its socket closes.  Returns 0, or -1 with a
 * message in err.
 */
int privops_start(struct privops *pv, const struct privops_params *p, char *err,
		  size_t errlen);
/* Close our end (the helper exits) and reap it (waiting at most wait_ms,
 * then SIGKILL). */
void privops_stop(struct privops *pv, unsigned int wait_ms);
/* SIGCHLD: reap the helper if it died; true when it did now. */
bool privops_reap(struct privops *pv);

/*
 * The requests.  Each returns what the nftsock/ruleset/procfd function of
 * the same name would (0 or >= 0, or -1 with errno), computed by the
 * helper; -1 with EPIPE when the helper is gone (pv->alive false).
 */
int privops_fd_sockets(void *pv, uint32_t pid, uint64_t *cursor,
		       unsigned int budget, uint64_t *inodes, unsigned int max,
		       unsigned int *links);
int privops_netns_of(void *pv, uint32_t tid, uint64_t *dev, uint64_t *ino);
int privops_counter_read(struct privops *pv, uint64_t *packets);
int privops_table_handle(struct privops *pv, uint64_t *handle);
int privops_set_handle(struct privops *pv, enum privops_set set,
		       uint64_t *handle);
int privops_set_add(struct privops *pv, enum privops_set set,
		    const uint8_t *keys, unsigned int n,
		    const uint64_t *timeouts_ms);
int privops_set_del(struct privops *pv, enum privops_set set,
		    const uint8_t *keys, unsigned int n);
/* Load the rules file given at start / delete table inet rstmon; -1 with
 * nft's message in err. */
int privops_rules_install(struct privops *pv, char *err, size_t errlen);
int privops_rules_remove(struct privops *pv, char *err, size_t errlen);

#endif
