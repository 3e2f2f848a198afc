#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test Revisit (the Swift toolchain itself is assumed:
# https://www.swift.org/install/linux/). Only missing packages are installed; needs root or sudo for those.
set -euo pipefail

packages=(libsqlite3-dev libcurl4-openssl-dev libssl-dev zlib1g-dev python3 python3-venv curl ca-certificates openssl chromium chromium-driver fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# A PostgreSQL server for the PostgreSQL store's tests (scripts/with-postgres.sh), unless one is installed already.
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    missing+=(postgresql)
fi
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: nothing missing"
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
