/* actions: what rstmond does about an alert.
 *
 * --ratelimit lists the remote of a port_scan, or the loudest targets of
 * a syn_flood's backscatter, in the rules' sets with a timeout, through
 * the privileged helper; the kernel expires them.  The resets sent to a
 * listed address are limited, per address (ratelimit4/6).  Forged
 * packets choose these addresses, so nothing an attacker can aim is
 * dropped: a backscatter target never (its address is the forged one),
 * a scanner only in drop mode and only when it completed a handshake
 * with us lately (drop4/6) — unless the operator asked otherwise
 * (--drop-unproven, warned).  Our own bounded banlist remembers what was
 * listed until when, so that a flushed ruleset gets it all back.
 * --hook runs the operator's command (hook.c).  Allow-listed addresses
 * (loopback, this host's addresses, --allow) are never acted on: not
 * listed, lifted at a reload that allows them, never restored.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "actions.h"
#include "attrib.h"
#include "hash.h"
#include "log.h"
#include "promtext.h"
#include "ruleset.h"
#include "alertfmt.h"

/* How often the sets are checked for, and the local addresses reread. */
#define NFT_CHECK_MS 2000

/* The rules' sets, by kind (ratelimit, drop) and family (4, 6). */
static const enum privops_set sets[2][2] = {
	{ PRIVOPS_RATELIMIT4, PRIVOPS_RATELIMIT6 },
	{ PRIVOPS_DROP4, PRIVOPS_DROP6 },
};
static const char *const set_names[2][2] = {
	{ "ratelimit4", "ratelimit6" },
	{ "drop4", "drop6" },
};

static int fam_index(uint8_t family)
{
	return family == AF_INET6;
}

