#!/bin/bash
# Hand-made segments from the peer (raw sockets, known numbers) to ports
# without a socket: each reset's flags, seq and ack follow RFC 793 exactly
# (kernel-facts §1 rows a and b), over IPv4 and IPv6.
. "$(dirname "$0")/lib.sh"

setup_netns
load_rules
start_daemon

rsts0=$(snmp_get Tcp OutRsts)
gen() { in_b "$RSTGEN" -q "$@"; }

# SYN seq 1000 -> RA, seq 0, ack 1001.
gen --dst $A4 --src $B4 --sport 40001 --dport 7001-7050 --flags S --seq 1000 --count 50
gen --dst $A6 --src $B6 --sport 40001 --dport 7001-7050 --flags S --seq 1000 --count 50
# Stray ACK (half-open peer) with ack 5000 -> R, seq 5000, ack 0.
gen --dst $A4 --src $B4 --sport 40002 --dport 7101-7130 --flags A --seq 77 --ack 5000 --count 30
gen --dst $A6 --src $B6 --sport 40002 --dport 7101-7130 --flags A --seq 77 --ack 5000 --count 30
# Data without ACK: RA, seq 0, ack = seq + payload length.
gen --dst $A4 --src $B4 --sport 40003 --dport 7201 --flags P --seq 2000 --payload 5 --count 10
# FIN|ACK to nothing: R, seq = its ack.
gen --dst $A4 --src $B4 --sport 40004 --dport 7301 --flags FA --seq 9 --ack 123456 --count 10

total=180
wait_until 10 caught_up $total || fail "rstmond did not account for $total resets"
assert_eq "kernel OutRsts delta" $total $(( $(snmp_get Tcp OutRsts) - rsts0 ))
assert_eq "rule counter" $total "$(counter_get)"
assert_eq "events_total" $total "$(status_get .events_total)"
assert_eq "lost_total" 0 "$(status_get .lost_total)"

flushed() { [ "$(wc -l < "$EVENTS")" -ge $total ]; }
wait_until 10 flushed || fail "events file incomplete"
assert_eq "SYN v4 -> RA 0/1001" 50 "$(events_count '.family == 4 and .rport == 40001 and .flags == "RA" and .seq == 0 and .ack == 1001 and .remote == "'$B4'"')"
assert_eq "SYN v6 -> RA 0/1001" 50 "$(events_count '.family == 6 and .rport == 40001 and .flags == "RA" and .seq == 0 and .ack == 1001 and .remote == "'$B6'"')"
assert_eq "ACK v4 -> R 5000/0" 30 "$(events_count '.family == 4 and .rport == 40002 and .flags == "R" and .seq == 5000 and .ack == 0')"
assert_eq "ACK v6 -> R 5000/0" 30 "$(events_count '.family == 6 and .rport == 40002 and .flags == "R" and .seq == 5000 and .ack == 0')"
assert_eq "data -> RA 0/2005" 10 "$(events_count '.rport == 40003 and .lport == 7201 and .flags == "RA" and .seq == 0 and .ack == 2005')"
assert_eq "FIN|ACK -> R 123456/0" 10 "$(events_count '.rport == 40004 and .flags == "R" and .seq == 123456 and .ack == 0')"
# Answers to segments without ACK (SYN, bare data) are closed-port
# replies; answers to ACKed segments with no socket are stray segments.
assert_eq "closed_port lines" 110 "$(events_count '.cause == "closed_port"')"
assert_eq "stray_segment lines" 70 "$(events_count '.cause == "stray_segment"')"
assert_eq "distinct local ports (SYN v4)" 50 "$(jq -s '[.[] | select(.rport == 40001 and .family == 4) | .lport] | unique | length' "$EVENTS")"

stop_daemon
log "PASS"
