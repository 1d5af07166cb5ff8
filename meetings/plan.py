"""What an organization owes, period by period: the single implementation of the organizational-life rules.

The secretary's to-do list, the year plan and (later) the indicators all read `obligations()`. DOMAIN.md
"How an indicator is computed":
- periods count separately: two meetings in March do not cover April;
- a period is required once it has ended; the current period is pending (shown, not a failure);
- a period that ended before the organization (or group) was established is not required;
- a planned meeting that was not held never counts; a meeting counts for the period its date falls in.

Frequencies are local practice where DOMAIN.md says so (党课 once a quarter): settings.MEETING_FREQUENCIES overrides them.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings

from branches.models import CommitteePosition, CommitteeTerm, Organization
from branches.selectors import members_during

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
    return {**DEFAULT_FREQUENCIES, **getattr(settings, "MEETING_FREQUENCIES", {})}[kind]


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


def _term_in_force(terms, day: datetime.date):
    for term in terms:  # newest first
        if term.started_on <= day and (term.ended_on is None or term.ended_on > day):
            return term
    return None


def _had_committee(terms, period: Period) -> bool:
    return any(
        t.has_committee and t.started_on <= period.end and (t.ended_on is None or t.ended_on > period.start)
        for t in terms
    )


def obligations(organization: Organization, year: int, today: datetime.date) -> list[Obligation]:
    """Every period item the organization owes in `year`, in a fixed number of queries (about 7 for a branch)."""
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if organization.established_on > year_end:
        return []
    meetings = list(
        Meeting.objects.held()
        .filter(organization=organization, date__gte=year_start, date__lte=year_end)
        .select_related("lecturer")
        .order_by("date", "id")
    )
    result: list[Obligation] = []
    if organization.kind == Organization.Kind.BRANCH:
        groups = list(
            Organization.objects.filter(
                path__startswith=organization.path,
                depth=organization.depth + 1,
                kind=Organization.Kind.GROUP,
                status=Organization.Status.ACTIVE,
            )
        )
        terms = list(
            CommitteeTerm.objects.filter(organization=organization)
            .prefetch_related("positions")
            .order_by("-started_on")
        )
        for kind in BRANCH_KINDS:
            freq = frequency(kind)
            for period in periods(year, freq):
                if period.end < organization.established_on:
                    continue  # not required before the branch existed
                if kind == K.BRANCH_COMMITTEE and not _had_committee(terms, period):
                    continue  # 支部工作条例 第九条: fewer than 7 正式党员, no 支委会 to hold
                in_period = [m for m in meetings if m.kind == kind and period.contains(m.date)]
                if kind == K.GROUP_MEETING:
                    for group in groups:
                        if period.end < group.established_on:
                            continue
                        mine = [m for m in in_period if m.group_id == group.pk]
                        result.append(_make(kind, period, today, done=bool(mine), group=group, meetings=mine))
                else:
                    result.append(_make(kind, period, today, done=bool(in_period), meetings=in_period))
        result.append(_secretary_lecture(meetings, terms, year, today))
        result.extend(_coverage(organization, year, today))
    elif organization.kind == Organization.Kind.COMMITTEE:
        for kind in COMMITTEE_KINDS:
            for period in periods(year, frequency(kind)):
                if period.end < organization.established_on:
                    continue
                in_period = [m for m in meetings if m.kind == kind and period.contains(m.date)]
                result.append(_make(kind, period, today, done=bool(in_period), meetings=in_period))
    return result


def _secretary_lecture(meetings, terms, year, today) -> Obligation:
    # 支部工作条例 第十四条: 党支部书记每年至少讲1次党课.
    given = []
    for m in meetings:
        if m.kind != K.PARTY_LECTURE or m.lecturer_id is None:
            continue
        term = _term_in_force(terms, m.date)
        if term and any(
            p.member_id == m.lecturer_id and p.role == CommitteePosition.Role.SECRETARY for p in term.positions.all()
        ):
            given.append(m)
    return _make(SECRETARY_LECTURE, periods(year, YEAR)[0], today, done=bool(given), meetings=given)


def _coverage(branch, year, today) -> list[Obligation]:
    """谈心谈话 covers every member who belonged during the year; 民主评议 grades each of them (支部工作条例 第十四、十六条)."""
    period = periods(year, YEAR)[0]
    member_ids = set(members_during(branch, period.start, period.end).values_list("pk", flat=True))
    talks = Talk.objects.filter(organization=branch, held_on__gte=period.start, held_on__lte=period.end)
    talked = set(talks.values_list("initiator_id", flat=True)) | set(
        Talk.participants.through.objects.filter(talk__in=talks).values_list("member_id", flat=True)
    )
    reviewed = set(MemberReview.objects.filter(year=year, member_id__in=member_ids).values_list("member_id", flat=True))
    total = len(member_ids)
    result = []
    for kind, covered in ((TALK, len(member_ids & talked)), (MEMBER_REVIEW, len(member_ids & reviewed))):
        result.append(_make(kind, period, today, done=total > 0 and covered >= total, covered=covered, total=total))
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
