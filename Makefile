# Marginalia — the two set-up commands are `make demo` and `make test`.
# Both install what is missing (libsqlite3-dev) before building.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test bench deps build

deps:
	@if ! dpkg -s libsqlite3-dev >/dev/null 2>&1; then \
		echo "Installing libsqlite3-dev…"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q libsqlite3-dev; \
	fi

build: deps
	$(SWIFT) build --product margin

# A tour on the embedded store: import the seeds, annotate, tag, search, read history, then sync two peers.
demo: build
	.build/debug/margin demo --seeds seeds

test: deps
	$(SWIFT) test

# Release-build benchmark (not a test): import, show and find against a raw-SQLite baseline.
bench: deps
	$(SWIFT) build -c release --product margin
	$(SWIFT) run -c release MarginBenchmarks --margin .build/release/margin
