#!/bin/bash
# Rules, start-up, errors and exit: the rules file loads twice and never
# touches other tables; --rules installs and removes its table; every
# start-up error says what is wrong and what to do; exit leaves nothing.
. "$(dirname "$0")/lib.sh"

setup_netns

expect_fail() {
	# expect_fail STATUS PATTERN CMD…: CMD exits with STATUS and says PATTERN
	local want=$1 pat=$2 rc=0; shift 2
	"$@" >"$TMPD/out" 2>&1 || rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want: $(cat "$TMPD/out")"
	grep -q -- "$pat" "$TMPD/out" || fail "'$*' did not say '$pat': $(cat "$TMPD/out")"
	log "ok: '$*' -> $rc, says '$pat'"
}

# --- rules file: its own table only, loadable twice -------------------
in_a nft -f - <<'NFT'
table inet other {
	set keep { type ipv4_addr; elements = { 192.0.2.1 } }
	chain output { type filter hook output priority 10; policy accept;
		tcp dport 9 counter
	}
}
NFT
before=$(in_a nft list table inet other)
load_rules
load_rules
assert_eq "other table untouched" "$before" "$(in_a nft list table inet other)"
assert_eq "one rstmon table" 1 "$(in_a nft list tables | grep -c 'table inet rstmon')"
assert_eq "one logging rule" 1 "$(in_a nft list chain inet rstmon output | grep -c 'log group 5')"
in_a nft delete table inet rstmon

# --- argument and config errors ---------------------------------------
# -n answers 0 (good) or 1 (bad); without it a config error is a usage
# error (2).
expect_fail 1 "out of range" "$RSTMOND" -g 70000 -n
expect_fail 2 "out of range" "$RSTMOND" -g 70000 -f
expect_fail 2 "unknown" "$RSTMOND" --no-such-flag
expect_fail 2 "unexpected argument" "$RSTMOND" -f stray
printf 'group = 7\nbogus = 1\n' >"$TMPD/bad.conf"
expect_fail 1 "bad.conf:2: unknown key 'bogus'" "$RSTMOND" -c "$TMPD/bad.conf" -n
expect_fail 1 "No such file" "$RSTMOND" -c "$TMPD/missing.conf" -n
printf '# ok\ngroup = 7\nrcvbuf = 4M\n' >"$TMPD/good.conf"
"$RSTMOND" -c "$TMPD/good.conf" -n | grep -q "configuration OK" || fail "-n on a good config"
expect_fail 2 "needs -f" "$RSTMOND" -e -
"$RSTMOND" --help | grep -q -- "--rules FILE" || fail "--help lacks --rules"
"$RSTMOND" -V | grep -q "^rstmond [0-9]" || fail "-V"

# --- rstmonctl without a daemon ----------------------------------------
expect_fail 1 "is rstmond running" "$RSTMONCTL" -s "$TMPD/none.sock" status
expect_fail 2 "unknown command" "$RSTMONCTL" -s "$TMPD/none.sock" frobnicate

# --- no rules loaded: a warning, not an exit; a firewall's own rule in
# another table logging to the group still feeds rstmond ---------------
in_a nft -f - <<'NFT'
table inet fw {
	chain output { type filter hook output priority 0; policy accept;
		tcp flags & rst == rst log group 5
	}
}
NFT
start_daemon
grep -q "no table inet rstmon" "$DAEMON_LOG" || fail "missing-rules warning"
assert_eq "reconcile available" false "$(status_get .reconcile.available)"
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 100-119 --flags S --count 20
wait_until 10 caught_up 20 || fail "resets from the firewall's rule not seen"
assert_eq "events via the firewall's rule" 20 "$(status_get .events_total)"

# --- a second daemon: group taken, then socket taken ------------------
expect_fail 1 "another program.*CAP_NET_ADMIN" \
	ip netns exec "$NS_A" "$RSTMOND" -f -g $GROUP -s "$TMPD/second.sock"
[ -e "$TMPD/second.sock" ] && fail "failed daemon left its socket"
expect_fail 1 "in use by a running rstmond" \
	ip netns exec "$NS_A" "$RSTMOND" -f -g 6 -s "$SOCK"
ctl status >/dev/null || fail "the first daemon lost its socket"
stop_daemon
[ -e "$SOCK" ] && fail "control socket left behind"
in_a nft delete table inet fw

# --- without CAP_NET_ADMIN: the same EPERM, and the message says both -
expect_fail 1 "lacks CAP_NET_ADMIN" ip netns exec "$NS_A" \
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$(for_uid "$RSTMOND")" -f -s "$TMPD/nobody.sock"

# --- --rules: installed at start, removed at exit ---------------------
start_daemon --rules "$TOP/rules/rstmon.nft"
in_a nft list table inet rstmon >/dev/null || fail "--rules did not install"
assert_eq "reconcile available" true "$(status_get .reconcile.available)"
stop_daemon
in_a nft list table inet rstmon >/dev/null 2>&1 && fail "table left behind"
[ -e "$SOCK" ] && fail "control socket left behind"
expect_fail 1 "rstmon.nft" ip netns exec "$NS_A" "$RSTMOND" -f \
	-s "$SOCK" --rules /nonexistent/rstmon.nft

# --- --netns: started from the root namespace, watching namespace A --
root_has_table() { nft list table inet rstmon >/dev/null 2>&1; }
root_had=no
root_has_table && root_had=yes
"$RSTMOND" -f -g $GROUP -s "$SOCK" --netns "$NS_A" \
	--rules "$TOP/rules/rstmon.nft" >>"$DAEMON_LOG" 2>&1 &
DAEMON_PID=$!
wait_until 10 ctl status || fail "rstmond --netns did not come up"
in_a nft list table inet rstmon >/dev/null || fail "--netns: rules not in A"
[ $root_had = no ] && root_has_table && fail "--netns touched the root namespace"
in_b "$RSTGEN" -q --dst $A4 --src $B4 --dport 100-109 --flags S --count 10
wait_until 10 caught_up 10 || fail "--netns: resets not seen"
assert_eq "--netns events" 10 "$(status_get .events_total)"
assert_eq "--netns kernel out_rsts" 10 "$(status_get .kernel.out_rsts_since_start)"
stop_daemon
in_a nft list table inet rstmon >/dev/null 2>&1 && fail "--netns: table left behind"
expect_fail 1 "no-such-ns" "$RSTMOND" -f -s "$TMPD/x.sock" --netns no-such-ns

# --- background mode: the parent returns once ready, errors reach it --
ip netns exec "$NS_A" "$RSTMOND" -g $GROUP -s "$SOCK" --rules "$TOP/rules/rstmon.nft" \
	|| fail "background start failed"
pid=$(status_get .pid)
ctl status >/dev/null
expect_fail 1 "another program" ip netns exec "$NS_A" "$RSTMOND" -g $GROUP \
	-s "$TMPD/third.sock"
kill -TERM "$pid"
gone() { ! kill -0 "$pid"; }
wait_until 10 gone || fail "background rstmond did not exit on SIGTERM"
[ -e "$SOCK" ] && fail "control socket left behind"
in_a nft list table inet rstmon >/dev/null 2>&1 && fail "table left behind"

log "PASS"
