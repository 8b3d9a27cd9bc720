/* actions: what rstmond does about an alert — list the offending
 * addresses in the rules' rate-limit sets, run the operator's hook —
 * and never anything to an allow-listed address. */
#ifndef RSTMON_ACTIONS_H
#define RSTMON_ACTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "allowlist.h"
#include "banlist.h"
#include "hook.h"

#define ACTION_RECS 256
/* syn_flood: list at most this many of the loudest targets, each one
 * with at least FLOOD_TARGET_MIN resets in the last 10 s. */
#define FLOOD_TARGETS_MAX 32
#define FLOOD_TARGET_MIN 10

/* What was done for an alert, for `alerts --json` (a ring). */
struct action_rec {
	int8_t type;			/* enum alert_type; -1: free */
	char key[96];
	char what[12];			/* "ratelimit", "hook" */
	char target[48];		/* an address, or the hook's state */
	char set[12];
	char result[24];		/* "added", "allowlisted", … */
	int64_t at_wall;
	int64_t expires_wall;		/* 0: none */
	bool dry_run;
};

struct actions {
	bool ratelimit;
	bool dry_run;
	bool drop_mode;
	bool drop_unproven;		/* the operator's choice, warned */
	unsigned int on_mask;		/* 1 << alert type */
	uint64_t proof_window_ms;	/* a handshake this recent proves */
	uint64_t timeout_ms;
	struct allowlist allow;
	struct banlist bans;
	bool bans_ok;
	bool hook_on;
	struct hooks hooks;
	/* The nft objects we use, as last seen (checked every 2 s). */
	bool nft_present;
	bool nft_warned;
	uint64_t table_handle;		/* changes when it is created again */
	uint64_t checked_ms;
	struct hook_job job;		/* scratch: too big for the stack */
	struct action_rec rec[ACTION_RECS];
	unsigned int rec_next;
	uint64_t added, refused_allow, failed, restored, reinstalled;
	uint64_t refused_unproven;	/* drops refused: no handshake */
	uint64_t unbanned;		/* lifted: unban, or allow-listed */
};

#endif
