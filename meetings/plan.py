"""What an organization owes, period by period: the single implementation of the organizational-life rules.

The secretary's to-do list and the year plan read `obligations()`; the indicators (assessments/indicators.py) read
`owed_lines()`, which `obligations()` expands period by period, so both apply the same rules. DOMAIN.md
"How an indicator is computed":
- periods count separately: two meetings in March do not cover April;
- a period is required once it has ended; the current period is pending (shown, not a failure);
- a period that ended before the organization (or group) was established is not required;
- a planned meeting that was not held never counts; a meeting counts for the period its date falls in.

Frequencies are local practice where DOMAIN.md says so (党课 once a quarter): settings.MEETING_FREQUENCIES overrides them.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Count, Func, IntegerField, Q, Sum

from branches.models import CommitteePosition, CommitteeTerm, Membership, Organization

from .models import Meeting, MemberReview, Talk

K = Meeting.Kind
MONTH, QUARTER, YEAR = "month", "quarter", "year"

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

DONE, OPEN, OVERDUE, UPCOMING = "done", "open", "overdue", "upcoming"
STATE_LABELS = {DONE: "已完成", OPEN: "进行中", OVERDUE: "逾期未完成", UPCOMING: "未到期"}


def frequency(kind: str) -> str:
    return frequencies()[kind]


@dataclass(frozen=True)
class Period:
    label: str  # "2026-04", "2026-Q2", "2026"
    start: datetime.date
    end: datetime.date

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def periods(year: int, freq: str) -> list[Period]:
    if freq == MONTH:
        return [Period(f"{year}-{m:02d}", datetime.date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    if freq == QUARTER:
        return [Period(f"{year}-Q{q}", datetime.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)]
    return [Period(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))]


def period_for(freq: str, day: datetime.date) -> Period:
    return next(p for p in periods(day.year, freq) if p.contains(day))


def period_by_label(label: str) -> Period | None:
    """The Period named by '2026-04', '2026-Q2' or '2026' (None when malformed)."""
    try:
        year = int(label[:4])
        if len(label) == 4:
            return periods(year, YEAR)[0]
        if label[5] == "Q":
            return periods(year, QUARTER)[int(label[6:]) - 1]
        return periods(year, MONTH)[int(label[5:]) - 1]
    except (ValueError, IndexError):
        return None


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


# ---------------------------------------------------------------- months as bits
# A set of months of one year is an int: bit m-1 stands for month m. The rules below compare whole periods with one
# AND, so a province's year costs a few integer operations per organization, not a date comparison per period.

ALL_MONTHS = (1 << 12) - 1


def months_from(day: datetime.date, year: int) -> int:
    """The months of `year` that end on or after `day` (owed once the organization or group exists)."""
    if day.year != year:
        return ALL_MONTHS if day.year < year else 0
    return ALL_MONTHS & ~((1 << (day.month - 1)) - 1)


def months_before(day: datetime.date | None, year: int) -> int:
    """The months of `year` that start before `day` (a half-open period that ends on `day`; None: open)."""
    if day is None or day.year > year:
        return ALL_MONTHS
    if day.year < year:
        return 0
    return (1 << (day.month - (day.day == 1))) - 1


def _bits_table(freq: str) -> tuple[int, ...]:
    """month set -> set of the `freq` periods (bit i = the i-th period of the year) that contain one of its months."""
    if freq == MONTH:
        return tuple(range(1 << 12))
    if freq == QUARTER:
        return tuple(sum(1 << q for q in range(4) if mask & (7 << 3 * q)) for mask in range(1 << 12))
    return tuple(int(mask != 0) for mask in range(1 << 12))


PERIOD_BITS = {freq: _bits_table(freq) for freq in (MONTH, QUARTER, YEAR)}
_MONTHS_OF = tuple(tuple(m for m in range(1, 13) if mask & (1 << (m - 1))) for mask in range(1 << 12))


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


@dataclass(frozen=True)
class TermFacts:
    pk: int
    started_on: datetime.date
    ended_on: datetime.date | None
    has_committee: bool
    expires_on: datetime.date  # with the approved extension (CommitteeTerm.expires_on)
    secretary_ids: frozenset = frozenset()

    def in_force(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


@dataclass(slots=True)
class YearFacts:
    """One organization's year, pre-fetched: the rules below run on it without a query. Built by `load_year_facts`
    for one organization (the to-do list, the year plan) or for a whole subtree (the indicators) the same way."""

    organization_id: int
    kind: str
    established_on: datetime.date
    groups: list = field(default_factory=list)  # active 党小组 (Organization or GroupRef), in tree order
    terms: list = field(default_factory=list)  # TermFacts, newest first
    held: dict = field(default_factory=dict)  # (kind, group_id) -> months (bits) with a held meeting
    lectures: list = field(default_factory=list)  # (date, lecturer_id) of held 党课 given by a (some time) 书记
    meetings: list | None = None  # the held meetings themselves, when the caller shows them (year plan links)
    members: int = 0  # members who belonged to the branch during the year
    talked: int = 0  # ... of whom had a talk in the year
    reviewed: int = 0  # ... of whom have a grade for the year
    dues_due: dict = field(default_factory=dict)  # month (1..12) -> members who belonged and owed dues that month
    dues_paid: dict = field(default_factory=dict)  # month -> of whom have a paid (or nothing-due) row for it


def _add_months(day: datetime.date, months: int) -> datetime.date:
    # relativedelta(months=n) without its cost (thousands of terms): the same day, clamped to the month's end.
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month0 + 1, min(day.day, _month_end(year, month0 + 1).day))


def _term_facts(rows, secretaries) -> dict[int, list[TermFacts]]:
    by_org: dict[int, list[TermFacts]] = {}
    for pk, org_id, started, ended, has_committee, years, extension in rows:  # newest first
        expires = _add_months(started, 12 * years + extension)  # CommitteeTerm.expires_on
        by_org.setdefault(org_id, []).append(
            TermFacts(pk, started, ended, has_committee, expires, frozenset(secretaries.get(pk, ())))
        )
    return by_org


class MonthBit(Func):
    """1 << (month of the date - 1): the month as a bit, OR-ed (or summed once per distinct value) per group."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return self.as_sqlite(compiler, connection, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = "(1 << (CAST(strftime('%%%%m', %(expressions)s) AS INTEGER) - 1))"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "(1 << (EXTRACT(MONTH FROM %(expressions)s)::integer - 1))"
        return super().as_sql(compiler, connection, template=template, **extra)


