#!/usr/bin/env bash
# Every benchmark of the scaling targets in one run, on one machine, one after another: MarginBenchmarks (import,
# query, ingest, sync, the large store, margin against git, and the first pull of 1,000,000 revisions against plain
# replay), PostgreSQL ingest against raw INSERTs, and 50 concurrent clients on each backend. Then the targets, met or
# not, as each program printed them. Run it through `make bench-all`, which builds the release binaries and runs it
# inside a throwaway PostgreSQL cluster (scripts/postgres-test-cluster.sh), whose URL it reads from
# MARGIN_TEST_POSTGRES_URL.
#
# Outputs go to $BENCH_OUT (default .build/bench-all): each program's text, and MarginBenchmarks' JSON.
# $BOOTSTRAP_STORE keeps the 1,000,000-revision server store between runs (else each run builds it again);
# $BENCH_ARGS adds arguments to MarginBenchmarks (e.g. "--git-notes 200" for a quick look). $RELEASE_DIR is where the
# benchmark programs are (default .build/release) and $MARGIN the margin executable (default: in $RELEASE_DIR).
set -euo pipefail

out=${BENCH_OUT:-.build/bench-all}
release=${RELEASE_DIR:-.build/release}
margin=${MARGIN:-$release/margin}
mkdir -p "$out"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)

bootstrap_store=()
if [ -n "${BOOTSTRAP_STORE:-}" ]; then bootstrap_store=(--bootstrap-store "$BOOTSTRAP_STORE"); fi
# shellcheck disable=SC2086 # BENCH_ARGS is split into arguments on purpose.
"$release/MarginBenchmarks" --only import,query,ingest,sync,large,git,bootstrap --margin "$margin" \
    --json "$out/margin.json" "${bootstrap_store[@]}" ${BENCH_ARGS:-} | tee "$out/margin.txt"
echo
"$release/PostgresIngestBenchmark" | tee "$out/postgres-ingest.txt"
echo
"$release/LoadBenchmark" --margin "$margin" | tee "$out/load.txt"

echo
echo "targets of this run (started $started, ended $(date -u +%Y-%m-%dT%H:%M:%SZ)):"
{
    # MarginBenchmarks: table rows that have a target, then its ratios, footprints and peak memory.
    grep -E "^[a-z]+ +.* (yes|NO)$" "$out/margin.txt" || true
    grep -E "^(ratio|footprint) |peak memory, largest process" "$out/margin.txt" || true
    grep -E "target" "$out/postgres-ingest.txt" || true
    grep -E "^(backend|store|postgresql|replica|load:) " "$out/load.txt" || true
} | sed -E 's/^ +//' | awk '!seen[$0]++' | sed 's/^/  /'
