#!/bin/bash
# nftset.sh: how long it takes to put N addresses in the rate-limit sets
# of rules/rstmon.nft -- rstmond's way (nftsock_set_add: one netlink batch,
# in process), next to `nft -f` with one file of N elements, and next to
# fail2ban's way (one `nft add element` process per address, timed for a
# smaller count and extrapolated).  Prints a table; asserts only that the
# sets really hold what was added.  Needs root and `make
# tests/bench/nftset_bench`; runs only in a network namespace it creates
# and removes on every exit path; the root namespace's firewall is never
# touched.
#   N=10000 (addresses per add, at most 65536)   RUNS=5 (min/median/max)
#   PER_PROCESS=200 (addresses added the fail2ban way, per run)
. "$(dirname "$0")/../integration/lib.sh"

N=${N:-10000}
RUNS=${RUNS:-5}
PER_PROCESS=${PER_PROCESS:-200}
BENCH=${BENCH:-$TOP/tests/bench/nftset_bench}
# Only one namespace here; lib.sh's cleanup and in_a work on NS_A (it
# also tries NS_B, which this script never creates).
NS_A=rstmon-bench-$$

require_root
[ -x "$BENCH" ] || fail "$BENCH is missing: make tests/bench/nftset_bench"
if [ "$N" -lt 1 ] || [ "$N" -gt 65536 ]; then
	fail "N must be 1..65536 (the sets' size)"
fi
if [ "$PER_PROCESS" -lt 1 ] || [ "$PER_PROCESS" -gt 65536 ]; then
	fail "PER_PROCESS must be 1..65536"
fi
trap cleanup EXIT
trap 'exit 130' INT TERM
TMPD=$(mktemp -d /tmp/rstmon-bench.XXXXXX)
ip netns add "$NS_A"

# set_size SET: elements in inet rstmon SET, as nft itself lists them.
set_size() {
	in_a nft -j list set inet rstmon "$1" |
		jq '.nftables[] | select(.set) | .set.elem | length'
}

expect_size() {
	local got
	got=$(set_size "$1")
	[ "$got" = "$2" ] || fail "run $run: $1 holds $got elements, expected $2"
}

# v4addrs FROM COUNT: addresses of 198.18.0.0/15 numbered as nftset_bench
# numbers them, one a line.
v4addrs() {
	awk -v from="$1" -v n="$2" 'BEGIN {
		for (i = from; i < from + n; i++)
			printf "198.%d.%d.%d\n", 18 + int(i / 65536),
				int(i / 256) % 256, i % 256
	}'
}

# The same N addresses as one nft command, and PER_PROCESS of them, one a
# line, for the fail2ban loop.
v4addrs 0 "$N" | awk '
	BEGIN { printf "add element inet rstmon ratelimit4 {" }
	{ printf "%s %s timeout 10m", (NR > 1 ? "," : ""), $1 }
	END { print " }" }' >"$TMPD/batch.nft"
v4addrs 0 "$PER_PROCESS" >"$TMPD/addrs"

# timed_in_ns CMD: run the shell command CMD in the namespace, print the
# milliseconds it took.  The clock runs inside the namespace, so that
# `ip netns exec` itself is not counted.
timed_in_ns() {
	local us
	# shellcheck disable=SC2016 # expanded by the inner sh
	us=$(in_a sh -ec 't0=$(date +%s%N); '"$1"'; t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 ))')
	awk -v us="$us" 'BEGIN { printf "%.3f\n", us / 1000 }'
}

: >"$TMPD/times"	# lines: METHOD FAMILY COUNT MS
for run in $(seq "$RUNS"); do
	# Each method starts from a freshly loaded table: empty sets.
	load_rules
	# It prints "ipv4 N MS" and "ipv6 N MS".
	in_a "$BENCH" -n "$N" >"$TMPD/run" || fail "run $run: $BENCH failed"
	sed 's/^/rstmond /' "$TMPD/run" >>"$TMPD/times"
	expect_size ratelimit4 "$N"
	expect_size ratelimit6 "$N"

	load_rules
	ms=$(timed_in_ns "nft -f '$TMPD/batch.nft'")
	echo "nft-f ipv4 $N $ms" >>"$TMPD/times"
	expect_size ratelimit4 "$N"

	load_rules
	ms=$(timed_in_ns "while read -r a; do
		nft add element inet rstmon ratelimit4 \"{ \$a timeout 10m }\"
		done <'$TMPD/addrs'")
	echo "per-process ipv4 $PER_PROCESS $ms" >>"$TMPD/times"
	expect_size ratelimit4 "$PER_PROCESS"
done

# row METHOD FAMILY LABEL: min/median/max ms over the runs, µs per
# address at the median, and what 10,000 addresses take at that rate.
row() {
	awk -v m="$1" -v f="$2" '$1 == m && $2 == f { print $3, $4 }' \
		"$TMPD/times" | sort -k2,2g |
		awk -v f="$2" -v label="$3" '
		{ n = $1; v[NR] = $2 }
		END {
			med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			per = med * 1000 / n
			ten = per * 10000 / 1000
			printf "%-40s %-5s %6d %9.1f %9.1f %9.1f %10.1f %11.1f%s\n",
				label, f, n, v[1], med, v[NR], per, ten,
				n == 10000 ? "" : " (extrapolated)"
		}'
}

printf 'nftset bench: %d run(s), kernel %s, %s, %s\n' "$RUNS" \
	"$(uname -r)" "$(nft --version | awk '{ print $1, $2 }')" \
	"$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
printf '%-40s %-5s %6s %9s %9s %9s %10s %11s\n' method family addrs \
	"min ms" "median ms" "max ms" "us/addr" "10,000 ms"
row rstmond ipv4 "nftsock_set_add (rstmond, one batch)"
row rstmond ipv6 "nftsock_set_add (rstmond, one batch)"
row nft-f ipv4 "nft -f FILE (one process, one batch)"
row per-process ipv4 "nft add element per address (fail2ban)"
echo "Each run starts each method from empty sets (rules reloaded) and checks"
echo "that the set then holds every address; timeout 10 min per element."
