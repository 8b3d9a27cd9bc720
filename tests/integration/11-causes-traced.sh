#!/bin/bash
# The same scenarios with the kernel's help (--kernel-trace=auto): every
# reset carries the kernel's reason, every cause matches it, and resets
# made in process context name the actor.  Skipped on kernels without the
# tcp:tcp_send_reset reason (rstmon then infers, see 10-causes-inferred).
. "$(dirname "$0")/lib.sh"

setup_netns
truth_start || { log "SKIP: no tcp_send_reset tracepoint with reason"; exit $SKIP; }
load_rules
start_daemon --kernel-trace=auto --inventory-interval 200
assert_eq "trace active" true "$(status_get .attribution.kernel_trace.active)"

scenario all >"$TMPD/expect.jsonl"
want=$(jq -s 'map(.count // 1) | add' "$TMPD/expect.jsonl")
wait_until 20 caught_up "$want" || fail "rstmond saw fewer than $want resets"
flushed() { [ "$(wc -l < "$EVENTS")" -ge "$want" ]; }
wait_until 10 flushed || fail "events file incomplete"
truth_dump >"$TMPD/truth.jsonl"
$PY "$TOP/tests/tools/check_causes.py" --expect "$TMPD/expect.jsonl" \
	--events "$EVENTS" --truth "$TMPD/truth.jsonl" --strict >&2 ||
	fail "attribution with the kernel's help is not exact (table above)"
ctl status --json | jq -c .attribution.kernel_trace >&2
# The kernel's reason, spelled as the kernel spells it, on the resets the
# stack sent.  perf may drop a sample now and then (an idle CPU's softirq
# was seen to), which the inference covers: the causes above are exact
# either way, and at least 90 % carry the reason.
stack=$(events_count '.cause != "firewall"')
traced=$(events_count 'has("kernel_reason")')
assert_ge "resets with the kernel's reason (of $stack)" $(( stack * 9 / 10 )) "$traced"
assert_eq "firewall resets with a kernel reason" 0 \
	"$(events_count '.cause == "firewall" and has("kernel_reason")')"
assert_eq "reasons spelled as the kernel does" 0 \
	"$(events_count 'has("kernel_reason") and (.kernel_reason | test("^[A-Z_0-9]+$") | not)')"
# Aborts made in process context name the task: our applications, or ss
# for ss -K (then the actor differs from the owner).
assert_eq "traced app_abort without actor" 0 \
	"$(events_count '.cause == "app_abort" and has("kernel_reason") and (has("actor") | not)')"
jq -c 'select(has("actor")) | {lport, cause, actor, owner: .owner.comm}' "$EVENTS" >&2
assert_eq "actors are our applications or ss" 0 \
	"$(events_count 'has("actor") and (((.actor.comm // "") | test("^rst-|^ss$")) | not)')"
assert_eq "ss -K: actor ss, owner rst-client" 1 \
	"$(events_count '.lport == 45414 and .actor.comm == "ss" and .owner.comm == "rst-client"')"
stop_daemon
log "PASS"
