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

# Config keys: the long options the file parser takes, asked of rstmond
# itself (it refuses the others as "unknown key"), so that no list here
# can rot.  Each must be in the example config, as "#key = default", and
# in rstmond.conf(5), as '.B "key = ' (.BI, .BR too).
rstmond=$top/src/rstmond
conf=$top/contrib/rstmond.conf
man5=$top/man/rstmond.conf.5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
keys=
for opt in $("$rstmond" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
	key=${opt#--}
	case $key in help|version) continue ;; esac
	printf '%s = \n' "$key" >"$tmp/probe.conf"
	out=$("$rstmond" -n -c "$tmp/probe.conf" 2>&1) || true
	case $out in
	*"unknown key '$key'"*) continue ;;
	*"configuration OK"*|*"probe.conf:1: "*) keys="$keys $key" ;;
	*) echo "docs-check: is $key a config key? rstmond -n says: $out" >&2
	   rc=1 ;;
	esac
done
[ -n "$keys" ] || { echo "docs-check: rstmond knows no config key" >&2; rc=1; }
for key in $keys; do
	esc=$(printf '%s' "$key" | sed 's/-/\\\\-/g')
	grep -Eq "^#?$key =" "$conf" || {
		echo "docs-check: config key $key is not in contrib/rstmond.conf" >&2; rc=1; }
	grep -q "^\.B[IR]* \"$esc = " "$man5" || {
		echo "docs-check: config key $key is not in rstmond.conf.5" >&2; rc=1; }
done

# The example shows the defaults --help states ("(default X)").
"$rstmond" --help | sed -n 's/^ *\(-., \)\{0,1\}--\([a-z0-9-]*\).*(default \([^) ]*\))$/\2 \3/p' |
while read -r key def; do
	case " $keys " in *" $key "*) ;; *) continue ;; esac
	val=$(sed -n "s/^#\{0,1\}$key = *//p" "$conf")
	[ "$val" = "$def" ] || {
		echo "docs-check: contrib/rstmond.conf: $key = '$val', but --help says the default is $def" >&2
		exit 1; }
done || rc=1

# rstmond.conf(5) states the same defaults: the line after a key's
# heading reads "type [bounds], default X."
"$rstmond" --help | sed -n 's/^ *\(-., \)\{0,1\}--\([a-z0-9-]*\).*(default \([^) ]*\))$/\2 \3/p' |
while read -r key def; do
	case " $keys " in *" $key "*) ;; *) continue ;; esac
	said=$(awk -v key="$key" '
		function clean(t) { gsub(/\\-/, "-", t); sub(/[.:,]$/, "", t); return t }
		state == 0 { h = $0; gsub(/\\-/, "-", h)
			if (h ~ "^\\.B[IR]* \"" key " = ") state = 1; next }
		state == 1 && /default$/ { state = 2; next }
		state == 1 { if (match($0, /default [^ ]+/))
				print clean(substr($0, RSTART + 8, RLENGTH - 8))
			exit }
		state == 2 { sub(/^\.[BIR]+ /, ""); print clean($1); exit }
	' "$man5")
	[ "$said" = "$def" ] || {
		echo "docs-check: rstmond.conf.5: $key: default '$said', but --help says $def" >&2
		exit 1; }
done || rc=1

# The example passes `rstmond -n` as shipped (all commented out), and with
# every setting uncommented: each shows its default, and every default is
# a valid value (an empty one means none), so no line needs skipping.
out=$("$rstmond" -n -c "$conf" 2>&1) || {
	echo "docs-check: rstmond -n rejects contrib/rstmond.conf: $out" >&2; rc=1; }
sed 's/^#\([a-z][a-z0-9-]* =\)/\1/' "$conf" >"$tmp/uncommented.conf"
n=$(grep -c '^[a-z]' "$tmp/uncommented.conf") || true
[ "$n" -eq "$(echo $keys | wc -w)" ] || {
	echo "docs-check: contrib/rstmond.conf sets $n keys, rstmond has $(echo $keys | wc -w)" >&2; rc=1; }
out=$("$rstmond" -n -c "$tmp/uncommented.conf" 2>&1) || {
	echo "docs-check: rstmond -n rejects contrib/rstmond.conf uncommented: $out" >&2; rc=1; }

# rstmond.conf(5) says: an error names file:line, and -n then exits 1.
printf '# a comment\nno-such-key = 1\n' >"$tmp/bad.conf"
st=0
out=$("$rstmond" -n -c "$tmp/bad.conf" 2>&1) || st=$?
case $st:$out in
"1:rstmond: $tmp/bad.conf:2: "*) ;;
*) echo "docs-check: rstmond -n on a bad file: status $st, '$out' (rstmond.conf.5 says 1, 'file:line: ...')" >&2
   rc=1 ;;
esac

[ $rc -eq 0 ] && echo "docs-check: ok"
exit $rc
