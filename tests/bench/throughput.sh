#!/bin/bash
# throughput.sh: NFLOG throughput and cost of rstmond beside the floor (a
# reader that only counts, tests/bench/nflog_count) and tcpdump, fed the
# same floods in the same run.  Prints tables; asserts nothing.
#
# For each rate (as fast as the generator goes, then fixed rates), each
# for DURATION seconds, the raw-socket generator in namespace B sends SYNs
# to closed ports of A; A's resets hit the rule `log group 5` of
# rules/rstmon.nft.  The consumers take the group one at a time (only one
# socket may bind an NFLOG group), in an order that rotates per run:
#   nflog_count   the floor: rstmond's socket setup, counting only
#   tcpdump       tcpdump -i nflog:5 -w /dev/null (libpcap's defaults)
#   rstmond       -e /dev/null: attribution, statistics, detectors, JSON
# Reference: the rule's counter rsts_logged (and Tcp: OutRsts) in A.
# Per cell: min/median/max over RUNS of events received, loss against the
# counter, on-CPU seconds (schedstat: user + system, exact), µs of CPU per
# event received, peak RSS (VmHWM just before the stop).
#
# Then instructions per reset of rstmond under valgrind's callgrind: a
# run with a bounded flood, an idle run of the same length (subtracted),
# and a run collecting only inside capture_drain and attrib_trace_drain
# (the per-event path), whose costliest functions are listed; last, where
# rstmond's CPU goes at the highest rate (perf, when installed).
#
# Root; only the namespaces lib.sh creates; every flood is bounded in
# count and time; everything is removed on every exit path.
#   RUNS=3 DURATION=10 RATES="max 20000 100000" SPOOF=0 (1: --rand-src)
#   CALLGRIND=1 CG_COUNT=20000 CG_RATE=5000 CG_NOEV=0 (1: without -e)
#   PERF=1 (a last flood at the highest rate under perf record -g)
#   PERF_CONSUMER=rstmond (or rstmond-noev); PERF_KEEP=FILE keeps perf.data
#   QUIET_WAIT=2400 (before the first sample and before each one, wait
#   for this project's fuzzers, tests/fuzz/fuzz_*, to end, polling every
#   30 s, up to that many seconds in all; 0: do not; a sample taken while
#   one runs is marked busy)
#   CONSUMERS="nflog_count tcpdump rstmond rstmond-noev"; rstmond-noev: rstmond
#   without -e, to see what the JSON line per reset costs
#   RSTMOND_ARGS, COUNT_ARGS: more options for rstmond and nflog_count
#   (e.g. "--qthreshold 256"), to measure a setting
. "$(dirname "$0")/../integration/lib.sh"

RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
RATES=${RATES:-max 20000 100000}
SPOOF=${SPOOF:-0}
CALLGRIND=${CALLGRIND:-1}
CG_COUNT=${CG_COUNT:-20000}
CG_RATE=${CG_RATE:-5000}
CG_EVENTS_ARG="-e /dev/null"
[ "${CG_NOEV:-0}" = 1 ] && CG_EVENTS_ARG=
QUIET_WAIT=${QUIET_WAIT:-2400}
PERF=${PERF:-1}
NFLOG_COUNT=${NFLOG_COUNT:-$TOP/tests/bench/nflog_count}
# "As fast as possible" still stops at this many packets.
MAX_COUNT=${MAX_COUNT:-20000000}
CONSUMERS=${CONSUMERS:-nflog_count tcpdump rstmond rstmond-noev}
RSTMOND_ARGS=${RSTMOND_ARGS:-}
PERF_CONSUMER=${PERF_CONSUMER:-rstmond}
COUNT_ARGS=${COUNT_ARGS:-}

require_root
[ -x "$NFLOG_COUNT" ] ||
	fail "$NFLOG_COUNT is missing: make tests/bench/nflog_count"
if ! command -v tcpdump >/dev/null ||
   { [ "$CALLGRIND" = 1 ] && ! command -v valgrind >/dev/null; }; then
	"$TOP/contrib/install-deps.sh" bench >&2
