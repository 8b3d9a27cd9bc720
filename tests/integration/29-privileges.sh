#!/bin/bash
# Operations, privilege separation: after start-up the process that reads
# NFLOG (and every other hostile byte) runs as the -u user with no
# capability at all (permitted, effective, bounding, ambient) and
# no_new_privs; only its helper (rstmond-priv) keeps CAP_NET_ADMIN,
# CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH — and owners of other users'
# sockets are still named (a listener and an aborting client of uid 1234).
# Killing the helper leaves counting intact, and status says so.
# --netns monitors a namespace from outside it.  Type=notify: READY=1 once
# it answers, RELOADING=1 and READY=1 around a reload, STOPPING=1 at
# exit.  A hook as root is refused unless asked for; -n answers 0 or 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
chmod 755 "$TMPD"	# the -u user reads nothing here, but may look

# --- privileges -------------------------------------------------------------
# The socket in a directory rstmond creates and gives to the user, so
# that it can remove the socket at exit (as /run/rstmon by default).
SOCK0=$SOCK
SOCK=$TMPD/run/rstmond.sock
start_daemon -u nobody --inventory-interval 200 -s "$SOCK"
assert_eq "socket directory owner" "nobody 755" "$(stat -c '%U %a' "$TMPD/run")"
# st PID FIELD: a field of /proc/PID/status.
st() { awk -v k="$2:" '$1 == k { $1 = ""; print substr($0, 2) }' "/proc/$1/status"; }
nobody=$(id -u nobody)
assert_eq "the NFLOG reader: Uid" "$nobody $nobody $nobody $nobody" \
	"$(st $DAEMON_PID Uid | tr -s '\t ' ' ')"
ls -l /proc/$DAEMON_PID/fd | grep -q 'socket:' || fail "no sockets?"
for c in CapPrm CapEff CapBnd CapInh CapAmb; do
	assert_eq "the NFLOG reader: $c" 0000000000000000 "$(st $DAEMON_PID $c)"
done
assert_eq "the NFLOG reader: NoNewPrivs" 1 "$(st $DAEMON_PID NoNewPrivs)"
# 2: a seccomp filter (ptrace, bpf, userfaultfd, io_uring… refused).
assert_eq "the NFLOG reader: Seccomp" 2 "$(st $DAEMON_PID Seccomp)"
HELPER=$(status_get .helper.pid)
assert_eq "the helper is rstmond's child" "$DAEMON_PID" "$(st $HELPER PPid)"
assert_eq "the helper's name" rstmond-priv "$(st $HELPER Name)"
assert_eq "the helper: Uid" "$nobody $nobody $nobody $nobody" \
	"$(st $HELPER Uid | tr -s '\t ' ' ')"
# Bits 2 (DAC_READ_SEARCH), 12 (NET_ADMIN), 19 (SYS_PTRACE); the bounding
# set emptied by the switch of user.
for c in CapPrm CapEff; do
	assert_eq "the helper: $c" 0000000000081004 "$(st $HELPER $c)"
done
for c in CapBnd CapInh CapAmb; do
	assert_eq "the helper: $c" 0000000000000000 "$(st $HELPER $c)"
done
assert_eq "the helper: NoNewPrivs" 1 "$(st $HELPER NoNewPrivs)"
# It holds nothing of the daemon's: no NFLOG, no control socket.
assert_eq "the helper's sockets" 2 "$(ls -l /proc/$HELPER/fd | grep -c 'socket:')"

# Owners are still named: a listener of uid 1234 answering stray ACKs,
# and a client of uid 1234 aborting its connections.
serve_a SRV $A4 7500 rst-listener
ip netns exec "$NS_B" $TRAFFIC serve $B4 7600 --seconds 55 >"$TMPD/b.out" 2>&1 &
BG_PIDS="$BG_PIDS $!"
blisten() { grep -q '^listening' "$TMPD/b.out"; }
wait_until 10 blisten || fail "server in B"
"$TOP/tests/integration/wait-inventory.sh" "$SOCK" >/dev/null 2>&1 || true
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 7500 --flags A --count 5
as_app $TRAFFIC abort $B4 7600 --count 5 --comm rst-aborter >/dev/null
wait_until 10 caught_up 10 || fail "saw $(status_get .events_total) of 10"
wait_until 10 test "$(wc -l <"$EVENTS")" -ge 10 || fail "events file short"
assert_eq "listener named (as nobody)" 5 \
	"$(events_count ".lport == 7500 and .owner.comm == \"rst-listener\" and .owner.pid == $SRV and .owner.uid == $APP_UID")"
assert_eq "aborting client named (as nobody)" 5 \
	"$(events_count '.cause == "app_abort" and .owner.uid == 1234 and (.owner.comm == "rst-aborter" or .actor.comm == "rst-aborter")')"
