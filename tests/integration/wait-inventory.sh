#!/bin/sh
# wait-inventory.sh SOCKET: return once rstmond has listed the sockets of
# its namespace twice more (so a socket alive now is known, and its owner
# resolved).  Used as scenario.py's --ready-cmd.  Bounded: 15 s.
set -eu
sock=$1
ctl=${RSTMONCTL:-$(dirname "$0")/../../src/rstmonctl}
dumps() { "$ctl" -s "$sock" status --json | jq .attribution.inventory_dumps; }
start=$(dumps)
end=$(( $(date +%s) + 15 ))
while [ "$(dumps)" -lt $((start + 2)) ]; do
	[ "$(date +%s)" -lt $end ] || { echo "wait-inventory: no dump" >&2; exit 1; }
	sleep 0.05
done
