# Marginalia — the two set-up commands are `make demo` and `make test`.
# Both install what is missing (libsqlite3-dev, libxml2-dev, zlib1g-dev, pkg-config, openssl) before building; `make test` (and
# `make deps`) also installs PostgreSQL, which only the tests of the PostgreSQL store need.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test bench bench-all bench-postgres bench-load deps build-deps build fuzz man completions

# The system packages the build needs: SQLite (the store) and zlib (the store's packed revision bodies), which it links
# and whose include paths SwiftPM learns from pkg-config; libxml2 (reading saved web pages), whose headers it compiles
# against and which `margin` loads when it reads the first page; and openssl, with which the TLS tests make their
# certificates.
SYSTEM_PACKAGES := libsqlite3-dev libxml2-dev zlib1g-dev pkg-config openssl
# PostgreSQL's server, for the tests of the PostgreSQL store (scripts/postgres-test-cluster.sh makes a throwaway
# cluster with it). The build and `make demo` do not need it.
TEST_SYSTEM_PACKAGES := postgresql

# Installs those of the Debian packages $(1) that are missing.
install_missing = missing=""; for package in $(1); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing…"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$missing; \
	fi

# Everything: what the build needs and what the tests need.
deps: build-deps
	@$(call install_missing,$(TEST_SYSTEM_PACKAGES))

build-deps:
	@$(call install_missing,$(SYSTEM_PACKAGES))

build: build-deps
	$(SWIFT) build --product margin

# A tour on the embedded store: import the seeds, annotate, tag, search, read history, then sync two peers.
demo: build
	.build/debug/margin demo

# The tests run against a throwaway PostgreSQL cluster (127.0.0.1, a free port, a new temporary folder), which is
# stopped and removed when `swift test` ends, passed or not.
test: deps
	scripts/postgres-test-cluster.sh run $(SWIFT) test

# Release builds for benchmarking link the Swift runtime and Foundation into the binary: a `margin` process then
# starts without loading and relocating a dozen shared libraries (measured: CPU per `margin --version` 18.1 → 11.8 ms,
# per `margin annotate` 30.8 → 24.6 ms), as an installed `margin` should be built. Three more flags cut what a process
# does before its command runs:
# - concrete generic types (`Set<RecordID>`, `Option<String>`) are reached through their metadata functions rather
#   than by mangled name, which the runtime resolved by scanning all 11,754 protocol conformances of the binary for
#   each new one (instructions per `margin annotate`: 61.1 → 43.8 million);
# - the executable exports none of its 53,161 symbols (it loads no plug-ins), so looking an address up (`dladdr`, 5% of
#   a `margin --version`) no longer walks them all;
# - the executable is linked at a fixed address (not position-independent), so the loader has none of its 145,657
#   relocations to apply, nor the 400 pages they touch to copy, at each start (`margin --version`: 991 → 588 page
#   faults, about 1.5 ms less). As with Go's default builds, the executable's own code then sits at the same address
#   in every process; the shared libraries, stack and heap are still placed at random.
# Both commands take the same flags, so that `swift run` does not relink margin without them.
RELEASE_FLAGS := -c release --static-swift-stdlib \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors -Xlinker --no-export-dynamic \
	-Xswiftc -Xclang-linker -Xswiftc -no-pie

# Release-build benchmark (not a test): import, show and find against a raw-SQLite baseline; sync, ingest, and
# margin against git at git's own job (`--only git`).
bench: build-deps
	$(SWIFT) build $(RELEASE_FLAGS) --product margin
	$(SWIFT) run $(RELEASE_FLAGS) MarginBenchmarks --margin .build/release/margin

# Receiving speed of the PostgreSQL store (pages of 500 through its sync rules) against plain multi-row INSERTs of
# the same 10,000 revisions, on a throwaway cluster. Not a test.
bench-postgres: deps
	$(SWIFT) build -c release --product PostgresIngestBenchmark
	scripts/postgres-test-cluster.sh run $(SWIFT) run -c release PostgresIngestBenchmark

# 50 readers syncing at once (each sync its own `margin sync` process) against `margin serve` on a store folder, on
# PostgreSQL (a throwaway cluster), and on PostgreSQL with pulls from the cluster's standby: p50, p90 and p99
# latency, errors, and whether every reader ends with every note. Not a test.
bench-load: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product margin
	$(SWIFT) build $(RELEASE_FLAGS) --product LoadBenchmark
	scripts/postgres-test-cluster.sh run .build/release/LoadBenchmark --margin .build/release/margin

# Every benchmark of the scaling targets in one run (see scripts/bench-all.sh): the `bench` groups, the first pull of
# 1,000,000 revisions, PostgreSQL ingest and the load of 50 clients on each backend, then every target, met or not.
# Takes about half an hour on two cores. BOOTSTRAP_STORE=PATH keeps the bootstrap's server store for later runs.
bench-all: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product margin
	$(SWIFT) build $(RELEASE_FLAGS) --product MarginBenchmarks
	$(SWIFT) build $(RELEASE_FLAGS) --product PostgresIngestBenchmark
	$(SWIFT) build $(RELEASE_FLAGS) --product LoadBenchmark
	scripts/postgres-test-cluster.sh run scripts/bench-all.sh

# Coverage-guided fuzzing (libFuzzer) of what a peer receives: revision bodies, requests and answers. Not part of
# `make test`. A separate package (Fuzz/) and build folder, so the sanitizer never reaches the main build. Runs for
# FUZZ_TIME seconds (default 60); the corpus grows in .build-fuzz/corpus, crashes land in .build-fuzz/artifacts.
# See Fuzz/README.md.
FUZZ_TIME ?= 60
FUZZ_FLAGS ?=
FUZZ_BUILD := .build-fuzz

fuzz:
	cd Fuzz && $(SWIFT) build -c release --product MarginFuzz --scratch-path ../$(FUZZ_BUILD) \
		-Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
	mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/artifacts
	$(FUZZ_BUILD)/release/MarginFuzz -max_total_time=$(FUZZ_TIME) -max_len=16384 -timeout=10 \
		-dict=Fuzz/marginalia.dict -artifact_prefix=$(FUZZ_BUILD)/artifacts/ $(FUZZ_FLAGS) \
		$(FUZZ_BUILD)/corpus Protocol/examples Fuzz/seeds

# The manual page, generated from the commands' own help by swift-argument-parser's generate-manual plugin, into
# .build/man/margin.1 (read it with `man .build/man/margin.1`).
man: build-deps
	$(SWIFT) package plugin generate-manual --configuration debug
	mkdir -p .build/man
	cp .build/plugins/GenerateManual/outputs/margin/margin.1 .build/man/margin.1
	@echo "man .build/man/margin.1"

# Shell completions (bash, zsh, fish) into .build/completions; see the README for where each shell reads them.
completions: build
	mkdir -p .build/completions
	.build/debug/margin --generate-completion-script bash > .build/completions/margin.bash
	.build/debug/margin --generate-completion-script zsh > .build/completions/_margin
	.build/debug/margin --generate-completion-script fish > .build/completions/margin.fish