# Without the helper: counting goes on, exactly, and status says it.
kill -KILL "$HELPER"
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 9100-9119 --flags S --count 20
wait_until 10 caught_up 30 || fail "saw $(status_get .events_total) of 30 without the helper"
wait_until 10 test "$(status_get .helper.alive)" = false ||
	fail "status does not say the helper is gone"
assert_eq "events without the helper" 30 "$(status_get .events_total)"
assert_eq "lost without the helper" 0 "$(status_get .lost_total)"
grep -q "privileged helper exited" "$DAEMON_LOG" ||
	fail "the helper's death was not logged"
stop_daemon
assert_eq "socket removed at exit" "" "$(ls "$TMPD/run")"
grep -q "cannot remove" "$DAEMON_LOG" && fail "$(grep "cannot remove" "$DAEMON_LOG")"
SOCK=$SOCK0

# --- Type=notify ---------------------------------------------------------------
cat >"$TMPD/notify.py" <<'PYEOF'
# notify.py PATH: print every datagram received on PATH, one per line.
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    print(s.recv(4096).decode().replace("\n", " "), flush=True)
PYEOF
$PY "$TMPD/notify.py" "$TMPD/notify.sock" >"$TMPD/notify.out" &
BG_PIDS="$BG_PIDS $!"
wait_until 5 grep -q bound "$TMPD/notify.out" || fail "notify listener"
rm -f "$SOCK"
NOTIFY_SOCKET=$TMPD/notify.sock start_daemon
said() { grep -q "$1" "$TMPD/notify.out"; }
wait_until 5 said "^READY=1 STATUS=" || fail "no READY=1: $(cat "$TMPD/notify.out")"
ctl reload >/dev/null
wait_until 5 said "^RELOADING=1" || fail "no RELOADING=1: $(cat "$TMPD/notify.out")"
ready2() { [ "$(grep -c '^READY=1' "$TMPD/notify.out")" = 2 ]; }
wait_until 5 ready2 || fail "no READY=1 after the reload: $(cat "$TMPD/notify.out")"
stop_daemon
wait_until 5 said "^STOPPING=1" || fail "no STOPPING=1: $(cat "$TMPD/notify.out")"
assert_eq "notifications" "READY RELOADING READY STOPPING" \
	"$(grep -v bound "$TMPD/notify.out" | sed 's/=.*//' | tr '\n' ' ' | sed 's/ $//')"

# --- --netns from outside ----------------------------------------------------
rm -f "$SOCK"
: >"$EVENTS"
c0=$(counter_get)
# Started in the root namespace; its metrics endpoint is opened before it
# enters A, so it stays on the root namespace's loopback.
MPORT=$((20000 + $$ % 20000))
"$RSTMOND" -f -g $GROUP -s "$SOCK" -e "$EVENTS" --netns "$NS_A" \
	--metrics-listen 127.0.0.1:$MPORT >>"$DAEMON_LOG" 2>&1 &
DAEMON_PID=$!
wait_until 10 ctl status || fail "rstmond --netns did not come up"
assert_eq "its network namespace is A's" "$(ip netns exec "$NS_A" stat -L -c %i /proc/self/ns/net)" \
	"$(stat -L -c %i /proc/$DAEMON_PID/ns/net)"
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 9000-9009 --flags S --count 10
wait_until 10 caught_up 10 || fail "saw $(status_get .events_total) of 10"
assert_eq "events" 10 "$(status_get .events_total)"
assert_eq "the rule's counter agrees" $((c0 + 10)) "$(counter_get)"
assert_eq "closed_port from B" 10 "$(status_get .causes.closed_port)"
scrape() { $PY -c "import urllib.request,sys; print(urllib.request.urlopen('http://127.0.0.1:$MPORT/metrics', timeout=5).read().decode())"; }
assert_eq "metrics on the root namespace's loopback" "10" \
	"$(scrape | awk '$1 == "rstmon_resets_total{cause=\"closed_port\"}" { print $2 }')"
stop_daemon

# --- a hook as root; -n ----------------------------------------------------------
out=$("$RSTMOND" -n --hook /bin/true 2>&1) && fail "a hook as root was accepted"
rc=0; "$RSTMOND" -n --hook /bin/true >/dev/null 2>&1 || rc=$?
assert_eq "-n exit status, hook as root" 1 $rc
echo "$out" | grep -q "would run the hook as root" || fail "message: $out"
assert_eq "-n with -u" "rstmond: configuration OK" "$("$RSTMOND" -n --hook /bin/true -u nobody 2>&1)"
assert_eq "-n with --hook-as-root" "rstmond: configuration OK" "$("$RSTMOND" -n --hook /bin/true --hook-as-root 2>&1)"
printf 'group = 5\nbogus = 1\n' >"$TMPD/bad.conf"
rc=0; out=$("$RSTMOND" -n -c "$TMPD/bad.conf" 2>&1) || rc=$?
assert_eq "-n on a bad file" "1 rstmond: $TMPD/bad.conf:2: unknown key 'bogus'" "$rc $out"
log "PASS"
