"""The day-by-day scan of a rule's windows (nexus.windows.scan): the same runs as a plain day-by-day reading, with the
periods of each day worked out once for every place scanned over those days (outcomes only, never how long it takes)."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from nexus import windows
from nexus.measures import threshold_test
from nexus.rules import load_rules
from nexus.windows import Run

START, END = date(2024, 1, 1), date(2026, 10, 31)
KINDS = ("current_or_previous_calendar_year", "current_calendar_year", "previous_calendar_year", "preceding_12_months",
         "preceding_12_months_at_quarter_end", "preceding_12_months_at_month_end", "ny_preceding_four_quarters",
         "ct_12_months_ending_september_30", "current_month_and_previous_11_months", "current_calendar_quarter",
         "jp_base_or_specified_period")


def _rule(kind: str, effective_from: date = date(2019, 10, 1)):
    """Texas's rule measured over ``kind``, in force from ``effective_from``, at USD 27,000 (a quarter's USD 8,000)
    with no transaction test: about what the days below sell in twelve months (a quarter), met and missed."""
    texas = [r for r in load_rules().rules if r.jurisdiction == "US-TX"][-1]
    threshold = Decimal(8000 if kind == "current_calendar_quarter" else 27000)
    return replace(texas, period=kind, sales_threshold=threshold, transactions_threshold=None,
                   effective_from=effective_from, effective_to=None)


def _days(seed: int) -> dict[date, list]:
    """Sales on about one day in four, a refund now and then, and a quiet spring: runs met and missed in each kind."""
    pick = random.Random(seed)
    days: dict[date, list] = {}
    day = date(2023, 6, 1)
    while day <= END:
        if not date(2025, 3, 1) <= day <= date(2025, 5, 31) and pick.random() < 0.25:
            refund = pick.random() < 0.1
            cents = pick.randint(-300000, -10000) if refund else pick.randint(5000, 90000)
            days[day] = [Decimal(cents) / 100, 0 if refund else 1]
        day += timedelta(days=1)
    return days


def _read_day_by_day(rule, days: dict[date, list], start: date, end: date) -> list[Run]:
    """The runs as the rule reads each day: every period measured that day summed from the daily figures."""
    test, runs, current = threshold_test(rule), [], None
    day = max(start, rule.effective_from)
    while day <= end:
        hit = None
        for w in windows._deciding(rule.period, day):
            counted = [v for d, v in days.items() if w.start <= d <= min(w.end, day)]
            if test(sum((v[0] for v in counted), Decimal(0)), sum(v[1] for v in counted), Decimal(0)):
                hit = w
                break
        if hit is not None and current is None:
            current = Run(windows._crossing(rule, threshold_test, days, None, hit, day), day, None, hit, rule)
        elif hit is None and current is not None:
            runs.append(replace(current, met_to=day - timedelta(days=1)))
            current = None
        day += timedelta(days=1)
    return runs + ([current] if current is not None else [])


@pytest.mark.parametrize("kind", KINDS)
def test_the_scan_finds_the_runs_a_day_by_day_reading_finds(kind):
    rule, met = _rule(kind), 0
    for seed in range(3):
        days = _days(seed)
        found = windows.scan([(rule, days, None)], START, END, threshold_test)
        assert found == _read_day_by_day(rule, days, START, END)
        met += len(found)
    assert met  # the days meet the test in some run, so the runs' days are compared, not only 'never met'


@pytest.mark.parametrize("kind", ("current_or_previous_calendar_year", "preceding_12_months_at_quarter_end"))
def test_a_version_in_force_from_within_the_days_is_read_from_its_first_day(kind):
    """A rule that took effect after the data's first day is scanned from that day over the same days' periods."""
    later = _rule(kind, date(2025, 7, 1))
    days = _days(7)
    windows.scan([(_rule(kind), days, None)], START, END, threshold_test)  # the days' periods kept for every place
    assert windows.scan([(later, days, None)], START, END, threshold_test) == _read_day_by_day(later, days, START, END)


def test_the_periods_of_each_day_are_worked_out_once_for_every_place_scanned_over_those_days(monkeypatch):
    """Before: each place's scan asked for the periods measured on every day again, the same for every place measured
    the same way over the same days (some 30 US states over the data's first day to the as-of date in the sample)."""
    kept = getattr(windows, "_measured_daily", None)
    if kept is not None:
        kept.cache_clear()
    asked: list[date] = []
    deciding = windows._deciding

    def counted(kind, day):
        asked.append(day)
        return deciding(kind, day)

    monkeypatch.setattr(windows, "_deciding", counted)
    rule = _rule("preceding_12_months")
    for seed in range(3):
        windows.scan([(rule, _days(seed), None)], START, END, threshold_test)
    assert sorted(asked) == [START + timedelta(days=n) for n in range((END - START).days + 1)]


def test_a_period_whose_sums_have_not_changed_is_not_tested_again():
    """Before: the test was asked again every day, though the sums it was given were those of the day before (last
    year's sales, read every day of this year: 365 times for one answer)."""
    asked: list[tuple] = []

    def met(rule):
        test = threshold_test(rule)

        def counted(sales, transactions, worldwide=Decimal(0)):
            asked.append((sales, transactions))
            return test(sales, transactions, worldwide)
        return counted

    days = {date(2024, 5, 1): [Decimal("20000"), 1], date(2025, 3, 1): [Decimal("12000"), 1],
            date(2025, 8, 9): [Decimal("9000"), 2], date(2025, 11, 30): [Decimal("-500"), 0]}
    assert windows.scan([(_rule("previous_calendar_year"), days, None)], date(2026, 1, 1), date(2026, 12, 31),
                        met) == []
    # Whether any period could meet it (every sale, refunds left out), then 2025's sales, once.
    assert asked == [(Decimal("41000"), 4), (Decimal("20500"), 3)]
