"""Crossings ahead: the day a place's test would be met if the recent pace of sales continued.

``run-rate`` carries on the average daily sales and transactions of the 90 days to the as-of date, ``seasonal``
repeats each day's sales of a year earlier; each day ahead is then measured as the rule measures it, by the same
day-by-day scan that finds the windows of nexus (:func:`nexus.windows.scan`), so the day projected is the day 'Since'
would then give. Before any pace, the sales already made are measured ahead with nothing sold after them: a rule
measured later than it sells can find its test met on them, and that day is certain, not a projection
(:data:`nexus.timing.SETTLED`).

More information: docs/check.md ("When to act": Crossings ahead).
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from nexus.remembered import in_force, recall
from nexus.rules import Rule
from nexus.timing import SETTLED
from nexus.windows import Days, Met, Run, figures, scan

#: Days of recent sales whose average is the pace projected forward.
RUN_RATE_DAYS = 90
PROJECTIONS = ("run-rate", "seasonal")


def project(rule: Rule, days: Days, world: dict[date, Decimal] | None, as_of: date, horizon: int, met: Met,
            data_from: date | None, method: str = "run-rate") -> tuple[date | None, str]:
    """The day the test would be met if the recent pace continued, and how that was worked out.

    ``run-rate``: each future day gets the average daily sales and transactions of the 90 days to the as-of
    date (or of the days since the first order, if fewer). ``seasonal``: each future day gets the sales of
    the same day a year earlier. The test is then applied day by day as the rule measures it, up to
    ``horizon`` days ahead; None with the reason when it is not met within them.
    """
    if not in_force():
        return _project(rule, days, world, as_of, horizon, met, data_from, method)
    key = ("project", id(rule), *figures(days, world), as_of, horizon, met, data_from, method)
    found: tuple[date | None, str] = recall(
        key, [rule], lambda: _project(rule, days, world, as_of, horizon, met, data_from, method))
    return found


def _project(rule: Rule, days: Days, world: dict[date, Decimal] | None, as_of: date, horizon: int, met: Met,
             data_from: date | None, method: str) -> tuple[date | None, str]:
    settled = _met_by_sales_made(rule, days, world, as_of, horizon, met)
    if settled is not None:
        return settled, f"{SETTLED} {as_of}: the rule finds its test met on that day whatever is sold after it"
    start = max(as_of - timedelta(days=RUN_RATE_DAYS - 1), data_from or as_of)
    span = (as_of - start).days + 1
    if method == "seasonal":
        how = "each day ahead at the sales of the same day a year earlier"
    else:
        sales = sum((v[0] for d, v in days.items() if start <= d <= as_of), Decimal(0))
        count = sum(v[1] for d, v in days.items() if start <= d <= as_of)
        # Every day of worldwide sales, not only the days with a sale the rule counts (a worldwide test's own
        # place may see a sale a quarter while the world sells every day).
        worldwide = sum((v for d, v in (world or {}).items() if start <= d <= as_of), Decimal(0))
        rate, count_rate, world_rate = sales / span, Decimal(count) / span, worldwide / span
        how = (f"the daily pace of the {span} days to {as_of} ({rule.currency} {rate.quantize(Decimal('0.01'))} "
               f"and {count_rate.quantize(Decimal('0.01'))} transactions a day)")
        if rate <= 0 and count_rate <= 0:
            return None, f"no sales counted in the {span} days to {as_of}: no crossing projected"
    future: Days = {day: list(value) for day, value in days.items() if day <= as_of}
    world_future = {day: value for day, value in (world or {}).items() if day <= as_of}
    count_carry = Decimal(0)
    for offset in range(1, horizon + 1):
        day = as_of + timedelta(days=offset)
        if method == "seasonal":
            before = _year_before(day)
            future[day] = list(days.get(before, (Decimal(0), 0)))
            world_future[day] = (world or {}).get(before, Decimal(0))
        else:
            # Whole transactions only: carry the fractions over so that 2.5 a day makes 2, 3, 2, 3...
            count_carry += count_rate
            whole = int(count_carry)
            count_carry -= whole
            future[day] = [rate, whole]
            world_future[day] = world_rate
    runs = scan([(rule, future, world_future if world is not None else None)], as_of + timedelta(days=1),
                as_of + timedelta(days=horizon), met)
    if not runs:
        return None, f"not met within {horizon} days at {how}"
    return _projected_day(runs[0]), f"projected at {how}"


def _met_by_sales_made(rule: Rule, days: Days, world: dict[date, Decimal] | None, as_of: date, horizon: int,
                       met: Met) -> date | None:
    """The day within ``horizon`` on which the sales made up to ``as_of`` meet the test with nothing sold after it:
    a rule measured later than it sells (the previous calendar year from 1 January, a quarter's or a month's end,
    Connecticut's 30 September) can find its test met on sales already made. That day is certain, not a projection,
    and needs no recent sales: Florida's USD 100,000 passed in July is met on 1 January whatever the autumn sells."""
    made = {day: value for day, value in days.items() if day <= as_of}
    made_world = None if world is None else {day: value for day, value in world.items() if day <= as_of}
    runs = scan([(rule, made, made_world)], as_of + timedelta(days=1), as_of + timedelta(days=horizon), met)
    return _projected_day(runs[0]) if runs else None


def _projected_day(run: Run) -> date:
    """The day a projected run crosses: the first day the rule, as it measures, finds the test met, the day 'Since'
    would then give (:func:`nexus.windows.economic_windows`), never the day the running total passes the threshold.
    A rule measured at a quarter or month end (Illinois, Minnesota, New York, Vermont, the UK's home test), on
    Connecticut's 30 September or on the previous calendar year finds it met only on that day, though its sales
    pass the threshold weeks before (or, in a quarter not yet ended, before the as-of date: a past day is no
    projection). The scan starts the day after ``as_of``, so the day is always ahead of it."""
    return run.met_from


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
