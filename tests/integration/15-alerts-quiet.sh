#!/bin/bash
# Ordinary traffic raises no alert: thousands of short HTTP-ish
# connections served normally over IPv4 and IPv6, a client retrying a
# closed port 3 times, a few stray ACKs, an application aborting a few
# connections.  `alerts --json` stays [], no alert= line is logged, every
# rstmon_alerts_* sample stays 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
start_daemon --alert-quiet 3 $RATE_ARGS
rsts0=$(snmp_get Tcp OutRsts)

serve_a web :: 8080 websvc
bg ip netns exec "$NS_B" $TRAFFIC serve $B4 9000 --seconds 55 >"$TMPD/sink.out"
sink_up() { grep -q '^listening' "$TMPD/sink.out"; }
wait_until 10 sink_up || fail "B's server did not listen"

# Thousands of connections, each served and closed normally (FIN).
assert_eq "HTTP over IPv4" "ok=3000 refused=0 other=0" \
	"$(traffic_b connect $A4 8080 --count 3000 --http)"
assert_eq "HTTP over IPv6" "ok=1000 refused=0 other=0" \
	"$(traffic_b connect $A6 8080 --count 1000 --http)"
# A client retrying a port nobody listens on, 3 times: 3 resets.
assert_eq "closed port retried" "ok=0 refused=3 other=0" \
	"$(traffic_b connect $A4 9999 --count 3 --rate 5)"
# A few stray ACKs (late segments): 3 to the server's port, 2 elsewhere.
# From a port no client used: one that matched a connection of the HTTP
# clients' above, now in TIME_WAIT in A, would be answered by an ACK.
in_b "$RSTGEN" -q --dst $A4 --src $B4 --sport 999 --dport 8080 --flags A --count 3
in_b "$RSTGEN" -q --dst $A6 --src $B6 --sport 999 --dport 9998 --flags A --count 2
# An application in A aborting a few of its connections (SO_LINGER 0).
assert_eq "aborts" "aborted=20" \
	"$(as_app $TRAFFIC abort $B4 9000 --count 20 --rate 20 --comm fetcher)"

rsts=$(( $(snmp_get Tcp OutRsts) - rsts0 ))
settled $rsts
assert_eq "events_total" $rsts "$(status_get .events_total)"
assert_eq "causes" '{"app_abort":20,"closed_port":3,"stray_segment":5}' \
	"$(ctl status --json | jq -S -c '.causes | with_entries(select(.value > 0))')"
assert_eq "resets sent by A (none from the normal connections)" 28 "$rsts"

assert_active_none
assert_eq "alert lines logged" 0 "$(grep -c 'alert=' "$DAEMON_LOG" || true)"
assert_raised ""
assert_eq "alerts_dropped" 0 "$(status_get .alerts_dropped)"
stop_daemon
log "PASS"
