#!/bin/bash
# Run every numbered integration test; each is bounded in time.  A test
# that exits 77 is skipped (not root); any other non-zero status fails.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
limit=${TEST_TIMEOUT:-300}
pass=0 failed=0 skipped=0 failures=
for t in "$dir"/[0-9][0-9]-*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${TESTS:-}" ] && ! printf '%s\n' $TESTS | grep -qx "$name"; then
		continue
	fi
	start=$(date +%s)
	timeout --kill-after=10 "$limit" "$t"
	rc=$?
	took=$(( $(date +%s) - start ))
	case $rc in
	0) pass=$((pass + 1)); echo "PASS  $name (${took}s)" ;;
	77) skipped=$((skipped + 1)); echo "SKIP  $name" ;;
	*) failed=$((failed + 1)); failures="$failures $name"
	   echo "FAIL  $name (status $rc, ${took}s)" ;;
	esac
done
echo "integration: $pass passed, $failed failed, $skipped skipped"
[ $skipped -gt 0 ] && [ $pass -eq 0 ] && [ $failed -eq 0 ] &&
	echo "integration: all skipped: run as root (sudo make check)"
[ $failed -eq 0 ] || { echo "failed:$failures"; exit 1; }
