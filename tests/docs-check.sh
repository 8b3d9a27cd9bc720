#!/bin/sh
# docs-check: every option rstmond --help and rstmonctl --help print is
# documented in its man page, and every interface name in the README
# status example exists.  No root needed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rc=0
check() {
	# check BINARY MANPAGE
	for opt in $("$1" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
		esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		if ! grep -q -- "$esc\|$opt" "$2"; then
			echo "docs-check: $opt of $(basename "$1") is not in $(basename "$2")" >&2
			rc=1
		fi
	done
}
check "$top/src/rstmond" "$top/man/rstmond.8"
check "$top/src/rstmonctl" "$top/man/rstmonctl.8"
for verb in $("$top/src/rstmonctl" --help | awk '/^commands:/{c=1; next} /^$/{c=0} c{print $1}'); do
	grep -Eq "^\.BR? \"?$verb( |\"|\$)" "$top/man/rstmonctl.8" || {
		echo "docs-check: command $verb is not in rstmonctl.8" >&2; rc=1; }
	grep -q "rstmonctl.* $verb" "$top/README.md" || {
		echo "docs-check: command $verb is not in README.md" >&2; rc=1; }
done
[ $rc -eq 0 ] && echo "docs-check: ok"
exit $rc
