"""三本一表: writing a branch's workbook, the zip of every branch under an organization, and the export jobs.

The web download, `manage.py export_ledger`, the Celery task and `manage.py bench_export` all call these functions.

PDF (ledgers/pdf.py): the same workbook printed by LibreOffice headless: `ledger_pdf_write` for one branch (the PDF
download), and in the bulk export as an option (ExportJob.with_pdf: each branch's .pdf beside its .xlsx in the zip,
converted a group of LEDGER_PDF_GROUP_SIZE workbooks per LibreOffice start, in the worker).

Bulk export result: one zip holding one workbook per branch (named "<code>_<name>.xlsx"), not one workbook with a
sheet set per branch: each branch's ledger stays a standalone, printable file that the branch can be sent as is, and
the sheet names stay exactly those of DOMAIN.md. The branches are read in batches (LEDGER_EXPORT_BATCH_SIZE, one query
per record type per batch) and each workbook is built in memory and stored in the zip before the next, so memory stays
flat however many branches; the zip is built under a ".part" name and renamed when complete.
"""

import datetime
import io
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from branches.access import Access, organization_access
from branches.models import Organization

from . import meeting_book, pdf, selectors, workbook
from .models import ExportJob, export_file_path

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = "任务队列暂不可用,请稍后再试或联系管理员"


def optional_sheets() -> tuple[str, ...]:
    # DOMAIN.md: the optional sheets are local practice, so configurable (default: all three).
    return tuple(getattr(settings, "LEDGER_OPTIONAL_SHEETS", workbook.OPTIONAL_SHEETS))


def retention_hours() -> int:
    return int(getattr(settings, "LEDGER_EXPORT_RETENTION_HOURS", 72))


def stale_minutes() -> int:
    # A running job updates its heartbeat after every branch (seconds apart); this long without one = the worker died.
    return int(getattr(settings, "LEDGER_EXPORT_STALE_MINUTES", 30))


def queue_timeout_hours() -> int:
    return int(getattr(settings, "LEDGER_EXPORT_QUEUE_TIMEOUT_HOURS", 6))


def max_attempts() -> int:
    return int(getattr(settings, "LEDGER_EXPORT_MAX_ATTEMPTS", 3))


