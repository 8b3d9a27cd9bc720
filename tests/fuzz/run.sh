#!/bin/sh
# Build the packet parser fuzzer and run it for a while; non-zero on a crash.
# FUZZ_SECONDS (default 60) bounds the run.  Crash inputs land in
# tests/fuzz/ as crash-*; the corpus grows in tests/fuzz/corpus-run.
set -eu

cd "$(dirname "$0")/../.."
fuzz=tests/fuzz
corpus=$fuzz/corpus-run

if ! command -v clang >/dev/null 2>&1; then
	echo "run.sh: clang is needed (libFuzzer)" >&2
	exit 1
fi

# shellcheck disable=SC2046 # pkg-config output is a word list
clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -D_GNU_SOURCE \
	-o $fuzz/fuzz_packet $fuzz/fuzz_packet.c src/packet.c \
	$(pkg-config --cflags --libs libmnl libnetfilter_log)

# Write the bytes of a hex string to a file (POSIX printf knows octal).
seed() {
	hex=$1 fmt=
	[ $((${#hex} % 2)) -eq 0 ] || { echo "run.sh: odd hex" >&2; exit 1; }
	while [ -n "$hex" ]; do
		byte=${hex%"${hex#??}"}
		hex=${hex#??}
		fmt="$fmt\\$(printf '%03o' "0x$byte")"
	done
	# shellcheck disable=SC2059 # fmt holds only octal escapes
	printf "$fmt" >"$2"
}

ipv4_rst=450000280000400040060000c0000201c6336402\
0050d43100000000123456795014000000000000
ipv6_rst=6000000000140640\
20010db8000000000000000000000001\
20010db8000000000000000000000002\
01bbc35001020304000000005004000000000000
# One NFLOG message (host order is little endian here) holding ipv4_rst.
nflog=5000000000040000000000000000000002000005\
080001000800030008000c000000002a2c000900$ipv4_rst

mkdir -p $corpus
seed "$ipv4_rst" $corpus/seed-ipv4-rst
seed "$ipv6_rst" $corpus/seed-ipv6-rst
seed "$nflog" $corpus/seed-nflog-ipv4-rst

# libFuzzer exits non-zero when it finds a crash; set -e passes that on.
$fuzz/fuzz_packet -max_total_time="${FUZZ_SECONDS:-60}" \
	-artifact_prefix=$fuzz/ -print_final_stats=1 $corpus
