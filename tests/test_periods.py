from datetime import date, timedelta

import pytest

from nexus.periods import periods_for


def spans(kind, as_of):
    return [(p.start, p.end) for p in periods_for(kind, date.fromisoformat(as_of))]


def test_previous_calendar_year():
    assert spans("previous_calendar_year", "2026-03-15") == [(date(2025, 1, 1), date(2025, 12, 31))]


def test_current_or_previous_calendar_year_ends_on_the_as_of_date():
    assert spans("current_or_previous_calendar_year", "2026-03-15") == [
        (date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 3, 15))]


def test_preceding_12_months_is_rolling():
    assert spans("preceding_12_months", "2026-03-15") == [(date(2025, 3, 16), date(2026, 3, 15))]
    assert spans("preceding_12_months", "2024-02-29") == [(date(2023, 3, 1), date(2024, 2, 29))]
    # Twelve months to the last day of February after a leap year: March to February, 365 days (the leap day
    # was counted, 366 days, so a sale on 29 February 2024 met a test on 28 February 2025 and not a day later).
    assert spans("preceding_12_months", "2025-02-28") == [(date(2024, 3, 1), date(2025, 2, 28))]
    assert spans("preceding_12_months", "2025-02-27") == [(date(2024, 2, 28), date(2025, 2, 27))]


@pytest.mark.parametrize("as_of, start, end", [
    ("2026-03-15", "2025-01-01", "2025-12-31"),
    ("2026-03-31", "2025-04-01", "2026-03-31"),
    ("2026-11-27", "2025-10-01", "2026-09-30"),
])
def test_quarter_end_lookback(as_of, start, end):
    assert spans("preceding_12_months_at_quarter_end", as_of) == [
        (date.fromisoformat(start), date.fromisoformat(end))]


@pytest.mark.parametrize("as_of, start, end", [
    ("2026-11-27", "2025-09-01", "2026-08-31"),   # Sep-Nov quarter not yet complete
    ("2026-11-30", "2025-12-01", "2026-11-30"),
    ("2026-01-10", "2024-12-01", "2025-11-30"),
    ("2024-03-10", "2023-03-01", "2024-02-29"),   # Dec-Feb quarter ends on a leap day
    # The year after: the four quarters to 28 February 2025 start on 1 March 2024; 29 February 2024 is in the
    # Dec-Feb quarter before them (it was counted, a 13th month).
    ("2025-03-15", "2024-03-01", "2025-02-28"),
])
def test_new_york_sales_tax_quarters(as_of, start, end):
    assert spans("ny_preceding_four_quarters", as_of) == [(date.fromisoformat(start), date.fromisoformat(end))]


@pytest.mark.parametrize("as_of, start, end", [
    ("2026-11-27", "2025-10-01", "2026-09-30"),
    ("2026-09-29", "2024-10-01", "2025-09-30"),
])
def test_connecticut_twelve_months_ending_september_30(as_of, start, end):
    assert spans("ct_12_months_ending_september_30", as_of) == [
        (date.fromisoformat(start), date.fromisoformat(end))]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        periods_for("fortnightly", date(2026, 1, 1))


@pytest.mark.parametrize("as_of, start, end", [
    ("2026-11-27", "2025-11-01", "2026-10-31"),   # November's liability: the 12 months before November
    ("2026-11-30", "2025-12-01", "2026-11-30"),   # on a month end, the month just completed decides the next
    ("2024-03-10", "2023-03-01", "2024-02-29"),
])
def test_vermont_twelve_months_to_the_last_month_end(as_of, start, end):
    assert spans("preceding_12_months_at_month_end", as_of) == [(date.fromisoformat(start), date.fromisoformat(end))]


@pytest.mark.parametrize("as_of, start, end", [
    ("2026-03-15", "2025-04-01", "2026-03-15"),   # the month of D from its first day, and the 11 whole months before
    ("2026-03-31", "2025-04-01", "2026-03-31"),
    ("2024-02-29", "2023-03-01", "2024-02-29"),
])
def test_australia_current_month_and_previous_11_months(as_of, start, end):
    assert spans("current_month_and_previous_11_months", as_of) == [
        (date.fromisoformat(start), date.fromisoformat(end))]


@pytest.mark.parametrize("kind, months", [
    ("preceding_12_months_at_quarter_end", (3, 6, 9, 12)),
    ("ny_preceding_four_quarters", (2, 5, 8, 11)),
    ("ct_12_months_ending_september_30", (9,)),
    ("preceding_12_months_at_month_end", tuple(range(1, 13))),
])
def test_look_backs_end_on_the_last_month_end_on_or_before_every_day(kind, months):
    """Every day from 2023 to 2027 (leap years, year ends, month ends and the days after them): the window ends on
    the latest end of one of the rule's months that is not after the day, found here by listing every month end."""
    ends = sorted(date(y, m + 1, 1) - timedelta(days=1) if m < 12 else date(y, 12, 31)
                  for y in range(2021, 2028) for m in months)
    day = date(2023, 1, 1)
    while day <= date(2027, 12, 31):
        (window,) = periods_for(kind, day)
        assert window.end == max(e for e in ends if e <= day), (kind, day)
        day += timedelta(days=1)
