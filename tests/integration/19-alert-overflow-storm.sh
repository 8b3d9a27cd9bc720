#!/bin/bash
# listen_overflow: a listener whose accept queue is full resets a client
# (scenario listen_overflow, port 7416): listen_overflow for "port 7416",
# naming the listener's owner, its backlog and queue.
# abort_storm: one process in A aborting its connections (SO_LINGER {1,0})
# 200 times a second for 4 s: abort_storm keyed by that owner, with its
# pid and the causes.  Nothing else is raised; both clear once over
# (--alert-quiet 3).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
start_daemon --alert-quiet 3 $RATE_ARGS

# listen_overflow.
scenario listen_overflow >"$TMPD/expect.jsonl"
assert_eq "expected resets" 1 "$(wc -l < "$TMPD/expect.jsonl" | tr -d ' ')"
wait_until 10 has_alert listen_overflow "port 7416" ||
	fail "no listen_overflow for port 7416: $(alerts_json)"
settled 1
assert_eq "cause" '{"listen_overflow":1}' \
	"$(ctl status --json | jq -S -c '.causes | with_entries(select(.value > 0))')"
ovf() { alert_get listen_overflow "port 7416" "$1"; }
assert_eq "the only alert" "listen_overflow port 7416 warning" \
	"$(alerts_json | jq -r '.[] | "\(.type) \(.key) \(.severity)"' | tr '\n' ';' | sed 's/;$//')"
assert_eq "port, resets" "7416 1" "$(ovf '.evidence | "\(.port) \(.resets)"')"
owner=$(ovf .evidence.owner)
case $owner in
rst-listener | "rst-listener ("*")") log "ok: owner = $owner" ;;
*) fail "listen_overflow owner: expected rst-listener, got '$owner'" ;;
esac
assert_eq "backlog" 1 "$(ovf .evidence.backlog)"
assert_ge "queue" 1 "$(ovf .evidence.queue)"
log_full "^rstmond: alert=listen_overflow state=raised port=7416 owner=(rst-listener|\"rst-listener \(.*\)\") backlog=1 queue=[0-9]+ resets=1$" >/dev/null ||
	fail "raise line: $(grep alert= "$DAEMON_LOG")"

# abort_storm: B serves, one process of A connects and aborts, 800 times.
bg ip netns exec "$NS_B" $TRAFFIC serve $B4 9000 --seconds 55 >"$TMPD/sink.out"
sink_up() { grep -q '^listening' "$TMPD/sink.out"; }
wait_until 10 sink_up || fail "B's server did not listen"
ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID --clear-groups \
	$TRAFFIC abort $B4 9000 --count 800 --rate 200 --comm aborter --linger 1 >"$TMPD/abort.out" &
aborter=$!
BG_PIDS="$BG_PIDS $aborter"
wait $aborter || fail "the aborting process failed"
assert_eq "aborts" "aborted=800" "$(cat "$TMPD/abort.out")"
storm() { alerts_json | jq -e 'any(.[]; .type == "abort_storm")'; }
wait_until 10 storm || fail "no abort_storm: $(alerts_json)"
settled 801
assert_eq "app_abort resets" 800 "$(status_get .causes.app_abort)"
key=$(alerts_json | jq -r '.[] | select(.type == "abort_storm") | .key')
case $key in
aborter | "aborter ("*")") log "ok: abort_storm key = $key" ;;
*) fail "abort_storm key: expected the owner aborter, got '$key'" ;;
esac
st() { alert_get abort_storm "$key" "$1"; }
assert_eq "evidence owner" "$key" "$(st .evidence.owner)"
assert_eq "evidence pid" $aborter "$(st .evidence.pid)"
# The storm's own split counts what was attributed to this owner by name:
# the very last aborts of a process that has exited by the time they are
# looked up (a loaded machine) may go to "uid 1234" instead.  Every one is
# an app_abort (status above says exactly 800).
assert_eq "causes: app_abort only" '["app_abort"]' "$(st '.evidence.causes | keys | tojson')"
n=$(st .evidence.causes.app_abort)
[ "$n" -ge 780 ] && [ "$n" -le 800 ] || fail "storm evidence: $n app_abort, expected 780..800"
log "ok: storm evidence: $n of the 800 app_abort under the owner's name"
assert_ge "rate (10 s average)" 50 "$(st '.evidence.rate | floor')"
assert_eq "severity" warning "$(st .severity)"
log_full "^rstmond: alert=abort_storm state=raised owner=(aborter|\"aborter \(.*\)\") pid=$aborter rate=[0-9]+/s app_abort=[0-9]+$" >/dev/null ||
	fail "raise line: $(grep alert= "$DAEMON_LOG")"
assert_eq "no other alert (listen_overflow may have cleared already)" "" \
	"$(alerts_json | jq -r '.[] | select(.type != "abort_storm" and .type != "listen_overflow") | .type')"

wait_until 40 no_alert || fail "the alerts did not clear: $(alerts_json)"
assert_eq "overflow lines" \
	"listen_overflow raised port=7416;listen_overflow cleared port=7416;" \
	"$(log_of port=7416)"
assert_eq "storm lines" \
	"abort_storm raised owner=$key;abort_storm cleared owner=$key;" \
	"$(log_of "owner=$key")"
assert_eq "alert lines" 4 "$(alert_log | wc -l | tr -d ' ')"
assert_active_none
assert_raised "listen_overflow=1 abort_storm=1"
stop_daemon
log "PASS"
