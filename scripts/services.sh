#!/usr/bin/env bash
# Private PostgreSQL + Redis for development and tests.
#
#   bash scripts/services.sh install   # apt-get install missing system packages
#   bash scripts/services.sh start     # start private PostgreSQL and Redis (idempotent)
#   bash scripts/services.sh stop      # stop both (idempotent, never fails)
#   bash scripts/services.sh status    # show whether they are running
#   bash scripts/services.sh env       # print DATABASE_URL / REDIS_URL exports
#
# Both servers listen on 127.0.0.1 only, on non-default ports, with their data
# under .services/ in the project directory (gitignored).  When run as root,
# PostgreSQL runs as the `postgres` system user (postgres refuses to run as
# root); if the project directory is not traversable by that user, the
# PostgreSQL data lives in /tmp/sbgf-pg-<hash of project path> instead.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
SERVICES_DIR="$PROJECT_DIR/.services"

PG_HOST=127.0.0.1
PG_PORT="${SBGF_PG_PORT:-55432}"
PG_DB=sbgf
PG_USER=postgres
REDIS_HOST=127.0.0.1
REDIS_PORT="${SBGF_REDIS_PORT:-56379}"

PATH_HASH="$(printf '%s' "$PROJECT_DIR" | sha1sum | cut -c1-12)"
PG_BASE_LOCAL="$SERVICES_DIR/postgres"
PG_BASE_TMP="/tmp/sbgf-pg-$PATH_HASH"
REDIS_DIR="$SERVICES_DIR/redis"

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1

log() { echo "services: $*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

pg_bin_dir() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    [ -n "$d" ] && [ -x "$d/postgres" ] || return 1
    echo "$d"
}

# Run a PostgreSQL server-side command as the right user (postgres when root).
as_pg() {
    if [ "$IS_ROOT" -eq 1 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# ---------------------------------------------------------------- install ---

wait_for_apt_locks() {
    local waited=0
    local locks=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock)
    while :; do
        local busy=0
        if command -v fuser >/dev/null 2>&1; then
            fuser "${locks[@]}" >/dev/null 2>&1 && busy=1
        elif pgrep -x 'apt-get|apt|dpkg|aptitude|unattended-upgr' >/dev/null 2>&1; then
            busy=1
        fi
        [ "$busy" -eq 0 ] && return 0
        if [ "$waited" -eq 0 ]; then
            log "waiting for another apt/dpkg process to finish..."
        fi
        if [ "$waited" -ge 1800 ]; then
            log "apt/dpkg lock still held after ${waited}s; trying anyway"
            return 0
        fi
        sleep 5
        waited=$((waited + 5))
    done
}

cmd_install() {
    local missing=()
    pg_bin_dir >/dev/null || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 ||
        missing+=(redis-server)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
    command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc)
    # Carlito: the metric twin of Calibri (the workbooks' default font), so LibreOffice lays out column widths as
    # Excel does; poppler-utils: pdftotext/pdftoppm, with which the tests read the printed ledger back.
    dpkg -s fonts-crosextra-carlito >/dev/null 2>&1 || missing+=(fonts-crosextra-carlito)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)

    [ "${#missing[@]}" -eq 0 ] && return 0

    local sudo=()
    if [ "$IS_ROOT" -ne 1 ]; then
        command -v sudo >/dev/null 2>&1 ||
            die "missing packages (${missing[*]}) and not root / no sudo; install them manually"
        sudo=(sudo)
    fi

    log "installing missing packages: ${missing[*]}"
    local apt_opts=(-o DPkg::Lock::Timeout=600 -q)
    wait_for_apt_locks
    "${sudo[@]}" apt-get "${apt_opts[@]}" update
    wait_for_apt_locks
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}"
    log "install done"
}

# ---------------------------------------------------------------- postgres --

