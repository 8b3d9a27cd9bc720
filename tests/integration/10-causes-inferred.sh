#!/bin/bash
# Every cause the kernel can be made to produce on demand (kernel-facts §1
# recipes, tests/tools/scenario.py), provoked for real by applications
# running as uid 1234, with rstmond inferring each cause WITHOUT the
# kernel's help (--kernel-trace=off).  Reference: the scenario's own
# expectation, and the kernel's reason from the tracepoint where it exists.
# Done when ≥ 95 % of causes match the kernel's reason, every owned reset
# names its uid, and ≥ 95 % name the process.
. "$(dirname "$0")/lib.sh"

setup_netns
load_rules
start_daemon --kernel-trace=off --inventory-interval 200
have_truth=no
truth_start && have_truth=yes

scenario all >"$TMPD/expect.jsonl"
want=$(jq -s 'map(.count // 1) | add' "$TMPD/expect.jsonl")
log "scenarios expect $want resets"
wait_until 20 caught_up "$want" || fail "rstmond saw fewer than $want resets"
assert_eq "lost_total" 0 "$(status_get .lost_total)"
flushed() { [ "$(wc -l < "$EVENTS")" -ge "$want" ]; }
wait_until 10 flushed || fail "events file incomplete"
assert_eq "no kernel reason without the tracepoint" 0 \
	"$(events_count 'has("kernel_reason") or has("actor")')"

truth=
if [ $have_truth = yes ]; then
	truth_dump >"$TMPD/truth.jsonl"
	truth="--truth $TMPD/truth.jsonl"
fi
$PY "$TOP/tests/tools/check_causes.py" --expect "$TMPD/expect.jsonl" \
	--events "$EVENTS" $truth --min-cause 0.98 --min-uid 1.0 \
	--min-process 0.95 --process-unknowable short_aborts >&2 ||
	fail "attribution below the bar (table above)"
stop_daemon
log "PASS"
