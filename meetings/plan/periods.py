"""Period arithmetic of the organizational-life rules: months, quarters and years as labelled periods, and sets of
months as bits. Pure functions over dates: no query, no model."""

import datetime
import functools

# The calendar arithmetic is common.periods' (one copy for every app); this module adds what the rules need on top.
from common.periods import MONTH, QUARTER, YEAR, Period, period_by_label, period_for, periods

__all__ = ["MONTH", "QUARTER", "YEAR", "Period", "period_by_label", "period_for", "periods"]


@functools.cache
def _periods(year: int, freq: str) -> tuple[Period, ...]:
    return tuple(periods(year, freq))


def default_date(period: Period, today: datetime.date) -> datetime.date:
    """A date to plan in: today when the period is current, its last day when past, its first day when ahead."""
    if period.contains(today):
        return today
    return period.end if period.end < today else period.start


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


def existed_bits(established_on: datetime.date, year: int, freq: str, founded_by: tuple[int, int] = (6, 30)) -> int:
    """The `freq` periods of `year` (bit i = the i-th period) that are owed by an organization established on
    `established_on` (DOMAIN.md): those it existed on the first day of; the year itself, in the year of establishment,
    only when established on or before `founded_by` (month, day; local practice, settings.YEARLY_ITEMS_FOUNDED_BY)."""
    if established_on.year < year:
        return (1 << len(_periods(year, freq))) - 1
    if established_on.year > year:
        return 0
    if freq == YEAR:
        return int((established_on.month, established_on.day) <= founded_by)
    return sum(1 << i for i, p in enumerate(_periods(year, freq)) if established_on <= p.start)


def _bits_table(freq: str) -> tuple[int, ...]:
    """month set -> set of the `freq` periods (bit i = the i-th period of the year) that contain one of its months."""
    if freq == MONTH:
        return tuple(range(1 << 12))
    if freq == QUARTER:
        return tuple(sum(1 << q for q in range(4) if mask & (7 << 3 * q)) for mask in range(1 << 12))
    return tuple(int(mask != 0) for mask in range(1 << 12))


PERIOD_BITS = {freq: _bits_table(freq) for freq in (MONTH, QUARTER, YEAR)}
_MONTHS_OF = tuple(tuple(m for m in range(1, 13) if mask & (1 << (m - 1))) for mask in range(1 << 12))
