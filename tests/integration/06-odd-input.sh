#!/bin/bash
# Odd input from the real kernel on our group — packets that are not TCP,
# TCP that is not a reset, resets cut short by a tiny snaplen — is counted
# by reason and skipped; the daemon survives and keeps counting resets.
# The extra messages also trip the "another rule logs to this group" check.
. "$(dirname "$0")/lib.sh"

setup_netns
load_rules
in_a nft -f - <<'NFT'
table inet junk {
	chain output {
		type filter hook output priority 5; policy accept;
		udp dport 9999 log group 5
		tcp dport 9997 tcp flags syn log group 5
		tcp dport 9998 tcp flags syn log group 5 snaplen 24
	}
}
NFT
start_daemon

send_junk() {
	in_a $PY - <<PYEOF
import socket
for host, fam in (("$B4", socket.AF_INET), ("$B6", socket.AF_INET6)):
    u = socket.socket(fam, socket.SOCK_DGRAM)
    for i in range(5):
        u.sendto(b"x", (host, 9999))
    for port in (9997, 9998):
        for i in range(5):
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.settimeout(2)
            try:
                s.connect((host, port))
            except OSError:
                pass
            s.close()
PYEOF
}
send_junk
skipped_all() { [ "$(status_get .capture.skipped_total)" -ge 30 ]; }
wait_until 10 skipped_all || fail "odd messages not all seen: $(ctl status --json)"
assert_eq "not_tcp" 10 "$(status_get .capture.skipped.not_tcp)"
assert_eq "not_rst" 10 "$(status_get .capture.skipped.not_rst)"
assert_eq "truncated" 10 "$(status_get .capture.skipped.truncated)"
assert_eq "events_total" 0 "$(status_get .events_total)"
foreign() { [ "$(status_get .reconcile.foreign)" = true ]; }
wait_until 10 foreign || fail "foreign logging not detected"
grep -q "another rule logs to this group" "$DAEMON_LOG" || fail "not logged"

# Still counting real resets, exactly.
rsts0=$(snmp_get Tcp OutRsts)
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 1-50 --flags S --count 50
in_b "$RSTGEN" -q --dst $A6 --src $B6 --dport 1-50 --flags S --count 50
wait_until 10 caught_up 100 || fail "resets after odd input not seen"
assert_eq "kernel OutRsts delta" 100 $(( $(snmp_get Tcp OutRsts) - rsts0 ))
assert_eq "events_total" 100 "$(status_get .events_total)"
assert_eq "lost_total" 0 "$(status_get .lost_total)"
stop_daemon
log "PASS"
