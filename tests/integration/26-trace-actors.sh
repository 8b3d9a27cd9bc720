#!/bin/bash
# Kernel-assisted enrichment (--kernel-trace=auto), where the socket is
# gone by the time NFLOG shows its reset:
#
# 1. Short-lived clients: 10 processes in A (uid 1234) each connect to a
# server in B, abort with SO_LINGER {1,0} and exit at once.  Every reset
# names its actor (the process, by pid and name) and the kernel's reason.
#
# 2. The tcp_send_reset tracepoint is global: another network namespace's
# resets must never be joined to ours.  A second pair of namespaces (C, D)
# uses the very same addresses; in each of 20 rounds a process in C
# aborts a connection 10.99.0.1:7777 -> 10.99.0.2:40000 (a reset made in
# process context, reason TCP_STATE, by "rst-foreign"), and at once our B
# sends a stray ACK with the same ports to our A, whose reset has the very
# same tuple (reason NO_SOCKET, made in softirq: no actor).  Every one of
# our 20 events must carry NO_SOCKET (or no reason) and no actor, and the
# foreign records must be counted as dropped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
truth_start || { log "SKIP: no tcp_send_reset tracepoint with reason"; exit $SKIP; }
NS_C=rstmon-c-$$
NS_D=rstmon-d-$$
at_exit "ip netns pids $NS_C 2>/dev/null | xargs -r kill -KILL 2>/dev/null; ip netns pids $NS_D 2>/dev/null | xargs -r kill -KILL 2>/dev/null; ip netns del $NS_C 2>/dev/null; ip netns del $NS_D 2>/dev/null"
ip netns add $NS_C
ip netns add $NS_D
ip link add va netns $NS_C type veth peer name vb netns $NS_D
ip -n $NS_C addr add $A4/24 dev va
ip -n $NS_D addr add $B4/24 dev vb
ip -n $NS_C link set va up
ip -n $NS_D link set vb up
ip -n $NS_C link set lo up
ip -n $NS_D link set lo up
load_rules
start_daemon --kernel-trace=auto
assert_eq "trace active" true "$(status_get .attribution.kernel_trace.active)"

listening() { grep -q '^listening' "$1"; }
# D: a server on 10.99.0.2:40000 that accepts and holds connections.
ip netns exec $NS_D $PY "$TOP/tests/tools/traffic.py" serve $B4 40000 \
	--seconds 55 >"$TMPD/serve.out" 2>&1 &
BG_PIDS="$BG_PIDS $!"
wait_until 10 listening "$TMPD/serve.out" || fail "server in D: $(cat "$TMPD/serve.out")"
# --- 1. short-lived clients ------------------------------------------------
ip netns exec "$NS_B" $PY "$TOP/tests/tools/traffic.py" serve $B4 7300 \
	--seconds 55 >"$TMPD/serve-b.out" 2>&1 &
BG_PIDS="$BG_PIDS $!"
wait_until 10 listening "$TMPD/serve-b.out" || fail "server in B: $(cat "$TMPD/serve-b.out")"
cat >"$TMPD/short.py" <<'PYEOF'
# One connection, aborted with SO_LINGER {1,0}; prints our pid, exits.
import ctypes, os, socket, struct
ctypes.CDLL(None).prctl(15, b"rst-short", 0, 0, 0)
s = socket.create_connection(("10.99.0.2", 7300))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
print(os.getpid(), s.getsockname()[1], flush=True)
s.close()
PYEOF
for i in $(seq 10); do
	ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID \
		--clear-groups $PY -c "$(cat "$TMPD/short.py")" >>"$TMPD/short.out"
done
wait_until 10 caught_up 10 || fail "rstmond saw $(status_get .events_total) of 10"
wait_until 10 test "$(wc -l <"$EVENTS")" -ge 10 || fail "events file incomplete"
while read -r pid port; do
	assert_eq "port $port: actor, reason, cause, uid" \
		"$pid rst-short TCP_STATE app_abort 1234" \
		"$(jq -r --argjson p "$port" 'select(.lport == $p) | "\(.actor.pid) \(.actor.comm) \(.kernel_reason) \(.cause) \(.owner.uid)"' "$EVENTS")"
done <"$TMPD/short.out"
assert_eq "short-lived aborts" 10 "$(events_count '.actor.comm == "rst-short"')"

# --- 2. another namespace, the same tuple ---------------------------------
n0=$(status_get .events_total)
cat >"$TMPD/foreign.py" <<'PYEOF'
# One abort from 10.99.0.1:7777 to 10.99.0.2:40000, in process context.
import ctypes, socket, struct
ctypes.CDLL(None).prctl(15, b"rst-foreign", 0, 0, 0)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.99.0.1", 7777))
s.connect(("10.99.0.2", 40000))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
PYEOF

ROUNDS=20
for i in $(seq $ROUNDS); do
	ip netns exec $NS_C $PY "$TMPD/foreign.py"
	in_b "$RSTGEN" -q --dst $A4 --src $B4 --sport 40000 --dport 7777 \
		--flags A --count 1
done
wait_until 10 caught_up $((n0 + ROUNDS)) || fail "rstmond saw $(status_get .events_total) of $((n0 + ROUNDS))"
flushed() { [ "$(wc -l <"$EVENTS")" -ge $((n0 + ROUNDS)) ]; }
wait_until 10 flushed || fail "events file incomplete"
assert_eq "our resets" $ROUNDS "$(events_count '.lport == 7777 and .rport == 40000')"
assert_eq "stray_segment, every one" $ROUNDS "$(events_count '.lport == 7777 and .cause == "stray_segment"')"
assert_eq "none with an actor" 0 "$(events_count '.lport == 7777 and has("actor")')"
assert_eq "no foreign reason" 0 "$(events_count '.lport == 7777 and has("kernel_reason") and .kernel_reason != "NO_SOCKET"')"
assert_ge "with the kernel's NO_SOCKET" $((ROUNDS * 9 / 10)) "$(events_count '.lport == 7777 and .kernel_reason == "NO_SOCKET"')"
# The foreign records had our tuple: some were candidates, and dropped.
ctl status --json | jq -c .attribution.kernel_trace >&2
assert_ge "foreign records dropped" 1 "$(status_get .attribution.kernel_trace.foreign)"
stop_daemon
log "PASS"
