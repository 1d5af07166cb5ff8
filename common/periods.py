"""Months, quarters and years: the calendar arithmetic every app needs, in one place (it was copied into dues, the
year plan, the dashboards, the ledgers, the reminders and the demo). Plain date arithmetic, no app, no database.

Period labels are the ones the year plan and the indicators store: "2026-04" (a month), "2026-Q2" (a quarter),
"2026" (a year); `period_name()` turns them into the Chinese the pages and letters show.
"""

import datetime
from dataclasses import dataclass

DAY = datetime.timedelta(days=1)
MONTH, QUARTER, YEAR = "month", "quarter", "year"


# ---------------------------------------------------------------- months


def month_start(day: datetime.date) -> datetime.date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months after `month`'s (n may be negative)."""
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of `day`'s month."""
    return add_months(day, 1) - DAY


def shift_months(day: datetime.date, n: int) -> datetime.date:
    """`day` moved by `n` months, clamped to the month's end (31 Jan + 1 -> 28/29 Feb): relativedelta(months=n)
    without its cost, for loops over thousands of terms."""
    first = add_months(day, n)
    return first.replace(day=min(day.day, month_end(first).day))


def months_between(first: datetime.date, last: datetime.date) -> int:
    """Number of months from `first` to `last` inclusive (0 if last is before first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def parse_month(value: str) -> datetime.date | None:
    """'2025-03' -> date(2025, 3, 1); None if malformed."""
    try:
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        return None


def previous_month_end(today: datetime.date) -> datetime.date:
    """The last day of the month before `today`'s (the month that has just ended)."""
    return month_start(today) - DAY


# ---------------------------------------------------------------- quarters and years


def quarter_of(day: datetime.date) -> int:
    """1..4."""
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> datetime.date:
    return month_end(datetime.date(year, 3 * quarter, 1))


def is_quarter_end_month(month: int) -> bool:
    """March, June, September, December."""
    return month % 3 == 0


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    """(1 January, 31 December) of `year`."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    label: str  # "2026-04", "2026-Q2", "2026"
    start: datetime.date
    end: datetime.date

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def periods(year: int, freq: str) -> list[Period]:
    """The months, quarters or the year of `year`, in order."""
    if freq == MONTH:
        return [
            Period(f"{year}-{m:02d}", datetime.date(year, m, 1), month_end(datetime.date(year, m, 1)))
            for m in range(1, 13)
        ]
    if freq == QUARTER:
        return [Period(f"{year}-Q{q}", quarter_start(year, q), quarter_end(year, q)) for q in range(1, 5)]
    if freq == YEAR:
        return [Period(str(year), *year_range(year))]
    raise ValueError(f"unknown period frequency: {freq!r}")


def period_for(freq: str, day: datetime.date) -> Period:
    """The month, quarter or year that contains `day`."""
    if freq == MONTH:
        return periods(day.year, MONTH)[day.month - 1]
    if freq == QUARTER:
        return periods(day.year, QUARTER)[quarter_of(day) - 1]
    return periods(day.year, freq)[0]


def period_by_label(label: str) -> Period | None:
    """The Period named by '2026-04', '2026-Q2' or '2026' (None when malformed)."""
    try:
        year = int(label[:4])
        if len(label) == 4:
            return periods(year, YEAR)[0]
        if label[4] != "-":
            return None
        if label[5] == "Q":
            index = int(label[6:]) - 1
            return periods(year, QUARTER)[index] if index >= 0 else None
        index = int(label[5:]) - 1
        return periods(year, MONTH)[index] if index >= 0 else None
    except (ValueError, IndexError):
        return None


def quarter_name(quarter: int) -> str:
    """2 -> 第二季度: quarters are named the way people say them, never 第2季度 or Q2."""
    return f"第{'一二三四'[quarter - 1]}季度"


QUARTER_CHOICES = [(q, quarter_name(q)) for q in (1, 2, 3, 4)]  # a quarter filter or field: (1, 第一季度) …


def period_name(period: "Period | str", *, year_word: str = "年度") -> str:
    """'2026-04' -> 2026年4月, '2026-Q2' -> 2026年第二季度, '2026' -> 2026年度 (or 2026年 with year_word="年")."""
    label = period if isinstance(period, str) else period.label
    if len(label) == 4:
        return f"{label}{year_word}"
    if label[5] == "Q":
        return f"{label[:4]}年{quarter_name(int(label[6:]))}"
    return f"{label[:4]}年{int(label[5:])}月"
