"""Celery tasks for the 三本一表 export: thin, load by id, call a service, log.

A job never spins forever:
- an exception in the export marks the job failed with the reason (the task catches it; `on_failure` is the safety
  net for what escapes, e.g. a time limit);
- acks_late + reject_on_worker_lost: if the worker process dies mid-export the message goes back to the queue and the
  job starts again (at most LEDGER_EXPORT_MAX_ATTEMPTS times, then failed);
- if no worker comes back, the periodic cleanup fails jobs whose heartbeat stopped (LEDGER_EXPORT_STALE_MINUTES).
Results are not stored (ignore_result): progress lives in ExportJob, and publishing then needs the broker only.
"""

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from . import jobs, pdf
from .models import ExportJob

logger = logging.getLogger(__name__)


class ExportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = args[0] if args else kwargs.get("job_id")
        if job_id is not None:
            jobs.export_job_fail(job_id=job_id, error=f"导出失败:{exc}")
        logger.warning("ledger export job %s failed: %s", job_id, exc)


@shared_task(
    base=ExportTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),  # a database blip: try the whole export again
    retry_backoff=True,
    max_retries=2,
)
def export_ledgers(self, job_id: int) -> str:
    job = ExportJob.objects.select_related("organization").filter(pk=job_id).first()
    if job is None:
        logger.info("ledger export job %s no longer exists", job_id)
        return "missing"
    if job.is_finished:
        return job.status  # redelivered after it finished: nothing to do
    try:
        job = jobs.export_job_run(job=job)
    except (OperationalError, InterfaceError) as exc:
        if not self.request.is_eager:
            raise  # autoretry_for; on_failure marks it failed once the retries are spent
        # Eager (no broker): no retry can be scheduled, so fail now rather than break the request.
        logger.exception("ledger export job %s failed", job_id)
        jobs.export_job_fail(job_id=job_id, error=f"导出失败:数据库连接中断({exc}),请稍后重新导出。")
        return ExportJob.Status.FAILED
    except pdf.PdfError as exc:  # LibreOffice missing, failing or too slow: its message says so in Chinese
        logger.warning("ledger export job %s: PDF failed: %s", job_id, exc)
        jobs.export_job_fail(job_id=job_id, error=f"导出失败:{exc}")
        return ExportJob.Status.FAILED
    except Exception as exc:
        logger.exception("ledger export job %s failed", job_id)
        jobs.export_job_fail(job_id=job_id, error=f"导出失败:{exc}。请重新导出,仍然失败请联系管理员。")
        return ExportJob.Status.FAILED
    logger.info("ledger export job %s: %s, %s/%s branches", job_id, job.status, job.done_count, job.total)
    return job.status


@shared_task(ignore_result=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def cleanup_ledger_exports() -> dict:
    """Periodic (beat, every 15 minutes): remove expired files, fail stale jobs. Safe to run any time."""
    summary = jobs.export_jobs_cleanup()
    logger.info("ledger export cleanup: %s", summary)
    return summary
