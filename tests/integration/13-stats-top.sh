#!/bin/bash
# Windowed statistics and top talkers against a workload with known
# counts per port and per remote; `rstmonctl events` follows every reset;
# a follower that stops reading is dropped and counted, and the daemon
# loses nothing for it.
. "$(dirname "$0")/lib.sh"

setup_netns
C4=10.99.0.3
ip -n "$NS_B" addr add $C4/24 dev vb
load_rules
start_daemon

bg "$RSTMONCTL" -s "$SOCK" events --json >"$TMPD/follow.jsonl"
following() { [ "$(status_get .control.followers)" -ge 1 ]; }
wait_until 10 following || fail "the follower never registered"

gen() { in_b "$RSTGEN" -q --flags S "$@"; }
gen --dst $A4 --src $B4 --dport 7001 --count 300
gen --dst $A4 --src $B4 --dport 7002 --count 200
gen --dst $A4 --src $B4 --dport 7003 --count 100
gen --dst $A6 --src $B6 --dport 7004 --count 50
gen --dst $A4 --src $C4 --dport 7005 --count 120
total=770
wait_until 10 caught_up $total || fail "resets not seen"

top() { ctl top "$@" --json; }
assert_eq "top ports (10s)" \
	'[[7001,300],[7002,200],[7005,120],[7003,100],[7004,50]]' \
	"$(top ports -n 5 --window 10s | jq -c '[.items[] | [.port, .count]]')"
assert_eq "top ports -n 2" '[7001,7002]' \
	"$(top ports -n 2 | jq -c '[.items[].port]')"
assert_eq "top remotes" \
	'[["10.99.0.2",600],["10.99.0.3",120],["fd00:99::2",50]]' \
	"$(top remotes --window 300s | jq -c '[.items[] | [.remote, .count]]')"
assert_eq "top causes" '[["closed_port",770]]' \
	"$(top causes | jq -c '[.items[] | [.cause, .count]]')"
assert_eq "exact (no error) below capacity" 0 \
	"$(top ports --window 60s | jq '[.items[].error] | add')"
assert_eq "window total" $total "$(top ports | jq .total)"
assert_eq "distinct remotes" 3 "$(top remotes | jq .distinct_remotes)"
assert_eq "rates 10s 60s 300s" "77 12.833 2.567" \
	"$(status_get '[.rates."10s", .rates."60s", .rates."300s"] | map(tostring) | join(" ")')"
assert_eq "bad window refused" "--window wants 10s, 60s or 300s" \
	"$("$RSTMONCTL" -s "$SOCK" top ports --window 5m 2>&1 | sed 's/.*says: //')"

# For people: aligned, largest first, no colour when not a terminal.
ctl top ports -n 3 >"$TMPD/top.txt"
head -2 "$TMPD/top.txt" | grep -q "^PORT  *RESETS  *RATE  *SHARE" ||
	fail "top table header: $(cat "$TMPD/top.txt")"
assert_eq "first row" "7001 300" "$(sed -n 3p "$TMPD/top.txt" | awk '{print $1, $2}')"
grep -q $'\033' "$TMPD/top.txt" && fail "colour codes written to a pipe"
# --watch refreshes until interrupted.
timeout -s INT 2.5 "$RSTMONCTL" -s "$SOCK" top ports --watch=1 >"$TMPD/watch.txt" || true
assert_ge "refreshes in 2.5 s" 2 "$(grep -c '^top ports' "$TMPD/watch.txt")"

# The follower saw every reset, in order of arrival.
followed() { [ "$(wc -l < "$TMPD/follow.jsonl")" -ge $total ]; }
wait_until 10 followed || fail "follower got $(wc -l < "$TMPD/follow.jsonl") of $total"
assert_eq "follower lines" $total "$(wc -l < "$TMPD/follow.jsonl" | tr -d ' ')"
assert_eq "follower lines parse" $total "$(jq -c 'select(.cause == "closed_port")' "$TMPD/follow.jsonl" | wc -l | tr -d ' ')"

# A follower that never reads: dropped, counted; nothing else suffers.
$PY - "$SOCK" <<'PYEOF' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.send(b"events\n")
time.sleep(60)
PYEOF
BG_PIDS="$BG_PIDS $!"
slow() { [ "$(status_get .control.followers)" -ge 2 ]; }
wait_until 10 slow || fail "the slow follower never registered"
# 25,000/s: the slow follower falls 4 MiB behind whatever the rate; the
# fast one (rstmonctl) must keep up even on a loaded, sanitized build.
gen --dst $A4 --src $B4 --dport 10000-59999 --count 100000 --rate 25000
total=$((total + 100000))
wait_until 30 caught_up $total || fail "resets not seen"
dropped() { [ "$(status_get .control.followers_dropped)" -ge 1 ]; }
wait_until 10 dropped || fail "the slow follower was not dropped"
assert_eq "events_total" $total "$(status_get .events_total)"
assert_eq "lost_total" 0 "$(status_get .lost_total)"
wait_until 20 followed || fail "the fast follower fell behind"
stop_daemon
log "PASS"
