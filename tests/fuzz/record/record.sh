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

# rtnl: a listing of links and addresses, then the notifications of a
# veth pair and its addresses coming and going (first byte: 1 = inside a
# listing, 0 = a notification; see fuzz_rtnl.c).
rm -f "$out"/rtnl/*
mkdir -p "$out/rtnl"
in_ns ip link add fz0 type veth peer name fz1
in_ns /usr/bin/python3 - "$out/rtnl" <<'PYEOF'
import os, socket, struct, subprocess, sys
out = sys.argv[1]
RTM_GETLINK, RTM_GETADDR, F_DUMP = 18, 22, 0x301
def save(name, flag, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([flag]) + data)
def dump(kind, typ):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.bind((0, 0))
    s.send(struct.pack("=IHHII", 20, typ, F_DUMP, 1, 0) + b"\0\0\0\0")
    i = 0
    while True:
        d = s.recv(65536)
        save("%s-%d" % (kind, i), 1, d)
        i += 1
        if struct.unpack_from("=H", d, 4)[0] == 3:     # NLMSG_DONE
            break
dump("links", RTM_GETLINK)
dump("addrs", RTM_GETADDR)
m = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
m.bind((0, 0x1 | 0x10 | 0x100))                     # LINK, IPV4_IFADDR, IPV6_IFADDR
for cmd in ("ip addr add 10.77.0.1 peer 10.77.0.2 dev fz0",
            "ip addr add fd77::1/64 dev fz0 nodad", "ip link set fz0 up",
            "ip link set fz0 name fz2", "ip addr del 10.77.0.1 peer 10.77.0.2 dev fz2",
            "ip link del fz2"):
    subprocess.run(cmd.split(), check=True)
m.settimeout(0.5)
i = 0
try:
    while True:
        save("notify-%d" % i, 0, m.recv(65536))
        i += 1
except socket.timeout:
    pass
PYEOF

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
