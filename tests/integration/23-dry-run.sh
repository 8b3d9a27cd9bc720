#!/bin/bash
# --dry-run: a scan raises port_scan and rstmond says what it would do —
# in the log and in `alerts --json` — but changes nothing in nftables
# (the ruleset, counters aside, is the same before and after).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
ruleset() { in_a nft list ruleset | grep -v 'packets [0-9]* bytes'; }
unchanged() {
	[ "$before" = "$(ruleset)" ] ||
		fail "$1: the ruleset changed: $(diff <(echo "$before") <(ruleset) | tr '\n' ' ')"
	log "ok: $1: the ruleset is unchanged ($(echo "$before" | wc -l) lines)"
}
before=$(ruleset)
start_daemon --ratelimit --dry-run --alert-quiet 3 $RATE_ARGS
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 2000-2019 --count 20 --rate 200
wait_until 10 has_alert port_scan $B4 || fail "no port_scan: $(alerts_json)"
dry() { grep -q "action=ratelimit state=dry_run remote=$B4 set=ratelimit4 mode=rst timeout=600 alert=port_scan$" "$DAEMON_LOG"; }
wait_until 5 dry || fail "no dry-run line: $(grep action= "$DAEMON_LOG")"
log "ok: the dry-run line"
assert_eq "alerts --json: what would be done" "ratelimit $B4 ratelimit4 dry_run true" \
	"$(alert_get port_scan $B4 '.actions[] | "\(.action) \(.remote) \(.set) \(.result) \(.dry_run)"')"
# Past a set check (every 2 s): still nothing changed.
ticks 3
unchanged "while running"
assert_eq "status: dry run, nothing added" "true 0" \
	"$(status_get '.actions | "\(.dry_run) \(.added)"')"
stop_daemon
unchanged "after exit"
log "PASS"
