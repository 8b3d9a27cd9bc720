#!/bin/bash
# --hook: rstmond runs the command (no shell) on a raise and on a clear
# with exactly the documented environment and the alert as JSON on
# stdin; a second raise within the cooldown is skipped.  A hook that
# sleeps forever (with a child of its own) is killed at its timeout, with
# its child, and reaped; a hook that floods stderr and fails has 3 lines
# logged, the rest counted, and its exit status logged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
mkdir "$TMPD/out"
cat >"$TMPD/hook.py" <<'PYEOF'
#!/usr/bin/python3
# hook.py DIR: by the alert's key, record what rstmond gave us, sleep
# forever, or flood stderr and fail.
import json, os, subprocess, sys, time
d = sys.argv[1]
key = os.environ.get("RSTMON_KEY", "")
if key == "10.99.0.5":
    with open(f"{d}/sleeper.pid", "w") as f:
        child = subprocess.Popen(["sleep", "1000"])
        f.write(f"{os.getpid()} {child.pid}\n")
    time.sleep(1000)
if key == "10.99.0.6":
    for i in range(20000):
        sys.stderr.write(f"flood line {i}\n")
    sys.exit(3)
# The environment as execve() gave it (Python adds LC_CTYPE to os.environ).
env = dict(v.split("=", 1) for v in
           open("/proc/self/environ").read().split("\0") if v)
name = f"{d}/{env.get('RSTMON_ALERT')}.{env.get('RSTMON_STATE')}"
raw = sys.stdin.read()
open(name + ".stdin", "w").write(raw)
with open(name + ".tmp", "w") as f:
    json.dump({"env": env, "stdin": json.loads(raw)}, f)
os.rename(name + ".tmp", name + ".json")
sys.stderr.write("recorded " + name + "\n")
PYEOF
chmod +x "$TMPD/hook.py"
start_daemon --hook "$TMPD/hook.py $TMPD/out" --hook-as-root --hook-timeout 1 \
	--alert-quiet 3 $RATE_ARGS

scan() {
	in_b "$RSTGEN" -q --dst $A4 --src "$1" --dport "$2-$(($2 + 19))" \
		--count 20 --rate 200
}
got() { jq -r "$2" "$TMPD/out/port_scan.$1.json"; }

# --- the environment and the JSON ----------------------------------------
scan $B4 2000
wait_until 15 test -f "$TMPD/out/port_scan.raised.json" || fail "no raise run: $(grep action= "$DAEMON_LOG")"
assert_eq "environment names" \
	"PATH RSTMON_ALERT RSTMON_KEY RSTMON_PORT RSTMON_RATE RSTMON_REMOTE RSTMON_SEVERITY RSTMON_SINCE RSTMON_STATE" \
	"$(got raised '.env | keys | join(" ")')"
assert_eq "environment values" "port_scan raised $B4 $B4 warning" \
	"$(got raised '.env | "\(.RSTMON_ALERT) \(.RSTMON_STATE) \(.RSTMON_KEY) \(.RSTMON_REMOTE) \(.RSTMON_SEVERITY)"')"
port=$(got raised .env.RSTMON_PORT)
[ "$port" -ge 2000 ] && [ "$port" -le 2019 ] || fail "RSTMON_PORT $port"
got raised .env.RSTMON_RATE | grep -Eqx '[0-9]+\.[0-9]' || fail "RSTMON_RATE $(got raised .env.RSTMON_RATE)"
now=$(date +%s); since=$(got raised .env.RSTMON_SINCE)
[ "$since" -le "$now" ] && [ "$since" -gt $((now - 60)) ] || fail "RSTMON_SINCE $since"
assert_eq "PATH" "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$(got raised .env.PATH)"
assert_eq "stdin JSON" "port_scan $B4 raised $B4 20 $since 2000 []" \
	"$(got raised '.stdin | "\(.type) \(.key) \(.state) \(.evidence.remote) \(.evidence.resets) \(.since) \(.evidence.first_port) \(.actions)"')"

wait_until 40 test -f "$TMPD/out/port_scan.cleared.json" || fail "no clear run: $(grep action= "$DAEMON_LOG")"
assert_eq "cleared: environment" "port_scan cleared $B4" \
	"$(got cleared '.env | "\(.RSTMON_ALERT) \(.RSTMON_STATE) \(.RSTMON_KEY)"')"
assert_eq "cleared: stdin state" "cleared" "$(got cleared .stdin.state)"
# One "state" member only (a parser keeping the first must not see a
# clear as a raise).
assert_eq "cleared: one state member" 1 \
	"$(grep -o '"state":' "$TMPD/out/port_scan.cleared.stdin" | wc -l)"
