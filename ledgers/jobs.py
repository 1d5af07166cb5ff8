"""The bulk export jobs of 三本一表: a job per request (one running per person), handed to the Celery queue (or a
thread of the web process in the demo), run by the worker into the job's zip (ledgers/services.py
ledger_export_subtree, with progress after each branch), failed visibly when anything goes wrong, and cleaned up
periodically. ledgers/tasks.py runs them; the ledger pages start them.
"""

import datetime
import logging
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from branches.access import Access, organization_access
from branches.models import Organization

from .models import ExportJob, export_file_path
from .services import check_year, ledger_export_subtree

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = "任务队列暂不可用,请稍后再试或联系管理员"


def retention_hours() -> int:
    return int(getattr(settings, "LEDGER_EXPORT_RETENTION_HOURS", 72))


def stale_minutes() -> int:
    # A running job updates its heartbeat after every branch (seconds apart); this long without one = the worker died.
    return int(getattr(settings, "LEDGER_EXPORT_STALE_MINUTES", 30))


def queue_timeout_hours() -> int:
    return int(getattr(settings, "LEDGER_EXPORT_QUEUE_TIMEOUT_HOURS", 6))


def max_attempts() -> int:
    return int(getattr(settings, "LEDGER_EXPORT_MAX_ATTEMPTS", 3))


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
