#!/bin/bash
# Addresses and interfaces that come and go (a VPN's tun brought up for one
# connection, a VRRP address moving here, a fresh container address): a
# reset sent from an address added a moment before is classified and
# attributed like any other, and named with its interface — even when the
# interface is gone by the time the reset is read.  A firewall's reject
# from that address is still a firewall's.  Run with the tracepoint (the
# kernel's reason decides) and without it (the live address table and the
# counters decide).
. "$(dirname "$0")/lib.sh"

setup_netns
load_rules
C4=10.99.5.1
D4=10.99.5.2
C6=fd00:95::1
D6=fd00:95::2

# refused ADDR PORT…: from B, one connect to each (retried while the new
# link comes up, at most 5 s), each refused by a reset.
cat >"$TMPD/refused.py" <<'PYEOF'
import socket, sys, time
def refused(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    end = time.monotonic() + 5
    while True:
        s = socket.socket(fam)
        s.settimeout(1)
        try:
            s.connect((addr, port))
            sys.exit("connected to %s port %d" % (addr, port))
        except ConnectionRefusedError:
            return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.005)
        finally:
            s.close()
args = sys.argv[1:]
for i in range(0, len(args), 2):
    refused(args[i], int(args[i + 1]))
PYEOF

# new_link: a veth pair made now, addresses on it, up; resets from it at
# once (a closed port over IPv4 and IPv6), then from a port A's firewall
# rejects, then the pair is deleted.  The reject waits until rstmond has
# read the first two: a reject and a stack reset in one NFLOG batch look
# the same, and without the tracepoint only their count tells them apart
# (rstmond(8), ATTRIBUTION).
new_link() {
	veth_link vc vd $C4 $D4 $C6 $D6
	in_b $PY "$TMPD/refused.py" $C4 7070 $C6 7070
	wait_until 10 caught_up 2 || fail "rstmond saw $(status_get .events_total) of 2"
	in_b $PY "$TMPD/refused.py" $C4 7071
	ip -n "$NS_A" link del vc
}

in_a nft -f - <<NFT
table inet rstmon_test_fw {
	chain in {
		type filter hook input priority 0; policy accept;
		ip daddr $C4 tcp dport 7071 reject with tcp reset
	}
}
NFT

for trace in auto off; do
	log "--- --kernel-trace=$trace"
	: >"$EVENTS"
	start_daemon --kernel-trace=$trace
	new_link
	wait_until 10 caught_up 3 || fail "rstmond saw $(status_get .events_total) of 3"
	flushed() { [ "$(wc -l < "$EVENTS")" -ge 3 ]; }
	wait_until 10 flushed || fail "events file incomplete"
	jq -c '{local, lport, ifname, cause, kernel_reason}' "$EVENTS" >&2
	assert_eq "closed-port resets from the new addresses" 2 \
		"$(events_count '(.local == "'$C4'" or .local == "'$C6'") and .lport == 7070 and .cause == "closed_port" and .ifname == "vc"')"
	assert_eq "the reject from the new address" 1 \
		"$(events_count '.local == "'$C4'" and .lport == 7071 and .cause == "firewall" and .ifname == "vc" and (has("kernel_reason") | not)')"
	if [ $trace = auto ] &&
	   [ "$(status_get .attribution.kernel_trace.mode)" = reason ]; then
		assert_eq "kernel reason of the new addresses' resets" 2 \
			"$(events_count '.lport == 7070 and .kernel_reason == "NO_SOCKET"')"
	fi
	assert_ge "address changes seen" 2 "$(status_get .interfaces.changes)"
	assert_eq "interface table complete" true "$(status_get .interfaces.complete)"
	stop_daemon
done
log "PASS"