# Print the PostgreSQL base dir of an existing cluster (local or /tmp), if any.
pg_existing_base() {
    local b
    for b in "$PG_BASE_LOCAL" "$PG_BASE_TMP"; do
        if [ -f "$b/data/PG_VERSION" ]; then
            echo "$b"
            return 0
        fi
    done
    return 1
}

# Choose (and create) the PostgreSQL base dir for a new cluster.
pg_choose_base() {
    mkdir -p "$SERVICES_DIR"
    if [ "$IS_ROOT" -ne 1 ]; then
        mkdir -p "$PG_BASE_LOCAL"
        echo "$PG_BASE_LOCAL"
        return 0
    fi
    # As root: the postgres user must be able to traverse the project dir.
    chmod o+x "$SERVICES_DIR" 2>/dev/null || true
    mkdir -p "$PG_BASE_LOCAL"
    chown postgres:postgres "$PG_BASE_LOCAL"
    chmod 700 "$PG_BASE_LOCAL"
    if runuser -u postgres -- test -w "$PG_BASE_LOCAL" -a -x "$PG_BASE_LOCAL" 2>/dev/null; then
        echo "$PG_BASE_LOCAL"
        return 0
    fi
    rmdir "$PG_BASE_LOCAL" 2>/dev/null || true
    log "project dir not traversable by the postgres user; using $PG_BASE_TMP"
    mkdir -p "$PG_BASE_TMP"
    chown postgres:postgres "$PG_BASE_TMP"
    chmod 700 "$PG_BASE_TMP"
    echo "$PG_BASE_TMP"
}

pg_is_running() {
    local base="$1" bin="$2"
    [ -f "$base/data/postmaster.pid" ] || return 1
    as_pg "$bin/pg_ctl" -D "$base/data" status >/dev/null 2>&1
}

pg_start() {
    local bin base data sockdir
    bin="$(pg_bin_dir)" || die "PostgreSQL server not found under /usr/lib/postgresql/*/bin (run: $0 install)"

    base="$(pg_existing_base || true)"
    if [ -n "$base" ] && pg_is_running "$base" "$bin"; then
        log "postgres already running ($base/data, port $PG_PORT)"
        pg_create_db "$bin"
        return 0
    fi
    [ -n "$base" ] || base="$(pg_choose_base)"
    data="$base/data"
    # Unix sockets have a ~107 byte path limit; fall back to /tmp for deep paths.
    sockdir="$base/run"
    if [ "${#sockdir}" -gt 80 ]; then
        sockdir="/tmp/sbgf-pgsock-$PATH_HASH"
    fi
    if [ "$IS_ROOT" -eq 1 ]; then
        chmod o+x "$SERVICES_DIR" 2>/dev/null || true
        mkdir -p "$sockdir"
        chown postgres:postgres "$base" "$sockdir"
    else
        mkdir -p "$sockdir"
    fi

    if [ ! -f "$data/PG_VERSION" ]; then
        log "initdb $data"
        as_pg mkdir -p "$data"
        if ! as_pg "$bin/initdb" -D "$data" -A trust -U "$PG_USER" --encoding=UTF8 \
            --locale=C.UTF-8 >"$base/initdb.log" 2>&1; then
            log "initdb with C.UTF-8 failed; retrying with --locale=C"
            as_pg rm -rf "$data"
            as_pg mkdir -p "$data"
            as_pg "$bin/initdb" -D "$data" -A trust -U "$PG_USER" --encoding=UTF8 \
                --locale=C >"$base/initdb.log" 2>&1 ||
                {
                    cat "$base/initdb.log" >&2
                    die "initdb failed"
                }
        fi
    fi

    log "starting postgres on $PG_HOST:$PG_PORT"
    local opts="-c listen_addresses=$PG_HOST -p $PG_PORT -k '$sockdir'"
    opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if ! as_pg "$bin/pg_ctl" -D "$data" -l "$base/postgres.log" -w -t 60 -o "$opts" start >/dev/null; then
        tail -n 30 "$base/postgres.log" >&2 || true
        die "postgres failed to start (log: $base/postgres.log)"
    fi

    local i
    for i in $(seq 1 60); do
        "$bin/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" && break
        [ "$i" -eq 60 ] && die "postgres not ready after 30s (log: $base/postgres.log)"
        sleep 0.5
    done
    pg_create_db "$bin"
}