class BitOr(Aggregate):
    function = "BIT_OR"
    output_field = IntegerField()


def _months_held(expression):
    # PostgreSQL ORs the bits in a hash aggregate; elsewhere the sum of the distinct bits is the same number.
    if connection.vendor == "postgresql":
        return BitOr(MonthBit(expression))
    return Sum(MonthBit(expression), distinct=True)


def load_year_facts(
    organizations,
    year: int,
    *,
    root: Organization | None = None,
    with_meetings: bool = False,
    group_models: bool = False,
    with_dues: bool = False,
) -> dict[int, YearFacts]:
    """Facts for `organizations` (objects with pk, kind, established_on, path, depth) in a fixed number of queries,
    whatever their number: each query is one aggregate or a narrow value list, never one per organization.
    With `root`, the organizations are (some of) root's subtree and the queries select the subtree by path prefix;
    without it, they select the organizations by id (the one-organization pages)."""
    organizations = list(organizations)
    if root is not None:

        def scope(prefix: str) -> Q:
            return Q(**{f"{prefix}path__startswith": root.path})

        group_q = scope("")
    else:
        pks = [org.pk for org in organizations]

        def scope(prefix: str) -> Q:
            return Q(**{f"{prefix}pk__in": pks})

        group_q = Q(pk__in=[])
        for org in organizations:
            group_q |= Q(path__startswith=org.path, depth=org.depth + 1)

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    facts = {
        org.pk: YearFacts(org.pk, org.kind, org.established_on) for org in organizations if org.established_on <= end
    }
    if not facts:
        return facts
    paths = {org.path: org.pk for org in organizations if org.pk in facts}
    steplen = Organization.steplen

    # 党小组: children of the branches in scope.
    groups = Organization.objects.filter(group_q, kind=Organization.Kind.GROUP, status=Organization.Status.ACTIVE)
    if group_models:
        group_rows = [(g.path, g) for g in groups.order_by("path")]
    else:
        group_rows = [
            (path, GroupRef(pk, name, established))
            for pk, name, established, path in groups.order_by("path").values_list(
                "pk", "name", "established_on", "path"
            )
        ]
    for path, group in group_rows:
        parent = paths.get(path[:-steplen])
        if parent is not None:
            facts[parent].groups.append(group)

    # Terms that touch the year, with their 书记 (for the 书记's lecture and 按期换届).
    terms = (
        CommitteeTerm.objects.filter(scope("organization__"), started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .order_by("organization_id", "-started_on")
    )
    term_rows = list(
        terms.values_list(
            "pk", "organization_id", "started_on", "ended_on", "has_committee", "term_years", "extension_months"
        )
    )
    secretaries: dict[int, list[int]] = {}
    for term_id, member_id in CommitteePosition.objects.filter(
        term__in=terms.values("pk"), role=CommitteePosition.Role.SECRETARY
    ).values_list("term_id", "member_id"):
        secretaries.setdefault(term_id, []).append(member_id)
    for org_id, term_list in _term_facts(term_rows, secretaries).items():
        if org_id in facts:
            facts[org_id].terms = term_list

    # Held meetings: the months that had one, per (organization, group, kind); never the rows themselves in bulk.
    held = Meeting.objects.held().filter(scope("organization__"), date__gte=start, date__lte=end)
    if with_meetings:
        meetings = list(held.order_by("date", "id"))
        for f in facts.values():
            f.meetings = []
        for meeting in meetings:
            f = facts.get(meeting.organization_id)
            if f is None:
                continue
            f.meetings.append(meeting)
            key = (meeting.kind, meeting.group_id)
            f.held[key] = f.held.get(key, 0) | 1 << (meeting.date.month - 1)
            if meeting.kind == K.PARTY_LECTURE and meeting.lecturer_id:
                f.lectures.append((meeting.date, meeting.lecturer_id))
    else:
        rows = (
            held.order_by()
            .values_list("organization_id", "group_id", "kind")
            .annotate(months=_months_held("date"))
            .values_list("organization_id", "group_id", "kind", "months")
        )
        for org_id, group_id, kind, months in rows:
            f = facts.get(org_id)
            if f is not None:
                f.held[(kind, group_id)] = months
        lectures = (
            held.filter(kind=K.PARTY_LECTURE, lecturer__isnull=False, lecturer__positions__role="secretary")
            .order_by()
            .values_list("organization_id", "date", "lecturer_id")
            .distinct()
        )
        for org_id, day, lecturer_id in lectures:
            if org_id in facts:
                facts[org_id].lectures.append((day, lecturer_id))

    branch_ids = [pk for pk, f in facts.items() if f.kind == Organization.Kind.BRANCH]
    if not branch_ids:
        return facts

    # Coverage (支部工作条例 第十四、十六条): members who belonged to the branch during the year, and of them those who had
    # a talk in the year (as talker or listener, in any branch) and those graded for the year. One aggregate.
    belonged = Membership.objects.filter(scope("organization__"), started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start)
    )
    # Membership in a hashed set (IN subquery), not a correlated EXISTS per row: PostgreSQL builds each set once.
    in_year = Talk.objects.filter(held_on__gte=start, held_on__lte=end)
    talked = Q(member_id__in=in_year.values("initiator_id")) | Q(
        member_id__in=Talk.participants.through.objects.filter(talk__in=in_year).values("member_id")
    )
    reviewed = Q(member_id__in=MemberReview.objects.filter(year=year).values("member_id"))
    for org_id, members, talks, reviews in (
        belonged.order_by()
        .values("organization_id")
        .annotate(
            n=Count("member_id", distinct=True),
            t=Count("member_id", distinct=True, filter=talked),
            r=Count("member_id", distinct=True, filter=reviewed),
        )
        .values_list("organization_id", "n", "t", "r")
    ):
        if org_id in facts:
            facts[org_id].members, facts[org_id].talked, facts[org_id].reviewed = members, talks, reviews

    if with_dues:
        _load_dues(facts, year, root=root)
    return facts


