#!/bin/bash
# Hosts on iptables: rules/rstmon.iptables and rules/rstmon.ip6tables
# (-j NFLOG) feed rstmond the same resets.  No named counter exists there,
# so rstmond warns once and counts losses by sequence gaps only.
. "$(dirname "$0")/lib.sh"

setup_netns
in_a iptables-restore --noflush <"$TOP/rules/rstmon.iptables"
in_a ip6tables-restore --noflush <"$TOP/rules/rstmon.ip6tables"
start_daemon
grep -q "no table inet rstmon" "$DAEMON_LOG" || fail "no warning about the missing counter"

rsts0=$(snmp_get Tcp OutRsts)
read -r refused4 _ < <(in_b $PY "$TOP/tests/tools/connect_many.py" $A4 8000 8049 150)
read -r refused6 _ < <(in_b $PY "$TOP/tests/tools/connect_many.py" $A6 8000 8049 150)
assert_eq "refused" 300 $(( refused4 + refused6 ))
assert_eq "kernel OutRsts delta" 300 $(( $(snmp_get Tcp OutRsts) - rsts0 ))
wait_until 10 caught_up 300 || fail "rstmond did not account for 300 resets"
assert_eq "events_total" 300 "$(status_get .events_total)"
assert_eq "lost_total" 0 "$(status_get .lost_total)"
flushed() { [ "$(wc -l < "$EVENTS")" -ge 300 ]; }
wait_until 10 flushed || fail "events file incomplete"
assert_eq "IPv6 lines" 150 "$(events_count '.family == 6 and .flags == "RA" and .seq == 0')"
stop_daemon
log "PASS"
