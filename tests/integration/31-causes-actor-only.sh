#!/bin/bash
# The tracepoint as kernels 4.15–6.9 give it: no reason field, records only
# for resets a full socket sent (Debian 12's 6.1, Ubuntu 22.04/24.04, RHEL
# 9).  --kernel-trace=actor-only makes rstmond read it that way on this
# kernel (it ignores the reason and drops the records an older kernel would
# not make).  Causes are inferred; the actor names the processes that abort
# and exit before any listing sees them (short_aborts), which a host without
# the tracepoint cannot name (10-causes-inferred).  Reference: the kernel's
# reasons, read by the test from its own trace instance.
. "$(dirname "$0")/lib.sh"

setup_netns
truth_start || { log "SKIP: no tcp_send_reset tracepoint with reason"; exit $SKIP; }
load_rules
start_daemon --kernel-trace=actor-only --inventory-interval 200
assert_eq "trace mode" actor-only "$(status_get .attribution.kernel_trace.mode)"
assert_eq "trace active" true "$(status_get .attribution.kernel_trace.active)"
status_get .attribution.kernel_trace.why | grep -q 'actor-only' ||
	fail "status does not say why the mode is actor-only"

scenario all >"$TMPD/expect.jsonl"
want=$(jq -s 'map(.count // 1) | add' "$TMPD/expect.jsonl")
wait_until 20 caught_up "$want" || fail "rstmond saw fewer than $want resets"
assert_eq "lost_total" 0 "$(status_get .lost_total)"
flushed() { [ "$(wc -l < "$EVENTS")" -ge "$want" ]; }
wait_until 10 flushed || fail "events file incomplete"
truth_dump >"$TMPD/truth.jsonl"
$PY "$TOP/tests/tools/check_causes.py" --expect "$TMPD/expect.jsonl" \
	--events "$EVENTS" --truth "$TMPD/truth.jsonl" --min-cause 0.98 \
	--min-uid 1.0 --min-process 0.95 >&2 ||
	fail "attribution below the bar (table above)"
ctl status --json | jq -c .attribution.kernel_trace >&2
assert_eq "no kernel reason in actor-only mode" 0 "$(events_count 'has("kernel_reason")')"
# Every short-lived client is named by its actor record, pid and all.
assert_eq "short aborts named by the actor" 10 \
	"$(events_count '.owner.comm == "rst-short" and .actor.comm == "rst-short" and .actor.pid == .owner.pid')"
# Resets without a full socket have no record (as on 4.15–6.9) and are
# still never called a firewall's unless the counters say so.
assert_eq "closed-port resets without an actor" 6 \
	"$(events_count '.cause == "closed_port" and (has("actor") | not)')"
stop_daemon
log "PASS"
