"""From occurrences to points (pure: no query here; points/selectors.py loads the facts in a fixed number of queries).

An occurrence is one fact a record holds (a member present at a held meeting, a 党课 given, a month of dues paid in
full and on time, an approved manual item …). The rule set that applies is the one of the branch the member belonged
to on the occurrence's day (the half-open membership rule, branches/standing.belongs_on): a member who transferred
keeps what they earned in the old branch for those months, under that branch's rules.

Caps (DOMAIN.md "积分 and 星级": a cap per period): per member and rule, in date order, the month's and the year's sum
never passes the cap in absolute value (a deduction is capped like an addition); an occurrence beyond the cap stays
listed with 0, so the member sees why it did not count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from branches.standing import belongs_on

ZERO = Decimal("0")


class Occurrence(NamedTuple):
    """A tuple: a committee's year holds hundreds of thousands of them."""

    member_id: int
    day: datetime.date
    source: str
    label: str
    url: str
    meeting_kind: str = ""
    rule_id: int | None = None  # manual items name their rule
    order: int = 0  # ties on a day: the record's id


@dataclass(slots=True)
class Point:
    member_id: int
    day: datetime.date
    branch_id: int | None
    rule_id: int
    rule_name: str
    category: str
    raw: Decimal
    points: Decimal
    label: str
    url: str

    @property
    def capped(self) -> bool:
        return self.points != self.raw

    @property
    def month(self) -> int:
        return self.day.month


@dataclass
class RuleBook:
    """The rules of one rule set, indexed for matching."""

    rule_set: object
    by_source: dict = field(default_factory=dict)  # (source, meeting_kind) -> rule; kind "" matches every kind
    by_id: dict = field(default_factory=dict)

    @classmethod
    def of(cls, rule_set, rules) -> RuleBook:
        book = cls(rule_set=rule_set)
        for rule in rules:
            book.by_id[rule.pk] = rule
            if rule.source != "manual":
                book.by_source[(rule.source, rule.meeting_kind)] = rule
        return book

    def match(self, occurrence: Occurrence):
        if occurrence.rule_id is not None:
            return self.by_id.get(occurrence.rule_id)
        return self.by_source.get((occurrence.source, occurrence.meeting_kind)) or self.by_source.get(
            (occurrence.source, "")
        )


def branch_on(memberships, day: datetime.date) -> int | None:
    """The branch a member belongs to on `day`: memberships are (organization_id, started_on, ended_on)."""
    for organization_id, started_on, ended_on in memberships:
        if belongs_on(started_on, ended_on, day):
            return organization_id
    return None


def _clip(value: Decimal, used: Decimal, cap: Decimal | None) -> Decimal:
    if cap is None:
        return value
    room = max(cap - abs(used), ZERO)
    return value if abs(value) <= room else (room if value > 0 else -room)


def derive(occurrences, *, memberships, book_for_branch, manual_books=None) -> list[Point]:
    """Points from occurrences. `memberships`: {member_id: [(organization_id, started_on, ended_on)]};
    `book_for_branch(organization_id) -> RuleBook`; manual items match their own rule in `manual_books`
    ({rule_id: RuleBook}) whatever the branch."""
    manual_books = manual_books or {}
    books: dict = {}  # branch id -> its rule book, looked up once per branch
    used_month: dict = defaultdict(lambda: ZERO)
    used_year: dict = defaultdict(lambda: ZERO)
    points = []
    for occ in sorted(occurrences, key=lambda o: (o.member_id, o.day, o.order)):
        branch_id = branch_on(memberships.get(occ.member_id, ()), occ.day)
        book = manual_books.get(occ.rule_id) if occ.rule_id is not None else None
        if book is None:
            if branch_id is None:
                continue
            if branch_id not in books:
                books[branch_id] = book_for_branch(branch_id)
            book = books[branch_id]
        rule = book.match(occ) if book is not None else None
        if rule is None:
            continue  # no rule for this kind of record in the set that applies
        key_year = (occ.member_id, rule.pk)
        key_month = (occ.member_id, rule.pk, occ.day.month)
        value = _clip(rule.points, used_month[key_month], rule.cap_month)
        value = _clip(value, used_year[key_year], rule.cap_year)
        used_month[key_month] += value
        used_year[key_year] += value
        points.append(
            Point(
                member_id=occ.member_id,
                day=occ.day,
                branch_id=branch_id,
                rule_id=rule.pk,
                rule_name=rule.name,
                category=rule.category,
                raw=rule.points,
                points=value,
                label=occ.label,
                url=occ.url,
            )
        )
    return points


def rank(totals: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by total, highest first."""
    ordered = sorted(totals.values(), reverse=True)
    first = {}
    for index, value in enumerate(ordered, 1):
        first.setdefault(value, index)
    return {member_id: first[value] for member_id, value in totals.items()}


def stars(total: Decimal, rule_set) -> int:
    """党员星级 by the rule set's thresholds: ★ below star2_min, up to ★★★★★ at star5_min."""
    thresholds = (rule_set.star2_min, rule_set.star3_min, rule_set.star4_min, rule_set.star5_min)
    return 1 + sum(1 for minimum in thresholds if total >= minimum)
