# ShareTrack: build, run locally, test, benchmark, install.
#   make run      the daemon on local paths (database and sockets under ./var)
#   make test     every test (unit and integration)
#   make demo     a simulated chain through the daemon on ./var, then var/report.html and var/export.csv
#   make soak     the long reliability variants
#   make fuzz     the parser fuzzer, for FUZZ_SECONDS (default 30)
#   make bench    the end-to-end benchmark (release build)
#   make install  binaries, man pages, shell completions, systemd units, example config (PREFIX, DESTDIR)
#   make paths    where the built binaries are (they are not on PATH until make install)

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
# The build make install copies (the tests install their debug build: CONFIGURATION=debug SWIFT=true).
CONFIGURATION ?= release
BIN := .build/$(CONFIGURATION)
# Man pages come from swift-argument-parser's generate-manual plugin.
MANUALS := .build/plugins/GenerateManual/outputs
MANDIR := $(PREFIX)/share/man/man1
# The C libraries the package links; Chart.js, which `sharectl report` inlines; Chromium, which
# the tests check the report in; the PostgreSQL server and PgBouncer the shared store's tests start;
# libfaketime, which runs a command of the report's tests behind the real clock; the sqlite3
# shell, with which tests change a database behind the daemon; python3 and systemd's tools
# (systemd-analyze, systemd-socket-activate), which tests run (a minimal Debian 12 lacks them).
SYSTEM_PACKAGES := libsqlite3-dev libsystemd-dev libjs-chart.js chromium libpq-dev libssl-dev postgresql pgbouncer faketime sqlite3 python3 systemd
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release manuals paths run demo test soak fuzz bench install clean

# Installs the system packages, when they are missing (Debian/Ubuntu).
deps:
	@missing=""; for package in $(SYSTEM_PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Man pages of sharetrackd and sharectl, from their --help texts, in $(MANUALS).
manuals:
	$(SWIFT) package --disable-sandbox plugin generate-manual --configuration $(CONFIGURATION)

paths:
	@echo "sharetrackd: $(CURDIR)/.build/debug/sharetrackd"
	@echo "sharectl:    $(CURDIR)/.build/debug/sharectl"
	@echo "release builds (make release): $(CURDIR)/.build/release"

run: build
	mkdir -p var
	.build/debug/sharetrackd --config config/local.yaml

# About 10 seconds of simulated traffic; scripts/demo.sh says what it does.
demo: build
	scripts/demo.sh

# The tests' temporary directories (databases, sockets, PostgreSQL clusters: a few hundred MB) go
# under one of this run's, removed afterwards, pass or fail; 1777 like /tmp, since the PostgreSQL
# servers run as another user. Removed once no cluster runs there: each cluster's watcher stops it
# within a second or two of the test process's exit (removed under it, a server ran on for minutes).
test: deps
	$(SWIFT) build --build-tests
	$(MAKE) manuals CONFIGURATION=debug
	@scratch=$$(mktemp -d /tmp/sharetrack-tests.XXXXXX) && chmod 1777 $$scratch && \
		echo "TMPDIR=$$scratch $(SWIFT) test" && TMPDIR=$$scratch $(SWIFT) test; \
		status=$$?; \
		for second in $$(seq 30); do ls $$scratch/*/data/postmaster.pid >/dev/null 2>&1 || break; sleep 1; done; \
		rm -rf $$scratch; exit $$status

# Long reliability variants (docs/reliability.md): 200,000 events through 8 kill -9s, 5 million
# shares, 2.1 million pending rows, 32 stalled writers, a 3-million-row export, 2 million
# connect/close cycles on each socket. About 18 minutes.
soak: deps
	$(SWIFT) build --build-tests
	SHARETRACK_SOAK=1 $(SWIFT) test --filter 'CrashTests|HostileInputTests|StorageFaultTests|MemoryTests|ExportMemoryTests|ConnectionChurnTests'

# libFuzzer on the ingest line parser for FUZZ_SECONDS (default 30).
fuzz:
	Fuzz/run.sh

bench: release
	.build/release/sharetrack-bench

install: deps
	$(SWIFT) build -c $(CONFIGURATION)
	$(MAKE) manuals
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/lib/systemd/system $(DESTDIR)/etc/sharetrack \
		$(DESTDIR)/usr/lib/sysusers.d $(DESTDIR)/usr/lib/tmpfiles.d $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 $(BIN)/sharetrackd $(BIN)/sharectl $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(MANUALS)/sharetrackd/sharetrackd.1 $(MANUALS)/sharectl/sharectl.1 $(DESTDIR)$(MANDIR)/
	$(BIN)/sharectl --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sharectl
	$(BIN)/sharectl --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sharectl
	$(BIN)/sharectl --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/sharectl.fish
	sed 's|/usr/local/bin|$(PREFIX)/bin|g' systemd/sharetrackd.service > $(DESTDIR)/lib/systemd/system/sharetrackd.service
	install -m 0644 systemd/sharetrackd.socket systemd/sharetrackd-control.socket $(DESTDIR)/lib/systemd/system/
	install -m 0644 systemd/sharetrack.sysusers $(DESTDIR)/usr/lib/sysusers.d/sharetrack.conf
	install -m 0644 systemd/sharetrack.tmpfiles $(DESTDIR)/usr/lib/tmpfiles.d/sharetrack.conf
	# Readable by the service: group sharetrack, which sharetrack.tmpfiles sets (z line) at boot
	# and below, once sysusers has made the group.
	[ -e $(DESTDIR)/etc/sharetrack/sharetrackd.yaml ] || \
		install -m 0640 config/sharetrackd.yaml $(DESTDIR)/etc/sharetrack/sharetrackd.yaml
	# On the live system (no DESTDIR): create the user and group, /run/sharetrack and the
	# config file's group now.
	if [ -z "$(DESTDIR)" ]; then \
		systemd-sysusers /usr/lib/sysusers.d/sharetrack.conf; \
		systemd-tmpfiles --create /usr/lib/tmpfiles.d/sharetrack.conf; \
		systemctl daemon-reload 2>/dev/null || true; \
	fi

clean:
	rm -rf .build var