fi

# Other CPU-heavy work skews every number: wait for the fuzzers to end,
# from a budget shared by every wait.
QUIET_LEFT=$QUIET_WAIT
fuzzers_running() { pgrep -f 'tests/fuzz/fuzz_' >/dev/null; }
wait_quiet() {
	local said=
	while fuzzers_running; do
		if [ "$QUIET_LEFT" -le 0 ]; then
			[ "$QUIET_WAIT" -le 0 ] ||
				log "warning: fuzzers running; measuring anyway"
			return 0
		fi
		[ -n "$said" ] || log "waiting for tests/fuzz/fuzz_* to end" \
			"(up to $QUIET_LEFT s more; QUIET_WAIT=0 skips)"
		said=1
		sleep 30
		QUIET_LEFT=$((QUIET_LEFT - 30))
	done
}
wait_quiet

setup_netns
# Replies to spoofed sources go to B (which drops them): a gateway, not
# an on-link route, or most would die unrouted before the output hook.
ip -n "$NS_A" route add default via $B4 dev va
load_rules
RESULTS=$TMPD/results

# On-CPU nanoseconds of a process, all its threads (schedstat: exact,
# unlike the tick-based utime + stime of /proc/PID/stat).
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat |
		awk '{ s += $1 } END { printf "%.0f\n", s }'
}
kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
# The group is bound by some socket of namespace A.
group_bound() {
	in_a awk -v g=$GROUP '$1 == g { f = 1 } END { exit !f }' \
		/proc/net/netfilter/nfnetlink_log
}
group_free() { ! group_bound; }

flood() {	# flood MODE: the generator in B, bounded
	local src="--src $B4" rc=0

	[ "$SPOOF" = 1 ] && src="--rand-src 10.98.0.0/16"
	if [ "$1" = max ]; then
		in_b "$RSTGEN" -q --dst $A4 $src --dport 20000-20999 \
			--flags S --count "$MAX_COUNT" \
			--duration "$DURATION" || rc=$?
	else
		in_b "$RSTGEN" -q --dst $A4 $src --dport 20000-20999 \
			--flags S --count $(( $1 * DURATION )) --rate "$1" \
			--duration $(( DURATION + 5 )) || rc=$?
	fi
	# 3: the time bound came first (always so at max rate).
	[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "rstgen exited with $rc"
}

# start_consumer NAME: bind the group in A at nice 0; sets CPID.
start_consumer() {
	rm -f "$SOCK"
	case $1 in
	nflog_count)
		ip netns exec "$NS_A" nice -n 0 "$NFLOG_COUNT" -g $GROUP $COUNT_ARGS \
			>"$TMPD/out" 2>&1 &
		CPID=$!; BG_PIDS="$BG_PIDS $CPID" ;;
	tcpdump)
		ip netns exec "$NS_A" nice -n 0 tcpdump -i nflog:$GROUP \
			-w /dev/null >"$TMPD/out" 2>&1 &
		CPID=$!; BG_PIDS="$BG_PIDS $CPID" ;;
	rstmond)	# as start_daemon, at nice 0
		ip netns exec "$NS_A" nice -n 0 "$RSTMOND" -c /dev/null -f \
			-g $GROUP -s "$SOCK" -e /dev/null $RSTMOND_ARGS \
			>>"$DAEMON_LOG" 2>&1 &
		CPID=$!; DAEMON_PID=$CPID
		wait_until 10 ctl status || fail "rstmond did not come up" ;;
	rstmond-noev)	# the same without the events file
		ip netns exec "$NS_A" nice -n 0 "$RSTMOND" -c /dev/null -f \
			-g $GROUP -s "$SOCK" $RSTMOND_ARGS >>"$DAEMON_LOG" 2>&1 &
		CPID=$!; DAEMON_PID=$CPID
		wait_until 10 ctl status || fail "rstmond did not come up" ;;
	esac
	wait_until 10 group_bound || fail "$1 did not bind group $GROUP"
	# Let start-up work (rstmond's first inventory) pass.
	sleep 1
}

