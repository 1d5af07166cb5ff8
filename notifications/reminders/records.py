"""Overdue-record reminders (issue 5 point 3): at the start of each month, each branch is told which required
records of the period(s) just ended are missing, and which members are 3+ months in dues arrears.

The rules are not repeated here: what is owed comes from meetings.plan.obligations() (the same computation as the
year plan and the indicators), the arrears from branches.dues.dues_arrears(). Decisions:

- "The period just ended" is the month before `today`; when that month closes a quarter (March, June, September,
  December) the quarter's items (党员大会, 党课) are included, and in January the year's items too (组织生活会,
  谈心谈话, 民主评议, 书记讲党课). Only items of those periods are listed: a reminder, not a year's reprimand.
- Recipients are the branch's own secretary and officers (Role on the branch itself). Unlike 换届 reminders the
  committee above is not copied: at province scale a committee officer would get one letter per branch every
  month; the committees see the same gaps on their dashboards.
- One notification per branch and month, keyed `records:<branch id>:<YYYY-MM>` in ReminderLog (the 换届 pattern):
  a second run, or a concurrent one, sends nothing. A complete branch gets nothing and nothing is logged, so a run
  later in the month still tells a branch whose records disappear (e.g. a meeting reverted to planned).
- A branch nobody can receive for (no secretary, no officer) is not logged, and is not computed either.

Queries: the branches, their recipients and the keys already sent in one query each; then per branch that has a
recipient and was not told yet, obligations() (about 7) + dues_arrears() (3) + the writes when something is missing.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse

from branches.dues import Arrears, arrears_warn_months, dues_arrears
from branches.models import Organization, Role
from common.periods import (
    MONTH,
    QUARTER,
    YEAR,
    Period,
    is_quarter_end_month,
    period_for,
    period_name,
    previous_month_end,
)
from meetings import plan

from ..models import Notification, ReminderLog
from ..services import reminder_send_once

logger = logging.getLogger(__name__)

THRESHOLD = "records"


@dataclass(frozen=True)
class ReminderPeriods:
    """The periods that ended with the month before `today`."""

    month: Period
    quarter: Period | None
    year: Period | None

    @classmethod
    def before(cls, today: datetime.date) -> "ReminderPeriods":
        last_day = previous_month_end(today)
        month = period_for(MONTH, last_day)
        quarter = period_for(QUARTER, last_day) if is_quarter_end_month(last_day.month) else None
        year = period_for(YEAR, last_day) if last_day.month == 12 else None
        return cls(month, quarter, year)

    @property
    def all(self) -> list[Period]:
        return [p for p in (self.month, self.quarter, self.year) if p is not None]

    @property
    def labels(self) -> set[str]:
        return {p.label for p in self.all}

    @property
    def end(self) -> datetime.date:
        return self.month.end


@dataclass
class BranchGaps:
    branch: Organization
    missing: list[plan.Obligation]
    arrears: list[Arrears]

    @property
    def empty(self) -> bool:
        return not self.missing and not self.arrears


@dataclass
class RecordReminderSummary:
    today: datetime.date
    period: str  # the month just ended, e.g. "2026-10"
    checked: int = 0
    sent: int = 0
    notifications: int = 0
    complete: int = 0
    already_sent: int = 0
    no_recipients: int = 0
    missing_items: int = 0
    arrears_members: int = 0

    def describe(self) -> str:
        return (
            f"{self.today:%Y-%m-%d} 台账提醒({self.period}):检查支部 {self.checked} 个,发送提醒 {self.sent} 个"
            f"(站内通知 {self.notifications} 条,缺记录 {self.missing_items} 项,欠缴党员 {self.arrears_members} 人);"
            f"无缺项 {self.complete} 个;此前已发送 {self.already_sent} 个;无接收人 {self.no_recipients} 个"
        )

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "period": self.period,
            "checked": self.checked,
            "sent": self.sent,
            "notifications": self.notifications,
            "complete": self.complete,
            "already_sent": self.already_sent,
            "no_recipients": self.no_recipients,
            "missing_items": self.missing_items,
            "arrears_members": self.arrears_members,
        }


def reminder_key(branch: Organization, periods: ReminderPeriods) -> str:
    return f"records:{branch.pk}:{periods.month.label}"


def branch_gaps(branch: Organization, *, today: datetime.date, periods: ReminderPeriods | None = None) -> BranchGaps:
    """What the branch is missing for the period(s) just ended: plan.obligations() items in state OVERDUE, and
    members with dues_arrears() of DUES_ARREARS_WARN_MONTHS (3) months or more."""
    periods = periods or ReminderPeriods.before(today)
    labels = periods.labels
    missing = [
        o
        for o in plan.obligations(branch, periods.end.year, today)
        if o.state == plan.OVERDUE and o.period.label in labels
    ]
    return BranchGaps(branch=branch, missing=missing, arrears=dues_arrears(branch, today))


def plan_link(branch: Organization, year: int) -> str:
    return f"{reverse('meetings:year_plan')}?org={branch.code}&year={year}"


def dues_link(branch: Organization, year: int) -> str:
    return f"{reverse('branches:dues_year', args=[branch.code])}?year={year}&state=unpaid"


def _item_text(item: plan.Obligation) -> str:
    if item.total:
        return f"{item.label}(已覆盖{item.covered}/{item.total}人)"
    return item.label


def message(gaps: BranchGaps, *, today: datetime.date, periods: ReminderPeriods) -> tuple[str, str, str]:
    """(title, body, link). The link goes to the year plan when records are missing, else to the dues page."""
    branch = gaps.branch
    year = periods.end.year
    parts = []
    if gaps.missing:
        parts.append(f"{len(gaps.missing)}项组织生活未见记录")
    if gaps.arrears:
        parts.append(f"{len(gaps.arrears)}名党员欠缴党费")
    title = f"台账提醒:{branch.name}{period_name(periods.month)}" + "、".join(parts)

    lines = [f"截至{today.year}年{today.month}月{today.day}日:"]
    if gaps.missing:
        lines.append(f"{branch.name}以下按规定应开展的组织生活,系统中还没有已召开的记录:")
        for period in periods.all:
            items = [_item_text(o) for o in gaps.missing if o.period.label == period.label]
            if items:
                lines.append(f"· {period_name(period)}:" + "、".join(items))
        lines.append("已召开的请补录会议记录并上传签到表;未召开的请尽快安排。")
        lines.append(f"年度计划:{plan_link(branch, year)}")
    if gaps.arrears:
        # 党章 第九条: 连续6个月不交纳党费视为自行脱党, so the warning comes at 3 months.
        lines.append(f"以下党员已连续{arrears_warn_months()}个月以上未交纳党费,请及时提醒并登记:")
        for a in gaps.arrears:
            lines.append(f"· {a.member.name}:自{a.since.year}年{a.since.month}月起未交纳,共{a.months}个月")
        lines.append(f"党费登记:{dues_link(branch, today.year)}")
    link = plan_link(branch, year) if gaps.missing else dues_link(branch, today.year)
    return title, "\n".join(lines), link


def _recipients(branches) -> dict[int, list]:
    """The branch's own secretary and officers, in one query for all branches."""
    by_org: dict[int, dict] = defaultdict(dict)
    roles = (
        Role.objects.filter(
            organization__in=[b.pk for b in branches],
            kind__in=(Role.Kind.SECRETARY, Role.Kind.OFFICER),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    )
    for role in roles:
        by_org[role.organization_id][role.user_id] = role.user
    return {org_id: sorted(users.values(), key=lambda u: u.pk) for org_id, users in by_org.items()}


def record_reminders_send(*, today: datetime.date, organizations=None) -> RecordReminderSummary:
    """Tell each active branch what it is missing for the period(s) that ended before `today` (once per branch and
    month). `organizations` narrows the run to a queryset of branches (tests, a single enterprise)."""
    periods = ReminderPeriods.before(today)
    summary = RecordReminderSummary(today=today, period=periods.month.label)
    queryset = organizations if organizations is not None else Organization.objects.all()
    branches = list(
        queryset.filter(kind=Organization.Kind.BRANCH, status=Organization.Status.ACTIVE)
        .exclude(established_on__gt=periods.end)  # nothing was owed before the branch existed
        .order_by("path")
    )
    recipients = _recipients(branches)
    sent_keys = set(
        ReminderLog.objects.filter(
            key__in=[reminder_key(b, periods) for b in branches], threshold=THRESHOLD
        ).values_list("key", flat=True)
    )
    for branch in branches:
        summary.checked += 1
        key = reminder_key(branch, periods)
        if key in sent_keys:
            summary.already_sent += 1
            continue
        users = recipients.get(branch.pk)
        if not users:
            summary.no_recipients += 1
            logger.info("record reminder %s: %s has no secretary or officer", key, branch)
            continue
        gaps = branch_gaps(branch, today=today, periods=periods)
        if gaps.empty:
            summary.complete += 1
            continue
        title, body, link = message(gaps, today=today, periods=periods)
        result = reminder_send_once(
            key=key,
            organization=branch,
            threshold=THRESHOLD,
            due_on=periods.end,
            sent_on=today,
            users=users,
            title=title,
            body=body,
            link=link,
            kind=Notification.Kind.RECORD_REMINDER,
        )
        if result is None:  # a concurrent run sent it first
            summary.already_sent += 1
            continue
        summary.sent += 1
        summary.notifications += len(result.notifications)
        summary.missing_items += len(gaps.missing)
        summary.arrears_members += len(gaps.arrears)
    return summary
