# rstmon — plain GNU make.  `make help` lists the targets.

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/rstmon
UNITDIR ?= $(PREFIX)/lib/systemd/system
# The example hooks, where contrib/hooks' headers say they are.
HOOKDIR ?= $(PREFIX)/libexec/rstmon
# rstmond reads /etc/rstmon/rstmond.conf (compiled in) whatever PREFIX is.
SYSCONFDIR ?= /etc

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wold-style-definition -Wpointer-arith \
	-Wcast-qual -Wwrite-strings -Wundef -Wvla -Wnull-dereference \
	-Wimplicit-fallthrough -Wmissing-declarations -Wredundant-decls
override CFLAGS += -std=gnu11 -D_GNU_SOURCE $(WARN) -MMD -MP
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif
ifeq ($(SANITIZE),1)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
override LDFLAGS += -fsanitize=address,undefined
endif

# Deferred (=): evaluated only when a target needs them, so that
# `make check` can install a missing library before asking pkg-config.
DAEMON_PKGS := libmnl libnetfilter_log libnftnl libnftables libcap-ng \
	libseccomp
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(DAEMON_PKGS) jansson check 2>/dev/null)
DAEMON_LIBS = $(shell $(PKG_CONFIG) --libs $(DAEMON_PKGS)) -lm
CTL_LIBS = $(shell $(PKG_CONFIG) --libs jansson)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check)
override CPPFLAGS += -Isrc $(PKG_CFLAGS)

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

# Everything of the daemon but main(): unit tests link against it too.
CORE_OBJS := src/log.o src/json.o src/packet.o src/seqtrack.o \
	src/reconcile.o src/procnet.o src/config.o src/events.o \
	src/netif.o src/cause.o src/tracefmt.o src/tracejoin.o src/cgroup.o src/users.o \
	src/credits.o src/classify.o src/inventory.o src/tcp_states.o \
	src/stats.o src/topk.o src/hll.o src/addrfmt.o src/alertfmt.o \
	src/secring.o src/claim.o src/detect.o src/det_scan.o src/det_flood.o \
	src/det_down.o src/det_overflow.o src/det_storm.o src/det_rate.o \
	src/ratelimit.o src/allowlist.o src/banlist.o src/hookargs.o \
	src/proven.o src/privproto.o src/attribrules.o src/nlattr.o src/promtext.o \
	src/clock.o
DAEMON_OBJS := $(CORE_OBJS) src/capture.o src/nftsock.o src/ruleset.o \
	src/loop.o src/control.o src/privdrop.o src/status.o src/trace.o \
	src/procscan.o src/sockdiag.o src/attrib.o src/kcounters.o \
	src/rtnl.o src/pidinfo.o src/httpd.o src/metrics.o \
	src/verbs_stats.o src/verbs_bans.o src/alerts.o src/hook.o src/actions.o \
	src/tasknet.o src/notify.o src/procfd.o src/privops.o src/sandbox.o \
	src/nlreq.o src/evsink.o src/procfile.o src/configfile.o
# The client's pure formatting: unit tests link it too.
CTL_FMT_OBJS := src/ctl_fmt.o
CTL_OBJS := src/rstmonctl.o src/ctl_conn.o $(CTL_FMT_OBJS) src/ctl_status.o \
	src/ctl_top.o src/ctl_events.o src/ctl_alerts.o src/ctl_metrics.o \
	src/ctl_reload.o src/ctl_bans.o

UNIT_SRCS := $(wildcard tests/unit/check_*.c)
UNIT_OBJS := $(UNIT_SRCS:.c=.o) tests/unit/unit_main.o tests/unit/unit_config_io.o
TOOLS := tests/tools/rstgen

BINS := src/rstmond src/rstmonctl

.PHONY: all check unit docs-check integration run install uninstall clean help deps \
	test-build fuzz fuzz-build

all: $(BINS)