exited() { [ "$(grep -c "action=hook state=exited alert=port_scan key=$B4 state=$1 pid=[0-9]* status=0 ms=" "$DAEMON_LOG")" = 1 ]; }
wait_until 10 exited raised || fail "raise run: $(grep action= "$DAEMON_LOG")"
wait_until 10 exited cleared || fail "clear run: $(grep action= "$DAEMON_LOG")"
grep -q "action=hook state=started alert=port_scan key=$B4 state=raised pid=" "$DAEMON_LOG" || fail "no started line"
grep -Eq "action=hook pid=[0-9]+ stderr=\"recorded $TMPD/out/port_scan.raised\"" "$DAEMON_LOG" || fail "stderr line: $(grep action= "$DAEMON_LOG")"
log "ok: started, stderr and exit lines"

# The same key again within the 60 s cooldown: raised, but no run.
rm "$TMPD/out/port_scan.raised.json" "$TMPD/out/port_scan.raised.stdin"
scan $B4 2100
wait_until 10 has_alert port_scan $B4 || fail "no second port_scan"
skipped() { grep -q "action=hook state=skipped alert=port_scan key=$B4 state=raised reason=cooldown" "$DAEMON_LOG"; }
wait_until 5 skipped || fail "no cooldown line: $(grep action= "$DAEMON_LOG")"
assert_eq "no second run" "" "$(ls "$TMPD/out" | grep raised || true)"

# --- a hook that never ends ---------------------------------------------
ip -n "$NS_B" addr add 10.99.0.5/24 dev vb
ip -n "$NS_B" addr add 10.99.0.6/24 dev vb
scan 10.99.0.5 3000
wait_until 15 test -s "$TMPD/out/sleeper.pid" || fail "the sleeping hook did not start"
read -r hpid cpid <"$TMPD/out/sleeper.pid"
killed() { grep -q "action=hook state=killed alert=port_scan key=10.99.0.5 state=raised pid=$hpid signal=TERM reason=timeout" "$DAEMON_LOG"; }
wait_until 15 killed || fail "not killed: $(grep action= "$DAEMON_LOG")"
grep -q "action=hook state=timeout alert=port_scan key=10.99.0.5 state=raised pid=$hpid after_ms=1000: SIGTERM" "$DAEMON_LOG" ||
	fail "no timeout line"
# Reaped (a zombie would still answer kill -0), and its child is gone
# too (its group was signalled; init reaps it).
! kill -0 "$hpid" 2>/dev/null || fail "hook $hpid still exists (zombie?): $(cat /proc/$hpid/status 2>/dev/null | grep State)"
gone() { [ ! -d /proc/$cpid ] || grep -q '^State:.*Z' /proc/$cpid/status; }
wait_until 5 gone || fail "the hook's child $cpid survived: $(grep State /proc/$cpid/status)"
log "ok: the sleeping hook and its child were killed and reaped"

# --- a hook that floods stderr and fails ----------------------------------
scan 10.99.0.6 4000
failed() { grep -Eq "action=hook state=failed alert=port_scan key=10.99.0.6 state=raised pid=[0-9]+ status=3 ms=" "$DAEMON_LOG"; }
wait_until 15 failed || fail "no failure line: $(grep action= "$DAEMON_LOG")"
fpid=$(grep -Eo "state=failed alert=port_scan key=10.99.0.6 state=raised pid=[0-9]+" "$DAEMON_LOG" | grep -Eo '[0-9]+$')
trunc() { grep -Eq "action=hook pid=$fpid stderr_truncated bytes=[0-9]+" "$DAEMON_LOG"; }
wait_until 10 trunc || fail "no truncation line: $(grep "pid=$fpid" "$DAEMON_LOG")"
assert_eq "stderr lines logged" "flood line 0;flood line 1;flood line 2;" \
	"$(grep -o "action=hook pid=$fpid stderr=\"[^\"]*\"" "$DAEMON_LOG" | sed 's/.*stderr="//; s/"$//' | tr '\n' ';')"
assert_eq "status: hook" "4 2 1 1 1" \
	"$(status_get '.actions.hook | "\(.started) \(.exited_ok) \(.timed_out) \(.failed - .timed_out) \(.skipped_cooldown)"')"
idle() { [ "$(status_get .actions.hook.running)" = 0 ]; }
wait_until 10 idle || fail "hooks still running: $(status_get .actions.hook)"
log "ok: no hook running"
stop_daemon
log "PASS"
