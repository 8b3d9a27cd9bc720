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
DAEMON_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(DAEMON_PKGS) 2>/dev/null)
CTL_CFLAGS = $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
DAEMON_LIBS = $(shell $(PKG_CONFIG) --libs $(DAEMON_PKGS)) -lm
CTL_LIBS = $(shell $(PKG_CONFIG) --libs jansson)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check)

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

# The folders are the architecture, and each compiles seeing only the
# headers it may use, so that a wrong include does not build:
#   src/core    pure: parse, classify, count, detect, decide, format
#   src/kernel  the kernel's interfaces: netlink, tracefs, /proc, clocks
#   src/daemon  rstmond: its loop, control socket, metrics, actions
#   src/client  rstmonctl
# The core takes no library's headers and links as one archive with
# none (`make arch-check` proves it with nm, and finds cycles).
CORE_INC := -Isrc/core
KERNEL_INC := -Isrc/kernel $(CORE_INC)
DAEMON_INC := -Isrc/daemon $(KERNEL_INC)
CLIENT_INC := -Isrc/client $(CORE_INC)

objs = $(patsubst %.c,%.o,$(wildcard $(1)/*.c))
CORE_OBJS := $(call objs,src/core)
CORE_LIB := src/core/librstmon-core.a
KERNEL_OBJS := $(call objs,src/kernel)
DAEMON_OBJS := $(filter-out src/daemon/rstmond.o,$(call objs,src/daemon))
CLIENT_OBJS := $(call objs,src/client)
# The client's pure formatting: unit_edge tests it.
CTL_FMT_OBJS := src/client/ctl_fmt.o

UNIT_CORE_OBJS := $(call objs,tests/unit/core) tests/unit/unit_main.o
UNIT_EDGE_OBJS := $(call objs,tests/unit/edge) tests/unit/unit_main.o
UNIT_BINS := tests/unit/unit_core tests/unit/unit_edge
TOOLS := tests/tools/rstgen

BINS := src/rstmond src/rstmonctl

.PHONY: all check unit docs-check arch-check integration run install \
	uninstall clean help deps test-build fuzz fuzz-build format \
	format-check

all: $(BINS)

src/core/%.o: src/core/%.c
	$(call say,CC,$@)$(CC) $(CORE_INC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

src/kernel/%.o: src/kernel/%.c
	$(call say,CC,$@)$(CC) $(KERNEL_INC) $(DAEMON_CFLAGS) $(CPPFLAGS) \
		$(CFLAGS) -c -o $@ $<

src/daemon/%.o: src/daemon/%.c
	$(call say,CC,$@)$(CC) $(DAEMON_INC) $(DAEMON_CFLAGS) $(CPPFLAGS) \
		$(CFLAGS) -c -o $@ $<

src/client/%.o: src/client/%.c
	$(call say,CC,$@)$(CC) $(CLIENT_INC) $(CTL_CFLAGS) $(CPPFLAGS) \
		$(CFLAGS) -c -o $@ $<

$(CORE_LIB): $(CORE_OBJS)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

src/rstmond: src/daemon/rstmond.o $(DAEMON_OBJS) $(KERNEL_OBJS) $(CORE_LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

src/rstmonctl: $(CLIENT_OBJS)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(CTL_LIBS)

# unit_core: the core's tests, linked with the core archive alone (and
# Check): a part that needed more would not link.
tests/unit/core/%.o: tests/unit/core/%.c
	$(call say,CC,$@)$(CC) -Itests/unit $(CORE_INC) $(CHECK_CFLAGS) \
		$(CPPFLAGS) $(CFLAGS) -c -o $@ $<

tests/unit/unit_main.o: tests/unit/unit_main.c
	$(call say,CC,$@)$(CC) -Itests/unit $(CORE_INC) $(CHECK_CFLAGS) \
		$(CPPFLAGS) $(CFLAGS) -c -o $@ $<

tests/unit/unit_core: $(UNIT_CORE_OBJS) $(CORE_LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lm

tests/unit/edge/%.o: tests/unit/edge/%.c
	$(call say,CC,$@)$(CC) -Itests/unit $(DAEMON_INC) -Isrc/client \
		$(DAEMON_CFLAGS) $(CHECK_CFLAGS) $(CPPFLAGS) $(CFLAGS) \
		-c -o $@ $<

tests/unit/unit_edge: $(UNIT_EDGE_OBJS) $(DAEMON_OBJS) $(KERNEL_OBJS) \
		$(CTL_FMT_OBJS) $(CORE_LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(DAEMON_LIBS)

tests/bench/stats_bench.o: tests/bench/stats_bench.c
	$(call say,CC,$@)$(CC) $(CORE_INC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

tests/bench/stats_bench: tests/bench/stats_bench.o $(CORE_LIB)
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ -lm

tests/bench/nftset_bench.o: tests/bench/nftset_bench.c
	$(call say,CC,$@)$(CC) $(KERNEL_INC) $(DAEMON_CFLAGS) $(CPPFLAGS) \
		$(CFLAGS) -c -o $@ $<

tests/bench/nftset_bench: tests/bench/nftset_bench.o src/kernel/nftsock.o \
		src/kernel/nlreq.o
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

tests/bench/%.o: tests/bench/%.c
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

test-build: $(BINS) $(UNIT_BINS) $(TOOLS)

# `check` and `run` first install what is missing (Debian 12, apt-get),
# then build in a fresh make so pkg-config sees the new libraries.
deps:
	@contrib/install-deps.sh

check: deps
	@$(MAKE) --no-print-directory test-build
	@$(MAKE) --no-print-directory unit arch-check docs-check integration

unit: $(UNIT_BINS)
	tests/unit/unit_core
	tests/unit/unit_edge

# The core archive needs no library's symbol; no cycle of includes or
# calls between files; no folder includes past its place.
arch-check: $(CORE_LIB) $(BINS) $(UNIT_BINS)
	python3 tests/arch-check.py .

docs-check: $(BINS)
	tests/docs-check.sh

# One style (.clang-format, the kernel's), applied to every C file; CI
# runs format-check (Debian 12's clang-format 14: another version may
# place a line differently).
FORMAT_FILES = $(wildcard src/*/*.[ch] tests/unit/*.[ch] tests/unit/*/*.[ch] \
	tests/fuzz/*.[ch] tests/fuzz/*/*.[ch] tests/bench/*.c tests/tools/*.c)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && \
		echo 'format-check: ok ($(words $(FORMAT_FILES)) files)'


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
FUZZ_OBJS := $(patsubst src/%,tests/fuzz/obj/%,$(CORE_OBJS) $(KERNEL_OBJS) \
	$(DAEMON_OBJS))
FUZZ_LIB := tests/fuzz/obj/librstmon.a
FUZZ_SAN := address,undefined
FUZZ_INC := $(DAEMON_INC) -Isrc/client
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE \
	$(WARN) -MMD -MP -fno-sanitize-recover=undefined
ifeq ($(WERROR),1)
FUZZ_CFLAGS += -Werror
endif

tests/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_INC) $(DAEMON_CFLAGS) \
		$(CTL_CFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c -o $@ $<

tests/fuzz/obj/fuzz_%.o: tests/fuzz/fuzz_%.c
	@mkdir -p $(@D)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_INC) $(DAEMON_CFLAGS) \
		$(CTL_CFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) \
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

-include $(wildcard tests/fuzz/obj/*.d tests/fuzz/obj/*/*.d)

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
	rm -f src/*/*.o src/*/*.d $(CORE_LIB) tests/unit/*.o tests/unit/*.d \
		tests/unit/*/*.o tests/unit/*/*.d $(BINS) $(UNIT_BINS) \
		tests/unit/unit_tests $(TOOLS) $(FUZZ_BINS)
	rm -f tests/bench/stats_bench tests/bench/nftset_bench \
		tests/bench/nflog_count tests/bench/*.o tests/bench/*.d
	rm -rf tests/fuzz/obj tests/fuzz/corpus-run

help:
	@echo 'make             build src/rstmond and src/rstmonctl'
	@echo 'make check       install missing packages, build, run unit and integration tests (root)'
	@echo 'make run         install missing packages, build, load rules/rstmon.nft, run rstmond in the foreground (root)'
	@echo 'make unit        unit tests only (no root needed)'
	@echo 'make arch-check  the core links with no library; no include or call cycle'
	@echo 'make format      apply .clang-format (format-check: CI fails on a difference)'
	@echo 'make integration integration tests only (root)'
	@echo 'make fuzz        fuzz every parser of outside bytes for a while (clang, libFuzzer; FUZZ_SECONDS=60 each)'
	@echo 'make install     install (PREFIX=$(PREFIX), DESTDIR=)'
	@echo 'make uninstall   remove what install put there'
	@echo 'make clean       remove build output'
	@echo 'options: V=1 (show commands), WERROR=1, SANITIZE=1 (ASan+UBSan)'

-include $(wildcard src/*/*.d tests/unit/*.d tests/unit/*/*.d tests/bench/*.d)
