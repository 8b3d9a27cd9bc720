# alert-lib.sh: helpers of the alert tests (15-… to 19-…), sourced after
# lib.sh.  Not a test itself (run-all.sh only runs NN-*.sh).

ALERT_TYPES="port_scan syn_flood service_down listen_overflow abort_storm reset_rate"

# traffic_b ARGS…: tests/tools/traffic.py in namespace B (as root).
# (In the background use `bg ip netns exec "$NS_B" $TRAFFIC …`: a function
# put in the background runs in a subshell, which $! would name.)
traffic_b() { in_b $TRAFFIC "$@"; }
# as_app CMD…: CMD in namespace A as the application uid (not root).
as_app() {
	ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID \
		--clear-groups "$@"
}

# serve_a VAR ADDR PORT COMM: an HTTP-ish server in A run as APP_UID,
# killed at cleanup; its pid (that of the python process: ip netns exec
# and setpriv exec it) goes to VAR.  Returns once it listens.
serve_a() {
	local var=$1 addr=$2 port=$3 comm=$4 out
	out=$TMPD/serve-$comm-$port-$RANDOM.out
	# Not through as_app: $! must name the server, not a subshell.
	ip netns exec "$NS_A" setpriv --reuid=$APP_UID --regid=$APP_UID \
		--clear-groups $TRAFFIC serve "$addr" "$port" --comm "$comm" \
		--seconds 55 >"$out" 2>&1 &
	BG_PIDS="$BG_PIDS $!"
	eval "$var=$!"
	listening() { grep -q '^listening' "$1"; }
	wait_until 10 listening "$out" || fail "$comm did not listen: $(cat "$out")"
}

# kill_pid PID: SIGKILL one of our helpers, reap it, and forget it (so
# that cleanup never signals a recycled pid).
kill_pid() {
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	BG_PIDS=$(printf '%s\n' $BG_PIDS | grep -vx "$1" | tr '\n' ' ')
}

# ticks N: return once rstmond has run at least N more timer ticks (each
# tick lists the sockets, then evaluates the detectors; control requests
# are served between ticks).  A barrier, not a delay.
ticks() {
	local start
	start=$(status_get .attribution.inventory_dumps)
	dumped() { [ "$(status_get .attribution.inventory_dumps)" -ge "$1" ]; }
	wait_until 15 dumped $((start + $1)) || fail "rstmond's timer stands still"
}

# settled N: rstmond accounted for N resets and evaluated them.
settled() {
	wait_until 20 caught_up "$1" || fail "rstmond saw $(status_get '.events_total + .lost_total') of $1 resets"
	ticks 2
}

alerts_json() { ctl alerts --json; }
# has_alert TYPE KEY: an alert of that type and key is active.
has_alert() {
	alerts_json | jq -e --arg t "$1" --arg k "$2" \
		'any(.[]; .type == $t and .key == $k)' >/dev/null
}
no_alert() { [ "$(alerts_json | jq length)" = 0 ]; }
# alert_get TYPE KEY JQ: a field of that alert.
alert_get() {
	alerts_json | jq -r --arg t "$1" --arg k "$2" \
		".[] | select(.type == \$t and .key == \$k) | $3"
}

# alert_log: the alert lines of the daemon's log, one per line, reduced to
# "TYPE STATE KEYFIELD" (the field that names what the alert is about:
# remote= for port_scan, port= for service_down and listen_overflow,
# owner= for abort_storm; nothing for the host-wide syn_flood and
# reset_rate).  Values are unquoted.
alert_log() {
	$PY - "$DAEMON_LOG" <<'PYEOF'
import shlex, sys
keyfield = {"port_scan": "remote", "service_down": "port",
            "listen_overflow": "port", "abort_storm": "owner"}
for line in open(sys.argv[1], errors="replace"):
    i = line.find("alert=")
    if i < 0:
        continue
    try:
        kv = dict(t.split("=", 1) for t in shlex.split(line[i:]) if "=" in t)
    except ValueError:
        print("UNPARSABLE " + line.strip())
        continue
    out = [kv.get("alert", "?"), kv.get("state", "?")]
    k = keyfield.get(kv.get("alert"))
    if k:
        out.append("%s=%s" % (k, kv.get(k, "MISSING")))
    print(" ".join(out))
PYEOF
}
# log_has 'TYPE STATE [KEYFIELD]': that reduced line is in the log.
log_has() { alert_log | grep -qxF "$1"; }
# log_full 'REGEX': a raw alert line matches REGEX (grep -E).
log_full() { grep -E "$1" "$DAEMON_LOG"; }

