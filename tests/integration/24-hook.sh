#!/bin/bash
# --hook: rstmond runs the command (no shell) on a raise and on a clear
# with exactly the documented environment and the alert as JSON on
# stdin; a second raise within the cooldown is skipped.  A hook that
# sleeps forever (with a child of its own) is killed at its timeout, with
# its child, and reaped; a hook that floods stderr and fails has 3 lines
# logged, the rest counted, and its exit status logged.
# Then with --hook-max 1: three raises queued behind a hook that holds
# the only slot each run with their own environment and their own JSON
# on stdin; a syn_flood whose actions list makes its JSON larger than
# 4 KiB gets all of it on stdin.
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

# --- queued runs, each with its own alert ----------------------------------
# hook_record.py: each run's environment and stdin in its own file; the
# run for 10.99.0.11 first holds the only slot until q/release exists.
mkdir "$TMPD/q"
# syn_flood at 300/s from 20 sources, so that 32 spoofed sources raise it
# and each is listed: 32 actions in its JSON.
start_daemon --hook "$TOP/tests/integration/hook_record.py $TMPD/q RSTMON_KEY=10.99.0.11" \
	--hook-as-root --hook-max 1 \
	--hook-timeout 60 --alert-quiet 300 --ratelimit --ratelimit-on syn_flood \
	--flood-rate 300 --flood-sources 20
for i in 11 12 13 14; do
	ip -n "$NS_B" addr add 10.99.0.$i/24 dev vb
done
scan 10.99.0.11 5000
wait_until 15 test -e "$TMPD/q/holding" || fail "the holding hook did not start: $(grep action= "$DAEMON_LOG" | tail -5)"
scan 10.99.0.12 5100
scan 10.99.0.13 5200
scan 10.99.0.14 5300
three_queued() { [ "$(status_get .actions.hook.queued)" = 3 ]; }
wait_until 15 three_queued || fail "not three queued: $(status_get .actions.hook)"
log "ok: three runs queued behind the one holding the slot"
touch "$TMPD/q/release"
runs() { [ "$(ls "$TMPD/q" | grep -c '^run\.')" -ge "$1" ]; }
wait_until 20 runs 4 || fail "$(ls "$TMPD/q" | grep -c '^run\.') of 4 runs recorded: $(grep action= "$DAEMON_LOG" | tail -8)"
# One line per run: the environment's names, then key, remote and port
# from the environment, then key, remote and state from stdin, and
# whether the port lies in the range its scanner hit.
summary() {
	$PY - "$TMPD/q" <<'PYEOF'
import glob, json, sys
first = {"10.99.0.11": 5000, "10.99.0.12": 5100, "10.99.0.13": 5200,
         "10.99.0.14": 5300}
for p in sorted(glob.glob(sys.argv[1] + "/run.*.json")):
    r = json.load(open(p))
    e = r["env"]
    if e.get("RSTMON_ALERT") != "port_scan":
        continue
    try:
        j = json.loads(r["stdin"])
        stdin = "%s %s %s" % (j["key"], j["evidence"]["remote"], j["state"])
    except (ValueError, KeyError):
        stdin = "INVALID:%r" % r["stdin"][:40]
    lo = first.get(e.get("RSTMON_KEY"), -100)
    port = e.get("RSTMON_PORT", "")
    inrange = port.isdigit() and lo <= int(port) < lo + 20
    print(" ".join(sorted(e)), e.get("RSTMON_KEY"), e.get("RSTMON_REMOTE"),
          e.get("RSTMON_STATE"), stdin, "port-ok" if inrange else
          "port=%s" % e.get("RSTMON_PORT"))
PYEOF
}
names="PATH RSTMON_ALERT RSTMON_KEY RSTMON_PORT RSTMON_RATE RSTMON_REMOTE RSTMON_SEVERITY RSTMON_SINCE RSTMON_STATE"
want=
for i in 11 12 13 14; do
	want="$want$names 10.99.0.$i 10.99.0.$i raised 10.99.0.$i 10.99.0.$i raised port-ok;"
done
assert_eq "queued runs: each its own environment and stdin" "$want" \
	"$(summary | sort | tr '\n' ';')"

# --- a syn_flood's JSON beyond 4 KiB --------------------------------------
# A answers the spoofed sources through B (a gateway: no ARP for them).
ip -n "$NS_A" route add default via $B4 dev va
in_b "$RSTGEN" -q --dst $A4 --rand-src 10.201.0.0/27 --dport 80 --flags S \
	--count 6000 --rate 1000
wait_until 15 has_alert syn_flood all || fail "no syn_flood: $(alerts_json)"
flood_run() { grep -l '"RSTMON_ALERT": "syn_flood"' "$TMPD"/q/run.*.json; }
wait_until 15 flood_run || fail "no syn_flood run: $(grep action= "$DAEMON_LOG" | tail -5)"
f=$(flood_run)
assert_ge "syn_flood: stdin bytes (more than the old 4 KiB)" 4097 \
	"$(jq -r '.stdin | length' "$f")"
assert_eq "syn_flood: stdin" "syn_flood all raised 32 32 null" \
	"$(jq -r '.stdin | fromjson | "\(.type) \(.key) \(.state) \(.actions | length) \([.actions[] | select(.result == "added")] | length) \(.actions_truncated)"' "$f")"
stop_daemon
log "PASS"
