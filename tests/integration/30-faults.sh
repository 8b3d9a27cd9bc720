#!/bin/bash
# Faults the daemon must survive, answering `status` with exact counts:
#  - control-socket abuse: a 1 MiB line, random bytes, 200 clients at
#    once, and an `events` follower that never reads while 50,000 resets
#    flow (it is dropped and counted; nothing is lost);
#  - a SIGHUP storm (200 in a row);
#  - `nft flush ruleset` while it manages the rules: logged, installed
#    again, counting goes on;
#  - no syslog (/dev/log not a socket) when daemonized: keeps running and
#    logs to stderr;
#  - SIGTERM in the middle of a flood: a clean exit (status 0), its table
#    and socket removed, nothing left behind; and in the middle of a flood
#    it cannot keep up with, it exits while the flood still runs.
. "$(dirname "$0")/lib.sh"

setup_netns
ABUSE="$PY $TOP/tests/tools/ctlabuse.py"
seen() { status_get '.events_total + .lost_total'; }

# --- control-socket abuse, SIGHUP storm, flush ----------------------------
start_daemon --rules "$TOP/rules/rstmon.nft"
for step in long garbage crowd; do
	out=$($ABUSE "$SOCK" $step) || fail "$step: $out"
	log "ok: $out"
done
# A follower that never reads, while a flood goes by.
mkfifo "$TMPD/hold"
ip netns exec "$NS_A" true	# (namespaces are up; the follower runs here)
$ABUSE "$SOCK" stall <"$TMPD/hold" >"$TMPD/stall.out" &
STALL=$!
BG_PIDS="$BG_PIDS $STALL"
exec 7>"$TMPD/hold"
wait_until 5 grep -q stalled "$TMPD/stall.out" || fail "the follower did not subscribe"
n0=$(seen)
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 20000-20999 --flags S \
	--count 50000 --rate 25000 --duration 20
wait_until 20 caught_up $((n0 + 50000)) || fail "saw $(seen) of $((n0 + 50000))"
assert_eq "nothing lost" 0 "$(status_get .lost_total)"
assert_eq "events == the rule's counter" "$(counter_get)" "$(status_get .events_total)"
assert_ge "the stalled follower was dropped" 1 "$(status_get .control.followers_dropped)"
exec 7>&-
wait "$STALL" 2>/dev/null || true

for i in $(seq 200); do kill -HUP "$DAEMON_PID"; done
reloads() { [ "$(grep -c '^rstmond: reloaded' "$DAEMON_LOG")" -ge 1 ]; }
wait_until 10 reloads || fail "no reload after the SIGHUP storm"
ctl status >/dev/null || fail "no answer after the SIGHUP storm"
ctl reload >/dev/null
log "ok: SIGHUP storm: still answering (pending signals coalesce: $(grep -c '^rstmond: reloaded' "$DAEMON_LOG") reloads)"

in_a nft flush ruleset
back() { in_a nft list table inet rstmon >/dev/null 2>&1; }
wait_until 10 back || fail "the table did not come back: $(grep nft: "$DAEMON_LOG")"
grep -q "nft: table inet rstmon or its sets are gone (firewall reload?): installing $TOP/rules/rstmon.nft again" "$DAEMON_LOG" ||
	fail "no 'gone' line"
n0=$(seen)
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 21000-21009 --flags S --count 10
wait_until 10 caught_up $((n0 + 10)) || fail "no resets seen after the flush"
log "ok: the table came back and counting goes on"
assert_eq "still nothing lost" 0 "$(status_get .lost_total)"

# --- SIGTERM during a flood -----------------------------------------------
# Not through in_b: $! must be rstgen itself (ip netns exec execs it).
ip netns exec "$NS_B" "$RSTGEN" -q --dst $A4 --src $B4 --dport 20000-20999 \
	--flags S --count 200000 --rate 40000 --duration 10 &
GEN=$!
BG_PIDS="$BG_PIDS $GEN"
flowing() { [ "$(seen)" -ge $((n0 + 1000)) ]; }
wait_until 10 flowing || fail "the flood does not flow"
stop_daemon	# fails unless rstmond exits 0
kill "$GEN" 2>/dev/null; wait "$GEN" 2>/dev/null || true
BG_PIDS=
back && fail "table inet rstmon left behind"
[ -e "$SOCK" ] && fail "control socket left behind"
grep -q "^rstmond: exiting: [0-9]* resets, 0 lost" "$DAEMON_LOG" || fail "exit line: $(tail -2 "$DAEMON_LOG")"
log "ok: SIGTERM mid-flood: exit 0, table and socket removed"

