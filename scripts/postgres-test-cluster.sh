#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests of the PostgreSQL store: made in a new temporary folder, listening on
# 127.0.0.1 only, trusting local connections without a password, and removed whole by `stop`.
#
#   scripts/postgres-test-cluster.sh start [--env-file FILE] [--stop-when-gone PID]
#       Makes and starts a cluster, creates the database margin_test, starts a hot standby that replicates the
#       cluster by streaming (a read replica, on a port of its own), and prints three lines for the shell:
#           export MARGIN_TEST_POSTGRES_URL=postgresql://margin@127.0.0.1:PORT/margin_test
#           export MARGIN_TEST_POSTGRES_REPLICA_URL=postgresql://margin@127.0.0.1:STANDBY_PORT/margin_test
#           export MARGIN_TEST_POSTGRES_DIR=/tmp/margin-pg.XXXXXX
#       (use them with: eval "$(scripts/postgres-test-cluster.sh start)"). With --env-file, the same lines are
#       written to FILE instead, and the folder's path alone is printed. The user `margin` is a superuser, so tests
#       may create and drop databases of their own.
#       With --stop-when-gone PID, a watcher in the background stops and removes the cluster once process PID has
#       ended (the tests use it when they start a cluster themselves, so that a crashed run leaves nothing behind).
#   scripts/postgres-test-cluster.sh stop DIR
#       Stops the cluster in DIR (the MARGIN_TEST_POSTGRES_DIR that `start` gave) and removes DIR. It refuses a
#       folder that `start` did not make.
#   scripts/postgres-test-cluster.sh run COMMAND [ARGUMENT…]
#       Starts a cluster, runs COMMAND with the three variables set, then stops the cluster and removes its folder, also
#       when COMMAND fails or is interrupted; exits with COMMAND's status. `make test` runs `swift test` this way.
#
# PostgreSQL refuses to run as root. Run as root (as CI does), the script makes the system user margin-pg when it is
# missing (or, where users cannot be added, uses nobody), gives it the temporary folder, and runs initdb and the
# server as that user. Run as anyone else, it runs them as that user.
#
# The server binaries are taken from $POSTGRES_BIN when set, else from the newest /usr/lib/postgresql/*/bin, else
# from PATH. On Debian they come with the package postgresql (`make deps` installs it when missing).
#
# The cluster is for tests: fsync and synchronous commit are off, so a crash of the machine may lose it. Its log is
# DIR/server.log, the standby's DIR/standby.log.
set -euo pipefail

readonly DATABASE=margin_test
readonly SUPERUSER=margin
readonly MARKER=margin-test-cluster
readonly SERVICE_USER=margin-pg

die() {
    echo "postgres-test-cluster: $*" >&2
    exit 1
}

# The folder holding initdb, pg_ctl and postgres.
postgres_bin() {
    if [ -n "${POSTGRES_BIN:-}" ]; then
        [ -x "$POSTGRES_BIN/initdb" ] || die "POSTGRES_BIN=$POSTGRES_BIN holds no initdb"
        echo "$POSTGRES_BIN"
        return 0
    fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -n 1 || true)
    if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then
        echo "$newest"
        return 0
    fi
    local initdb
    initdb=$(command -v initdb || true)
    [ -n "$initdb" ] || die "PostgreSQL's server programs (initdb, pg_ctl) are not installed; on Debian: apt-get install postgresql (or make deps)"
    dirname "$(readlink -f "$initdb")"
}

# The user the server runs as: the caller, or an unprivileged one when the caller is root.
server_user() {
    if [ "$(id -u)" != 0 ]; then
        id -un
        return 0
    fi
    if id "$SERVICE_USER" >/dev/null 2>&1; then
        echo "$SERVICE_USER"
    elif useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SERVICE_USER" >/dev/null 2>&1; then
        echo "$SERVICE_USER"
    else
        echo nobody
    fi
}

# Runs a command as the server's user.
as_server_user() {
    local user=$1
    shift
    if [ "$user" = "$(id -un)" ]; then
        "$@"
    else
        runuser -u "$user" -- "$@"
    fi
}

# A port in 20000…59999 to try; a taken one makes the server fail to start, and the caller tries another.
candidate_port() {
    echo $((20000 + (RANDOM * 32768 + RANDOM) % 40000))
}