static size_t fam_len(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

static void unban_allowed(struct actions *a);

static void hook_params(const struct config *c, struct hook_params *p)
{
	p->timeout_ms = (uint32_t)c->hook_timeout * 1000;
	p->max_running = (uint32_t)c->hook_max;
	p->cooldown_s = (uint32_t)c->hook_cooldown;
}

void actions_params(struct actions *a, const struct config *cfg)
{
	struct hook_params hp;

	a->ratelimit = cfg->ratelimit;
	a->dry_run = cfg->dry_run;
	a->drop_mode = cfg->drop_mode;
	a->on_mask = cfg->ratelimit_types;
	a->timeout_ms = cfg->ratelimit_timeout * 1000;
	/* A handshake seen during the scan (listed within two listings). */
	a->proof_window_ms = cfg->scan_window * 1000 + 2 * cfg->inventory_ms;
	if (a->ratelimit && a->drop_mode && cfg->drop_unproven &&
	    !a->drop_unproven)
		log_warnx("WARNING: --drop-unproven: scanners that never "
			  "completed a handshake are dropped too; forged "
			  "packets can now make rstmond drop any address "
			  "that is not allow-listed (your gateway, your DNS "
			  "resolver, your own address)");
	a->drop_unproven = cfg->drop_unproven;
	a->allow = cfg->allowed;
	allowlist_add_loopback(&a->allow);
	/* A reload that allows an address lifts its listing now. */
	if (a->bans_ok)
		unban_allowed(a);
	if (a->hook_on) {
		hook_params(cfg, &hp);
		hooks_set_params(&a->hooks, &hp);
	}
	a->checked_ms = 0; /* look at the sets at the next tick */
}

int actions_setup(struct actions *a, const struct actions_deps *deps,
		  const struct config *cfg, char *err, size_t errlen)
{
	struct hook_params hp;
	int i;

	a->d = *deps;
	for (i = 0; i < ACTION_RECS; i++)
		a->rec[i].type = -1;
	if (banlist_init(&a->bans, BANLIST_MAX) < 0) {
		snprintf(err, errlen, "banlist: %s", strerror(errno));
		return -1;
	}
	a->bans_ok = true;
	if (cfg->hook[0]) {
		hook_params(cfg, &hp);
		if (hooks_init(&a->hooks, a->d.loop, cfg->hook, &hp, err,
			       errlen) < 0)
			return -1;
		a->hook_on = true;
	}
	a->nft_present = true; /* until a check says otherwise */
	actions_params(a, cfg);
	return 0;
}

void actions_fini(struct actions *a)
{
	if (a->hook_on)
		hooks_fini(&a->hooks, 1000);
	a->hook_on = false;
	if (a->bans_ok)
		banlist_fini(&a->bans);
	a->bans_ok = false;
}

static struct action_rec *record(struct actions *a, const struct alert *al,
				 const char *what, int64_t wall)
{
	struct action_rec *r = &a->rec[a->rec_next];

	a->rec_next = (a->rec_next + 1) % ACTION_RECS;
	memset(r, 0, sizeof(*r));
	r->type = (int8_t)al->type;
	snprintf(r->key, sizeof(r->key), "%s", al->key);
	snprintf(r->what, sizeof(r->what), "%s", what);
	r->at_wall = wall;
	r->dry_run = a->dry_run;
	return r;
}

static bool allowed(const struct actions *a, uint8_t family,
		    const uint8_t *addr)
{
	return allowlist_match(&a->allow, family, addr) ||
	       netif_is_local(a->d.netif, family, addr, a->d.loop->now_ms);
}

/* Add these bans to the sets of their family (and the drop set for a
 * proven scanner); 0 or -1 + errno. */
static int nft_add(struct actions *a, const struct ban *bans, unsigned int n,
		   uint64_t now_ms)
{
	uint8_t keys[FLOOD_TARGETS_MAX * 16];
	uint64_t tmo[FLOOD_TARGETS_MAX];
	int fam, kind, ret = 0;
	unsigned int i, k;

	for (fam = 0; fam < 2; fam++) {
		uint8_t family = fam ? AF_INET6 : AF_INET;

		for (kind = 0; kind < 2; kind++) {
			for (i = 0, k = 0; i < n; i++) {
				if (bans[i].family != family ||
				    (kind == 1 && !bans[i].drop))
					continue;
				memcpy(keys + k * fam_len(family), bans[i].addr,
				       fam_len(family));
				tmo[k++] = bans[i].expires_ms - now_ms;
			}
			if (k > 0 && privops_set_add(a->d.priv, sets[kind][fam],
						     keys, k, tmo) < 0)
				ret = -1;
		}
	}
	return ret;
}

/* Take addr out of our sets and the banlist; log why.  1 lifted, 0 not
 * listed. */
static int unban(struct actions *a, uint8_t family, const uint8_t *addr,
		 const char *why)
{
	const struct ban *b =
		banlist_find(&a->bans, a->d.loop->now_ms, family, addr);
	char text[INET6_ADDRSTRLEN];
	bool drop;
	int kind, ret = 0;

	if (b == NULL)
		return 0;
	drop = b->drop;
	banlist_remove(&a->bans, family, addr);
	a->unbanned++;
	inet_ntop(family, addr, text, sizeof(text));
	if (!a->dry_run && a->d.priv->alive)
		for (kind = 0; kind <= (int)drop; kind++)
			if (privops_set_del(a->d.priv,
					    sets[kind][fam_index(family)], addr,
					    1) < 0 &&
			    errno != ENOENT)
				ret = -1;
	log_warnx("action=ratelimit state=removed remote=%s reason=%s%s%s",
		  text, why, ret < 0 ? " error=" : "",
		  ret < 0 ? strerror(errno) : "");
	return 1;
}

/* Every listing of an address the allowlist now covers, lifted. */
static void unban_allowed(struct actions *a)
{
	struct ban todo[FLOOD_TARGETS_MAX];
	const struct ban *b;
	unsigned int it, n, i;

	do {
		it = n = 0;
		while (n < FLOOD_TARGETS_MAX &&
		       (b = banlist_next(&a->bans, a->d.loop->now_ms, &it)))
			if (allowed(a, b->family, b->addr))
				todo[n++] = *b;
		for (i = 0; i < n; i++)
			unban(a, todo[i].family, todo[i].addr, "allowlisted");
	} while (n == FLOOD_TARGETS_MAX);
}

/* The targets of an alert: a scan's remote, a flood's loudest. */
static unsigned int targets(struct actions *a, const struct alert *al,
			    struct ban *out)
{
	struct stats_item top[FLOOD_TARGETS_MAX];
	unsigned int n = 0;
	int i, m;

	if (al->type == ALERT_PORT_SCAN) {
		out[0].family = al->ev.scan.family;
		memcpy(out[0].addr, al->ev.scan.remote, 16);
		return 1;
	}
	if (al->type != ALERT_SYN_FLOOD)
		return 0;
	m = stats_top(a->d.stats, a->d.loop->now_ms, DIM_REMOTES, WIN_10S, top,
		      FLOOD_TARGETS_MAX);
	for (i = 0; i < m; i++) {
		/* Only what the heavy-hitter guarantees: count - error. */
		if (top[i].count - top[i].error < FLOOD_TARGET_MIN)
			continue;
		out[n].family = top[i].family;
		memcpy(out[n].addr, top[i].remote, 16);
		n++;
	}
	return n;
}

/* Was this address refused for this alert already (said once)? */
static bool refused_before(const struct actions *a, const struct alert *al,
			   const char *addr, const char *why)
{
	unsigned int i;

	for (i = 0; i < ACTION_RECS; i++) {
		const struct action_rec *r = &a->rec[i];

		if (r->type == (int8_t)al->type && !strcmp(r->key, al->key) &&
		    !strcmp(r->target, addr) && !strcmp(r->result, why))
			return true;
	}
	return false;
}

/*
 * May the sender of an alert be dropped, not only limited?  Only a
 * scanner (the sources of a syn_flood's backscatter are the addresses
 * the attacker forged), only in drop mode, and only when it completed a
 * handshake with us during the scan — a forged source cannot — unless
 * the operator opted in (--drop-unproven).  A refusal is said once per
 * alert and address.
 */
static bool may_drop(struct actions *a, const struct alert *al,
		     const struct ban *b, int64_t wall)
{
	char addr[INET6_ADDRSTRLEN];
	struct action_rec *r;

	if (!a->drop_mode || al->type != ALERT_PORT_SCAN)
		return false;
	if (a->drop_unproven ||
	    attrib_remote_proven(a->d.attrib, b->family, b->addr,
				 a->d.loop->now_ms, a->proof_window_ms))
		return true;
	inet_ntop(b->family, b->addr, addr, sizeof(addr));
	if (!refused_before(a, al, addr, "unproven")) {
		a->refused_unproven++;
		log_warnx("action=drop state=refused remote=%s "
			  "reason=unproven alert=%s (no handshake with this "
			  "host: the source may be forged; its resets are "
			  "limited, nothing is dropped)",
			  addr, alert_type_name(al->type));
		r = record(a, al, "drop", wall);
		snprintf(r->target, sizeof(r->target), "%s", addr);
		snprintf(r->result, sizeof(r->result), "unproven");
	}
	return false;
}

/*
 * List the targets of an alert that are not listed yet.  Called on its
 * raise and updates, and every tick for a syn_flood (whose loudest
 * targets change while it lasts).
 */
static void ratelimit_alert(struct actions *a, const struct alert *al,
			    int64_t wall, bool raised, bool *acted)
{
	struct ban cand[FLOOD_TARGETS_MAX];
	struct ban todo[FLOOD_TARGETS_MAX];
	char addr[INET6_ADDRSTRLEN];
	unsigned int n, i, k = 0;
	const struct ban *old;
	struct action_rec *r;
	int ret = 0;

	memset(cand, 0, sizeof(cand));
	n = targets(a, al, cand);
	if (al->type == ALERT_SYN_FLOOD && n == 0 && raised)
		log_info("action=ratelimit state=none alert=syn_flood "
			 "reason=\"no target got %d resets in 10 s: the "
			 "sources are spread\"",
			 FLOOD_TARGET_MIN);
	for (i = 0; i < n; i++) {
		struct ban *b = &cand[i];

		inet_ntop(b->family, b->addr, addr, sizeof(addr));
		if (allowed(a, b->family, b->addr)) {
			/* Once per alert and address. */
			if (!refused_before(a, al, addr, "allowlisted")) {
				a->refused_allow++;
				log_warnx("action=ratelimit state=refused "
					  "remote=%s reason=allowlisted "
					  "alert=%s",
					  addr, alert_type_name(al->type));
				r = record(a, al, "ratelimit", wall);
				snprintf(r->target, sizeof(r->target), "%s",
					 addr);
				snprintf(r->result, sizeof(r->result),
					 "allowlisted");
			}
			continue;
		}
		b->drop = may_drop(a, al, b, wall);
		/* Listed already (and not expired), as it should be:
		 * nothing to do.  A scanner that proved itself since its
		 * listing goes to the drop set too. */
		old = banlist_find(&a->bans, a->d.loop->now_ms, b->family,
				   b->addr);
		if (old != NULL && (old->drop || !b->drop))
			continue;
		b->reason = (uint8_t)al->type;
		b->expires_ms = a->d.loop->now_ms + a->timeout_ms;
		b->expires_wall = wall + (int64_t)(a->timeout_ms / 1000);
		if (banlist_add(&a->bans, a->d.loop->now_ms, b) < 0) {
			a->failed++;
			log_warnx("action=ratelimit state=failed remote=%s "
				  "reason=\"banlist full (%u)\"",
				  addr, a->bans.max);
			continue;
		}
		todo[k++] = *b;
	}
	if (k == 0)
		return;
	*acted = true;
	if (!a->dry_run && a->nft_present && a->d.priv->alive)
		ret = nft_add(a, todo, k, a->d.loop->now_ms);
	for (i = 0; i < k; i++) {
		const char *set = set_names[0][fam_index(todo[i].family)];
		const char *state = a->dry_run		       ? "dry_run" :
				    !a->nft_present || ret < 0 ? "pending" :
								 "added";

		inet_ntop(todo[i].family, todo[i].addr, addr, sizeof(addr));
		if (!a->dry_run && a->nft_present && ret == 0)
			a->added++;
		log_warnx("action=ratelimit state=%s remote=%s set=%s "
			  "mode=%s timeout=%llu alert=%s%s%s",
			  state, addr, set, todo[i].drop ? "drop" : "rst",
			  (unsigned long long)(a->timeout_ms / 1000),
			  alert_type_name(al->type), ret < 0 ? " error=" : "",
			  ret < 0 ? strerror(errno) : "");
		r = record(a, al, "ratelimit", wall);
		snprintf(r->target, sizeof(r->target), "%s", addr);
		snprintf(r->set, sizeof(r->set), "%s", set);
		snprintf(r->result, sizeof(r->result), "%s", state);
		r->expires_wall = todo[i].expires_wall;
	}
	if (ret < 0) {
		/* Kept in the banlist: the next check puts them back. */
		a->failed++;
		a->nft_present = false;
		a->checked_ms = 0;
	}
}

static uint64_t key_hash(const struct alert *al)
{
	return hash_pair(hash_bytes(al->key, strlen(al->key)),
			 (uint64_t)al->type);
}

static void hook_alert(struct actions *a, enum alert_change ch,
		       const struct alert *al, bool acted)
{
	const char *state = ch == ALERT_CLEARED ? "cleared" : "raised";
	struct hook_job *job = &a->job;
	unsigned int i, left = 0;
	struct json j;

	memset(job, 0, offsetof(struct hook_job, env));
	snprintf(job->label, sizeof(job->label), "alert=%s key=%s state=%s",
		 alert_type_name(al->type), al->key, state);
	job->key_hash = key_hash(al);
	job->type = al->type;
	job->raise = ch == ALERT_RAISED;
	hook_env_build(&job->env, al, ch,
		       !acted	  ? NULL :
		       a->dry_run ? "ratelimit-dry-run" :
				    "ratelimit");
	json_init_fixed(&j, job->stdin_buf, sizeof(job->stdin_buf) - 1);
	alert_format_json_open(&j, al, state);
	actions_json(&j, a, al);
	json_obj_end(&j);
	json_raw(&j, "\n", 1);
	if (!json_ok(&j)) {
		/* More actions than HOOK_STDIN_MAX holds (it holds them all
		 * today): the alert, and how many actions were left out —
		 * never an empty stdin. */
		for (i = 0; i < ACTION_RECS; i++)
			left += a->rec[i].type == (int8_t)al->type &&
				!strcmp(a->rec[i].key, al->key);
		json_init_fixed(&j, job->stdin_buf, sizeof(job->stdin_buf) - 1);
		alert_format_json_open(&j, al, state);
		json_arr_begin(&j, "actions");
		json_arr_end(&j);
		json_u64(&j, "actions_truncated", left);
		json_obj_end(&j);
		json_raw(&j, "\n", 1);
		log_warnx("action=hook stdin_truncated %s actions_truncated=%u",
			  job->label, left);
	}
	job->stdin_len = json_ok(&j) ? strlen(json_text(&j)) : 0;
	hooks_submit(&a->hooks, a->d.loop->now_ms, job);
}

void actions_alert(struct actions *a, enum alert_change ch,
		   const struct alert *al)
{
	int64_t wall = a->d.loop->now_wall;
	bool acted = false;

	if (a->ratelimit && ch != ALERT_CLEARED && a->bans_ok &&
	    (a->on_mask & (1u << al->type)))
		ratelimit_alert(a, al, wall, ch == ALERT_RAISED, &acted);
	if (a->hook_on && ch != ALERT_UPDATED)
		hook_alert(a, ch, al, acted);
}

/* Put every unexpired ban back (after the sets came back). */
static void restore(struct actions *a)
{
	struct ban batch[FLOOD_TARGETS_MAX];
	const struct ban *b;
	unsigned int it = 0, n = 0, total = 0;
	int ret = 0;

	/* A listing the allowlist covers now is not put back. */
	unban_allowed(a);
	while ((b = banlist_next(&a->bans, a->d.loop->now_ms, &it)) != NULL) {
		batch[n++] = *b;
		if (n == FLOOD_TARGETS_MAX) {
			ret |= nft_add(a, batch, n, a->d.loop->now_ms);
			total += n;
			n = 0;
		}
	}
	if (n > 0) {
		ret |= nft_add(a, batch, n, a->d.loop->now_ms);
		total += n;
	}
	if (total == 0)
		return;
	a->restored += total;
	if (ret < 0)
		log_warn("action=ratelimit state=restore_failed entries=%u",
			 total);
	else
		log_warnx("action=ratelimit state=restored entries=%u", total);
}

/*
 * Are the table and the sets we use there?  *sum: the table's handle,
 * which changes when it was created again (an `nft -f` reload replaces
 * the table at once: present at every check, yet empty).
 */
static bool nft_objects_present(struct actions *a, uint64_t *sum)
{
	uint64_t v, handle;
	int kind, fam;

	*sum = 0;
	if (privops_table_handle(a->d.priv, sum) != 1 ||
	    privops_counter_read(a->d.priv, &v) < 0)
		return false;
	if (!a->ratelimit)
		return true;
	for (kind = 0; kind <= (int)a->drop_mode; kind++)
		for (fam = 0; fam < 2; fam++) {
			if (privops_set_handle(a->d.priv, sets[kind][fam],
					       &handle) != 1)
				return false;
		}
	return true;
}

/*
 * Every 2 s: are the table and the sets we use still there?  A firewall
 * reload or `nft flush ruleset` removes them.  When rstmond manages the
 * rules (--rules) they are installed again; either way, when they are
 * back, every ban still valid is put back.
 */
static void watch_nft(struct actions *a)
{
	bool present, was = a->nft_present;
	uint64_t sum;
	char err[512];

	if (!a->d.priv->alive ||
	    (!a->d.rules_installed && !(a->ratelimit && !a->dry_run)))
		return;
	present = nft_objects_present(a, &sum);
	if (present && was && a->table_handle != 0 && sum != a->table_handle) {
		log_warnx("nft: table " RSTMON_TABLE_FAMILY " " RSTMON_TABLE
			  " was created again (rules reloaded?)");
		was = false;
	}
	if (!present) {
		if (was || !a->nft_warned) {
			if (a->d.rules_installed)
				log_warnx("nft: table " RSTMON_TABLE_FAMILY
					  " " RSTMON_TABLE
					  " or its sets are gone "
					  "(firewall reload?): installing %s "
					  "again",
					  a->d.rules_path);
			else
				log_warnx("nft: table " RSTMON_TABLE_FAMILY
					  " " RSTMON_TABLE " or its sets are "
					  "missing: addresses are kept and "
					  "listed when they are back (load "
					  "rules/rstmon.nft of this version)");
		}
		a->nft_warned = true;
		/* Whatever comes back is new: restore into it. */
		was = false;
		if (a->d.rules_installed) {
			if (privops_rules_install(a->d.priv, err, sizeof(err)) <
			    0) {
				log_warnx("nft: %s", err);
			} else {
				a->reinstalled++;
				present = nft_objects_present(a, &sum);
			}
		}
	}
	a->nft_present = present;
	a->table_handle = sum;
	if (present && !was) {
		log_info("nft: table " RSTMON_TABLE_FAMILY " " RSTMON_TABLE
			 " and its sets are there");
		a->nft_warned = false;
		if (a->ratelimit && !a->dry_run)
			restore(a);
	}
}

/* A syn_flood's loudest targets, every tick while it lasts. */
static void flood_targets(struct actions *a)
{
	const struct alert *list[256];
	int64_t wall = a->d.loop->now_wall;
	bool acted = false;
	int n, i;

	n = detect_alerts(a->d.detect, list, 256);
	for (i = 0; i < n; i++)
		if (list[i]->type == ALERT_SYN_FLOOD)
			ratelimit_alert(a, list[i], wall, false, &acted);
}

void actions_tick(struct actions *a)
{

	if (a->bans_ok)
		banlist_expire(&a->bans, a->d.loop->now_ms);
	if (a->checked_ms == 0 ||
	    a->d.loop->now_ms - a->checked_ms >= NFT_CHECK_MS) {
		a->checked_ms = a->d.loop->now_ms;
		watch_nft(a);
	}
	if (a->ratelimit && a->bans_ok &&
	    (a->on_mask & (1u << ALERT_SYN_FLOOD)))
		flood_targets(a);
	if (a->hook_on)
		hooks_tick(&a->hooks, a->d.loop->now_ms);
}

void actions_sigchld(struct actions *a)
{
	if (a->hook_on)
		hooks_reap(&a->hooks, a->d.loop->now_ms);
}

void actions_json(struct json *j, const struct actions *a,
		  const struct alert *al)
{
	unsigned int i;

	json_arr_begin(j, "actions");
	for (i = 0; i < ACTION_RECS; i++) {
		/* Oldest first. */
		const struct action_rec *r =
			&a->rec[(a->rec_next + i) % ACTION_RECS];

		if (r->type != (int8_t)al->type || strcmp(r->key, al->key))
			continue;
		json_obj_begin(j, NULL);
		json_str(j, "action", r->what);
		if (r->target[0])
			json_str(j, "remote", r->target);
		if (r->set[0])
			json_str(j, "set", r->set);
		json_str(j, "result", r->result);
		json_i64(j, "at", r->at_wall);
		if (r->expires_wall)
			json_i64(j, "expires", r->expires_wall);
		json_bool(j, "dry_run", r->dry_run);
		json_obj_end(j);
	}
	json_arr_end(j);
}

int actions_unban(struct actions *a, uint8_t family, const uint8_t *addr)
{
	if (!a->bans_ok)
		return 0;
	return unban(a, family, addr, "unban");
}

void actions_bans_json(struct json *j, const struct actions *a)
{
	char addr[INET6_ADDRSTRLEN];
	const struct ban *b;
	unsigned int it = 0;

	json_arr_begin(j, NULL);
	while (a->bans_ok &&
	       (b = banlist_next(&a->bans, a->d.loop->now_ms, &it)) != NULL) {
		inet_ntop(b->family, b->addr, addr, sizeof(addr));
		json_obj_begin(j, NULL);
		json_str(j, "remote", addr);
		json_str(j, "set", set_names[0][fam_index(b->family)]);
		if (b->drop)
			json_str(j, "drop_set",
				 set_names[1][fam_index(b->family)]);
		json_str(j, "mode", b->drop ? "drop" : "rst");
		json_str(j, "alert",
			 alert_type_name((enum alert_type)b->reason));
		json_i64(j, "expires", b->expires_wall);
		json_u64(j, "remaining_s",
			 (b->expires_ms - a->d.loop->now_ms) / 1000);
		json_bool(j, "dry_run", a->dry_run);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void actions_status(struct json *j, const struct actions *a)
{

	json_obj_begin(j, "actions");
	json_bool(j, "ratelimit", a->ratelimit);
	json_str(j, "mode", a->drop_mode ? "drop" : "rst");
	json_bool(j, "dry_run", a->dry_run);
	json_u64(j, "listed", a->bans_ok ? a->bans.n : 0);
	json_u64(j, "added", a->added);
	json_u64(j, "refused_allowlisted", a->refused_allow);
	json_bool(j, "drop_unproven", a->drop_unproven);
	json_u64(j, "refused_unproven", a->refused_unproven);
	json_u64(j, "unbanned", a->unbanned);
	json_u64(j, "failed", a->failed);
	json_u64(j, "restored", a->restored);
	json_u64(j, "rules_reinstalled", a->reinstalled);
	json_bool(j, "nft_present", a->nft_present);
	if (a->hook_on)
		hooks_status(j, &a->hooks);
	json_obj_end(j);
}

static void metric(struct json *out, const char *name, const char *type,
		   const char *help, uint64_t v)
{
	promtext_head(out, name, type, help);
	promtext_u64(out, name, NULL, NULL, v);
}

void actions_metrics(struct json *out, const struct actions *a)
{

	metric(out, "rstmon_ratelimit_listed", "gauge",
	       "Addresses listed in the rate-limit sets now.",
	       a->bans_ok ? a->bans.n : 0);
	metric(out, "rstmon_ratelimit_added_total", "counter",
	       "Addresses added to the rate-limit sets.", a->added);
	metric(out, "rstmon_actions_refused_total", "counter",
	       "Actions refused because the address is allow-listed.",
	       a->refused_allow);
	if (a->hook_on) {
		metric(out, "rstmon_hook_runs_total", "counter",
		       "Hook commands started.", a->hooks.started);
		metric(out, "rstmon_hook_failures_total", "counter",
		       "Hook commands that failed, were killed or could not "
		       "start.",
		       a->hooks.failed + a->hooks.spawn_errors);
	}
}
