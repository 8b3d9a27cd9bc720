#!/bin/bash
# Closed-port connects over IPv4 and IPv6 from a peer namespace: every
# reset reaches rstmond, counted exactly against the kernel's Tcp OutRsts
# and the rule's counter, and each event line carries the right tuple.
. "$(dirname "$0")/lib.sh"

setup_netns
load_rules
start_daemon

rsts0=$(snmp_get Tcp OutRsts)
cnt0=$(counter_get)

read -r refused4 other4 < <(in_b $PY "$TOP/tests/tools/connect_many.py" $A4 7000 7099 600)
read -r refused6 other6 < <(in_b $PY "$TOP/tests/tools/connect_many.py" $A6 7100 7199 400)
assert_eq "IPv4 connects refused" 600 "$refused4"
assert_eq "IPv6 connects refused" 400 "$refused6"

rsts=$(( $(snmp_get Tcp OutRsts) - rsts0 ))
cnt=$(( $(counter_get) - cnt0 ))
assert_eq "kernel OutRsts delta" 1000 "$rsts"
assert_eq "rule counter delta" 1000 "$cnt"
wait_until 10 caught_up 1000 || fail "rstmond did not account for 1000 resets"

assert_eq "events_total" 1000 "$(status_get .events_total)"
assert_eq "lost_total" 0 "$(status_get .lost_total)"
assert_eq "skipped" 0 "$(status_get .capture.skipped_total)"
assert_eq "status kernel out_rsts" 1000 "$(status_get .kernel.out_rsts_since_start)"

# Every line: a reset from our closed port to the peer's ephemeral port,
# answering a SYN: RST|ACK with seq 0, window 0, out through va.
evsink_flushed() { [ "$(wc -l < "$EVENTS")" -ge 1000 ]; }
wait_until 10 evsink_flushed || fail "events file incomplete"
assert_eq "event lines" 1000 "$(wc -l < "$EVENTS" | tr -d ' ')"
assert_eq "IPv4 lines" 600 "$(events_count '.family == 4 and .local == "'$A4'" and .remote == "'$B4'" and .lport >= 7000 and .lport <= 7099')"
assert_eq "IPv6 lines" 400 "$(events_count '.family == 6 and .local == "'$A6'" and .remote == "'$B6'" and .lport >= 7100 and .lport <= 7199')"
assert_eq "RA seq 0 win 0 lines" 1000 "$(events_count '.flags == "RA" and .seq == 0 and .window == 0 and .ack > 0 and .rport >= 1024 and .ifname == "va"')"
assert_eq "cause closed_port" 1000 "$(events_count '.cause == "closed_port"')"
assert_eq "status causes" '{"closed_port":1000}' "$(status_get '.causes | tojson')"
assert_eq "lines with an owner" 0 "$(events_count 'has("owner")')"
# Every port of the range got its six (IPv4) or four (IPv6) resets.
assert_eq "per-port counts" "6" "$(jq -s 'map(select(.family == 4)) | group_by(.lport) | map(length) | unique | .[]' "$EVENTS")"

stop_daemon
log "PASS"