# 党费 member-months in one statement (branches/dues.py): a member owes a month when they belonged to the branch at some
# time in it (half-open membership periods) and had joined the party by its end; the month is paid when the member's
# row for it has an amount paid, or nothing was due.
#
# Months are bits here too (bit m-1 = month m), so no row is multiplied by twelve and nothing is counted DISTINCT:
# - `ranked`/`spans`: each membership of the year becomes the set of months it owes: from the month of the later of its
#   start and the member's joining (moved past any earlier membership of the same member in the same branch, who left
#   and came back within a month, so that no member-month is counted twice) up to the last month that starts before
#   it ended;
# - `paid`: each member's settled months of the year, one row per member ((member, month) is unique, so SUM of the
#   bits is their OR); a semi-join with the memberships in scope keeps a subtree's query to its own members (on the
#   table, not on `spans`: the planner knows its row counts, and `spans` stays inlined);
# - the result: per branch, how many of its members owed which months and paid which of those (a few rows per branch:
#   most members owe every month so far); Python adds them up per month.
_DUES_SQL = """
WITH ranked AS (
    SELECT ms.member_id, ms.organization_id, ms.ended_on,
           {month_start} AS owed_from,
           MAX(COALESCE(ms.ended_on, %(open_end)s)) OVER (
               PARTITION BY ms.member_id, ms.organization_id ORDER BY ms.started_on, ms.id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
           ) AS earlier_until
      FROM branches_membership ms
      JOIN branches_member mb ON mb.id = ms.member_id
      {join}
     WHERE ms.started_on <= %(end)s AND (ms.ended_on IS NULL OR ms.ended_on > %(start)s) {where}
),
bounds AS (
    SELECT member_id, organization_id, ended_on,
           CASE WHEN earlier_until > owed_from THEN earlier_until ELSE owed_from END AS owed_from
      FROM ranked
),
months AS (
    SELECT member_id, organization_id,
           CASE WHEN owed_from > %(end)s THEN 13
                WHEN owed_from < %(start)s THEN 1
                ELSE {month_of_owed} + CASE WHEN {day_of_owed} > 1 THEN 1 ELSE 0 END END AS first,
           CASE WHEN ended_on IS NULL OR ended_on > %(end)s THEN 13
                ELSE {month_of_end} + CASE WHEN {day_of_end} > 1 THEN 1 ELSE 0 END END AS stop
      FROM bounds
),
spans AS (
    SELECT member_id, organization_id,
           CASE WHEN stop > first THEN (1 << (stop - 1)) - (1 << (first - 1)) ELSE 0 END AS owed
      FROM months
),
paid AS (
    SELECT d.member_id, SUM(1 << ({month_of_row} - 1)) AS months
      FROM branches_duespayment d
     WHERE d.month >= %(start)s AND d.month <= %(end)s AND (d.amount_paid > 0 OR d.amount_due = 0)
       AND d.member_id IN (
               SELECT ms.member_id
                 FROM branches_membership ms
                 {join}
                WHERE ms.started_on <= %(end)s AND (ms.ended_on IS NULL OR ms.ended_on > %(start)s) {where}
           )
     GROUP BY d.member_id
)
SELECT s.organization_id, s.owed, COALESCE(p.months, 0) & s.owed AS paid, COUNT(*)
  FROM spans s
  LEFT JOIN paid p ON p.member_id = s.member_id
 GROUP BY s.organization_id, s.owed, paid
"""


