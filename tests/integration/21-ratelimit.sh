#!/bin/bash
# --ratelimit: a port scan from B puts the scanner in ratelimit4 (IPv4)
# or ratelimit6 (IPv6) with the default 600 s timeout.  Afterwards B gets
# no more than the rule's 10 resets per second (plus its burst of 5), and
# every reset the kernel decided to send is still logged: received by B +
# held back by the limit == resets rstmond saw, exactly.  The same scan
# from an address given to --allow lists nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

ALLOWED4=10.99.0.3
ALLOWED6=fd00:99::3
setup_netns
load_rules
ip -n "$NS_B" addr add $ALLOWED4/24 dev vb
ip -n "$NS_B" addr add $ALLOWED6/64 dev vb nodad
# B counts the resets it receives from A, per family (B's own table).
in_b nft -f - <<NFT
table inet rsttest {
	counter in4 { }
	counter in6 { }
	chain input {
		type filter hook input priority filter; policy accept;
		tcp flags & rst == rst ip saddr $A4 ip daddr $B4 counter name in4
		tcp flags & rst == rst ip6 saddr $A6 ip6 daddr $B6 counter name in6
	}
}
NFT
start_daemon --ratelimit --allow $ALLOWED4 --allow $ALLOWED6/128 \
	--alert-quiet 3 $RATE_ARGS

b_counter() {
	in_b nft -j list counter inet rsttest "$1" |
		jq '.nftables[] | select(.counter) | .counter.packets'
}
seen() { status_get '.events_total + .lost_total'; }

# scan FAMILY SRC FIRSTPORT: 20 SYNs to closed ports of A from SRC.
scan() {
	local dst=$A4
	[ "$1" = 6 ] && dst=$A6
	in_b "$RSTGEN" -q --dst $dst --src "$2" --dport "$3-$(($3 + 19))" \
		--count 20 --rate 200
}

# limited FAMILY SRC: 300 SYNs from SRC to closed ports; checks the
# accounting described at the top.
limited() {
	local fam=$1 src=$2 dst=$A4 n0 in0 lim0 t0 t1 got held bound
	[ "$fam" = 6 ] && dst=$A6
	n0=$(seen); in0=$(b_counter in$fam); lim0=$(counter_get rsts_limited)
	t0=$(date +%s%N)
	in_b "$RSTGEN" -q --dst $dst --src $src --dport 6000-6999 \
		--count 300 --rate 3000
	t1=$(date +%s%N)
	settled $((n0 + 300))
	got=$(( $(b_counter in$fam) - in0 ))
	held=$(( $(counter_get rsts_limited) - lim0 ))
	assert_eq "IPv$fam: all 300 resets seen by rstmond" 300 $(( $(seen) - n0 ))
	assert_eq "IPv$fam: received by B + held back by the limit" 300 $((got + held))
	# The limit lets 10/s through plus a burst of 5: the bound follows
	# from the rule and the generator's measured duration (rounded up).
	bound=$(( 5 + 10 * ((t1 - t0) / 1000000000 + 1) ))
	[ "$got" -le "$bound" ] ||
		fail "IPv$fam: B received $got resets, more than the limit allows ($bound)"
	log "ok: IPv$fam: B received $got of 300 resets (at most $bound), $held held back"
}

# --- IPv4 -----------------------------------------------------------------
scan 4 $B4 2000
wait_until 10 set_has ratelimit4 $B4 || fail "$B4 not listed: $(set_elems ratelimit4); log: $(grep action= "$DAEMON_LOG")"
read -r addr timeout expires <<<"$(set_elems ratelimit4)"
assert_eq "ratelimit4 holds the scanner only" "$B4 600" "$addr $timeout"
[ "$expires" -gt 580 ] && [ "$expires" -le 600 ] || fail "expires $expires"
log_full "^rstmond: action=ratelimit state=added remote=$B4 set=ratelimit4 mode=rst timeout=600 alert=port_scan$" >/dev/null ||
	fail "no action line: $(grep action= "$DAEMON_LOG")"
now=$(date +%s)
assert_eq "alerts --json: the action" "ratelimit $B4 ratelimit4 added false true" \
	"$(alert_get port_scan $B4 '.actions[] | "\(.action) \(.remote) \(.set) \(.result) \(.dry_run) \(.expires - .at == 600)"')"
limited 4 $B4

# The same scan from an allow-listed address: an alert, no listing.
scan 4 $ALLOWED4 2100
wait_until 10 has_alert port_scan $ALLOWED4 || fail "no port_scan for $ALLOWED4"
ticks 2
assert_eq "ratelimit4 still holds only $B4" "$B4" "$(set_elems ratelimit4 | cut -d' ' -f1)"
log_full "^rstmond: action=ratelimit state=refused remote=$ALLOWED4 reason=allowlisted alert=port_scan$" >/dev/null ||
	fail "no refusal line: $(grep action= "$DAEMON_LOG")"
assert_eq "alerts --json: the refusal" "ratelimit $ALLOWED4 allowlisted" \
	"$(alert_get port_scan $ALLOWED4 '.actions[] | "\(.action) \(.remote) \(.result)"')"

# --- IPv6 -----------------------------------------------------------------
scan 6 $B6 3000
wait_until 10 set_has ratelimit6 $B6 || fail "$B6 not listed: $(set_elems ratelimit6)"
assert_eq "ratelimit6 holds the scanner only" "$B6 600" "$(set_elems ratelimit6 | cut -d' ' -f1,2)"
limited 6 $B6
scan 6 $ALLOWED6 3100
wait_until 10 has_alert port_scan $ALLOWED6 || fail "no port_scan for $ALLOWED6"
ticks 2
assert_eq "ratelimit6 still holds only $B6" "$B6" "$(set_elems ratelimit6 | cut -d' ' -f1)"

# Nothing went to the drop sets (mode rst), and the counters agree.
assert_eq "drop4, drop6 empty" "" "$(set_elems drop4; set_elems drop6)"
assert_eq "status .actions" "2 2 2 0" \
	"$(status_get '.actions | "\(.listed) \(.added) \(.refused_allowlisted) \(.failed)"')"
mval() { ctl metrics | awk -v n="$1" '$1 == n { print $2 }'; }
assert_eq "rstmon_ratelimit_listed" 2 "$(mval rstmon_ratelimit_listed)"
assert_eq "rstmon_ratelimit_added_total" 2 "$(mval rstmon_ratelimit_added_total)"
assert_eq "rstmon_actions_refused_total" 2 "$(mval rstmon_actions_refused_total)"
stop_daemon
log "PASS"
