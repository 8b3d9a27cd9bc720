/* actions: what rstmond does about an alert — list the offending
 * addresses in the rules' rate-limit sets, run the operator's hook —
 * and never anything to an allow-listed address. */
#ifndef RSTMON_ACTIONS_H
#define RSTMON_ACTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "allowlist.h"
#include "banlist.h"
#include "config.h"
#include "detect.h"
#include "hook.h"
#include "json.h"
#include "loop.h"
#include "netif.h"
#include "privops.h"
#include "stats.h"

struct attrib;

#define ACTION_RECS 256
/* syn_flood: list at most this many of the loudest targets, each one
 * with at least FLOOD_TARGET_MIN resets in the last 10 s. */
#define FLOOD_TARGETS_MAX 32
#define FLOOD_TARGET_MIN 10

/* What was done for an alert, for `alerts --json` (a ring). */
struct action_rec {
	int8_t type; /* enum alert_type; -1: free */
	char key[96];
	char what[12];	 /* "ratelimit", "hook" */
	char target[48]; /* an address, or the hook's state */
	char set[12];
	char result[24]; /* "added", "allowlisted", … */
	int64_t at_wall;
	int64_t expires_wall; /* 0: none */
	bool dry_run;
};

/* What actions works with, given at setup: nothing else is reached. */
struct actions_deps {
	struct loop *loop;	     /* and its wakeup clock */
	struct privops *priv;	     /* nf_tables, through the helper */
	const struct netif *netif;   /* this host's addresses */
	const struct attrib *attrib; /* which remotes proved themselves */
	struct stats *stats;	     /* a flood's loudest targets */
	struct detect *detect;	     /* the active alerts, every tick */
	bool rules_installed;	     /* rstmond manages the rules */
	const char *rules_path;
};

struct actions {
	struct actions_deps d;
	bool ratelimit;
	bool dry_run;
	bool drop_mode;
	bool drop_unproven;	  /* the operator's choice, warned */
	unsigned int on_mask;	  /* 1 << alert type */
	uint64_t proof_window_ms; /* a handshake this recent proves */
	uint64_t timeout_ms;
	struct allowlist allow;
	struct banlist bans;
	bool bans_ok;
	bool hook_on;
	struct hooks hooks;
	/* The nft objects we use, as last seen (checked every 2 s). */
	bool nft_present;
	bool nft_warned;
	uint64_t table_handle; /* changes when it is created again */
	uint64_t checked_ms;
	struct hook_job job; /* scratch: too big for the stack */
	struct action_rec rec[ACTION_RECS];
	unsigned int rec_next;
	uint64_t added, refused_allow, failed, restored, reinstalled;
	uint64_t refused_unproven; /* drops refused: no handshake */
	uint64_t unbanned;	   /* lifted: unban, or allow-listed */
};

/* Setup (a hook command is checked here); -1 with a message in err. */
int actions_setup(struct actions *a, const struct actions_deps *deps,
		  const struct config *cfg, char *err, size_t errlen);
/* The thresholds and lists of cfg (start and reload); an allowlist that
 * now covers a listed address lifts it at once. */
void actions_params(struct actions *a, const struct config *cfg);
void actions_alert(struct actions *a, enum alert_change ch,
		   const struct alert *al);
/* Every tick: expiries, the nft check, a flood's targets, hooks. */
void actions_tick(struct actions *a);
void actions_sigchld(struct actions *a);
/* The actions taken for an alert, into its JSON. */
void actions_json(struct json *j, const struct actions *a,
		  const struct alert *al);
/* Lift the listing of addr (rstmonctl unban): 1, or 0 when not listed. */
int actions_unban(struct actions *a, uint8_t family, const uint8_t *addr);
/* `bans`: every listing, a JSON list. */
void actions_bans_json(struct json *j, const struct actions *a);
void actions_status(struct json *j, const struct actions *a);
void actions_metrics(struct json *out, const struct actions *a);
void actions_fini(struct actions *a);

#endif
