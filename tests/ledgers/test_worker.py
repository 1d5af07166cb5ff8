"""The bulk export on a REAL Celery worker through real Redis (tests/celery_worker.py): make test runs these."""

import io
import time
import zipfile

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from ledgers import jobs
from ledgers.models import ExportJob

from .conftest import YEAR

pytestmark = [pytest.mark.celery]


def wait_until_finished(job, timeout=90):
    deadline = time.monotonic() + timeout
    seen = set()
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.add((job.status, job.done_count))
        if job.is_finished:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.status} after {timeout}s")


def test_bulk_export_runs_on_a_real_worker_and_ends_done_with_a_zip(celery_worker, records, tree, cast):
    job = jobs.export_job_start(user=cast.sasac, organization=tree.root, year=YEAR)
    assert job.status == ExportJob.Status.QUEUED  # published to Redis, not run in-process
    wait_until_finished(job)
    try:
        assert job.status == ExportJob.Status.DONE, job.error
        assert (job.total, job.done_count) == (3, 3)
        assert "Task ledgers.tasks.export_ledgers[" in celery_worker.log()
        with default_storage.open(job.file.name, "rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as archive:
            names = sorted(archive.namelist())
            assert names == [
                "EA-B1_甲集团第一党支部.xlsx",
                "EA-B2_甲集团第二党支部.xlsx",
                "EB-B1_乙集团第一党支部.xlsx",
            ]
            book = load_workbook(io.BytesIO(archive.read(names[0])))
            assert book["党员花名册"].max_row == 2 + 7
    finally:
        jobs.export_job_fail(job_id=job.pk, error="test cleanup")  # no-op on a done job
        if job.file.name:
            default_storage.delete(job.file.name)


def test_a_job_that_fails_on_the_worker_shows_failed(celery_worker, tree, cast, settings):
    # A job already started too many times (its worker kept dying): the worker must fail it, not start it again.
    job = ExportJob.objects.create(user=cast.committee, organization=tree.committee_a, year=YEAR, attempts=3)
    jobs._enqueue(job)
    wait_until_finished(job)
    assert job.status == ExportJob.Status.FAILED and "中断" in job.error


def test_the_pdf_option_converts_on_the_worker(celery_worker, records, tree, cast):
    # LibreOffice runs in the worker process (its own profile per conversion), not in the request.
    job = jobs.export_job_start(user=cast.committee, organization=tree.committee_a, year=YEAR, with_pdf=True)
    assert job.status == ExportJob.Status.QUEUED
    wait_until_finished(job, timeout=180)
    try:
        assert job.status == ExportJob.Status.DONE, job.error
        with default_storage.open(job.file.name, "rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as archive:
            pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
            assert pdfs == ["EA-B1_甲集团第一党支部.pdf", "EA-B2_甲集团第二党支部.pdf"]
            assert all(archive.read(name).startswith(b"%PDF") for name in pdfs)
    finally:
        if job.file.name:
            default_storage.delete(job.file.name)
