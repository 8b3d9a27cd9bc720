#!/bin/bash
# port_scan: hping3 sweeping 30 closed ports over IPv4 and the test's own
# connect() scanner sweeping 20 over IPv6 raise one port_scan each, keyed
# by the scanner's address, with its first and last port; nothing else is
# raised; both clear once the scans are over (--alert-quiet 3).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
start_daemon --alert-quiet 3 $RATE_ARGS

# IPv4: hping3, SYNs to 2000, 2001, … 2029 (100 per second).
in_b hping3 -q -S -p ++2000 -c 30 -i u10000 $A4 >/dev/null 2>&1 || true
wait_until 10 has_alert port_scan $B4 || fail "no port_scan for $B4: $(alerts_json)"
# IPv6: a connect() scan of 3000..3019.
assert_eq "IPv6 scan" "open=0 closed=20 other=0" \
	"$(traffic_b scan $A6 3000 3019)"
wait_until 10 has_alert port_scan $B6 || fail "no port_scan for $B6: $(alerts_json)"
settled 50

assert_eq "alerts (type key severity)" \
	"port_scan $B4 warning;port_scan $B6 warning;" \
	"$(alerts_json | jq -r '.[] | "\(.type) \(.key) \(.severity)"' | sort | tr '\n' ';')"
ev() { alert_get port_scan "$1" "$2"; }
assert_eq "IPv4 remote, first, last, resets" "$B4 2000 2029 30" \
	"$(ev $B4 '.evidence | "\(.remote) \(.first_port) \(.last_port) \(.resets)"')"
assert_eq "IPv6 remote, first, last, resets" "$B6 3000 3019 20" \
	"$(ev $B6 '.evidence | "\(.remote) \(.first_port) \(.last_port) \(.resets)"')"
# ports is an estimate (linear counting): near the truth, over the bar.
ports4=$(ev $B4 .evidence.ports)
ports6=$(ev $B6 .evidence.ports)
[ "$ports4" -ge 25 ] && [ "$ports4" -le 35 ] || fail "IPv4 ports estimate $ports4, not near 30"
[ "$ports6" -ge 16 ] && [ "$ports6" -le 24 ] || fail "IPv6 ports estimate $ports6, not near 20"
log "ok: ports estimates $ports4 (30), $ports6 (20)"
assert_eq "state" "raised raised" "$(alerts_json | jq -r '[.[].state] | join(" ")')"
now=$(date +%s)
assert_eq "since: in the last minute" "true true" \
	"$(alerts_json | jq -r --argjson now $now '[.[] | .since <= $now and .since > $now - 60] | map(tostring) | join(" ")')"
assert_eq "status lists them" "port_scan $B4;port_scan $B6;" \
	"$(ctl status --json | jq -r '.alerts[] | "\(.type) \(.key)"' | sort | tr '\n' ';')"
assert_eq "rstmon_alerts_active{port_scan}" 2 "$(metric rstmon_alerts_active port_scan)"
log_full "^rstmond: alert=port_scan state=raised remote=$B4 ports=[0-9]+ first_port=2000 last_port=20[0-2][0-9] rate=[0-9.]+/s$" >/dev/null ||
	fail "IPv4 raise line: $(grep alert= "$DAEMON_LOG")"
log_full "^rstmond: alert=port_scan state=raised remote=$B6 ports=[0-9]+ first_port=3000 last_port=30[01][0-9] rate=[0-9.]+/s$" >/dev/null ||
	fail "IPv6 raise line: $(grep alert= "$DAEMON_LOG")"

# Over: each clears once its 10 s window has passed and 3 s were quiet.
wait_until 40 no_alert || fail "the scans' alerts did not clear: $(alerts_json)"
assert_log_sorted_is \
	"port_scan raised remote=$B4" "port_scan cleared remote=$B4" \
	"port_scan raised remote=$B6" "port_scan cleared remote=$B6"
for r in $B4 $B6; do
	assert_eq "$r: raised, then cleared" \
		"port_scan raised remote=$r;port_scan cleared remote=$r;" "$(log_of remote=$r)"
done
assert_active_none
assert_raised "port_scan=2"
stop_daemon
log "PASS"
