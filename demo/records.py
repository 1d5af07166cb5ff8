"""A year of organizational life, from 1 January of `ctx.today`'s year up to `ctx.today` (DOMAIN.md "Organizational
life"): meetings with their 议题 and attendance, then talks, member reviews (followups.py) and 党费 rows (payments.py).

Every active branch holds, per its periods (支部工作条例 第十二至十六、十九条): a 支委会 each month (only with a
committee), a 党小组会 each month per group, a 主题党日 each month, a 支部党员大会 and a 党课 each quarter (the 书记
lectures at least once in most branches), and in ~40% of branches the 组织生活会 by now. Committees (党委) hold their
民主生活会 (~50% by now). Held meetings are dated before today; in the current month or quarter about half are held.

Branches fall in three tiers, so dashboards have something to show (ctx.tiers, ctx.weak_branches):
    compliant (~70%)  every ended period has its meeting; every member talked with; dues paid
    partial   (~20%)  1-3 missed periods (a month's 主题党日, a quarter's 党课, ...) or no 书记 lecture; a dues gap
    weak      (~8%)   "red": no 支委会 for 4-6 months, half the 主题党日, many 党小组会, a missed 大会 and 党课, fewer
                      talks, a handful of members 3+ months behind with dues
Two enterprises per unit (WEAK_ENTERPRISES) have several times the share of weak branches. Some missed periods have a
meeting that was planned and never held (it must never count); ~2% of meetings are planned for later this period.

Attendance is written for every meeting at every scale: at scale 15 that is about 1.6 million rows, which is why
meetings are built and written in chunks of branches (memory stays flat) and rows carry ids, not objects.
"""

import datetime
import time
from dataclasses import dataclass, field

from branches.models import CommitteePosition, CommitteeTerm, Member, Organization
from common.periods import MONTH, QUARTER, periods
from meetings.models import AgendaItem, Attendance, Meeting

from .context import DemoContext, PlanNode, chunks
from .followups import seed_reviews, seed_talks
from .minutes import Draft, compose
from .payments import seed_dues, seed_exceptions
from .writer import insert_objects, insert_rows, reserve_ids

K = Meeting.Kind
OK = Organization.Kind
R = CommitteePosition.Role
S = Meeting.Status
DAY = datetime.timedelta(days=1)

COMPLIANT, PARTIAL, WEAK = "compliant", "partial", "weak"
# (share of weak, share of partial) among a unit's branches; the two weak enterprises are clearly worse.
WEAK_ENTERPRISES = ("市容环卫集团", "文化旅游发展集团")
TIER_SHARES = {True: (0.35, 0.40), False: (0.055, 0.18)}
HELD_IN_CURRENT_PERIOD = {COMPLIANT: 0.55, PARTIAL: 0.5, WEAK: 0.3}
ORG_LIFE_SHARE = {COMPLIANT: 0.5, PARTIAL: 0.3, WEAK: 0.05}
PLANNED_AHEAD = 0.3  # a not-yet-held meeting of the current period is already planned
PLANNED_NOT_HELD = 0.15  # a missed period has a planned meeting that never took place
CHUNK_BRANCHES = 150

HOST_ROLES = {R.SECRETARY: "书记", R.DEPUTY_SECRETARY: "副书记"}


@dataclass(frozen=True)
class Period:
    label: str  # "2026-04", "2026-Q2", "2026"
    start: datetime.date
    end: datetime.date
    number: int  # month or quarter number


@dataclass
class Unit:
    """What an organization brings to its meetings: who belonged when, its groups, its committee."""

    org: Organization
    tier: str
    term: CommitteeTerm
    positions: list[tuple[Member, str]]
    line: str = "office"
    spans: dict[int, tuple[datetime.date, datetime.date | None]] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)  # everyone who belonged this year
    groups: list[tuple[Organization, list[Member]]] = field(default_factory=list)
    theme_day: int = 15

    def members_on(self, day: datetime.date) -> list[Member]:
        # Membership periods are half-open: on the day of a transfer the member belongs to the new branch.
        on_day = []
        for member in self.members:
            start, end = self.spans[member.pk]
            if start <= day and (end is None or end > day):
                on_day.append(member)
        return on_day

    def holder(self, *roles) -> Member | None:
        return next((m for role in roles for m, r in self.positions if r == role), None)


