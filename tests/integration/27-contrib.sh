#!/bin/bash
# contrib/: the integrations read what rstmond really writes.  After a
# real IPv4 and IPv6 port scan from B, fail2ban-regex with
# contrib/fail2ban/filter.d/rstmon.conf, over rstmond's log turned into
# syslog lines, matches the two raises and names exactly the two
# scanners: not the clears, the summaries (state=update), the action
# lines nor another program's line.  Every metric name the Prometheus
# rules and the Grafana dashboard use is one rstmond serves (`up` aside),
# and the Netdata job's URL serves them.  The YAML and JSON parse;
# logrotate accepts contrib/logrotate/rstmond and, run for real on this
# test's events file, rotates it and rstmond writes on in a new one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

C=$TOP/contrib
PORT=9467

# need PACKAGE CHECK…: when CHECK fails, install what the tests need
# (contrib/install-deps.sh lists PACKAGE); SKIP only when it cannot be had.
need() {
	local pkg=$1; shift
	"$@" >/dev/null 2>&1 && return 0
	log "$pkg is missing: contrib/install-deps.sh test"
	"$TOP/contrib/install-deps.sh" test >&2 || true
	"$@" >/dev/null 2>&1 || { log "SKIP: $pkg is missing"; exit $SKIP; }
}
require_root
need fail2ban command -v fail2ban-regex
need logrotate command -v logrotate
need python3-yaml $PY -c 'import yaml'

setup_netns
load_rules
# --alert-summary 2: the scans' alerts also write state=update lines,
# which the filter must not count.
start_daemon --ratelimit --hook /bin/true --hook-as-root \
	--metrics-listen 127.0.0.1:$PORT --alert-quiet 3 --alert-summary 2 \
	$RATE_ARGS

# --- a real port scan over each family ------------------------------------
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 2000-2019 --count 20 --rate 200
in_b "$RSTGEN" -q --dst $A6 --src $B6 --dport 2000-2019 --count 20 --rate 200
wait_until 10 has_alert port_scan $B4 || fail "no port_scan for $B4: $(alerts_json)"
wait_until 10 has_alert port_scan $B6 || fail "no port_scan for $B6: $(alerts_json)"
log "ok: port_scan raised for $B4 and $B6"
wait_until 40 no_alert || fail "the scans' alerts did not clear: $(alerts_json)"
# (Not alert_log: the action= lines name their alert too.)
assert_eq "raise and clear lines" \
	"cleared remote=$B4;cleared remote=$B6;raised remote=$B4;raised remote=$B6;" \
	"$(sed -n 's/^rstmond: alert=port_scan state=\(raised\|cleared\) \(remote=[^ ]*\).*/\1 \2/p' \
		"$DAEMON_LOG" | LC_ALL=C sort | tr '\n' ';')"
[ "$(grep -c '^rstmond: alert=port_scan state=update ' "$DAEMON_LOG")" -ge 1 ] ||
	fail "no state=update line to test the filter against: $(grep alert= "$DAEMON_LOG")"

# --- fail2ban -------------------------------------------------------------
# The filter as installed: in a filter.d next to fail2ban's common.conf.
mkdir -p "$TMPD/fail2ban/filter.d"
cp /etc/fail2ban/filter.d/common.conf "$C/fail2ban/filter.d/rstmon.conf" \
	"$TMPD/fail2ban/filter.d/"
# rstmond's lines as syslog writes them (ident rstmond, its pid), and one
# from another program saying the same.
stamp=$(LC_ALL=C date '+%b %e %H:%M:%S')
sed -n "s/^rstmond: /$stamp host rstmond[$DAEMON_PID]: /p" "$DAEMON_LOG" \
	>"$TMPD/syslog"
echo "$stamp host logger[99]: alert=port_scan state=raised" \
	"remote=10.99.0.77 ports=20 first_port=1 last_port=20 rate=20/s" \
	>>"$TMPD/syslog"
