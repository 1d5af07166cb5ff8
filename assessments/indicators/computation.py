"""The computation of the 8 hard indicators (8项硬指标) from pre-fetched facts: no query here (selectors.py loads).

DOMAIN.md "How an indicator is computed" is exact, and meetings/plan.py is its single implementation: `owed()` runs
the period rules on pre-fetched facts, and `load_year_facts()` fetches those facts for one organization or for a whole
subtree in the same fixed number of queries. So `indicator_results` (one organization) and `indicator_summary`
(dashboards, the API) give the same figures by construction.

What each indicator counts (required and done are over ended periods, and the running period once it is done;
a running period not yet done is pending: counts_now):
- three_meetings_one_lesson: the period items of 党员大会 and 党课 (quarters), 支委会 (months, while the branch had a
  committee), 党小组会 (months, per group) and the 书记's yearly lecture;
- theme_day: months; org_life / democratic_life: the year;
- talks / member_review: members in good standing who belong to the branch on the year's last day, or on as_of
  while it runs (plan.coverage_members);
- dues: member-months of the elapsed months (branches/dues/rules.py: owed from the month the member joined the
  party, to the branch they belong to on the month's last day; settled only when paid in full);
- term_on_time: 1 for every organization with a term; done when no day of the year (up to as_of) was overdue
  (branches.term_rules: an extension covers the days after its approval only; 关于党的基层组织任期的意见).
The indicator set (names, applies-to, thresholds) is data: assessments.models.Indicator, per year.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple
from urllib.parse import quote, urlencode

from django.urls import reverse

from branches import term_rules
from branches.models import Organization
from meetings import plan
from meetings.models import Meeting

from .models import Indicator
from .rules import (
    COVERAGE_ITEMS,
    GAP_TEXT,
    MEETING_ITEMS,
    PENDING,
    Gap,
    IndicatorResult,
    PeriodOutcome,
    Thresholds,
    applies,
)

C = Indicator.Code
K = Meeting.Kind
OrgKind = Organization.Kind

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


ORG_FIELDS = ("pk", "code", "name", "kind", "established_on", "path", "depth", "enterprise_id")

# Meeting kind (or the 书记's lecture) -> the indicator its period lines count for.
_KIND_CODE = {kind: code for code, kinds in MEETING_ITEMS.items() for kind in kinds}


def counts_now(outcome: PeriodOutcome) -> bool:
    """A period counts in the figures once it has ended, or while it runs once it is already done (a yearly item held
    in March is 达标 in April, not "待考核 0/0"); a running period not yet done is pending: shown, never a failure."""
    return not outcome.pending or (outcome.required > 0 and outcome.done >= outcome.required)


def org_row(organization: Organization) -> OrgRow:
    return OrgRow(*(getattr(organization, name) for name in ORG_FIELDS))


def _sort_key(period: plan.Period):
    # Months, then the quarter ending with them, then the year.
    return period.end, -period.start.toordinal()


class Run:
    """One computation (a year, an as_of day, that year's indicator set): what every organization shares is made
    once here, so the work per organization is a few integer operations and the construction of its results.

    Organizations with the same period lines for an indicator (most of a province: "every month held") share one
    computed shape (figures, periods, which items are missing); only their links and gap texts are their own."""

    def __init__(self, indicators: list[Indicator], year: int, as_of: datetime.date, kinds):
        self.year, self.as_of = year, as_of
        self.links = _Links(year)
        self.freqs = plan.frequencies()
        self.applicable = {kind: [i for i in indicators if applies(i, kind)] for kind in set(kinds)}
        self.thresholds = {i.code: Thresholds.for_indicator(i) for i in indicators}
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
        return self.thresholds[code].status(done, required)  # the one rule, exact (rules.Thresholds)

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
            if counts_now(outcome):
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
            if counts_now(o):
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
                            GAP_TEXT[kind].format(group=groups[group].name) if group >= 0 else GAP_TEXT[kind],
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
        if (
            facts is None
            or facts.kind != OrgKind.BRANCH
            or not plan.owed_periods(org.established_on, self.year, plan.YEAR)
        ):
            return self.result(org, indicator, (), (), url)
        total = facts.members
        covered = facts.talked if item_kind == plan.TALK else facts.reviewed
        outcomes = self.single(self.year_period, total, covered)
        gaps = ()
        if not outcomes[0].pending and covered < total:
            gaps = (Gap(self.year_period.label, GAP_TEXT[item_kind].format(n=total - covered), url),)
        return self.result(org, indicator, outcomes, gaps, url)

    def dues(self, org, indicator, facts, quoted) -> IndicatorResult:
        # 党费按月交纳: each elapsed month of the branch's existence, over the members who belonged and owed it.
        outcomes, gaps = [], []
        if facts is not None:
            due_by_month, paid_by_month = facts.dues_due, facts.dues_paid
            owed = plan.owed_periods(org.established_on, self.year, plan.MONTH)
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
        # 关于党的基层组织任期的意见: met only if no day of the year (up to as_of) was overdue; which days were is
        # branches.term_rules' one rule (an extension approved after the expiry covers only the days after it).
        day = self.term_day
        if facts is None or org.established_on > day or day < self.year_first:
            return self.result(org, indicator, (), (), self.links.organization(quoted))
        term = next((t for t in facts.terms if t.in_force(day)), None)  # newest first
        first_day = max(self.year_first, org.established_on)
        spans = [(t, span) for t in facts.terms for span in term_rules.overdue_in((t,), first_day, day)]
        done = term is not None and not spans
        link = self.links.term(term.pk) if term is not None else self.links.organization(quoted)
        gaps = ()
        if term is None:
            gaps = (Gap(self.year_period.label, "未录入委员会届次", link),)
        elif spans:
            overdue_term, (first, last) = min(spans, key=lambda s: s[1])
            expired = first - term_rules.DAY
            if overdue_term.ended_on is None or overdue_term.ended_on > day:
                text = f"届满({expired:%Y-%m-%d})未换届"
            else:
                text = f"届满({expired:%Y-%m-%d})后超期{(last - expired).days}天未换届"
            gaps = (Gap(self.year_period.label, text, self.links.term(overdue_term.pk)),)
        return self.result(org, indicator, self.term_outcomes[done], gaps, link)
