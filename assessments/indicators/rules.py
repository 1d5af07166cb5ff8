"""The rules of the 8 hard indicators, stated once: the statuses and threshold → status, which period items of
meetings/plan.py make up each indicator, which organizations an indicator applies to, and what a result is.

DOMAIN.md: 达标 at 100%, 基本达标 at 80% or more, 未达标 below 80% (the thresholds are per-year data on
assessments.models.Indicator; these are the defaults); nothing required yet is 待考核.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from branches.models import Organization
from meetings import plan
from meetings.models import Meeting

from .models import Indicator

MET, PARTLY_MET, NOT_MET, PENDING = "met", "partly_met", "not_met", "pending"
STATUS_LABELS = {MET: "达标", PARTLY_MET: "基本达标", NOT_MET: "未达标", PENDING: "待考核"}
STATUS_ORDER = (MET, PARTLY_MET, NOT_MET, PENDING)
# The one list of the codes and their default order is Indicator.Code.
CODES: tuple[str, ...] = tuple(Indicator.Code.values)

C = Indicator.Code
K = Meeting.Kind
OrgKind = Organization.Kind


# ---------------------------------------------------------------- threshold → status


class Thresholds(NamedTuple):
    """A year's 达标 and 基本达标 lines as exact fractions (numerator, denominator), so that a status is decided
    with integer arithmetic: 4/5 is exactly 80%, never 0.7999…; and a province's tens of thousands of results cost
    two multiplications each."""

    met_n: int
    met_d: int
    partly_n: int
    partly_d: int

    @classmethod
    def of(cls, met, partly) -> Thresholds:
        """From the Indicator row's Decimal fields (or anything Decimal() reads exactly, e.g. "0.80")."""
        m, p = Fraction(Decimal(met)), Fraction(Decimal(partly))
        return cls(m.numerator, m.denominator, p.numerator, p.denominator)

    @classmethod
    def for_indicator(cls, indicator: Indicator) -> Thresholds:
        return cls.of(indicator.met_threshold, indicator.partly_threshold)

    def status(self, done: int, required: int) -> str:
        """done/required against the lines: at or above met is 达标, at or above partly 基本达标, else 未达标;
        nothing required is 待考核."""
        if required == 0:
            return PENDING
        if done * self.met_d >= self.met_n * required:
            return MET
        if done * self.partly_d >= self.partly_n * required:
            return PARTLY_MET
        return NOT_MET


def _field_default(name: str):
    return Indicator._meta.get_field(name).default


# The model's defaults (DOMAIN.md: 100% and 80%), for a code the year's set does not have.
DEFAULT_THRESHOLDS = Thresholds.of(_field_default("met_threshold"), _field_default("partly_threshold"))


def status_of(done: int, required: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """The status of done out of required (see Thresholds.status)."""
    return thresholds.status(done, required)


# ---------------------------------------------------------------- what each indicator counts

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

GAP_TEXT = {
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


def applies(indicator: Indicator, kind: str) -> bool:
    if indicator.applies_to == Indicator.AppliesTo.BRANCH:
        return kind == OrgKind.BRANCH
    if indicator.applies_to == Indicator.AppliesTo.COMMITTEE:
        return kind == OrgKind.COMMITTEE
    return OrgKind(kind).has_term


def floor_percent(rate: float | None) -> int | None:
    """A rate in 0..1 in whole percent, rounded down (so 99.6% never shows as 100%, which is 达标)."""
    return None if rate is None else int(rate * 100 + 1e-9)


# ---------------------------------------------------------------- what a result is


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
        return floor_percent(self.rate)