total=$(wc -l <"$TMPD/syslog")
f2b() {
	fail2ban-regex "$@" "$TMPD/syslog" "$TMPD/fail2ban/filter.d/rstmon.conf"
}
f2b >"$TMPD/f2b.out" 2>&1 || fail "fail2ban-regex: $(cat "$TMPD/f2b.out")"
# Its summary: "Lines: 24 lines, 0 ignored, 2 matched, 22 missed".
assert_eq "fail2ban-regex: lines, ignored, matched, missed" \
	"$total 0 2 $((total - 2))" \
	"$(awk '$1 == "Lines:" { print $2, $4, $6, $8 }' "$TMPD/f2b.out")"
assert_eq "fail2ban-regex: the hosts" "$B4;$B6;" \
	"$(f2b -o ip | LC_ALL=C sort | tr '\n' ';')"
f2b -o msg >"$TMPD/f2b.matched" 2>&1 || fail "fail2ban-regex -o msg"
assert_eq "matched lines: port_scan raises of $B4 and $B6" \
	"port_scan raised $B4;port_scan raised $B6;" \
	"$(sed -n 's/.* rstmond\[[0-9]*\]: alert=\([a-z_]*\) state=\([a-z]*\) remote=\([^ ]*\) .*/\1 \2 \3/p' \
		"$TMPD/f2b.matched" | LC_ALL=C sort | tr '\n' ';')"
grep -q 'state=cleared' "$TMPD/syslog" || fail "no cleared line in the input"
! grep -Eq 'state=(cleared|update)' "$TMPD/f2b.matched" ||
	fail "a clear or an update matched: $(cat "$TMPD/f2b.matched")"
log "ok: cleared, update, action and foreign lines not matched"

# --- metric names ---------------------------------------------------------
ctl metrics >"$TMPD/metrics.txt"
in_a $PY - "$C/netdata/go.d/prometheus.conf" >"$TMPD/netdata.txt" <<'PYEOF' ||
import sys, urllib.request, yaml
job = yaml.safe_load(open(sys.argv[1]))["jobs"][0]
get = urllib.request.build_opener(urllib.request.ProxyHandler({}))
sys.stdout.write(get.open(job["url"], timeout=5).read().decode())
PYEOF
	fail "the Netdata job's URL did not answer"
$PY - "$C/prometheus/rstmon-alerts.yml" "$C/grafana/rstmon-dashboard.json" \
	"$TMPD/metrics.txt" "$TMPD/netdata.txt" <<'PYEOF' >&2 || fail "metric names"
# Every metric a PromQL expression of the rules and the dashboard selects
# must be one rstmond serves.
import json, re, sys, yaml
rules, dash, served, netdata = sys.argv[1:]

def served_names(path):
    out = set()
    for line in open(path):
        m = re.match(r"# TYPE (\S+) ", line) or re.match(r"([a-zA-Z_:][\w:]*)[{ ]", line)
        if m:
            out.add(m.group(1))
    return out

KEYWORDS = {"and", "or", "unless", "bool", "inf", "nan"}
def metric_names(expr):
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)        # strings
    e = re.sub(r"\$\{?\w+\}?", "", e)                   # Grafana variables
    e = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", e)           # matchers, ranges
    e = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", e)
    e = re.sub(r"\boffset\s+\w+", "", e)
    names = set()
    for m in re.finditer(r"(?<![\w.])[a-zA-Z_:][\w:]*", e):
        if e[m.end():].lstrip().startswith("(") or m.group(0) in KEYWORDS:
            continue                                    # a function
        names.add(m.group(0))
    return names

used = {}
for g in yaml.safe_load(open(rules))["groups"]:
    for r in g["rules"]:
        for n in metric_names(r["expr"]):
            used.setdefault(n, set()).add("rule " + r["alert"])

def walk(o, where):
    if isinstance(o, dict):
        where = o.get("title", where)
        for k, v in o.items():
            if k == "expr" and isinstance(v, str):
                for n in metric_names(v):
                    used.setdefault(n, set()).add("panel " + where)
            elif k == "definition" and isinstance(v, str):
                for n in re.findall(r"label_values\(\s*([a-zA-Z_:][\w:]*)\s*,", v):
                    used.setdefault(n, set()).add("variable " + o["name"])
            else:
                walk(v, where)
    elif isinstance(o, list):
        for v in o:
            walk(v, where)
