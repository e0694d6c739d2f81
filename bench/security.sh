#!/usr/bin/env bash
# Issue #4's benchmark: what authentication and authorization add to a request. One command:
# bench/security.sh → bench/results-security.md (and .json).
#
# bench/run.sh restricted to the gateway and the same gateway with security off, at one client (the
# cost of a request itself, without queueing), with more rounds than the full run: the two differ by
# a fraction of a millisecond, so each server is warmed up until its JIT compiler has settled and
# the rounds alternate between the two servers. Every setting of bench/run.sh still applies.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_SERVERS="gateway gateway-no-security"
export BENCH_EMBEDDED=0
export BENCH_CONCURRENCY="${BENCH_CONCURRENCY:-1}"
export BENCH_ROUNDS="${BENCH_ROUNDS:-8}"
export BENCH_WARMUP="${BENCH_WARMUP:-30s}"
export BENCH_RESULTS="${BENCH_RESULTS:-bench/results-security}"
exec bash bench/run.sh