stop_consumer() {
	kill -TERM "$CPID"
	wait "$CPID" || fail "$1 exited with status $?"
	BG_PIDS=${BG_PIDS% $CPID}
	DAEMON_PID=
	wait_until 10 group_free || fail "group $GROUP still bound after $1"
}

# measure MODE CONSUMER RUN: one cell's sample, appended to $RESULTS.
measure() {
	local mode=$1 who=$2 run=$3
	local c0 c1 o0 o1 t0 t1 e0=0 e1 extra=- hwm logged tr0 busy=0 load

	wait_quiet
	start_consumer "$who"
	fuzzers_running && busy=1
	load=$(cut -d' ' -f1 /proc/loadavg)
	if [ "${who%-noev}" = rstmond ]; then
		e0=$(status_get .events_total)
		tr0=$(status_get .attribution.kernel_trace.records)
	fi
	c0=$(counter_get); o0=$(snmp_get Tcp OutRsts)
	t0=$(cpu_ns "$CPID")
	flood "$mode"
	fuzzers_running && busy=1
	# The last partial batch leaves after the 10 ms flush timeout.
	sleep 1
	c1=$(counter_get)
	if [ "${who%-noev}" = rstmond ]; then
		wait_until 20 caught_up $(( e0 + c1 - c0 )) ||
			log "warning: rstmond has not accounted every reset"
	fi
	t1=$(cpu_ns "$CPID"); o1=$(snmp_get Tcp OutRsts)
	hwm=$(kb "$CPID" VmHWM)
	logged=$((c1 - c0))
	case $who in
	rstmond*)
		e1=$(( $(status_get .events_total) - e0 ))
		extra=$(ctl status --json | jq -r --argjson t "$tr0" \
			'"lost_total=\(.lost_total),enobufs=\(.capture.enobufs)" +
			",trace_records=\(.attribution.kernel_trace.records - $t)"')
		stop_consumer "$who" ;;
	nflog_count)
		stop_consumer "$who"
		e1=$(awk '$1 == "received" { print $2 }' "$TMPD/out")
		extra=$(awk '$1 == "received" { e = $4 } $1 == "lost" { l = $2 }
			END { printf "enobufs=%s,seq_lost=%s", e, l }' "$TMPD/out") ;;
	tcpdump)
		stop_consumer "$who"
		e1=$(awk '/packets captured/ { print $1 }' "$TMPD/out")
		extra=$(awk '/dropped by kernel/ { print "kernel_dropped=" $1 }' \
			"$TMPD/out") ;;
	esac
	[ -n "$e1" ] || fail "$who: no count in its output: $(cat "$TMPD/out")"
	[ "$e1" -gt 0 ] || fail "$who received nothing"
	printf '%s %s %s %s %s %s %s %s %s,load=%s%s\n' "$mode" "$who" "$run" \
		"$logged" $((o1 - o0)) "$e1" $((t1 - t0)) "$hwm" "$extra" \
		"$load" "$([ $busy = 0 ] || echo ',BUSY:fuzzer-running')" \
		>>"$RESULTS"
}

# --- the machine ----------------------------------------------------------
echo "# rstmon NFLOG throughput, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs," \
	"$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
	"kernel $(uname -r)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); nice $(nice)"
echo "$("$RSTMOND" -V 2>&1 | head -1);" \
	"$(tcpdump --version 2>&1 | head -2 | tr '\n' ' ')"
echo "RUNS=$RUNS DURATION=${DURATION}s RATES=\"$RATES\" SPOOF=$SPOOF;" \
	"SYNs from B to ports 20000-20999 of A"
echo

