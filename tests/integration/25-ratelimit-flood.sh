#!/bin/bash
# --ratelimit on syn_flood: SYNs from 65536 spoofed sources raise
# syn_flood, and since no source stands out nothing is listed (the log
# says why).  While it lasts, two spoofed victims get 300 SYNs each: they
# (and only they) are listed in ratelimit4 — the backscatter toward them
# is held to the rule's limit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

V1=10.201.0.7
V2=10.201.0.8
setup_netns
load_rules
# A answers spoofed sources through B (a gateway: no ARP for them).
ip -n "$NS_A" route add default via $B4 dev va
start_daemon --ratelimit --alert-quiet 3 $RATE_ARGS

flood() {
	in_b "$RSTGEN" -q --dst $A4 --rand-src 10.200.0.0/16 --dport 80-82 \
		--flags S --count "$1" --rate 2000
}

flood 6000
wait_until 10 has_alert syn_flood all || fail "no syn_flood: $(alerts_json)"
grep -q 'action=ratelimit state=none alert=syn_flood reason="no target got 10 resets in 10 s: the sources are spread"' "$DAEMON_LOG" ||
	fail "no 'none' line: $(grep action= "$DAEMON_LOG")"
ticks 2
assert_eq "nothing listed for spread sources" "" "$(set_elems ratelimit4)"

# Still flooding; two victims stand out.
flood 2000
for v in $V1 $V2; do
	in_b "$RSTGEN" -q --dst $A4 --src $v --dport 80 --flags S \
		--count 300 --rate 3000
done
has_alert syn_flood all || fail "syn_flood cleared too early: $(alerts_json)"
both() { [ "$(set_elems ratelimit4 | cut -d' ' -f1 | sort | tr '\n' ' ')" = "$V1 $V2 " ]; }
wait_until 10 both || fail "ratelimit4: $(set_elems ratelimit4 | tr '\n' ' '); $(grep action= "$DAEMON_LOG")"
log "ok: ratelimit4 holds exactly $V1 $V2"
for v in $V1 $V2; do
	grep -q "action=ratelimit state=added remote=$v set=ratelimit4 mode=rst timeout=600 alert=syn_flood$" "$DAEMON_LOG" ||
		fail "no action line for $v"
done
assert_eq "alerts --json: the actions" "$V1 added;$V2 added;" \
	"$(alert_get syn_flood all '.actions[] | "\(.remote) \(.result)"' | sort | tr '\n' ';')"
stop_daemon
log "PASS"
