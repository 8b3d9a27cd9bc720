#!/bin/bash
# The rate-limit sets come back with their entries:
#  1. rstmond manages the rules (--rules) in drop mode: a scanner that
#     completed a handshake with A is listed in ratelimit4 and drop4, and
#     what it sends is dropped; after
#     `nft flush ruleset` rstmond installs the table again and lists the
#     scanner again with the rest of its timeout.
#  2. the operator loads the rules (no --rules) and reloads them with
#     `nft -f` (a new, empty table at once): rstmond notices the new sets
#     and lists the scanner again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns

scan() {
	in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport "$1-$(($1 + 19))" \
		--count 20 --rate 200
}

# --- 1. managed rules, drop mode, nft flush ruleset -----------------------
start_daemon --rules "$TOP/rules/rstmon.nft" --ratelimit \
	--ratelimit-mode drop --ratelimit-timeout 300 --alert-quiet 3 $RATE_ARGS
# The scanner proves it receives what A sends: a handshake with a
# listener of A, seen by a listing, before it scans (35-spoofing: an
# unproven one is never dropped).
serve_a SRV $A4 7500 rst-listener
traffic_b connect $A4 7500 --count 1 --http >/dev/null
"$TOP/tests/integration/wait-inventory.sh" "$SOCK" >/dev/null
scan 2000
wait_until 10 set_has drop4 $B4 || fail "$B4 not in drop4: $(set_elems drop4); $(grep action= "$DAEMON_LOG")"
assert_eq "ratelimit4" "$B4 300" "$(set_elems ratelimit4 | cut -d' ' -f1,2)"
assert_eq "drop4" "$B4 300" "$(set_elems drop4 | cut -d' ' -f1,2)"
log_full "^rstmond: action=ratelimit state=added remote=$B4 set=ratelimit4 mode=drop timeout=300 alert=port_scan$" >/dev/null ||
	fail "no action line: $(grep action= "$DAEMON_LOG")"
# What B sends now is dropped on the way in: no reset, no event.
n0=$(status_get '.events_total + .lost_total')
d0=$(counter_get inbound_dropped)
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 7000-7049 --count 50 --rate 500
wait_until 10 test "$(counter_get inbound_dropped)" -ge $((d0 + 50)) ||
	fail "inbound_dropped: $(counter_get inbound_dropped), expected $((d0 + 50))"
ticks 2
assert_eq "inbound_dropped" $((d0 + 50)) "$(counter_get inbound_dropped)"
assert_eq "no reset sent to a dropped sender" "$n0" "$(status_get '.events_total + .lost_total')"

in_a nft flush ruleset
wait_until 10 set_has drop4 $B4 || fail "$B4 not back in drop4 after the flush: $(grep nft: "$DAEMON_LOG")"
wait_until 5 set_has ratelimit4 $B4 || fail "$B4 not back in ratelimit4"
read -r addr timeout expires <<<"$(set_elems ratelimit4)"
[ "$timeout" -lt 300 ] && [ "$timeout" -gt 250 ] ||
	fail "the ban came back with timeout $timeout, not the rest of 300 s"
log "ok: back in ratelimit4 and drop4 with the rest of its timeout ($timeout s)"
grep -q "nft: table inet rstmon or its sets are gone (firewall reload?): installing $TOP/rules/rstmon.nft again" "$DAEMON_LOG" ||
	fail "no 'gone' line: $(grep nft: "$DAEMON_LOG")"
grep -q "action=ratelimit state=restored entries=1$" "$DAEMON_LOG" ||
	fail "no 'restored' line: $(grep action= "$DAEMON_LOG")"
assert_eq "status: reinstalled, restored" "1 1" \
	"$(status_get '.actions | "\(.rules_reinstalled) \(.restored)"')"
# The log rule is back too: resets are seen again.
n0=$(status_get '.events_total + .lost_total')
in_b "$RSTGEN" -q --dst $A4 --src 10.99.0.5 --dport 8000 --count 1
wait_until 10 caught_up $((n0 + 1)) || fail "no reset seen after the rules came back"
log "ok: resets logged again"
stop_daemon
assert_eq "table removed at exit" "" "$(in_a nft list tables | grep rstmon || true)"

# --- 2. operator's rules reloaded with nft -f ------------------------------
: >"$DAEMON_LOG"
load_rules
start_daemon --ratelimit --alert-quiet 3 $RATE_ARGS
scan 3000
wait_until 10 set_has ratelimit4 $B4 || fail "$B4 not listed"
load_rules
assert_eq "reloaded: empty" "" "$(set_elems ratelimit4)"
wait_until 10 set_has ratelimit4 $B4 || fail "$B4 not back after nft -f: $(grep nft: "$DAEMON_LOG")"
grep -q "nft: table inet rstmon was created again" "$DAEMON_LOG" ||
	fail "no 'created again' line: $(grep nft: "$DAEMON_LOG")"
grep -q "action=ratelimit state=restored entries=1$" "$DAEMON_LOG" ||
	fail "no 'restored' line: $(grep action= "$DAEMON_LOG")"
log "ok: listed again after the operator's reload"
stop_daemon
log "PASS"
