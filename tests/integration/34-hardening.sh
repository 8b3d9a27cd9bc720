#!/bin/bash
# Hardening (issue 16); each part fails without its fix:
#  - the events file, in a directory its -u user owns: a symbolic link
#    planted there is refused with one line naming the file, and the
#    root-owned file it points to keeps its content and owner; a file
#    rstmond creates is given to that user, one already there is not;
#  - the control socket: a member of its group (uid 1234) gets `status`
#    but not `reload`; clients that idle — one silent, 63 `events`
#    followers that stopped reading, every slot with it — are closed
#    after the idle timeout, and the 65th client is served;
#  - a name any local user chooses: a process named with escape
#    sequences, \r, BEL and a stray byte aborts connections; `rstmonctl
#    top owners`, `events`, `alerts` and `status` print it escaped, never
#    a raw control byte, and its abort_storm alert is one clean log line;
#  - no type-punned pointer in the sources (nftsock.c passed a size_t
#    through an int *): a compile-level check.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules

# clean FILE: valid UTF-8 with no control character but \n (C0, DEL, C1).
clean() {
	$PY - "$1" <<'PYEOF'
import re, sys
b = open(sys.argv[1], "rb").read()
try:
    t = b.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("%s: not UTF-8: %s" % (sys.argv[1], e))
m = re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", t)
if m:
    sys.exit("%s: raw control character %r: %r" % (sys.argv[1], m.group(),
             t[max(0, m.start() - 40):m.start() + 20]))
PYEOF
}

# --- the events file --------------------------------------------------------
EVD=$TMPD/evdir
install -d -o nobody -m 0755 "$EVD"
printf 'root only\n' >"$TMPD/precious"
chmod 0600 "$TMPD/precious"
ln -s "$TMPD/precious" "$EVD/events.jsonl"
rc=0
# Bounded: without the fix it would run on, writing through the link.
timeout 20 ip netns exec "$NS_A" "$RSTMOND" -c /dev/null -f -g $GROUP \
	-s "$TMPD/ev.sock" -u nobody -e "$EVD/events.jsonl" \
	>"$TMPD/ev.out" 2>&1 || rc=$?
assert_eq "the planted link's owner and mode (root's file)" "root 600" \
	"$(stat -c '%U %a' "$TMPD/precious")"
assert_eq "the planted link's target" "root only" "$(cat "$TMPD/precious")"
assert_eq "exit status with a link at the events path" 1 $rc
assert_eq "lines said" 1 "$(wc -l <"$TMPD/ev.out")"
grep -q "^rstmond: events file $EVD/events.jsonl: is a symbolic link" \
	"$TMPD/ev.out" || fail "message: $(cat "$TMPD/ev.out")"
[ -e "$TMPD/ev.sock" ] && fail "control socket left behind"
rm "$EVD/events.jsonl"

# Made by rstmond: given to the user, who reopens it after rotation.
# There already: opened as it is, its owner unchanged.
SOCK0=$SOCK
SOCK=$TMPD/evrun/rstmond.sock
start_daemon -u nobody -e "$EVD/events.jsonl"
assert_eq "owner of the events file rstmond created" nobody \
	"$(stat -c %U "$EVD/events.jsonl")"
stop_daemon
: >"$EVD/root.jsonl"
start_daemon -u nobody -e "$EVD/root.jsonl"
assert_eq "owner of an events file already there" root \
	"$(stat -c %U "$EVD/root.jsonl")"
stop_daemon
SOCK=$SOCK0

