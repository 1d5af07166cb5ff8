"""Backup and restore (issue 6, point 8): `make backup` then `make restore` into a FRESH database finds every record
and every uploaded file. PostgreSQL only: the script is pg_dump / pg_restore."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from branches.models import Member, Membership, Organization
from meetings import services as meeting_services
from meetings.models import Meeting, MeetingAttachment
from tests.meetings.meeting_helpers import K, hold, plan

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "scripts" / "backup.sh"
PDF = b"%PDF-1.4\n% sign-in sheet\n%%EOF\n"

pytestmark = pytest.mark.django_db(
    transaction=True
)  # pg_dump reads from its own connection: the data must be committed


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _run(*args, env):
    result = subprocess.run(
        ["bash", str(SCRIPT), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def fresh_database():
    if connection.vendor != "postgresql":
        pytest.skip("backup/restore uses pg_dump and pg_restore: PostgreSQL only (run with DATABASE_URL set)")
    name = f"sbgf_restore_{uuid.uuid4().hex[:10]}"
    admin = _url("postgres")
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield _url(name)
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def test_backup_restored_into_a_fresh_database_has_every_record_and_file(
    tree, members, cast, settings, tmp_path, fresh_database
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    held = hold(plan(tree, K.BRANCH_ASSEMBLY, topic="学习二十届全会精神", user=cast.secretary))
    planned = plan(tree, K.BRANCH_COMMITTEE, topic="研究发展党员", user=cast.secretary)
    archived = meeting_services.meeting_archive(meeting=hold(plan(tree, K.THEME_DAY, topic="主题党日")), user=None)
    attachment = meeting_services.attachment_add(
        meeting=held, file=SimpleUploadedFile("签到表.pdf", PDF), user=cast.secretary
    )
    expected = {
        "members": sorted(Member.objects.values_list("id_number", flat=True)),
        "memberships": Membership.objects.count(),
        "organizations": sorted(Organization.objects.values_list("code", flat=True)),
        "meetings": sorted(Meeting.objects.values_list("id", "topic", "status")),
        "member_history": Member.history.count(),
    }
    assert {held.pk, planned.pk, archived.pk} <= {m[0] for m in expected["meetings"]}

    env = {**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"]), "MEDIA_ROOT": str(media)}
    backup_dir = tmp_path / "backups" / "20261121-020000"
    _run("backup", str(backup_dir), env=env)
    assert {p.name for p in backup_dir.iterdir()} == {"db.dump", "media.tar.gz", "SHA256SUMS"}

    restored_media = tmp_path / "restored-media"
    _run("restore", str(backup_dir), env={**env, "DATABASE_URL": fresh_database, "MEDIA_ROOT": str(restored_media)})

    found = {
        "members": sorted(r[0] for r in _rows(fresh_database, "SELECT id_number FROM branches_member")),
        "memberships": _rows(fresh_database, "SELECT count(*) FROM branches_membership")[0][0],
        "organizations": sorted(r[0] for r in _rows(fresh_database, "SELECT code FROM branches_organization")),
        "meetings": sorted(_rows(fresh_database, "SELECT id, topic, status FROM meetings_meeting")),
        "member_history": _rows(fresh_database, "SELECT count(*) FROM branches_historicalmember")[0][0],
    }
    assert found == expected
    users = {r[0] for r in _rows(fresh_database, "SELECT username FROM auth_user")}
    assert {"sasac", "committee", "secretary", "secretary2", "admin"} <= users
    [(file_name, original)] = _rows(fresh_database, "SELECT file, original_name FROM meetings_meetingattachment")
    assert (file_name, original) == (attachment.file.name, "签到表.pdf")
    assert (restored_media / file_name).read_bytes() == PDF
    assert MeetingAttachment.objects.count() == 1  # the source is untouched


def test_restore_refuses_a_tampered_backup(tree, settings, tmp_path, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"]), "MEDIA_ROOT": str(tmp_path / "m")}
    backup_dir = tmp_path / "b"
    _run("backup", str(backup_dir), env=env)
    with open(backup_dir / "db.dump", "ab") as dump:
        dump.write(b"tampered")
    result = subprocess.run(
        ["bash", str(SCRIPT), "restore", str(backup_dir)],
        cwd=ROOT,
        env={**env, "DATABASE_URL": fresh_database},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0 and "checksums" in result.stderr
    assert _rows(fresh_database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")[0][0] == 0


def test_backup_script_refuses_a_non_postgresql_database(tmp_path):
    result = subprocess.run(
        ["bash", str(SCRIPT), "backup", str(tmp_path / "b")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite:////tmp/x.sqlite3", "MEDIA_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "not a PostgreSQL URL" in result.stderr
