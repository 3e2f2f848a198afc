#!/usr/bin/env bash
# Runs COMMAND [ARGS...] against a throwaway PostgreSQL cluster, then stops the cluster and deletes it, whatever
# COMMAND's exit; exits with COMMAND's exit code. The cluster listens on 127.0.0.1 at the first free port from 55432
# (or $REVISIT_TEST_PG_PORT) on, with password (SCRAM) auth and a random password. COMMAND sees:
#   REVISIT_TEST_DATABASE_URL  postgres://postgres:PASSWORD@127.0.0.1:PORT/revisit_test?sslmode=disable
#   REVISIT_TEST_PG_ADMIN_URL  the same for the `postgres` database (to create or drop more databases)
#   REVISIT_TEST_PG_BIN        PostgreSQL's bin folder (pg_ctl, psql, ...)
#   REVISIT_TEST_PG_DATA       the cluster's data folder
#   REVISIT_TEST_PG_RUNAS      the user to run pg_ctl as (`postgres` when we are root, empty otherwise)
#   REVISIT_TEST_PG_LOG        the server's log file
#   REVISIT_TEST_PG_CTL        all that as one shell command line, to simulate an outage:
#                              sh -c "$REVISIT_TEST_PG_CTL stop -m fast -w"; sh -c "$REVISIT_TEST_PG_CTL start -w"
# Every setting (port, socket folder, ...) is in the cluster's postgresql.conf, so a start brings it back the same.
# Start it with `-l "$REVISIT_TEST_PG_LOG"` (REVISIT_TEST_PG_CTL has it): without -l the server keeps pg_ctl's
# stdout and stderr open, and whoever reads them (a pipe to a test) waits until the server stops.
# If REVISIT_TEST_DATABASE_URL is already set, COMMAND just runs with it (a database of your own; nothing is started).
# Exits 125 when the cluster cannot be started (COMMAND did not run). Works as root (the cluster runs as `postgres`)
# and as a normal user. Needs the Debian package `postgresql` (scripts/install-deps.sh installs it).
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

if [ -n "${REVISIT_TEST_DATABASE_URL:-}" ]; then
    echo "with-postgres: REVISIT_TEST_DATABASE_URL is set; using that database" >&2
    exec "$@"
fi

fail() {
    echo "with-postgres: $*" >&2
    exit 125
}

# The newest installed server; else whatever pg_ctl is on PATH (not Debian).
pg_bin=""
for candidate_bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    if [ -x "$candidate_bin/pg_ctl" ] && [ -x "$candidate_bin/initdb" ]; then pg_bin="$candidate_bin"; fi
done
if [ -z "$pg_bin" ] && command -v pg_ctl >/dev/null 2>&1; then
    pg_bin="$(dirname "$(command -v pg_ctl)")"
fi
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || fail "no PostgreSQL server found (run scripts/install-deps.sh)"

# initdb and the server refuse to run as root: then the cluster belongs to the `postgres` user.
runas=""
if [ "$(id -u)" -eq 0 ]; then
    runas="postgres"
    id -u "$runas" >/dev/null 2>&1 || fail "running as root, but there is no '$runas' user to run PostgreSQL as"
    runuser="$(PATH="$PATH:/usr/sbin:/sbin" command -v runuser)" || fail "running as root, but runuser is missing"
fi
as_owner() {
    if [ -n "$runas" ]; then "$runuser" -u "$runas" -- "$@"; else "$@"; fi
}

# The cluster's folder; as root it must be reachable by `postgres`, which a private TMPDIR may not be.
base="${TMPDIR:-/tmp}"
dir="$(mktemp -d "$base/revisit-pg.XXXXXX")" || fail "cannot create a folder in $base"
if [ -n "$runas" ]; then
    chown "$runas:" "$dir"
    if ! (cd / && as_owner test -w "$dir"); then
        rmdir "$dir"
        dir="$(mktemp -d /tmp/revisit-pg.XXXXXX)"
        chown "$runas:" "$dir"
    fi
fi
data="$dir/data"
log="$dir/server.log"

cleanup() {
    set +e
    if [ -f "$data/postmaster.pid" ]; then
        (cd / && as_owner "$pg_bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1)
        if [ -f "$data/postmaster.pid" ]; then # pg_ctl could not stop it: the postmaster is ours, kill it
            pid="$(head -1 "$data/postmaster.pid" 2>/dev/null)"
            [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
            sleep 1
        fi
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
# A signal to this script (timeout, a cancelled CI job) is passed on to COMMAND; the cluster is removed either way.
child=""
on_signal() {
    if [ -n "$child" ]; then
        kill "-$1" "$child" 2>/dev/null
        wait "$child" 2>/dev/null
    fi
    exit "$2"
}
trap 'on_signal HUP 129' HUP
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
(umask 077 && printf '%s\n' "$password" >"$dir/pwfile")
[ -z "$runas" ] || chown "$runas:" "$dir/pwfile"

# cd /: PostgreSQL's tools, run as `postgres`, may not be allowed into the caller's folder.
(cd / && as_owner "$pg_bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$dir/pwfile" -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1) || {
    cat "$dir/initdb.log" >&2
    fail "initdb failed"
}
rm -f "$dir/pwfile"

# Settings live in a file included by postgresql.conf (so they survive a restart by a test); written per port tried.
printf "include = 'revisit-test.conf'\n" >>"$data/postgresql.conf"
write_settings() {
    cat >"$data/revisit-test.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$dir'
max_connections = 1000
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    [ -z "$runas" ] || chown "$runas:" "$data/revisit-test.conf"
}
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

first_port="${REVISIT_TEST_PG_PORT:-55432}"
port=""
for candidate in $(seq "$first_port" $((first_port + 9))); do
    port_in_use "$candidate" && continue
    write_settings "$candidate"
    rm -f "$log"
    if (cd / && as_owner "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null 2>&1); then
        port="$candidate"
        break
    fi
    # Someone took the port between the check and the start: try the next one; any other failure is final.
    grep -q 'could not bind\|Address already in use' "$log" 2>/dev/null || break
done
if [ -z "$port" ]; then
    tail -n 20 "$log" >&2 2>/dev/null || true
    fail "could not start PostgreSQL on 127.0.0.1 at ports $first_port-$((first_port + 9))"
fi

url_base="postgres://postgres:$password@127.0.0.1:$port"
# Over TCP with the password: also checks that the URL the tests get works.
PGPASSWORD="$password" PGCONNECT_TIMEOUT=10 "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres revisit_test ||
    fail "could not create the database revisit_test"

export REVISIT_TEST_DATABASE_URL="$url_base/revisit_test?sslmode=disable"
export REVISIT_TEST_PG_ADMIN_URL="$url_base/postgres?sslmode=disable"
export REVISIT_TEST_PG_BIN="$pg_bin"
export REVISIT_TEST_PG_DATA="$data"
export REVISIT_TEST_PG_RUNAS="$runas"
export REVISIT_TEST_PG_LOG="$log"
pg_ctl_line="$(printf '%q ' "$pg_bin/pg_ctl" -D "$data" -l "$log")"
[ -z "$runas" ] || pg_ctl_line="$(printf '%q ' "$runuser" -u "$runas" --)$pg_ctl_line"
export REVISIT_TEST_PG_CTL="${pg_ctl_line% }"
echo "with-postgres: PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port ($data)" >&2

# In the background (stdin kept) so that a signal reaches on_signal at once, not when COMMAND is done.
"$@" <&0 &
child=$!
status=0
wait "$child" || status=$?
exit "$status"
