"""The organizational-life rules, as pure functions over one organization's year of facts: what is owed when.

DOMAIN.md "How an indicator is computed":
- periods count separately: two meetings in March do not cover April;
- a period is required once it has ended; the current period is pending (shown, not a failure);
- a period that ended before the organization (or group) was established is not required;
- a planned meeting that was not held never counts; a meeting counts for the period its date falls in.

Frequencies are local practice where DOMAIN.md says so (党课 once a quarter): settings.MEETING_FREQUENCIES overrides them.
The facts are loaded by meetings/plan/selectors.py; no function here queries.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings

from branches.models import Organization
from common.periods import period_name

from ..models import Meeting
from .periods import MONTH, PERIOD_BITS, QUARTER, YEAR, Period, _periods, existed_bits, months_before, months_from

K = Meeting.Kind

# 支部工作条例 第十二至十六条 (periods); 党课 per quarter is local practice, hence configurable.
DEFAULT_FREQUENCIES = {
    K.BRANCH_COMMITTEE: MONTH,  # 第十九条: 支部委员会一般每月召开1次
    K.GROUP_MEETING: MONTH,  # 党小组会一般每月召开1次, per group
    K.BRANCH_ASSEMBLY: QUARTER,  # 支部党员大会一般每季度召开1次
    K.PARTY_LECTURE: QUARTER,
    K.THEME_DAY: MONTH,  # 每月相对固定1天开展主题党日
    K.ORG_LIFE: YEAR,  # 组织生活会一般每年召开1次
    K.DEMOCRATIC_LIFE: YEAR,  # 党委(党组)领导班子每年召开1次民主生活会
}
BRANCH_KINDS = (K.BRANCH_COMMITTEE, K.GROUP_MEETING, K.BRANCH_ASSEMBLY, K.PARTY_LECTURE, K.THEME_DAY, K.ORG_LIFE)
COMMITTEE_KINDS = (K.DEMOCRATIC_LIFE,)

# Items that are not meetings (the records of talks and member reviews), and the 书记's yearly lecture.
SECRETARY_LECTURE = "secretary_lecture"
TALK = "talk"
MEMBER_REVIEW = "member_review"
EXTRA_LABELS = {SECRETARY_LECTURE: "书记讲党课", TALK: "谈心谈话", MEMBER_REVIEW: "民主评议党员"}


def founded_by() -> tuple[int, int]:
    """settings.YEARLY_ITEMS_FOUNDED_BY ("MM-DD", default "06-30") as (month, day)."""
    month, day = getattr(settings, "YEARLY_ITEMS_FOUNDED_BY", "06-30").split("-")
    return int(month), int(day)


def owed_periods(established_on: datetime.date, year: int, freq: str) -> int:
    """The `freq` periods of `year` an organization (or 党小组) established on that day owes: it existed on their first
    day; a yearly item in the founding year only per settings.YEARLY_ITEMS_FOUNDED_BY (DOMAIN.md)."""
    return existed_bits(established_on, year, freq, founded_by())


def frequency(kind: str) -> str:
    return frequencies()[kind]


def frequencies() -> dict[str, str]:
    """Every meeting kind's period (read once per computation: settings.MEETING_FREQUENCIES overrides)."""
    return {**DEFAULT_FREQUENCIES, **getattr(settings, "MEETING_FREQUENCIES", {})}


# ---------------------------------------------------------------- facts: what the rules read, fetched in bulk


@dataclass(frozen=True)
class GroupRef:
    """A 党小组 as the rules need it (the bulk path avoids model instances)."""

    pk: int
    name: str
    established_on: datetime.date
    dissolved_on: datetime.date | None = None