pg_create_db() {
    local bin="$1" exists
    exists="$(PGCONNECT_TIMEOUT=10 "$bin/psql" -X -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres \
        -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")"
    if [ "$exists" != "1" ]; then
        log "creating database $PG_DB"
        "$bin/psql" -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres \
            -c "CREATE DATABASE $PG_DB ENCODING 'UTF8' TEMPLATE template0" >/dev/null
    fi
}

pg_stop() {
    local bin b
    bin="$(pg_bin_dir)" || return 0
    for b in "$PG_BASE_LOCAL" "$PG_BASE_TMP"; do
        if [ -f "$b/data/PG_VERSION" ] && pg_is_running "$b" "$bin"; then
            log "stopping postgres ($b/data)"
            as_pg "$bin/pg_ctl" -D "$b/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
                log "warning: pg_ctl stop failed for $b/data"
        fi
    done
    return 0
}

# ------------------------------------------------------------------ redis ---

redis_ping() {
    [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

redis_start() {
    command -v redis-server >/dev/null 2>&1 || die "redis-server not found (run: $0 install)"
    if redis_ping; then
        log "redis already running (port $REDIS_PORT)"
        return 0
    fi
    mkdir -p "$REDIS_DIR"
    log "starting redis on $REDIS_HOST:$REDIS_PORT"
    redis-server --port "$REDIS_PORT" --bind "$REDIS_HOST" --daemonize yes \
        --save '' --appendonly no \
        --pidfile "$REDIS_DIR/redis.pid" --dir "$REDIS_DIR" \
        --logfile "$REDIS_DIR/redis.log" >/dev/null
    local i
    for i in $(seq 1 60); do
        redis_ping && return 0
        sleep 0.5
    done
    tail -n 30 "$REDIS_DIR/redis.log" >&2 || true
    die "redis did not answer PING after 30s (log: $REDIS_DIR/redis.log)"
}

redis_stop() {
    command -v redis-cli >/dev/null 2>&1 || return 0
    if redis_ping; then
        log "stopping redis"
        redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        local i
        for i in $(seq 1 20); do
            redis_ping || break
            sleep 0.5
        done
    fi
    # Stale pidfile of a process we started that no longer answers on the port.
    if [ -f "$REDIS_DIR/redis.pid" ]; then
        local pid
        pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null || true)"
        if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "redis-server" ]; then
            kill "$pid" 2>/dev/null || true
        fi
        rm -f "$REDIS_DIR/redis.pid"
    fi
    return 0
}

# ------------------------------------------------------------------- main ---

cmd_env() {
    echo "export DATABASE_URL=postgres://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB"
    echo "export REDIS_URL=redis://$REDIS_HOST:$REDIS_PORT/0"
}

cmd_status() {
    local bin base rc=0
    bin="$(pg_bin_dir || true)"
    base="$(pg_existing_base || true)"
    if [ -n "$bin" ] && [ -n "$base" ] && pg_is_running "$base" "$bin"; then
        echo "postgres: running on $PG_HOST:$PG_PORT ($base/data)"
    else
        echo "postgres: stopped"
        rc=1
    fi
    if command -v redis-cli >/dev/null 2>&1 && redis_ping; then
        echo "redis: running on $REDIS_HOST:$REDIS_PORT"
    else
        echo "redis: stopped"
        rc=1
    fi
    return "$rc"
}

case "${1:-}" in
install) cmd_install ;;
start)
    pg_start
    redis_start
    ;;
stop)
    pg_stop || true
    redis_stop || true
    ;;
status) cmd_status ;;
env) cmd_env ;;
*)
    echo "usage: $0 {install|start|stop|status|env}" >&2
    exit 2
    ;;
esac