walk(json.load(open(dash)), "?")

have = served_names(served)
bad = []
for n, w in sorted(used.items()):
    if n != "up" and n not in have:
        bad.append("%s (%s) is not in rstmonctl metrics" % (n, ", ".join(sorted(w))))
must = {"up", "rstmon_alerts_active", "rstmon_events_lost_total",
        "rstmon_reset_rate", "rstmon_hook_failures_total",
        "rstmon_resets_total", "rstmon_top_port_resets",
        "rstmon_top_owner_resets", "rstmon_ratelimit_listed",
        "rstmon_hook_runs_total"}
if must - set(used):
    bad.append("not used any more: %s" % " ".join(sorted(must - set(used))))
if served_names(netdata) != have:
    bad.append("the Netdata job's URL serves other names than rstmonctl metrics")
for b in bad:
    print("27-contrib: " + b)
if bad:
    sys.exit(1)
print("27-contrib: ok: %d metric names used, all served (up aside): %s"
      % (len(used), " ".join(sorted(used))))
PYEOF

# --- the files parse ------------------------------------------------------
$PY -c 'import sys, yaml; [yaml.safe_load(open(f)) for f in sys.argv[1:]]' \
	"$C/prometheus/rstmon-alerts.yml" "$C/netdata/go.d/prometheus.conf" ||
	fail "YAML"
$PY -m json.tool "$C/grafana/rstmon-dashboard.json" >/dev/null || fail "JSON"
log "ok: YAML and JSON parse"

# --- logrotate ------------------------------------------------------------
# The file as shipped (a state file of our own; its logs may not exist),
# but for its user: rstmon may not exist here, nobody stands in for it.
assert_eq "su lines" 2 \
	"$(grep -c '^[[:space:]]*su rstmon adm$' "$C/logrotate/rstmond")"
sed 's/^\([[:space:]]*su\) rstmon adm$/\1 nobody nogroup/' \
	"$C/logrotate/rstmond" >"$TMPD/logrotate-d.conf"
logrotate -d -s "$TMPD/logrotate-d.state" "$TMPD/logrotate-d.conf" \
	>"$TMPD/logrotate-d.out" 2>&1 ||
	fail "logrotate -d: $(cat "$TMPD/logrotate-d.out")"
grep -q 'rotating pattern: /var/log/rstmon/events.jsonl' "$TMPD/logrotate-d.out" ||
	fail "logrotate -d: $(cat "$TMPD/logrotate-d.out")"
log "ok: logrotate -d accepts contrib/logrotate/rstmond"
# For real, on this test's events file and daemon, in root's directory.
sed -e "s|/var/log/rstmon/events.jsonl|$EVENTS|" -e '/^[[:space:]]*su /d' \
	-e "s|/var/log/rstmon/rstmond.log|$TMPD/rstmond-syslog.log|" \
	-e "s|/usr/local/bin/rstmonctl reload|$RSTMONCTL -s $SOCK reload|" \
	"$C/logrotate/rstmond" >"$TMPD/logrotate.conf"
before=$(wc -l <"$EVENTS")
logrotate -f -s "$TMPD/logrotate.state" "$TMPD/logrotate.conf" ||
	fail "logrotate -f"
assert_eq "rotated: events.jsonl.1 (not compressed yet) holds the old lines" \
	"$before" "$(wc -l <"$EVENTS.1")"
n0=$(status_get '.events_total + .lost_total')
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 2999 --count 1
wait_until 10 caught_up $((n0 + 1)) || fail "the reset after the rotation not seen"
has_line() { [ "$(wc -l <"$EVENTS")" -ge 1 ]; }
wait_until 10 has_line || fail "rstmond did not write to a new events file"
assert_eq "the new events file: the reset after the rotation" 2999 \
	"$(jq -r .lport "$EVENTS")"

stop_daemon
log "PASS"
