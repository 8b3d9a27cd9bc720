#!/bin/bash
# enrichment.sh: what the kernel-assisted enrichment (--kernel-trace=auto)
# costs per reset and how much of it reaches the events, at a rate the
# tracepoint is kept on for (below --trace-max-rate, 20,000/s).  For each
# workload, trace off and auto: rstmond's on-CPU µs per reset, and the
# share of resets carrying the kernel's reason (auto).  Then aborts in
# process context: the share naming their actor.  Prints; asserts nothing.
# Needs root; runs only in namespaces it creates (lib.sh), every flood
# bounded in count and time.
#   RUNS=3 (repeats per cell)   COUNT=50000 (resets per run)   RATE=10000
. "$(dirname "$0")/../integration/lib.sh"

RUNS=${RUNS:-3}
COUNT=${COUNT:-50000}
RATE=${RATE:-10000}
setup_netns
load_rules
cpu_ns() { awk '{print $1}' "/proc/$1/schedstat"; }

# A listener of uid 1234, for stray ACKs answered by a listener.
ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID --clear-groups \
	$PY -c 'import socket,time
s = socket.socket(); s.bind(("0.0.0.0", 8080)); s.listen(128); time.sleep(900)' &
BG_PIDS="$BG_PIDS $!"

workload() {
	case $1 in
	closed-syn)	# SYNs to closed ports (softirq, NO_SOCKET)
		in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 20000-20999 \
			--flags S --count $COUNT --rate $RATE --duration 30 ;;
	stray-listener)	# ACKs answered by a listener (TCP_FLAGS-like)
		in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 8080 \
			--flags A --count $COUNT --rate $RATE --duration 30 ;;
	esac
}

med() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
us() { awk -v v="$1" 'BEGIN{printf "%.2f", v/1000}'; }

# "with reason": the lowest share of the runs.
printf '%-16s %-6s %8s %10s %10s %10s %12s\n' workload trace resets \
	"us/reset" "min" "max" "with reason"
for w in closed-syn stray-listener; do
	for trace in off auto; do
		vals= pct=
		for r in $(seq "$RUNS"); do
			rm -f "$SOCK"
			start_daemon --kernel-trace=$trace -e /dev/null
			base=$(status_get .events_total)
			j0=$(status_get .attribution.kernel_trace.joined)
			c0=$(cpu_ns "$DAEMON_PID")
			workload $w
			wait_until 30 caught_up $((base + COUNT)) ||
				log "warning: not all resets seen"
			c1=$(cpu_ns "$DAEMON_PID")
			n=$(( $(status_get '.events_total + .lost_total') - base ))
			j=$(( $(status_get .attribution.kernel_trace.joined) - j0 ))
			[ "$(status_get .attribution.kernel_trace.state)" = paused ] &&
				log "warning: the tracepoint paused"
			vals="$vals $(( (c1 - c0) / n ))"
			pct="$pct $(awk -v j=$j -v n=$n 'BEGIN{printf "%.2f", 100*j/n}')"
			stop_daemon
		done
		sorted=$(printf '%s\n' $vals | sort -n)
		printf '%-16s %-6s %8d %10s %10s %10s %11s%%\n' $w $trace $n \
			"$(us "$(med $vals)")" "$(us "$(echo "$sorted" | head -1)")" \
			"$(us "$(echo "$sorted" | tail -1)")" \
			"$(printf '%s\n' $pct | sort -n | head -1)"
	done
done

# Aborts in process context: short-lived clients (one process each) and
# one process aborting many connections; how many name their actor.
ip netns exec "$NS_B" $PY "$TOP/tests/tools/traffic.py" serve $B4 7300 \
	--seconds 300 >"$TMPD/serve.out" 2>&1 &
BG_PIDS="$BG_PIDS $!"
listening() { grep -q '^listening' "$TMPD/serve.out"; }
wait_until 10 listening || fail "server: $(cat "$TMPD/serve.out")"
rm -f "$SOCK"
start_daemon --kernel-trace=auto
SHORT='import ctypes, socket, struct
ctypes.CDLL(None).prctl(15, b"rst-short", 0, 0, 0)
s = socket.create_connection(("10.99.0.2", 7300))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()'
for i in $(seq 200); do
	ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID \
		--clear-groups $PY -c "$SHORT"
done
ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID \
	--clear-groups $TRAFFIC abort $B4 7300 \
	--count 2000 --rate 500 --comm rst-aborter >/dev/null
wait_until 30 caught_up 2200 || log "warning: not all aborts seen"
wait_until 10 test "$(wc -l <"$EVENTS")" -ge 2200 || log "warning: events file short"
stop_daemon
for c in rst-short rst-aborter; do
	named=$(events_count ".actor.comm == \"$c\"")
	reason=$(events_count ".actor.comm == \"$c\" and .kernel_reason == \"TCP_STATE\"")
	printf 'process-context aborts by %-12s %5d named (with reason %d)\n' "$c" "$named" "$reason"
done
printf 'app_abort events in all: %d; with an actor: %d\n' \
	"$(events_count '.cause == "app_abort"')" \
	"$(events_count '.cause == "app_abort" and has("actor")')"
