#!/bin/bash
# SIGHUP (and `rstmonctl reload`) rereads the config: thresholds change at
# once; a bad file is refused with file:line and the running configuration
# stays; what only a restart can change is kept and named; the events file
# is reopened (log rotation).
. "$(dirname "$0")/lib.sh"

setup_netns
load_rules
conf=$TMPD/rstmond.conf
printf '# thresholds\nscan-ports = 200\nalert-quiet = 2\n' >"$conf"
start_daemon -c "$conf"

scan() { in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport "$1" --flags S --count "$2"; }
scan 1000-1019 20
wait_until 10 caught_up 20 || fail "resets not seen"
# The scan detector looks at each tick; give it two.
ticks() { [ "$(status_get .uptime_s)" -ge $(( $1 + 2 )) ]; }
t0=$(status_get .uptime_s)
wait_until 10 ticks "$t0" || fail "no time passes"
assert_eq "20 ports < 200: no alert" "[]" "$(ctl alerts --json | jq -c .)"

# Lower the bar and reload: the next 20-port sweep is a scan.
printf '# thresholds\nscan-ports = 10\nalert-quiet = 2\n' >"$conf"
kill -HUP "$DAEMON_PID"
reloaded() { grep -q "reloaded $conf" "$DAEMON_LOG"; }
wait_until 10 reloaded || fail "no reload"
scan 2000-2019 20
raised() { [ "$(ctl alerts --json | jq -r '.[0].type')" = port_scan ]; }
wait_until 10 raised || fail "no port_scan after lowering the threshold"

# A bad file: refused, the running configuration stays.
printf 'scan-ports = 10\nalert-quiet = lots\n' >"$conf"
ctl reload >/dev/null
refused() { grep -q "reload: $conf:2: alert-quiet: invalid value 'lots'; keeping the running configuration" "$DAEMON_LOG"; }
wait_until 10 refused || fail "bad config not refused: $(tail -3 "$DAEMON_LOG")"
ctl status >/dev/null || fail "daemon gone after a bad reload"

# A restart-only setting: kept, and said so.
printf 'scan-ports = 10\nrcvbuf = 4M\n' >"$conf"
kill -HUP "$DAEMON_PID"
named() { grep -q "reload: rcvbuf changed: it takes effect at the next restart" "$DAEMON_LOG"; }
wait_until 10 named || fail "restart-only change not reported"

# Log rotation: move the events file away, reload, new lines go to a new file.
mv "$EVENTS" "$EVENTS.1"
kill -HUP "$DAEMON_PID"
reopened() { [ "$(grep -c '^rstmond: reloaded' "$DAEMON_LOG")" -ge 3 ]; }
wait_until 10 reopened || fail "no third reload"
scan 3000-3004 5
rotated() { [ -s "$EVENTS" ] && [ "$(wc -l < "$EVENTS")" -eq 5 ]; }
wait_until 10 rotated || fail "events not written to the reopened file: $(ls -l "$TMPD")"
assert_eq "old file kept its lines" 40 "$(wc -l < "$EVENTS.1" | tr -d ' ')"
stop_daemon
log "PASS"
