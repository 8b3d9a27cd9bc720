#!/bin/bash
# attribution.sh: what attribution costs per reset, by workload and with
# or without the kernel tracepoint.  Prints a table; asserts nothing.
# Needs root; runs only in namespaces it creates (lib.sh), every flood
# bounded in count and time.
#   RUNS=3 (repeats per cell; min/median/max printed)
. "$(dirname "$0")/../integration/lib.sh"

RUNS=${RUNS:-3}
setup_netns
in_a sysctl -qw net.ipv4.tcp_abort_on_overflow=0
# Replies to spoofed sources go to B (which drops them): a gateway, not
# an on-link route, or most would die unrouted before the output hook.
ip -n "$NS_A" route add default via $B4 dev va
load_rules

# On-CPU nanoseconds of a process (schedstat: precise, unlike ticks).
cpu_ns() { awk '{print $1}' "/proc/$1/schedstat"; }

# A listener of uid 1234 for the stray-ACK-to-a-listener workload.
ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID --clear-groups \
	$PY -c 'import socket,time
s = socket.socket(); s.bind(("0.0.0.0", 8080)); s.listen(128); time.sleep(600)' &
BG_PIDS="$BG_PIDS $!"

workload() {
	case $1 in
	closed-syn)	# SYNs to 1000 closed ports: the scan / backscatter case
		in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 20000-20999 \
			--flags S --count 100000 --rate 50000 --duration 20 ;;
	spoofed-syn)	# SYNs from 65536 spoofed sources
		in_b "$RSTGEN" -q --dst $A4 --rand-src 10.98.0.0/16 \
			--dport 20000-20099 --flags S --count 100000 \
			--rate 50000 --duration 20 ;;
	stray-closed)	# ACKs to closed ports: a lookup per port per second
		in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 30000-30999 \
			--flags A --count 100000 --rate 50000 --duration 20 ;;
	stray-listener)	# ACKs to a listening port: answered by the listener
		in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 8080 \
			--flags A --count 100000 --rate 50000 --duration 20 ;;
	esac
}

printf '%-16s %-6s %8s %10s %10s %10s\n' workload trace resets \
	"us/reset" "min" "max"
for w in closed-syn spoofed-syn stray-closed stray-listener; do
	for trace in off auto; do
		vals=
		for r in $(seq "$RUNS"); do
			rm -f "$SOCK"
			start_daemon --kernel-trace=$trace -e /dev/null
			base=$(status_get .events_total)
			c0=$(cpu_ns "$DAEMON_PID")
			workload $w
			# rstgen counts what it sent; wait for all of it.
			wait_until 30 caught_up $((base + 100000)) ||
				log "warning: not all resets seen"
			c1=$(cpu_ns "$DAEMON_PID")
			n=$(( $(status_get '.events_total + .lost_total') - base ))
			vals="$vals $(( (c1 - c0) / n ))"
			stop_daemon
		done
		sorted=$(printf '%s\n' $vals | sort -n)
		min=$(echo "$sorted" | head -1)
		max=$(echo "$sorted" | tail -1)
		med=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
		printf '%-16s %-6s %8d %10s %10s %10s\n' $w $trace $n \
			"$(awk -v v=$med 'BEGIN{printf "%.2f", v/1000}')" \
			"$(awk -v v=$min 'BEGIN{printf "%.2f", v/1000}')" \
			"$(awk -v v=$max 'BEGIN{printf "%.2f", v/1000}')"
	done
done
