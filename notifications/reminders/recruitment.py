"""发展党员 reminders (issue 16 point 5): each day, every deadline of the path (the talk within a month, the 考察
every six months, the approval within three months, the end of the 预备期, the 转正 approval, the quarter's 思想汇报)
is announced before it falls due and, once overdue, once a week, to the branch (and, for the committee's own steps,
to its officers).

The deadlines are not computed here: recruitment.selectors.pipeline() gives each person's next steps with their due
dates, from recruitment.rules (the same figures as the secretary's list and the committee's view). Decisions:

- Before a deadline, at each of RECRUITMENT_REMINDER_DAYS_BEFORE (14 and 3 days): the most urgent threshold reached
  is sent once; a run that missed a day still sends it (replayable for any day).
- Overdue: once in each week after the deadline (week 0 is the first seven days overdue).
- Each item is keyed `recruit:<person>:<step>:<due date>:<threshold>` in ReminderLog (unique): a second run, or a
  concurrent one, sends nothing twice. One notification per branch and run lists that branch's new items.

Queries: the pipeline (2), the recipients (1), the keys already sent (1), then the writes per branch told.
"""

import datetime
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse

from branches.models import Organization, Role
from recruitment import rules
from recruitment.selectors import pipeline

from ..models import Notification, ReminderLog
from ..services import reminder_items_send_once

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Item:
    key: str
    person_id: int
    person_name: str
    number: int
    due_on: datetime.date
    overdue: bool
    threshold: str
    outcome: str = ""  # step 24: the decision it approves (named by it)

    @property
    def text(self) -> str:
        label = rules.Due(self.number, self.due_on, outcome=self.outcome).label  # a step, or the quarter's 思想汇报
        when = f"已超期{self.threshold_days}天" if self.overdue else f"还有{self.threshold_days}天"
        return f"· {self.person_name}:{label}截止 {self.due_on}({when})"

    @property
    def threshold_days(self) -> int:
        return int(self.threshold.split(":")[1])


@dataclass
class RecruitmentReminderSummary:
    today: datetime.date
    items: int = 0
    sent: int = 0
    notifications: int = 0
    already_sent: int = 0
    no_recipients: int = 0
    branches: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"{self.today:%Y-%m-%d} 发展党员提醒:新提醒 {self.items} 项,通知支部 {self.sent} 个"
            f"(站内通知 {self.notifications} 条);此前已发送 {self.already_sent} 项;无接收人 {self.no_recipients} 个"
        )

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "items": self.items,
            "sent": self.sent,
            "notifications": self.notifications,
            "already_sent": self.already_sent,
            "no_recipients": self.no_recipients,
        }


def _threshold(due_on: datetime.date, today: datetime.date) -> tuple[str, bool] | None:
    """("before:<days>" or "overdue:<days>", overdue) for the reminder that is due on `today`, or None."""
    if today > due_on:
        week = (today - due_on).days // 7
        return f"overdue:{(today - due_on).days}:w{week}", True
    left = (due_on - today).days
    reached = [d for d in rules.setting("RECRUITMENT_REMINDER_DAYS_BEFORE") if left <= d]
    if not reached:
        return None
    return f"before:{left}:d{min(reached)}", False


def item_key(person_id: int, number: int, due_on: datetime.date, threshold: str) -> str:
    # The key names the threshold (d14, d3, w0, w1...), not the day it was sent: a replay sends nothing new.
    return f"recruit:{person_id}:{number}:{due_on.isoformat()}:{threshold.split(':')[2]}"


def due_items(*, today: datetime.date, organizations=None) -> dict[int, list[Item]]:
    """Per branch id, the reminders due on `today` (before or overdue), sent or not."""
    q = None
    if organizations is not None:
        from django.db.models import Q

        q = Q(branch__in=organizations)
    by_branch: dict[int, list[Item]] = defaultdict(list)
    for row in pipeline(organizations_q=q, today=today):
        for due in row.dues:
            if due.due_on is None:
                continue
            found = _threshold(due.due_on, today)
            if found is None:
                continue
            threshold, overdue = found
            key = item_key(row.person.pk, due.number, due.due_on, threshold)
            item = Item(key, row.person.pk, row.person.name, due.number, due.due_on, overdue, threshold, due.outcome)
            by_branch[row.person.branch_id].append(item)
    return by_branch


