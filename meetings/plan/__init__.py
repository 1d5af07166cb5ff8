"""What an organization owes, period by period: the single implementation of the organizational-life rules.

The secretary's to-do list and the year plan read `obligations()`; the indicators (assessments/indicators.py) read
`owed_lines()`, which `obligations()` expands period by period, so both apply the same rules. The package separates
- periods.py: period arithmetic (months, quarters, years; sets of months as bits), pure;
- rules.py: what is owed when, pure functions over one organization's year of facts;
- selectors.py: the queries that load those facts (one organization or a whole subtree, a fixed number of queries);
- todo.py: the Obligations of a year, the secretary's to-do and the rate an indicator divides.
Callers import from `meetings.plan` (this module re-exports the public names).
"""

from .periods import (
    ALL_MONTHS,
    MONTH,
    PERIOD_BITS,
    QUARTER,
    YEAR,
    Period,
    _periods,
    default_date,
    months_before,
    months_from,
    period_by_label,
    period_for,
    periods,
)
from .rules import (
    BRANCH_KINDS,
    COMMITTEE_KINDS,
    DEFAULT_FREQUENCIES,
    EXTRA_LABELS,
    MEMBER_REVIEW,
    SECRETARY_LECTURE,
    TALK,
    GroupRef,
    TermFacts,
    YearFacts,
    committee_months,
    frequencies,
    frequency,
    owed,
    owed_lines,
    owed_periods,
    suggest_topic,
)
from .selectors import coverage_day, coverage_members, load_year_facts
from .todo import DONE, OPEN, OVERDUE, STATE_LABELS, UPCOMING, Obligation, obligations, rate, todo

__all__ = [
    "ALL_MONTHS",
    "BRANCH_KINDS",
    "COMMITTEE_KINDS",
    "DEFAULT_FREQUENCIES",
    "DONE",
    "EXTRA_LABELS",
    "MEMBER_REVIEW",
    "MONTH",
    "OPEN",
    "OVERDUE",
    "PERIOD_BITS",
    "QUARTER",
    "SECRETARY_LECTURE",
    "STATE_LABELS",
    "TALK",
    "UPCOMING",
    "YEAR",
    "GroupRef",
    "Obligation",
    "Period",
    "TermFacts",
    "YearFacts",
    "_periods",
    "committee_months",
    "default_date",
    "frequencies",
    "frequency",
    "coverage_day",
    "coverage_members",
    "load_year_facts",
    "months_before",
    "months_from",
    "owed_periods",
    "obligations",
    "owed",
    "owed_lines",
    "period_by_label",
    "period_for",
    "periods",
    "rate",
    "suggest_topic",
    "todo",
]