def seed_records(ctx: DemoContext) -> None:
    """Meetings (with 议题 and attendance), talks, reviews and dues for this year; counts go to ctx.record_counts."""
    started = time.monotonic()
    counts = ctx.record_counts
    for name in ("meetings", "held", "planned", "agenda_items", "attendance"):
        counts[name] = 0
    units = _branch_units(ctx)
    org_lives: list[tuple[Unit, Meeting]] = []
    for chunk in chunks(units, CHUNK_BRANCHES):
        drafts = []
        for unit in chunk:
            mine = BranchYear(ctx, unit).drafts()
            org_lives += [
                (unit, d.meeting) for d in mine if d.meeting.kind == K.ORG_LIFE and d.meeting.status != S.PLANNED
            ]
            drafts += mine
        _write(ctx, drafts)
    _write(ctx, _democratic_lives(ctx))
    seed_talks(ctx, units)
    seed_reviews(ctx, org_lives)
    seed_dues(ctx, units)
    seed_exceptions(ctx, units)
    counts["seconds"] = round(time.monotonic() - started, 1)


# --------------------------------------------------------------------------------------------------- tiers


def _branch_units(ctx: DemoContext) -> list[Unit]:
    """One Unit per active branch, in tree order, with its tier decided here (deterministic from ctx.rng)."""
    rng, today = ctx.rng, ctx.today
    year_start = datetime.date(today.year, 1, 1)
    nodes = [n for n in ctx.nodes if n.kind == OK.BRANCH]
    bad_indexes = weak_enterprise_indexes(ctx)
    fixed = {}
    well_formed = [n for n in nodes if n.branch.flavor == "well_formed"]
    for n in well_formed:  # the root's 机关党支部 and the `secretary` branch all good; `secretary2`'s has a gap
        fixed[n.org.pk] = PARTIAL if (n.enterprise == 0 and n.branch.groups == 0) else COMPLIANT
    for bad in (True, False):
        pool = [n for n in nodes if n.org.pk not in fixed and (n.enterprise in bad_indexes) == bad]
        weak_share, partial_share = TIER_SHARES[bad]
        with_committee = [n for n in pool if ctx.terms_by_org[n.org.pk].has_committee]
        weak = rng.sample(with_committee, round(len(pool) * weak_share))
        taken = {n.org.pk for n in weak}
        rest = [n for n in pool if n.org.pk not in taken]
        partial = rng.sample(rest, round(len(pool) * partial_share))
        fixed.update({n.org.pk: WEAK for n in weak})
        fixed.update({n.org.pk: PARTIAL for n in partial})
    spans: dict[int, dict[int, tuple]] = {}
    members: dict[int, list[Member]] = {}
    for ms in ctx.membership_rows:
        if ms.started_on <= today and (ms.ended_on is None or ms.ended_on > year_start):
            spans.setdefault(ms.organization_id, {})[ms.member.pk] = (ms.started_on, ms.ended_on)
            members.setdefault(ms.organization_id, []).append(ms.member)
    units = []
    for node in nodes:
        org = node.org
        tier = fixed.get(org.pk, COMPLIANT)
        ctx.tiers[org.pk] = tier
        unit = Unit(
            org=org,
            tier=tier,
            term=ctx.terms_by_org[org.pk],
            positions=ctx.positions_by_org[org.pk],
            line=node.branch.line,
            spans=spans.get(org.pk, {}),
            members=members.get(org.pk, []),
            theme_day=rng.randint(5, 25),
        )
        unit.groups = _groups(ctx, node)
        units.append(unit)
    ctx.weak_branches = [u.org for u in units if u.tier == WEAK]
    return units


