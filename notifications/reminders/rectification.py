"""整改 reminders (DOMAIN.md "观摩, 督查 and 整改": an overdue item is warned about like any other deadline).

Before the deadline (settings.RECTIFICATION_REMINDER_DAYS, default 7 and 1 days before) the organization's secretary
and officers are reminded; once the deadline has passed without a report, every 7 days, and the verifying
committee's officers are told too. An item already reported (waiting for verification) is not chased.
Each reminder has the ReminderLog key `rect:<item id>:<deadline>:<threshold>` (threshold `7d`, `1d`, `overdue-w<n>`),
sent once through services.reminder_send_once; a new deadline starts the reminders again.
Queries stay bounded: the candidates in one query, the roles of their organizations and committees in one.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from assessments.rectification.models import RectificationItem
from branches.models import Role

from ..models import Notification
from ..services import reminder_send_once

logger = logging.getLogger(__name__)

OVERDUE_REPEAT_DAYS = 7
CHASED = (RectificationItem.State.OPEN, RectificationItem.State.RETURNED)


def reminder_days() -> tuple[int, ...]:
    days = getattr(settings, "RECTIFICATION_REMINDER_DAYS", (7, 1))
    return tuple(sorted({int(d) for d in days if int(d) >= 0}, reverse=True))


def threshold_for(deadline: datetime.date, today: datetime.date) -> str | None:
    """The tightest threshold reached today: "7d", "1d" (days before), "overdue-w<n>" after; None before any."""
    left = (deadline - today).days
    if left < 0:
        return f"overdue-w{(-left - 1) // OVERDUE_REPEAT_DAYS}"
    reached = [d for d in reminder_days() if left <= d]
    return f"{min(reached)}d" if reached else None


@dataclass
class RectificationReminderSummary:
    today: datetime.date
    sent: int = 0
    notifications: int = 0
    already_sent: int = 0
    no_recipients: int = 0

    def describe(self) -> str:
        return (
            f"{self.today:%Y-%m-%d} 整改提醒:发送 {self.sent} 条(站内通知 {self.notifications} 条);"
            f"此前已发送 {self.already_sent} 条;无接收人 {self.no_recipients} 条"
        )

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "sent": self.sent,
            "notifications": self.notifications,
            "already_sent": self.already_sent,
            "no_recipients": self.no_recipients,
        }


def _roles(organization_ids) -> dict[int, list]:
    by_org: dict[int, dict] = defaultdict(dict)
    roles = Role.objects.filter(
        organization__in=organization_ids, kind__in=(Role.Kind.SECRETARY, Role.Kind.OFFICER), user__is_active=True
    ).select_related("user")
    for role in roles.order_by("pk"):
        by_org[role.organization_id][role.user_id] = role.user
    return {k: list(v.values()) for k, v in by_org.items()}


def message(item: RectificationItem, threshold: str, today: datetime.date) -> tuple[str, str]:
    left = (item.deadline - today).days
    if left < 0:
        title = f"整改逾期:{item.organization.name}“{item.title}”已超过整改时限 {-left} 天"
    else:
        title = f"整改提醒:{item.organization.name}“{item.title}”将于 {item.deadline:%Y-%m-%d} 到期"
    body = (
        f"整改事项:{item.title}\n整改时限:{item.deadline:%Y-%m-%d}\n责任人:{item.responsible or '未指定'}\n"
        "请按要求落实整改,并在系统中报告整改措施、上传佐证材料。"
    )
    return title, body


def rectification_reminders_send(*, today: datetime.date) -> RectificationReminderSummary:
    summary = RectificationReminderSummary(today=today)
    horizon = today + datetime.timedelta(days=max(reminder_days(), default=0))
    items = list(
        RectificationItem.objects.filter(state__in=CHASED, deadline__lte=horizon)
        .select_related("organization", "committee", "responsible_member")
        .order_by("deadline", "id")
    )
    roles = _roles({i.organization_id for i in items} | {i.committee_id for i in items})
    for item in items:
        threshold = threshold_for(item.deadline, today)
        if threshold is None:
            continue
        users = list(roles.get(item.organization_id, []))
        if threshold.startswith("overdue"):
            users += [u for u in roles.get(item.committee_id, []) if u not in users]
        if not users:
            summary.no_recipients += 1
            continue
        title, body = message(item, threshold, today)
        result = reminder_send_once(
            key=f"rect:{item.pk}:{item.deadline:%Y-%m-%d}:{threshold}",
            threshold=threshold,
            organization=item.organization,
            due_on=item.deadline,
            sent_on=today,
            users=users,
            title=title,
            body=body,
            link=reverse("assessments:rectification_detail", args=[item.pk]),
            kind=Notification.Kind.GENERAL,
        )
        if result is None:
            summary.already_sent += 1
            continue
        summary.sent += 1
        summary.notifications += len(users)
    return summary
