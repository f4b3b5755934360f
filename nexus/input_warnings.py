"""What a check warns of in its input, beside its findings: exports cut short or late (silences in the orders,
rows after the as-of date), exchange rates older than the check, and an office or staff that suggest the seller is
established somewhere no ``--home`` names.

An export cut short by an outage or a maintenance window understates exposure: the warnings say where to look
before anyone relies on a "below".
"""
from __future__ import annotations

from datetime import date
from typing import Sequence

from nexus import places
from nexus.fx import STALE_RATES_BUSINESS_DAYS, Rates, business_days_between
from nexus.presence import Verdict
from nexus.ledger import Ledger


#: What a check says to do where an office suggests a home: its own option.
CHECK_HOME = "pass --home {code} (without --home every jurisdiction is assessed as for a seller established elsewhere)"
#: What 'nexus presence', which assesses every item as abroad, says: the head office read 'Potential exposure'.
PRESENCE_HOME = "that is its home, not an exposure abroad: 'nexus check --home {code}' reads it so"


def home_warnings(presence: Sequence[Verdict], home: str | None, advice: str = CHECK_HOME) -> list[str]:
    """Where an office or an employee suggests the seller may be established, when no --home was given; ``advice``
    says what to do, with ``{code}`` for the place's code."""
    if home:
        return []
    said: dict[str, str] = {}
    for v in presence:
        # An office anywhere, or staff in another country, can make the seller established there (a remote
        # employee in a US state does not make a company a domestic seller of that state).
        abroad = v.item.kind == "office" or (v.item.kind == "employee" and "-" not in v.jurisdiction)
        if abroad and v.verdict is not None and v.jurisdiction not in said:
            name = places.in_prose(places.name(v.jurisdiction))  # 'the United Kingdom'
            said[v.jurisdiction] = (f"{v.item.source.file}:{v.item.source.line}: an {v.item.kind} in {name}: if the "
                                    f"company is established there, {advice.format(code=v.jurisdiction)}")
    return list(said.values())[:3]


#: A silence in the orders longer than this many times the usual spacing (and at least a week) is flagged.
GAP_FACTOR = 5
MIN_GAP_DAYS = 7


def _usual_spacing(days: Sequence[date]) -> float:
    """The median number of days between one day with orders and the next."""
    steps = sorted((b - a).days for a, b in zip(days, days[1:]))
    return float(steps[len(steps) // 2]) if steps else 1.0


def rows_after(ledger: Ledger, as_of: date) -> int:
    """The rows used that are dated after the as-of date: read, and counted by no period the check measures."""
    return sum(n for d, n in ledger.rows_by_day.items() if d > as_of)


def input_warnings(ledger: Ledger, as_of: date) -> list[str]:
    """Exports cut short or late: silences in the orders, an export ending before the as-of date, future rows.

    An export cut short by an outage or a maintenance window understates exposure, so the check says where
    the orders stop or pause for much longer than usual, overall and for the busiest places.
    """
    warnings = list(ledger.warnings)  # what reading passed over: a hidden sheet, a file without orders
    future = rows_after(ledger, as_of)
    if future:
        warnings.append(f"{future:,} row{' is' if future == 1 else 's are'} dated after the as-of date {as_of} and "
                        f"{'was' if future == 1 else 'were'} not counted")
    days = sorted(d for d in ledger.rows_by_day if d <= as_of)
    if len(days) < 2:
        return warnings
    limit = max(MIN_GAP_DAYS, GAP_FACTOR * _usual_spacing(days))
    gaps = sorted(((b - a).days, a, b) for a, b in zip(days, days[1:]) if (b - a).days > limit)
    for length, a, b in reversed(gaps[-3:]):
        warnings.append(f"no orders at all between {a} and {b} ({length - 1} days) although they usually come every "
                        f"{_usual_spacing(days):g} day(s): is an export missing or cut short?")
    if (as_of - days[-1]).days > limit:
        warnings.append(f"the orders end on {days[-1]}, {(as_of - days[-1]).days} days before the as-of date "
                        f"{as_of}: is the latest export missing?")
    by_place: dict[str, set[date]] = {}
    for key, series in ledger.series.items():
        by_place.setdefault(key[0], set()).update(series)
    quiet = []
    for place, seen in by_place.items():
        ordered = sorted(d for d in seen if d <= as_of)
        if len(ordered) < 100:
            continue  # a quiet place has long silences by chance; only places with daily orders are watched
        # Day numbers: the steps between days with orders, for every place's every day, as whole days.
        numbers = [d.toordinal() for d in ordered]
        steps = [b - a for a, b in zip(numbers, numbers[1:])]
        spacing = float(sorted(steps)[len(steps) // 2])  # as _usual_spacing gives it
        if spacing > 1:
            continue
        longest = max(3 * MIN_GAP_DAYS, GAP_FACTOR * spacing)
        for i, step in enumerate(steps):
            if step > longest:
                a, b = ordered[i], ordered[i + 1]
                if not any(g[1] <= a and b <= g[2] for g in gaps):
                    quiet.append((step, place, a, b, spacing))
    for length, place, a, b, spacing in sorted(quiet, reverse=True)[:3]:
        warnings.append(f"no orders into {place} between {a} and {b} ({length - 1} days) although they usually "
                        f"come every {spacing:g} day(s)")
    return warnings


def rate_warnings(rates: Rates | None, as_of: date) -> list[str]:
    """A warning when the newest rate is older than the as-of date by more than a few business days, and where two
    rates files given both hold a converted currency's rate on a day (the first given is used: which file comes
    first decides the figures, and no one asked it to)."""
    said = [o.words() for o in rates.given_overlaps()] if rates else []
    latest = rates.latest(as_of) if rates else None
    if latest is None or latest >= as_of:
        return said
    gap = business_days_between(latest, as_of)
    if gap <= STALE_RATES_BUSINESS_DAYS:
        return said
    return said + [f"the newest exchange rate ({rates.source}) is from {latest}, {gap} business days "  # type: ignore
                   f"before {as_of}: sales after it are converted at that rate; run 'nexus rates fetch' or pass "
                   f"newer --rates"]
