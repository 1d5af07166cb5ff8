#!/usr/bin/env bash
# Backup and restore: the PostgreSQL database (pg_dump custom format) plus the uploaded files (MEDIA_ROOT).
#
#   bash scripts/backup.sh backup [DIR]     # default DIR: backups/<YYYYmmdd-HHMMSS>
#   bash scripts/backup.sh restore DIR      # pg_restore --clean into DATABASE_URL's database, files into MEDIA_ROOT
#
# Environment:
#   DATABASE_URL   postgres://user[:password]@host:port/name   (required; SQLite is not backed up by this script)
#   MEDIA_ROOT     the uploaded files; default: what Django settings say (DJANGO_SETTINGS_MODULE, default
#                  config.settings.local), i.e. ./media unless configured
#
# A backup directory holds db.dump, media.tar.gz (paths relative to MEDIA_ROOT) and SHA256SUMS; restore checks the
# sums first. Restore replaces the database objects and the media files; the old media directory is kept beside it
# as <MEDIA_ROOT>.before-restore-<timestamp> until you remove it. Restoring into a fresh database works too:
# `createdb NAME` first and point DATABASE_URL at it.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$PROJECT_DIR"

log() { echo "backup: $*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

# Client binaries matching the newest installed server (pg_dump refuses a server newer than itself).
pg_tool() {
    local name="$1" d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    if [ -n "$d" ] && [ -x "$d/$name" ]; then
        echo "$d/$name"
    elif command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
    else
        die "$name not found (apt-get install postgresql-client)"
    fi
}

# libpq understands postgres:// and postgresql:// URLs; django-environ also accepts psql:// and pgsql://.
libpq_url() {
    local url="${DATABASE_URL:-}"
    [ -n "$url" ] || die "DATABASE_URL is not set (e.g. eval \"\$(bash scripts/services.sh env)\")"
    case "$url" in
    postgres://* | postgresql://*) echo "$url" ;;
    psql://* | pgsql://*) echo "postgresql://${url#*://}" ;;
    *) die "DATABASE_URL is not a PostgreSQL URL: ${url%%://*}://..." ;;
    esac
}

media_root() {
    if [ -n "${MEDIA_ROOT:-}" ]; then
        echo "$MEDIA_ROOT"
        return
    fi
    local python="$PROJECT_DIR/.venv/bin/python"
    [ -x "$python" ] || python=python3
    DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}" "$python" -c \
        'import django; from django.conf import settings; print(settings.MEDIA_ROOT)'
}

cmd_backup() {
    local dir="${1:-backups/$(date +%Y%m%d-%H%M%S)}" url media
    url="$(libpq_url)"
    media="$(media_root)"
    [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ] && die "$dir exists and is not empty"
    mkdir -p "$dir"

    log "dumping the database to $dir/db.dump"
    # Custom format: compressed, and pg_restore can --clean and restore selectively.
    "$(pg_tool pg_dump)" --format=custom --no-owner --no-privileges --file="$dir/db.dump" --dbname="$url"

    log "archiving uploaded files from $media to $dir/media.tar.gz"
    if [ -d "$media" ]; then
        tar -C "$media" -czf "$dir/media.tar.gz" .
    else
        log "no media directory at $media: archiving an empty one"
        tar -czf "$dir/media.tar.gz" -T /dev/null
    fi

    (cd "$dir" && sha256sum db.dump media.tar.gz >SHA256SUMS)
    log "done: $dir ($(du -sh "$dir" | cut -f1))"
    echo "$dir"
}

cmd_restore() {
    local dir="${1:-}" url media stamp
    [ -n "$dir" ] || die "usage: $0 restore DIR   (e.g. make restore BACKUP=backups/20261121-020000)"
    [ -f "$dir/db.dump" ] && [ -f "$dir/media.tar.gz" ] || die "$dir has no db.dump / media.tar.gz"
    url="$(libpq_url)"
    media="$(media_root)"
    if [ -f "$dir/SHA256SUMS" ]; then
        (cd "$dir" && sha256sum --quiet -c SHA256SUMS) || die "checksums in $dir/SHA256SUMS do not match"
    fi

    log "restoring the database from $dir/db.dump"
    # --clean --if-exists: drop what the dump contains first, so a restore over a live database is exact.
    # --single-transaction: a failed restore leaves the database as it was.
    "$(pg_tool pg_restore)" --clean --if-exists --no-owner --no-privileges --single-transaction \
        --exit-on-error --dbname="$url" "$dir/db.dump"

    log "restoring uploaded files into $media"
    stamp="$(date +%Y%m%d-%H%M%S)"
    local staging="$media.restoring-$stamp"
    mkdir -p "$staging"
    tar -C "$staging" -xzf "$dir/media.tar.gz"
    if [ -d "$media" ]; then
        mv "$media" "$media.before-restore-$stamp"
        log "previous files kept in $media.before-restore-$stamp"
    fi
    mv "$staging" "$media"
    log "done"
}

case "${1:-}" in
backup) cmd_backup "${2:-}" ;;
restore) cmd_restore "${2:-}" ;;
*)
    echo "usage: $0 backup [DIR] | restore DIR" >&2
    exit 2
    ;;
esac
