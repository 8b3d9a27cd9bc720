#!/bin/sh
# install-deps.sh [build|test|bench]: install the Debian 12 packages rstmon
# needs, only those missing.  Quiet when everything is there.  Idempotent.
#   build: compile rstmond/rstmonctl          (make)
#   test:  build + run the tests              (make check; default)
#   bench: test + the benchmark's competitors (make bench)
set -eu

what=${1:-test}
build="gcc make pkg-config libmnl-dev libnetfilter-log-dev libnftnl-dev \
libnftables-dev libcap-ng-dev libseccomp-dev libjansson-dev"
run="nftables iproute2"
test="check jq python3 python3-prometheus-client nmap hping3 procps util-linux iptables \
fail2ban logrotate python3-yaml"
bench="tcpdump valgrind"

case $what in
build) pkgs="$build $run" ;;
test) pkgs="$build $run $test" ;;
bench) pkgs="$build $run $test $bench" ;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: run as root (sudo make check / sudo make run), or: sudo apt-get install$missing" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: no apt-get here; install by hand:$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# fail2ban is here for fail2ban-regex only (the tests check our filter):
# its service must not start, or its default sshd jail would ban
# addresses on this host.  policy-rc.d stops invoke-rc.d starting it.
guard=
case " $missing " in *" fail2ban "*)
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		guard=yes
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi ;;
esac
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
if [ -n "$guard" ] && command -v systemctl >/dev/null 2>&1; then
	systemctl disable fail2ban >/dev/null 2>&1 || true
fi
