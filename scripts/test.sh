#!/usr/bin/env bash
# The test command of the README and of CI: builds everything once, then runs every test.
# The OpenAPI spec check and the webhook interoperability test use Python tools, installed here into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check openapi-spec-validator standardwebhooks
export REVISIT_PYTHON="$PWD/.venv/bin/python"

swift build --build-tests
swift test --skip-build "$@"
