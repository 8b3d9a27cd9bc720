#!/bin/bash
# latency.sh: detection latency of each detector — from the reset that
# makes its condition true to the alert being visible in `rstmonctl alerts
# --json` (polled every 10 ms) — with the default 1 s timer tick and with
# --inventory-interval 200 (a 200 ms tick).  Prints min/median/max per
# detector; asserts nothing (the target is <= 2 s).
# Needs root; runs only in namespaces it creates (tests/integration/
# lib.sh); every flood is bounded in count and time.
#   RUNS=5 (measurements per cell)   DETECTORS="port_scan …" (a subset)
#   TICKS="1000 200" (the tick lengths to measure, in ms)
#
# Each measurement: a fresh daemon (but see series() for reset_rate); the
# condition primed to one reset
# short of true (e.g. 9 closed ports of a scan) and seen through one tick
# (no alert yet); a random pause within a tick (so the trigger falls
# anywhere in the tick); then the triggering reset, whose receipt time is
# its "ts" in the events file.  The latency is when a poll first saw the
# alert minus that ts (resolution: one poll, ~10 ms).
#   port_scan        the 10th distinct closed port from one remote
#   syn_flood        the 5000th spoofed SYN in 10 s (>= 200 sources)
#   service_down     the first connection attempt after the grace period
#   listen_overflow  the overflow reset (scenario listen_overflow)
#   abort_storm      the 500th abort in 10 s by one owner (one process
#                    aborts 499, then one more when told: alive, so that it
#                    is looked up as the same owner)
#   reset_rate       the 500th unexplained reset in 10 s (floor 50/s):
#                    stray ACKs to one port, which no other detector claims
. "$(dirname "$0")/../integration/lib.sh"
. "$TOP/tests/integration/alert-lib.sh"

RUNS=${RUNS:-5}
DETECTORS=${DETECTORS:-"port_scan syn_flood service_down listen_overflow abort_storm reset_rate"}
setup_netns
# Replies to spoofed sources go to B (which drops them): a gateway.
ip -n "$NS_A" route add default via $B4 dev va
load_rules

cat >"$TMPD/poll.py" <<'PYEOF'
# poll.py CTL SOCK TYPE TIMEOUT READY: poll `alerts --json` every 10 ms until an
# alert of TYPE shows; print the wall time of that reply ("early" when the
# very first poll sees it, "timeout" when it never does); create READY
# after the first poll.
import json, subprocess, sys, time
ctl, sock, typ, limit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
start = time.monotonic()
first = True
while time.monotonic() - start < limit:
    t0 = time.monotonic()
    out = subprocess.run([ctl, "-s", sock, "alerts", "--json"],
                         capture_output=True, text=True).stdout
    seen = time.time()
    try:
        hit = any(a.get("type") == typ for a in json.loads(out or "[]"))
    except ValueError:
        hit = False
    if hit:
        print("early" if first else "%.6f" % seen, flush=True)
        sys.exit(0)
    if first:
        open(sys.argv[5], "w").close()	# polling: the trigger may go
    first = False
    time.sleep(max(0.0, 0.010 - (time.monotonic() - t0)))
print("timeout", flush=True)
PYEOF

# B's server for the aborting client of A (abort_storm).
ip netns exec "$NS_B" $TRAFFIC serve $B4 9000 --seconds 3600 >"$TMPD/sink.out" &
BG_PIDS="$BG_PIDS $!"
sink_up() { grep -q '^listening' "$TMPD/sink.out"; }
wait_until 10 sink_up || fail "B's server did not listen"

gen() { in_b "$RSTGEN" -q --flags S "$@"; }	# a later --flags wins
# One process aborts 499 connections, then one more once told to (it
# must be alive when its resets are looked up: a process that is gone is
# only "uid N", another owner).
aborter_start() {
	rm -f "$TMPD/go"
	mkfifo "$TMPD/go"
	ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID \
		--clear-groups $TRAFFIC abort $B4 9000 --count 499 --comm aborter \
		--then 1 --linger 1 <"$TMPD/go" >/dev/null &
	ABORTER=$!
	BG_PIDS="$BG_PIDS $ABORTER"
	exec 8>"$TMPD/go"
}
# The trigger's receipt time: the ts of the event JQ selects (the last).
event_ts() {
	local sel=$1 ts=
	for _ in $(seq 100); do
		ts=$(jq -r "select($sel) | .ts" "$EVENTS" 2>/dev/null | tail -1)
		[ -n "$ts" ] && break
		sleep 0.05
	done
	echo "${ts:-none}"
}

# prime DETECTOR: bring its condition to one reset short of true, and let
# the detectors see it (no alert yet: the poller checks).
prime() {
	local base
	base=$(status_get '.events_total + .lost_total')
	case $1 in
	port_scan)
		gen --dst $A4 --src $B4 --dport 1000-1008 --count 9
		settled $((base + 9)) ;;
	syn_flood)
		gen --dst $A4 --rand-src 10.200.0.0/16 --dport 80 --count 4999 --rate 20000
		settled $((base + 4999)) ;;
	reset_rate)	# stray ACKs: no specific detector explains them
		gen --dst $A4 --src $B4 --dport 7777 --flags A --count 499 --rate 20000
		settled $((base + 499)) ;;
	abort_storm)
		aborter_start
		settled $((base + 499)) ;;
	service_down)
		serve_a svc 0.0.0.0 6380 fake-redis
		owned() { [ "$(status_get .attribution.listeners_with_owner)" -ge 1 ]; }
		wait_until 10 owned || fail "the listener's owner was never resolved"
		t_kill=$(date +%s.%N)
		kill_pid $svc
		gone() { [ "$(status_get .attribution.listeners_remembered)" -ge 1 ]; }
		wait_until 10 gone || fail "the listener was not seen going away"
		# The daemon's grace runs from the listing that saw it gone (at
		# most now, in whole seconds): past it, and past the real 2 s.
		local t_seen; t_seen=$(date +%s)
		past() {
			[ "$(date +%s)" -ge $((t_seen + 2)) ] &&
			awk -v k="$t_kill" -v n="$(date +%s.%N)" 'BEGIN { exit !(n >= k + 2) }'
		}
		wait_until 10 past ;;
	esac
}

