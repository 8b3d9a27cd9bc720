#!/bin/bash
# Actions forged packets cannot aim (--ratelimit-mode drop):
#  - a port scan forged "from" a third address puts it in ratelimit4 only,
#    never in drop4 (it never completed a handshake: it may be anyone);
#  - the victims of a forged SYN flood's backscatter are limited, never
#    dropped (their addresses are the forged ones);
#  - a real scanner that completed a handshake with A is dropped;
#  - limits are per address: one loud listed address does not starve
#    another;
#  - an address added to the allowlist and reloaded is unlisted at once;
#  - `rstmonctl bans` lists what is listed; `rstmonctl unban ADDR` lifts a
#    listing, for root, not for a member of the socket's group.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/alert-lib.sh"

FORGED=10.99.0.77	# nobody has it
LOUD=10.99.0.3		# B's, listed, floods
QUIET=10.99.0.4		# B's, listed, asks little
VICTIM=10.201.0.9	# the flood's forged source
setup_netns
load_rules
ip -n "$NS_B" addr add $LOUD/24 dev vb
ip -n "$NS_B" addr add $QUIET/24 dev vb
# A answers forged sources through B (a gateway: no ARP for them).
ip -n "$NS_A" route add 10.200.0.0/15 via $B4 dev va
# B counts the resets it receives from A per address.
in_b nft -f - <<NFT
table inet rsttest {
	counter loud { }
	counter quiet { }
	chain input {
		type filter hook input priority filter; policy accept;
		tcp flags & rst == rst ip saddr $A4 ip daddr $LOUD counter name loud
		tcp flags & rst == rst ip saddr $A4 ip daddr $QUIET counter name quiet
	}
}
NFT
b_counter() {
	in_b nft -j list counter inet rsttest "$1" |
		jq '.nftables[] | select(.counter) | .counter.packets'
}
CONF=$TMPD/rstmond.conf
printf 'ratelimit = yes\nratelimit-mode = drop\nalert-quiet = 3\nrate-warmup = 0\n' >"$CONF"
# The socket's group (setgid directory) is the applications' uid 1234:
# it may read, not unban.
RUN=$TMPD/run
install -d -o root -g $APP_UID -m 2750 "$RUN"
SOCK=$RUN/rstmond.sock
start_daemon -c "$CONF"

# scan SRC FIRSTPORT: 20 SYNs from SRC (forged or not) to closed ports.
scan() {
	in_b "$RSTGEN" -q --dst $A4 --src "$1" --dport "$2-$(($2 + 19))" \
		--count 20 --rate 200
}

# --- a forged scan: limited, not dropped --------------------------------------
scan $FORGED 2000
wait_until 10 set_has ratelimit4 $FORGED ||
	fail "$FORGED not limited: $(grep action= "$DAEMON_LOG")"
log_full "^rstmond: action=drop state=refused remote=$FORGED reason=unproven alert=port_scan" >/dev/null ||
	fail "no refusal line: $(grep action= "$DAEMON_LOG")"
assert_eq "forged scanner in drop4" "" "$(set_elems drop4)"
assert_eq "status: refused unproven" 1 "$(status_get .actions.refused_unproven)"

# --- a forged SYN flood: its loudest victim limited, never dropped ------------
in_b "$RSTGEN" -q --dst $A4 --rand-src 10.200.0.0/16 --dport 80-82 \
	--flags S --count 6000 --rate 2000
in_b "$RSTGEN" -q --dst $A4 --src $VICTIM --dport 80 --flags S \
	--count 300 --rate 3000
wait_until 10 has_alert syn_flood all || fail "no syn_flood: $(alerts_json)"
wait_until 10 set_has ratelimit4 $VICTIM ||
	fail "$VICTIM not limited: $(grep action= "$DAEMON_LOG")"
assert_eq "flood victim in drop4" "" "$(set_elems drop4)"

# --- a real scanner: it completed a handshake, it is dropped -------------------
serve_a SRV $A4 7500 rst-listener
traffic_b connect $A4 7500 --count 1 --http >/dev/null
"$TOP/tests/integration/wait-inventory.sh" "$SOCK" >/dev/null
scan $B4 2100
wait_until 10 set_has drop4 $B4 || fail "$B4 not dropped: $(grep action= "$DAEMON_LOG")"
assert_eq "drop4 holds the proven scanner only" "$B4" "$(set_elems drop4 | cut -d' ' -f1)"