def check_year(year: int, *, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    if not 1921 <= year <= today.year:
        raise ValidationError(f"年度应在1921年至{today.year}年之间。")
    return year


# ---------------------------------------------------------------- one branch


def batch_size() -> int:
    # Branches read together by a bulk export: one query per record type per batch. Memory grows with the batch
    # (about 0.2 MB a branch of the demo), the number of queries shrinks with it.
    return max(1, int(getattr(settings, "LEDGER_EXPORT_BATCH_SIZE", 200)))


def _optional_reads(wanted: tuple[str, ...]) -> tuple[str, ...]:
    sheets = {workbook.SHEET_TALKS: "talks", workbook.SHEET_REVIEWS: "reviews", workbook.SHEET_TERMS: "terms"}
    return tuple(read for sheet, read in sheets.items() if sheet in wanted)


def ledger_write(
    *,
    branch: Organization,
    year: int,
    out,
    today: datetime.date | None = None,
    records: selectors.BranchLedger | None = None,
) -> dict[str, int]:
    """Write the branch's workbook for the year to `out` (a path or a binary file object). Returns rows per sheet.

    `records` is the branch's part of a batch already read (ledger_export_subtree); without it the branch is read
    alone, the same way. A branch with no records gives a valid workbook with the title and header rows only."""
    if branch.kind != Organization.Kind.BRANCH:
        raise ValidationError("三本一表按党支部导出,请选择一个党支部。")
    today = today or timezone.localdate()
    wanted = optional_sheets()
    if records is None:
        records = selectors.ledger_records([branch], year, optional=_optional_reads(wanted))[branch.pk]
    book, styles = workbook.new_workbook()
    counts = {
        workbook.SHEET_ROSTER: workbook.write_roster(book, styles, records),
        workbook.SHEET_MEETINGS: meeting_book.write_meetings(book, styles, records),
        workbook.SHEET_STUDY: workbook.write_study(book, styles, records),
        workbook.SHEET_DUES: workbook.write_dues(book, styles, records, selectors.dues_rows(records, today=today)),
    }
    if workbook.SHEET_TALKS in wanted:
        counts[workbook.SHEET_TALKS] = workbook.write_talks(book, styles, records)
    if workbook.SHEET_REVIEWS in wanted:
        counts[workbook.SHEET_REVIEWS] = workbook.write_reviews(book, styles, records)
    if workbook.SHEET_TERMS in wanted:
        counts[workbook.SHEET_TERMS] = workbook.write_terms(book, styles, records)
    book.save(out)
    return SheetCounts(counts, rows={s.ws.title: s.row_index - 1 - s.header_count for s in styles.sheets})


class SheetCounts(dict):
    """Records per sheet (the 会议记录本: meetings), and in `rows` the data rows each sheet has (a meeting is a block
    of rows): the benchmark's floor writes as many."""

    def __init__(self, counts: dict[str, int], *, rows: dict[str, int]):
        super().__init__(counts)
        self.rows = rows


def ledger_filename(branch: Organization, year: int, ext: str = "xlsx") -> str:
    return f"{_safe_name(branch.name)}-{year}年三本一表.{ext}"


def pdf_download_timeout() -> int:
    # The PDF download converts in the request: stop before the web server's worker timeout (gunicorn: 30 s).
    return int(getattr(settings, "LEDGER_PDF_DOWNLOAD_TIMEOUT_SECONDS", 25))


def ledger_pdf_write(*, branch: Organization, year: int, directory: str | os.PathLike) -> Path:
    """The branch's workbook for the year and its PDF, in `directory`; returns the PDF's path. pdf.PdfError (its
    message in Chinese) when LibreOffice is missing, fails or runs past LEDGER_PDF_DOWNLOAD_TIMEOUT_SECONDS."""
    xlsx_path = Path(directory) / "ledger.xlsx"
    ledger_write(branch=branch, year=year, out=xlsx_path)
    return pdf.convert([xlsx_path], Path(directory), timeout=pdf_download_timeout())[0]


def _safe_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip() or "党支部"


# ---------------------------------------------------------------- every branch under an organization


def ledger_export_subtree(
    *,
    organization: Organization,
    year: int,
    path: str | os.PathLike,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    collect: list | None = None,
    with_pdf: bool = False,
) -> int:
    """Write a zip with one workbook per branch under `organization` to `path`; returns the number of branches.

    The branches are read LEDGER_EXPORT_BATCH_SIZE at a time (selectors.ledger_records: one query per record type
    per batch), and each branch's workbook is written by ledger_write, as a single download is. `progress(done,
    total)` is called once before the first branch and after each one; `collect`, if given, receives each branch's
    rows per sheet (the benchmark counts cells with it). Memory stays flat: one batch's rows and one workbook at a
    time (built in memory, then stored in the zip, not deflated again: an .xlsx is already a zip)."""
    return ledger_export_branches(
        branches=list(selectors.branches_under(organization)), year=year, path=path, today=today, progress=progress,
        collect=collect, with_pdf=with_pdf,
    )  # fmt: skip


def pdf_group_size() -> int:
    # Workbooks converted per LibreOffice start (a start costs about 2 seconds; a group's PDFs wait on disk).
    return max(1, int(getattr(settings, "LEDGER_PDF_GROUP_SIZE", 20)))


class _PdfGroup:
    """Workbooks waiting for LibreOffice, on disk under our own numbered names; converted a group at a time, each
    PDF stored in the zip beside its workbook."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.dir = Path(tempfile.mkdtemp(prefix="sbgf-ledger-pdf-"))
        self.names: list[str] = []

    def add(self, name: str, data) -> bool:
        """Queue a workbook; True when that completed a group (now converted)."""
        (self.dir / f"{len(self.names)}.xlsx").write_bytes(data)
        self.names.append(name)
        if len(self.names) < pdf_group_size():
            return False
        self.flush()
        return True

    def flush(self) -> None:
        if not self.names:
            return
        paths = [self.dir / f"{i}.xlsx" for i in range(len(self.names))]
        for name, converted in zip(self.names, pdf.convert(paths, self.dir / "pdf"), strict=True):
            self.archive.write(converted, f"{name}.pdf")
        for item in (*paths, *(self.dir / "pdf").glob("*")):
            item.unlink()
        self.names = []

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def ledger_export_branches(
    *,
    branches: list[Organization],
    year: int,
    path: str | os.PathLike,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    collect: list | None = None,
    with_pdf: bool = False,
) -> int:
    """ledger_export_subtree for a given list of branches (the benchmark's --limit uses it directly). With `with_pdf`
    each branch's PDF goes beside its workbook, and `progress` counts branches converted."""
    today = today or timezone.localdate()
    total = len(branches)
    reads = _optional_reads(optional_sheets())
    size = batch_size()
    if progress:
        progress(0, total)
    done = converted = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        group = _PdfGroup(archive) if with_pdf else None
        try:
            for first in range(0, total, size):
                chunk = branches[first : first + size]
                batch = selectors.ledger_records(chunk, year, optional=reads)
                for branch in chunk:
                    item = io.BytesIO()
                    records = batch.pop(branch.pk)
                    counts = ledger_write(branch=branch, year=year, out=item, today=today, records=records)
                    if collect is not None:
                        collect.append(counts)
                    name = f"{_safe_name(branch.code)}_{_safe_name(branch.name)}"
                    archive.writestr(f"{name}.xlsx", item.getbuffer())
                    done += 1
                    if group is None:
                        converted = done
                    elif group.add(name, item.getbuffer()):
                        converted = done
                    if progress and converted == done:
                        progress(done, total)
            if group is not None and converted < done:
                group.flush()
                if progress:
                    progress(done, total)
        finally:
            if group is not None:
                group.close()
    return total


# ---------------------------------------------------------------- export jobs


@transaction.atomic
def export_job_create(*, user, organization: Organization, year: int, with_pdf: bool = False) -> ExportJob:
    """Anyone who may read the organization may export its branches' ledgers (reading is all an export does: a SASAC
    reviewer may too). The job and its file are the user's own."""
    if organization_access(user, organization) < Access.READ:
        raise ValidationError("您无权导出该组织的台账。")
    if organization.kind == Organization.Kind.GROUP:
        raise ValidationError("党小组没有单独的台账,请选择党支部或上级组织。")
    check_year(year)
    # One running bulk export per person (issue 12 point 6); the user's row lock makes two quick clicks wait in turn.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if ExportJob.objects.filter(user=user, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]).exists():
        raise ValidationError("您已有一个导出任务正在进行,请等它完成后再导出。")
    return ExportJob.objects.create(user=user, organization=organization, year=year, with_pdf=with_pdf)


class QueueUnavailable(Exception):
    pass


def _run_in_thread(job_id: int) -> None:
    from django.db import connections

    from .tasks import export_ledgers

    try:
        export_ledgers.apply(args=[job_id])  # the task's body, in this thread (it marks a failure on the job itself)
    finally:
        connections.close_all()


def _enqueue(job: ExportJob) -> None:
    """Publish the task without retrying: with the broker down this fails in milliseconds instead of hanging the
    request (kombu would otherwise retry the connection for many seconds), and the caller says so.

    LEDGER_EXPORT_DISPATCH = "thread" (the demo, config/settings/local.py, when Celery runs eagerly without Redis):
    the job runs in a background thread of the web process, so the request returns at once and the progress bar
    moves as in production; "queue" (default): the Celery queue."""
    if getattr(settings, "LEDGER_EXPORT_DISPATCH", "queue") == "thread":
        import threading

        thread = threading.Thread(target=_run_in_thread, args=(job.pk,), name=f"ledger-export-{job.pk}", daemon=True)
        transaction.on_commit(thread.start)
        return
    from kombu.exceptions import OperationalError as KombuOperationalError

    from .tasks import export_ledgers

    app = export_ledgers.app  # the project's Celery app (shared_task binds to it), without importing config
    timeout = float(getattr(settings, "LEDGER_EXPORT_BROKER_TIMEOUT", 3))
    try:
        with app.connection_for_write(transport_options={"max_retries": 0}, connect_timeout=timeout) as connection:
            export_ledgers.apply_async(args=[job.pk], retry=False, connection=connection)
    except (KombuOperationalError, OSError) as exc:
        raise QueueUnavailable(str(exc)) from exc


def export_job_start(*, user, organization: Organization, year: int, with_pdf: bool = False) -> ExportJob:
    """Create the job and hand it to the task queue. With the queue unreachable the job is marked failed (visible in
    "我的导出" with the reason) and a ValidationError says so; the rest of the app is unaffected.

    Not atomic on purpose: the job row must be committed before a worker can load it, and must stay (failed) when
    publishing fails."""
    job = export_job_create(user=user, organization=organization, year=year, with_pdf=with_pdf)
    try:
        _enqueue(job)
    except QueueUnavailable as exc:
        logger.warning("ledger export job %s: broker unavailable: %s", job.pk, exc)
        export_job_fail(job_id=job.pk, error=QUEUE_UNAVAILABLE)
        raise ValidationError(QUEUE_UNAVAILABLE, code="queue_unavailable") from exc
    job.refresh_from_db()
    return job


def export_job_run(*, job: ExportJob, today: datetime.date | None = None) -> ExportJob:
    """The task's body: export every branch under the job's organization into the job's zip, updating the progress
    after each branch. Idempotent: a redelivered job (the worker died) starts again from the first branch; after
    LEDGER_EXPORT_MAX_ATTEMPTS starts it is failed instead of looping forever."""
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
    job.attempts += 1
    if job.attempts > max_attempts():
        return export_job_fail(job_id=job.pk, error=f"任务已中断{job.attempts - 1}次(工作进程退出),不再重试。")
    name = job.file.name or export_file_path(job, "")
    job.file.name = name
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, file=name, started_at=now, heartbeat_at=now, done_count=0, error=""
    )
    final = Path(default_storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    part = final.with_name(final.name + ".part")

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(total=total, done_count=done, heartbeat_at=timezone.now())

    try:
        ledger_export_subtree(
            organization=job.organization, year=job.year, path=part, today=today, progress=progress,
            with_pdf=job.with_pdf,
        )  # fmt: skip
        os.replace(part, final)
    finally:
        part.unlink(missing_ok=True)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, size=final.stat().st_size, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )
    job.refresh_from_db()
    logger.info("ledger export job %s done: %s branches, %s bytes", job.pk, job.total, job.size)
    return job


def export_job_fail(*, job_id: int, error: str) -> ExportJob | None:
    """Leave a visible failed state (never a spinner forever) and remove any partial file."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.EXPIRED):
        return job
    _remove_files(job)
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.FAILED, error=(error or "未知错误")[:2000], file="", finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _remove_files(job: ExportJob) -> None:
    if not job.file.name:
        return
    final = Path(default_storage.path(job.file.name))
    for path in (final, final.with_name(final.name + ".part")):
        path.unlink(missing_ok=True)


def export_jobs_cleanup(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic cleanup: remove finished files older than LEDGER_EXPORT_RETENTION_HOURS (the job stays, marked
    expired), and fail jobs that stopped making progress (the worker died) or were never picked up."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(
        status=ExportJob.Status.DONE, finished_at__lt=now - datetime.timedelta(hours=retention_hours())
    ).iterator():
        _remove_files(job)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="")
        expired += 1
    stale = 0
    for job in ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - datetime.timedelta(minutes=stale_minutes())
    ):
        export_job_fail(
            job_id=job.pk, error=f"导出任务超过{stale_minutes()}分钟没有进展(工作进程可能已退出),请重新导出。"
        )
        stale += 1
    for job in ExportJob.objects.filter(
        status=ExportJob.Status.QUEUED, created_at__lt=now - datetime.timedelta(hours=queue_timeout_hours())
    ):
        export_job_fail(
            job_id=job.pk, error=f"任务排队超过{queue_timeout_hours()}小时仍未执行,请联系管理员检查后台任务进程。"
        )
        stale += 1
    return {"expired": expired, "failed": stale}
