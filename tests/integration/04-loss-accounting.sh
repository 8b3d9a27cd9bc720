#!/bin/bash
# Loss is counted exactly, never silent: with rstmond stopped (SIGSTOP) and
# a small receive buffer, a burst overflows the socket.  After SIGCONT,
# received + lost must equal the kernel's counts exactly — including the
# tail, which no sequence gap reveals and only the rule's counter can show —
# and later traffic must not count the same loss twice.
. "$(dirname "$0")/lib.sh"

setup_netns
load_rules
start_daemon --rcvbuf 64K

# The kernel's own view of the instance: group, portid, queue length…
nflog_queue_empty() {
	in_a awk -v g=$GROUP '$1 == g && $3 == 0 { ok = 1 } END { exit !ok }' \
		/proc/net/netfilter/nfnetlink_log
}

rsts0=$(snmp_get Tcp OutRsts)
kill -STOP "$DAEMON_PID"
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 1-60000 --flags S --count 5000
# Let the kernel flush (and drop) its last partial batch before rstmond
# wakes up, so that the loss is a pure tail loss: no message follows it.
wait_until 10 nflog_queue_empty || fail "NFLOG queue never flushed"
kill -CONT "$DAEMON_PID"

rsts=$(( $(snmp_get Tcp OutRsts) - rsts0 ))
assert_eq "kernel OutRsts delta" 5000 "$rsts"
assert_eq "rule counter" 5000 "$(counter_get)"
wait_until 15 caught_up 5000 || fail "received + lost never reached 5000: $(ctl status --json)"
ev=$(status_get .events_total)
lost=$(status_get .lost_total)
assert_eq "received + lost" 5000 $(( ev + lost ))
assert_ge "lost (the burst overflowed 64K)" 1 "$lost"
assert_ge "received" 1 "$ev"
assert_ge "overflow episodes seen" 1 "$(status_get .capture.enobufs)"
assert_eq "events file lines = received" "$ev" "$(wc -l < "$EVENTS" | tr -d ' ')"
grep -q "resets lost between the kernel and rstmond" "$DAEMON_LOG" ||
	fail "the loss was not logged"

# More traffic after the tail loss: the sequence gap it reveals was
# already declared; it must not be counted again.
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 1-100 --flags S --count 100
wait_until 15 caught_up 5100 || fail "received + lost never reached 5100"
assert_eq "received after" $(( ev + 100 )) "$(status_get .events_total)"
assert_eq "lost unchanged" "$lost" "$(status_get .lost_total)"
assert_eq "late arrivals" 0 "$(status_get .capture.late)"

stop_daemon
log "PASS"
