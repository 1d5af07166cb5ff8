"""Export jobs: the zip of every branch, progress, failure, the worker-death check and the retention cleanup."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from ledgers import jobs, services, tasks
from ledgers.models import ExportJob

from .conftest import YEAR


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_export_of_a_committee_zips_one_workbook_per_branch(records, tree, cast):
    job = jobs.export_job_start(user=cast.committee, organization=tree.committee_a, year=YEAR)  # eager in tests
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.total, job.done_count, job.attempts) == (2, 2, 1)
    assert job.size > 0 and job.finished_at is not None
    with default_storage.open(job.file.name, "rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as archive:
        assert sorted(archive.namelist()) == ["EA-B1_甲集团第一党支部.xlsx", "EA-B2_甲集团第二党支部.xlsx"]
        book = load_workbook(io.BytesIO(archive.read("EA-B1_甲集团第一党支部.xlsx")))
        labels = [label for (label,) in book["会议记录本"].iter_rows(max_col=1, values_only=True)]
        assert [label for label in labels if label and label.endswith("次")] == ["第1次", "第2次", "第3次"]
    assert not list(Path(default_storage.path(job.file.name)).parent.glob("*.part"))


def test_sasac_reviewer_may_export_the_whole_tree(records, tree, cast):
    job = jobs.export_job_start(user=cast.sasac, organization=tree.root, year=YEAR)
    assert job.status == ExportJob.Status.DONE and job.total == 3


def test_nobody_exports_an_organization_they_cannot_read(tree, cast):
    with pytest.raises(ValidationError, match="无权导出"):
        jobs.export_job_create(user=cast.secretary2, organization=tree.branch_a, year=YEAR)
    with pytest.raises(ValidationError, match="年度"):
        jobs.export_job_create(user=cast.committee, organization=tree.committee_a, year=timezone.localdate().year + 1)
    assert not ExportJob.objects.exists()


def test_a_failing_export_leaves_a_visible_failed_state(tree, cast, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(services, "ledger_write", boom)
    job = jobs.export_job_start(user=cast.committee, organization=tree.committee_a, year=YEAR)
    assert job.status == ExportJob.Status.FAILED
    assert "磁盘已满" in job.error and job.finished_at is not None and not job.file


def test_task_for_a_finished_job_does_nothing(tree, cast):
    job = jobs.export_job_start(user=cast.committee, organization=tree.committee_a, year=YEAR)
    assert tasks.export_ledgers.apply(args=[job.pk]).get() == ExportJob.Status.DONE
    job.refresh_from_db()
    assert job.attempts == 1
    assert tasks.export_ledgers.apply(args=[999999]).get() == "missing"


def test_a_job_redelivered_too_often_fails_instead_of_looping(tree, cast, settings):
    settings.LEDGER_EXPORT_MAX_ATTEMPTS = 2
    job = ExportJob.objects.create(user=cast.committee, organization=tree.committee_a, year=YEAR, attempts=2)
    tasks.export_ledgers.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "中断" in job.error


def test_cleanup_fails_a_job_whose_worker_died(tree, cast):
    now = timezone.now()
    stale = ExportJob.objects.create(
        user=cast.committee, organization=tree.committee_a, year=YEAR, status="running", total=2, done_count=1,
        heartbeat_at=now - datetime.timedelta(minutes=31), file="ledgers/exports/dead.zip",
    )  # fmt: skip
    part = Path(default_storage.path("ledgers/exports/dead.zip.part"))
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"partial")
    alive = ExportJob.objects.create(
        user=cast.committee, organization=tree.committee_a, year=YEAR, status="running", heartbeat_at=now
    )
    never_picked = ExportJob.objects.create(user=cast.committee, organization=tree.committee_a, year=YEAR)
    ExportJob.objects.filter(pk=never_picked.pk).update(created_at=now - datetime.timedelta(hours=7))

    assert jobs.export_jobs_cleanup(now=now) == {"expired": 0, "failed": 2}
    stale.refresh_from_db(), alive.refresh_from_db(), never_picked.refresh_from_db()
    assert stale.status == "failed" and "没有进展" in stale.error and not part.exists()
    assert alive.status == "running"
    assert never_picked.status == "failed" and "排队" in never_picked.error


def test_cleanup_removes_files_after_the_retention_period(tree, cast, settings):
    settings.LEDGER_EXPORT_RETENTION_HOURS = 24
    old = jobs.export_job_start(user=cast.committee, organization=tree.committee_a, year=YEAR)
    fresh = jobs.export_job_start(user=cast.committee, organization=tree.committee_a, year=YEAR)
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    path = Path(default_storage.path(old.file.name))
    assert path.exists()

    assert tasks.cleanup_ledger_exports.apply().get() == {"expired": 1, "failed": 0}
    old.refresh_from_db(), fresh.refresh_from_db()
    assert old.status == ExportJob.Status.EXPIRED and not old.file and not path.exists()
    assert fresh.status == ExportJob.Status.DONE and default_storage.exists(fresh.file.name)


def test_the_data_migration_creates_the_cleanup_schedule_once(db):
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("ledgers.migrations.0002_cleanup_schedule")
    # Run it again (a transactional test elsewhere may have flushed the migrated row): idempotent, one row.
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    task = PeriodicTask.objects.get(name="台账导出文件清理")
    assert task.task == "ledgers.tasks.cleanup_ledger_exports" and task.enabled
    assert task.crontab.minute == "*/15" and str(task.crontab.timezone) == "Asia/Shanghai"
