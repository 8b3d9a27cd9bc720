#!/bin/bash
# A third-party scanner (nmap SYN and connect scans, hping3) over IPv4 and
# IPv6: thousands of resets, every one accounted for, none lost.
. "$(dirname "$0")/lib.sh"

setup_netns
load_rules
start_daemon

rsts0=$(snmp_get Tcp OutRsts)
in_b nmap -n -Pn -sS -T4 --max-retries 1 -p 1-3000 $A4 >"$TMPD/nmap4.txt"
in_b nmap -6 -n -Pn -sS -T4 --max-retries 1 -p 1-2000 $A6 >"$TMPD/nmap6.txt"
in_b nmap -n -Pn -sT -T4 --max-retries 1 -p 3001-4000 $A4 >"$TMPD/nmapT.txt"
in_b hping3 -q -S -p ++5000 -c 500 -i u1000 $A4 >/dev/null 2>&1 || true
grep -q "3000 closed" "$TMPD/nmap4.txt" || fail "nmap IPv4 did not see 3000 closed ports: $(cat "$TMPD/nmap4.txt")"
grep -q "2000 closed" "$TMPD/nmap6.txt" || fail "nmap IPv6 did not see 2000 closed ports"

rsts=$(( $(snmp_get Tcp OutRsts) - rsts0 ))
assert_ge "kernel OutRsts delta" 6500 "$rsts"
wait_until 15 caught_up "$rsts" || fail "rstmond did not account for $rsts resets"
assert_eq "rule counter" "$rsts" "$(counter_get)"
assert_eq "events_total" "$rsts" "$(status_get .events_total)"
assert_eq "lost_total" 0 "$(status_get .lost_total)"
assert_eq "capture enobufs" 0 "$(status_get .capture.enobufs)"
assert_eq "all closed_port" "$rsts" "$(status_get '.causes.closed_port')"

flushed() { [ "$(wc -l < "$EVENTS")" -ge "$rsts" ]; }
wait_until 10 flushed || fail "events file incomplete"
assert_eq "IPv6 ports seen" 2000 "$(jq -s '[.[] | select(.family == 6) | .lport] | unique | length' "$EVENTS")"
assert_eq "IPv4 ports seen (nmap -sS, -sT)" 4000 "$(jq -s '[.[] | select(.family == 4 and .lport <= 4000) | .lport] | unique | length' "$EVENTS")"
assert_eq "hping3 ports seen" 500 "$(jq -s '[.[] | select(.family == 4 and .lport >= 5000) | .lport] | unique | length' "$EVENTS")"

stop_daemon
log "PASS"
