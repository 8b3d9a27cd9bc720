#!/bin/bash
# A service that dies is named as the last owner of its port in the
# resets that follow: pid, comm, uid and when it was last seen.
. "$(dirname "$0")/lib.sh"

setup_netns
load_rules
start_daemon --inventory-interval 200

# "fake-redis": a listener run as uid 1234 in namespace A.
ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID \
	--clear-groups $PY -c '
import ctypes, socket, time
ctypes.CDLL(None).prctl(15, b"fake-redis", 0, 0, 0)
s = socket.socket(socket.AF_INET6)
s.bind(("::", 6379)); s.listen(16)
time.sleep(60)' &
svc=$!
BG_PIDS="$BG_PIDS $svc"
owned() {
	[ "$(status_get .attribution.listeners_with_owner)" -ge 1 ]
}
wait_until 10 owned || fail "the listener's owner was never resolved"
kill -KILL $svc
wait $svc 2>/dev/null || true
gone() { [ "$(status_get .attribution.listeners_remembered)" -ge 1 ]; }
wait_until 10 gone || fail "the listener was not seen going away"

read -r refused4 _ < <(in_b $PY "$TOP/tests/tools/connect_many.py" $A4 6379 6379 3)
read -r refused6 _ < <(in_b $PY "$TOP/tests/tools/connect_many.py" $A6 6379 6379 2)
assert_eq "connects refused" 5 $((refused4 + refused6))
wait_until 10 caught_up 5 || fail "resets not seen"
flushed() { [ "$(wc -l < "$EVENTS")" -ge 5 ]; }
wait_until 10 flushed || fail "events file incomplete"
assert_eq "closed_port naming fake-redis" 5 "$(events_count '.cause == "closed_port" and .lport == 6379 and .owner.last_owner.comm == "fake-redis" and .owner.last_owner.pid == '$svc' and .owner.last_owner.uid == '$APP_UID' and .owner.last_owner.last_seen > 0')"
assert_eq "no live owner claimed" 0 "$(events_count 'has("owner") and (.owner | has("pid"))')"
stop_daemon
log "PASS"
