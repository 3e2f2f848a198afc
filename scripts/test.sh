#!/usr/bin/env bash
# The test command of the README and of CI: builds everything once, then runs every test.
# The OpenAPI spec check and the webhook interoperability test use Python tools, installed here into .venv.
# The PostgreSQL tests run against a throwaway cluster started by scripts/with-postgres.sh (or against
# REVISIT_TEST_DATABASE_URL when set). Without PostgreSQL they are skipped with a warning, except in CI (CI=true),
# where that is an error.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check openapi-spec-validator standardwebhooks selenium
export REVISIT_PYTHON="$PWD/.venv/bin/python"

swift build --build-tests

# The marker is removed when the tests start: if it is still there afterwards, PostgreSQL could not be started.
marker="$(mktemp)"
trap 'rm -f "$marker"' EXIT
status=0
scripts/with-postgres.sh sh -c 'rm -f "$0" && exec "$@"' "$marker" scripts/test-passes.sh "$@" || status=$?
if [ ! -e "$marker" ]; then
    exit "$status"
fi
if [ "${CI:-}" = "true" ]; then
    echo "test.sh: PostgreSQL could not be started (see above); CI needs it for the PostgreSQL tests" >&2
    exit 1
fi
cat >&2 <<'WARN'

#########################################################################################################
# WARNING: PostgreSQL could not be started (see above), so the PostgreSQL tests will be SKIPPED.        #
# Install it with ./scripts/install-deps.sh, or point REVISIT_TEST_DATABASE_URL at a database of yours. #
#########################################################################################################

WARN
swift test --skip-build "$@"
