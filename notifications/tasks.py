"""Celery tasks: thin wrappers that load by id (or take a date), call a service and log.

Run a worker and the scheduler with (README):
    celery -A config worker -l INFO
    celery -A config beat -l INFO      # schedules live in django_celery_beat, editable in the admin
"""

import datetime
import logging

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services
from .models import Delivery
from .reminders.records import record_reminders_send
from .reminders.recruitment import recruitment_reminders_send
from .reminders.rectification import rectification_reminders_send
from .reminders.terms import term_reminders_send

logger = logging.getLogger(__name__)

WEBHOOK_MAX_RETRIES = getattr(settings, "NOTIFICATION_WEBHOOK_MAX_RETRIES", 5)


class WebhookTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Retries are exhausted (or an unexpected fault): leave a visible failed state, not "pending" forever.
        delivery_id = args[0] if args else kwargs.get("delivery_id")
        if delivery_id is not None:
            services.webhook_delivery_give_up(delivery_id=delivery_id, error=f"重试后仍失败:{exc}")
        logger.warning("webhook delivery %s failed for good: %s", delivery_id, exc)


@shared_task(
    base=WebhookTask,
    bind=True,
    autoretry_for=(services.WebhookTransientError, OperationalError),
    retry_backoff=True,  # 1 s, 2 s, 4 s ... with jitter: a robot that is down for minutes is still reached
    retry_backoff_max=600,
    max_retries=WEBHOOK_MAX_RETRIES,
)
def deliver_webhook(self, delivery_id: int) -> str:
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None:
        logger.info("webhook delivery %s no longer exists", delivery_id)
        return "missing"
    try:
        delivery = services.webhook_deliver(delivery=delivery)
    except services.WebhookTransientError as exc:
        if self.request.retries >= self.max_retries:
            services.webhook_delivery_give_up(delivery_id=delivery_id, error=f"重试{self.max_retries}次后仍失败:{exc}")
            logger.warning(
                "webhook delivery %s failed after %d attempts: %s", delivery_id, self.request.retries + 1, exc
            )
            return Delivery.Status.FAILED
        if self.request.is_eager:
            # No broker (the demo, unit tests): Celery cannot schedule a retry, so try again at once.
            return deliver_webhook.apply(args=[delivery_id], retries=self.request.retries + 1).result
        raise  # autoretry_for schedules the retry with exponential backoff
    logger.info("webhook delivery %s: %s after %d attempt(s)", delivery_id, delivery.status, delivery.attempts)
    return delivery.status


@shared_task(bind=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def send_term_reminders(self, today: str | None = None) -> dict:
    """Daily (beat, 07:00 Asia/Shanghai). Safe to run again: each threshold is logged once per term."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    summary = term_reminders_send(today=day)
    logger.info("term reminders for %s: %s", day, summary.describe())
    return summary.as_dict()


@shared_task(bind=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def send_record_reminders(self, today: str | None = None) -> dict:
    """Monthly (beat, day 1 at 07:30 Asia/Shanghai). Safe to run again: each branch is told once per month."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    summary = record_reminders_send(today=day)
    logger.info("record reminders for %s: %s", day, summary.describe())
    return summary.as_dict()


@shared_task(bind=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def send_recruitment_reminders(self, day: str | None = None) -> dict:
    """Daily (beat, 07:15 Asia/Shanghai). Replayable for any day: each reminder is logged once by its threshold."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    summary = recruitment_reminders_send(today=today)
    logger.info("recruitment reminders for %s: %s", today, summary.describe())
    return summary.as_dict()


@shared_task(bind=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def send_rectification_reminders(self, today: str | None = None) -> dict:
    """Daily (beat, 07:15 Asia/Shanghai). Safe to run again: each threshold is logged once per item and deadline."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    summary = rectification_reminders_send(today=day)
    logger.info("rectification reminders for %s: %s", day, summary.describe())
    return summary.as_dict()
