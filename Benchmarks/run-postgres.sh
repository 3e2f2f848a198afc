#!/usr/bin/env bash
# Compares PostgreSQL with SQLite: builds the server and the benchmark in release mode (in .build-release, apart from
# the debug build), then runs revisit-bench on a throwaway PostgreSQL cluster (scripts/with-postgres.sh; with
# REVISIT_TEST_DATABASE_URL already set, on that server instead, which must allow CREATE DATABASE) with
#   SQLite, 1 instance; PostgreSQL, 1 and 2 instances; each with the 8 clients in 1 tenant and in 8 tenants.
# Every configuration gets a fresh database. Progress goes to stderr, one table to stdout. Further arguments go to
# revisit-bench and win over these, e.g.:
#   Benchmarks/run-postgres.sh --batches-per-client 4 --webhooks 2000     # a quicker look
#   Benchmarks/run-postgres.sh --json Benchmarks/results/postgres.json
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-release
# Low priority: the machine is shared. One --product per swift build invocation.
nice -n 15 swift build -c release --scratch-path "$scratch" --product revisit-server
nice -n 15 swift build -c release --scratch-path "$scratch" --product revisit-bench
exec scripts/with-postgres.sh "$scratch/release/revisit-bench" \
    --database sqlite,postgres --instances 1,2 --tenants 1,8 --clients 8 --batches-per-client 10 --webhooks 10000 "$@"