def weak_enterprise_indexes(ctx: DemoContext) -> set[int]:
    return {i for i, e in enumerate(ctx.enterprises) if any(name in e.name for name in WEAK_ENTERPRISES)}


def _groups(ctx: DemoContext, node: PlanNode) -> list[tuple[Organization, list[Member]]]:
    current = ctx.members_by_branch[node.org.pk]
    return [
        (child.org, [m for m in current if m.group is child.org]) for child in node.children if child.kind == OK.GROUP
    ]


# --------------------------------------------------------------------------------------------------- periods


def months(year: int) -> list[Period]:
    return [Period(p.label, p.start, p.end, m) for m, p in enumerate(periods(year, MONTH), start=1)]


def quarters(year: int) -> list[Period]:
    return [Period(p.label, p.start, p.end, q) for q, p in enumerate(periods(year, QUARTER), start=1)]


def weekday(day: datetime.date, low: datetime.date, high: datetime.date) -> datetime.date:
    """The working day nearest before `day` (meetings are held Monday to Friday), kept inside [low, high]."""
    moved = day
    while moved.weekday() >= 5 and moved > low:
        moved -= DAY
    if moved.weekday() >= 5:
        moved = day
        while moved.weekday() >= 5 and moved < high:
            moved += DAY
    return min(max(moved, low), high)


# --------------------------------------------------------------------------------------------------- a branch's year


