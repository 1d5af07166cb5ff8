"""The last step of the drill-down (enterprise → branch → the gap): one missing thing of one indicator in one period,
named in Chinese ("2025年第三季度 无支部党员大会"), with what was recorded around it and what the branch was told.

The figures come from the indicator module (the same `indicator_results` as the scorecard), the records around the
gap from meetings. What the branch was reminded of lives in `notifications`, an app above this one: it registers a
panel here (`register_gap_panel`, in its AppConfig.ready()) and the gap page prints the rendered panels, the pattern
of branches/panels.py. So the page stays with the dashboards it ends, and no layer is crossed upwards.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from common.periods import DAY, MONTH, QUARTER, YEAR, Period, period_by_label, period_for, period_name
from meetings import plan
from meetings.models import Meeting

from ..indicators import selectors as indicators
from ..indicators.rules import MEETING_ITEMS

# A panel: fn(request, organization, period) -> {"template", "context"} | str | None.
GapPanel = Callable[..., dict | str | None]
_GAP_PANELS: list[GapPanel] = []


def register_gap_panel(fn: GapPanel) -> GapPanel:
    if fn not in _GAP_PANELS:  # ready() may run twice in tests
        _GAP_PANELS.append(fn)
    return fn


def gap_panels(request, organization, period: Period) -> list[SafeString]:
    rendered = []
    for panel in _GAP_PANELS:
        section = panel(request, organization, period)
        if section is None:
            continue
        if isinstance(section, str):
            rendered.append(SafeString(section))
        else:
            rendered.append(render_to_string(section["template"], section["context"], request=request))
    return rendered


def frequency(period: Period) -> str:
    if len(period.label) == 4:
        return YEAR
    return QUARTER if "Q" in period.label else MONTH


@dataclass
class GapPage:
    period: Period
    period_name: str
    result: object  # the IndicatorResult of the indicator in the period's year
    gaps: list  # the result's gaps in this period (empty: recorded since, or never missing)
    around: list  # (Period, PeriodOutcome | None, items missing) for the period before, this one, the one after
    meetings: list  # meetings of the indicator's kinds from the start of the period before to the end of the next
    counts_meetings: bool  # a meeting indicator (else coverage, dues or terms: its records are elsewhere)

    @property
    def titles(self) -> list[str]:
        return [f"{self.period_name} {g.text}" for g in self.gaps]


def gap_page(organization, code: str, label: str, *, today: datetime.date) -> GapPage | None:
    """None when the label is no period or the indicator does not apply to the organization that year."""
    period = period_by_label(label)
    if period is None or period.start.year > today.year:
        return None
    result = next((r for r in indicators.indicator_results(organization, period.start.year) if r.code == code), None)
    if result is None:
        return None
    freq = frequency(period)
    before, after = period_for(freq, period.start - DAY), period_for(freq, period.end + DAY)
    outcomes = {o.label: o for o in result.periods}
    around = []
    for p in (before, period, after):
        outcome = outcomes.get(p.label)
        around.append((p, outcome, outcome.required - outcome.done if outcome else None))
    meetings = []
    if code in MEETING_ITEMS:
        kinds = {Meeting.Kind.PARTY_LECTURE if k == plan.SECRETARY_LECTURE else k for k in MEETING_ITEMS[code]}
        meetings = list(
            Meeting.objects.filter(
                organization__path__startswith=organization.path,
                kind__in=kinds,
                date__range=(before.start, after.end),
            )
            .select_related("organization")
            .order_by("date", "pk")
        )
    return GapPage(
        period=period,
        period_name=period_name(period, year_word="年"),
        result=result,
        gaps=[g for g in result.gaps if g.label == label],
        around=around,
        meetings=meetings,
        counts_meetings=code in MEETING_ITEMS,
    )
