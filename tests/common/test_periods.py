"""common/periods.py: the one copy of the month/quarter/year arithmetic."""

import datetime

import pytest

from common import periods as p

D = datetime.date


def test_month_start_and_end_cover_leap_february_and_december():
    assert p.month_start(D(2024, 2, 17)) == D(2024, 2, 1)
    assert p.month_end(D(2024, 2, 17)) == D(2024, 2, 29)
    assert p.month_end(D(2025, 2, 1)) == D(2025, 2, 28)
    assert p.month_end(D(2025, 12, 31)) == D(2025, 12, 31)


def test_add_months_returns_a_first_of_month_across_years_both_ways():
    assert p.add_months(D(2025, 11, 20), 3) == D(2026, 2, 1)
    assert p.add_months(D(2025, 1, 1), -1) == D(2024, 12, 1)
    assert p.add_months(D(2025, 3, 1), 0) == D(2025, 3, 1)


def test_shift_months_keeps_the_day_clamped_to_the_month_end():
    assert p.shift_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert p.shift_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert p.shift_months(D(2025, 5, 15), -6) == D(2024, 11, 15)
    assert p.shift_months(D(2023, 3, 31), 12 * 5 + 6) == D(2028, 9, 30)


def test_months_between_is_inclusive_and_never_negative():
    assert p.months_between(D(2025, 1, 1), D(2025, 1, 31)) == 1
    assert p.months_between(D(2024, 11, 1), D(2025, 2, 1)) == 4
    assert p.months_between(D(2025, 3, 1), D(2025, 2, 1)) == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-03", D(2025, 3, 1)), ("2025-13", None), ("2025", None), ("", None), (None, None), ("x-y", None)],
)
def test_parse_month(value, expected):
    assert p.parse_month(value) == expected


def test_previous_month_end():
    assert p.previous_month_end(D(2026, 1, 15)) == D(2025, 12, 31)
    assert p.previous_month_end(D(2024, 3, 1)) == D(2024, 2, 29)


def test_quarters():
    assert [p.quarter_of(D(2025, m, 1)) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert p.quarter_start(2025, 3) == D(2025, 7, 1)
    assert [p.quarter_end(2025, q) for q in (1, 2, 3, 4)] == [
        D(2025, 3, 31),
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
    ]
    assert [m for m in range(1, 13) if p.is_quarter_end_month(m)] == [3, 6, 9, 12]


def test_year_range():
    assert p.year_range(2025) == (D(2025, 1, 1), D(2025, 12, 31))


def test_periods_of_a_year_tile_it_without_gaps():
    for freq, count in ((p.MONTH, 12), (p.QUARTER, 4), (p.YEAR, 1)):
        items = p.periods(2024, freq)
        assert len(items) == count
        assert items[0].start == D(2024, 1, 1) and items[-1].end == D(2024, 12, 31)
        assert all(a.end + p.DAY == b.start for a, b in zip(items, items[1:], strict=False))
    assert [x.label for x in p.periods(2026, p.QUARTER)] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert p.periods(2026, p.MONTH)[3] == p.Period("2026-04", D(2026, 4, 1), D(2026, 4, 30))
    with pytest.raises(ValueError):
        p.periods(2026, "week")


def test_period_for_a_day():
    assert p.period_for(p.MONTH, D(2026, 4, 30)).label == "2026-04"
    assert p.period_for(p.QUARTER, D(2026, 4, 1)).label == "2026-Q2"
    assert p.period_for(p.YEAR, D(2026, 4, 1)).label == "2026"
    assert p.period_for(p.QUARTER, D(2026, 3, 31)).contains(D(2026, 1, 1))


@pytest.mark.parametrize("label", ["2026-04", "2026-Q2", "2026", "2026-12", "2026-Q4"])
def test_period_by_label_round_trips(label):
    assert p.period_by_label(label).label == label


@pytest.mark.parametrize("label", ["", "20x6", "2026-13", "2026-Q5", "2026-Q0", "2026-00", "2026/04", "2026-Qx"])
def test_period_by_label_rejects_malformed_labels(label):
    assert p.period_by_label(label) is None


def test_period_name_in_chinese():
    assert p.period_name("2026-04") == "2026年4月"
    assert p.period_name("2026-Q1") == "2026年第一季度"
    assert p.period_name("2026") == "2026年度"
    assert p.period_name(p.period_for(p.YEAR, D(2026, 1, 1)), year_word="年") == "2026年"