class BranchYear:
    """The meetings of one branch this year: which periods it misses (by tier), then one draft per occurrence."""

    def __init__(self, ctx: DemoContext, unit: Unit):
        self.ctx, self.rng, self.unit, self.today = ctx, ctx.rng, unit, ctx.today
        self.year = ctx.today.year
        self.months, self.quarters = months(self.year), quarters(self.year)
        self.ended_months = [p for p in self.months if p.end < self.today]
        self.ended_quarters = [p for p in self.quarters if p.end < self.today]
        self.secretary = unit.holder(R.SECRETARY)
        self.committee = unit.term.has_committee
        self.skip: set[tuple] = set()
        self.secretary_lectures = self.secretary is not None
        self._plan_gaps()

    def _committee_months(self) -> list[Period]:
        """Ended months that owe a 支委会: only under a term with a committee (a term may have started this year)."""
        if not self.committee:
            return []
        return [p for p in self.ended_months if p.end >= self.unit.term.started_on]

    def _monthly_slots(self) -> list[tuple]:
        slots = [(K.THEME_DAY, p, None) for p in self.ended_months]
        slots += [(K.BRANCH_COMMITTEE, p, None) for p in self._committee_months()]
        slots += [(K.GROUP_MEETING, p, g.pk) for g, _m in self.unit.groups for p in self.ended_months]
        return slots

    def _plan_gaps(self) -> None:
        rng, tier = self.rng, self.unit.tier
        quarterly = [(k, p, None) for k in (K.BRANCH_ASSEMBLY, K.PARTY_LECTURE) for p in self.ended_quarters]
        if tier == PARTIAL:
            if rng.random() < 0.2:
                self.secretary_lectures = False
            slots = self._monthly_slots() + quarterly
            self.skip = {(k, p.label, g) for k, p, g in rng.sample(slots, min(len(slots), rng.randint(1, 3)))}
        elif tier == WEAK:
            self.secretary_lectures = False
            ended, owed = self.ended_months, self._committee_months()
            if owed:
                run = min(len(owed), rng.randint(4, 6))
                first = rng.randint(max(0, len(owed) - run - 2), len(owed) - run)
                self.skip |= {(K.BRANCH_COMMITTEE, p.label, None) for p in owed[first : first + run]}
            self.skip |= {(K.THEME_DAY, p.label, None) for p in rng.sample(ended, len(ended) // 2)}
            for group, _m in self.unit.groups:
                missed = rng.sample(ended, round(len(ended) * rng.uniform(0.3, 0.5)))
                self.skip |= {(K.GROUP_MEETING, p.label, group.pk) for p in missed}
            for kind in (K.BRANCH_ASSEMBLY, K.PARTY_LECTURE):
                missed = rng.sample(self.ended_quarters, min(len(self.ended_quarters), rng.randint(1, 2)))
                self.skip |= {(kind, p.label, None) for p in missed}

    def drafts(self) -> list[Draft]:
        out: list[Draft] = []
        unit = self.unit
        for period in self.months:
            if self.committee and period.end >= unit.term.started_on:
                out += self._occurrence(K.BRANCH_COMMITTEE, period, self._day(period, 0, 9))
            for group, _m in unit.groups:
                out += self._occurrence(K.GROUP_MEETING, period, self._day(period, 9, 24), group=group)
            fixed = period.start + datetime.timedelta(days=unit.theme_day - 1 + self.rng.randint(-2, 2))
            out += self._occurrence(K.THEME_DAY, period, fixed)
        lecture_quarter = None
        if self.secretary_lectures:
            held = [p for p in self.ended_quarters if (K.PARTY_LECTURE, p.label, None) not in self.skip]
            lecture_quarter = self.rng.choice(held).label if held else None
        for period in self.quarters:
            assembly = self._occurrence(K.BRANCH_ASSEMBLY, period, self._day(period, 0, 88))
            out += assembly
            day = assembly[0].meeting.date if assembly and self.rng.random() < 0.5 else self._day(period, 0, 88)
            lecturer = self.secretary if period.label == lecture_quarter else None
            out += self._occurrence(K.PARTY_LECTURE, period, day, lecturer=lecturer)
        out += self._org_life()
        return out

    def _day(self, period: Period, low: int, high: int) -> datetime.date:
        return period.start + datetime.timedelta(days=self.rng.randint(low, high))

    def _occurrence(self, kind, period: Period, day, *, group=None, lecturer=None) -> list[Draft]:
        """The meeting of one period: held, or (missed) maybe planned and never held, or planned ahead."""
        rng, today = self.rng, self.today
        if period.end < self.unit.org.established_on or period.start > today:
            return []
        last = min(period.end, today - DAY)
        if period.end < today:
            if (kind, period.label, group and group.pk) in self.skip:
                if rng.random() < PLANNED_NOT_HELD:
                    return self._draft(kind, weekday(min(day, last), period.start, last), S.PLANNED, group=group)
                return []
            return self._draft(kind, weekday(min(day, last), period.start, last), None, group=group, lecturer=lecturer)
        # The current period: about half is held by now; some of the rest is already planned.
        if last >= period.start and rng.random() < HELD_IN_CURRENT_PERIOD[self.unit.tier]:
            day = period.start + datetime.timedelta(days=rng.randint(0, (last - period.start).days))
            return self._draft(kind, weekday(day, period.start, last), None, group=group, lecturer=lecturer)
        if period.end > today and rng.random() < PLANNED_AHEAD:
            day = today + datetime.timedelta(days=rng.randint(1, (period.end - today).days))
            return self._draft(kind, weekday(day, today + DAY, period.end), S.PLANNED, group=group)
        return []

    def _org_life(self) -> list[Draft]:
        rng, today = self.rng, self.today
        first, last = datetime.date(self.year, 1, 1), today - DAY
        if last >= first and rng.random() < ORG_LIFE_SHARE[self.unit.tier]:
            if rng.random() < 0.3:  # held early in the year (many review the past year in January-February)
                day = datetime.date(self.year, 1, 5) + datetime.timedelta(days=rng.randint(0, 50))
            else:  # 组织生活会一般在第四季度召开
                start = datetime.date(self.year, 10, 10)
                day = start + datetime.timedelta(days=rng.randint(0, max(0, (last - start).days)))
            return self._draft(K.ORG_LIFE, weekday(min(day, last), first, last), None)
        if rng.random() < 0.15 and today.month < 12:
            day = datetime.date(self.year, 12, rng.randint(8, 26))
            return self._draft(K.ORG_LIFE, weekday(day, today + DAY, datetime.date(self.year, 12, 31)), S.PLANNED)
        return []

    def _draft(self, kind, day, status, *, group=None, lecturer=None) -> list[Draft]:
        unit = self.unit
        if kind == K.BRANCH_COMMITTEE:
            roll = sorted({m.pk: m for m, _r in unit.positions}.values(), key=lambda m: m.pk)
        elif kind == K.GROUP_MEETING:
            on_day = {m.pk for m in unit.members_on(day)}
            roll = [m for m in next(ms for g, ms in unit.groups if g is group) if m.pk in on_day]
        else:
            roll = unit.members_on(day)
        if not roll:
            return []
        if kind == K.GROUP_MEETING:
            host, host_role = roll[0], "党小组长"
        else:
            host = unit.holder(R.SECRETARY, R.DEPUTY_SECRETARY)
            host_role = HOST_ROLES.get(next((r for m, r in unit.positions if m is host), ""), "委员")
            if host is None or host not in roll:
                host, host_role = roll[0], "党员"
        return [compose(self.ctx, unit, kind, day, status, roll, group, host, host_role, lecturer)]


# --------------------------------------------------------------------------------------------------- committees


def _democratic_lives(ctx: DemoContext) -> list[Draft]:
    """民主生活会 of the committees' leadership teams: about half held by now, fewer in the weak enterprises."""
    rng, today = ctx.rng, ctx.today
    weak_enterprises = weak_enterprise_indexes(ctx)
    drafts = []
    for node in ctx.nodes:
        if node.kind != OK.COMMITTEE:
            continue
        positions = ctx.positions_by_org[node.org.pk]
        roll = sorted({m.pk: m for m, _r in positions}.values(), key=lambda m: m.pk)
        if not roll or rng.random() >= (0.2 if node.enterprise in weak_enterprises else 0.55):
            continue
        start, last = datetime.date(today.year, 1, 10), today - DAY
        if last < start:
            continue
        day = weekday(start + datetime.timedelta(days=rng.randint(0, (last - start).days)), start, last)
        unit = Unit(node.org, COMPLIANT, ctx.terms_by_org[node.org.pk], positions)
        host = unit.holder(R.SECRETARY, R.DEPUTY_SECRETARY) or roll[0]
        role = HOST_ROLES.get(next((r for m, r in positions if m is host), ""), "委员")
        drafts.append(compose(ctx, unit, K.DEMOCRATIC_LIFE, day, None, roll, None, host, role, None))
    return drafts


# --------------------------------------------------------------------------------------------------- writing


def _write(ctx: DemoContext, drafts: list[Draft]) -> None:
    counts = ctx.record_counts
    for draft, pk in zip(drafts, reserve_ids(Meeting, len(drafts)), strict=True):
        draft.meeting.pk = pk
    insert_objects(Meeting, [d.meeting for d in drafts])
    items, rows = [], []
    for d in drafts:
        pk = d.meeting.pk
        items.append((pk, 1, d.meeting.first_topic, True))
        items += [(pk, i, title, False) for i, title in enumerate(d.agenda, start=2)]
        for member in d.roll:
            reason, note = d.absent.get(member.pk, ("", ""))
            rows.append((pk, member.pk, not reason, reason, note))
    insert_rows(AgendaItem, ["meeting_id", "order", "title", "is_first_topic"], items)
    insert_rows(Attendance, ["meeting_id", "member_id", "present", "absence_reason", "note"], rows)
    planned = sum(1 for d in drafts if d.meeting.status == S.PLANNED)
    counts["meetings"] += len(drafts)
    counts["planned"] += planned
    counts["held"] += len(drafts) - planned
    counts["agenda_items"] += len(items)
    counts["attendance"] += len(rows)
