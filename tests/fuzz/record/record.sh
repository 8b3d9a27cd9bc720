#!/bin/sh
# record.sh: (re)record the fuzz seeds that come from the kernel, in a
# scratch network namespace (the root namespace's firewall is never
# touched): NFLOG datagrams (nflog) and their IP packets (packet),
# sock_diag answers (sockdiag), perf records of tcp:tcp_send_reset
# (trace) and the /proc texts (proc).  Root; Linux >= 6.10 for the
# tracepoint's reason field.  Usage: sudo tests/fuzz/record/record.sh
set -eu

cd "$(dirname "$0")/../../.."
out=tests/fuzz/corpus
ns=fuzzrec-$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzzrec.XXXXXX")
cleanup() {
	ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# shellcheck disable=SC2046 # pkg-config output is a word list
cc -O1 -g -Wall -Wextra -Isrc -o "$tmp/record" tests/fuzz/record/record.c \
	$(pkg-config --cflags --libs libmnl libnetfilter_log)

ip netns add "$ns"
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip link set lo up
# The daemon's own rules (output hook, inet table), and an input-hook
# copy per family: those messages carry a kernel timestamp and an
# input interface, and nfgen_family is the table's.
in_ns nft -f rules/rstmon.nft
in_ns nft -f - <<'EOF'
table ip fuzzrec {
	chain input {
		type filter hook input priority filter; policy accept;
		tcp flags & rst == rst log group 5
	}
}
table ip6 fuzzrec {
	chain input {
		type filter hook input priority filter; policy accept;
		tcp flags & rst == rst log group 5
	}
}
EOF

rm -f "$out"/nflog/* "$out"/sockdiag/* "$out"/trace/*
rm -f "$out"/packet/closed* "$out"/packet/mapped* "$out"/packet/abort* \
	"$out"/packet/burst*
mkdir -p "$out/nflog" "$out/packet" "$out/sockdiag" "$out/trace" \
	"$out/proc"
in_ns "$tmp/record" nflog "$out/nflog" "$out/packet"
in_ns "$tmp/record" sockdiag "$out/sockdiag"

# The tracepoint id is read here: `ip netns exec` gives its command a
# fresh /sys without tracefs.
fmt=/sys/kernel/tracing/events/tcp/tcp_send_reset/format
if id=$(sed -n 's/^ID: *//p' "$fmt" 2>/dev/null) && [ -n "$id" ]; then
	in_ns "$tmp/record" trace "$out/trace" "$id"
else
	echo "record.sh: no $fmt: trace seeds kept as they were" >&2
fi

# proc: the first byte picks the parser (see fuzz_proc.c): 0 snmp and
# netstat (of the scratch namespace, after the resets above), 1 a cgroup
# file, 2 comm NUL status NUL cgroup of a process.
{ printf '\000'; in_ns cat /proc/net/snmp; } >"$out/proc/snmp"
{ printf '\000'; in_ns cat /proc/net/netstat; } >"$out/proc/netstat"
{ printf '\001'; cat /proc/self/cgroup; } >"$out/proc/cgroup-self"
{ printf '\001'; cat /proc/1/cgroup; } >"$out/proc/cgroup-init"
{
	printf '\002'
	cat /proc/self/comm
	printf '\000'
	cat /proc/self/status
	printf '\000'
	cat /proc/self/cgroup
} >"$out/proc/owner-self"
echo "record.sh: recorded into $out"
