"""Period arithmetic of the organizational-life rules: months, quarters and years as labelled periods, and sets of
months as bits. Pure functions over dates: no query, no model."""

import datetime
import functools
from dataclasses import dataclass

MONTH, QUARTER, YEAR = "month", "quarter", "year"


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


@functools.cache
def _periods(year: int, freq: str) -> tuple[Period, ...]:
    return tuple(periods(year, freq))


def default_date(period: Period, today: datetime.date) -> datetime.date:
    """A date to plan in: today when the period is current, its last day when past, its first day when ahead."""
    if period.contains(today):
        return today
    return period.end if period.end < today else period.start


def _add_months(day: datetime.date, months: int) -> datetime.date:
    # relativedelta(months=n) without its cost (thousands of terms): the same day, clamped to the month's end.
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month0 + 1, min(day.day, _month_end(year, month0 + 1).day))


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