def _recipients(branches: list[Organization]) -> tuple[dict[int, list], dict[int, list]]:
    """(the branch's own secretaries and officers, the officers above it) per branch id, in one query."""
    paths = {b.path[:i] for b in branches for i in range(Organization.steplen, len(b.path) + 1, Organization.steplen)}
    roles = (
        Role.objects.filter(
            organization__path__in=paths, kind__in=(Role.Kind.SECRETARY, Role.Kind.OFFICER), user__is_active=True
        )
        .select_related("user", "organization")
        .order_by("pk")
    )
    own: dict[int, dict] = defaultdict(dict)
    above: dict[int, dict] = defaultdict(dict)
    for role in roles:
        for branch in branches:
            if role.organization.path == branch.path:
                own[branch.pk][role.user_id] = role.user
            elif branch.path.startswith(role.organization.path) and role.kind == Role.Kind.OFFICER:
                above[branch.pk][role.user_id] = role.user
    return ({k: list(v.values()) for k, v in own.items()}, {k: list(v.values()) for k, v in above.items()})


def message(branch: Organization, items: list[Item], today: datetime.date) -> tuple[str, str, str]:
    overdue = sum(1 for i in items if i.overdue)
    title = f"发展党员提醒:{branch.name}" + (f"{overdue}项已超期" if overdue else f"{len(items)}项即将到期")
    lines = [f"截至{today.year}年{today.month}月{today.day}日,以下发展党员步骤{'已超期或' if overdue else ''}即将到期:"]
    lines += [i.text for i in sorted(items, key=lambda i: (not i.overdue, i.due_on, i.person_name))]
    link = reverse("recruitment:branch", args=[branch.code])
    lines.append(f"发展党员:{link}")
    return title, "\n".join(lines), link


def recruitment_reminders_send(*, today: datetime.date, organizations=None) -> RecruitmentReminderSummary:
    summary = RecruitmentReminderSummary(today=today)
    by_branch = due_items(today=today, organizations=organizations)
    if not by_branch:
        return summary
    keys = [i.key for items in by_branch.values() for i in items]
    sent = set(ReminderLog.objects.filter(key__in=keys).values_list("key", flat=True))
    branches = list(Organization.objects.filter(pk__in=by_branch).order_by("path"))
    own, above = _recipients(branches)
    for branch in branches:
        items = [i for i in by_branch[branch.pk] if i.key not in sent]
        summary.already_sent += len(by_branch[branch.pk]) - len(items)
        if not items:
            continue
        users = list(own.get(branch.pk, []))
        if any(rules.is_committee_step(i.number) for i in items):
            users += above.get(branch.pk, [])
        if not users:
            summary.no_recipients += 1
            continue
        title, body, link = message(branch, items, today)
        digest = hashlib.sha1("|".join(sorted(i.key for i in items)).encode()).hexdigest()[:12]
        logs = [
            ReminderLog(
                key=i.key,
                organization=branch,
                threshold=i.threshold.split(":")[0] + ":" + i.threshold.split(":")[2],
                due_on=i.due_on,
                sent_on=today,
                recipients=len(users),
            )
            for i in items
        ]
        result = reminder_items_send_once(
            logs=logs,
            users=users,
            title=title,
            body=body,
            link=link,
            organization=branch,
            kind=Notification.Kind.RECRUITMENT_REMINDER,
            dedupe_key=f"recruit:{branch.pk}:{today.isoformat()}:{digest}",
        )
        if result is None:  # a concurrent run logged them first
            summary.already_sent += len(items)
            continue
        summary.items += len(items)
        summary.sent += 1
        summary.notifications += len(result.notifications)
        summary.branches.append(branch.code)
    return summary
