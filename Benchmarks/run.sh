#!/usr/bin/env bash
# Builds the server and the benchmark in release mode (in .build-release, apart from the debug build) and runs the
# benchmark. Arguments go to revisit-bench, e.g.:
#   Benchmarks/run.sh --quick
#   Benchmarks/run.sh --sizes 10k,1M --json Benchmarks/results/latest.json
#   Benchmarks/run.sh review-page      # the customer's review page GET /r/{token} (issue 12)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-release
# Low priority: the machine is shared. One --product per swift build invocation.
nice -n 15 swift build -c release --scratch-path "$scratch" --product revisit-server
nice -n 15 swift build -c release --scratch-path "$scratch" --product revisit-bench
exec "$scratch/release/revisit-bench" "$@"