trigger() {
	case $1 in
	port_scan) gen --dst $A4 --src $B4 --dport 1009 --count 1 ;;
	syn_flood) gen --dst $A4 --rand-src 10.200.0.0/16 --dport 80 --count 1 ;;
	reset_rate) gen --dst $A4 --src $B4 --dport 7777 --flags A --count 1 ;;
	abort_storm) echo go >&8; exec 8>&-; wait $ABORTER ;;
	service_down) gen --dst $A4 --src $B4 --dport 6380 --count 1 ;;
	listen_overflow) scenario listen_overflow >/dev/null 2>&1 ;;
	esac
}

selector() {
	case $1 in
	port_scan) echo '.lport == 1009' ;;
	syn_flood) echo '.cause == "closed_port"' ;;
	reset_rate) echo '.lport == 7777' ;;
	abort_storm) echo '.cause == "app_abort"' ;;
	service_down) echo '.lport == 6380' ;;
	listen_overflow) echo '.cause == "listen_overflow"' ;;
	esac
}

# measure_once DETECTOR TICK_MS: one latency in ms (or a word: early, the
# prime alone raised it; timeout) in RESULT, with the running daemon.
measure_once() {
	local det=$1 tick=$2 t_seen ts ready=$TMPD/polling poller
	prime $det
	rm -f "$ready" "$TMPD/seen"
	$PY "$TMPD/poll.py" "$RSTMONCTL" "$SOCK" $det 10 "$ready" >"$TMPD/seen" &
	poller=$!
	polling() { [ -e "$ready" ] || [ -s "$TMPD/seen" ]; }
	wait_until 10 polling
	# Anywhere within a tick.
	sleep "$(awk -v t=$tick -v r=$RANDOM 'BEGIN { printf "%.3f", t / 1000 * r / 32768 }')"
	trigger $det
	wait $poller
	t_seen=$(cat "$TMPD/seen")
	case $t_seen in
	early | timeout) RESULT=$t_seen ;;
	*)	ts=$(event_ts "$(selector $det)")
		RESULT=$(awk -v s="$t_seen" -v t="$ts" 'BEGIN { printf "%.0f", (s - t) * 1000 }') ;;
	esac
}

# fresh ARGS…: a new daemon (and events file).
fresh() {
	rm -f "$SOCK"
	EVENTS=$TMPD/events-$RANDOM$RANDOM.jsonl
	start_daemon "$@"
}

# series DETECTOR TICK_MS ARGS…: RUNS latencies in VALS.  A fresh daemon
# for each, except for reset_rate: when its warm-up cannot be turned off
# (RATE_ARGS empty) one daemon waits it out (60 s from its first reset)
# and serves every run,
# each once the last alert cleared and its burst left the 10 s window
# (factor 1: earlier bursts in the baseline do not raise the bar of 50/s).
series() {
	local det=$1 tick=$2 r last
	shift 2
	VALS=
	if [ $det = reset_rate ] && [ -z "$RATE_ARGS" ]; then
		fresh --alert-quiet 1 --rate-factor 1 "$@"
		# The warm-up runs from the first reset seen.
		gen --dst $A4 --src $B4 --dport 7000 --count 1
		wait_until 10 caught_up 1 || fail "the first reset was not seen"
		last=$(status_get .uptime_s)
		warm() { [ "$(status_get .uptime_s)" -ge $(($1 + 62)) ]; }
		wait_until 75 warm "$last" || fail "no time passes"
		for r in $(seq "$RUNS"); do
			last=$(status_get .uptime_s)
			calm() { [ "$(status_get .uptime_s)" -ge $(($1 + 11)) ] && no_alert; }
			[ $r = 1 ] || wait_until 30 calm "$last" || fail "reset_rate never cleared"
			measure_once $det $tick
			VALS="$VALS $RESULT"
		done
		stop_daemon
		return
	fi
	for r in $(seq "$RUNS"); do
		fresh --alert-quiet 30 $RATE_ARGS "$@"
		measure_once $det $tick
		VALS="$VALS $RESULT"
		stop_daemon
	done
}

stats() {
	local sorted n
	sorted=$(printf '%s\n' "$@" | grep -E '^-?[0-9]+$' | sort -n)
	n=$(printf '%s\n' "$sorted" | grep -c . || true)
	if [ "$n" -eq 0 ]; then
		printf '%8s %8s %8s' - - -
		return
	fi
	printf '%8s %8s %8s' "$(echo "$sorted" | head -1)" \
		"$(echo "$sorted" | sed -n "$(( (n + 1) / 2 ))p")" \
		"$(echo "$sorted" | tail -1)"
}

printf '%-16s %-8s %4s %8s %8s %8s  %s\n' detector tick runs "min ms" \
	"median" "max" "all (ms)"
for cfg in ${TICKS:-1000 200}; do
	args=
	[ $cfg = 200 ] && args="--inventory-interval 200"
	for det in $DETECTORS; do
		series $det $cfg $args
		printf '%-16s %-8s %4s %s  %s\n' $det "${cfg}ms" "$RUNS" \
			"$(stats $VALS)" "$(echo $VALS)"
	done
done
