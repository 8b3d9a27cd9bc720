#!/bin/bash
# Prometheus: `rstmonctl metrics`, `--metrics-listen` (GET /metrics, and
# nothing else) and `--metrics-file` (atomic textfile) all parse with the
# reference parser (python3-prometheus-client) and agree with status,
# also when a process named with a stray byte, a quote, a backslash and
# an escape is a top owner.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

setup_netns
load_rules
PORT=9105
start_daemon --metrics-listen 127.0.0.1:$PORT \
	--metrics-file "$TMPD/rstmon.prom" --metrics-interval 1
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 7001-7010 --flags S --count 40
in_b "$RSTGEN" -q --dst $A6 --src $B6 --dport 7001 --flags A --ack 9 --count 7
wait_until 10 caught_up 47 || fail "resets not seen"

ctl status --json >"$TMPD/status.json"
ctl metrics >"$TMPD/metrics.txt"
$PY "$TOP/tests/tools/check_metrics.py" "$TMPD/metrics.txt" "$TMPD/status.json" >&2 ||
	fail "rstmonctl metrics"
grep -q '^rstmon_resets_total{cause="closed_port"} 40$' "$TMPD/metrics.txt" ||
	fail "closed_port sample"
grep -q '^rstmon_top_port_resets{port="7001"} 11$' "$TMPD/metrics.txt" ||
	fail "top port sample"

# HTTP, from inside namespace A where the daemon listens on loopback.
http() {
	in_a $PY - "$@" <<'PYEOF'
import sys, urllib.request, urllib.error
method, path = sys.argv[1], sys.argv[2]
req = urllib.request.Request("http://127.0.0.1:9105" + path, method=method)
try:
    r = urllib.request.urlopen(req, timeout=5)
    print(r.status, r.headers["Content-Type"])
    sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code)
PYEOF
}
http GET /metrics >"$TMPD/http.txt"
assert_eq "GET /metrics" "200 text/plain; version=0.0.4; charset=utf-8" "$(head -1 "$TMPD/http.txt")"
tail -n +2 "$TMPD/http.txt" >"$TMPD/http-body.txt"
$PY "$TOP/tests/tools/check_metrics.py" "$TMPD/http-body.txt" "$TMPD/status.json" >&2 ||
	fail "GET /metrics"
assert_eq "GET /other" 404 "$(http GET /other | head -1)"
assert_eq "POST /metrics" 405 "$(http POST /metrics | head -1)"
# Only loopback: nothing listens on A's outside address.
in_b $PY -c 'import socket,sys
s = socket.socket(); s.settimeout(2)
sys.exit(0 if s.connect_ex(("10.99.0.1", 9105)) != 0 else 1)' ||
	fail "metrics reachable from outside"

# The textfile: written atomically, parses, never left half-written.
# Written every second: wait for a write made after the last reset
# (the probe above was one more closed-port reset).
wait_until 10 caught_up 48 || fail "the probe's reset not seen"
ctl status --json >"$TMPD/status.json"
file_total() {
	awk '/^rstmon_resets_total/ { n += $2 } END { print n + 0 }' \
		"$TMPD/rstmon.prom" 2>/dev/null
}
current() { [ "$(file_total)" = "$(jq .events_total "$TMPD/status.json")" ]; }
wait_until 10 current || fail "no current metrics file"
$PY "$TOP/tests/tools/check_metrics.py" "$TMPD/rstmon.prom" "$TMPD/status.json" >&2 ||
	fail "--metrics-file"
[ -e "$TMPD/rstmon.prom.tmp" ] && fail "temporary file left behind"

# A name any local user may choose, as rstmon_top_owner_resets{owner}: it
# is not UTF-8, and one such label made the whole exposition unparseable.
bg ip netns exec "$NS_B" $TRAFFIC serve $B4 9401 --seconds 55 >"$TMPD/sink.out"
sink_up() { grep -q '^listening' "$TMPD/sink.out"; }
wait_until 10 sink_up || fail "B's server did not listen"
as_app $PY "$(for_uid "$TOP/tests/tools/named_abort.py")" $'q"\\\xff\e[1m' \
	$B4 9401 --count 5 >"$TMPD/abort.out" || fail "named_abort failed"
wait_until 10 caught_up 53 || fail "the aborts not seen"
ctl status --json >"$TMPD/status.json"
ctl metrics >"$TMPD/metrics.txt"
http GET /metrics | tail -n +2 >"$TMPD/http-body.txt"
for f in metrics http-body; do
	$PY "$TOP/tests/tools/check_metrics.py" "$TMPD/$f.txt" "$TMPD/status.json" >&2 ||
		fail "$f.txt with the hostile owner"
	# Escaped, parsed back: quote and backslash as they are, the stray
	# byte as U+FFFD, ESC as the text \x1b (never raw).
	$PY - "$TMPD/$f.txt" <<'PYEOF' || fail "$f.txt: no such owner label"
import sys
from prometheus_client.parser import text_string_to_metric_families
want = 'q"\\\ufffd\\x1b[1m'
for fam in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in fam.samples:
        if s.name == "rstmon_top_owner_resets" and \
                s.labels["owner"].startswith(want) and s.value >= 1:
            sys.exit(0)
sys.exit(1)
PYEOF
done
log "ok: the hostile owner's label parses"
stop_daemon
$PY "$TOP/tests/tools/check_metrics.py" "$TMPD/rstmon.prom" "$TMPD/status.json" >&2 ||
	fail "the final metrics file"
log "PASS"
