#!/bin/bash
# Cheap alerts do not crowd out the important ones.  64 spoofed sources
# scanning A (each about 10 closed ports a second) raise port_scan for
# all but the slots kept for the other types (--max-alerts 64: port_scan
# gets 50), and their hooks, each held until the test lets them go,
# take every hook slot (4 running, 32 queued).  Then a listener that
# clients keep connecting to is killed: its service_down is raised all
# the same and listed by `rstmonctl alerts --json`, and its hook takes
# the place of a queued port_scan run and is the next to run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
# A answers the spoofed scanners through B (a gateway: no ARP for them).
ip -n "$NS_A" route add default via $B4 dev va
mkdir "$TMPD/q"
# hook_record.py: a port_scan run holds its slot until q/release exists
# (at most 120 s); every run records its environment and stdin.
start_daemon --hook "$TOP/tests/integration/hook_record.py $TMPD/q RSTMON_ALERT=port_scan 120" \
	--hook-as-root --hook-timeout 150

owned() {
	[ "$(status_get '.attribution | "\(.listeners) \(.listeners_with_owner)"')" = "1 1" ]
}
serve_a svc 0.0.0.0 6380 fake-redis
wait_until 10 owned || fail "the listener's owner was never resolved"
# Clients connecting 100 times a second (for at most 60 s).
bg ip netns exec "$NS_B" $TRAFFIC connect $A4 6380 --count 6000 --rate 100 >/dev/null
assert_eq "service answers" "ok=1 refused=0 other=0" \
	"$(traffic_b connect $A4 6380 --count 1 --http)"

# 64 spoofed scanners, 10.201.0.64-127, 640 SYNs a second to closed
# ports 1000-1999 (for at most 100 s).
bg ip netns exec "$NS_B" "$RSTGEN" -q --dst $A4 --rand-src 10.201.0.64/26 \
	--dport 1000-1999 --flags S --count 64000 --rate 640
scanned() { [ "$(metric rstmon_alerts_active port_scan)" -ge 50 ]; }
wait_until 30 scanned || fail "port_scan active: $(metric rstmon_alerts_active port_scan)"
busy() { [ "$(status_get '.actions.hook | "\(.running) \(.queued)"')" = "4 32" ]; }
wait_until 15 busy || fail "hooks: $(status_get .actions.hook)"
log "ok: $(metric rstmon_alerts_active port_scan) port_scan alerts; hooks: 4 running, 32 queued"

kill_pid $svc
wait_until 20 has_alert service_down ipv4:6380 ||
	fail "no service_down for ipv4:6380 (port_scan active: $(metric rstmon_alerts_active port_scan), alerts_dropped: $(status_get .alerts_dropped))"
assert_eq "service_down in alerts --json" "service_down ipv4:6380 critical 6380 fake-redis" \
	"$(alert_get service_down ipv4:6380 '"\(.type) \(.key) \(.severity) \(.evidence.port) \(.evidence.last_owner.comm)"')"
# The rule (rstmond(8), --max-alerts): each type keeps 64 / 16 = 4 slots,
# syn_flood and reset_rate 1, so port_scan may hold 64 - 14 = 50.
assert_eq "port_scan active" 50 "$(metric rstmon_alerts_active port_scan)"
total=0
for t in $ALERT_TYPES; do
	total=$((total + $(metric rstmon_alerts_active $t)))
done
[ "$total" -le 64 ] || fail "$total alerts active, more than --max-alerts 64"
log "ok: $total alerts active (at most 64)"

# Its hook: queued in a port_scan run's place, not dropped.
evicted() { grep -Eq "action=hook state=dropped alert=port_scan key=10\.201\.0\.[0-9]+ state=raised reason=evicted running=4 queued=32" "$DAEMON_LOG"; }
wait_until 10 evicted || fail "no port_scan run made room: $(grep 'action=hook state=dropped' "$DAEMON_LOG" | tail -3)"
! grep -q "action=hook state=dropped alert=service_down" "$DAEMON_LOG" ||
	fail "the service_down run was dropped: $(grep 'alert=service_down' "$DAEMON_LOG")"
# Let the port_scan runs go: the service_down run is the next to start.
touch "$TMPD/q/release"
down_run() { grep -l '"RSTMON_ALERT": "service_down"' "$TMPD"/q/run.*.json; }
wait_until 30 down_run || fail "the service_down hook did not run: $(grep 'alert=service_down' "$DAEMON_LOG")"
f=$(down_run)
assert_eq "service_down run: environment" "service_down raised ipv4:6380 6380 fake-redis" \
	"$(jq -r '.env | "\(.RSTMON_ALERT) \(.RSTMON_STATE) \(.RSTMON_KEY) \(.RSTMON_PORT) \(.RSTMON_OWNER_COMM)"' "$f")"
assert_eq "service_down run: stdin" "service_down ipv4:6380 raised 6380" \
	"$(jq -r '.stdin | fromjson | "\(.type) \(.key) \(.state) \(.evidence.port)"' "$f")"
# It started before every port_scan run that waited in the queue.
first=$(grep -n "action=hook state=started alert=service_down key=ipv4:6380" "$DAEMON_LOG" | head -1 | cut -d: -f1)
[ -n "$first" ] || fail "no started line for the service_down run"
assert_eq "runs started before it" 4 \
	"$(head -n "$first" "$DAEMON_LOG" | grep -c 'action=hook state=started alert=port_scan')"
stop_daemon
log "PASS"
