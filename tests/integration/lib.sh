# lib.sh: shared harness of the integration tests (sourced, not run).
#
# Each test gets two fresh network namespaces joined by a veth pair:
#   A = the monitored host, 10.99.0.1 / fd00:99::1, rules/rstmon.nft loaded
#   B = the peer,           10.99.0.2 / fd00:99::2
# Those addresses exist only inside the namespaces.  The root namespace's
# firewall is never touched.  Everything is removed on every exit path.

set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
RSTMOND=${RSTMOND:-$TOP/src/rstmond}
RSTMONCTL=${RSTMONCTL:-$TOP/src/rstmonctl}
RSTGEN=${RSTGEN:-$TOP/tests/tools/rstgen}
PY=/usr/bin/python3
SKIP=77

TEST_NAME=$(basename "$0" .sh)
NS_A=rstmon-a-$$
NS_B=rstmon-b-$$
A4=10.99.0.1
B4=10.99.0.2
A6=fd00:99::1
B6=fd00:99::2
GROUP=5
TMPD=
PUB=
TRAFFIC=
SOCK=
EVENTS=
DAEMON_PID=
DAEMON_LOG=
BG_PIDS=
AT_EXIT=

log() { printf '%s: %s\n' "$TEST_NAME" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

require_root() {
	if [ "$(id -u)" != 0 ]; then
		log "SKIP: integration tests need root (network namespaces)"
		exit $SKIP
	fi
}

cleanup() {
	local rc=$?
	set +e
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -TERM "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
	fi
	for p in $BG_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	eval "$AT_EXIT"
	ip netns pids "$NS_A" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns pids "$NS_B" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	if [ $rc -ne 0 ] && [ $rc -ne $SKIP ] && [ -n "$DAEMON_LOG" ] &&
	   [ -s "$DAEMON_LOG" ]; then
		log "rstmond's stderr:"
		tail -n 30 "$DAEMON_LOG" >&2
	fi
	[ -n "$TMPD" ] && rm -rf "$TMPD"
	exit $rc
}

# in_a CMD…: run in the monitored namespace; in_b: in the peer.
in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }

# The uid that plays the applications of namespace A (owners must be
# meaningful: not root).
APP_UID=1234

# for_uid FILE: print the path of a copy of FILE that any uid can read and
# run.  The checkout may sit where only root enters (/root, a 0700 home, a
# mktemp -d directory): whatever a test runs as APP_UID or nobody comes
# from here, never from $TOP.
for_uid() {
	local to="$PUB/$(basename "$1")"
	[ -e "$to" ] || { cp "$1" "$to" && chmod a+rX "$to"; } ||
		fail "cannot copy $1 to $PUB"
	printf '%s\n' "$to"
}

# scenario NAME…: provoke the resets of those scenarios (tests/tools/
# scenario.py); the expected resets go to stdout as JSON lines.
scenario() {
	$PY "$TOP/tests/tools/scenario.py" --ns-a "$NS_A" --ns-b "$NS_B" \
		--uid $APP_UID --a4 $A4 --b4 $B4 --a6 $A6 --b6 $B6 \
		--ready-cmd "$TOP/tests/integration/wait-inventory.sh $SOCK" "$@"
}

# Ground truth: the kernel's own reasons from the tcp_send_reset
# tracepoint, in a private trace instance.  truth_start returns 1 when
# the kernel has none (then tests run on their own expectations).
TRUTH=rstmon-truth-$$
truth_start() {
	local rc=0
	$PY "$TOP/tests/tools/groundtruth.py" start $TRUTH >/dev/null || rc=$?
	[ $rc -eq 0 ] || return 1
	at_exit "$PY '$TOP/tests/tools/groundtruth.py' stop $TRUTH >/dev/null 2>&1"
}
truth_dump() {
	$PY "$TOP/tests/tools/groundtruth.py" dump $TRUTH --addr $A4 \
		--addr $A6 --addr 0.0.0.0 --addr ::
}

setup_netns() {
	require_root
	for b in "$RSTMOND" "$RSTMONCTL" "$RSTGEN"; do
		[ -x "$b" ] || fail "$b is missing: build it first (make test-build)"
	done
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	TMPD=$(mktemp -d /tmp/rstmon-test.XXXXXX)
	# Entered by other uids (for_uid), listed by none.
	chmod 0711 "$TMPD"
	PUB=$TMPD/pub
	mkdir -m 0755 "$PUB"
	# tests/tools/traffic.py plays applications as APP_UID too.
	TRAFFIC="$PY $(for_uid "$TOP/tests/tools/traffic.py")"
	SOCK=$TMPD/rstmond.sock
	EVENTS=$TMPD/events.jsonl
	DAEMON_LOG=$TMPD/rstmond.log
	ip netns add "$NS_A"
	ip netns add "$NS_B"
	ip -n "$NS_A" link set lo up
	ip -n "$NS_B" link set lo up
	veth_link va vb $A4 $B4 $A6 $B6
}

