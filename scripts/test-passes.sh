#!/usr/bin/env bash
# The test passes of scripts/test.sh, run inside scripts/with-postgres.sh: every test once (SQLite end to end, both
# stores' conformance suite, the PostgreSQL multi-instance tests), then, when PostgreSQL is there and no filter was
# given, the end-to-end suites of the server and the client again with their servers on PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
swift test --skip-build "$@" || status=$?
if [ -n "${REVISIT_TEST_DATABASE_URL:-}" ] && [ $# -eq 0 ]; then
    echo "test-passes: the end-to-end suites again, with their servers on PostgreSQL" >&2
    # The kill -9 suites start their own SQLite processes and the multi-instance ones are PostgreSQL already.
    REVISIT_TEST_E2E_BACKEND=postgres swift test --skip-build \
        --filter 'RevisitServerTests|RevisitClientTests' \
        --skip 'MultiInstanceTests|DatabaseOutageTests|CrashSafetyTests|DeliveryCrashTests' || status=$?
fi
exit "$status"
