#!/usr/bin/env bash
# Builds the webhook benchmark in release mode (in .build-release) and runs it; arguments go to the benchmark,
# e.g. Benchmarks/run-webhooks.sh --followups 10000 --scheduler-interval 1s
set -euo pipefail
cd "$(dirname "$0")/.."
nice -n 15 swift build -c release --scratch-path .build-release --product revisit-webhook-bench
exec .build-release/release/revisit-webhook-bench "$@"
