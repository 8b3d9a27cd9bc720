#!/bin/bash
# service_down, and service restarts, with real listeners and clients that
# keep connecting from B:
#  1. a listener killed (IPv4): service_down for its port (key ipv4:PORT),
#     naming the last owner (comm, pid) and since when it is down; nothing
#     else is raised; the alert clears as soon as a listener is back (well
#     before --alert-quiet 30 could clear it);
#  2. a quick restart (well under --down-grace; IPv6, dual-stack): no
#     alert at all;
#  3. a slow restart (~3 s): service_down ipv6:PORT, cleared as soon as
#     the listener is back, and never reset_rate on top of it;
#  4. the same for a busy service: right after the kill, 1000 connection
#     attempts arrive within 0.2 s.
# A control at the end proves that reset_rate was armed all along.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
start_daemon --alert-quiet 30 $RATE_ARGS

# owned N: N listeners in A, every one with its owner resolved.
owned() {
	[ "$(status_get '.attribution | "\(.listeners) \(.listeners_with_owner)"')" = "$1 $1" ]
}
serve_a svc 0.0.0.0 6380 fake-redis
wait_until 10 owned 1 || fail "the listener's owner was never resolved"
# 1. Clients connecting 100 times a second (for at most 25 s).
bg ip netns exec "$NS_B" $TRAFFIC connect $A4 6380 --count 2500 --rate 100 >/dev/null
assert_eq "service answers" "ok=1 refused=0 other=0" \
	"$(traffic_b connect $A4 6380 --count 1 --http)"

t_kill=$(date +%s)
kill_pid $svc
wait_until 15 has_alert service_down ipv4:6380 ||
	fail "no service_down for ipv4:6380: $(alerts_json)"
assert_eq "the only alert" "service_down ipv4:6380 critical raised" \
	"$(alerts_json | jq -r '.[] | "\(.type) \(.key) \(.severity) \(.state)"')"
get() { alert_get service_down ipv4:6380 "$1"; }
assert_eq "evidence port" 6380 "$(get .evidence.port)"
assert_eq "last owner comm" fake-redis "$(get .evidence.last_owner.comm)"
assert_eq "last owner pid" $svc "$(get .evidence.last_owner.pid)"
down=$(get .evidence.down_since)
since=$(get .since)
[ "$down" -ge $((t_kill - 1)) ] && [ "$down" -le "$since" ] ||
	fail "down_since $down: not between the kill ($t_kill) and the raise ($since)"
log "ok: down_since $down (killed at $t_kill, raised at $since)"
assert_ge "attempts" 1 "$(get .evidence.attempts)"
log_full "^rstmond: alert=service_down state=raised port=6380 family=4 last_owner=fake-redis pid=$svc( unit=[^ ]+)? since=[0-9T:-]+Z attempts=[0-9]+$" >/dev/null ||
	fail "raise line: $(grep alert= "$DAEMON_LOG")"
assert_eq "status lists it" "service_down ipv4:6380 critical" \
	"$(ctl status --json | jq -r '.alerts[] | "\(.type) \(.key) \(.severity)"')"
assert_eq "rstmon_alerts_active{service_down}" 1 "$(metric rstmon_alerts_active service_down)"

# The service is back: the alert ends now, not after the quiet period.
serve_a svc2 0.0.0.0 6380 fake-redis
cleared() { log_has "service_down cleared port=6380"; }
wait_until 10 cleared || fail "service_down not cleared with the listener back: $(alerts_json)"
assert_eq "alerts once it is back" "[]" "$(alerts_json | jq -c .)"
assert_eq "service answers again" "ok=1 refused=0 other=0" \
	"$(traffic_b connect $A4 6380 --count 1 --http)"
ticks 2
assert_log_is "service_down raised port=6380" "service_down cleared port=6380"
assert_raised "service_down=1"

P=8443
serve_a svc :: $P websvc
wait_until 10 owned 2 || fail "the listener's owner was never resolved"
# Clients, 100 connections a second (for at most 40 s).
bg ip netns exec "$NS_B" $TRAFFIC connect $A6 $P --count 4000 --rate 100 --http >/dev/null

# 2. Quick restart.
r0=$(snmp_get Tcp OutRsts)
kill_pid $svc
serve_a svc :: $P websvc
assert_eq "service answers" "ok=1 refused=0 other=0" \
	"$(traffic_b connect $A6 $P --count 1 --http)"
log "quick restart: A sent $(( $(snmp_get Tcp OutRsts) - r0 )) resets"
ticks 3
assert_eq "alerts after a quick restart" "[]" "$(alerts_json | jq -c .)"
assert_eq "no new alert line after a quick restart" 2 "$(alert_log | wc -l)"

# 3. Slow restart.
slow_restart() {
	local what=$1 burst=$2
	wait_until 10 owned 2 || fail "$what: the listener's owner was never resolved"
	ticks 1	# just after a listing of the sockets
	kill_pid $svc
	if [ "$burst" -gt 0 ]; then
		in_b "$RSTGEN" -q --dst $A6 --src $B6 --dport $P --flags S \
			--count "$burst" --rate 5000
	fi
	wait_until 15 has_alert service_down ipv6:$P ||
		fail "$what: no service_down for ipv6:$P: $(alerts_json)"
	assert_eq "$what: alerts" "service_down ipv6:$P" \
		"$(alerts_json | jq -r '.[] | "\(.type) \(.key)"' | tr '\n' ';' | sed 's/;$//')"
	assert_eq "$what: last owner" "websvc $svc" \
		"$(alert_get service_down ipv6:$P '.evidence.last_owner | "\(.comm) \(.pid)"')"
	serve_a svc :: $P websvc
	cleared() { [ "$(alert_log | grep -c "^service_down cleared port=$P$")" -ge "$1" ]; }
	wait_until 10 cleared "$3" ||
		fail "$what: service_down not cleared with the listener back: $(alerts_json)"
	assert_eq "$what: alerts once it is back" "[]" "$(alerts_json | jq -c .)"
	assert_eq "$what: service answers again" "ok=1 refused=0 other=0" \
		"$(traffic_b connect $A6 $P --count 1 --http)"
	ticks 2
	assert_eq "$what: alerts after two more ticks" "[]" "$(alerts_json | jq -c .)"
}
slow_restart "slow restart" 0 1
assert_eq "slow restart: alert lines" "service_down raised port=$P;service_down cleared port=$P;" "$(log_of port=$P)"

# 4. Slow restart of a busy service.
slow_restart "busy restart" 1000 2
assert_log_is "service_down raised port=6380" "service_down cleared port=6380" \
	"service_down raised port=$P" "service_down cleared port=$P" \
	"service_down raised port=$P" "service_down cleared port=$P"
assert_active_none
assert_raised "service_down=3"
# Control: the same daemon does raise reset_rate for unexplained resets.
assert_rate_armed
stop_daemon
log "PASS"
