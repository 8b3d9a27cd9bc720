#!/usr/bin/python3
"""check_metrics: parse a Prometheus text exposition with the reference
parser (python3-prometheus-client) and check it against `status --json`.

    check_metrics.py METRICS.txt STATUS.json

Prints the samples it checked; exits 1 on a parse error or a mismatch.
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = open(sys.argv[1]).read()
    status = json.load(open(sys.argv[2]))
    fams = {}
    for fam in text_string_to_metric_families(text):
        fams[fam.name] = fam
    bad = []

    def value(name, **labels):
        for fam in fams.values():
            for s in fam.samples:
                if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                    return s.value
        return None

    for fam in ("rstmon_resets", "rstmon_events_lost", "rstmon_reset_rate",
                "rstmon_top_port_resets", "rstmon_build_info"):
        if fam not in fams:
            bad.append("family %s missing" % fam)
    for cause, n in status["causes"].items():
        v = value("rstmon_resets_total", cause=cause)
        if v != n:
            bad.append("rstmon_resets_total{cause=%s} = %s, status says %s" % (cause, v, n))
    total = sum(s.value for s in fams["rstmon_resets"].samples if s.name == "rstmon_resets_total")
    if total != status["events_total"]:
        bad.append("sum of rstmon_resets_total %s != events_total %s" % (total, status["events_total"]))
    if value("rstmon_events_lost_total") != status["lost_total"]:
        bad.append("lost %s != %s" % (value("rstmon_events_lost_total"), status["lost_total"]))
    fam4 = value("rstmon_resets_family_total", family="4") or 0
    fam6 = value("rstmon_resets_family_total", family="6") or 0
    if fam4 + fam6 != status["events_total"]:
        bad.append("families %s + %s != %s" % (fam4, fam6, status["events_total"]))
    for w in ("10s", "60s", "300s"):
        if value("rstmon_reset_rate", window=w) is None:
            bad.append("no rate for %s" % w)
    for fam in fams.values():
        if not fam.documentation:
            bad.append("%s has no HELP" % fam.name)
    print("families: %d, events_total %s, causes %s" % (len(fams), status["events_total"], status["causes"]))
    for b in bad:
        print("mismatch: " + b)
    sys.exit(1 if bad else 0)


main()