: >"$RESULTS"
for run in $(seq "$RUNS"); do
	for mode in $RATES; do
		# Rotate the order so that none is always first or last.
		set -- $CONSUMERS
		for i in $(seq $(( (run - 1) % $# ))); do
			first=$1; shift; set -- "$@" "$first"
		done
		for who in "$@"; do
			log "run $run, rate $mode, $who"
			measure "$mode" "$who" "$run"
		done
	done
done

# --- the table ------------------------------------------------------------
# Columns of $RESULTS: mode who run logged outrsts received cpu_ns hwm extra
summary() {	# summary MODE WHO: one row, min/median/max per cell
	awk -v m="$1" -v w="$2" '
	function tri(a, n, fmt,   i, j, t, med) {
		for (i = 1; i <= n; i++)	# insertion sort: n is RUNS
			for (j = i; j > 1 && a[j-1] > a[j]; j--) {
				t = a[j]; a[j] = a[j-1]; a[j-1] = t
			}
		med = n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
		return sprintf(fmt "/" fmt "/" fmt, a[1], med, a[n])
	}
	$1 == m && $2 == w {
		n++; lg[n] = $4; rc[n] = $6
		ls[n] = $4 > 0 ? 100 * ($4 - $6) / $4 : 0
		cpu[n] = $7 / 1e9; us[n] = $7 / 1e3 / $6; rss[n] = $8 / 1024
		if ($4 != $5) warn = " (OutRsts differs)"
	}
	END {
		if (!n) exit
		printf "%-8s %-12s %-26s %-26s %-20s %-20s %-17s %-17s%s\n", m, w,
			tri(lg, n, "%d"), tri(rc, n, "%d"), tri(ls, n, "%.2f"),
			tri(cpu, n, "%.3f"), tri(us, n, "%.3f"),
			tri(rss, n, "%.1f"), warn
	}' "$RESULTS"
}
med() {	# med MODE WHO FIELD-EXPR: the median over runs, for the checks
	awk -v m="$1" -v w="$2" '$1 == m && $2 == w { print '"$3"' }' "$RESULTS" |
		sort -g | awk '{ a[NR] = $1 }
		END { print NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2 }'
}
worst() {	# worst MODE WHO FIELD-EXPR: the largest over runs
	awk -v m="$1" -v w="$2" '$1 == m && $2 == w { print '"$3"' }' "$RESULTS" |
		sort -g | tail -1
}

echo "Every cell: min/median/max over $RUNS runs.  logged: the rule's counter"
echo "(Tcp: OutRsts agrees unless noted); loss: (logged - received) / logged;"
echo "CPU: the consumer's on-CPU time over the flood and 1 s after it."
echo "At max rate the generator and the consumer share the CPUs: a costlier"
echo "consumer slows the generator, so logged differs between consumers."
busy=$(grep -c BUSY "$RESULTS" || true)
[ "$busy" = 0 ] || echo "WARNING: $busy samples taken while a fuzzer ran (BUSY below)"
printf "%-8s %-12s %-26s %-26s %-20s %-20s %-17s %-17s\n" rate consumer \
	"logged" "received" "loss %" "CPU s" "CPU us/event" "peak RSS MiB"
for mode in $RATES; do
	for who in $CONSUMERS; do
		summary "$mode" "$who"
	done
done
for mode in $RATES; do
	[ "$mode" = max ] || continue
	printf 'max: the generator reached (median resets/s)'
	for who in $CONSUMERS; do
		printf ' %s with %s' "$(med max "$who" "\$4 / $DURATION" |
			awk '{ printf "%.0f", $1 }')" "$who"
	done
	echo
done
echo
echo "Per run (extra counters):"
awk '{ printf "  %-7s %-12s run %s: logged %s received %s %s\n",
	$1, $2, $3, $4, $6, $9 }' "$RESULTS"
echo

# --- the targets ----------------------------------------------------------
US='$7 / 1e3 / $6'
LOST='$4 - $6'
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
secs() { awk -v v="$1" 'BEGIN { printf "%.3f", v / 1e9 }'; }
check() {	# check TEXT DETAIL COND: print met / NOT met
	if awk "BEGIN { exit !($3) }"; then
		printf '  met:     %s %s\n' "$1" "$2"
	else
		printf '  NOT met: %s %s\n' "$1" "$2"
	fi
}
# The highest rate: max when measured, else the largest fixed one.
top=$(printf '%s\n' $RATES | sed 's/^max$/999999999/' | sort -n | tail -1 |
	sed 's/^999999999$/max/')
targets() {
	local c rl fl ru fu rc tc

	for c in nflog_count tcpdump rstmond; do
		case " $CONSUMERS " in
		*" $c "*) ;;
		*) return 0 ;;
		esac
	done
	echo "Targets (loss: worst run; CPU: medians):"
	rl=$(worst "$top" rstmond "$LOST"); fl=$(worst "$top" nflog_count "$LOST")
	ru=$(med "$top" rstmond "$US"); fu=$(med "$top" nflog_count "$US")
	check "rate $top: rstmond loses 0" "(worst run: $rl)" "$rl <= 0"
	check "rate $top: rstmond loses no more than the floor" \
		"($rl vs $fl)" "$rl <= $fl || $rl <= 0"
	check "rate $top: rstmond CPU/event <= 1.5 x floor's" \
		"($ru vs $fu us, $(ratio "$ru" "$fu"))" "$ru <= 1.5 * $fu"
	for mode in $RATES; do
		[ "$mode" = 100000 ] || continue
		rl=$(worst 100000 rstmond "$LOST")
		rc=$(med 100000 rstmond '$7'); tc=$(med 100000 tcpdump '$7')
		check "rate 100000: rstmond loses 0" "(worst run: $rl)" "$rl <= 0"
		check "rate 100000: rstmond less CPU than tcpdump" \
			"($(secs "$rc") vs $(secs "$tc") s, $(ratio "$rc" "$tc"))" \
			"$rc < $tc"
	done
	echo
}
targets