# veth_link IF_A IF_B A4 B4 A6 B6: a veth pair between A and B (IF_A in
# A), a /24 and a /64 on each end, up.
veth_link() {
	ip link add "$1" netns "$NS_A" type veth peer name "$2" netns "$NS_B"
	ip -n "$NS_A" addr add "$3"/24 dev "$1"
	ip -n "$NS_B" addr add "$4"/24 dev "$2"
	ip -n "$NS_A" addr add "$5"/64 dev "$1" nodad
	ip -n "$NS_B" addr add "$6"/64 dev "$2" nodad
	ip -n "$NS_A" link set "$1" up
	ip -n "$NS_B" link set "$2" up
}

load_rules() { in_a nft -f "$TOP/rules/rstmon.nft"; }

# wait_until SECONDS CMD…: poll CMD every 50 ms until it succeeds; fail
# with a message when the bound passes.  The bound is a safety net, not
# a timing assertion: the condition normally holds within milliseconds.
wait_until() {
	local limit=$1; shift
	local end=$(( $(date +%s%N) + limit * 1000000000 ))
	while ! "$@" >/dev/null 2>&1; do
		if [ "$(date +%s%N)" -ge "$end" ]; then
			return 1
		fi
		sleep 0.05
	done
}

# start_daemon [ARGS…]: rstmond in namespace A, foreground, events to a
# file; returns once its control socket answers.
start_daemon() {
	# Not through in_a: a backgrounded function is a subshell, and $!
	# would name the subshell instead of rstmond.
	# -c /dev/null: never the host's /etc/rstmon/rstmond.conf (a test's
	# own -c comes later and wins).
	ip netns exec "$NS_A" "$RSTMOND" -c /dev/null -f -g $GROUP -s "$SOCK" \
		-e "$EVENTS" "$@" \
		>>"$DAEMON_LOG" 2>&1 &
	DAEMON_PID=$!
	wait_until 10 ctl status || fail "rstmond did not come up"
}

stop_daemon() {
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID" || fail "rstmond exited with status $?"
	DAEMON_PID=
}

ctl() { "$RSTMONCTL" -s "$SOCK" "$@"; }

# status_get JQ-PATH: one field of `status --json`.
status_get() { ctl status --json | jq -r "$1"; }

# snmp_get SECTION FIELD [NS]: a counter of /proc/net/snmp or netstat.
snmp_get() {
	local ns=${3:-$NS_A}
	ip netns exec "$ns" cat /proc/net/snmp /proc/net/netstat |
		awk -v s="$1:" -v f="$2" '
		$1 == s && !h { for (i = 2; i <= NF; i++) if ($i == f) c = i; h = 1; next }
		$1 == s && h && c { print $c; exit }'
}

# counter_get [NAME]: packets of a named counter of table inet rstmon in
# A; by default the log rule's, rsts_logged (logged since the rules were
# loaded).
counter_get() {
	in_a nft -j list counter inet rstmon "${1:-rsts_logged}" |
		jq '.nftables[] | select(.counter) | .counter.packets'
}

# caught_up N: rstmond has accounted (received or lost) N resets.
caught_up() {
	[ "$(status_get '.events_total + .lost_total')" -ge "$1" ]
}

assert_eq() {
	# assert_eq WHAT EXPECTED ACTUAL
	if [ "$2" != "$3" ]; then
		fail "$1: expected $2, got $3"
	fi
	log "ok: $1 = $3"
}

assert_ge() {
	if [ "$3" -lt "$2" ]; then
		fail "$1: expected at least $2, got $3"
	fi
	log "ok: $1 = $3 (>= $2)"
}

# events_count JQ-FILTER: event lines matching a jq boolean expression.
events_count() {
	jq -c "select($1)" "$EVENTS" | wc -l | tr -d ' '
}

# at_exit 'CMD': run CMD (a shell string) at cleanup, on every exit path.
at_exit() { AT_EXIT="$AT_EXIT
$1"; }

# bg CMD…: a background helper killed at cleanup (a command, not a
# function, for the reason given at start_daemon).
bg() { "$@" & BG_PIDS="$BG_PIDS $!"; }
