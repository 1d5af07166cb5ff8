"""Writes for notifications: notify users on every channel, mark as read, deliver a webhook.

Channels are independent (issue 5): the in-app rows are written first, e-mail failures are logged per
recipient, and the group-robot webhook is posted by its own Celery task after the transaction commits,
so a slow or broken robot never holds back the in-app notification or the e-mail.
"""

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from branches.models import Organization

from .models import Delivery, Notification, OrganizationWebhook, ReminderLog

logger = logging.getLogger(__name__)

# Robot answers that mean "try again later" rather than "misconfigured": WeCom 45009 and DingTalk 130101
# are rate limits (20 messages a minute per robot); -1 is "system busy" on both.
_TRANSIENT_ROBOT_ERRCODES = {-1, 45009, 130101}


class WebhookTransientError(Exception):
    """The robot could not be reached or asked us to come back later: retried."""


class WebhookRejectedError(Exception):
    """The robot refused the message (bad key, bad payload): retrying cannot help."""


@dataclass
class NotifyResult:
    notifications: list[Notification] = field(default_factory=list)
    emails_sent: int = 0
    emails_failed: int = 0
    emails_skipped: int = 0
    webhook_deliveries: list[Delivery] = field(default_factory=list)


def absolute_link(link: str) -> str:
    """E-mail and robots live outside the site: prefix SITE_URL (e.g. https://djgf.example.com) when set."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return getattr(settings, "SITE_URL", "").rstrip("/") + link


def message_text(*, title: str, body: str, link: str) -> str:
    parts = [title, body]
    if link:
        parts.append(f"办理入口:{absolute_link(link)}")
    return "\n".join(part for part in parts if part)


@transaction.atomic
def notify(
    *,
    users: Iterable,
    title: str,
    body: str = "",
    link: str = "",
    organization: Organization | None = None,
    kind: str = Notification.Kind.GENERAL,
    dedupe_key: str = "",
) -> NotifyResult:
    """Notify each user in-app and by e-mail, and the organization's group robots once.

    With a dedupe_key, users who already hold a notification with that key are skipped (the unique
    constraint backs this up against concurrent runs)."""
    result = NotifyResult()
    unique_users = list({user.pk: user for user in users if user.is_active}.values())
    if dedupe_key and unique_users:
        already = set(
            Notification.objects.filter(dedupe_key=dedupe_key, recipient__in=unique_users).values_list(
                "recipient_id", flat=True
            )
        )
        unique_users = [user for user in unique_users if user.pk not in already]
    if not unique_users:
        return result

    result.notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                link=link,
                organization=organization,
                dedupe_key=dedupe_key,
            )
            for user in unique_users
        ]
    )
    text = message_text(title=title, body=body, link=link)
    _send_emails(result, users=unique_users, title=title, text=text)
    if organization is not None:
        _queue_webhooks(result, organization=organization, title=title, text=text)
    logger.info(
        "notify %r: %d in-app, %d e-mail sent, %d failed, %d without address, %d webhook(s)",
        dedupe_key or title,
        len(result.notifications),
        result.emails_sent,
        result.emails_failed,
        result.emails_skipped,
        len(result.webhook_deliveries),
    )
    return result


def reminder_send_once(
    *,
    key: str,
    threshold: str,
    organization: Organization,
    due_on,
    sent_on,
    users: list,
    title: str,
    body: str,
    link: str,
    kind: str,
    term=None,
) -> NotifyResult | None:
    """Send one scheduled reminder at most once (see reminder_items_send_once): the 换届 and missing-records reminders."""
    log = ReminderLog(
        key=key,
        term=term,
        organization=organization,
        threshold=threshold,
        due_on=due_on,
        sent_on=sent_on,
        recipients=len(users),
    )
    return reminder_items_send_once(
        logs=[log], users=users, title=title, body=body, link=link, organization=organization, kind=kind, dedupe_key=key
    )


def reminder_items_send_once(
    *, logs: list, users: list, title: str, body: str, link: str, organization: Organization, kind: str, dedupe_key: str
) -> NotifyResult | None:
    """The one "send this reminder once" rule: the ReminderLog rows (unique `key`, one per reminded item) are inserted
    first, in the same transaction as the notifications, so a second run that day, or a concurrent one, fails on a key
    and sends nothing (None). One notification may carry several items (发展党员: every step due in a branch)."""
    try:
        with transaction.atomic():
            ReminderLog.objects.bulk_create(logs)
            return notify(
                users=users,
                title=title,
                body=body,
                link=link,
                organization=organization,
                kind=kind,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return None


def _send_emails(result: NotifyResult, *, users, title: str, text: str) -> None:
    deliveries = []
    connection = None
    # bulk_create sets pks on PostgreSQL and SQLite, so notifications line up with users.
    for user, notification in zip(users, result.notifications, strict=True):
        delivery = Delivery(
            channel=Delivery.Channel.EMAIL, notification=notification, address=user.email or "", title=title
        )
        if not user.email:
            delivery.status = Delivery.Status.SKIPPED
            delivery.last_error = "用户未填写邮箱"
            result.emails_skipped += 1
        else:
            delivery.attempts = 1
            try:
                connection = connection or get_connection()
                send_mail(title, text, None, [user.email], connection=connection)
            except Exception as exc:  # any SMTP/network fault: log it, the in-app copy is already there
                logger.warning("e-mail to %s failed: %s", user.email, exc)
                delivery.status = Delivery.Status.FAILED
                delivery.last_error = str(exc)[:2000]
                result.emails_failed += 1
            else:
                delivery.status = Delivery.Status.SENT
                delivery.sent_at = timezone.now()
                result.emails_sent += 1
        deliveries.append(delivery)
    Delivery.objects.bulk_create(deliveries)


def _queue_webhooks(result: NotifyResult, *, organization: Organization, title: str, text: str) -> None:
    webhooks = list(OrganizationWebhook.objects.filter(organization=organization, enabled=True))
    if not webhooks:
        return
    result.webhook_deliveries = Delivery.objects.bulk_create(
        [Delivery(channel=Delivery.Channel.WEBHOOK, webhook=webhook, title=title, content=text) for webhook in webhooks]
    )
    for delivery in result.webhook_deliveries:
        # The task loads the row by id, so it must see committed data.
        transaction.on_commit(lambda pk=delivery.pk: _enqueue_webhook(pk))


def _enqueue_webhook(delivery_id: int) -> None:
    from .tasks import deliver_webhook

    try:
        deliver_webhook.delay(delivery_id)
    except Exception as exc:  # broker down, or an eager run that gave up: never break the caller
        logger.warning("webhook delivery %s not completed: %s", delivery_id, exc)
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED, last_error=f"无法提交发送任务:{exc}"[:2000]
        )


def webhook_post(*, url: str, content: str) -> None:
    """POST a text message to a WeCom/DingTalk robot; both accept this payload."""
    payload = json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=payload, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    timeout = getattr(settings, "NOTIFICATION_WEBHOOK_TIMEOUT", 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (admin-configured URL)
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise WebhookTransientError(f"HTTP {exc.code}") from exc
        raise WebhookRejectedError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:  # refused, DNS, timeout
        raise WebhookTransientError(str(getattr(exc, "reason", exc))) from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    errcode = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if errcode:
        message = f"errcode={errcode} {answer.get('errmsg', '')}".strip()
        if errcode in _TRANSIENT_ROBOT_ERRCODES:
            raise WebhookTransientError(message)
        raise WebhookRejectedError(message)


def webhook_deliver(*, delivery: Delivery) -> Delivery:
    """One attempt. Transient faults are re-raised for the task to retry; a refusal is final."""
    if delivery.status == Delivery.Status.SENT:
        return delivery  # idempotent: a redelivered task message does not post twice
    delivery.attempts += 1
    webhook = delivery.webhook
    if webhook is None or not webhook.enabled:
        delivery.status = Delivery.Status.SKIPPED
        delivery.last_error = "群机器人已删除或停用"
        delivery.save(update_fields=["attempts", "status", "last_error"])
        return delivery
    try:
        webhook_post(url=webhook.url, content=delivery.content)
    except WebhookTransientError as exc:
        delivery.last_error = str(exc)[:2000]
        delivery.save(update_fields=["attempts", "last_error"])
        raise
    except WebhookRejectedError as exc:
        delivery.status = Delivery.Status.FAILED
        delivery.last_error = str(exc)[:2000]
        delivery.save(update_fields=["attempts", "status", "last_error"])
        logger.warning("webhook %s refused delivery %s: %s", webhook.pk, delivery.pk, exc)
        return delivery
    delivery.status = Delivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.last_error = ""
    delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return delivery


def webhook_delivery_give_up(*, delivery_id: int, error: str) -> None:
    Delivery.objects.filter(pk=delivery_id).exclude(status=Delivery.Status.SENT).update(
        status=Delivery.Status.FAILED, last_error=error[:2000]
    )


@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    if notification.recipient_id != user.pk:
        # Views already 404 on another user's notification; this keeps the rule in one place too.
        raise ValidationError("只能处理本人的通知。")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