# --- SIGTERM during a flood it cannot keep up with ------------------------
# A line per reset (-v -v) to a reader that takes about 1 MB/s: rstmond
# handles some thousands of resets a second, the flood sends 40,000, and
# its socket never empties.  A drain "until empty" at exit would last as
# long as the flood; the bounded one exits while the flood still runs.
# (No duration is asserted: only that order.)
running() { [ -d "/proc/$1" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat")" != Z ]; }
mkfifo "$TMPD/slow"
$PY - "$TMPD/slow" "$TMPD/slow.log" <<'PYEOF' &
import os, sys, time
end = time.monotonic() + 120
fd = os.open(sys.argv[1], os.O_RDONLY)
with open(sys.argv[2], "wb") as out:
    while time.monotonic() < end:
        b = os.read(fd, 4096)
        if not b:
            break
        out.write(b)
        time.sleep(0.004)
PYEOF
SLOW=$!
BG_PIDS="$BG_PIDS $SLOW"
ip netns exec "$NS_A" "$RSTMOND" -c /dev/null -f -v -v -g $GROUP -s "$SOCK" \
	--budget 1 --rules "$TOP/rules/rstmon.nft" >/dev/null 2>"$TMPD/slow" &
DAEMON_PID=$!
wait_until 10 ctl status || fail "rstmond -v -v did not come up"
ip netns exec "$NS_B" "$RSTGEN" -q --dst $A4 --src $B4 --dport 20000-20999 \
	--flags S --count 2400000 --rate 40000 --duration 60 &
GEN=$!
BG_PIDS="$BG_PIDS $GEN"
behind() { [ "$(status_get .capture.enobufs)" -ge 1 ]; }
wait_until 20 behind || fail "the flood does not outrun rstmond -v -v"
kill -TERM "$DAEMON_PID"
exited() { ! running "$DAEMON_PID"; }
wait_until 90 exited || fail "rstmond -v -v did not exit on SIGTERM"
running "$GEN" || fail "rstmond exited only after the flood was over"
log "ok: rstmond exited while the flood still ran"
wait "$DAEMON_PID" || fail "rstmond exited with status $?"
DAEMON_PID=
kill "$GEN" 2>/dev/null
wait "$GEN" 2>/dev/null || true
reader_done() { ! running "$SLOW"; }
wait_until 60 reader_done || fail "the slow reader did not finish"
BG_PIDS=
back && fail "table inet rstmon left behind"
[ -e "$SOCK" ] && fail "control socket left behind"
tail -n 1 "$TMPD/slow.log" | grep -Eq '^rstmond: exiting: [0-9]+ resets, [0-9]+ lost$' ||
	fail "exit line: $(tail -n 1 "$TMPD/slow.log")"
log "ok: $(tail -n 1 "$TMPD/slow.log")"

# --- no syslog --------------------------------------------------------------
load_rules
printf 'not a socket\n' >"$TMPD/notasocket"
rm -f "$SOCK"
# A private mount namespace where /dev/log is a plain file (or absent).
unshare -m --propagation private sh -c '
	[ -e /dev/log ] && mount --bind "$1" /dev/log
	exec ip netns exec "$2" "$3" -c /dev/null -g "$4" -s "$5"' sh \
	"$TMPD/notasocket" "$NS_A" "$RSTMOND" $GROUP "$SOCK" 2>"$TMPD/bg.err"
pid=$(status_get .pid)
log "ok: daemonized, pid $pid"
n0=$(seen)
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 22000-22009 --flags S --count 10
wait_until 10 caught_up $((n0 + 10)) || fail "daemonized rstmond saw nothing"
kill -TERM "$pid"
gone() { ! kill -0 "$pid" 2>/dev/null; }
wait_until 10 gone || fail "daemonized rstmond did not exit"
grep -q "syslog unavailable (/dev/log: .*): logging to stderr" "$TMPD/bg.err" ||
	fail "no syslog warning on stderr: $(cat "$TMPD/bg.err")"
grep -q "exiting: 10 resets, 0 lost" "$TMPD/bg.err" || fail "stderr: $(cat "$TMPD/bg.err" | tr "\n" ";")"
log "ok: without syslog it logged to stderr: $(head -1 "$TMPD/bg.err")"
log "PASS"