@dataclass(frozen=True)
class TermFacts:
    pk: int
    started_on: datetime.date
    ended_on: datetime.date | None
    has_committee: bool
    expires_on: datetime.date  # with the approved extension (CommitteeTerm.expires_on)
    secretary_ids: frozenset = frozenset()
    term_years: int = 3  # the fields branches.term_rules reads (which days were overdue)
    extension_months: int = 0
    extension_approved_on: datetime.date | None = None

    def in_force(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


@dataclass(slots=True)
class YearFacts:
    """One organization's year, pre-fetched: the rules below run on it without a query. Built by `load_year_facts`
    for one organization (the to-do list, the year plan) or for a whole subtree (the indicators) the same way."""

    organization_id: int
    kind: str
    established_on: datetime.date
    groups: list = field(
        default_factory=list
    )  # 党小组 that existed in the year (Organization or GroupRef), in tree order
    terms: list = field(default_factory=list)  # TermFacts, newest first
    held: dict = field(default_factory=dict)  # (kind, group_id) -> months (bits) with a held meeting
    lectures: list = field(default_factory=list)  # (date, lecturer_id) of held 党课 given by a (some time) 书记
    meetings: list | None = None  # the held meetings themselves, when the caller shows them (year plan links)
    members: int = 0  # members who belonged to the branch during the year
    talked: int = 0  # ... of whom had a talk in the year
    reviewed: int = 0  # ... of whom have a grade for the year
    base_gaps: int = 0  # ... of whom have no 党费 base (基数未填, branches.dues.base_missing)
    dues_due: dict = field(default_factory=dict)  # month (1..12) -> members who belonged and owed dues that month
    dues_paid: dict = field(default_factory=dict)  # month -> of whom have a paid (or nothing-due) row for it


def committee_months(terms, year: int) -> int:
    """The months of `year` in which the organization had a committee (a term with has_committee)."""
    months = 0
    for t in terms:
        if t.has_committee:
            months |= months_from(t.started_on, year) & months_before(t.ended_on, year)
    return months


def _is_secretary_lecture(terms, day: datetime.date, lecturer_id: int) -> bool:
    # 支部工作条例 第十四条: 党支部书记每年至少讲1次党课 — the 书记 of the term in force on the day of the lecture.
    term = next((t for t in terms if t.in_force(day)), None)  # newest first
    return term is not None and lecturer_id in term.secretary_ids


def owed_lines(facts: YearFacts, year: int, freqs: dict | None = None) -> list[tuple]:
    """What the organization owes in `year`, one line per meeting kind (and per 党小组 for 党小组会):
    (kind, group, freq, owed, done) where `owed` and `done` are sets of `freq` periods as bits (bit i = the i-th
    period of the year, as in periods()). The rules (DOMAIN.md "How an indicator is computed"):
    - periods count separately: a period is done when one of its own months had a held meeting;
    - periods that ended before the organization (or the 党小组) was established are not owed;
    - 党小组会 are owed per group; a branch owes 支委会 only in periods when it had a committee (第九条), and a
      committee owes its 民主生活会 only in a year when it had a committee term (the meeting service refuses to
      record one without): both follow the same committee_months();
    - the 书记's yearly lecture is a line of its own (SECRETARY_LECTURE, yearly).
    Whether a period is pending (not ended as of a day) is for the caller: it depends on `today`, the rules do not."""
    if facts.established_on > datetime.date(year, 12, 31):
        return []
    freqs = freqs or frequencies()
    by = founded_by()

    def existed(established_on, freq):
        return existed_bits(established_on, year, freq, by)

    held = facts.held
    lines = []
    if facts.kind == Organization.Kind.BRANCH:
        for kind in BRANCH_KINDS:
            freq = freqs[kind]
            bits = PERIOD_BITS[freq]
            if kind == K.GROUP_MEETING:
                for group in facts.groups:
                    # A group is owed for the periods it existed: a dissolved one keeps its past figures.
                    alive = bits[months_before(group.dissolved_on, year)]
                    owed = existed(facts.established_on, freq) & existed(group.established_on, freq) & alive
                    lines.append((kind, group, freq, owed, owed & bits[held.get((kind, group.pk), 0)]))
                continue
            owed = existed(facts.established_on, freq)
            if kind == K.BRANCH_COMMITTEE:
                # 支部工作条例 第九条: fewer than 7 正式党员, no 支委会 to hold
                owed &= bits[committee_months(facts.terms, year)]
            lines.append((kind, None, freq, owed, owed & bits[held.get((kind, None), 0)]))
        lectured = any(_is_secretary_lecture(facts.terms, day, lecturer) for day, lecturer in facts.lectures)
        owed = existed(facts.established_on, YEAR)
        lines.append((SECRETARY_LECTURE, None, YEAR, owed, owed & int(lectured)))
    elif facts.kind == Organization.Kind.COMMITTEE:
        # No 民主生活会 is owed in a year without a committee term (consistent with the 支委会 rule above).
        committee = committee_months(facts.terms, year)
        for kind in COMMITTEE_KINDS:
            bits = PERIOD_BITS[freqs[kind]]
            owed = existed(facts.established_on, freqs[kind]) & bits[committee]
            lines.append((kind, None, freqs[kind], owed, owed & bits[held.get((kind, None), 0)]))
    return lines


def owed(facts: YearFacts, year: int):
    """Every period item the organization owes in `year`, as (kind, period, group, done, covered, total) tuples, in
    the order of BRANCH_KINDS, then periods, then groups; coverage items (talks, reviews) count the members who
    belonged to the branch during the year. The period lines of owed_lines(), one item per period."""
    if facts.established_on > datetime.date(year, 12, 31):
        return
    lines = owed_lines(facts, year)
    by_kind: dict[str, list] = {}
    for line in lines:
        by_kind.setdefault(line[0], []).append(line)
    for kind, kind_lines in by_kind.items():
        for i, period in enumerate(_periods(year, kind_lines[0][2])):
            bit = 1 << i
            for _kind, group, _freq, owed_bits, done_bits in kind_lines:
                if owed_bits & bit:
                    yield kind, period, group, bool(done_bits & bit), None, None
    if facts.kind == Organization.Kind.BRANCH and owed_periods(facts.established_on, year, YEAR):
        year_period = _periods(year, YEAR)[0]
        total = facts.members
        yield TALK, year_period, None, total > 0 and facts.talked >= total, facts.talked, total
        yield MEMBER_REVIEW, year_period, None, total > 0 and facts.reviewed >= total, facts.reviewed, total


_TOPIC_SUGGESTIONS = {
    K.BRANCH_ASSEMBLY: "{label}支部党员大会",
    K.BRANCH_COMMITTEE: "{label}支部委员会会议",
    K.GROUP_MEETING: "{label}党小组会",
    K.PARTY_LECTURE: "{label}党课",
    K.THEME_DAY: "{label}主题党日活动",
    K.ORG_LIFE: "{label}年度组织生活会",
    K.DEMOCRATIC_LIFE: "{label}年度民主生活会",
}


def suggest_topic(kind: str, period: Period) -> str:
    return _TOPIC_SUGGESTIONS[kind].format(label=period_name(period, year_word="年"))
