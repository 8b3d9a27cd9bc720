#!/bin/bash
# syn_flood: SYNs from 65536 spoofed sources to three closed ports, 2000
# a second for 4 s (A's backscatter routed back through B, which drops
# it), raise syn_flood (key "all") with the flood's rate, the number of
# sources and the ports hit, and nothing else: not port_scan, not
# reset_rate.  It clears once the flood is over (--alert-quiet 3).  A
# control at the end proves that reset_rate was armed all along.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
# A answers spoofed sources through B (a gateway: no ARP for them).
ip -n "$NS_A" route add default via $B4 dev va
start_daemon --alert-quiet 3 $RATE_ARGS

in_b "$RSTGEN" -q --dst $A4 --rand-src 10.200.0.0/16 --dport 80-82 \
	--flags S --count 8000 --rate 2000
wait_until 10 has_alert syn_flood all || fail "no syn_flood: $(alerts_json)"
settled 8000
assert_eq "lost_total" 0 "$(status_get .lost_total)"
assert_eq "all closed_port" 8000 "$(status_get .causes.closed_port)"

get() { alert_get syn_flood all "$1"; }
assert_eq "severity" critical "$(get .severity)"
assert_ge "rate (10 s average)" 500 "$(get '.evidence.rate | floor')"
assert_ge "sources (estimate)" 200 "$(get '.evidence.sources | floor')"
assert_eq "top ports" "[80,81,82]" "$(get '.evidence.top_ports | sort | tojson')"
log_full "^rstmond: alert=syn_flood state=raised rate=[0-9]+/s sources=[0-9]+ top_ports=8[0-2],8[0-2],8[0-2]$" >/dev/null ||
	fail "raise line: $(grep alert= "$DAEMON_LOG")"
# Exactly that alert: backscatter to one-port sources is no port scan,
# and a flood explains its own reset rate.
assert_eq "the only alert" "syn_flood all" \
	"$(alerts_json | jq -r '.[] | "\(.type) \(.key)"' | tr '\n' ';' | sed 's/;$//')"

wait_until 40 no_alert || fail "syn_flood did not clear: $(alerts_json)"
assert_log_is "syn_flood raised" "syn_flood cleared"
assert_active_none
assert_raised "syn_flood=1"
# Control: the same daemon does raise reset_rate for unexplained resets.
assert_rate_armed
stop_daemon
log "PASS"