# --- callgrind ------------------------------------------------------------
# cg_run LABEL SECONDS|flood [VALGRIND-OPTIONS…]: rstmond under callgrind;
# either a bounded flood of CG_COUNT at CG_RATE or SECONDS of idling
# after start-up.  Sets CG_EVENTS, CG_LOST, CG_SECS (from ready to stop).
cg_run() {
	local label=$1 what=$2 t0 e0
	shift 2
	rm -f "$SOCK"
	ip netns exec "$NS_A" nice -n 0 valgrind --tool=callgrind -q \
		--callgrind-out-file="$TMPD/cg.$label" "$@" \
		"$RSTMOND" -c /dev/null -f -g $GROUP -s "$SOCK" $CG_EVENTS_ARG \
		$RSTMOND_ARGS >>"$DAEMON_LOG" 2>&1 &
	DAEMON_PID=$!
	wait_until 120 ctl status || fail "rstmond under callgrind did not come up"
	sleep 2
	t0=$(date +%s%N)
	e0=$(status_get '.events_total + .lost_total')
	if [ "$what" = flood ]; then
		in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 20000-20999 \
			--flags S --count "$CG_COUNT" --rate "$CG_RATE" \
			--duration $(( CG_COUNT / CG_RATE * 3 + 10 )) || true
		sleep 1
		wait_until 60 caught_up $(( e0 + CG_COUNT )) ||
			log "warning: rstmond under callgrind has not caught up"
	else
		sleep "$what"
	fi
	CG_SECS=$(( ($(date +%s%N) - t0) / 1000000000 ))
	CG_EVENTS=$(( $(status_get .events_total) - e0 ))
	CG_LOST=$(status_get .lost_total)
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID" || fail "rstmond under callgrind: status $?"
	DAEMON_PID=
	wait_until 10 group_free || fail "group $GROUP still bound"
}
cg_total() { awk '/^(summary|totals):/ { print $2; exit }' "$TMPD/cg.$1"; }

