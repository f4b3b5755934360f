"""Interest compounded by the day, its period looked up once for the days it holds (issue 15: the estimate within 10%
of the check): every day's interest is the one a day-by-day walk gives, where the periods overlap too (a later period
listed first takes over from its first day) and where interest compounds by the month or the year."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from nexus import penalties

D = Decimal
OLD = penalties.InterestPeriod(date(2020, 1, 1), None, D("0.10"))
NEW = penalties.InterestPeriod(date(2025, 3, 1), date(2025, 8, 31), D("0.12"))  # listed first: it takes over


def walked(tax, due, until, periods, method):
    """The interest worked out day by day in the test: each day's rate is the first period listed that holds it."""
    total, balance, day = D(0), tax, due + timedelta(days=1)
    while day <= until:
        rate = next(p.annual_rate for p in periods if p.start <= day and (p.end is None or day <= p.end))
        daily = balance * rate / 365
        total += daily
        if method == "compound_daily":
            balance += daily
        elif method == "compound_monthly" and day.day == due.day:
            balance = tax + total
        elif method == "compound_annually" and (day.month, day.day) == (due.month, due.day):
            balance = tax + total
        day += timedelta(days=1)
    return total


@pytest.mark.parametrize("method", ["compound_daily", "compound_monthly", "compound_annually"])
def test_interest_compounded_over_overlapping_periods_is_each_days_interest(method):
    row = penalties.Lateness("XX", date(2020, 1, 1), None, None, None, None, (NEW, OLD), method, (), "", "")
    due, until = date(2024, 11, 20), date(2026, 2, 10)
    found = penalties.interest(row, D("1234.56"), due, until)
    assert found == walked(D("1234.56"), due, until, (NEW, OLD), method)
    # The rate of the period listed first from its first day to its last, the other's around it.
    assert found != walked(D("1234.56"), due, until, (OLD,), method)