def _load_dues(facts, year, *, root) -> None:
    """dues_due and dues_paid of every branch in `facts`: one statement (see _DUES_SQL)."""
    if connection.vendor == "postgresql":
        month_start = "date_trunc('month', GREATEST(ms.started_on, mb.joined_on)::timestamp)::date"

        def part(name, column):
            # date_part (a double) rather than EXTRACT (a numeric since PostgreSQL 14): cheaper per row
            return f"date_part('{name.lower()}', {column})::integer"

    else:
        month_start = "date(MAX(ms.started_on, mb.joined_on), 'start of month')"

        def part(name, column):
            return f"CAST(strftime('%%{name[0].lower()}', {column}) AS INTEGER)"

    params = {
        "start": datetime.date(year, 1, 1),
        "end": datetime.date(year, 12, 31),
        "open_end": datetime.date(9999, 12, 31),
    }
    join, where = "", ""
    if root is not None:
        # Tree paths are made of [0-9A-Z] only (treebeard's alphabet): no LIKE wildcard to escape.
        join = "JOIN branches_organization o ON o.id = ms.organization_id AND o.path LIKE %(prefix)s"
        params["prefix"] = root.path + "%"
    else:
        where = "AND ms.organization_id IN ({})".format(", ".join(str(int(pk)) for pk in facts))
    sql = _DUES_SQL.format(
        month_start=month_start,
        join=join,
        where=where,
        month_of_owed=part("MONTH", "owed_from"),
        day_of_owed=part("DAY", "owed_from"),
        month_of_end=part("MONTH", "ended_on"),
        day_of_end=part("DAY", "ended_on"),
        month_of_row=part("MONTH", "d.month"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for org_id, owed, paid, n in rows:
        f = facts.get(org_id)
        if f is None:
            continue
        due_by_month, paid_by_month = f.dues_due, f.dues_paid
        for month in _MONTHS_OF[owed]:
            due_by_month[month] = due_by_month.get(month, 0) + n
        for month in _MONTHS_OF[paid]:
            paid_by_month[month] = paid_by_month.get(month, 0) + n


# ---------------------------------------------------------------- the rules, on facts


@functools.cache
def _periods(year: int, freq: str) -> tuple[Period, ...]:
    return tuple(periods(year, freq))


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
    established = months_from(facts.established_on, year)
    if not established:
        return []
    freqs = freqs or frequencies()
    held = facts.held
    lines = []
    if facts.kind == Organization.Kind.BRANCH:
        for kind in BRANCH_KINDS:
            freq = freqs[kind]
            bits = PERIOD_BITS[freq]
            if kind == K.GROUP_MEETING:
                for group in facts.groups:
                    owed = bits[established & months_from(group.established_on, year)]
                    lines.append((kind, group, freq, owed, owed & bits[held.get((kind, group.pk), 0)]))
                continue
            owed = bits[established]
            if kind == K.BRANCH_COMMITTEE:
                # 支部工作条例 第九条: fewer than 7 正式党员, no 支委会 to hold
                owed &= bits[committee_months(facts.terms, year)]
            lines.append((kind, None, freq, owed, owed & bits[held.get((kind, None), 0)]))
        lectured = any(_is_secretary_lecture(facts.terms, day, lecturer) for day, lecturer in facts.lectures)
        lines.append((SECRETARY_LECTURE, None, YEAR, 1, int(lectured)))
    elif facts.kind == Organization.Kind.COMMITTEE:
        # No 民主生活会 is owed in a year without a committee term (consistent with the 支委会 rule above).
        committee = committee_months(facts.terms, year)
        for kind in COMMITTEE_KINDS:
            bits = PERIOD_BITS[freqs[kind]]
            owed = bits[established] & bits[committee]
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
    if facts.kind == Organization.Kind.BRANCH:
        year_period = _periods(year, YEAR)[0]
        total = facts.members
        yield TALK, year_period, None, total > 0 and facts.talked >= total, facts.talked, total
        yield MEMBER_REVIEW, year_period, None, total > 0 and facts.reviewed >= total, facts.reviewed, total


def obligations(organization: Organization, year: int, today: datetime.date) -> list[Obligation]:
    """Every period item the organization owes in `year`, with the meetings behind each: five queries for a branch."""
    facts = load_year_facts([organization], year, with_meetings=True, group_models=True).get(organization.pk)
    if facts is None:
        return []
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
    return result


def rate(items: list[Obligation]) -> tuple[int, int]:
    """(periods met, periods required) over ended periods: what an indicator divides."""
    required = [o for o in items if o.required]
    return sum(1 for o in required if o.done), len(required)


def todo(organization: Organization, today: datetime.date) -> dict:
    """The secretary's to-do: this month's and this quarter's open items, this year's open yearly items, and
    what is overdue this year."""
    items = obligations(organization, today.year, today)
    current = [o for o in items if o.state == OPEN]
    return {
        "month": [o for o in current if o.period.label == period_for(MONTH, today).label],
        "quarter": [o for o in current if o.period.label == period_for(QUARTER, today).label],
        "year": [o for o in current if o.period.label == str(today.year)],
        # most recent first: last month's gap matters more than January's
        "overdue": sorted((o for o in items if o.state == OVERDUE), key=lambda o: o.period.end, reverse=True),
        "all": items,
    }


def default_date(period: Period, today: datetime.date) -> datetime.date:
    """A date to plan in: today when the period is current, its last day when past, its first day when ahead."""
    if period.contains(today):
        return today
    return period.end if period.end < today else period.start


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
    label = period.label
    if len(label) == 7 and label[4] == "-" and label[5] != "Q":
        label = f"{label[:4]}年{int(label[5:])}月"
    elif "Q" in label:
        label = f"{label[:4]}年第{label[-1]}季度"
    else:
        label = f"{label}年"
    return _TOPIC_SUGGESTIONS[kind].format(label=label)
