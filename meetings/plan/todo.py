"""The secretary's to-do list and the year plan: the rules' periods as Obligations, with the meetings behind each."""

import datetime
from dataclasses import dataclass, field

from branches.models import Organization

from ..models import Meeting
from .periods import MONTH, QUARTER, Period, period_for
from .rules import EXTRA_LABELS, MEMBER_REVIEW, SECRETARY_LECTURE, TALK, _is_secretary_lecture, owed
from .selectors import load_year_facts

K = Meeting.Kind

DONE, OPEN, OVERDUE, UPCOMING = "done", "open", "overdue", "upcoming"
STATE_LABELS = {DONE: "已完成", OPEN: "进行中", OVERDUE: "逾期未完成", UPCOMING: "未到期"}


@dataclass
class Obligation:
    kind: str  # a Meeting.Kind code, or SECRETARY_LECTURE / TALK / MEMBER_REVIEW
    period: Period
    state: str
    group: Organization | None = None
    meetings: list = field(default_factory=list)
    covered: int | None = None  # coverage items (talks, reviews): members covered / members who belonged
    total: int | None = None
    pending: bool = False  # the period has not ended: shown, never a failure

    @property
    def done(self) -> bool:
        return self.state == DONE

    @property
    def required(self) -> bool:
        """Counts in an indicator: the period has ended (the current one is pending)."""
        return not self.pending

    @property
    def period_label(self) -> str:
        return self.period.label

    @property
    def start(self):
        return self.period.start

    @property
    def end(self):
        return self.period.end

    @property
    def label(self) -> str:
        name = Meeting.Kind(self.kind).label if self.kind in Meeting.Kind.values else EXTRA_LABELS[self.kind]
        return f"{name}({self.group.name})" if self.group else str(name)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def plannable(self) -> bool:
        return self.kind in Meeting.Kind.values and self.state != DONE


def _state(done: bool, period: Period, today: datetime.date) -> str:
    if done:
        return DONE
    if period.end < today:
        return OVERDUE
    if period.start <= today:
        return OPEN
    return UPCOMING


def _make(kind, period, today, *, done, group=None, meetings=(), covered=None, total=None) -> Obligation:
    return Obligation(
        kind, period, _state(done, period, today), group, list(meetings), covered, total, pending=period.end >= today
    )


def obligations(organization: Organization, year: int, today: datetime.date) -> list[Obligation]:
    """Every period item the organization owes in `year`, with the meetings behind each: five queries for a branch."""
    return _obligations(organization, year, today)[0]


def _obligations(organization: Organization, year: int, today: datetime.date) -> tuple[list[Obligation], int]:
    """(obligations, members without a 党费 base) from one load of the year's facts."""
    facts = load_year_facts([organization], year, with_meetings=True, group_models=True, as_of=today).get(
        organization.pk
    )
    if facts is None:
        return [], 0
    result = []
    for kind, period, group, done, covered, total in owed(facts, year):
        if kind == SECRETARY_LECTURE:
            mine = [
                m
                for m in facts.meetings
                if m.kind == K.PARTY_LECTURE
                and m.lecturer_id
                and _is_secretary_lecture(facts.terms, m.date, m.lecturer_id)
            ]
        elif kind in (TALK, MEMBER_REVIEW):
            mine = []
        else:
            group_id = group.pk if group is not None else None
            mine = [m for m in facts.meetings if m.kind == kind and m.group_id == group_id and period.contains(m.date)]
        result.append(_make(kind, period, today, done=done, group=group, meetings=mine, covered=covered, total=total))
    return result, facts.base_gaps


def rate(items: list[Obligation]) -> tuple[int, int]:
    """(periods met, periods required) over ended periods: what an indicator divides."""
    required = [o for o in items if o.required]
    return sum(1 for o in required if o.done), len(required)


def todo(organization: Organization, today: datetime.date) -> dict:
    """The secretary's to-do: this month's and this quarter's open items, this year's open yearly items, and
    what is overdue this year."""
    items, base_gaps = _obligations(organization, today.year, today)
    current = [o for o in items if o.state == OPEN]
    return {
        "month": [o for o in current if o.period.label == period_for(MONTH, today).label],
        "quarter": [o for o in current if o.period.label == period_for(QUARTER, today).label],
        "year": [o for o in current if o.period.label == str(today.year)],
        # most recent first: last month's gap matters more than January's
        "overdue": sorted((o for o in items if o.state == OVERDUE), key=lambda o: o.period.end, reverse=True),
        "all": items,
        "base_gaps": base_gaps,  # 基数未填: members whose months cannot be settled until it is filled
    }
