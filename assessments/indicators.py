"""The 8 hard indicators (8项硬指标), computed from the logged records, never typed in.

DOMAIN.md "How an indicator is computed" is exact, and meetings/plan.py is its single implementation: `owed()` runs
the period rules on pre-fetched facts, and `load_year_facts()` fetches those facts for one organization or for a whole
subtree in the same fixed number of queries. So `indicator_results` (one organization) and `indicator_summary`
(dashboards, the API) give the same figures by construction.

What each indicator counts (required and done are over ENDED periods only; the current period is pending):
- three_meetings_one_lesson: the period items of 党员大会 and 党课 (quarters), 支委会 (months, while the branch had a
  committee), 党小组会 (months, per group) and the 书记's yearly lecture;
- theme_day: months; org_life / democratic_life: the year;
- talks / member_review: members who belonged to the branch during the year (coverage), once the year has ended;
- dues: member-months of the elapsed months (branches/dues.py: owed from the month the member joined the party);
- term_on_time: 1 for every organization with a term; done when the term in force has not expired, counting its
  approved extension (关于党的基层组织任期的意见).
The indicator set (names, applies-to, thresholds) is data: assessments.models.Indicator, per year.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple
from urllib.parse import quote, urlencode

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from branches.models import Organization
from meetings import plan
from meetings.models import Meeting

from .models import DEFAULT_INDICATORS, Indicator

MET, PARTLY_MET, NOT_MET, PENDING = "met", "partly_met", "not_met", "pending"
STATUS_LABELS = {MET: "达标", PARTLY_MET: "基本达标", NOT_MET: "未达标", PENDING: "待考核"}

C = Indicator.Code
K = Meeting.Kind
OrgKind = Organization.Kind

# Which period items of meetings/plan.py make up each meeting-type indicator.
MEETING_ITEMS = {
    C.THREE_MEETINGS_ONE_LESSON: (
        K.BRANCH_ASSEMBLY,
        K.BRANCH_COMMITTEE,
        K.GROUP_MEETING,
        K.PARTY_LECTURE,
        plan.SECRETARY_LECTURE,
    ),
    C.THEME_DAY: (K.THEME_DAY,),
    C.ORG_LIFE: (K.ORG_LIFE,),
    C.DEMOCRATIC_LIFE: (K.DEMOCRATIC_LIFE,),
}
COVERAGE_ITEMS = {C.TALKS: plan.TALK, C.MEMBER_REVIEW: plan.MEMBER_REVIEW}

_GAP_TEXT = {
    K.BRANCH_ASSEMBLY: "无支部党员大会",
    K.BRANCH_COMMITTEE: "无支委会",
    K.GROUP_MEETING: "{group}无党小组会",
    K.PARTY_LECTURE: "无党课",
    K.THEME_DAY: "无主题党日",
    K.ORG_LIFE: "未召开组织生活会",
    K.DEMOCRATIC_LIFE: "未召开民主生活会",
    plan.SECRETARY_LECTURE: "书记未讲党课",
    plan.TALK: "{n}名党员未谈心谈话",
    plan.MEMBER_REVIEW: "{n}名党员未评议",
}


class Gap(NamedTuple):
    """One missing thing, for the UI: "2026-04 无支委会"."""

    label: str  # period label "2026-04" / "2026-Q2" / "2026"
    text: str  # "无支委会", "第一党小组无党小组会", "3名党员未谈心谈话", "2名党员未交党费"
    link: str  # the page where the user sees/fixes it


class PeriodOutcome(NamedTuple):
    """One period of one indicator (ended or pending), for trends and links."""

    label: str
    start: datetime.date
    end: datetime.date
    required: int  # obligation items (or member-months / members for coverage) in this period
    done: int
    pending: bool  # the period has not ended as of `as_of`: shown, never counted


class IndicatorResult(NamedTuple):
    # A NamedTuple, not a dataclass: a province makes tens of thousands of these per page, and a tuple is built
    # several times faster; it is as immutable and compares by value the same way.
    organization_id: int
    code: str
    name: str  # from the Indicator row of that year
    required: int  # over ENDED periods only
    done: int
    rate: float | None  # done / required in 0..1; None when nothing is required yet
    status: str  # MET / PARTLY_MET / NOT_MET / PENDING (pending when required == 0)
    missing: tuple[str, ...]  # sorted unique period labels that have a gap (ended periods only)
    gaps: tuple[Gap, ...]
    periods: tuple[PeriodOutcome, ...]
    records_url: str  # the records behind the figure

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def percent(self) -> int | None:
        """The rate in whole percent, rounded down (so 99.6% never shows as 100%)."""
        return None if self.rate is None else int(self.rate * 100 + 1e-9)


def default_as_of() -> datetime.date:
    """Today in Asia/Shanghai (settings.TIME_ZONE)."""
    return timezone.localdate()


# ---------------------------------------------------------------- the indicator set (data)


def indicators_for(year: int) -> list[Indicator]:
    """That year's active indicators in their order, or the default set's when the year has no rows of its own.
    One query."""
    rows = list(Indicator.objects.filter(Q(year=year) | Q(year__isnull=True)).order_by("order", "id"))
    own = [row for row in rows if row.year == year]
    return [row for row in (own or [row for row in rows if row.year is None]) if row.active]


def applies(indicator: Indicator, kind: str) -> bool:
    if indicator.applies_to == Indicator.AppliesTo.BRANCH:
        return kind == OrgKind.BRANCH
    if indicator.applies_to == Indicator.AppliesTo.COMMITTEE:
        return kind == OrgKind.COMMITTEE
    return OrgKind(kind).has_term


@transaction.atomic
def indicator_copy_defaults(*, year: int, source: Iterable[Indicator] | None = None) -> list[Indicator]:
    """Give `year` its own editable indicator set: copy the given rows (default: the default set) to it, skipping
    codes the year already has. Returns the rows created."""
    from django.core.exceptions import ValidationError

    if not 2000 <= year <= 2100:
        raise ValidationError("年度应在2000至2100之间。")
    rows = list(source) if source is not None else list(Indicator.objects.defaults().order_by("order", "id"))
    if not rows:  # the default set was deleted: restore it from DOMAIN.md
        rows = [Indicator(order=(i + 1) * 10, **row) for i, row in enumerate(DEFAULT_INDICATORS)]
    taken = set(Indicator.objects.filter(year=year).values_list("code", flat=True))
    created = []
    for row in rows:
        if row.code in taken:
            continue
        taken.add(row.code)
        created.append(
            Indicator.objects.create(
                year=year,
                code=row.code,
                name=row.name,
                rule=row.rule,
                applies_to=row.applies_to,
                met_threshold=row.met_threshold,
                partly_threshold=row.partly_threshold,
                order=row.order,
                active=row.active,
            )
        )
    return created


# ---------------------------------------------------------------- links


class _Links:
    """URLs of the pages behind the figures, reversed once per call (a province has tens of thousands of links):
    each method takes the organization code already quoted (quote(code, safe="")), made once per organization."""

    def __init__(self, year: int):
        def split(url: str) -> tuple[str, str]:
            before, _marker, after = url.partition("__CODE__")
            return before, after

        self.year = year
        self.meeting_list = reverse("meetings:meeting_list")
        self.year_plan = reverse("meetings:year_plan")
        self._talks = split(reverse("meetings:talk_list", args=["__CODE__"]))
        self._reviews = split(reverse("meetings:review_year", args=["__CODE__", year]))
        self._dues_year = split(reverse("branches:dues_year", args=["__CODE__"]))
        self._dues_month = split(reverse("branches:dues_month", args=["__CODE__", "0000-00"]))
        self._org = split(reverse("branches:org_detail", args=["__CODE__"]))
        self._term = reverse("branches:term_detail", args=[999999999])

    def meetings(self, quoted: str, *, kind: str = "", start=None, end=None) -> str:
        # f-strings, not urlencode: a province has tens of thousands of gaps. Codes and kinds are URL-safe once quoted.
        kind_param = f"&kind={kind}" if kind else ""
        start = start or datetime.date(self.year, 1, 1)
        end = end or datetime.date(self.year, 12, 31)
        return f"{self.meeting_list}?org={quoted}{kind_param}&date_from={start}&date_to={end}"

    def plan(self, code: str) -> str:
        return f"{self.year_plan}?{urlencode({'org': code, 'year': self.year})}"

    def talks(self, quoted: str) -> str:
        return f"{self._talks[0]}{quoted}{self._talks[1]}?year={self.year}"

    def reviews(self, quoted: str) -> str:
        return f"{self._reviews[0]}{quoted}{self._reviews[1]}"

    def dues_year(self, quoted: str) -> str:
        return f"{self._dues_year[0]}{quoted}{self._dues_year[1]}?year={self.year}"

    def dues_month(self, quoted: str, label: str) -> str:
        return f"{self._dues_month[0]}{quoted}{self._dues_month[1]}".replace("0000-00", label)

    def organization(self, quoted: str) -> str:
        return f"{self._org[0]}{quoted}{self._org[1]}"

    def term(self, pk: int) -> str:
        return self._term.replace("999999999", str(pk))


# ---------------------------------------------------------------- computing


class OrgRow(NamedTuple):
    """An organization as the computation needs it (the bulk path reads value lists, not model instances)."""

    pk: int
    code: str
    name: str
    kind: str
    established_on: datetime.date
    path: str
    depth: int
    enterprise_id: int | None


_ORG_FIELDS = ("pk", "code", "name", "kind", "established_on", "path", "depth", "enterprise_id")

# Meeting kind (or the 书记's lecture) -> the indicator its period lines count for.
_KIND_CODE = {kind: code for code, kinds in MEETING_ITEMS.items() for kind in kinds}


def _org_row(organization: Organization) -> OrgRow:
    return OrgRow(*(getattr(organization, name) for name in _ORG_FIELDS))


def _fraction(value) -> tuple[int, int]:
    f = Fraction(Decimal(value))
    return f.numerator, f.denominator


def _sort_key(period: plan.Period):
    # Months, then the quarter ending with them, then the year.
    return period.end, -period.start.toordinal()


class _Run:
    """One computation (a year, an as_of day, that year's indicator set): what every organization shares is made
    once here, so the work per organization is a few integer operations and the construction of its results.

    Organizations with the same period lines for an indicator (most of a province: "every month held") share one
    computed shape (figures, periods, which items are missing); only their links and gap texts are their own."""

    def __init__(self, indicators: list[Indicator], year: int, as_of: datetime.date, kinds):
        self.year, self.as_of = year, as_of
        self.links = _Links(year)
        self.freqs = plan.frequencies()
        self.applicable = {kind: [i for i in indicators if applies(i, kind)] for kind in set(kinds)}
        self.thresholds = {i.code: (*_fraction(i.met_threshold), *_fraction(i.partly_threshold)) for i in indicators}
        self.calendar = {freq: plan._periods(year, freq) for freq in (plan.MONTH, plan.QUARTER, plan.YEAR)}
        # bit i set: the i-th period of that frequency has ended (period.end < as_of), so it is required
        self.ended = {
            freq: sum(1 << i for i, p in enumerate(periods) if p.end < as_of) for freq, periods in self.calendar.items()
        }
        self.year_period = self.calendar[plan.YEAR][0]
        self.year_first = self.year_period.start
        self.whole_year = f"&date_from={self.year_period.start}&date_to={self.year_period.end}"
        self.term_day = min(as_of, self.year_period.end)  # 按期换届 is judged on as_of, or a past year's last day
        # Monthly figures (dues) reuse one outcome per (month, required, done); months is [(bit, period), ...].
        self.months = [(1 << i, period) for i, period in enumerate(self.calendar[plan.MONTH])]
        # 按期换届 is judged on one day: its outcome is never pending, met or not.
        year = self.year_period
        self.term_outcomes = {
            done: (PeriodOutcome(year.label, year.start, year.end, 1, int(done), False),) for done in (False, True)
        }
        self.singles: dict = {}
        self.shapes: dict = {}
        self.outcomes: dict = {}
        self.gap_urls: dict = {}

    def needs_dues(self) -> bool:
        return any(i.code == C.DUES for applicable in self.applicable.values() for i in applicable)

    # -- shared pieces

    def outcome(self, period: plan.Period, required: int, done: int) -> PeriodOutcome:
        key = (period.label, required, done)
        outcome = self.outcomes.get(key)
        if outcome is None:
            pending = period.end >= self.as_of
            outcome = self.outcomes[key] = PeriodOutcome(
                period.label, period.start, period.end, required, done, pending
            )
        return outcome

    def single(self, period: plan.Period, required: int, done: int) -> tuple[PeriodOutcome]:
        """A one-period `periods` tuple, shared like the outcomes (monthly_trend sums each distinct tuple once)."""
        key = (period.label, required, done)
        single = self.singles.get(key)
        if single is None:
            single = self.singles[key] = (self.outcome(period, required, done),)
        return single

    def status(self, code: str, done: int, required: int) -> str:
        if required == 0:
            return PENDING
        met_n, met_d, partly_n, partly_d = self.thresholds[code]
        # exact: done/required >= threshold without floats (4/5 is 80%, not 0.7999…)
        if done * met_d >= met_n * required:
            return MET
        if done * partly_d >= partly_n * required:
            return PARTLY_MET
        return NOT_MET

    def meeting_shape(self, code: str, lines: tuple):
        """(required, done, rate, status, missing, periods, gap items) of a meeting indicator from its period lines
        (kind, group index, freq, owed bits, done bits): computed once per distinct lines in a run."""
        counts: dict = {}  # period label -> [period, items owed, items done]
        gaps = []
        rank: dict = {}
        for kind, group, freq, owed, done in lines:
            periods, ended = self.calendar[freq], self.ended[freq]
            order = rank.setdefault(kind, len(rank))
            bits = owed
            while bits:
                low = bits & -bits
                bits ^= low
                i = low.bit_length() - 1
                period = periods[i]
                c = counts.get(period.label)
                if c is None:
                    c = counts[period.label] = [period, 0, 0]
                c[1] += 1
                if done & low:
                    c[2] += 1
                elif ended & low:
                    gaps.append((order, i, -1 if group is None else group, period, kind))
        required = done_n = 0
        outcomes = []
        for period, req, got in sorted(counts.values(), key=lambda c: _sort_key(c[0])):
            outcome = self.outcome(period, req, got)
            outcomes.append(outcome)
            if not outcome.pending:
                required += req
                done_n += got
        gaps.sort(key=lambda g: g[:3])
        return (
            required,
            done_n,
            done_n / required if required else None,
            self.status(code, done_n, required),
            tuple(sorted({g[3].label for g in gaps})),
            tuple(outcomes),
            tuple((period, kind, group) for _o, _i, group, period, kind in gaps),
        )

    def gap_url(self, base: str, kind: str, period: plan.Period) -> str:
        key = (kind, period.label)
        suffix = self.gap_urls.get(key)
        if suffix is None:
            link_kind = K.PARTY_LECTURE if kind == plan.SECRETARY_LECTURE else kind
            suffix = self.gap_urls[key] = f"&kind={link_kind}&date_from={period.start}&date_to={period.end}"
        return base + suffix

    def result(self, org, indicator, outcomes: tuple, gaps: tuple, url: str) -> IndicatorResult:
        required = done = 0
        for o in outcomes:
            if not o.pending:
                required += o.required
                done += o.done
        code = indicator.code
        missing = tuple(sorted({gap.label for gap in gaps})) if gaps else ()
        rate = done / required if required else None
        status = self.status(code, done, required)
        return IndicatorResult(org.pk, code, indicator.name, required, done, rate, status, missing, gaps, outcomes, url)

    # -- one organization

    def results(self, org: OrgRow, facts) -> list[IndicatorResult]:
        applicable = self.applicable.get(org.kind)
        if not applicable:
            return []
        links, shapes = self.links, self.shapes
        quoted = quote(org.code, safe="")
        base = f"{links.meeting_list}?org={quoted}"
        lines_by_code: dict = {}
        groups = []
        if facts is not None:
            for kind, group, freq, owed, done in plan.owed_lines(facts, self.year, self.freqs):
                if group is not None:
                    groups.append(group)
                    group = len(groups) - 1
                code = _KIND_CODE[kind]
                lines = lines_by_code.get(code)
                if lines is None:
                    lines_by_code[code] = [(kind, group, freq, owed, done)]
                else:
                    lines.append((kind, group, freq, owed, done))
        results = []
        append = results.append
        for indicator in applicable:
            code = indicator.code
            if code in MEETING_ITEMS:
                kinds = MEETING_ITEMS[code]
                url = (f"{base}&kind={kinds[0]}" if len(kinds) == 1 else base) + self.whole_year
                lines = lines_by_code.get(code)
                if not lines:
                    append(IndicatorResult(org.pk, code, indicator.name, 0, 0, None, PENDING, (), (), (), url))
                    continue
                key = (code, tuple(lines))
                shape = shapes.get(key)
                if shape is None:
                    shape = shapes[key] = self.meeting_shape(code, key[1])
                required, done, rate, status, missing, periods, items = shape
                gaps = ()
                if items:
                    gaps = tuple(
                        Gap(
                            period.label,
                            _GAP_TEXT[kind].format(group=groups[group].name) if group >= 0 else _GAP_TEXT[kind],
                            self.gap_url(base, kind, period),
                        )
                        for period, kind, group in items
                    )
                append(
                    IndicatorResult(
                        org.pk, code, indicator.name, required, done, rate, status, missing, gaps, periods, url
                    )
                )
            elif code in COVERAGE_ITEMS:
                append(self.coverage(org, indicator, facts, COVERAGE_ITEMS[code], quoted))
            elif code == C.DUES:
                append(self.dues(org, indicator, facts, quoted))
            elif code == C.TERM_ON_TIME:
                append(self.term(org, indicator, facts, quoted))
        return results

    def coverage(self, org, indicator, facts, item_kind, quoted) -> IndicatorResult:
        # 支部工作条例 第十四、十六条: every member who belonged to the branch during the year, once the year has ended.
        url = self.links.talks(quoted) if item_kind == plan.TALK else self.links.reviews(quoted)
        if facts is None or facts.kind != OrgKind.BRANCH:
            return self.result(org, indicator, (), (), url)
        total = facts.members
        covered = facts.talked if item_kind == plan.TALK else facts.reviewed
        outcomes = self.single(self.year_period, total, covered)
        gaps = ()
        if not outcomes[0].pending and covered < total:
            gaps = (Gap(self.year_period.label, _GAP_TEXT[item_kind].format(n=total - covered), url),)
        return self.result(org, indicator, outcomes, gaps, url)

    def dues(self, org, indicator, facts, quoted) -> IndicatorResult:
        # 党费按月交纳: each elapsed month of the branch's existence, over the members who belonged and owed it.
        outcomes, gaps = [], []
        if facts is not None:
            due_by_month, paid_by_month = facts.dues_due, facts.dues_paid
            owed = plan.months_from(org.established_on, self.year)
            outcome = self.outcome
            for bit, period in self.months:
                if not owed & bit:
                    continue
                month = bit.bit_length()
                due, paid = due_by_month.get(month, 0), paid_by_month.get(month, 0)
                o = outcome(period, due, paid)
                outcomes.append(o)
                if paid < due and not o.pending:
                    gaps.append(
                        Gap(period.label, f"{due - paid}名党员未交党费", self.links.dues_month(quoted, period.label))
                    )
        return self.result(org, indicator, tuple(outcomes), tuple(gaps), self.links.dues_year(quoted))

    def term(self, org, indicator, facts, quoted) -> IndicatorResult:
        # 关于党的基层组织任期的意见: the term in force has not expired, or its extension was approved (expires_on counts
        # the approved extension). Judged on as_of, or on the last day of a past year.
        day = self.term_day
        if facts is None or org.established_on > day or day < self.year_first:
            return self.result(org, indicator, (), (), self.links.organization(quoted))
        term = None
        for t in facts.terms:  # newest first
            if t.started_on <= day and (t.ended_on is None or t.ended_on > day):
                term = t
                break
        done = term is not None and term.expires_on >= day
        link = self.links.term(term.pk) if term is not None else self.links.organization(quoted)
        gaps = ()
        if not done:
            text = "未录入委员会届次" if term is None else f"届满({term.expires_on:%Y-%m-%d})未换届"
            gaps = (Gap(self.year_period.label, text, link),)
        return self.result(org, indicator, self.term_outcomes[done], gaps, link)


def indicator_results(organization, year: int, as_of: datetime.date | None = None) -> list[IndicatorResult]:
    """The applicable indicators of that year for one organization, in the Indicator set's order.
    About 8 queries for a branch, whatever its records."""
    as_of = as_of or default_as_of()
    org = _org_row(organization)
    run = _Run(indicators_for(year), year, as_of, [org.kind])
    if org.kind == OrgKind.GROUP or not run.applicable[org.kind]:
        return []
    facts = plan.load_year_facts([org], year, with_dues=run.needs_dues()).get(org.pk)
    return run.results(org, facts)


def summary_organizations(root) -> list[OrgRow]:
    """Every active organization of root's subtree (root included) that indicators apply to (党小组 have none),
    in tree order: one query."""
    return [
        OrgRow(*row)
        for row in Organization.objects.under(root)
        .active()
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
        .values_list(*_ORG_FIELDS)
    ]


BY_ID_LIMIT = 200


def indicator_summary(
    root, year: int, as_of: datetime.date | None = None, *, organizations: list[OrgRow] | None = None
) -> dict[int, list[IndicatorResult]]:
    """Every active organization of root's subtree (root included; 党小组 excluded, nothing applies to them) -> its
    results, in tree order. A fixed number of SQL queries (about 10) whatever the subtree's size: this is what the
    dashboards and the API use. `organizations` (from summary_organizations) saves the first query when the caller
    already has them."""
    as_of = as_of or default_as_of()
    orgs = organizations if organizations is not None else summary_organizations(root)
    run = _Run(indicators_for(year), year, as_of, {org.kind for org in orgs})
    # A page of the subtree (the API) reads the records of its own organizations by id; the whole subtree reads them by
    # path prefix, which needs no list of thousands of ids. The number of queries is the same either way.
    scope = None if organizations is not None and len(orgs) <= BY_ID_LIMIT else root
    with bulk_objects():
        facts = plan.load_year_facts(orgs, year, root=scope, with_dues=run.needs_dues())
        results = run.results
        get = facts.get
        return {org.pk: results(org, get(org.pk)) for org in orgs}


def monthly_trend(results: Iterable[IndicatorResult]) -> list[tuple[str, int, int]]:
    """[("2026-01", done, required), ...] summed over the monthly periods of the given results, in month order.
    Pending months are left out (shown elsewhere, never counted)."""
    # Organizations with the same figures share one `periods` tuple (see _Run): sum each distinct tuple once, times
    # the number of results that carry it, instead of walking every period of every result of a province.
    shared: dict[int, list] = {}
    for result in results:
        entry = shared.get(id(result.periods))
        if entry is None:
            shared[id(result.periods)] = [result.periods, 1]
        else:
            entry[1] += 1
    # ... and each distinct outcome (they are shared too) once, times the results that carry it.
    weights: dict[int, list] = {}
    for periods, n in shared.values():
        for outcome in periods:
            entry = weights.get(id(outcome))
            if entry is None:
                weights[id(outcome)] = [outcome, n]
            else:
                entry[1] += n
    totals: dict[str, list[int]] = {}
    for outcome, n in weights.values():
        label = outcome.label
        if outcome.pending or len(label) != 7 or label[5] == "Q":
            continue
        counts = totals.get(label)
        if counts is None:
            counts = totals[label] = [0, 0]
        counts[0] += outcome.done * n
        counts[1] += outcome.required * n
    return [(label, done, required) for label, (done, required) in sorted(totals.items())]


@contextlib.contextmanager
def bulk_objects():
    """Pause Python's cyclic garbage collector while a province's results are built: hundreds of thousands of small
    acyclic objects (tuples, lists) would trigger many full collections, each walking every live object (about a third
    of the CPU time at --scale 15). Reference counting still frees them; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
