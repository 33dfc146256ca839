# ShareTrack: build, run locally, test, benchmark, install.
#   make run      the daemon on local paths (database and sockets under ./var)
#   make test     every test (unit and integration)
#   make soak     the long reliability variants
#   make fuzz     the parser fuzzer, for FUZZ_SECONDS (default 30)
#   make bench    the end-to-end benchmark (release build)
#   make install  binaries, systemd units, example config (PREFIX, DESTDIR)

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
SYSTEM_PACKAGES := libsqlite3-dev libsystemd-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release run test soak fuzz bench install clean

# Installs the C libraries the package links, when they are missing (Debian/Ubuntu).
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

run: build
	mkdir -p var
	.build/debug/sharetrackd --config config/local.yaml

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

# Long reliability variants (docs/reliability.md): 200,000 events through 8 kill -9s, 5 million
# shares, 2.1 million pending rows, 32 stalled writers. About 5 minutes.
soak: deps
	$(SWIFT) build --build-tests
	SHARETRACK_SOAK=1 $(SWIFT) test --filter 'CrashTests|HostileInputTests|StorageFaultTests|MemoryTests'

# libFuzzer on the ingest line parser for FUZZ_SECONDS (default 30).
fuzz:
	Fuzz/run.sh

bench: release
	.build/release/sharetrack-bench

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/lib/systemd/system $(DESTDIR)/etc/sharetrack \
		$(DESTDIR)/usr/lib/sysusers.d $(DESTDIR)/usr/lib/tmpfiles.d
	install -m 0755 .build/release/sharetrackd .build/release/sharectl $(DESTDIR)$(PREFIX)/bin/
	sed 's|/usr/local/bin|$(PREFIX)/bin|g' systemd/sharetrackd.service > $(DESTDIR)/lib/systemd/system/sharetrackd.service
	install -m 0644 systemd/sharetrackd.socket systemd/sharetrackd-control.socket $(DESTDIR)/lib/systemd/system/
	install -m 0644 systemd/sharetrack.sysusers $(DESTDIR)/usr/lib/sysusers.d/sharetrack.conf
	install -m 0644 systemd/sharetrack.tmpfiles $(DESTDIR)/usr/lib/tmpfiles.d/sharetrack.conf
	[ -e $(DESTDIR)/etc/sharetrack/sharetrackd.yaml ] || \
		install -m 0640 config/sharetrackd.yaml $(DESTDIR)/etc/sharetrack/sharetrackd.yaml
	# On the live system (no DESTDIR): create the user, group and /run/sharetrack now.
	if [ -z "$(DESTDIR)" ]; then \
		systemd-sysusers /usr/lib/sysusers.d/sharetrack.conf; \
		systemd-tmpfiles --create /usr/lib/tmpfiles.d/sharetrack.conf; \
		systemctl daemon-reload 2>/dev/null || true; \
	fi

clean:
	rm -rf .build var
