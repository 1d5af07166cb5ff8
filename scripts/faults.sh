#!/usr/bin/env bash
# Fault drill: a PostgreSQL restart during writes loses no acknowledged write (issue 6 point 6).
#
#   bash scripts/faults.sh pg-restart [WRITERS=8] [SECONDS=20]
#
# It never touches the shared PostgreSQL (55432) or Redis: it initdb's a PRIVATE cluster in a temp dir on port
# $SBGF_FAULTS_PG_PORT (default 55490) with the durability settings of production (fsync on, synchronous_commit on,
# full_page_writes on), migrates the schema, and runs WRITERS processes that log meetings through the application's
# own service (meetings.services.meeting_plan, one transaction each, as the web form does). A write counts as
# ACKNOWLEDGED once the service returned (the COMMIT succeeded); each writer appends its acknowledged ids to a file.
# While they write, the cluster is restarted twice: `pg_ctl restart -m fast` (a clean restart) and
# `pg_ctl stop -m immediate` + start (no checkpoint: crash recovery from the WAL). Writers reconnect and go on.
# At the end every acknowledged id must be in the database, and nothing may be there twice.
# Exit status 0 = no acknowledged write lost. The temp cluster is removed afterwards.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PY="$PROJECT_DIR/.venv/bin/python"
PORT="${SBGF_FAULTS_PG_PORT:-55490}"
WRITERS="${2:-8}"
SECONDS_TOTAL="${3:-20}"

log() { echo "faults: $*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$BIN/postgres" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

pg_restart_drill() {
    if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then die "port $PORT is in use; set SBGF_FAULTS_PG_PORT"; fi
    # Not local: the EXIT trap runs after this function returned.
    base="$(mktemp -d /tmp/sbgf-faults-pg-XXXXXX)"
    work="$(mktemp -d /tmp/sbgf-faults-work-XXXXXX)"
    data="$base/data"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$base"
    cleanup() {
        as_pg "$BIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$base" "$work"
    }
    trap cleanup EXIT

    log "initdb private cluster in $data (port $PORT)"
    as_pg "$BIN/initdb" -D "$data" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    local opts="-c listen_addresses=127.0.0.1 -p $PORT -k $base -c fsync=on -c synchronous_commit=on"
    opts+=" -c full_page_writes=on -c max_connections=100"
    start() { as_pg "$BIN/pg_ctl" -D "$data" -l "$base/postgres.log" -w -t 60 -o "$opts" start >/dev/null; }
    start
    "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE DATABASE sbgf_faults" postgres

    export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/sbgf_faults"
    export DJANGO_SETTINGS_MODULE=config.settings.local REDIS_URL="" FAULTS_WORK="$work" PYTHONPATH="$PROJECT_DIR"
    cd "$PROJECT_DIR"
    "$PY" manage.py migrate -v 0

    # One branch per writer (the tree is not the point; meetings are the app's hot write path).
    "$PY" - "$WRITERS" <<'PYSETUP'
import sys, datetime, django
django.setup()
from branches import services
from branches.validators import make_id_number
root = services.organization_create(parent=None, code="FAULTS", name="故障演练党委", kind="committee",
                                    established_on=datetime.date(2000, 1, 1))
birth = datetime.date(1985, 1, 1)
for w in range(int(sys.argv[1])):
    branch = services.organization_create(parent=root, code=f"FAULTS-{w}", name=f"演练支部{w}", kind="branch",
                                          established_on=datetime.date(2000, 1, 1))
    for m in range(3):  # a meeting needs members for its roll
        services.member_create(organization=branch, name=f"演练{w}-{m}", gender="male", birth_date=birth,
                               education="bachelor", id_number=make_id_number("110101", birth, w * 10 + m),
                               joined_on=datetime.date(2010, 7, 1), full_on=datetime.date(2011, 7, 1))
PYSETUP

    cat >"$work/writer.py" <<'PYWRITER'
"""One writer: log meetings until the deadline; append each acknowledged meeting id (and its topic) to a file."""
import datetime, os, sys, time
import django
django.setup()
from django.db import InterfaceError, OperationalError, connection
from branches.models import Organization
from meetings.services import meeting_plan

wid, deadline = int(sys.argv[1]), time.time() + float(sys.argv[2])
acked = open(os.path.join(os.environ["FAULTS_WORK"], f"acked-{wid}.txt"), "a", buffering=1)
errors = 0
i = 0
branch = None
while time.time() < deadline:
    i += 1
    try:
        branch = branch or Organization.objects.get(code=f"FAULTS-{wid}")
        meeting = meeting_plan(organization=branch, kind="theme_day", date=datetime.date(2026, 11, 1),
                               topic=f"w{wid}-{i}")
    except (OperationalError, InterfaceError):
        errors += 1  # not acknowledged: the caller would be told it failed
        connection.close()
        time.sleep(0.2)
        continue
    acked.write(f"{meeting.pk} w{wid}-{i}\n")
print(f"writer {wid}: {i} attempts, {errors} refused during the restarts", file=sys.stderr)
PYWRITER

    log "$WRITERS writers for ${SECONDS_TOTAL}s; restarts at 1/3 (fast) and 2/3 (immediate, crash recovery)"
    local pids=() w
    for w in $(seq 0 $((WRITERS - 1))); do
        "$PY" "$work/writer.py" "$w" "$SECONDS_TOTAL" &
        pids+=($!)
    done
    sleep "$((SECONDS_TOTAL / 3))"
    log "pg_ctl restart -m fast"
    as_pg "$BIN/pg_ctl" -D "$data" -m fast -w restart -o "$opts" -l "$base/postgres.log" >/dev/null
    sleep "$((SECONDS_TOTAL / 3))"
    log "pg_ctl stop -m immediate (like a crash), then start"
    as_pg "$BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
    sleep 1
    start
    for w in "${pids[@]}"; do wait "$w"; done

    cat "$work"/acked-*.txt >"$work/acked.txt"
    "$PY" - "$work/acked.txt" <<'PYCHECK'
import sys, django
django.setup()
from django.db.models import Count
from meetings.models import Meeting
acked = dict(line.split() for line in open(sys.argv[1]) if line.strip())
found = dict(Meeting.objects.filter(organization__code__startswith="FAULTS-").values_list("pk", "topic"))
lost = [pk for pk, topic in acked.items() if found.get(int(pk)) != topic]
twice = Meeting.objects.filter(organization__code__startswith="FAULTS-").values("topic").annotate(n=Count("id")).filter(n__gt=1)
print(f"acknowledged writes: {len(acked)}; rows in the database: {len(found)}; "
      f"lost acknowledged: {len(lost)}; duplicated: {twice.count()}; "
      f"committed but not acknowledged (the reply was lost in the restart): {len(found) - len(acked) + len(lost)}")
sys.exit(1 if lost or twice.exists() else 0)
PYCHECK
}

case "${1:-}" in
pg-restart) pg_restart_drill ;;
*)
    echo "usage: $0 pg-restart [WRITERS] [SECONDS]" >&2
    exit 2
    ;;
esac
