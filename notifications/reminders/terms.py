"""换届 reminders (DOMAIN.md "Terms and 换届"; 关于党的基层组织任期的意见).

The superior organization reminds a term TERM_REMINDER_MONTHS before expiry (local practice, default 6, 3
and 1 months), then, once the term has expired without an approved extension, every 7 days until the new
term is recorded. Decisions:

- Only the tightest threshold reached is sent on a run: a term first seen 2 months before expiry gets the
  3-month reminder, not also the 6-month one (two letters the same morning say nothing more than one).
- Each reminder has a ReminderLog key `term:<id>:<expires_on>:<threshold>` (threshold `6m`, `3m`, `1m`,
  `overdue-w<n>` with n = 0 for days 1-7 after expiry, 1 for days 8-14, ...). The key is unique in the
  database, so a second run that day, or a concurrent one, sends nothing. The expiry date is part of the
  key: an approved extension moves the dates, and the reminders start again for the new expiry.
- A reminder nobody can receive (no secretary, no officer above) is not logged, so it goes out as soon
  as someone holds the role.

Queries stay bounded however many terms: candidates in one query, the keys already sent in one, every
role on the organizations and their ancestors in one, then a few writes per reminder actually sent.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from branches import term_rules
from branches.models import CommitteeTerm, Organization, Role

from ..models import Notification, ReminderLog
from ..services import reminder_send_once

logger = logging.getLogger(__name__)

OVERDUE = "overdue"


def overdue_repeat_days() -> int:
    """Local practice (DOMAIN.md: "then weekly once overdue"): settings.TERM_OVERDUE_REPEAT_DAYS, default 7."""
    return getattr(settings, "TERM_OVERDUE_REPEAT_DAYS", 7)


def reminder_months() -> tuple[int, ...]:
    months = getattr(settings, "TERM_REMINDER_MONTHS", (6, 3, 1))
    cleaned = tuple(sorted({int(m) for m in months}, reverse=True))
    if not cleaned or cleaned[-1] < 1:
        raise ValueError("TERM_REMINDER_MONTHS 须为正整数月数,如 (6, 3, 1)。")
    return cleaned


@dataclass(frozen=True)
class DueReminder:
    term: CommitteeTerm
    expires_on: datetime.date
    threshold: str  # "6m", "3m", "1m" or "overdue"
    key: str
    days_left: int  # negative once overdue


@dataclass
class TermReminderSummary:
    today: datetime.date
    sent: dict[str, int] = field(default_factory=dict)  # threshold -> reminders sent
    notifications: int = 0
    already_sent: int = 0
    no_recipients: int = 0

    def describe(self) -> str:
        parts = [f"{threshold_label(k)} {v} 条" for k, v in self.sent.items()]
        return (
            f"{self.today:%Y-%m-%d} 换届提醒:"
            + (",".join(parts) if parts else "无新提醒")
            + f";站内通知 {self.notifications} 条;此前已发送 {self.already_sent} 条;无接收人 {self.no_recipients} 个"
        )

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "sent": dict(self.sent),
            "notifications": self.notifications,
            "already_sent": self.already_sent,
            "no_recipients": self.no_recipients,
        }


def threshold_label(threshold: str) -> str:
    if threshold == OVERDUE:
        return "超期未换届"
    return f"届满前{threshold.removesuffix('m')}个月"


def due_reminder(term: CommitteeTerm, today: datetime.date, months: tuple[int, ...]) -> DueReminder | None:
    """The one reminder a term is due on `today`, or None."""
    expires_on = term.expires_on
    days_left = (expires_on - today).days
    prefix = f"term:{term.pk}:{expires_on.isoformat()}"
    if term_rules.is_overdue(term, today):  # the one rule of 按期换届
        # Days 1-7 after expiry are week 0, days 8-14 week 1, ...: one reminder a week until the election.
        week = max(0, (-days_left - 1) // overdue_repeat_days())
        return DueReminder(term, expires_on, OVERDUE, f"{prefix}:{OVERDUE}-w{week}", days_left)
    reached = [m for m in months if today >= expires_on - relativedelta(months=m)]
    if not reached:
        return None
    tightest = min(reached)
    return DueReminder(term, expires_on, f"{tightest}m", f"{prefix}:{tightest}m", days_left)


def _candidate_terms(today: datetime.date, months: tuple[int, ...]):
    """Current terms that may be due. An extension only moves expiry later, so started_on + term_years
    <= today + the widest threshold is a safe prefilter the database can answer per term length (widened
    by a week for month-end and 29 February arithmetic; the exact test is due_reminder)."""
    horizon = today + relativedelta(months=max(months))
    years = CommitteeTerm.objects.current().values_list("term_years", flat=True).distinct().order_by()
    q = Q(pk__in=[])
    for y in years:
        q |= Q(term_years=y, started_on__lte=horizon - relativedelta(years=y) + datetime.timedelta(days=7))
    return (
        CommitteeTerm.objects.current()
        .filter(q, organization__status=Organization.Status.ACTIVE)
        .select_related("organization")
        .order_by("organization__path")
    )


def _ancestor_paths(path: str) -> list[str]:
    """Nearest first."""
    step = Organization.steplen
    return [path[:i] for i in range(len(path) - step, 0, -step)]


def _recipients_by_organization(organizations) -> dict[int, list]:
    """Own secretary (and officers, for committees) + the officers of the nearest ancestor that has any."""
    paths = set()
    for org in organizations:
        paths.add(org.path)
        paths.update(_ancestor_paths(org.path))
    own_kinds = {Role.Kind.SECRETARY, Role.Kind.OFFICER}
    by_path: dict[str, list[Role]] = defaultdict(list)
    roles = (
        Role.objects.filter(organization__path__in=paths, kind__in=own_kinds, user__is_active=True)
        .select_related("user", "organization")
        .order_by("pk")
    )
    for role in roles:
        by_path[role.organization.path].append(role)

    result = {}
    for org in organizations:
        users = {role.user_id: role.user for role in by_path.get(org.path, ())}
        for ancestor in _ancestor_paths(org.path):
            officers = [role.user for role in by_path.get(ancestor, ()) if role.kind == Role.Kind.OFFICER]
            if officers:
                users.update({user.pk: user for user in officers})
                break
        result[org.pk] = sorted(users.values(), key=lambda user: user.pk)
    return result


def _message(due: DueReminder) -> tuple[str, str]:
    org = due.term.organization
    expires = f"{due.expires_on.year}年{due.expires_on.month}月{due.expires_on.day}日"
    extension = f"(已经上级批准延期{due.term.extension_months}个月)" if due.term.extension_months else ""
    if due.threshold == OVERDUE:
        title = f"换届超期:{org.name}已超期{-due.days_left}天未换届"
        body = (
            f"{org.name}本届委员会({due.term.started_on.year}年{due.term.started_on.month}月产生)任期已于{expires}届满"
            f"{extension},至今已超期{-due.days_left}天,尚未录入新一届委员会。"
            "请尽快按程序组织换届选举;确需延期的,须报上级党组织批准,延期最长不超过1年。"
            "本提醒每周发送一次,直至新一届委员会录入系统。"
        )
    else:
        title = f"换届提醒:{org.name}距任期届满还有{due.days_left}天"
        body = (
            f"{org.name}本届委员会({due.term.started_on.year}年{due.term.started_on.month}月产生)将于{expires}任期届满"
            f"{extension},距届满还有{due.days_left}天({threshold_label(due.threshold)}提醒)。"
            "请提前做好换届准备:支委会研究决定 → 向上级党组织请示 → 上级批复 → 推荐提名候选人 → "
            "上级批复候选人名单 → 党员大会选举 → 选举结果报批。"
        )
    return title, body


def organization_link(organization: Organization) -> str:
    return reverse("branches:org_detail", args=[organization.code])


def term_reminders_send(*, today: datetime.date) -> TermReminderSummary:
    months = reminder_months()
    summary = TermReminderSummary(today=today)
    due = [d for d in (due_reminder(term, today, months) for term in _candidate_terms(today, months)) if d]
    if not due:
        return summary
    sent_keys = set(ReminderLog.objects.filter(key__in=[d.key for d in due]).values_list("key", flat=True))
    summary.already_sent = sum(1 for d in due if d.key in sent_keys)
    due = [d for d in due if d.key not in sent_keys]
    recipients = _recipients_by_organization([d.term.organization for d in due])

    for reminder in due:
        organization = reminder.term.organization
        users = recipients.get(organization.pk, [])
        if not users:
            summary.no_recipients += 1
            logger.warning("term reminder %s: %s has no secretary and no officer above", reminder.key, organization)
            continue
        title, body = _message(reminder)
        result = reminder_send_once(
            key=reminder.key,
            term=reminder.term,
            organization=organization,
            threshold=reminder.threshold,
            due_on=reminder.expires_on,
            sent_on=today,
            users=users,
            title=title,
            body=body,
            link=organization_link(organization),
            kind=Notification.Kind.TERM_REMINDER,
        )
        if result is None:  # a concurrent run sent it first
            summary.already_sent += 1
            continue
        summary.sent[reminder.threshold] = summary.sent.get(reminder.threshold, 0) + 1
        summary.notifications += len(result.notifications)
    return summary
