#!/bin/sh
# run.sh [target...]: run each fuzz target (built by `make fuzz-build`) for
# FUZZ_SECONDS (default 60) on a scratch copy of tests/fuzz/corpus/<target>,
# so that a run never grows the committed corpus.  Every target runs even
# after one fails; the exit status is non-zero when any found a crash, a
# leak or a timeout.  Its input lands in tests/fuzz/artifacts/<target>/.
set -eu

cd "$(dirname "$0")/../.."
fuzz=tests/fuzz
seconds=${FUZZ_SECONDS:-60}
[ $# -gt 0 ] || set -- packet nflog sockdiag proc config control trace json \
	httpd

scratch=$(mktemp -d "${TMPDIR:-/tmp}/rstmon-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

failed=
for t in "$@"; do
	bin=$fuzz/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin is not built (make fuzz-build)" >&2
		exit 1
	fi
	mkdir -p "$scratch/$t" "$fuzz/artifacts/$t"
	cp "$fuzz/corpus/$t"/* "$scratch/$t/"
	printf '\n=== fuzz_%s for %ss\n' "$t" "$seconds"
	# -timeout: a single input taking this long is a hang, reported as
	# a failure like a crash.
	if ! "$bin" -max_total_time="$seconds" -timeout=10 \
		-artifact_prefix="$fuzz/artifacts/$t/" -print_final_stats=1 \
		"$scratch/$t"; then
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "run.sh: failed:$failed (inputs in $fuzz/artifacts/)" >&2
	exit 1
fi
echo "run.sh: no crash in$(printf ' %s' "$@")"