# --- type-punned pointers ------------------------------------------------------
# nftsock.c walked a size_t as an int (mnl_nlmsg_next(nlh, (int *)&len)):
# half of it on a big-endian host.  gcc's -Wall has -Wstrict-aliasing=3,
# which warns only where a punned pointer is dereferenced in the same
# function, and -Wextra adds nothing: passed on to libmnl, the cast went
# unseen.  Level 2 sees the cast itself; it also says "might" of the
# socket API's sockaddr casts, so only its certain "will break" fails.
if command -v gcc >/dev/null; then
	# shellcheck disable=SC2046
	gcc -std=gnu11 -D_GNU_SOURCE -I"$TOP/src/daemon" \
		-I"$TOP/src/kernel" -I"$TOP/src/core" -I"$TOP/src/client" \
		$(pkg-config --cflags libmnl libnetfilter_log libnftnl \
			libnftables libcap-ng jansson) \
		-O2 -fstrict-aliasing -Wstrict-aliasing=2 -fsyntax-only \
		"$TOP"/src/*/*.c >"$TMPD/alias.out" 2>&1 ||
		fail "gcc -fsyntax-only: $(cat "$TMPD/alias.out")"
	grep -B2 -A3 "will break strict-aliasing" "$TMPD/alias.out" >&2 &&
		fail "a type-punned pointer (above)"
	log "ok: no type-punned pointer gcc is sure of"
else
	log "gcc missing: the type-punning check is skipped"
fi

# --- the control socket: who may change what -----------------------------------
# A socket directory whose group (setgid) the socket takes: uid 1234.
RUN=$TMPD/run
install -d -o root -g $APP_UID -m 2750 "$RUN"
SOCK=$RUN/rstmond.sock
start_daemon --storm-rate 5
assert_eq "socket group and mode" "$APP_UID 660" "$(stat -c '%g %a' "$SOCK")"
CTL_APP=$(for_uid "$RSTMONCTL")
as_app "$CTL_APP" -s "$SOCK" status >/dev/null ||
	fail "status refused to a member of the socket's group"
rc=0
as_app "$CTL_APP" -s "$SOCK" reload >"$TMPD/reload.out" 2>&1 || rc=$?
assert_eq "reload by uid $APP_UID: exit status" 1 $rc
grep -q "^rstmonctl: rstmond says: reload: permission denied" \
	"$TMPD/reload.out" || fail "reload by uid $APP_UID: $(cat "$TMPD/reload.out")"
ctl reload >/dev/null || fail "reload refused to root"
reloaded() { grep -q '^rstmond: reloaded' "$DAEMON_LOG"; }
wait_until 10 reloaded || fail "root's reload did not happen"
assert_eq "reloads" 1 "$(grep -c '^rstmond: reloaded' "$DAEMON_LOG")"

# --- the control socket: idle clients ------------------------------------------
# Every slot held: one client that never sends, 63 followers that never
# read while resets fill what their sockets take (< 4 MiB each, so the
# backlog limit never drops them).  Only the idle timeout frees them.
mkfifo "$TMPD/hold"
$PY "$TOP/tests/tools/ctlhold.py" "$SOCK" --silent 1 --stall 63 \
	<"$TMPD/hold" >"$TMPD/hold.out" 2>&1 &
HOLD=$!
BG_PIDS="$BG_PIDS $HOLD"
exec 7>"$TMPD/hold"
wait_until 10 grep -q '^held' "$TMPD/hold.out" || fail "ctlhold: $(cat "$TMPD/hold.out")"
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 24000-24999 --flags S \
	--count 3000 --rate 20000
silent_closed() { grep -q '^silent closed' "$TMPD/hold.out"; }
wait_until 40 silent_closed || fail "the silent client was never disconnected"
log "ok: the silent client was disconnected"
# Answered by the 65th client, once the followers' slots are free.
no_followers() { [ "$(status_get .control.followers)" = 0 ]; }
wait_until 40 no_followers || fail "stalled followers were never timed out"
log "ok: the stalled followers were timed out; the 65th client is served"
assert_eq "followers dropped by the backlog limit" 0 \
	"$(status_get .control.followers_dropped)"
wait_until 10 caught_up 3000 || fail "saw $(status_get '.events_total + .lost_total') of 3000"
assert_eq "lost" 0 "$(status_get .lost_total)"
exec 7>&-
wait "$HOLD" 2>/dev/null || true

# --- a name any local user chooses -----------------------------------------------
# 14 bytes: a colour, \r, a title-setting OSC ended by BEL, a stray byte.
NAME=$'\e[31mX\r\e]0;p\a\xff'
SHOWN='\x1b[31mX\x0d\x1b]0;p\x07'
bg ip netns exec "$NS_B" $TRAFFIC serve $B4 9400 --seconds 55 >"$TMPD/sink.out"
sink_up() { grep -q '^listening' "$TMPD/sink.out"; }
wait_until 10 sink_up || fail "B's server did not listen"
ctl events >"$TMPD/events.out" 2>&1 &
FOLLOW=$!
BG_PIDS="$BG_PIDS $FOLLOW"
following() { [ "$(status_get .control.followers)" = 1 ]; }
wait_until 10 following || fail "rstmonctl events did not subscribe"
n0=$(status_get '.events_total + .lost_total')
as_app $PY "$(for_uid "$TOP/tests/tools/named_abort.py")" "$NAME" $B4 9400 \
	--count 100 --rate 50 >"$TMPD/abort.out" || fail "named_abort failed"
assert_eq "aborts" "aborted=100" "$(cat "$TMPD/abort.out")"
settled $((n0 + 100))
named() { grep -qF "$SHOWN" "$TMPD/events.out"; }
wait_until 10 named || fail "rstmonctl events: $(tail -2 "$TMPD/events.out" | cat -v)"
storm() { alerts_json | jq -e 'any(.[]; .type == "abort_storm")'; }
wait_until 10 storm || fail "no abort_storm: $(alerts_json)"
ctl top owners --window 60s >"$TMPD/top.out"
ctl alerts >"$TMPD/alerts.out"
ctl status >"$TMPD/status.out"
for f in events top alerts status; do
	clean "$TMPD/$f.out" || fail "rstmonctl $f printed a raw control character"
	grep -qF "$SHOWN" "$TMPD/$f.out" ||
		fail "rstmonctl $f does not show the name: $(cat -v "$TMPD/$f.out")"
	log "ok: rstmonctl $f shows the name escaped"
done
kill_pid $FOLLOW
# The raise, one line: no \r to start another, no escape for a terminal.
clean "$DAEMON_LOG" || fail "rstmond's log holds a raw control character"
# (Quoted when a unit follows the name: "NAME (session-1.scope)".)
grep -qF -e "alert=abort_storm state=raised owner=$SHOWN\\xff pid=" \
	-e "alert=abort_storm state=raised owner=\"$SHOWN\\xff (" "$DAEMON_LOG" ||
	fail "the raise line: $(grep -a alert= "$DAEMON_LOG" | cat -v)"
log "ok: the abort_storm line is one line, the name escaped"
stop_daemon
log "PASS"
