"""The occurrences behind a computed deduction, read from the records (never typed in: "最多报一次").

Each source reads through the owner of its rule and does not copy it:
- missing meetings: meetings.plan.todo.obligations (the period rules: what was owed in which month/quarter/year);
- member-months not paid in full: branches.dues.dues_year_grid (the dues month states: unpaid or partial);
- an overdue term: CommitteeTerm.expires_on (branches: term length and extension), days past it;
- meetings recorded late: a held meeting's date against when its record was saved (Meeting.held_at, set by
  meetings.services when the meeting is recorded as held), in working days (settings.RECORD_LATE_WORKDAYS, default
  5: "会议记录未在会后 5 个工作日内登记");
- overdue rectification items: confirmed items whose deadline passed before they were closed.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from branches import dues
from branches.models import CommitteeTerm, Organization
from meetings.models import Meeting
from meetings.plan.todo import obligations

from ..rectification.models import RectificationItem
from .models import Source

DEFAULT_LATE_WORKDAYS = 5


@dataclass(frozen=True)
class Occurrence:
    date: datetime.date
    label: str
    detail: str = ""
    url: str = ""


def late_workdays() -> int:
    return int(getattr(settings, "RECORD_LATE_WORKDAYS", DEFAULT_LATE_WORKDAYS))


def workdays_between(first: datetime.date, last: datetime.date) -> int:
    """Working days (Monday–Friday) after `first` up to and including `last`; 0 when `last` is not after `first`."""
    days, day = 0, first
    while day < last:
        day += datetime.timedelta(days=1)
        days += day.weekday() < 5
    return days


def _as_of(year: int, today: datetime.date) -> datetime.date:
    return min(today, datetime.date(year, 12, 31))


def missing_meetings(organization: Organization, year: int, today: datetime.date) -> list[Occurrence]:
    """One occurrence per ended period whose meeting (or lecture, talk round, review) was not held."""
    return [
        Occurrence(o.end, f"{o.label} {o.period_label}", "期间结束未完成")
        for o in obligations(organization, year, today)
        if o.required and not o.done
    ]


def dues_unpaid(organization: Organization, year: int, today: datetime.date) -> list[Occurrence]:
    """One occurrence per member-month that elapsed unpaid or partly paid (每人每月未足额交纳)."""
    labels = {"unpaid": "未交纳", "partial": "未足额交纳"}
    return [
        Occurrence(cell.month, f"{row.member.name} {cell.month:%Y年%m月}", labels[cell.state])
        for row in dues.dues_year_grid(organization, year, today=today)
        for cell in row.cells
        if cell.state in labels
    ]


def term_overdue(organization: Organization, year: int, today: datetime.date) -> list[Occurrence]:
    """One occurrence per term that ran past its expiry within the year, with the days past it (换届超期)."""
    start, end = datetime.date(year, 1, 1), _as_of(year, today)
    result = []
    for term in CommitteeTerm.objects.filter(organization=organization, started_on__lte=end).order_by("started_on"):
        expiry = term.expires_on
        stop = min(term.ended_on or end, end)
        if expiry < stop and stop >= start:
            days = (stop - expiry).days
            label = f"{term.started_on:%Y-%m-%d} 起的一届,届满 {expiry:%Y-%m-%d}"
            result.append(Occurrence(expiry, label, f"超期 {days} 天"))
    return result


def late_records(organization: Organization, year: int, today: datetime.date) -> list[Occurrence]:
    """One occurrence per meeting of the year recorded more than the allowed working days after its date."""
    limit = late_workdays()
    meetings = (
        Meeting.objects.held()
        .filter(organization=organization, date__year=year, held_at__isnull=False)
        .order_by("date", "id")
        .only("id", "date", "held_at", "kind", "topic")
    )
    result = []
    for meeting in meetings:
        recorded = timezone.localdate(meeting.held_at)
        late = workdays_between(meeting.date, recorded)
        if late > limit:
            detail = f"会议日期 {meeting.date:%Y-%m-%d},登记于 {recorded:%Y-%m-%d}(会后第 {late} 个工作日)"
            result.append(Occurrence(meeting.date, f"{meeting.get_kind_display()} {meeting.topic}", detail))
    return result


def overdue_rectification(organization: Organization, year: int, today: datetime.date) -> list[Occurrence]:
    """One occurrence per confirmed item whose deadline (in the year) passed before it was closed."""
    as_of = _as_of(year, today)
    items = RectificationItem.objects.filter(
        organization=organization, deadline__year=year, deadline__lt=as_of
    ).exclude(state__in=(RectificationItem.State.PROPOSED, RectificationItem.State.DISMISSED))
    result = []
    for item in items.order_by("deadline", "id"):
        closed = timezone.localdate(item.closed_at) if item.closed_at else None
        if closed is None or closed > item.deadline:
            detail = f"整改时限 {item.deadline:%Y-%m-%d}," + (f"{closed:%Y-%m-%d} 销号" if closed else "尚未销号")
            result.append(Occurrence(item.deadline, item.title, detail))
    return result


SOURCES = {
    Source.MISSING_MEETINGS: missing_meetings,
    Source.DUES_UNPAID: dues_unpaid,
    Source.TERM_OVERDUE: term_overdue,
    Source.LATE_RECORDS: late_records,
    Source.OVERDUE_RECTIFICATION: overdue_rectification,
}


def occurrences(source: str, organization: Organization, year: int, today: datetime.date) -> list[Occurrence]:
    return SOURCES[source](organization, year, today)