# metric NAME TYPE: one sample of rstmon_alerts_*{type="TYPE"}.
metric() {
	ctl metrics | awk -v n="$1{type=\"$2\"}" '$1 == n { print $2 }'
}

# assert_raised "TYPE=N …": rstmon_alerts_raised_total of every type,
# the ones not named being 0.
assert_raised() {
	local t want got all=
	for t in $ALERT_TYPES; do
		want=0
		for w in $1; do
			[ "${w%%=*}" = "$t" ] && want=${w#*=}
		done
		got=$(metric rstmon_alerts_raised_total "$t")
		all="$all $t=$got"
		[ "$got" = "$want" ] ||
			fail "rstmon_alerts_raised_total{type=\"$t\"}: expected $want, got $got (all:$all; log: $(alert_log | tr '\n' ';'))"
	done
	log "ok: alerts raised:$all"
}

# assert_active_none: rstmon_alerts_active is 0 for every type, and both
# `alerts --json` and `status --json` list none.
assert_active_none() {
	local t
	for t in $ALERT_TYPES; do
		assert_eq "rstmon_alerts_active{type=$t}" 0 "$(metric rstmon_alerts_active "$t")"
	done
	assert_eq "alerts --json" "[]" "$(alerts_json | jq -c .)"
	assert_eq "status .alerts" "[]" "$(status_get '.alerts | tojson')"
}

# assert_log_is 'LINE' …: the reduced alert lines, in order, are exactly
# these (see alert_log).
assert_log_is() {
	local want got
	want=$(printf '%s\n' "$@")
	got=$(alert_log)
	[ "$got" = "$want" ] ||
		fail "alert lines: expected [$(echo "$want" | tr '\n' ';')], got [$(echo "$got" | tr '\n' ';')]"
	log "ok: alert lines = [$(echo "$got" | tr '\n' ';')]"
}

# assert_log_sorted_is 'LINE' …: the same, in any order (for alerts of
# independent sources whose ticks may interleave).
assert_log_sorted_is() {
	local want got
	want=$(printf '%s\n' "$@" | LC_ALL=C sort)
	got=$(alert_log | LC_ALL=C sort)
	[ "$got" = "$want" ] ||
		fail "alert lines: expected [$(echo "$want" | tr '\n' ';')], got [$(echo "$got" | tr '\n' ';')]"
	log "ok: alert lines = [$(echo "$got" | tr '\n' ';')]"
}

# log_of 'FIELD': the reduced alert lines naming FIELD (e.g. remote=ADDR),
# in order, joined with ';'.
log_of() { alert_log | grep -F -- " $1" | tr '\n' ';'; }

# reset_rate may wait for some history before it judges a rate (a
# warm-up).  Where rstmond lets it be turned off, the tests turn it off;
# assert_rate_armed proves that reset_rate could fire, so that "never
# reset_rate" is not true only because it was not armed.
# reset_rate waits a minute after start for a baseline; tests are shorter.
RATE_ARGS="--rate-warmup 0"

# assert_rate_armed: 600 stray ACKs, from an address of B used for nothing
# else to one port of A, explained by no specific detector, raise
# reset_rate (rate 60/s > the floor of 50).  Run it last: it leaves
# reset_rate raised.
CTRL4=10.99.0.9
assert_rate_armed() {
	local n0
	ip -n "$NS_B" addr add $CTRL4/24 dev vb 2>/dev/null || true
	n0=$(status_get '.events_total + .lost_total')
	in_b "$RSTGEN" -q --dst $A4 --src $CTRL4 --dport 5999 --flags A \
		--count 600 --rate 2000
	wait_until 10 caught_up $((n0 + 600)) || fail "control: resets not seen"
	wait_until 10 has_alert reset_rate all ||
		fail "control: 600 unexplained resets in a second did not raise reset_rate (is it disarmed, e.g. warming up, with no option to arm it?): the assertions that it was not raised prove nothing"
	log "ok: control: reset_rate is armed (raised for 600 unexplained resets)"
}

# set_elems SET: the elements of a set of table inet rstmon in A, one per
# line: "ADDR TIMEOUT EXPIRES" (seconds); nothing when the set is missing.
set_elems() {
	in_a nft -j list set inet rstmon "$1" 2>/dev/null | jq -r '.nftables[] |
		select(.set) | (.set.elem // [])[] |
		"\(.elem.val) \(.elem.timeout) \(.elem.expires)"'
}
# set_has SET ADDR: ADDR is an element of SET.
set_has() { set_elems "$1" | grep -q "^$2 "; }