# Starts the server of the data folder $3 on a free port of 127.0.0.1, logging to $4, its socket in $5; prints the port.
start_server() {
    local bin=$1 user=$2 data=$3 log=$4 sockets=$5 attempt
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        local candidate
        candidate=$(candidate_port)
        if as_server_user "$user" "$bin/pg_ctl" --pgdata="$data" --log="$log" --wait --timeout=60 \
            --options="-c listen_addresses=127.0.0.1 -p $candidate -c unix_socket_directories=$sockets -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

start() {
    local env_file="" owner_pid=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --env-file) [ $# -ge 2 ] || die "--env-file needs a file"; env_file=$2; shift 2 ;;
            --stop-when-gone) [ $# -ge 2 ] || die "--stop-when-gone needs a process id"; owner_pid=$2; shift 2 ;;
            *) die "unknown option for start: $1" ;;
        esac
    done
    local bin user dir
    bin=$(postgres_bin)
    user=$(server_user)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/margin-pg.XXXXXX")
    touch "$dir/$MARKER"
    chmod 755 "$dir"
    [ "$user" = "$(id -un)" ] || chown -R "$user" "$dir"
    # Everything below runs as the server's user; its output goes to the log, not to the caller's shell.
    if ! as_server_user "$user" "$bin/initdb" --pgdata="$dir/data" --username="$SUPERUSER" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        die "initdb failed (its output is above)"
    fi
    local port
    if ! port=$(start_server "$bin" "$user" "$dir/data" "$dir/server.log" "$dir"); then
        tail -n 20 "$dir/server.log" >&2 || true
        rm -rf "$dir"
        die "the server did not start on any of 10 ports (the end of its log is above)"
    fi
    if ! as_server_user "$user" "$bin/createdb" --host=127.0.0.1 --port="$port" --username="$SUPERUSER" "$DATABASE" >>"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        stop "$dir"
        die "createdb failed (its output is above)"
    fi
    # The standby: a copy of the cluster that follows it through streamed WAL and answers read-only queries.
    if ! as_server_user "$user" "$bin/pg_basebackup" --pgdata="$dir/standby" --host=127.0.0.1 --port="$port" \
        --username="$SUPERUSER" --write-recovery-conf --wal-method=stream --checkpoint=fast >>"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        stop "$dir"
        die "pg_basebackup failed (its output is above)"
    fi
    local standby_port
    if ! standby_port=$(start_server "$bin" "$user" "$dir/standby" "$dir/standby.log" "$dir"); then
        tail -n 20 "$dir/standby.log" >&2 || true
        stop "$dir"
        die "the standby did not start on any of 10 ports (the end of its log is above)"
    fi
    if [ -n "$owner_pid" ]; then
        # Detached (its own session, no inherited output), so that it outlives the owner and its process group.
        setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; exec "$2" stop "$3"' watcher \
            "$owner_pid" "$(readlink -f "$0")" "$dir" </dev/null >/dev/null 2>&1 &
    fi
    local lines
    lines="export MARGIN_TEST_POSTGRES_URL=postgresql://$SUPERUSER@127.0.0.1:$port/$DATABASE
export MARGIN_TEST_POSTGRES_REPLICA_URL=postgresql://$SUPERUSER@127.0.0.1:$standby_port/$DATABASE
export MARGIN_TEST_POSTGRES_DIR=$dir"
    if [ -n "$env_file" ]; then
        printf '%s\n' "$lines" >"$env_file"
        echo "$dir"
    else
        printf '%s\n' "$lines"
    fi
}

stop() {
    [ $# -eq 1 ] || die "usage: $0 stop DIR"
    local dir=$1
    [ -d "$dir" ] || die "$dir is not a folder"
    [ -f "$dir/$MARKER" ] || die "$dir was not made by this script; not touching it"
    local data
    # The standby first, so that it does not wait for the server it follows.
    for data in "$dir/standby" "$dir/data"; do
        if [ -f "$data/postmaster.pid" ]; then
            local bin owner
            bin=$(postgres_bin)
            owner=$(stat -c %U "$data")
            as_server_user "$owner" "$bin/pg_ctl" --pgdata="$data" --mode=fast --wait --timeout=60 stop >/dev/null 2>&1 \
                || echo "postgres-test-cluster: the server in $data did not stop cleanly" >&2
        fi
    done
    rm -rf "$dir"
}

run() {
    [ $# -ge 1 ] || die "usage: $0 run COMMAND [ARGUMENT…]"
    local env_file
    env_file=$(mktemp "${TMPDIR:-/tmp}/margin-pg-env.XXXXXX")
    start --env-file "$env_file" >/dev/null
    # shellcheck disable=SC1090
    . "$env_file"
    rm -f "$env_file"
    export MARGIN_TEST_POSTGRES_URL MARGIN_TEST_POSTGRES_REPLICA_URL MARGIN_TEST_POSTGRES_DIR
    trap 'stop "$MARGIN_TEST_POSTGRES_DIR"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    local status=0
    "$@" || status=$?
    exit "$status"
}

command=${1:-}
[ -n "$command" ] || die "usage: $0 start [--env-file FILE] [--stop-when-gone PID] | stop DIR | run COMMAND [ARGUMENT…]"
shift
case "$command" in
    start) start "$@" ;;
    stop) stop "$@" ;;
    run) run "$@" ;;
    *) die "unknown command $command; use start, stop or run" ;;
esac
