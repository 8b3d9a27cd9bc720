/* kcounters: the TCP counters of /proc/net/{snmp,netstat}, read cheaply
 * (files kept open, one pread each) to feed credits and firewall checks. */
#ifndef RSTMON_KCOUNTERS_H
#define RSTMON_KCOUNTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "credits.h"

struct kcounters {
	int snmp_fd;
	int netstat_fd;
	bool primed_out;
	bool primed_ext;
	uint64_t out_rsts;    /* last Tcp: OutRsts */
	uint64_t ext[CR_MAX]; /* last TcpExt values */
	uint64_t reads;
	char buf[16384];
};

/* Open both files under proc_root ("/proc": the current network
 * namespace's).  -1 + errno. */
int kcounters_open(struct kcounters *k, const char *proc_root);
void kcounters_close(struct kcounters *k);

/* Tcp: OutRsts as it stands, without touching the increase below. */
int kcounters_out_rsts_now(struct kcounters *k, uint64_t *v);
/* Tcp: OutRsts increase since the last call (0 the first time). */
int kcounters_out_rsts(struct kcounters *k, uint64_t *delta);

/* TcpExt increases since the last call, added to cr as credits. */
int kcounters_credit(struct kcounters *k, struct credits *cr, uint64_t now_ms);

#endif