# --- per-address limits: a loud listed address does not starve another ------
scan $LOUD 2200
scan $QUIET 2300
wait_until 10 set_has ratelimit4 $QUIET || fail "$QUIET not limited"
wait_until 10 set_has ratelimit4 $LOUD || fail "$LOUD not limited"
q0=$(b_counter quiet)
in_b "$RSTGEN" -q --dst $A4 --src $LOUD --dport 6000-6999 --count 500 --rate 5000
in_b "$RSTGEN" -q --dst $A4 --src $QUIET --dport 6000-6004 --count 5 --rate 1000
settled() { [ "$(b_counter quiet)" -ge $((q0 + 5)) ]; }
wait_until 10 settled || true
# Its own burst of 5 is untouched by the other's 500 (one shared bucket
# would have been empty).
assert_eq "resets the quiet listed address received" 5 $(( $(b_counter quiet) - q0 ))

# --- bans and unban ---------------------------------------------------------------
# While the syn_flood lasts it lists its loudest remotes again every tick:
# unban once it is over.
flood_over() { ! has_alert syn_flood all; }
wait_until 60 flood_over || fail "syn_flood never cleared: $(alerts_json)"
ctl bans --json | jq -c '.[] | {remote, mode, alert}' >&2
assert_eq "bans: the proven scanner" "drop port_scan" \
	"$(ctl bans --json | jq -r '.[] | select(.remote == "'$B4'") | "\(.mode) \(.alert)"')"
assert_eq "bans: the forged scanner" "rst port_scan" \
	"$(ctl bans --json | jq -r '.[] | select(.remote == "'$FORGED'") | "\(.mode) \(.alert)"')"
assert_eq "bans: the flood's victim" "rst syn_flood" \
	"$(ctl bans --json | jq -r '.[] | select(.remote == "'$VICTIM'") | "\(.mode) \(.alert)"')"
ctl bans | grep -q "^$FORGED " || fail "bans table: $(ctl bans)"
CTL_APP=$(for_uid "$RSTMONCTL")
rc=0
as_app "$CTL_APP" -s "$SOCK" unban $QUIET >"$TMPD/unban.out" 2>&1 || rc=$?
assert_eq "unban by uid $APP_UID: exit status" 1 $rc
grep -q "unban: permission denied" "$TMPD/unban.out" ||
	fail "unban by uid $APP_UID: $(cat "$TMPD/unban.out")"
set_has ratelimit4 $QUIET || fail "$QUIET unlisted by a refused unban"
assert_eq "unban by root" "rstmond: $QUIET unlisted" "$(ctl unban $QUIET)"
set_has ratelimit4 $QUIET && fail "$QUIET still in ratelimit4 after unban"
assert_eq "unban of what is not listed" "rstmond: 192.0.2.1 was not listed" \
	"$(ctl unban 192.0.2.1)"
rc=0; ctl unban nonsense >/dev/null 2>&1 || rc=$?
assert_eq "unban of a non-address: exit status" 1 $rc

# --- allowlisted and reloaded: unlisted at once ---------------------------------
printf 'allow = %s\n' $B4 >>"$CONF"
ctl reload >/dev/null
gone() { ! set_has ratelimit4 $B4 && ! set_has drop4 $B4; }
wait_until 10 gone || fail "$B4 still listed: $(set_elems ratelimit4) / $(set_elems drop4)"
log_full "^rstmond: action=ratelimit state=removed remote=$B4 reason=allowlisted" >/dev/null ||
	fail "no removal line: $(grep action= "$DAEMON_LOG")"
log "ok: $B4 unlisted at the reload"
# And a firewall reload does not bring it back.
in_a nft -f "$TOP/rules/rstmon.nft"
ticks 3
assert_eq "after the rules' reload, drop4" "" "$(set_elems drop4)"
set_has ratelimit4 $B4 && fail "$B4 restored after the rules' reload"
stop_daemon
log "PASS"
