#!/bin/bash
# memory.sh: rstmond's peak memory under a spoofed SYN flood from a million
# distinct sources (every reset goes to a new address), next to its idle
# size.  Prints numbers; asserts nothing.  Root; only namespaces it
# creates; the flood is bounded (1,000,000 packets, 60 s at most).
#   SOURCES=1000000 RATE=50000
. "$(dirname "$0")/../integration/lib.sh"

SOURCES=${SOURCES:-1000000}
RATE=${RATE:-50000}
setup_netns
# Replies to the spoofed sources go to B, which drops them.
ip -n "$NS_A" route add default via $B4 dev va
load_rules
start_daemon -e /dev/null

kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
idle_rss=$(kb "$DAEMON_PID" VmRSS)
in_b "$RSTGEN" -q --dst $A4 --seq-src 10.128.0.0 --dport 1-60000 \
	--flags S --count "$SOURCES" --rate "$RATE" --duration 60
wait_until 30 caught_up "$SOURCES" || log "warning: not all resets seen"
printf '%-34s %s\n' "resets (lost)" \
	"$(status_get .events_total) ($(status_get .lost_total))"
printf '%-34s %s\n' "distinct remotes, 300 s estimate" \
	"$(status_get '.distinct_remotes."300s"')"
printf '%-34s %s KiB\n' "idle RSS" "$idle_rss"
printf '%-34s %s KiB\n' "peak RSS (VmHWM) after the flood" "$(kb "$DAEMON_PID" VmHWM)"
printf '%-34s %s KiB\n' "RSS after the flood" "$(kb "$DAEMON_PID" VmRSS)"
stop_daemon
