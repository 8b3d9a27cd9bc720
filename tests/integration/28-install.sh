#!/bin/bash
# make install / uninstall into a DESTDIR (never the real system): exactly
# the expected files with their modes, a unit without placeholders that
# systemd-analyze verify accepts, an example config that rstmond -n
# accepts, an admin's own config kept, and uninstall removing everything
# install put.  No namespaces, no root needed.
. "$(dirname "$0")/lib.sh"

trap cleanup EXIT
trap 'exit 130' INT TERM
TMPD=$(mktemp -d /tmp/rstmon-test.XXXXXX)
ROOT=$TMPD/root
CONF=$ROOT/etc/rstmon/rstmond.conf

# mk TARGET: make TARGET for PREFIX=/usr/local into $ROOT.  Not the
# caller's MAKEFLAGS: a parent make's jobserver is not ours.
mk() {
	MAKEFLAGS= make -C "$TOP" --no-print-directory "$1" DESTDIR="$ROOT" \
		PREFIX=/usr/local >"$TMPD/make.log" 2>&1 ||
		fail "make $1: $(tail -n 20 "$TMPD/make.log")"
	! grep -q useradd "$TMPD/make.log" ||
		fail "make $1 with DESTDIR tried to create the user"
}
# What is under $ROOT: files as "MODE PATH", directories as "dir PATH".
tree() {
	(cd "$ROOT" && find . -mindepth 1 ! -type d -printf '%m %P\n' &&
		find . -mindepth 1 -type d -printf 'dir %P\n') | sort
}
same_tree() {
	# same_tree WHAT EXPECTED: the tree is exactly EXPECTED.
	local got
	got=$(tree)
	[ "$got" = "$2" ] || fail "$1: $(diff <(echo "$2") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	log "ok: $1 ($(echo "$got" | grep -vc '^dir'))"
}

# Directories install makes and uninstall leaves: they may be shared.
GENERIC_DIRS="dir etc
dir usr
dir usr/local
dir usr/local/bin
dir usr/local/lib
dir usr/local/lib/systemd
dir usr/local/lib/systemd/system
dir usr/local/libexec
dir usr/local/sbin
dir usr/local/share
dir usr/local/share/man
dir usr/local/share/man/man5
dir usr/local/share/man/man8"
hooks=$(cd "$TOP/contrib/hooks" && for h in rstmon-*; do
	echo "755 usr/local/libexec/rstmon/$h"; done)
EXPECTED=$(sort <<EOF
$GENERIC_DIRS
dir etc/rstmon
dir usr/local/libexec/rstmon
dir usr/local/share/rstmon
644 etc/rstmon/rstmond.conf
755 usr/local/bin/rstmonctl
644 usr/local/lib/systemd/system/rstmond.service
$hooks
755 usr/local/sbin/rstmond
644 usr/local/share/man/man5/rstmond.conf.5
644 usr/local/share/man/man8/rstmonctl.8
644 usr/local/share/man/man8/rstmond.8
644 usr/local/share/rstmon/rstmon.ip6tables
644 usr/local/share/rstmon/rstmon.iptables
644 usr/local/share/rstmon/rstmon.nft
EOF
)

umask 022
mk install
same_tree "install: the expected files" "$EXPECTED"

UNIT=$ROOT/usr/local/lib/systemd/system/rstmond.service
! grep -n '@[A-Z_]*@' "$UNIT" || fail "a placeholder is left in the unit"
assert_eq "the unit's ExecStart" \
	"/usr/local/sbin/rstmond -f -u rstmon --rules /usr/local/share/rstmon/rstmon.nft" \
	"$(sed -n 's/^ExecStart=//p' "$UNIT")"
if command -v systemd-analyze >/dev/null; then
	# A copy whose paths lead into $ROOT, so that the installed
	# binary is what must exist; man finds the installed pages.
	mkdir "$TMPD/verify"
	sed "s|/usr/local/|$ROOT/usr/local/|g" "$UNIT" >"$TMPD/verify/rstmond.service"
	out=$(MANPATH=$ROOT/usr/local/share/man \
		systemd-analyze verify "$TMPD/verify/rstmond.service" 2>&1) ||
		fail "systemd-analyze verify: $out"
	[ -z "$out" ] || fail "systemd-analyze verify says: $out"
	log "ok: systemd-analyze verify accepts the unit"
else
	log "no systemd-analyze: the unit is not verified"
fi

cmp -s "$TOP/contrib/rstmond.conf" "$CONF" || fail "$CONF is not the example"
out=$("$RSTMOND" -n -u rstmon -c "$CONF" 2>&1) ||
	fail "rstmond -n rejects the installed example: $out"
log "ok: rstmond -n accepts the installed example"

# Again: nothing more (the config is the example: no .example).
mk install
same_tree "install again: the same files" "$EXPECTED"

# An admin's own config is kept; the example goes next to it.
echo "scan-ports = 20" >>"$CONF"
mk install
grep -q "kept $CONF" "$TMPD/make.log" || fail "install did not say it kept $CONF"
same_tree "install over a changed config: + .example" "$(sort <<EOF
$EXPECTED
644 etc/rstmon/rstmond.conf.example
EOF
)"
tail -n 1 "$CONF" | grep -qx "scan-ports = 20" || fail "install changed $CONF"

mk uninstall
grep -q "kept $CONF" "$TMPD/make.log" || fail "uninstall did not say it kept $CONF"
same_tree "uninstall: only the changed config is left" "$(sort <<EOF
$GENERIC_DIRS
dir etc/rstmon
644 etc/rstmon/rstmond.conf
EOF
)"

# The config back to the example: uninstall removes it, and its directory.
cp "$TOP/contrib/rstmond.conf" "$CONF"
mk uninstall
same_tree "uninstall: nothing left but the generic directories" \
	"$(sort <<<"$GENERIC_DIRS")"

# A fresh install and its uninstall leave the same.
mk install
mk uninstall
same_tree "install, uninstall: nothing left" "$(sort <<<"$GENERIC_DIRS")"
log "PASS"