src/rstmond: src/rstmond.o $(DAEMON_OBJS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

src/rstmonctl: $(CTL_OBJS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(CTL_LIBS)

tests/unit/unit_tests: $(UNIT_OBJS) $(DAEMON_OBJS) $(CTL_FMT_OBJS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(DAEMON_LIBS)

# sockdiag.o: events.o in CORE_OBJS calls its tcp_state_name().
tests/bench/stats_bench: tests/bench/stats_bench.o $(CORE_OBJS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

tests/bench/nftset_bench: tests/bench/nftset_bench.o src/nftsock.o
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

# The floor of tests/bench/throughput.sh: an NFLOG reader that only counts.
tests/bench/nflog_count: tests/bench/nflog_count.o
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ \
		$(shell $(PKG_CONFIG) --libs libmnl libnetfilter_log)

# `make bench` (root): NFLOG throughput of rstmond next to a bare counter
# and tcpdump (tests/bench/throughput.sh; RUNS=3, SPOOF=1 optional).
.PHONY: bench
bench:
	@if [ "$$(id -u)" != 0 ]; then \
		echo 'make bench: needs root (network namespaces)' >&2; exit 1; fi
	@contrib/install-deps.sh bench
	@$(MAKE) --no-print-directory $(BINS) $(TOOLS) tests/bench/nflog_count
	tests/bench/throughput.sh

tests/tools/%: tests/tools/%.c
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

%.o: %.c
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

test-build: $(BINS) tests/unit/unit_tests $(TOOLS)

# `check` and `run` first install what is missing (Debian 12, apt-get),
# then build in a fresh make so pkg-config sees the new libraries.
deps:
	@contrib/install-deps.sh

check: deps
	@$(MAKE) --no-print-directory test-build
	@$(MAKE) --no-print-directory unit docs-check integration

unit: tests/unit/unit_tests
	tests/unit/unit_tests

docs-check: $(BINS)
	tests/docs-check.sh

integration: $(BINS) $(TOOLS)
	tests/integration/run-all.sh

run: deps
	@$(MAKE) -s --no-print-directory all
	src/rstmond -f -e - --rules rules/rstmon.nft

# Fuzzing (clang, libFuzzer, ASan+UBSan): one tests/fuzz/fuzz_<target> per
# parser of outside bytes (tests/fuzz/README.md).  The daemon's objects are
# built again with clang under tests/fuzz/obj/ and archived, so that each
# target links only what it calls.  `make fuzz` runs every target for
# FUZZ_SECONDS (default 60) on a scratch copy of its corpus.
FUZZ_CC ?= clang
FUZZ_TARGETS := packet nflog sockdiag proc config control trace json httpd \
	rtnl
FUZZ_BINS := $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%)
FUZZ_OBJS := $(DAEMON_OBJS:src/%=tests/fuzz/obj/%)
FUZZ_LIB := tests/fuzz/obj/librstmon.a
FUZZ_SAN := address,undefined
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE \
	$(WARN) -MMD -MP -fno-sanitize-recover=undefined
ifeq ($(WERROR),1)
FUZZ_CFLAGS += -Werror
endif

tests/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c -o $@ $<

tests/fuzz/obj/fuzz_%.o: tests/fuzz/fuzz_%.c
	@mkdir -p $(@D)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_OBJS)
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

tests/fuzz/fuzz_%: tests/fuzz/obj/fuzz_%.o $(FUZZ_LIB)
	$(call say,FUZZLD,$@)$(FUZZ_CC) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ \
		$^ $(DAEMON_LIBS) $(CTL_LIBS)

# Kept for a rebuild of one target after an edit of its harness.
.PRECIOUS: tests/fuzz/obj/fuzz_%.o

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	tests/fuzz/run.sh $(FUZZ_TARGETS)

-include $(wildcard tests/fuzz/obj/*.d)

# What install puts (uninstall removes exactly these).
RULE_FILES := rules/rstmon.nft rules/rstmon.iptables rules/rstmon.ip6tables
HOOK_FILES := $(wildcard contrib/hooks/rstmon-*)
CONF_FILE = $(DESTDIR)$(SYSCONFDIR)/rstmon/rstmond.conf

# The example config goes to rstmond.conf when there is none (or it is the
# same); an admin's own stays, and the example lands next to it.  The
# system user is created only on a real install (no DESTDIR).
install: $(BINS)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(DATADIR) $(DESTDIR)$(HOOKDIR) \
		$(DESTDIR)$(SYSCONFDIR)/rstmon $(DESTDIR)$(UNITDIR)
	install -m 0755 src/rstmond $(DESTDIR)$(SBINDIR)/rstmond
	install -m 0755 src/rstmonctl $(DESTDIR)$(BINDIR)/rstmonctl
	install -m 0644 man/rstmond.8 man/rstmonctl.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 man/rstmond.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(RULE_FILES) $(DESTDIR)$(DATADIR)/
	install -m 0755 $(HOOK_FILES) $(DESTDIR)$(HOOKDIR)/
	sed 's|@SBINDIR@|$(SBINDIR)|g; s|@DATADIR@|$(DATADIR)|g' \
		contrib/rstmond.service > $(DESTDIR)$(UNITDIR)/rstmond.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/rstmond.service
	@if [ ! -e $(CONF_FILE) ] || cmp -s contrib/rstmond.conf $(CONF_FILE); then \
		echo 'install -m 0644 contrib/rstmond.conf $(CONF_FILE)'; \
		install -m 0644 contrib/rstmond.conf $(CONF_FILE); \
	else \
		echo 'install -m 0644 contrib/rstmond.conf $(CONF_FILE).example'; \
		install -m 0644 contrib/rstmond.conf $(CONF_FILE).example && \
		echo 'install: kept $(CONF_FILE), which is not the example'; \
	fi
	@if [ -z '$(DESTDIR)' ] && ! getent passwd rstmon >/dev/null; then \
		echo 'useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin rstmon'; \
		useradd --system --user-group --no-create-home \
			--home-dir /nonexistent --shell /usr/sbin/nologin rstmon; \
	fi

# Leaves the system user, a rstmond.conf that is not the example, and the
# generic directories (bin, sbin, man*, the unit directory).
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/rstmond $(DESTDIR)$(BINDIR)/rstmonctl \
		$(DESTDIR)$(MANDIR)/man8/rstmond.8 \
		$(DESTDIR)$(MANDIR)/man8/rstmonctl.8 \
		$(DESTDIR)$(MANDIR)/man5/rstmond.conf.5 \
		$(DESTDIR)$(UNITDIR)/rstmond.service \
		$(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(RULE_FILES))) \
		$(addprefix $(DESTDIR)$(HOOKDIR)/,$(notdir $(HOOK_FILES))) \
		$(CONF_FILE).example
	@if [ -e $(CONF_FILE) ] && ! cmp -s contrib/rstmond.conf $(CONF_FILE); then \
		echo 'uninstall: kept $(CONF_FILE), which is not the example'; \
	elif [ -e $(CONF_FILE) ]; then \
		echo 'rm -f $(CONF_FILE)'; rm -f $(CONF_FILE); \
	fi
	@for d in $(DESTDIR)$(DATADIR) $(DESTDIR)$(HOOKDIR); do \
		[ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || \
			echo "uninstall: kept $$d, which is not empty"; \
	done
	@[ ! -d $(DESTDIR)$(SYSCONFDIR)/rstmon ] || \
		rmdir $(DESTDIR)$(SYSCONFDIR)/rstmon 2>/dev/null || true
	@if [ -z '$(DESTDIR)' ] && getent passwd rstmon >/dev/null; then \
		echo 'uninstall: system user rstmon kept (userdel rstmon removes it)'; \
	fi

clean:
	rm -f src/*.o src/*.d tests/unit/*.o tests/unit/*.d $(BINS) \
		tests/unit/unit_tests $(TOOLS) $(FUZZ_BINS)
	rm -f tests/bench/stats_bench tests/bench/nftset_bench \
		tests/bench/nflog_count tests/bench/*.o tests/bench/*.d
	rm -rf tests/fuzz/obj tests/fuzz/corpus-run

help:
	@echo 'make             build src/rstmond and src/rstmonctl'
	@echo 'make check       install missing packages, build, run unit and integration tests (root)'
	@echo 'make run         install missing packages, build, load rules/rstmon.nft, run rstmond in the foreground (root)'
	@echo 'make unit        unit tests only (no root needed)'
	@echo 'make integration integration tests only (root)'
	@echo 'make fuzz        fuzz every parser of outside bytes for a while (clang, libFuzzer; FUZZ_SECONDS=60 each)'
	@echo 'make install     install (PREFIX=$(PREFIX), DESTDIR=)'
	@echo 'make uninstall   remove what install put there'
	@echo 'make clean       remove build output'
	@echo 'options: V=1 (show commands), WERROR=1, SANITIZE=1 (ASan+UBSan)'

-include $(wildcard src/*.d tests/unit/*.d tests/bench/*.d)