callgrind_report() {
	local full idle path full_ev full_lost secs path_ev

	wait_quiet
	log "callgrind: full run"
	cg_run full flood
	full_ev=$CG_EVENTS full_lost=$CG_LOST secs=$CG_SECS
	log "callgrind: idle run of $secs s"
	cg_run idle "$secs"
	log "callgrind: per-event path only"
	cg_run path flood --collect-atstart=no --toggle-collect=capture_drain \
		--toggle-collect=attrib_trace_drain
	path_ev=$CG_EVENTS

	full=$(cg_total full); idle=$(cg_total idle); path=$(cg_total path)
	echo "rstmond under callgrind: $CG_COUNT resets at ${CG_RATE}/s" \
		"(kernel trace auto: on below --trace-max-rate)"
	printf '  %-52s %14s\n' \
		"instructions, flood run ($full_ev resets, lost $full_lost)" \
		"$full"
	printf '  %-52s %14s\n' "instructions, idle run of the same length" "$idle"
	printf '  %-52s %14.0f\n' \
		"per reset, whole daemon (flood - idle) / resets" \
		"$(awk -v a="$full" -v b="$idle" -v n="$full_ev" \
			'BEGIN { print (a - b) / n }')"
	printf '  %-52s %14.0f\n' \
		"per reset, whole daemon without subtraction" \
		"$(awk -v a="$full" -v n="$full_ev" 'BEGIN { print a / n }')"
	printf '  %-52s %14.0f\n' \
		"per reset, capture_drain + attrib_trace_drain only" \
		"$(awk -v a="$path" -v n="$path_ev" 'BEGIN { print a / n }')"
	echo
	echo "Costliest functions on the per-event path (self instructions, % of the path):"
	callgrind_annotate --threshold=100 "$TMPD/cg.path" 2>/dev/null |
		awk '/^-+$/ { d++; next }
		d >= 3 && $1 ~ /^[0-9,]+$/ && !/PROGRAM TOTALS/' |
		sed 's/ \[[^]]*\]$//; s|\./[a-z-]*/\./[a-z-]*/||' | head -12 |
		sed 's/^ */  /'
	echo
	echo "Stages of that path (inclusive: the function and what it calls):"
	callgrind_annotate --inclusive=yes --threshold=100 "$TMPD/cg.path" \
		2>/dev/null | awk -v n="$path_ev" -v tot="$path" '
	BEGIN {
		split("capture_input packet_parse_nflog attrib_batch " \
		      "attrib_trace_drain inventory_conn stats_add " \
		      "detect_event events_line evsink_line", w, " ")
		for (i in w) want[w[i]] = 1
	}
	$1 ~ /^[0-9,]+$/ {
		l = $0; sub(/ \[[^]]*\]$/, "", l); sub(/.*:/, "", l)
		c = $1; gsub(/,/, "", c)
		if (l in want && !(l in seen)) {
			seen[l] = 1
			printf "  %-20s %8.0f instructions/reset %6.1f%%\n",
				l, c / n, 100 * c / tot
		}
	}'
	echo
}
if [ "$CALLGRIND" = 1 ]; then
	callgrind_report
fi

# --- perf -----------------------------------------------------------------
# Where rstmond's CPU goes at the highest rate, where the tracepoint is
# paused: a separate flood, so that sampling skews none of the above.
[ "$PERF" = 1 ] && command -v perf >/dev/null || exit 0
wait_quiet
log "perf: $PERF_CONSUMER during a flood at rate $top"
start_consumer "$PERF_CONSUMER"
perf record -q -g -F 2000 -o "$TMPD/perf.data" -p "$CPID" \
	-- sleep $(( DURATION + 2 )) >/dev/null 2>&1 &
perf_pid=$!; BG_PIDS="$BG_PIDS $perf_pid"
sleep 0.5
flood "$top"
wait "$perf_pid" || log "warning: perf record exited with $?"
BG_PIDS=${BG_PIDS% $perf_pid}
stop_consumer "$PERF_CONSUMER"
[ -z "${PERF_KEEP:-}" ] || cp "$TMPD/perf.data" "$PERF_KEEP"
echo "perf record -g -p ($PERF_CONSUMER, $DURATION s at rate $top): self %, top symbols"
perf report -i "$TMPD/perf.data" --no-children --sort symbol --stdio \
	-g none --percent-limit 1 2>/dev/null |
	awk '/^ +[0-9.]+%/ { printf "  %7s %s %s\n", $1, $2, $3 }' | head -${PERF_TOP:-15}
